"""One account's strategy context and cost to serve read only that account's rows (issue 24), and give exactly
what the every-account reads give for it.

The account editor asks for both; on a file share every page is a request, and they used to read every ranked
account's value, every account's follow-ups of the window, the whole gift window and the whole table of period
values to answer for one account. Every account of the small demo is compared with the every-account reads,
with a tie of values made on purpose (tied accounts share the better position) and accounts that are not ranked.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from kamdesk.domain import clock
from kamdesk.services.accounts import COST_WINDOW, EFFORT_WINDOW
from kamdesk.services.demo import load_demo
from kamdesk.services.demo_data import DemoSize
from kamdesk.services.workspace import Workspace, open_workspace
from kamdesk.storage import account_facts as facts

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("one-account")
    path = folder / "demo.kamdb"
    load_demo(path, DemoSize.SMALL, user_name="测试", today=TODAY)
    raw = sqlite3.connect(path)
    try:
        ranked = [r[0] for r in raw.execute("SELECT id FROM accounts WHERE computed_class IS NOT NULL ORDER BY id")]
        # A three-way tie in the middle of the ranking and a two-way tie at the top: tied accounts share a position.
        middle, top = ranked[len(ranked) // 2 : len(ranked) // 2 + 3], ranked[-2:]
        raw.execute("UPDATE accounts SET value_cents = 12345600 WHERE id IN (?, ?, ?)", middle)
        best = raw.execute("SELECT max(value_cents) FROM accounts").fetchone()[0]
        raw.execute("UPDATE accounts SET value_cents = ? WHERE id IN (?, ?)", (best + 100, *top))
        # Not ranked: no value and no class; a value but no class yet; a class but no value.
        raw.execute("UPDATE accounts SET value_cents = NULL, computed_class = NULL WHERE id = ?", (ranked[1],))
        raw.execute("UPDATE accounts SET computed_class = NULL WHERE id = ?", (ranked[2],))
        raw.execute("UPDATE accounts SET value_cents = NULL WHERE id = ?", (ranked[3],))
        raw.commit()
    finally:
        raw.close()
    return path


@pytest.fixture
def ws(demo_copy: Path, tmp_path: Path) -> Iterator[Workspace]:
    clock.clock().fix(TODAY)
    path = tmp_path / "team.kamdb"
    shutil.copy(demo_copy, path)
    workspace = open_workspace(path, "测试")
    try:
        yield workspace
    finally:
        workspace.close()


def _ids(ws: Workspace) -> list[int]:
    return [account_id for account_id, _name, _advice in ws.accounts.strategies()]


def test_one_accounts_rank_is_its_place_in_the_whole_ranking_ties_included(ws: Workspace):
    ids = _ids(ws)
    with ws.db.read() as session:
        positions, ranked = facts.ranks(session)
        ones = {i: facts.rank_of(session, i) for i in ids}
        missing = facts.rank_of(session, max(ids) + 1)
    shared = Counter(positions.values())
    assert shared[1] == 2 and 3 in shared.values()  # the ties made above are there
    assert len(positions) == ranked <= len(ids) - 3  # some are not ranked, three of them on purpose
    for account_id in ids:
        assert ones[account_id] == (positions.get(account_id), ranked), account_id
    assert missing == (None, ranked)


def test_strategy_context_of_each_account_matches_the_every_account_reads(ws: Workspace):
    with ws.db.read() as session:
        positions, ranked = facts.ranks(session)
        logged = facts.logged_by_account(session, TODAY - EFFORT_WINDOW)
    assert sum(1 for minutes in logged.values() if minutes) > 10  # the demo logs time on many accounts
    every = {row[0]: row for row in ws.accounts.strategies()}
    for account_id in every:
        context = ws.accounts.strategy_context(account_id)
        assert context.rank == positions.get(account_id), account_id
        assert context.ranked == ranked
        assert context.logged_minutes_quarter == logged.get(account_id, 0), account_id
        # The strategy of one account (account_basics for one) is the one the every-account read gives it.
        assert ws.accounts.strategies(account_id) == [every[account_id]], account_id
    assert ws.accounts.strategy_context(None).ranked == ranked


def test_cost_to_serve_of_each_account_matches_the_every_account_reads(ws: Workspace):
    every = {cost.account_id: cost for cost in ws.accounts.costs()}
    assert sum(1 for c in every.values() if c.gifts_cents) > 5  # gifts, hospitality, time and money are there
    assert sum(1 for c in every.values() if c.hospitality_cents) > 5
    assert sum(1 for c in every.values() if c.logged_minutes) > 10
    assert sum(1 for c in every.values() if c.revenue_cents) > 10
    assert {c.account_class for c in every.values()} >= {"A", "B", "C", ""}
    for account_id, cost in every.items():
        found = ws.accounts.cost_to_serve(account_id)
        assert found is not None and found[0] == cost, account_id
    assert ws.accounts.cost_to_serve(max(every) + 1) is None


def test_each_accounts_spend_and_money_match_the_every_account_reads(ws: Workspace):
    since = TODAY - COST_WINDOW
    with ws.db.read() as session:
        spend = facts.spend_by_account(session, since, TODAY)
        money = facts.revenue_and_profit(session, TODAY)
        logged = facts.logged_by_account(session, since)
        ones = {
            i: (
                facts.spend_by_account(session, since, TODAY, i),
                facts.revenue_and_profit(session, TODAY, i),
                facts.logged_by_account(session, since, i),
            )
            for i in _ids(ws)
        }
    assert any(s.planned_hospitality for s in spend.values()) or any(s.hospitality for s in spend.values())
    for account_id, (one_spend, one_money, one_logged) in ones.items():
        assert one_spend == ({account_id: spend[account_id]} if account_id in spend else {}), account_id
        assert one_money == {account_id: money.get(account_id, (None, None))}, account_id
        assert one_logged == ({account_id: logged[account_id]} if account_id in logged else {}), account_id


def test_one_account_is_read_through_its_own_indexes(ws: Workspace, demo_copy: Path):
    """What SQLite plans for one account: no table scanned, no window of every account's follow-ups or gifts,
    and no account's row fetched but this one's."""
    account_id = _ids(ws)[5]
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
        seen.append((statement, parameters))

    event.listen(ws.db.engine, "before_cursor_execute", record)
    try:
        ws.accounts.strategy_context(account_id)
        ws.accounts.cost_to_serve(account_id)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", record)
    raw = sqlite3.connect(demo_copy)
    try:
        plans = {
            statement: [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
            for statement, parameters in seen
            if statement.lstrip().upper().startswith("SELECT")
        }
    finally:
        raw.close()
    lines = [line for plan in plans.values() for line in plan]
    assert not [line for line in lines if line.startswith("SCAN")], plans
    assert not [line for line in lines if "status_occurred" in line or "status_given" in line], plans
    for table in ("activities", "gifts", "visits", "account_values"):
        assert f"SEARCH {table} USING INDEX ix_{table}_account" in " ".join(lines), (table, plans)
    # The accounts table itself only for this account's row (and the class-B floor's A and B accounts): the rank
    # comes from the value and class indexes alone, not from a row fetched by id for each ranked account.
    rows = [line for line in lines if line.startswith("SEARCH accounts ") and "COVERING" not in line]
    assert rows.count("SEARCH accounts USING INTEGER PRIMARY KEY (rowid=?)") == 1, plans
    assert all("PRIMARY KEY" in line or "ix_accounts_computed_class (computed_class=?)" in line for line in rows)
