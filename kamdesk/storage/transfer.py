"""Queries and bulk writes behind import and export: name look-ups, Core inserts, rows for files."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session, aliased

from kamdesk.domain.contacts import ContactDetail, PersonalDate
from kamdesk.domain.gift_vocabulary import parse_tags
from kamdesk.storage.tables import (
    AccountRow,
    AccountValueRow,
    ActivityRow,
    Base,
    ChangeLogRow,
    ContactRow,
    GiftRow,
    TeamMemberRow,
    utcnow,
)

#: Rows per executemany: large enough to be fast, small enough to report progress.
CHUNK_ROWS = 2_000
_SKIP_IN_LOG = {"version", "created_at", "updated_at", "updated_by"}


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


# Look-ups --------------------------------------------------------------------------------------
def account_ids(session: Session) -> dict[str, int]:
    """Account name → id (the lowest id where two accounts share a name)."""
    found: dict[str, int] = {}
    for account_id, name in session.execute(select(AccountRow.id, AccountRow.name).order_by(AccountRow.id.desc())):
        found[name.strip()] = account_id
    return found


def member_ids(session: Session) -> dict[str, int]:
    found: dict[str, int] = {}
    for member_id, name in session.execute(
        select(TeamMemberRow.id, TeamMemberRow.name).order_by(TeamMemberRow.id.desc())
    ):
        found[name.strip()] = member_id
    return found


def contact_index(session: Session) -> list[tuple[int, int | None, str, str, str, str, str]]:
    """(id, account id, name, mobile, phone, e-mail, account name) of every contact, for matching."""
    return [
        tuple(r)  # type: ignore[misc]  # a Row's length is not known to the stubs
        for r in session.execute(
            select(
                ContactRow.id,
                ContactRow.account_id,
                ContactRow.name,
                ContactRow.mobile,
                ContactRow.phone,
                ContactRow.email,
                func.coalesce(AccountRow.name, ""),
            ).outerjoin(AccountRow, AccountRow.id == ContactRow.account_id)
        )
    ]


def activity_keys(session: Session) -> set[tuple[Any, ...]]:
    """(kind, account id, contact id, due date, when it happened, subject) of every activity."""
    a = ActivityRow
    return {
        tuple(r)
        for r in session.execute(select(a.kind, a.account_id, a.contact_id, a.due_on, a.occurred_at, a.subject))
    }


def gift_keys(session: Session) -> set[tuple[Any, ...]]:
    """(item, date, account id, contact id, value) of every gift-register entry."""
    g = GiftRow
    return {tuple(r) for r in session.execute(select(g.item, g.given_on, g.account_id, g.contact_id, g.value_cents))}


def next_id(session: Session, table_name: str) -> int:
    """The first free id of a table; safe to hand out inside a write transaction (the file is locked)."""
    table = _table(table_name)
    return int(session.scalar(select(func.max(table.c.id))) or 0) + 1


# Writing ---------------------------------------------------------------------------------------
def insert_rows(
    session: Session, table_name: str, rows: Sequence[Mapping[str, Any]], by: str, host: str, *, log: bool = True
) -> int:
    """Insert prepared rows (with their ids) by Core executemany, stamped and logged like any save.

    Each chunk's rows must share their keys. The change log gets one entry per row, in the same
    transaction, with the values written (as the unit of work's own log does for single saves).
    """
    if not rows:
        return 0
    table = _table(table_name)
    now = utcnow()
    versioned = "version" in table.c
    stamp = {"version": 1, "created_at": now, "updated_at": now, "updated_by": by} if versioned else {}
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = [{**stamp, **row} for row in rows[start : start + CHUNK_ROWS]]
        session.execute(insert(table), chunk)
        if log:
            session.execute(
                insert(_table(ChangeLogRow.__tablename__)),
                [
                    {
                        "at": now,
                        "by": by,
                        "host": host,
                        "table_name": table_name,
                        "row_id": str(row["id"]),
                        "action": "insert",
                        "changes_json": json.dumps(
                            {
                                k: _jsonable(v)
                                for k, v in row.items()
                                if k not in _SKIP_IN_LOG and k != "id" and v not in (None, "", False)
                            },
                            ensure_ascii=False,
                            sort_keys=True,
                        ),
                    }
                    for row in chunk
                ],
            )
    return len(rows)


def log_import(session: Session, by: str, host: str, summary: Mapping[str, Any]) -> None:
    """One change-log entry saying that an import happened and what it brought."""
    session.execute(
        insert(_table(ChangeLogRow.__tablename__)),
        [
            {
                "at": utcnow(),
                "by": by,
                "host": host,
                "table_name": "import",
                "row_id": "*",
                "action": "insert",
                "changes_json": json.dumps(dict(summary), ensure_ascii=False, sort_keys=True),
            }
        ],
    )


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# Export ----------------------------------------------------------------------------------------
def accounts_for_export(session: Session) -> list[dict[str, Any]]:
    """Every account with its class (pinned, else computed), owner and latest period's value."""
    latest: dict[int, tuple[str, int | None, int | None]] = {}
    for account_id, period, revenue, profit in session.execute(
        select(
            AccountValueRow.account_id,
            AccountValueRow.period,
            AccountValueRow.revenue_cents,
            AccountValueRow.profit_cents,
        ).order_by(AccountValueRow.period_start, AccountValueRow.period)
    ):
        latest[account_id] = (period, revenue, profit)
    a = AccountRow
    rows = []
    for r in session.execute(
        select(
            a.id,
            a.name,
            func.coalesce(a.pinned_class, a.computed_class),
            a.city,
            a.province,
            a.industry,
            a.personality_type,
            a.sales_stage,
            a.relationship_type,
            a.cycle_stage,
            TeamMemberRow.name,
            a.attractiveness,
            a.relationship_state,
            a.potential_cents,
            a.notes,
        )
        .outerjoin(TeamMemberRow, TeamMemberRow.id == a.owner_id)
        .order_by(a.name_pinyin, a.id)
    ):
        last_period, last_revenue, last_profit = latest.get(r[0], ("", None, None))
        rows.append(
            {
                "name": r[1],
                "class": r[2] or "",
                "value": last_revenue,
                "value_period": last_period,
                "profit": last_profit,
                "city": r[3],
                "province": r[4],
                "industry": r[5],
                "personality_type": r[6],
                "sales_stage": r[7],
                "relationship_type": r[8],
                "cycle_stage": r[9],
                "owner": r[10] or "",
                "attractiveness": r[11],
                "relationship_state": r[12],
                "potential": r[13],
                "notes": r[14],
            }
        )
    return rows


def contacts_for_export(session: Session, ids: Iterable[int] | None = None) -> list[ContactDetail]:
    """Contacts with their company's name (no family, dates or links: the file's columns only)."""
    c = ContactRow
    stmt = (
        select(c, func.coalesce(AccountRow.name, ""))
        .outerjoin(AccountRow, AccountRow.id == c.account_id)
        .order_by(AccountRow.name_pinyin, c.name_pinyin, c.id)
    )
    if ids is not None:
        stmt = stmt.where(c.id.in_(list(ids)))
    details = []
    for row, account_name in session.execute(stmt):
        birthday = None
        if row.birthday_calendar and row.birthday_month and row.birthday_day:
            birthday = PersonalDate(
                row.birthday_calendar,
                row.birthday_year,
                row.birthday_month,
                row.birthday_day,
                bool(row.birthday_leap_month),
            )
        details.append(
            ContactDetail(
                id=row.id,
                name=row.name,
                account_id=row.account_id,
                account_name=account_name,
                title=row.title,
                rank_tier=row.rank_tier,
                buying_role=row.buying_role,
                relationship_stage=row.relationship_stage,
                mobile=row.mobile,
                phone=row.phone,
                email=row.email,
                wechat=row.wechat,
                address=row.address,
                birthday=birthday,
                city=row.city,
                hometown=row.hometown,
                interests=row.interests,
                preferences=row.preferences,
                taboos=row.taboos,
                personality_type=row.personality_type,
                notes=row.notes,
                like_tags=parse_tags(row.like_tags),
                taboo_tags=parse_tags(row.taboo_tags),
            )
        )
    return details


def activities_for_export(session: Session, kind: str | None = None) -> list[dict[str, Any]]:
    a = ActivityRow
    contact_account = aliased(AccountRow)
    stmt = (
        select(
            a.kind,
            a.status,
            func.coalesce(AccountRow.name, contact_account.name, ""),
            func.coalesce(ContactRow.name, ""),
            func.coalesce(TeamMemberRow.name, ""),
            a.due_on,
            a.start_time,
            a.occurred_at,
            a.duration_minutes,
            a.subject,
            a.location,
            a.notes,
            a.outcome,
            a.important,
        )
        .outerjoin(AccountRow, AccountRow.id == a.account_id)
        .outerjoin(ContactRow, ContactRow.id == a.contact_id)
        .outerjoin(contact_account, contact_account.id == ContactRow.account_id)
        .outerjoin(TeamMemberRow, TeamMemberRow.id == a.member_id)
        .order_by(func.coalesce(a.due_on, func.date(a.occurred_at)), a.id)
    )
    if kind is not None:
        stmt = stmt.where(a.kind == kind)
    names = (
        "kind",
        "status",
        "account",
        "contact",
        "member",
        "due_on",
        "start_time",
        "occurred_at",
        "duration_minutes",
        "subject",
        "location",
        "notes",
        "outcome",
        "important",
    )
    return [dict(zip(names, r, strict=True)) for r in session.execute(stmt)]


def gifts_for_export(session: Session) -> list[dict[str, Any]]:
    g = GiftRow
    contact_account = aliased(AccountRow)
    stmt = (
        select(
            g.direction,
            g.kind,
            g.item,
            g.value_cents,
            g.given_on,
            func.coalesce(AccountRow.name, contact_account.name, ""),
            func.coalesce(ContactRow.name, ""),
            func.coalesce(TeamMemberRow.name, ""),
            g.occasion,
            g.approved_by,
            g.notes,
        )
        .outerjoin(AccountRow, AccountRow.id == g.account_id)
        .outerjoin(ContactRow, ContactRow.id == g.contact_id)
        .outerjoin(contact_account, contact_account.id == ContactRow.account_id)
        .outerjoin(TeamMemberRow, TeamMemberRow.id == g.member_id)
        .order_by(g.given_on, g.id)
    )
    names = (
        "direction",
        "kind",
        "item",
        "value",
        "given_on",
        "account",
        "contact",
        "member",
        "occasion",
        "approved_by",
        "notes",
    )
    return [dict(zip(names, r, strict=True)) for r in session.execute(stmt)]
