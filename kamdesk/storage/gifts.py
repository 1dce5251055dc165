"""Gifts, hospitality and visits in the database: catalogue, register, recipients, visits, schedules."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from kamdesk.domain.gift_vocabulary import ATTRIBUTES, CATEGORIES, OCCASIONS, format_tags, parse_tags
from kamdesk.domain.gifts import (
    NOT_ACCEPTED,
    CatalogueItem,
    GiftScheduleRow,
    MailingLabel,
    PastGift,
    Recipient,
    RegisterEntry,
    Visit,
    VisitScheduleRow,
)
from kamdesk.i18n import _
from kamdesk.storage.database import check_version
from kamdesk.storage.tables import (
    AccountRow,
    ContactRow,
    GiftCatalogueRow,
    GiftRow,
    SettingRow,
    TeamMemberRow,
    VisitRow,
)

_ENTRY_FIELDS = (
    "kind",
    "item",
    "value_cents",
    "given_on",
    "direction",
    "account_id",
    "contact_id",
    "member_id",
    "occasion",
    "people_ours",
    "people_theirs",
    "approved_by",
    "approved_on",
    "delivery",
    "status",
    "notes",
)
_VISIT_FIELDS = (
    "starts_at",
    "kind",
    "account_id",
    "contact_id",
    "people_theirs",
    "member_id",
    "people_ours",
    "purpose",
    "plan_meal",
    "plan_gift",
    "plan_activity",
    "headcount",
    "budget_cents",
    "outcome",
    "status",
    "place",
)


# Settings kept as JSON rows -------------------------------------------------------------------------
def get_json(session: Session, key: str) -> Any:
    row = session.get(SettingRow, key)
    return json.loads(row.value_json) if row is not None else None


def set_json(session: Session, key: str, value: Any) -> None:
    row = session.get(SettingRow, key)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(SettingRow(key=key, value_json=text))
    elif row.value_json != text:
        row.value_json = text


# Catalogue ----------------------------------------------------------------------------------------
def catalogue(session: Session, include_inactive: bool = False) -> list[CatalogueItem]:
    stmt = select(GiftCatalogueRow).order_by(GiftCatalogueRow.kind, GiftCatalogueRow.unit_cost_cents)
    if not include_inactive:
        stmt = stmt.where(GiftCatalogueRow.active.is_(True))
    return [_catalogue_item(r) for r in session.scalars(stmt)]


def _catalogue_item(r: GiftCatalogueRow) -> CatalogueItem:
    """The row as stored: empty occasions stay empty here (the editor shows them as such);
    CatalogueItem.planning_tags() fills them from the vocabulary when a planner reads the item."""
    return CatalogueItem(
        r.item,
        r.kind,
        r.unit_cost_cents,
        r.supplier,
        r.notes,
        r.active,
        r.id,
        r.version,
        occasions=parse_tags(r.occasions) & set(OCCASIONS),
        category=r.category if r.category in CATEGORIES else "",
        attributes=parse_tags(r.attributes) & set(ATTRIBUTES),
        origin=r.origin or "",
    )


@dataclass
class _CatalogueValues:
    """A catalogue item with its tags as the stored text, for _save_row."""

    id: int | None
    version: int
    item: str
    kind: str
    unit_cost_cents: int
    supplier: str
    notes: str
    active: bool
    occasions: str
    category: str
    attributes: str
    origin: str


def _save_row(session: Session, row_type: Any, value: Any, fields: Iterable[str], table: str) -> int:
    """Insert `value` as a new `row_type` row (id None) or update its row after the version check; only
    the fields that changed are set, so the change log lists just those. Returns the row's id."""
    if value.id is None:
        row = row_type()
        session.add(row)
    else:
        row = session.get(row_type, value.id)
        check_version(row, value.version, table=table, row_id=value.id)
    for name in fields:
        if getattr(row, name) != getattr(value, name):
            setattr(row, name, getattr(value, name))
    session.flush()
    return int(row.id)


def _delete_row(session: Session, row_type: Any, row_id: int, version: int, table: str) -> None:
    row = session.get(row_type, row_id)
    check_version(row, version, table=table, row_id=row_id)
    session.delete(row)


def save_catalogue_item(session: Session, item: CatalogueItem) -> int:
    values = _CatalogueValues(
        item.id,
        item.version,
        item.item,
        item.kind,
        item.unit_cost_cents,
        item.supplier,
        item.notes,
        item.active,
        format_tags(set(item.occasions) & set(OCCASIONS)),
        item.category if item.category in CATEGORIES else "",
        format_tags(set(item.attributes) & set(ATTRIBUTES)),
        item.origin.strip(),
    )
    return _save_row(
        session,
        GiftCatalogueRow,
        values,
        (
            "item",
            "kind",
            "unit_cost_cents",
            "supplier",
            "notes",
            "active",
            "occasions",
            "category",
            "attributes",
            "origin",
        ),
        "gift_catalogue",
    )


# Register -----------------------------------------------------------------------------------------
#: Who gave or received, for the register's reads (made once: an alias made at every read left its cyclic
#: metadata for the garbage collector).
_ENTRY_MEMBER = aliased(TeamMemberRow, name="entry_member")
#: The register's columns, read as plain rows rather than ORM objects: a year's 5,000 entries as objects made
#: about seven tracked Python objects each, walked by any garbage collection on the GUI thread while the read
#: held them (issue 24).
_ENTRY_COLUMNS = (GiftRow.id, GiftRow.version, *(getattr(GiftRow, name) for name in _ENTRY_FIELDS))


def _entry_select() -> Any:
    return (
        select(*_ENTRY_COLUMNS, AccountRow.name, ContactRow.name, _ENTRY_MEMBER.name)
        .outerjoin(AccountRow, AccountRow.id == GiftRow.account_id)
        .outerjoin(ContactRow, ContactRow.id == GiftRow.contact_id)
        .outerjoin(_ENTRY_MEMBER, _ENTRY_MEMBER.id == GiftRow.member_id)
    )


def _entry(row: Any) -> RegisterEntry:
    """A register entry from a row of `_entry_select`: id, version, the fields, then the three names."""
    entry = RegisterEntry(**dict(zip(_ENTRY_FIELDS, row[2 : 2 + len(_ENTRY_FIELDS)], strict=True)))
    entry.id, entry.version = row[0], row[1]
    account, contact, member = row[2 + len(_ENTRY_FIELDS) :]
    entry.account_name, entry.contact_name, entry.member_name = account or "", contact or "", member or ""
    return entry


def register(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    account_id: int | None = None,
    contact_id: int | None = None,
    member_id: int | None = None,
    search: str = "",
    limit: int = 5000,
) -> list[RegisterEntry]:
    stmt = _entry_select().where(GiftRow.given_on >= start, GiftRow.given_on <= end)
    if account_id is not None:
        stmt = stmt.where(GiftRow.account_id == account_id)
    if contact_id is not None:
        stmt = stmt.where(GiftRow.contact_id == contact_id)
    if member_id is not None:
        stmt = stmt.where(GiftRow.member_id == member_id)
    if search.strip():
        pattern = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                GiftRow.item.like(pattern, escape="\\"),
                AccountRow.name.like(pattern, escape="\\"),
                ContactRow.name.like(pattern, escape="\\"),
                GiftRow.occasion.like(pattern, escape="\\"),
            )
        )
    stmt = stmt.order_by(GiftRow.given_on.desc(), GiftRow.id.desc()).limit(limit)
    return [_entry(row) for row in session.execute(stmt)]


def get_entry(session: Session, entry_id: int) -> RegisterEntry | None:
    row = session.execute(_entry_select().where(GiftRow.id == entry_id)).first()
    return _entry(row) if row is not None else None


def person_year_total(session: Session, contact_id: int, year: int, direction: str, exclude_id: int | None) -> int:
    stmt = select(func.coalesce(func.sum(GiftRow.value_cents), 0)).where(
        GiftRow.contact_id == contact_id,
        GiftRow.direction == direction,
        GiftRow.given_on >= dt.date(year, 1, 1),
        GiftRow.given_on <= dt.date(year, 12, 31),
        GiftRow.status.not_in(NOT_ACCEPTED),
    )
    if exclude_id is not None:
        stmt = stmt.where(GiftRow.id != exclude_id)
    return int(session.scalar(stmt) or 0)


def save_entry(session: Session, entry: RegisterEntry) -> int:
    return _save_row(session, GiftRow, entry, _ENTRY_FIELDS, "gifts")


def delete_entry(session: Session, entry_id: int, version: int) -> None:
    _delete_row(session, GiftRow, entry_id, version, "gifts")


def year_summary(session: Session, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(entries, value given in cents) in the range."""
    count = (
        session.scalar(
            select(func.count()).select_from(GiftRow).where(GiftRow.given_on >= start, GiftRow.given_on <= end)
        )
        or 0
    )
    given = session.scalar(
        select(func.coalesce(func.sum(GiftRow.value_cents), 0)).where(
            GiftRow.given_on >= start, GiftRow.given_on <= end, GiftRow.direction == "given"
        )
    )
    return int(count), int(given or 0)


def totals(session: Session, start: dt.date, end: dt.date, by: str, limit: int = 50) -> list[tuple[str, int, int]]:
    """(name, entries, value in cents) per contact or account in the range, largest first (given only)."""
    table, key = (ContactRow, GiftRow.contact_id) if by == "contact" else (AccountRow, GiftRow.account_id)
    rows = session.execute(
        select(table.name, func.count(), func.sum(GiftRow.value_cents))
        .join(table, table.id == key)
        .where(GiftRow.given_on >= start, GiftRow.given_on <= end, GiftRow.direction == "given")
        .group_by(table.id)
        .order_by(func.sum(GiftRow.value_cents).desc())
        .limit(limit)
    )
    return [(r[0], int(r[1]), int(r[2] or 0)) for r in rows]


def insert_planned(session: Session, entries: list[tuple[str, RegisterEntry]]) -> int:
    """Add planned gifts whose plan key is not there yet; returns how many were added."""
    keys = [k for k, _e in entries]
    present: set[str] = set()
    for start in range(0, len(keys), 900):
        present |= set(
            session.scalars(select(GiftRow.planned_key).where(GiftRow.planned_key.in_(keys[start : start + 900])))
        )
    added = 0
    for key, entry in entries:
        if key in present:
            continue
        row = GiftRow(kind=entry.kind, item=entry.item, given_on=entry.given_on, planned_key=key)
        for name in _ENTRY_FIELDS:
            setattr(row, name, getattr(entry, name))
        session.add(row)
        added += 1
    session.flush()
    return added


# Recipients ----------------------------------------------------------------------------------------
def recipients(session: Session, account_id: int | None = None, contact_id: int | None = None) -> list[Recipient]:
    """Everyone at classed accounts, with the account's class and owner (who delivers); with `contact_id`,
    that one person whatever their account."""
    cls = func.coalesce(AccountRow.pinned_class, AccountRow.computed_class)
    member = aliased(TeamMemberRow)
    stmt = (
        select(
            ContactRow.id,
            ContactRow.name,
            AccountRow.id,
            AccountRow.name,
            cls,
            ContactRow.rank_tier,
            AccountRow.owner_id,
            member.name,
            ContactRow.city,
            ContactRow.address,
            ContactRow.preferences,
            ContactRow.taboos,
            ContactRow.buying_role,
            ContactRow.hometown,
            ContactRow.relationship_stage,
            ContactRow.interests,
            ContactRow.like_tags,
            ContactRow.taboo_tags,
            func.coalesce(func.nullif(ContactRow.personality_type, ""), AccountRow.personality_type),
        )
        .outerjoin(AccountRow, AccountRow.id == ContactRow.account_id)
        .outerjoin(member, member.id == AccountRow.owner_id)
    )
    stmt = stmt.where(ContactRow.id == contact_id) if contact_id is not None else stmt.where(cls.is_not(None))
    if account_id is not None:
        stmt = stmt.where(AccountRow.id == account_id)
    stmt = stmt.order_by(AccountRow.name, ContactRow.name)
    return [
        Recipient(
            r[0],
            r[1],
            r[2],
            r[3] or "",
            r[4],
            r[5],
            r[6],
            r[7] or "",
            r[8] or "",
            r[9] or "",
            r[10] or "",
            r[11] or "",
            r[12],
            r[13] or "",
            r[14],
            r[15] or "",
            parse_tags(r[16]),
            parse_tags(r[17]),
            r[18],
        )
        for r in session.execute(stmt)
    ]


def gift_history(session: Session) -> dict[int, list[PastGift]]:
    """Every gift given to each contact, oldest first: what they got last time, what they declined or
    returned, and their totals for the year."""
    stmt = (
        select(GiftRow.contact_id, GiftRow.item, GiftRow.given_on, GiftRow.kind, GiftRow.status, GiftRow.value_cents)
        .where(GiftRow.contact_id.is_not(None), GiftRow.direction == "given")
        .order_by(GiftRow.given_on, GiftRow.id)
    )
    history: dict[int, list[PastGift]] = {}
    for contact_id, item, given_on, kind, status, value in session.execute(stmt):
        history.setdefault(contact_id or 0, []).append(
            PastGift(item, given_on, kind, status or "done", int(value or 0))
        )
    return history


# Visits ---------------------------------------------------------------------------------------------
def _visit_select() -> Any:
    member = aliased(TeamMemberRow)
    return (
        select(
            VisitRow,
            AccountRow.name,
            ContactRow.name,
            member.name,
            func.coalesce(AccountRow.pinned_class, AccountRow.computed_class),
        )
        .outerjoin(AccountRow, AccountRow.id == VisitRow.account_id)
        .outerjoin(ContactRow, ContactRow.id == VisitRow.contact_id)
        .outerjoin(member, member.id == VisitRow.member_id)
    )


def _visit(row: VisitRow, account: str | None, contact: str | None, member: str | None, cls: str | None) -> Visit:
    visit = Visit(**{name: getattr(row, name) for name in _VISIT_FIELDS})
    visit.id, visit.version = row.id, row.version
    visit.account_name, visit.contact_name, visit.member_name, visit.account_class = (
        account or "",
        contact or "",
        member or "",
        cls,
    )
    return visit


def visits(
    session: Session, start: dt.datetime, end: dt.datetime, member_id: int | None = None, limit: int = 5000
) -> list[Visit]:
    stmt = _visit_select().where(VisitRow.starts_at >= start, VisitRow.starts_at < end)
    if member_id is not None:
        stmt = stmt.where(VisitRow.member_id == member_id)
    return [_visit(*r) for r in session.execute(stmt.order_by(VisitRow.starts_at).limit(limit))]


def get_visit(session: Session, visit_id: int) -> Visit | None:
    row = session.execute(_visit_select().where(VisitRow.id == visit_id)).first()
    return _visit(*row) if row is not None else None


def save_visit(session: Session, visit: Visit) -> int:
    return _save_row(session, VisitRow, visit, _VISIT_FIELDS, "visits")


def delete_visit(session: Session, visit_id: int, version: int) -> None:
    _delete_row(session, VisitRow, visit_id, version, "visits")


def contact_card_bits(
    session: Session, contact_id: int
) -> tuple[str, str, str, str | None, str | None, str | None] | None:
    """(name, likes, taboos, relationship stage, rank, buying role) for the visit planner."""
    row = session.get(ContactRow, contact_id)
    if row is None:
        return None
    return row.name, row.preferences, row.taboos, row.relationship_stage, row.rank_tier, row.buying_role


# Schedules ------------------------------------------------------------------------------------------
def gift_schedule_rows(session: Session, start: dt.date, end: dt.date, occasion: str = "") -> list[GiftScheduleRow]:
    member = aliased(TeamMemberRow)
    stmt = (
        select(
            GiftRow.given_on,
            AccountRow.name,
            ContactRow.name,
            ContactRow.title,
            GiftRow.item,
            GiftRow.value_cents,
            GiftRow.delivery,
            member.name,
            GiftRow.occasion,
            GiftRow.status,
            ContactRow.address,
            func.coalesce(func.nullif(ContactRow.mobile, ""), ContactRow.phone),
            GiftRow.approved_by,
            GiftRow.notes,
            GiftRow.id,
        )
        .outerjoin(AccountRow, AccountRow.id == GiftRow.account_id)
        .outerjoin(ContactRow, ContactRow.id == GiftRow.contact_id)
        .outerjoin(member, member.id == GiftRow.member_id)
        .where(
            GiftRow.given_on >= start,
            GiftRow.given_on <= end,
            GiftRow.direction == "given",
            GiftRow.kind.in_(("everyday", "holiday", "special")),
        )
    )
    if occasion:
        stmt = stmt.where(GiftRow.occasion == occasion)
    stmt = stmt.order_by(GiftRow.given_on, AccountRow.name, ContactRow.name)
    # The supplier of each item, from the catalogue (matched on the item's name; the first one when named twice).
    suppliers: dict[str, str] = {}
    for item, supplier in session.execute(
        select(GiftCatalogueRow.item, GiftCatalogueRow.supplier).order_by(GiftCatalogueRow.id)
    ):
        suppliers.setdefault((item or "").strip(), supplier or "")
    return [
        GiftScheduleRow(
            r[0],
            r[1] or "",
            r[2] or "",
            r[3] or "",
            r[4],
            int(r[5] or 0),
            r[6] or "",
            r[7] or "",
            r[8] or "",
            r[9] or "",
            r[10] or "",
            phone=r[11] or "",
            approved_by=r[12] or "",
            notes=r[13] or "",
            supplier=suppliers.get((r[4] or "").strip(), ""),
            gift_id=r[14],
        )
        for r in session.execute(stmt)
    ]


def visit_schedule_rows(session: Session, start: dt.datetime, end: dt.datetime) -> list[VisitScheduleRow]:
    rows = []
    for v in visits(session, start, end):
        plan = [p for p in (v.plan_activity, v.plan_gift) if p]
        if v.plan_meal:
            plan.insert(0, _("meal for {n}").format(n=v.headcount) if v.headcount else _("meal"))
        theirs = ", ".join(p for p in (v.contact_name, v.people_theirs) if p)
        ours = ", ".join(p for p in (v.member_name, v.people_ours) if p)
        rows.append(
            VisitScheduleRow(
                v.starts_at,
                v.kind,
                v.account_name,
                theirs,
                ours,
                v.member_name,
                v.purpose,
                "; ".join(plan),
                v.budget_cents,
                v.outcome,
                v.place,
            )
        )
    return rows


def couriered_labels(session: Session, start: dt.date, end: dt.date) -> list[MailingLabel]:
    stmt = (
        select(
            ContactRow.name,
            ContactRow.title,
            AccountRow.name,
            ContactRow.address,
            func.coalesce(func.nullif(ContactRow.mobile, ""), ContactRow.phone),
        )
        .join(GiftRow, GiftRow.contact_id == ContactRow.id)
        .outerjoin(AccountRow, AccountRow.id == ContactRow.account_id)
        .where(
            and_(
                GiftRow.given_on >= start,
                GiftRow.given_on <= end,
                GiftRow.direction == "given",
                GiftRow.delivery.like("courier%"),
            )
        )
        .group_by(ContactRow.id)
        .order_by(AccountRow.name, ContactRow.name)
    )
    return [MailingLabel(r[0], r[1] or "", r[2] or "", r[3] or "", r[4] or "") for r in session.execute(stmt)]
