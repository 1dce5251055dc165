"""Accounts in the database: the list in SQL, the editor's record, values, pins, recompute, dashboard."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from kamdesk.domain.accounts import Period, PeriodValue, measured_value, parse_period
from kamdesk.domain.classification import classify
from kamdesk.domain.dashboard import ClassMovement, ParetoPoint
from kamdesk.domain.enums import AccountClass
from kamdesk.domain.models import (
    AccountDetail,
    AccountListItem,
    AccountQuery,
    AccountValue,
    ClassHistoryEntry,
    RecomputeResult,
    TeamAssignment,
)
from kamdesk.domain.names import fold, has_han, search_keys
from kamdesk.domain.settings import TeamSettings
from kamdesk.domain.stage_evidence import StageHistoryEntry
from kamdesk.storage.database import check_version
from kamdesk.storage.record_stamps import versioning_children
from kamdesk.storage.tables import (
    AccountClassHistoryRow,
    AccountRow,
    AccountStageHistoryRow,
    AccountTeamRow,
    AccountValueRow,
    ChangeLogRow,
    ContactRow,
    TeamMemberRow,
    utcnow,
)

CLASS_ORDER = func.coalesce(AccountRow.pinned_class, AccountRow.computed_class, "Z")
ACCOUNT_SORT_COLUMNS: dict[str, Any] = {
    "name": AccountRow.name_pinyin,
    "class": CLASS_ORDER,
    "value": func.coalesce(AccountRow.value_cents, -1),
    "sales_stage": AccountRow.sales_stage,
    "relationship_type": AccountRow.relationship_type,
    "cycle_stage": AccountRow.cycle_stage,
    "personality_type": AccountRow.personality_type,
    "owner": TeamMemberRow.name_pinyin,
    "city": AccountRow.city,
    "last_contact": AccountRow.last_contact_on,
}

#: Fields whose every change is kept, with its day, in account_stage_history.
STAGE_FIELDS = ("sales_stage", "relationship_type", "cycle_stage")

#: Fields the editor writes straight onto the account row.
_PLAIN_FIELDS = (
    "name",
    "industry",
    "city",
    "province",
    "notes",
    "sales_stage",
    "relationship_type",
    "cycle_stage",
    "personality_type",
    "attractiveness",
    "relationship_state",
    "potential_cents",
    "potential_margin_pct",
    "owner_id",
)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _account_filter(stmt: Any, query: AccountQuery) -> Any:
    """Add the search text and the filters of `query` to a SELECT over accounts."""
    text = query.search.strip()
    if text:
        if has_han(text):
            stmt = stmt.where(AccountRow.name.like(f"%{_like_escape(text)}%", escape="\\"))
        else:
            folded = _like_escape(fold(text) or text.lower())  # punctuation alone is looked for literally
            stmt = stmt.where(
                or_(
                    AccountRow.name_pinyin.like(f"{folded}%", escape="\\"),
                    AccountRow.name_initials.like(f"{folded}%", escape="\\"),
                    AccountRow.name_pinyin.like(f"%{folded}%", escape="\\"),
                    AccountRow.name.like(f"%{_like_escape(text)}%", escape="\\"),
                )
            )
    if query.account_class is not None:
        stmt = stmt.where(CLASS_ORDER == query.account_class.value)
    for column, wanted in (
        (AccountRow.sales_stage, query.sales_stage),
        (AccountRow.relationship_type, query.relationship_type),
        (AccountRow.cycle_stage, query.cycle_stage),
        (AccountRow.owner_id, query.owner_id),
        (AccountRow.city, query.city),
    ):
        if wanted is not None:
            stmt = stmt.where(column == wanted)
    return stmt


def count_accounts(session: Session, query: AccountQuery) -> int:
    stmt = _account_filter(select(func.count(AccountRow.id)), query)
    return int(session.scalar(stmt) or 0)


def _class(value: str | None) -> AccountClass | None:
    return AccountClass(value) if value else None


def account_page(session: Session, query: AccountQuery, offset: int, limit: int) -> list[AccountListItem]:
    sort = ACCOUNT_SORT_COLUMNS.get(query.sort_key, ACCOUNT_SORT_COLUMNS["value"])
    order = [sort.desc() if query.descending else sort.asc(), AccountRow.id.asc()]
    a = AccountRow
    stmt = (
        select(
            a.id,
            a.name,
            a.computed_class,
            a.pinned_class,
            a.value_cents,
            a.sales_stage,
            a.relationship_type,
            a.cycle_stage,
            a.personality_type,
            TeamMemberRow.name,
            a.city,
            a.last_contact_on,
        )
        .outerjoin(TeamMemberRow, a.owner_id == TeamMemberRow.id)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    stmt = _account_filter(stmt, query)
    return [
        AccountListItem(
            id=r[0],
            name=r[1],
            computed_class=_class(r[2]),
            pinned_class=_class(r[3]),
            value_cents=r[4],
            sales_stage=r[5],
            relationship_type=r[6],
            cycle_stage=r[7],
            personality_type=r[8],
            owner_name=r[9] or "",
            city=r[10],
            last_contact_on=r[11],
        )
        for r in session.execute(stmt)
    ]


def cities(session: Session) -> list[str]:
    """Every city an account is in, for the filter (most accounts first)."""
    count = func.count(AccountRow.id)
    stmt = (
        select(AccountRow.city)
        .where(AccountRow.city != "")
        .group_by(AccountRow.city)
        .order_by(count.desc(), AccountRow.city)
    )
    return list(session.scalars(stmt))


# The editor's record ----------------------------------------------------------------------------
def account_detail(session: Session, account_id: int) -> AccountDetail | None:
    row = session.get(AccountRow, account_id)
    if row is None:
        return None
    values = session.scalars(
        select(AccountValueRow)
        .where(AccountValueRow.account_id == account_id)
        .order_by(AccountValueRow.period_start, AccountValueRow.period)
    )
    team = session.execute(
        select(AccountTeamRow.member_id, AccountTeamRow.role, TeamMemberRow.name)
        .join(TeamMemberRow, AccountTeamRow.member_id == TeamMemberRow.id)
        .where(AccountTeamRow.account_id == account_id)
        .order_by(AccountTeamRow.id)
    )
    detail = AccountDetail(
        id=row.id,
        version=row.version,
        values=[AccountValue(v.period, v.revenue_cents, v.profit_cents) for v in values],
        team=[TeamAssignment(m, r, n) for m, r, n in team],
        value_cents=row.value_cents,
        computed_class=_class(row.computed_class),
        pinned_class=_class(row.pinned_class),
        pin_reason=row.pin_reason,
        pinned_by=row.pinned_by,
        pinned_at=row.pinned_at,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )
    for name in _PLAIN_FIELDS:
        setattr(detail, name, getattr(row, name))
    return detail


def save_account(session: Session, detail: AccountDetail, by: str) -> int:
    """Insert or update an account with its values and team; a stale version raises ConflictError."""
    if detail.id is None:
        row = AccountRow(name=detail.name)
        session.add(row)
    else:
        found = session.get(AccountRow, detail.id)
        check_version(found, detail.version, table="accounts", row_id=detail.id)
        assert found is not None
        row = found
    before = {name: (getattr(row, name) if detail.id is not None else None) for name in STAGE_FIELDS}
    for name in _PLAIN_FIELDS:
        value = getattr(detail, name)
        if getattr(row, name) != value:
            setattr(row, name, value)
    pinyin, initials = search_keys(detail.name)
    if row.name_pinyin != pinyin or row.name_initials != initials:
        row.name_pinyin, row.name_initials = pinyin, initials
    session.flush()
    record_stage_changes(session, row.id, before, {name: getattr(row, name) for name in STAGE_FIELDS}, by)
    wanted_pin = detail.pinned_class.value if detail.pinned_class else None
    if row.pinned_class != wanted_pin or (wanted_pin and row.pin_reason != detail.pin_reason.strip()):
        _pin(session, row, detail.pinned_class, detail.pin_reason, by)
    with versioning_children(session, row, new=detail.id is None):
        _replace_values(session, row.id, detail.values)
        _replace_team(session, row.id, detail.team)
    return row.id


def record_stage_changes(
    session: Session,
    account_id: int,
    before: dict[str, str | None],
    after: dict[str, str | None],
    by: str,
    note: str = "",
) -> int:
    """Keep the day each sales stage, relationship type and cycle stage was reached (in the caller's
    transaction); a field that did not change leaves no entry. Returns the entries written."""
    now = utcnow()
    written = 0
    for name in STAGE_FIELDS:
        old, new = before.get(name), after.get(name)
        if old != new:
            session.add(
                AccountStageHistoryRow(
                    account_id=account_id,
                    field=name,
                    old_value=old,
                    new_value=new,
                    changed_at=now,
                    changed_by=by,
                    note=note,
                )
            )
            written += 1
    return written


def stage_history_rows(accounts: list[dict[str, Any]], by: str, note: str) -> list[dict[str, Any]]:
    """History entries for newly inserted accounts (rows with their ids), for the bulk paths such as import."""
    now = utcnow()
    return [
        {
            "account_id": a["id"],
            "field": name,
            "old_value": None,
            "new_value": a[name],
            "changed_at": now,
            "changed_by": by,
            "note": note,
        }
        for a in accounts
        for name in STAGE_FIELDS
        if a.get(name)
    ]


def stage_history(session: Session, account_id: int) -> list[StageHistoryEntry]:
    """Every recorded change of the account's stages, newest first."""
    h = AccountStageHistoryRow
    rows = session.scalars(select(h).where(h.account_id == account_id).order_by(h.changed_at.desc(), h.id.desc()))
    return [StageHistoryEntry(r.field, r.old_value, r.new_value, r.changed_at, r.changed_by, r.note) for r in rows]


def _replace_values(session: Session, account_id: int, values: list[AccountValue]) -> None:
    existing = {
        v.period: v for v in session.scalars(select(AccountValueRow).where(AccountValueRow.account_id == account_id))
    }
    wanted = {v.period: v for v in values}
    for period, row in existing.items():
        if period not in wanted:
            session.delete(row)
    for period, value in wanted.items():
        current = existing.get(period)
        if current is None:
            parsed = parse_period(period, dt.date.max)
            session.add(
                AccountValueRow(
                    account_id=account_id,
                    period=period,
                    period_start=parsed.start,
                    period_end=parsed.end,
                    revenue_cents=value.revenue_cents,
                    profit_cents=value.profit_cents,
                )
            )
        elif (current.revenue_cents, current.profit_cents) != (value.revenue_cents, value.profit_cents):
            current.revenue_cents, current.profit_cents = value.revenue_cents, value.profit_cents


def _replace_team(session: Session, account_id: int, team: list[TeamAssignment]) -> None:
    existing = {
        (t.member_id, t.role): t
        for t in session.scalars(select(AccountTeamRow).where(AccountTeamRow.account_id == account_id))
    }
    wanted = {(t.member_id, t.role) for t in team}
    for key, row in existing.items():
        if key not in wanted:
            session.delete(row)
    for member_id, role in wanted - set(existing):
        session.add(AccountTeamRow(account_id=account_id, member_id=member_id, role=role))


def delete_account(session: Session, account_id: int, expected_version: int) -> None:
    row = session.get(AccountRow, account_id)
    check_version(row, expected_version, table="accounts", row_id=account_id)
    # Its people stay, without a company. Cleared by a statement of our own before the delete: left to the
    # foreign key's ON DELETE SET NULL, SQLite runs the search trigger's INSERT OR REPLACE under the key
    # action's ABORT, and the delete failed on the person's search line (UNIQUE contact_search.contact_id).
    # Their versions move on too, so a colleague's card still naming the company meets a stale save, not a key error.
    session.execute(
        update(ContactRow)
        .where(ContactRow.account_id == account_id)
        .values(account_id=None, version=ContactRow.version + 1, updated_at=utcnow())
    )
    session.delete(row)


def set_pin(
    session: Session, account_id: int, expected_version: int, pinned: AccountClass | None, reason: str, by: str
) -> None:
    """Pin (or unpin, with None) an account's class by hand and keep the change in its history."""
    row = session.get(AccountRow, account_id)
    check_version(row, expected_version, table="accounts", row_id=account_id)
    assert row is not None
    _pin(session, row, pinned, reason, by)


def _pin(session: Session, row: AccountRow, pinned: AccountClass | None, reason: str, by: str) -> None:
    old = row.pinned_class or row.computed_class
    row.pinned_class = pinned.value if pinned else None
    row.pin_reason = reason.strip() if pinned else ""
    row.pinned_by = by if pinned else ""
    row.pinned_at = utcnow() if pinned else None
    new = row.pinned_class or row.computed_class
    kind = "pinned" if pinned else "unpinned"
    session.add(
        AccountClassHistoryRow(
            account_id=row.id,
            old_class=old,
            new_class=new,
            changed_by=by,
            reason=f"{kind}: {reason.strip()}" if reason.strip() else kind,
        )
    )


def class_history(session: Session, account_id: int) -> list[ClassHistoryEntry]:
    rows = session.scalars(
        select(AccountClassHistoryRow)
        .where(AccountClassHistoryRow.account_id == account_id)
        .order_by(AccountClassHistoryRow.changed_at.desc(), AccountClassHistoryRow.id.desc())
    )
    return [
        ClassHistoryEntry(_class(r.old_class), _class(r.new_class), r.changed_at, r.changed_by, r.reason) for r in rows
    ]


# Recompute --------------------------------------------------------------------------------------
def value_inputs(
    session: Session, window: str, today: dt.date
) -> tuple[dict[int, tuple[int | None, str | None, int | None]], dict[int, list[PeriodValue]]]:
    """Each account's (stored value, computed class, potential) and the period values that can count.

    For the trailing window only periods that end inside it are read, which keeps recompute fast.
    """
    accounts = {
        r[0]: (r[1], r[2], r[3])
        for r in session.execute(
            select(AccountRow.id, AccountRow.value_cents, AccountRow.computed_class, AccountRow.potential_cents)
        )
    }
    values: dict[int, list[PeriodValue]] = defaultdict(list)
    if window == "potential":
        return accounts, values
    v = AccountValueRow
    stmt = select(v.account_id, v.period, v.period_start, v.period_end, v.revenue_cents, v.profit_cents)
    if window == "trailing_12_months":
        stmt = stmt.where(v.period_end >= today - dt.timedelta(days=365), v.period_start <= today)
    for account_id, period, start, end, revenue, profit in session.execute(stmt):
        values[account_id].append(PeriodValue(Period(period, start, end), revenue, profit))
    return accounts, values


def apply_recompute(
    session: Session, changes: list[tuple[int, int | None, str | None, str | None]], by: str, host: str
) -> None:
    """Store new (account id, value, old class, new class) results with history and change-log rows.

    The ranking value and computed class are derived, not edited, so they do not bump the row's
    version: a recompute must not turn every open editor's next save into a conflict.
    """
    if not changes:
        return
    now = utcnow()
    table = cast(Table, AccountRow.__table__)
    session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(value_cents=bindparam("b_value"), computed_class=bindparam("b_class")),
        [{"b_id": i, "b_value": value, "b_class": new} for i, value, _old, new in changes],
    )
    moved = [(i, old, new) for i, _value, old, new in changes if old != new]
    if moved:
        session.execute(
            insert(cast(Table, AccountClassHistoryRow.__table__)),
            [
                {
                    "account_id": i,
                    "old_class": old,
                    "new_class": new,
                    "changed_at": now,
                    "changed_by": by,
                    "reason": "recomputed",
                }
                for i, old, new in moved
            ],
        )
    # Core inserts: the ORM's bulk path costs more than the SQL itself for thousands of rows.
    session.execute(
        insert(cast(Table, ChangeLogRow.__table__)),
        [
            {
                "at": now,
                "by": by,
                "host": host,
                "table_name": "accounts",
                "row_id": str(i),
                "action": "update",
                "changes_json": json.dumps({"value_cents": value, "computed_class": new}),
            }
            for i, value, _old, new in changes
        ],
    )


def class_movements(session: Session, since: dt.datetime, limit: int = 500) -> list[ClassMovement]:
    """Accounts whose class changed since `since`, newest first."""
    h = AccountClassHistoryRow
    stmt = (
        select(h.account_id, AccountRow.name, h.old_class, h.new_class, h.changed_at, h.changed_by, h.reason)
        .join(AccountRow, AccountRow.id == h.account_id)
        .where(h.changed_at >= since)
        .order_by(h.changed_at.desc(), h.id.desc())
        .limit(limit)
    )
    return [ClassMovement(r[0], r[1], _class(r[2]), _class(r[3]), r[4], r[5], r[6]) for r in session.execute(stmt)]


# Dashboard --------------------------------------------------------------------------------------
def pareto_points(session: Session) -> list[ParetoPoint]:
    """Every ranked account, largest value first, with the class its value earned."""
    stmt = (
        select(AccountRow.id, AccountRow.name, AccountRow.value_cents, AccountRow.computed_class)
        .where(AccountRow.computed_class.is_not(None), AccountRow.value_cents.is_not(None))
        .order_by(AccountRow.value_cents.desc(), AccountRow.id)
    )
    return [ParetoPoint(i, n, v or 0, AccountClass(c or "D")) for i, n, v, c in session.execute(stmt)]


def counts_by(session: Session, column_name: str) -> dict[str, int]:
    column = {"class": CLASS_ORDER, "sales_stage": AccountRow.sales_stage, "cycle_stage": AccountRow.cycle_stage}[
        column_name
    ]
    return {
        str(k or ""): int(n) for k, n in session.execute(select(column, func.count(AccountRow.id)).group_by(column))
    }


def recompute(session: Session, settings: TeamSettings, today: dt.date, by: str, host: str) -> RecomputeResult:
    """Rank every account by the team's value measure, class it, and store what changed.

    Runs inside the caller's write transaction, so a save and the classes it moves land together.
    """
    accounts, values = value_inputs(session, settings.value_window, today)
    measured = {
        account_id: measured_value(
            values.get(account_id, []), settings.value_measure, settings.value_window, potential, today
        )
        for account_id, (_stored, _cls, potential) in accounts.items()
    }
    results = classify(list(measured.items()), settings.class_thresholds)
    changes = []
    for account_id, (stored_value, stored_class, _potential) in accounts.items():
        computed = results[account_id].computed
        new_class = computed.value if computed else None
        if stored_value != measured[account_id] or stored_class != new_class:
            changes.append((account_id, measured[account_id], stored_class, new_class))
    apply_recompute(session, changes, by, host)
    moved = [(i, _class(old), _class(new)) for i, _v, old, new in changes if old != new]
    unranked = sum(1 for r in results.values() if r.computed is None)
    return RecomputeResult(
        ranked=len(results) - unranked,
        unranked=unranked,
        moved=moved,
        values_changed=sum(1 for i, v, _o, _n in changes if accounts[i][0] != v),
    )


def class_boundary(session: Session, account_class: AccountClass) -> int | None:
    """The smallest ranking value that still reaches `account_class` (None: no account ranked)."""
    ranked = int(session.scalar(select(func.count(AccountRow.id)).where(AccountRow.computed_class.is_not(None))) or 0)
    if not ranked:
        return None
    order = list(AccountClass)
    classes = [c.value for c in order[: order.index(account_class) + 1]]
    return session.scalar(select(func.min(AccountRow.value_cents)).where(AccountRow.computed_class.in_(classes)))
