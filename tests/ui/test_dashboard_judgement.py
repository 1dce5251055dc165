"""The dashboard on the small demo: the pyramid per salesperson with planned time, accounts by strategy, the
accounts costing most to serve, the weakest zippers, and the team's targets in the heat map."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kamdesk.domain.strategy import StrategyGroup
from kamdesk.services.demo import load_demo
from kamdesk.services.workspace import open_workspace
from kamdesk.ui.tabs.dashboard_tab import DashboardTab

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dash") / "demo.kamdb"
    load_demo(path, "small", today=TODAY)
    return path


@pytest.fixture
def tab(qtbot, demo_path: Path):
    ws = open_workspace(demo_path, "viewer", read_only=True)
    ws.clock.fix(TODAY)
    tab = DashboardTab(ws)
    qtbot.addWidget(tab)
    tab.resize(1400, 1000)
    yield tab
    ws.close()


def test_the_pyramid_is_shown_per_salesperson_with_planned_time(tab: DashboardTab):
    data = tab.data
    assert data is not None
    selector = tab.pyramid_selector
    assert selector.itemData(0) is None and selector.count() == len(data.pyramids)
    team_accounts = sum(r.accounts for r in tab.pyramid.data().rows)
    assert team_accounts == int(tab.totals.values["accounts"].text())
    assert sum(r.planned_minutes for r in tab.pyramid.data().rows) > 0  # the demo has follow-ups planned
    owners = [selector.itemData(i) for i in range(1, selector.count())]
    owned = 0
    for index, owner in enumerate(owners, start=1):
        selector.setCurrentIndex(index)
        shown = tab.pyramid.data()
        assert shown.owner_id == owner and shown.owner_name == selector.itemText(index)
        assert tab.pyramid.title().startswith("Customer pyramid of " + shown.owner_name)
        owned += sum(r.accounts for r in shown.rows)
    assert 0 < owned <= team_accounts  # every owned account is in its owner's pyramid once
    selector.setCurrentIndex(0)
    assert tab.pyramid.data().owner_id is None


def test_strategy_counts_costs_and_zippers(tab: DashboardTab):
    judgement = tab.judgement
    counts = [int(judgement.groups.item(row, 1).text()) for row in range(len(StrategyGroup))]
    assert sum(counts) == int(tab.totals.values["accounts"].text())
    assert counts[list(StrategyGroup).index(StrategyGroup.KEY)] >= 1
    assert "10%" in judgement.key_rule.text()
    assert judgement.costs.rowCount() == 10
    shares = [judgement.costs.item(r, 2).text() for r in range(judgement.costs.rowCount())]
    numbers = [float(s.rstrip("%")) for s in shares if s != "—"]
    assert numbers == sorted(numbers, reverse=True)  # costing most relative to revenue first
    assert judgement.zippers.account_ids()  # the weakest zippers of the demo


def test_the_heat_map_names_the_teams_target_per_cell(tab: DashboardTab):
    assert tab.heat.item(0, 0).text().startswith("Best friend")  # class A × owner
    assert tab.heat.item(3, 3).text().startswith("Good friend")  # class D × clerk: the chart's lowest level


def test_screenshot_in_chinese(qtbot, demo_path: Path, tmp_path: Path):
    from kamdesk.i18n import set_language

    set_language("zh_CN")
    ws = open_workspace(demo_path, "viewer", read_only=True)
    try:
        ws.clock.fix(TODAY)
        tab = DashboardTab(ws)
        qtbot.addWidget(tab)
        tab.resize(1400, 1100)
        tab.show()
        qtbot.waitExposed(tab)
        tab.pyramid_selector.setCurrentIndex(1)
        assert tab.judgement.groups.item(0, 0).text() == StrategyGroup.KEY.label != "Key account"
        tab.grab().save(str(tmp_path / "dashboard.png"))
    finally:
        set_language("en")
        ws.close()
