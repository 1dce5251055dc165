"""What the strategy engine, the pyramid and the cost to serve read: each account's facts, its rank by value,
the time our people logged and planned on it, and what it cost in gifts and hospitality."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import QueryableAttribute, Session, aliased

from kamdesk.domain.accounts import Period, PeriodValue, measured_value
from kamdesk.domain.cost_to_serve import (
    GIFT_KINDS,
    HOSPITALITY_KINDS,
    planned_activity_minutes,
    planned_visit_minutes,
)
from kamdesk.domain.dashboard import TimeSpent
from kamdesk.domain.enums import (
    AccountClass,
    Attractiveness,
    PersonalityType,
    RelationshipState,
    SalesStage,
)
from kamdesk.domain.strategy import AccountFacts, member
from kamdesk.storage.accounts import value_inputs
from kamdesk.storage.tables import AccountRow, AccountValueRow, ActivityRow, GiftRow, VisitRow


@dataclass(frozen=True)
class AccountBasics:
    id: int
    name: str
    owner_id: int | None
    facts: AccountFacts


def ranks(session: Session) -> tuple[dict[int, int], int]:
    """Each ranked account's position by value (1 = largest; equal values share the better position) and how
    many accounts are ranked — the same order the classing uses."""
    rows = session.execute(
        select(AccountRow.id, AccountRow.value_cents)
        .where(AccountRow.computed_class.is_not(None), AccountRow.value_cents.is_not(None))
        .order_by(AccountRow.value_cents.desc(), AccountRow.id)
    ).all()
    positions: dict[int, int] = {}
    previous: int | None = None
    rank = 0
    for position, (account_id, value) in enumerate(rows, start=1):
        if value != previous:
            rank, previous = position, value
        positions[account_id] = rank
    return positions, len(rows)


def rank_of(session: Session, account_id: int) -> tuple[int | None, int]:
    """One account's entry of `ranks` (None: not ranked) and how many accounts are ranked, from the two narrow
    indexes alone. Its position is 1 + the ranked accounts of a larger value (equal values share the better
    position). `id + 0` keeps SQLite from fetching each account's row by its id (a page of the accounts table per
    request on a file share): the ids of the classed accounts come from the class index, their values from the
    value index."""
    a, classed, this = AccountRow, aliased(AccountRow), aliased(AccountRow)
    mine = select(this.value_cents).where(this.id == account_id).scalar_subquery()
    ranked, above, found = session.execute(
        select(
            func.count(),
            func.sum(case((a.value_cents > mine, 1), else_=0)),
            func.sum(case((a.id == account_id, 1), else_=0)),
        ).where(
            a.value_cents.is_not(None), (a.id + 0).in_(select(classed.id).where(classed.computed_class.is_not(None)))
        )
    ).one()
    return (int(above or 0) + 1 if found else None), int(ranked or 0)


def account_basics(
    session: Session,
    class_b_floor: int | None,
    since_quarter: dt.date,
    account_id: int | None = None,
    minutes: dict[int, int] | None = None,
) -> list[AccountBasics]:
    """Every account (or one) with the facts the strategy engine needs; `minutes`: the minutes logged per account
    since `since_quarter` when the caller has read them already (`logged_windows`)."""
    if account_id is None:
        positions, ranked = ranks(session)
    else:
        rank, ranked = rank_of(session, account_id)
        positions = {account_id: rank} if rank is not None else {}
    if minutes is None:
        minutes = logged_by_account(session, since_quarter, account_id)
    a = AccountRow
    stmt = select(
        a.id,
        a.name,
        a.owner_id,
        a.computed_class,
        a.pinned_class,
        a.pin_reason,
        a.value_cents,
        a.attractiveness,
        a.potential_cents,
        a.relationship_state,
        a.personality_type,
        a.sales_stage,
    ).order_by(a.id)
    if account_id is not None:
        stmt = stmt.where(a.id == account_id)
    result = []
    for row in session.execute(stmt):
        facts = AccountFacts(
            computed_class=member(AccountClass, row[3]),
            pinned_class=member(AccountClass, row[4]),
            pin_reason=row[5] or "",
            value_cents=row[6],
            rank=positions.get(row[0]),
            ranked=ranked,
            attractiveness=member(Attractiveness, row[7]),
            potential_cents=row[8],
            class_b_floor_cents=class_b_floor,
            relationship_state=member(RelationshipState, row[9]),
            personality=member(PersonalityType, row[10]),
            sales_stage=member(SalesStage, row[11]),
            logged_minutes_quarter=minutes.get(row[0], 0),
        )
        result.append(AccountBasics(row[0], row[1], row[2], facts))
    return result


def logged_by_account(session: Session, since: dt.date, account_id: int | None = None) -> dict[int, int]:
    """Minutes of contact logged (done follow-ups) per account since `since`. For one account, its own rows are
    read through the (account, occurred) index: SQLite would otherwise prefer the covering (status, occurred)
    index and go over every account's follow-ups of the window (38 pages for a quarter on the large demo, 7 so)."""
    stmt = (
        select(ActivityRow.account_id, func.sum(ActivityRow.duration_minutes))
        .where(
            _is_done(ActivityRow.status, account_id is not None),
            ActivityRow.account_id.is_not(None),
            ActivityRow.occurred_at >= dt.datetime.combine(since, dt.time()),
        )
        .group_by(ActivityRow.account_id)
    )
    if account_id is not None:
        stmt = stmt.where(ActivityRow.account_id == account_id)
    return {int(i or 0): int(m or 0) for i, m in session.execute(stmt)}


def logged_windows(session: Session, *since: dt.date) -> list[dict[tuple[int, int | None], int]]:
    """Minutes of contact logged (done follow-ups) per account and person since each day in `since`, from one pass
    over the done follow-ups' covering index (status, occurred_at, account, member, minutes). The dashboard wants
    the last quarter and the last year and went over that range three times; the later passes mostly found its
    pages in SQLite's cache, so this saves the processor's time more than the file server's requests."""
    a = ActivityRow
    first = min(since)
    sums = [
        func.sum(case((a.occurred_at >= dt.datetime.combine(day, dt.time()), a.duration_minutes), else_=0))
        for day in since
    ]
    rows = session.execute(
        select(a.account_id, a.member_id, *sums)
        .where(a.status == "done", a.account_id.is_not(None), a.occurred_at >= dt.datetime.combine(first, dt.time()))
        .group_by(a.account_id, a.member_id)
    )
    windows: list[dict[tuple[int, int | None], int]] = [defaultdict(int) for _day in since]
    for account_id, member_id, *minutes in rows:
        for day, window, value in zip(since, windows, minutes, strict=True):
            if value or day == first:  # the widest window keeps people with 0 minutes, as a query of its own did
                window[(int(account_id or 0), member_id)] += int(value or 0)
    return [dict(w) for w in windows]


def per_account(minutes: dict[tuple[int, int | None], int]) -> dict[int, int]:
    """Minutes per (account, person) added up per account."""
    total: dict[int, int] = defaultdict(int)
    for (account_id, _member), value in minutes.items():
        total[account_id] += value
    return dict(total)


def time_spent(
    session: Session,
    since: dt.date,
    today: dt.date,
    until: dt.date,
    logged_since: dict[tuple[int, int | None], int] | None = None,
) -> list[TimeSpent]:
    """Per account and person: minutes logged since `since`, and minutes planned from `today` to `until`
    (planned follow-ups at their duration or the estimate for their kind, planned visits at the estimate).
    `logged_since`: the minutes logged since `since` when the caller has read them already (`logged_windows`)."""
    logged: dict[tuple[int, int | None], int] = defaultdict(int)
    planned: dict[tuple[int, int | None], int] = defaultdict(int)
    if logged_since is None:
        (logged_since,) = logged_windows(session, since)
    logged.update(logged_since)
    a = ActivityRow
    unset = func.sum(case((func.coalesce(a.duration_minutes, 0) == 0, 1), else_=0))
    coming = session.execute(
        select(a.account_id, a.member_id, a.kind, func.sum(a.duration_minutes), unset)
        .where(a.status == "planned", a.account_id.is_not(None), a.due_on >= today, a.due_on <= until)
        .group_by(a.account_id, a.member_id, a.kind)
    )
    for account_id, member_id, kind, minutes, without_duration in coming:
        # Follow-ups with their own duration count it; the others count the estimate for their kind.
        planned[(int(account_id or 0), member_id)] += int(minutes or 0) + int(without_duration or 0) * (
            planned_activity_minutes(kind, 0)
        )
    visits = session.execute(
        select(VisitRow.account_id, VisitRow.member_id, VisitRow.kind).where(
            VisitRow.status == "planned",
            VisitRow.account_id.is_not(None),
            VisitRow.starts_at >= dt.datetime.combine(today, dt.time()),
            VisitRow.starts_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()),
        )
    )
    for account_id, member_id, kind in visits:
        planned[(int(account_id or 0), member_id)] += planned_visit_minutes(kind)
    keys = set(logged) | set(planned)
    return [TimeSpent(a, m, logged.get((a, m), 0), planned.get((a, m), 0)) for a, m in sorted(keys, key=str)]


@dataclass(frozen=True)
class Spend:
    gifts: int = 0
    hospitality: int = 0
    planned_hospitality: int = 0


def spend_by_account(
    session: Session, since: dt.date, today: dt.date, account_id: int | None = None
) -> dict[int, Spend]:
    """Gifts and hospitality given since `since`, per account (cents). Hospitality is the register's meals,
    entertainment and trips, plus the budget of a done visit on a day the register has no hospitality for that
    account (so a meal is not counted twice); budgets of visits still planned are kept apart."""
    gifts: dict[int, int] = defaultdict(int)
    hospitality: dict[int, int] = defaultdict(int)
    planned: dict[int, int] = defaultdict(int)
    covered: set[tuple[int, dt.date]] = set()
    # For one account its own gifts come through the account index, not the (status, given on) index's whole window.
    stmt = select(GiftRow.account_id, GiftRow.kind, GiftRow.value_cents, GiftRow.given_on).where(
        GiftRow.direction == "given",
        _is_done(GiftRow.status, account_id is not None),
        GiftRow.account_id.is_not(None),
        GiftRow.given_on >= since,
        GiftRow.given_on <= today,
    )
    visits = select(VisitRow.account_id, VisitRow.status, VisitRow.budget_cents, VisitRow.starts_at).where(
        VisitRow.account_id.is_not(None), VisitRow.budget_cents > 0
    )
    if account_id is not None:
        stmt = stmt.where(GiftRow.account_id == account_id)
        visits = visits.where(VisitRow.account_id == account_id)
    for account_or_none, kind, cents, day in session.execute(stmt):
        account = int(account_or_none or 0)
        if kind in HOSPITALITY_KINDS:
            hospitality[account] += int(cents or 0)
            covered.add((account, day))
        elif kind in GIFT_KINDS:
            gifts[account] += int(cents or 0)
    for account_or_none, status, cents, starts in session.execute(visits):
        account, day = int(account_or_none or 0), starts.date()
        if status == "planned" and day >= today:
            planned[account] += int(cents)
        elif status == "done" and since <= day <= today and (account, day) not in covered:
            hospitality[account] += int(cents)
    ids = set(gifts) | set(hospitality) | set(planned)
    return {i: Spend(gifts.get(i, 0), hospitality.get(i, 0), planned.get(i, 0)) for i in ids}


def revenue_and_profit(
    session: Session, today: dt.date, account_id: int | None = None
) -> dict[int, tuple[int | None, int | None]]:
    """Revenue and profit of the last twelve months per account (None where nothing is recorded)."""
    if account_id is None:
        _accounts, values = value_inputs(session, "trailing_12_months", today)
        ids = list(values)
    else:
        values, ids = {account_id: _period_values(session, account_id, today)}, [account_id]
    return {
        i: (
            measured_value(values.get(i, []), "revenue", "trailing_12_months", None, today),
            measured_value(values.get(i, []), "profit", "trailing_12_months", None, today)
            if any(v.profit_cents is not None for v in values.get(i, []))
            else None,
        )
        for i in ids
    }


def _period_values(session: Session, account_id: int, today: dt.date) -> list[PeriodValue]:
    """One account's period values that end inside the last twelve months, as `value_inputs` reads them for every
    account (in the same order), through the account index instead of the whole table."""
    v = AccountValueRow
    rows = session.execute(
        select(v.period, v.period_start, v.period_end, v.revenue_cents, v.profit_cents)
        .where(v.account_id == account_id, v.period_end >= today - dt.timedelta(days=365), v.period_start <= today)
        .order_by(v.id)
    )
    return [PeriodValue(Period(period, start, end), revenue, profit) for period, start, end, revenue, profit in rows]


def _is_done(status: QueryableAttribute[str], one_account: bool) -> ColumnElement[bool]:
    """`status = 'done'`; for one account written `status || '' = 'done'` (the same rows: NULL stays NULL), which
    SQLite cannot look up in an index, so that the account's own index is the one it picks."""
    return (status + "" if one_account else status) == "done"
