"""Activities and the agenda in the database: due items, completing and moving them, generated items."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from kamdesk.domain.followups import AgendaItem, CadenceRule, PlanPerson, agenda_order, time_order
from kamdesk.storage.database import check_version
from kamdesk.storage.tables import (
    AccountRow,
    ActivityRow,
    CadenceRuleRow,
    ChangeLogRow,
    ContactRow,
    FamilyMemberRow,
    GiftRow,
    LinkRow,
    PersonalDateRow,
    TeamMemberRow,
    utcnow,
)


def _time(text: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(text) if text else None
    except ValueError:
        return None


#: The columns an agenda item is made of, read as plain rows: loading whole ORM objects made about seven
#: tracked Python objects per item (the object, its state, dict, weak reference, callback...), all of which a
#: garbage collection on the GUI thread walks while the read holds them (issue 24: 41-64 ms collections during
#: the 30-day agenda's read, through slowshare).
_ITEM_COLUMNS = (
    ActivityRow.id,
    ActivityRow.kind,
    ActivityRow.status,
    ActivityRow.due_on,
    ActivityRow.subject,
    ActivityRow.reason,
    ActivityRow.reason_detail,
    ActivityRow.contact_id,
    ActivityRow.account_id,
    ActivityRow.member_id,
    ActivityRow.notes,
    ActivityRow.duration_minutes,
    ActivityRow.start_time,
    ActivityRow.location,
    ActivityRow.updated_at,
    ActivityRow.occurred_at,
)
_NAMED = len(_ITEM_COLUMNS)


def _items(session: Session, stmt: Any) -> list[AgendaItem]:
    """The items of `stmt`, a `_with_names(select(*_ITEM_COLUMNS, <the three names>))`."""
    return [_item(row, *row[_NAMED:]) for row in session.execute(stmt)]


def _named_select() -> Any:
    return _with_names(select(*_ITEM_COLUMNS, ContactRow.name, AccountRow.name, TeamMemberRow.name))


def _item(a: Any, contact: str | None, account: str | None, member: str | None) -> AgendaItem:
    """An agenda item from an activity's row (its `_ITEM_COLUMNS`, by name) and the names it refers to."""
    return AgendaItem(
        id=a.id,
        kind=a.kind,
        status=a.status,
        due_on=a.due_on,
        subject=a.subject,
        reason=a.reason,
        reason_detail=a.reason_detail,
        contact_id=a.contact_id,
        contact_name=contact or "",
        account_id=a.account_id,
        account_name=account or "",
        member_id=a.member_id,
        member_name=member or "",
        notes=a.notes,
        duration_minutes=a.duration_minutes,
        start_time=_time(a.start_time),
        location=a.location,
        updated_at=a.updated_at,
        occurred_at=a.occurred_at,
    )


def _with_names(stmt: Any) -> Any:
    return (
        stmt.outerjoin(ContactRow, ContactRow.id == ActivityRow.contact_id)
        .outerjoin(AccountRow, AccountRow.id == ActivityRow.account_id)
        .outerjoin(TeamMemberRow, TeamMemberRow.id == ActivityRow.member_id)
    )


#: Ids asked for in one statement when rows are read by id (far below SQLite's limit on bound values).
IDS_PER_STATEMENT = 4_000


def agenda(session: Session, member_id: int | None, until: dt.date, limit: int = 2_000) -> list[AgendaItem]:
    """Planned items due on or before `until` (overdue ones included), soonest first (by day, time and id).

    Read in steps, so that each page of a table is read once: which items, from the index on (status, due day);
    their rows in id order, the table's own; then the names they refer to. Read in the order of their days, a
    team's items jump across the table, and on a file server the page cache let go of pages it needed again:
    the large demo's agenda took 3,425 requests through slowshare, 47 s over the VPN setting (issue 24)."""
    where = [ActivityRow.status == "planned", ActivityRow.due_on <= until]
    if member_id is not None:
        where.append(ActivityRow.member_id == member_id)
    picked = session.execute(
        select(ActivityRow.id, ActivityRow.due_on)
        .where(*where)
        .order_by(ActivityRow.due_on, ActivityRow.id)
        .limit(limit)
    ).all()
    ids = {item_id for item_id, _day in picked}
    last_day = picked[-1][1] if len(picked) == limit else None
    if last_day is not None:  # the last day's items are ordered by their times too: all of that day is read
        ids.update(session.scalars(select(ActivityRow.id).where(*where, ActivityRow.due_on == last_day)))
    rows = _rows_by_id(session, sorted(ids))
    if last_day is not None:
        # Only the last day's first ones by time are made into items. A day of 5,000 generated greetings made
        # 7,000 items for the 2,000 shown: on the large demo the 30-day agenda took 199 ms of a worker's CPU, now
        # 110 ms, and the GUI thread waits its turns meanwhile (issue 24). Choosing that day's ids by a read of
        # their times alone cost 25% more page reads (the chosen rows read twice), so whole rows are read once.
        before = [row for row in rows if row.due_on != last_day]
        on_day = sorted(
            (row for row in rows if row.due_on == last_day), key=lambda r: time_order(_time(r.start_time), r.id)
        )
        rows = before + on_day[: limit - len(before)]
    items = _named_items(session, rows)
    items.sort(key=agenda_order)
    return items


def agenda_about(
    session: Session, member_id: int | None, until: dt.date, activity_id: int, contact_id: int | None
) -> list[AgendaItem]:
    """What `agenda` would show of one item and of the person it is for: their planned items due on or before
    `until` (one person's handful; an item done, moved or planned is merged into the list shown instead of the
    whole agenda read again: 110 ms of a worker's CPU on the large demo, and its requests on a file server)."""
    where = [ActivityRow.status == "planned", ActivityRow.due_on <= until]
    if member_id is not None:
        where.append(ActivityRow.member_id == member_id)
    ids = set(session.scalars(select(ActivityRow.id).where(ActivityRow.id == activity_id, *where)))
    if contact_id is not None:
        # The person's activities by their index, the rest of the test here: given it in SQL, SQLite walked the
        # (status, day) index instead, and read the row of every planned item to find the person's.
        ids.update(
            row.id
            for row in session.execute(
                select(ActivityRow.id, ActivityRow.status, ActivityRow.due_on, ActivityRow.member_id).where(
                    ActivityRow.contact_id == contact_id
                )
            )
            if row.status == "planned"
            and row.due_on is not None
            and row.due_on <= until
            and (member_id is None or row.member_id == member_id)
        )
    items = _named_items(session, _rows_by_id(session, sorted(ids)))
    items.sort(key=agenda_order)
    return items


def _rows_by_id(session: Session, ids: list[int]) -> list[Any]:
    """The `_ITEM_COLUMNS` rows with these ids (ascending), in id order: the table's own."""
    rows: list[Any] = []
    for chunk in _chunks(ids):
        rows += session.execute(select(*_ITEM_COLUMNS).where(ActivityRow.id.in_(chunk)).order_by(ActivityRow.id))
    return rows


def _named_items(session: Session, rows: list[Any]) -> list[AgendaItem]:
    """Items of these rows with the names they refer to, each table read in its own order (joined row by row,
    the people's pages would be read again as the items' pages pass)."""
    contacts = _names(session, ContactRow, {r.contact_id for r in rows})
    accounts = _names(session, AccountRow, {r.account_id for r in rows})
    members = _names(session, TeamMemberRow, {r.member_id for r in rows})
    return [_item(r, contacts.get(r.contact_id), accounts.get(r.account_id), members.get(r.member_id)) for r in rows]


def _names(session: Session, table: Any, ids: set[int | None]) -> dict[int | None, str]:
    wanted = sorted(i for i in ids if i is not None)
    names: dict[int | None, str] = {}
    for chunk in _chunks(wanted):
        rows = session.execute(select(table.id, table.name).where(table.id.in_(chunk)).order_by(table.id))
        names.update((row_id, name) for row_id, name in rows)
    return names


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), IDS_PER_STATEMENT):
        yield ids[start : start + IDS_PER_STATEMENT]


def planned_between(
    session: Session, start: dt.date, end: dt.date, kinds: Iterable[str], member_id: int | None = None
) -> list[AgendaItem]:
    """Planned items of the given kinds due in [start, end] (for the calendar export)."""
    stmt = _named_select().where(
        ActivityRow.status == "planned",
        ActivityRow.due_on >= start,
        ActivityRow.due_on <= end,
        ActivityRow.kind.in_(list(kinds)),
    )
    if member_id is not None:
        stmt = stmt.where(ActivityRow.member_id == member_id)
    return _items(session, stmt.order_by(ActivityRow.due_on, ActivityRow.id))


def activity(session: Session, activity_id: int) -> tuple[AgendaItem, int] | None:
    """One item and its version (for a guarded change)."""
    stmt = _named_select().where(ActivityRow.id == activity_id)
    items = _items(session, stmt)
    if not items:
        return None
    version = session.scalar(select(ActivityRow.version).where(ActivityRow.id == activity_id))
    return items[0], int(version or 0)


def complete(
    session: Session, activity_id: int, version: int, outcome: str, when: dt.datetime
) -> tuple[int | None, str]:
    """Mark an item done with its outcome; the person's and the account's last touch move with it.

    Returns the contact and the reason the item was on the agenda."""
    row = session.get(ActivityRow, activity_id)
    check_version(row, version, table="activities", row_id=activity_id)
    assert row is not None
    row.status, row.outcome, row.occurred_at = "done", outcome.strip(), when
    day = when.date()
    if row.contact_id is not None:
        contact = session.get(ContactRow, row.contact_id)
        if contact is not None and (contact.last_contact_on is None or contact.last_contact_on < day):
            contact.last_contact_on = day
        if row.member_id is not None:
            session.execute(
                update(LinkRow)
                .where(
                    LinkRow.contact_id == row.contact_id,
                    LinkRow.member_id == row.member_id,
                    or_(LinkRow.last_contact_on.is_(None), LinkRow.last_contact_on < day),
                )
                .values(last_contact_on=day)
            )
    if row.account_id is not None:
        account = session.get(AccountRow, row.account_id)
        if account is not None and (account.last_contact_on is None or account.last_contact_on < day):
            account.last_contact_on = day
    return row.contact_id, row.reason


def reschedule(session: Session, activity_id: int, version: int, due_on: dt.date) -> None:
    row = session.get(ActivityRow, activity_id)
    check_version(row, version, table="activities", row_id=activity_id)
    assert row is not None
    row.due_on = due_on


def add_activity(session: Session, values: dict[str, Any]) -> int:
    row = ActivityRow(**values)
    session.add(row)
    session.flush()
    return row.id


def call_notes(session: Session, activity_id: int) -> tuple[str, str, str]:
    row = session.get(ActivityRow, activity_id)
    return (row.prep_json, row.review_json, row.notes) if row else ("", "", "")


def save_call_notes(
    session: Session, activity_id: int, version: int, prep_json: str, review_json: str, notes: str
) -> None:
    row = session.get(ActivityRow, activity_id)
    check_version(row, version, table="activities", row_id=activity_id)
    assert row is not None
    if (row.prep_json, row.review_json, row.notes) != (prep_json, review_json, notes):
        row.prep_json, row.review_json, row.notes = prep_json, review_json, notes


# The context panel ------------------------------------------------------------------------------
def last_touches(session: Session, contact_id: int, limit: int = 8) -> list[AgendaItem]:
    stmt = _named_select().where(ActivityRow.contact_id == contact_id, ActivityRow.status == "done")
    return _items(session, stmt.order_by(ActivityRow.occurred_at.desc(), ActivityRow.id.desc()).limit(limit))


def contact_basics(session: Session, contact_id: int) -> tuple[str, str, str, str | None, list[str]] | None:
    """(notes, likes, taboos, personality type, family) of a contact, for the context panel."""
    contact = session.get(ContactRow, contact_id)
    if contact is None:
        return None
    family = [
        f"{f.relation} {f.name}".strip()
        for f in session.scalars(
            select(FamilyMemberRow).where(FamilyMemberRow.contact_id == contact_id).order_by(FamilyMemberRow.id)
        )
    ]
    return contact.notes, contact.preferences, contact.taboos, contact.personality_type, family


def gift_history(session: Session, contact_id: int, limit: int = 8) -> list[tuple[dt.date, str, str, int]]:
    """(date, item, occasion, value in cents) of recent gifts and hospitality for the person."""
    rows = session.execute(
        select(GiftRow.given_on, GiftRow.item, GiftRow.occasion, GiftRow.value_cents)
        .where(GiftRow.contact_id == contact_id)
        .order_by(GiftRow.given_on.desc(), GiftRow.id.desc())
        .limit(limit)
    )
    return [(d, i, o, int(v)) for d, i, o, v in rows]


def personal_dates(session: Session, contact_id: int) -> list[tuple[str, str, int | None, int, int, bool]]:
    """(label, calendar, year, month, day, leap) of the person's own and their family's dates."""
    contact = session.get(ContactRow, contact_id)
    dates: list[tuple[str, str, int | None, int, int, bool]] = []
    if contact is not None and contact.birthday_calendar and contact.birthday_month and contact.birthday_day:
        dates.append(
            (
                "birthday",
                contact.birthday_calendar,
                contact.birthday_year,
                contact.birthday_month,
                contact.birthday_day,
                contact.birthday_leap_month,
            )
        )
    for f in session.scalars(select(FamilyMemberRow).where(FamilyMemberRow.contact_id == contact_id)):
        if f.birthday_calendar and f.birthday_month and f.birthday_day:
            dates.append(
                (
                    f"family:{f.relation} {f.name}".strip(),
                    f.birthday_calendar,
                    f.birthday_year,
                    f.birthday_month,
                    f.birthday_day,
                    f.birthday_leap_month,
                )
            )
    for d in session.scalars(select(PersonalDateRow).where(PersonalDateRow.contact_id == contact_id)):
        dates.append((f"date:{d.label}", d.calendar, d.year, d.month, d.day, d.leap_month))
    return dates


# Generation -------------------------------------------------------------------------------------
def cadence_rules(session: Session) -> list[CadenceRule]:
    return [
        CadenceRule(r.account_class, r.rank_tier, r.business_days, r.care_min_days, r.care_max_days)
        for r in session.scalars(
            select(CadenceRuleRow).order_by(CadenceRuleRow.account_class, CadenceRuleRow.rank_tier)
        )
    ]


def save_cadence_rules(session: Session, rules: list[CadenceRule]) -> None:
    """Replace the team's rules with `rules` (rows kept where a class and rank stay)."""
    existing = {(r.account_class, r.rank_tier): r for r in session.scalars(select(CadenceRuleRow))}
    wanted = {(r.account_class, r.rank_tier): r for r in rules}
    for key, row in existing.items():
        if key not in wanted:
            session.delete(row)
    for key, rule in wanted.items():
        row = existing.get(key) or CadenceRuleRow(account_class=rule.account_class, rank_tier=rule.rank_tier)
        if key not in existing:
            session.add(row)
        for attr in ("business_days", "care_min_days", "care_max_days"):
            if getattr(row, attr) != getattr(rule, attr):
                setattr(row, attr, getattr(rule, attr))


Person = tuple[int, int | None, str | None, str | None, int | None, dt.date | None]


def _last_touches(session: Session) -> dict[int, dt.datetime]:
    """contact → when the latest done activity with them happened."""
    rows = session.execute(
        select(ActivityRow.contact_id, func.max(ActivityRow.occurred_at))
        .where(ActivityRow.status == "done", ActivityRow.contact_id.is_not(None))
        .group_by(ActivityRow.contact_id)
    )
    return {c: t for c, t in rows if c is not None and t is not None}


def people_to_keep_in_touch(session: Session) -> list[Person]:
    """(contact, account, class, rank, our person, last real touch) for everyone at a classed account.

    Our person is whoever last touched them (else the first of our people linked, else the
    account's owner); the last touch is the latest done activity with them.
    """
    last = _last_touches(session)
    first_link = dict(
        session.execute(select(LinkRow.contact_id, func.min(LinkRow.member_id)).group_by(LinkRow.contact_id)).all()
    )
    cls = func.coalesce(AccountRow.pinned_class, AccountRow.computed_class)
    owner = aliased(TeamMemberRow)
    rows = session.execute(
        select(ContactRow.id, ContactRow.account_id, cls, ContactRow.rank_tier, AccountRow.owner_id, owner.active)
        .join(AccountRow, AccountRow.id == ContactRow.account_id)
        .outerjoin(owner, owner.id == AccountRow.owner_id)
        .where(cls.is_not(None))
    )
    people: list[Person] = []
    for contact_id, account_id, account_class, rank, owner_id, _active in rows:
        touched = last.get(contact_id)
        people.append(
            (
                contact_id,
                account_id,
                account_class,
                rank,
                first_link.get(contact_id) or owner_id,
                touched.date() if touched else None,
            )
        )
    return people


def all_personal_dates(session: Session) -> list[tuple[int, str, str, int | None, int, int, bool]]:
    """(contact, label, calendar, year, month, day, leap) of every person's own, family and other dates,
    for contacts at classed accounts (label: "birthday", "family:<relation> <name>" or "date:<label>")."""
    cls = func.coalesce(AccountRow.pinned_class, AccountRow.computed_class)
    classed = select(ContactRow.id).join(AccountRow, AccountRow.id == ContactRow.account_id).where(cls.is_not(None))
    out: list[tuple[int, str, str, int | None, int, int, bool]] = []
    for c in session.execute(
        select(
            ContactRow.id,
            ContactRow.birthday_calendar,
            ContactRow.birthday_year,
            ContactRow.birthday_month,
            ContactRow.birthday_day,
            ContactRow.birthday_leap_month,
        ).where(ContactRow.id.in_(classed), ContactRow.birthday_calendar.is_not(None))
    ):
        if c[1] and c[3] and c[4]:
            out.append((c[0], "birthday", c[1], c[2], c[3], c[4], bool(c[5])))
    for f in session.execute(
        select(
            FamilyMemberRow.contact_id,
            FamilyMemberRow.relation,
            FamilyMemberRow.name,
            FamilyMemberRow.birthday_calendar,
            FamilyMemberRow.birthday_year,
            FamilyMemberRow.birthday_month,
            FamilyMemberRow.birthday_day,
            FamilyMemberRow.birthday_leap_month,
        ).where(FamilyMemberRow.contact_id.in_(classed), FamilyMemberRow.birthday_calendar.is_not(None))
    ):
        if f[3] and f[5] and f[6]:
            out.append((f[0], f"family:{f[1]} {f[2]}".strip(), f[3], f[4], f[5], f[6], bool(f[7])))
    for d in session.execute(
        select(
            PersonalDateRow.contact_id,
            PersonalDateRow.label,
            PersonalDateRow.calendar,
            PersonalDateRow.year,
            PersonalDateRow.month,
            PersonalDateRow.day,
            PersonalDateRow.leap_month,
        ).where(PersonalDateRow.contact_id.in_(classed))
    ):
        out.append((d[0], f"date:{d[1]}", d[2], d[3], d[4], d[5], bool(d[6])))
    return out


def open_generated(session: Session) -> set[tuple[int, str]]:
    """(contact, reason) of every planned item the contact rules made."""
    rows = session.execute(
        select(ActivityRow.contact_id, ActivityRow.reason).where(
            ActivityRow.status == "planned",
            ActivityRow.reason.in_(("cadence", "care")),
            ActivityRow.contact_id.is_not(None),
        )
    )
    return {(c, r) for c, r in rows if c is not None}


def planned_keys(session: Session, prefix: str) -> set[str]:
    return set(session.scalars(select(ActivityRow.generated_key).where(ActivityRow.generated_key.like(prefix + "%"))))


def insert_generated(session: Session, rows: list[dict[str, Any]], by: str, host: str) -> int:
    """Add generated items whose key is not there yet (running a rule twice adds nothing twice)."""
    if not rows:
        return 0
    keys = [r["generated_key"] for r in rows]
    present: set[str] = set()
    for start in range(0, len(keys), 900):  # stay under SQLite's bound-parameter limit
        present |= set(
            session.scalars(
                select(ActivityRow.generated_key).where(ActivityRow.generated_key.in_(keys[start : start + 900]))
            )
        )
    fresh = [r for r in rows if r["generated_key"] not in present]
    if not fresh:
        return 0
    now = utcnow()
    for row in fresh:
        row.update(version=1, created_at=now, updated_at=now, updated_by=by, status="planned")
        row.setdefault("notes", "")
        row.setdefault("outcome", "")
        row.setdefault("subject", "")
        row.setdefault("duration_minutes", 0)
        row.setdefault("important", False)
    session.execute(insert(cast(Table, ActivityRow.__table__)), fresh)
    session.execute(
        insert(cast(Table, ChangeLogRow.__table__)),
        [
            {
                "at": now,
                "by": by,
                "host": host,
                "table_name": "activities",
                "row_id": "",
                "action": "insert",
                "changes_json": json.dumps({"generated": len(fresh), "reason": fresh[0].get("reason", "")}),
            }
        ],
    )
    return len(fresh)


def contacts_for_greetings(
    session: Session,
) -> list[tuple[int, str, int | None, str, str | None, str | None, int | None]]:
    """(contact, name, account id, account name, class, rank, our person) of people at classed accounts."""
    cls = func.coalesce(AccountRow.pinned_class, AccountRow.computed_class)
    first_link = (
        select(LinkRow.contact_id, func.min(LinkRow.member_id).label("member_id"))
        .group_by(LinkRow.contact_id)
        .subquery()
    )
    stmt = (
        select(
            ContactRow.id,
            ContactRow.name,
            AccountRow.id,
            AccountRow.name,
            cls,
            ContactRow.rank_tier,
            func.coalesce(first_link.c.member_id, AccountRow.owner_id),
        )
        .join(AccountRow, AccountRow.id == ContactRow.account_id)
        .outerjoin(first_link, first_link.c.contact_id == ContactRow.id)
        .where(cls.is_not(None), ContactRow.relationship_stage != "stranger")
        .order_by(cls, AccountRow.name_pinyin, ContactRow.name_pinyin)
    )
    return [(i, n, a, an or "", c, r, m) for i, n, a, an, c, r, m in session.execute(stmt)]


def people_for_planning(session: Session, classed_only: bool = True) -> list[PlanPerson]:
    """Every contact (at a classed account unless told) with what the greeting, care and outreach plans read.

    Our person is the first of ours linked to them, else the account's owner; the last touch is the latest
    done activity with them.
    """
    last = _last_touches(session)
    cls = func.coalesce(AccountRow.pinned_class, AccountRow.computed_class)
    first_link = (
        select(LinkRow.contact_id, func.min(LinkRow.member_id).label("member_id"))
        .group_by(LinkRow.contact_id)
        .subquery()
    )
    member_id = func.coalesce(first_link.c.member_id, AccountRow.owner_id)
    member = aliased(TeamMemberRow)
    stmt = (
        select(ContactRow, AccountRow.id, AccountRow.name, cls, member_id, member.name)
        .outerjoin(AccountRow, AccountRow.id == ContactRow.account_id)
        .outerjoin(first_link, first_link.c.contact_id == ContactRow.id)
        .outerjoin(member, member.id == member_id)
        .order_by(cls, AccountRow.name_pinyin, ContactRow.name_pinyin, ContactRow.id)
    )
    if classed_only:
        stmt = stmt.where(cls.is_not(None))
    out = []
    for c, account_id, account_name, account_class, owner, owner_name in session.execute(stmt):
        touched = last.get(c.id)
        out.append(
            PlanPerson(
                c.id,
                c.name,
                account_id,
                account_name or "",
                account_class,
                c.rank_tier,
                c.relationship_stage,
                owner,
                owner_name or "",
                c.city,
                c.hometown,
                c.interests,
                c.preferences,
                c.like_tags,
                touched.date() if touched else None,
            )
        )
    return out


def festival_greetings_of(session: Session, festival: str, year: int) -> dict[int, str]:
    """contact → what their greeting for `festival` of `year` was (subject and outcome), from the agenda."""
    rows = session.execute(
        select(ActivityRow.contact_id, ActivityRow.subject, ActivityRow.outcome).where(
            ActivityRow.generated_key.like(f"festival:{festival}:{year}:%"), ActivityRow.contact_id.is_not(None)
        )
    )
    out: dict[int, str] = {}
    for contact_id, subject, outcome in rows:
        if contact_id is not None:
            out[contact_id] = subject + (f" — {outcome}" if outcome else "")
    return out


def contact_stages(session: Session) -> dict[int, str]:
    """contact → relationship stage, for everyone."""
    return {i: s for i, s in session.execute(select(ContactRow.id, ContactRow.relationship_stage))}


def taboo_tags_of(session: Session, contact_ids: list[int]) -> set[str]:
    """Every taboo tag (gift vocabulary codes) of these contacts together."""
    tags: set[str] = set()
    for text in session.scalars(select(ContactRow.taboo_tags).where(ContactRow.id.in_(contact_ids))):
        tags.update(t.strip() for t in (text or "").split(",") if t.strip())
    return tags


def contact_notes(session: Session, contact_ids: list[int]) -> dict[int, str]:
    """contact → their notes, for those that have any."""
    out: dict[int, str] = {}
    for start in range(0, len(contact_ids), 900):
        chunk = contact_ids[start : start + 900]
        out.update(
            (i, n)
            for i, n in session.execute(select(ContactRow.id, ContactRow.notes).where(ContactRow.id.in_(chunk)))
            if n
        )
    return out
