"""Account judgement on a real file: the strategy with its stored rank, the one pyramid per salesperson with
planned time, cost to serve, and target-matrix changes in the change log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.domain.settings import DEFAULT_TARGET_MATRIX, OLD_DEFAULT_TARGET_MATRIX, TeamSettings
from kamdesk.domain.strategy import StrategyGroup
from kamdesk.services.workspace import Workspace, open_workspace
from kamdesk.storage.tables import ActivityRow, GiftRow, VisitRow

TODAY = dt.date(2026, 11, 23)
W = 10_000_00  # 1万 in cents


@pytest.fixture
def ws(db_target: str | Path):
    workspace = open_workspace(db_target, "alice", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def _member(ws: Workspace, name: str) -> int:
    return ws.team.save(TeamMember(0, name, "销售经理", "销售部", "manager", "account_manager", True))


def _account(ws: Workspace, name: str, revenue_wan: int | None, owner: int | None = None, **fields) -> int:
    values = [AccountValue("2026", revenue_wan * W, revenue_wan * W // 5)] if revenue_wan is not None else []
    account_id, _ = ws.accounts.save(AccountDetail(name=name, values=values, owner_id=owner, **fields))
    return account_id


def _book(ws: Workspace) -> dict[str, int]:
    """Ten accounts a small team would have: 刘洋 owns the big ones, 陈志强 the small ones and a lead."""
    liu, chen = _member(ws, "刘洋"), _member(ws, "陈志强")
    ids = {"liu": liu, "chen": chen}
    common = {"sales_stage": "formal", "attractiveness": "high", "relationship_state": "good"}
    ids["移动"] = _account(ws, "中国移动上海", 900, liu, **common)
    ids["鑫泰"] = _account(ws, "无锡鑫泰五金", 500, liu, **{**common, "personality_type": "stingy"})
    for n, revenue in enumerate((300, 250, 200, 150, 100, 60), start=1):
        ids[f"c{n}"] = _account(ws, f"普通客户{n}", revenue, chen, **common)
    ids["美佳"] = _account(
        ws,
        "佛山美佳电器",
        20,
        chen,
        sales_stage="formal",
        attractiveness="low",
        relationship_state="declining",
    )
    ids["新起点"] = _account(ws, "宁波新起点贸易", None, chen, sales_stage="trial")
    return ids


def _add_time_and_spend(ws: Workspace, ids: dict[str, int]) -> None:
    at = dt.datetime.combine(TODAY - dt.timedelta(days=20), dt.time(10))
    with ws.db.write() as session:
        rows = [
            # 刘洋: 10 h on 中国移动, 2 h on 鑫泰; 陈志强: 3 h visiting 中国移动 with 刘洋, 1 h on 美佳.
            ActivityRow(
                kind="visit",
                status="done",
                account_id=ids["移动"],
                member_id=ids["liu"],
                occurred_at=at,
                duration_minutes=600,
            ),
            ActivityRow(
                kind="call",
                status="done",
                account_id=ids["鑫泰"],
                member_id=ids["liu"],
                occurred_at=at,
                duration_minutes=120,
            ),
            ActivityRow(
                kind="visit",
                status="done",
                account_id=ids["移动"],
                member_id=ids["chen"],
                occurred_at=at,
                duration_minutes=180,
            ),
            ActivityRow(
                kind="call",
                status="done",
                account_id=ids["美佳"],
                member_id=ids["chen"],
                occurred_at=at,
                duration_minutes=60,
            ),
            # Planned: 刘洋 a meeting (no duration: estimated 60 min) on 中国移动; 陈志强 a 30-min call on the lead.
            ActivityRow(
                kind="meeting",
                status="planned",
                account_id=ids["移动"],
                member_id=ids["liu"],
                due_on=TODAY + dt.timedelta(days=5),
                duration_minutes=0,
            ),
            ActivityRow(
                kind="call",
                status="planned",
                account_id=ids["新起点"],
                member_id=ids["chen"],
                due_on=TODAY + dt.timedelta(days=3),
                duration_minutes=30,
            ),
            # A meal with 美佳's buyer: 1,800 on the register, and the visit it belonged to (not counted twice).
            GiftRow(
                direction="given",
                kind="meal",
                item="晚宴",
                value_cents=1_800_00,
                given_on=TODAY - dt.timedelta(days=10),
                account_id=ids["美佳"],
                status="done",
            ),
            GiftRow(
                direction="given",
                kind="holiday",
                item="月饼",
                value_cents=600_00,
                given_on=TODAY - dt.timedelta(days=60),
                account_id=ids["美佳"],
                status="done",
            ),
            VisitRow(
                kind="meal",
                status="done",
                starts_at=dt.datetime.combine(TODAY - dt.timedelta(days=10), dt.time(18)),
                account_id=ids["美佳"],
                member_id=ids["chen"],
                budget_cents=2_000_00,
            ),
            # A planned trip with 中国移动: 30 min of planning counted as 480 estimated minutes for 刘洋.
            VisitRow(
                kind="trip",
                status="planned",
                starts_at=dt.datetime.combine(TODAY + dt.timedelta(days=30), dt.time(9)),
                account_id=ids["移动"],
                member_id=ids["liu"],
                budget_cents=8_000_00,
            ),
        ]
        session.add_all(rows)


def test_strategy_groups_of_a_small_book(ws: Workspace):
    ids = _book(ws)
    groups = {name: advice.group for _id, name, advice in ws.accounts.strategies()}
    assert groups["中国移动上海"] is StrategyGroup.KEY  # rank 1 of 9: the top 10%
    assert groups["无锡鑫泰五金"] is StrategyGroup.MAINTAIN  # class A by value, but stingy: never key
    assert groups["佛山美佳电器"] is StrategyGroup.REDUCE  # class D, unattractive, declining
    assert groups["宁波新起点贸易"] is StrategyGroup.PROSPECT
    assert groups["普通客户1"] is StrategyGroup.MAINTAIN  # class B
    advice = ws.accounts.advice(ids["鑫泰"])
    assert advice is not None
    texts = " ".join(r.text for r in advice.reasons)
    assert "rank 2 of 9" in texts and "stingy" in texts.lower()
    counts = ws.accounts.strategy_counts()
    assert sum(counts.values()) == 10 and counts["key"] == 1


def test_one_pyramid_per_salesperson_with_planned_time(ws: Workspace):
    ids = _book(ws)
    _add_time_and_spend(ws, ids)
    data = ws.accounts.dashboard()
    team = {r.group: r for r in data.pyramid.rows}
    assert (team["key"].accounts, team["ordinary"].accounts, team["prospect"].accounts) == (1, 8, 1)
    assert team["key"].minutes == 780 and team["ordinary"].minutes == 180
    assert team["key"].planned_minutes == 60 + 480 and team["prospect"].planned_minutes == 30
    liu = {r.group: r for r in data.pyramids[ids["liu"]].rows}
    chen = {r.group: r for r in data.pyramids[ids["chen"]].rows}
    assert (liu["key"].accounts, liu["ordinary"].accounts, liu["key"].minutes, liu["ordinary"].minutes) == (
        1,
        1,
        600,
        120,
    )
    assert (chen["key"].accounts, chen["ordinary"].accounts, chen["prospect"].accounts) == (0, 7, 1)
    assert chen["key"].minutes == 180  # his time at 刘洋's key account counts in his own pyramid
    assert data.strategy_counts["reduce"] >= 1 and "10%" in data.key_rule


def test_cost_to_serve_counts_time_gifts_and_hospitality_once(ws: Workspace):
    ids = _book(ws)
    _add_time_and_spend(ws, ids)
    found = ws.accounts.cost_to_serve(ids["美佳"])
    assert found is not None
    cost, marks = found
    assert marks == (3, 8)
    assert cost.logged_minutes == 60 and cost.time_cents == 200_00  # 1 h at the default 200 an hour
    assert cost.gifts_cents == 600_00 and cost.hospitality_cents == 1_800_00  # the meal's visit is not added again
    assert cost.total_cents == 2_600_00 and cost.revenue_cents == 20 * W
    assert round(cost.share_of_revenue or 0, 1) == 1.3 and cost.grade(*marks) == "ok"  # 2,600 of 200,000
    ws.settings.save(TeamSettings(hourly_cost_cents=5_000_00, cost_watch_pct=1, cost_alarm_pct=3))
    cost, marks = ws.accounts.cost_to_serve(ids["美佳"]) or (None, None)
    assert cost is not None and cost.total_cents == 7_400_00 and cost.grade(*marks) == "too_costly"  # 3.7%
    costliest = ws.accounts.dashboard().costliest
    assert [c.name for c in costliest][:3] == ["佛山美佳电器", "中国移动上海", "无锡鑫泰五金"]
    assert "宁波新起点贸易" not in {c.name for c in costliest}  # only planned time so far: no cost yet


def test_target_changes_are_logged_cell_by_cell_and_an_old_default_reads_as_the_new(ws: Workspace):
    ws.settings.save(TeamSettings(target_matrix={k: dict(v) for k, v in OLD_DEFAULT_TARGET_MATRIX.items()}))
    assert ws.settings.load().target_matrix == DEFAULT_TARGET_MATRIX  # never edited: the corrected default
    matrix = {k: dict(v) for k, v in DEFAULT_TARGET_MATRIX.items()}
    matrix["B"]["clerk"] = "ordinary_brother"
    ws.settings.save(TeamSettings(target_matrix=matrix))
    assert ws.settings.load().target_matrix["B"]["clerk"] == "ordinary_brother"
    entries = [e for e in ws.audit.entries() if e.row_id == "target_matrix"]
    assert entries and entries[0].by == "alice"
    assert entries[0].changes == {"B × clerk": ["good_friend", "ordinary_brother"]}
