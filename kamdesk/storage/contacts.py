"""Contacts in the database: the list in SQL, the card, stage history, links, and org-map data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from kamdesk.domain.contacts import (
    Anniversary,
    ContactDetail,
    ContactLink,
    ContactListItem,
    ContactQuery,
    FamilyMember,
    PersonalDate,
    StageChange,
)
from kamdesk.domain.enums import AccountClass, RankTier, RelationshipStage
from kamdesk.domain.gift_vocabulary import LIKE_TAGS, TABOO_TAGS, format_tags, parse_tags
from kamdesk.domain.names import fold, has_han, search_keys
from kamdesk.domain.org_map import (
    MapContact,
    MapLink,
    MapMember,
    OrgMapData,
    stage_gap,
    target_stage,
)
from kamdesk.domain.settings import TeamSettings
from kamdesk.storage.database import check_version
from kamdesk.storage.errors import MissingMemberError
from kamdesk.storage.record_stamps import touch, versioning_children
from kamdesk.storage.tables import (
    AccountRow,
    AccountTeamRow,
    ChangeLogRow,
    ContactRow,
    ContactSearchRow,
    ContactStageHistoryRow,
    FamilyMemberRow,
    LinkRow,
    PersonalDateRow,
    TeamMemberRow,
)


def find_account_ids(session: Session, name: str) -> list[int]:
    """Accounts whose name is `name` exactly, else those containing it (for the command line)."""
    exact = list(session.scalars(select(AccountRow.id).where(AccountRow.name == name)))
    if exact:
        return exact
    pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(
        session.scalars(
            select(AccountRow.id).where(AccountRow.name.like(pattern, escape="\\")).order_by(AccountRow.name).limit(20)
        )
    )


def org_map_data(session: Session, account_id: int) -> OrgMapData | None:
    """Their people at the account, ours on its team or linked to them, and the links between."""
    account = session.get(AccountRow, account_id)
    if account is None:
        return None
    theirs = [
        MapContact(c.id, c.name, c.title, c.rank_tier, c.buying_role, c.reports_to_id, c.relationship_stage)
        for c in session.scalars(
            select(ContactRow)
            .where(ContactRow.account_id == account_id)
            .order_by(ContactRow.rank_tier, ContactRow.name_pinyin, ContactRow.id)
        )
    ]
    contact_ids = [c.id for c in theirs]
    links = [
        MapLink(r.member_id, r.contact_id, r.relationship_stage, r.id)
        for r in session.scalars(select(LinkRow).where(LinkRow.contact_id.in_(contact_ids)).order_by(LinkRow.id))
    ]
    roles = dict(
        session.execute(
            select(AccountTeamRow.member_id, AccountTeamRow.role).where(AccountTeamRow.account_id == account_id)
        ).all()
    )
    member_ids = set(roles) | {link.member_id for link in links}
    ours = [
        MapMember(m.id, m.name, m.title, m.rank_tier, roles.get(m.id))
        for m in session.scalars(
            select(TeamMemberRow)
            .where(or_(TeamMemberRow.id.in_(member_ids)))
            .order_by(TeamMemberRow.rank_tier, TeamMemberRow.name_pinyin)
        )
    ]
    cls = account.pinned_class or account.computed_class
    return OrgMapData(
        account.id, account.name, AccountClass(cls) if cls else None, tuple(theirs), tuple(ours), tuple(links)
    )


# The list ---------------------------------------------------------------------------------------
_ACCOUNT_CLASS = func.coalesce(AccountRow.pinned_class, AccountRow.computed_class)
_STAGE_ORDER = case({s.value: s.order for s in RelationshipStage}, value=ContactRow.relationship_stage, else_=0)


def _target_order(settings: TeamSettings) -> Any:
    """SQL for the order of each contact's target stage (NULL when class or rank is unknown)."""
    whens = [
        (and_(_ACCOUNT_CLASS == cls.value, ContactRow.rank_tier == rank.value), settings.target_stage(cls, rank).order)
        for cls in AccountClass
        for rank in RankTier
    ]
    return case(*whens, else_=None)


def _gap(settings: TeamSettings) -> Any:
    return _target_order(settings) - _STAGE_ORDER


_PLAIN_SORTS: dict[str, Any] = {
    "name": ContactRow.name_pinyin,
    "account": AccountRow.name_pinyin,
    "title": ContactRow.title,
    "rank": case({r.value: i for i, r in enumerate(RankTier)}, value=ContactRow.rank_tier, else_=9),
    "role": ContactRow.buying_role,
    "stage": _STAGE_ORDER,
    "city": ContactRow.city,
    "hometown": ContactRow.hometown,
    "last_contact": ContactRow.last_contact_on,
}


def _contact_sort(key: str, settings: TeamSettings) -> Any:
    """The SQL a column sorts by; target and gap depend on the team's matrix, so they are built here."""
    if key == "target":
        return _target_order(settings)
    if key == "gap":
        return func.coalesce(_gap(settings), -99)
    return _PLAIN_SORTS.get(key, ContactRow.name_pinyin)


def _like(text: str, where: str = "both") -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return (escaped + "%") if where == "prefix" else f"%{escaped}%"


#: Above this many matches, walking the sorted name index beats sorting the matches.
MANY_MATCHES = 3_000


def _search_condition(text: str) -> Any:
    """WHERE over contact_search: the contact's search line or its company matches `text`."""
    # One narrow table holds each contact's searchable line (name, pinyin, initials, title, city,
    # hometown); companies are matched once in their own small table.
    # Folding drops punctuation; a search of only punctuation then looks for itself, literally.
    pattern = _like(text if has_han(text) else (fold(text) or text.lower()))
    companies = select(AccountRow.id).where(
        or_(
            AccountRow.name.like(_like(text), escape="\\"),
            AccountRow.name_pinyin.like(pattern, escape="\\"),
            AccountRow.name_initials.like(_like(fold(text) or text, "prefix"), escape="\\"),
        )
    )
    return or_(ContactSearchRow.text.like(pattern, escape="\\"), ContactSearchRow.account_id.in_(companies))


def _search_matches(text: str) -> Any:
    """SELECT of the ids of contacts whose search line or company matches `text`."""
    return select(ContactSearchRow.contact_id).where(_search_condition(text))


def search_ids(session: Session, text: str, limit: int) -> list[int]:
    """Ids of up to `limit` contacts the search text finds (one scan of the narrow search table)."""
    return list(session.scalars(_search_matches(text).limit(limit)))


# The search lines kept in memory (services/contact_search.py) ------------------------------------
def search_lines(
    session: Session, contact_ids: list[int] | None = None
) -> list[tuple[int, int | None, str, str | None]]:
    """(contact id, account id, search line, name pinyin) of every contact, or of `contact_ids`.

    The narrow search table and the name index only: the contacts' own wide rows are not read."""
    return [line for batch in search_line_batches(session, contact_ids) for line in batch]


def search_line_batches(
    session: Session, contact_ids: list[int] | None = None, batch: int = 2_000
) -> Iterator[list[tuple[int, int | None, str, str | None]]]:
    """`search_lines` in batches of `batch` (between them the caller may let other threads run)."""
    stmt = select(
        ContactSearchRow.contact_id, ContactSearchRow.account_id, ContactSearchRow.text, ContactRow.name_pinyin
    ).join(ContactRow, ContactRow.id == ContactSearchRow.contact_id)
    if contact_ids is not None:
        stmt = stmt.where(ContactSearchRow.contact_id.in_(contact_ids))
    for rows in session.execute(stmt).partitions(batch):
        yield [(r[0], r[1], r[2] or "", r[3]) for r in rows]


def company_lines(session: Session, account_ids: list[int] | None = None) -> list[tuple[int, str, str, str]]:
    """(account id, name, name pinyin, initials) of every account, or of `account_ids`."""
    stmt = select(AccountRow.id, AccountRow.name, AccountRow.name_pinyin, AccountRow.name_initials)
    if account_ids is not None:
        stmt = stmt.where(AccountRow.id.in_(account_ids))
    return [(r[0], r[1] or "", r[2] or "", r[3] or "") for r in session.execute(stmt)]


def changed_since(session: Session, change_id: int) -> tuple[int, set[int], set[int]]:
    """(latest change id, contacts changed, accounts changed) in the change log after `change_id`."""
    # A range of the log's own key (the tables are told apart here, so no index on them is walked).
    rows = session.execute(
        select(ChangeLogRow.id, ChangeLogRow.table_name, ChangeLogRow.row_id)
        .where(ChangeLogRow.id > change_id)
        .order_by(ChangeLogRow.id)
    ).all()
    contacts: set[int] = set()
    accounts: set[int] = set()
    for _id, table, row_id in rows:
        if table in ("contacts", "accounts") and str(row_id).isdigit():
            (contacts if table == "contacts" else accounts).add(int(row_id))
    return (rows[-1][0] if rows else change_id), contacts, accounts


def latest_change(session: Session) -> int:
    """The newest change-log id (0 for none): the search lines read now are as of it."""
    return int(session.scalar(select(func.max(ChangeLogRow.id))) or 0)


def _contact_filter(
    stmt: Any, query: ContactQuery, settings: TeamSettings, many: bool = False, ids: list[int] | None = None
) -> Any:
    text = query.search.strip()
    if text and ids is not None:
        stmt = stmt.where(ContactRow.id.in_(ids))  # the matches are known: no second scan
    elif text and many:
        # With many matches, walk the contacts in sort order and look each one's search line up by
        # key: the first page is found after a few hundred rows instead of sorting thousands.
        stmt = stmt.join(ContactSearchRow, ContactSearchRow.contact_id == ContactRow.id).where(_search_condition(text))
    elif text:
        stmt = stmt.where(ContactRow.id.in_(_search_matches(text)))
    if query.account_class is not None:
        stmt = stmt.where(_ACCOUNT_CLASS == query.account_class.value)
    for column, wanted in (
        (ContactRow.rank_tier, query.rank_tier),
        (ContactRow.buying_role, query.buying_role),
        (ContactRow.relationship_stage, query.stage),
        (ContactRow.account_id, query.account_id),
    ):
        if wanted is not None:
            stmt = stmt.where(column == wanted)
    if query.gap == "below":
        stmt = stmt.where(_gap(settings) > 0)
    elif query.gap == "met":
        stmt = stmt.where(_gap(settings) <= 0)
    elif query.gap == "none":
        stmt = stmt.where(_target_order(settings).is_(None))
    return stmt


def count_contacts(session: Session, query: ContactQuery, settings: TeamSettings, ids: list[int] | None = None) -> int:
    text = query.search.strip()
    if text and ids is not None and only_search(query):
        return len(ids)
    if text and only_search(query) and ids is None:
        # Search alone: count the narrow search table rather than the contacts.
        return int(session.scalar(select(func.count()).select_from(_search_matches(text).subquery())) or 0)
    stmt = select(func.count(ContactRow.id)).select_from(ContactRow)
    if query.account_class is not None or query.gap is not None:  # both need the account's class
        stmt = stmt.outerjoin(AccountRow, ContactRow.account_id == AccountRow.id)
    return int(session.scalar(_contact_filter(stmt, query, settings, ids=ids)) or 0)


def only_search(query: ContactQuery) -> bool:
    """True when the query searches but filters nothing else."""
    return query == ContactQuery(search=query.search, sort_key=query.sort_key, descending=query.descending)


def contact_page(
    session: Session,
    query: ContactQuery,
    settings: TeamSettings,
    offset: int,
    limit: int,
    total: int | None = None,
    ids: list[int] | None = None,
) -> list[ContactListItem]:
    """One page of contacts as the query sorts and filters them.

    `total` (the count, when known) lets a broad search walk the name index; `ids` (every match of
    the search text, when known) saves scanning the search table again.
    """
    sort = _contact_sort(query.sort_key, settings)
    stmt = (
        _list_columns()
        .order_by(sort.desc() if query.descending else sort.asc(), ContactRow.id)
        .offset(offset)
        .limit(limit)
    )
    many = query.sort_key == "name" and (total or 0) > MANY_MATCHES
    return [_list_item(r, settings) for r in session.execute(_contact_filter(stmt, query, settings, many, ids))]


def list_items_between(
    session: Session, settings: TeamSettings, first_id: int, last_id: int, batch: int = 250
) -> Iterator[list[ContactListItem]]:
    """The list rows of the contacts whose id is in [first_id, last_id], in id order and in batches of
    `batch`: a short walk of the table's own key (pages side by side), for reading every row in short reads
    one after another; between batches the caller may let other threads run (the GUI's, say)."""
    stmt = _list_columns().where(ContactRow.id.between(first_id, last_id)).order_by(ContactRow.id)
    known: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for rows in session.execute(stmt).partitions(batch):
        yield [_list_item(r, settings, known) for r in rows]


def page_bytes(session: Session) -> int:
    """The file's page size (bytes): on a file server each page read is a request of its own."""
    return int(session.connection().exec_driver_sql("PRAGMA page_size").scalar() or 0)


def list_items_of(session: Session, settings: TeamSettings, ids: list[int]) -> list[ContactListItem]:
    """The list rows of the contacts `ids` (each looked up by key; in no particular order)."""
    return [_list_item(r, settings) for r in session.execute(_list_columns().where(ContactRow.id.in_(ids)))]


def _list_columns() -> Any:
    c = ContactRow
    return select(
        c.id,
        c.name,
        AccountRow.name,
        _ACCOUNT_CLASS,
        c.title,
        c.rank_tier,
        c.buying_role,
        c.relationship_stage,
        c.city,
        c.hometown,
        c.last_contact_on,
    ).outerjoin(AccountRow, c.account_id == AccountRow.id)


def _list_item(
    r: Any, settings: TeamSettings, known: dict[tuple[Any, ...], tuple[Any, ...]] | None = None
) -> ContactListItem:
    """A list row from its columns; `known` keeps what the class, rank and stage give (many rows share them)."""
    key = (r[3], r[5], r[7])
    judged = known.get(key) if known is not None else None
    if judged is None:
        cls = AccountClass(r[3]) if r[3] else None
        target = target_stage(settings, cls, _enum(RankTier, r[5]))
        stage = _enum(RelationshipStage, r[7]) or RelationshipStage.STRANGER
        judged = (cls, stage.value, target.value if target else None, stage_gap(stage, target))
        if known is not None:
            known[key] = judged
    cls, stage_value, target_value, gap = judged
    return ContactListItem(
        r[0], r[1], r[2] or "", cls, r[4], r[5], r[6], stage_value, target_value, gap, r[8], r[9], r[10]
    )


def _enum(kind: Any, value: str | None) -> Any:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


# The card ---------------------------------------------------------------------------------------
def _date_of(
    calendar: str | None, year: int | None, month: int | None, day: int | None, leap: bool
) -> PersonalDate | None:
    if not calendar or not month or not day:
        return None
    return PersonalDate(calendar, year, month, day, bool(leap))


def contact_detail(session: Session, contact_id: int) -> ContactDetail | None:
    row = session.get(ContactRow, contact_id)
    if row is None:
        return None
    account = session.get(AccountRow, row.account_id) if row.account_id else None
    cls = (account.pinned_class or account.computed_class) if account else None
    detail = ContactDetail(
        id=row.id,
        version=row.version,
        name=row.name,
        account_id=row.account_id,
        account_name=account.name if account else "",
        account_class=AccountClass(cls) if cls else None,
        title=row.title,
        rank_tier=row.rank_tier,
        buying_role=row.buying_role,
        reports_to_id=row.reports_to_id,
        relationship_stage=row.relationship_stage,
        mobile=row.mobile,
        phone=row.phone,
        email=row.email,
        wechat=row.wechat,
        address=row.address,
        birthday=_date_of(
            row.birthday_calendar, row.birthday_year, row.birthday_month, row.birthday_day, row.birthday_leap_month
        ),
        city=row.city,
        hometown=row.hometown,
        interests=row.interests,
        preferences=row.preferences,
        taboos=row.taboos,
        like_tags=parse_tags(row.like_tags) & set(LIKE_TAGS),
        taboo_tags=parse_tags(row.taboo_tags) & set(TABOO_TAGS),
        personality_type=row.personality_type,
        notes=row.notes,
        last_contact_on=row.last_contact_on,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )
    detail.family = [
        FamilyMember(
            f.name,
            f.relation,
            _date_of(f.birthday_calendar, f.birthday_year, f.birthday_month, f.birthday_day, f.birthday_leap_month),
            f.notes,
        )
        for f in session.scalars(
            select(FamilyMemberRow).where(FamilyMemberRow.contact_id == contact_id).order_by(FamilyMemberRow.id)
        )
    ]
    detail.anniversaries = [
        Anniversary(d.label, PersonalDate(d.calendar, d.year, d.month, d.day, d.leap_month))
        for d in session.scalars(
            select(PersonalDateRow)
            .where(PersonalDateRow.contact_id == contact_id)
            .order_by(PersonalDateRow.month, PersonalDateRow.day, PersonalDateRow.id)
        )
    ]
    detail.links = [
        ContactLink(link.member_id, link.relationship_stage, link.last_contact_on, name, bool(active))
        for link, name, active in session.execute(
            select(LinkRow, TeamMemberRow.name, TeamMemberRow.active)
            .join(TeamMemberRow, TeamMemberRow.id == LinkRow.member_id)
            .where(LinkRow.contact_id == contact_id)
            .order_by(LinkRow.id)
        )
    ]
    detail.history = [
        StageChange(h.stage, h.changed_on, h.changed_by, h.reason)
        for h in session.scalars(
            select(ContactStageHistoryRow)
            .where(ContactStageHistoryRow.contact_id == contact_id)
            .order_by(ContactStageHistoryRow.changed_on.desc(), ContactStageHistoryRow.id.desc())
        )
    ]
    return detail


def reports_chain(session: Session, account_id: int | None) -> dict[int, int | None]:
    """Whom each contact of the account reports to (for the reports-to cycle check)."""
    if account_id is None:
        return {}
    return dict(
        session.execute(
            select(ContactRow.id, ContactRow.reports_to_id).where(ContactRow.account_id == account_id)
        ).all()
    )


def colleagues(session: Session, account_id: int) -> list[tuple[int, str, str]]:
    """(id, name, title) of everyone at an account, for the reports-to choice."""
    return [
        (i, n, t)
        for i, n, t in session.execute(
            select(ContactRow.id, ContactRow.name, ContactRow.title)
            .where(ContactRow.account_id == account_id)
            .order_by(ContactRow.rank_tier, ContactRow.name_pinyin)
        )
    ]


def possible_duplicates(session: Session, detail: ContactDetail) -> list[str]:
    """Other contacts with the same name at the same account, or the same mobile, e-mail or WeChat."""
    checks = [and_(ContactRow.name == detail.name.strip(), ContactRow.account_id == detail.account_id)]
    for column, value in (
        (ContactRow.mobile, detail.mobile),
        (ContactRow.email, detail.email),
        (ContactRow.wechat, detail.wechat),
    ):
        if value.strip():
            checks.append(column == value.strip())
    stmt = (
        select(ContactRow.name, AccountRow.name)
        .outerjoin(AccountRow, ContactRow.account_id == AccountRow.id)
        .where(or_(*checks))
        .limit(5)
    )
    if detail.id is not None:
        stmt = stmt.where(ContactRow.id != detail.id)
    return [f"{name} ({company})" if company else name for name, company in session.execute(stmt)]


def save_contact(session: Session, detail: ContactDetail, by: str) -> int:
    """Insert or update a contact with family, dates and links; a stale version raises ConflictError."""
    if detail.id is None:
        row = ContactRow(name=detail.name.strip())
        session.add(row)
    else:
        found = session.get(ContactRow, detail.id)
        check_version(found, detail.version, table="contacts", row_id=detail.id)
        assert found is not None
        row = found
    birthday = detail.birthday
    values: dict[str, Any] = {
        "name": detail.name.strip(),
        "account_id": detail.account_id,
        "title": detail.title.strip(),
        "rank_tier": detail.rank_tier,
        "buying_role": detail.buying_role,
        "reports_to_id": detail.reports_to_id,
        "mobile": detail.mobile.strip(),
        "phone": detail.phone.strip(),
        "email": detail.email.strip(),
        "wechat": detail.wechat.strip(),
        "address": detail.address,
        "city": detail.city.strip(),
        "hometown": detail.hometown.strip(),
        "interests": detail.interests,
        "preferences": detail.preferences,
        "taboos": detail.taboos,
        "like_tags": format_tags(set(detail.like_tags) & set(LIKE_TAGS)),
        "taboo_tags": format_tags(set(detail.taboo_tags) & set(TABOO_TAGS)),
        "personality_type": detail.personality_type,
        "notes": detail.notes,
        "birthday_calendar": birthday.calendar if birthday else None,
        "birthday_year": birthday.year if birthday else None,
        "birthday_month": birthday.month if birthday else None,
        "birthday_day": birthday.day if birthday else None,
        "birthday_leap_month": birthday.leap_month if birthday else False,
    }
    pinyin, initials = search_keys(detail.name.strip(), person=True)
    values.update(name_pinyin=pinyin, name_initials=initials)
    if detail.stage_update is not None and detail.stage_update.stage != row.relationship_stage:
        values["relationship_stage"] = detail.stage_update.stage
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
    session.flush()
    if "relationship_stage" in values:
        update = detail.stage_update
        assert update is not None
        session.add(
            ContactStageHistoryRow(
                contact_id=row.id,
                stage=update.stage,
                changed_on=update.changed_on,
                changed_by=by,
                reason=update.reason.strip(),
            )
        )
    with versioning_children(session, row, new=detail.id is None):
        _replace_children(session, row.id, detail)
    return row.id


def _replace_children(session: Session, contact_id: int, detail: ContactDetail) -> None:
    """Family, anniversaries and links as the card shows them (rows kept where unchanged)."""
    family = {
        (f.name, f.relation): f
        for f in session.scalars(select(FamilyMemberRow).where(FamilyMemberRow.contact_id == contact_id))
    }
    wanted_family = {(f.name.strip(), f.relation.strip()): f for f in detail.family}
    for key, row in family.items():
        if key not in wanted_family:
            session.delete(row)
    for key, member in wanted_family.items():
        family_row = family.get(key) or FamilyMemberRow(contact_id=contact_id, name=key[0], relation=key[1])
        if key not in family:
            session.add(family_row)
        b = member.birthday
        for attr, value in (
            ("birthday_calendar", b.calendar if b else None),
            ("birthday_year", b.year if b else None),
            ("birthday_month", b.month if b else None),
            ("birthday_day", b.day if b else None),
            ("birthday_leap_month", b.leap_month if b else False),
            ("notes", member.notes),
        ):
            if getattr(family_row, attr) != value:
                setattr(family_row, attr, value)
    dates = {
        (d.label, d.calendar, d.year, d.month, d.day, d.leap_month): d
        for d in session.scalars(select(PersonalDateRow).where(PersonalDateRow.contact_id == contact_id))
    }
    wanted_dates = {
        (a.label.strip(), a.date.calendar, a.date.year, a.date.month, a.date.day, a.date.leap_month)
        for a in detail.anniversaries
    }
    for date_key, date_row in dates.items():
        if date_key not in wanted_dates:
            session.delete(date_row)
    for label, cal, year, month, day, leap in wanted_dates - set(dates):
        session.add(
            PersonalDateRow(
                contact_id=contact_id, label=label, calendar=cal, year=year, month=month, day=day, leap_month=leap
            )
        )
    _replace_links(session, contact_id, detail.links)


def _replace_links(session: Session, contact_id: int, links: list[ContactLink]) -> None:
    existing = {
        link.member_id: link for link in session.scalars(select(LinkRow).where(LinkRow.contact_id == contact_id))
    }
    wanted = {link.member_id: link for link in links}
    missing = set(wanted) - set(existing)
    if missing:
        present = set(session.scalars(select(TeamMemberRow.id).where(TeamMemberRow.id.in_(missing))))
        if present != missing:
            raise MissingMemberError(sorted(missing - present))
    for member_id, old in existing.items():
        if member_id not in wanted:
            session.delete(old)
    for member_id, link in wanted.items():
        row = existing.get(member_id)
        if row is None:
            session.add(
                LinkRow(
                    member_id=member_id,
                    contact_id=contact_id,
                    relationship_stage=link.stage,
                    last_contact_on=link.last_contact_on,
                )
            )
        elif (row.relationship_stage, row.last_contact_on) != (link.stage, link.last_contact_on):
            row.relationship_stage, row.last_contact_on = link.stage, link.last_contact_on


def add_link(session: Session, member_id: int, contact_id: int, stage: str) -> bool:
    """Tie one of ours to one of theirs (from the map); False when the tie already exists."""
    if session.get(TeamMemberRow, member_id) is None:
        raise MissingMemberError([member_id])
    exists = session.scalar(select(LinkRow.id).where(LinkRow.member_id == member_id, LinkRow.contact_id == contact_id))
    if exists is not None:
        return False
    session.add(LinkRow(member_id=member_id, contact_id=contact_id, relationship_stage=stage))
    touch(session.get(ContactRow, contact_id))
    return True


def delete_contact(session: Session, contact_id: int, expected_version: int) -> None:
    row = session.get(ContactRow, contact_id)
    check_version(row, expected_version, table="contacts", row_id=contact_id)
    session.delete(row)


def account_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every account, for choosing a contact's company."""
    return [(i, n) for i, n in session.execute(select(AccountRow.id, AccountRow.name).order_by(AccountRow.name_pinyin))]


# Dashboard --------------------------------------------------------------------------------------
def target_heat(session: Session, settings: TeamSettings) -> dict[tuple[str, str], tuple[int, int]]:
    """(class, rank) → (contacts with a target, those at or above it)."""
    gap = _gap(settings)
    stmt = (
        select(_ACCOUNT_CLASS, ContactRow.rank_tier, func.count(ContactRow.id), func.sum(case((gap <= 0, 1), else_=0)))
        .join(AccountRow, ContactRow.account_id == AccountRow.id)
        .where(gap.is_not(None))
        .group_by(_ACCOUNT_CLASS, ContactRow.rank_tier)
    )
    return {(str(cls), str(rank)): (int(n), int(met or 0)) for cls, rank, n, met in session.execute(stmt)}


def largest_gaps(session: Session, settings: TeamSettings, limit: int = 10) -> list[tuple[int, str, str, int, int]]:
    """Accounts with the most stages still to go: (id, name, class, stages to go, people below target)."""
    gap = _gap(settings)
    short = case((gap > 0, gap), else_=0)
    total = func.sum(short)
    stmt = (
        select(AccountRow.id, AccountRow.name, _ACCOUNT_CLASS, total, func.sum(case((gap > 0, 1), else_=0)))
        .join(ContactRow, ContactRow.account_id == AccountRow.id)
        .group_by(AccountRow.id)
        .having(total > 0)
        .order_by(total.desc(), AccountRow.id)
        .limit(limit)
    )
    return [(i, n, str(c or ""), int(t), int(b)) for i, n, c, t, b in session.execute(stmt)]


def account_class(session: Session, account_id: int) -> AccountClass | None:
    """The class a company works with (pinned, else computed)."""
    row = session.get(AccountRow, account_id)
    value = (row.pinned_class or row.computed_class) if row else None
    return AccountClass(value) if value else None
