"""The dashboard reads each range of the file once and counts through the narrowest index (issue 24: on a file
server every page is a request), and its figures stay what they were when each window had a query of its own.

The figures are compared with the same figures built the way the dashboard built them before, on a demo file:
each time window read by its own query, the counts taken by SQLite's own choice of index."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from kamdesk.domain import clock
from kamdesk.domain.cost_to_serve import costliest
from kamdesk.domain.dashboard import AccountTier, DashboardData, ParetoData, TimeSpent, build_pyramids
from kamdesk.domain.enums import AccountClass
from kamdesk.domain.strategy import pyramid_tier
from kamdesk.services import accounts as service
from kamdesk.services.demo import load_demo
from kamdesk.services.demo_data import DemoSize
from kamdesk.services.workspace import Workspace, open_workspace
from kamdesk.storage import account_facts as facts_store
from kamdesk.storage import accounts as store
from kamdesk.storage import repositories as repo
from kamdesk.storage.tables import ActivityRow

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reads") / "demo.kamdb"
    load_demo(path, DemoSize.SMALL, user_name="测试", today=TODAY)
    return path


@pytest.fixture
def ws(demo_file: Path):  # noqa: ANN201
    clock.clock().fix(TODAY)
    workspace = open_workspace(demo_file, "测试")
    yield workspace
    workspace.close()


def _old_time_spent(session, since: dt.date, today: dt.date, until: dt.date) -> list[TimeSpent]:  # noqa: ANN001
    """time_spent as it was: the logged minutes by a GROUP BY query of their own."""
    done = session.execute(
        select(ActivityRow.account_id, ActivityRow.member_id, func.sum(ActivityRow.duration_minutes))
        .where(
            ActivityRow.status == "done",
            ActivityRow.account_id.is_not(None),
            ActivityRow.occurred_at >= dt.datetime.combine(since, dt.time()),
        )
        .group_by(ActivityRow.account_id, ActivityRow.member_id)
    )
    logged: dict[tuple[int, int | None], int] = defaultdict(int)
    for account_id, member_id, minutes in done:
        logged[(int(account_id or 0), member_id)] += int(minutes or 0)
    # The planned side is unchanged: take it from today's function with the logged minutes left out.
    planned = {(t.account_id, t.member_id): t.planned for t in facts_store.time_spent(session, since, today, until, {})}
    keys = set(logged) | set(planned)
    return [TimeSpent(a, m, logged.get((a, m), 0), planned.get((a, m), 0)) for a, m in sorted(keys, key=str)]


def _old_dashboard(ws: Workspace) -> DashboardData:
    """AccountService.dashboard as it was before the windows were read together (each by its own query)."""
    today = ws.accounts.today()
    since = today - service.DASHBOARD_WINDOW
    moves_since = today - service.MOVES_WINDOW
    until = today + service.PLANNED_WINDOW
    with ws.db.read() as session:
        settings = repo.load_team_settings(session)
        rule = service.pyramid_rule(settings)
        floor = store.class_boundary(session, AccountClass.B)
        basics = facts_store.account_basics(session, floor, today - service.EFFORT_WINDOW)  # its own query
        tiers = [AccountTier(b.id, pyramid_tier(b.facts, rule), b.owner_id) for b in basics]
        spent = _old_time_spent(session, since, today, until)
        names = {m.id: m.name for m in repo.team_members(session)}
        costs = ws.accounts._costs(session, settings, today, today - service.COST_WINDOW, None, basics)  # own query
        pyramids = build_pyramids(tiers, spent, names, since, until)
        return DashboardData(
            pareto=ParetoData(tuple(store.pareto_points(session)), settings.currency),
            pyramid=pyramids[None],
            by_class=store.counts_by(session, "class"),
            by_stage=store.counts_by(session, "sales_stage"),
            by_cycle=store.counts_by(session, "cycle_stage"),
            movements=store.class_movements(session, dt.datetime.combine(moves_since, dt.time())),
            movements_since=moves_since,
            pyramids=pyramids,
            strategy_counts=service._count_groups(basics, rule),
            costliest=tuple(costliest(costs)),
            cost_marks=(settings.cost_watch_pct, settings.cost_alarm_pct),
            key_rule=service.key_rule_text(rule),
        )


def _statements(ws: Workspace, figure) -> list[tuple[str, object]]:  # noqa: ANN001
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
        seen.append((statement, parameters))

    event.listen(ws.db.engine, "before_cursor_execute", record)
    try:
        figure()
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", record)
    return seen


def test_the_dashboard_figures_are_those_of_one_query_per_window(ws: Workspace):
    expected = _old_dashboard(ws)
    got = ws.accounts.dashboard()
    assert sum(r.minutes for r in got.pyramid.rows) > 0, "the demo logged time in the last year"
    assert any(c.logged_minutes for c in got.costliest), "and the cost to serve counts it"
    assert got == expected


def test_the_windows_of_one_read_add_up_like_their_own_queries(ws: Workspace):
    quarter, year = TODAY - dt.timedelta(days=90), TODAY - dt.timedelta(days=365)
    with ws.db.read() as session:
        by_year, by_quarter = facts_store.logged_windows(session, year, quarter)
        own_year = facts_store.logged_by_account(session, year)
        own_quarter = facts_store.logged_by_account(session, quarter)
    assert facts_store.per_account(by_year) == own_year
    assert {k: v for k, v in facts_store.per_account(by_quarter).items() if v} == {
        k: v for k, v in own_quarter.items() if v
    }
    assert 0 < sum(own_quarter.values()) < sum(own_year.values())  # the quarter is a real part of the year


def test_the_dashboard_reads_the_logged_time_once(ws: Workspace, demo_file: Path):
    statements = _statements(ws, ws.accounts.dashboard)
    raw = sqlite3.connect(demo_file)
    try:
        ranges = [
            statement
            for statement, parameters in statements
            if statement.lstrip().upper().startswith("SELECT")
            and any(
                "ix_activities_status_occurred" in row[3]
                for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            )
        ]
    finally:
        raw.close()
    assert len(ranges) == 1, ranges  # it was three: the quarter, the year for the pyramid, the year for the cost


def test_the_summary_counts_every_row_through_the_narrowest_index(ws: Workspace, demo_file: Path):
    summary = ws.summary()
    statements = _statements(ws, ws.summary)
    raw = sqlite3.connect(demo_file)
    try:
        plain = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("activities", "gifts")}
        plans = {
            statement.split("FROM")[1].split()[0]: " ".join(
                row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            )
            for statement, parameters in statements
            if "count" in statement and "WHERE" in statement
        }
    finally:
        raw.close()
    assert plain["activities"] > 1000 and plain["gifts"] > 50
    assert (summary.activities, summary.gifts) == (plain["activities"], plain["gifts"])
    assert "sqlite_autoindex_activities_1" in plans["activities"]  # the generated keys, mostly NULL
    assert "sqlite_autoindex_gifts_1" in plans["gifts"]
