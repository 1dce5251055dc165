"""The Account Plans tab in the window (issue 24): the team its choosers offer is read once, off the GUI
thread, for the plan editor, My actions and the plans list; a plan never shows before its team is in."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from kamdesk.domain.models import AccountDetail, AccountValue, TeamAssignment, TeamMember
from kamdesk.domain.plans import ActionStep, Objective
from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.plans.tab import PlansTab

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


def _setup(ws: Workspace) -> tuple[int, int]:
    me = ws.team.save(TeamMember(0, "Test Person", "客户经理", "销售部", "manager", "account_manager", True))
    ws.team.save(TeamMember(0, "李娜", "销售经理", "销售部", "manager", "sales_manager", True))
    account, _ = ws.accounts.save(
        AccountDetail(
            name="中国移动", values=[AccountValue("2026", 1000, None)], team=[TeamAssignment(me, "account_manager")]
        )
    )
    return account, me


def test_the_team_is_read_once_off_the_gui_thread_for_every_chooser(qtbot, ws: Workspace, monkeypatch, scripted):
    account, me = _setup(ws)
    gui = threading.get_ident()
    readers: list[int] = []
    members = ws.team.members

    def watched():  # noqa: ANN202
        readers.append(threading.get_ident())
        return members()

    owners_asked: list[object] = []
    plans = ws.account_view.plans

    def plans_of(owner):  # noqa: ANN001, ANN202
        owners_asked.append(owner)
        return plans(owner)

    monkeypatch.setattr(ws.team, "members", watched)
    monkeypatch.setattr(ws.account_view, "plans", plans_of)
    tab = PlansTab(ws, background=True)
    qtbot.addWidget(tab)
    assert gui not in readers  # nothing read while the tab was built
    qtbot.waitUntil(lambda: "No plans of Test Person yet" in tab.plan_list.empty.text(), timeout=20_000)
    assert len(readers) == 1 and readers[0] != gui
    assert tab.plan_list.owner_combo.currentData() == me
    assert owners_asked == [me]  # the list waited for the team: never everyone's plans first
    assert tab.my_actions.member_combo.currentText() == "Test Person"
    assert tab._editor is None  # a first look shows the plans list: the editor's sections are built when needed
    names = [tab.editor.summary.sponsor_combo.itemText(i) for i in range(tab.editor.summary.sponsor_combo.count())]
    assert sorted(names) == sorted(["—", "Test Person", "李娜"])
    tab.select_account(account)
    qtbot.waitUntil(lambda: "no plan yet" in tab.empty.text(), timeout=20_000)
    scripted.texts.append("FY2027")
    assert tab.new_plan()
    assert tab.editor.summary.owner_combo.currentData() == me  # from the account team, as before
    assert len(readers) == 1


def test_a_plan_read_before_the_team_arrives_still_shows_its_owner(qtbot, ws: Workspace, monkeypatch):
    account, me = _setup(ws)
    plan = ws.plans.new(account, "FY2027")
    plan.actions = [ActionStep("拜访采购总监", me, deadline=dt.date(2027, 1, 15))]
    ws.plans.save(plan)
    gui = threading.get_ident()
    members = ws.team.members
    released = [False]
    slowed = [False]

    def slow():  # noqa: ANN202 - a file server far away: the tab's read of the team ends after the plan's
        assert threading.get_ident() != gui  # the plan's read brings the team itself, off the GUI thread
        if not slowed[0]:
            slowed[0] = True
            while not released[0]:
                time.sleep(0.01)
        return members()

    monkeypatch.setattr(ws.team, "members", slow)
    tab = PlansTab(ws, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.account_combo.count() == 1, timeout=20_000)
    tab.select_account(account)
    qtbot.waitUntil(lambda: tab.stack.currentWidget() is tab.editor, timeout=20_000)
    assert tab.editor.summary.owner_combo.currentData() == me
    owner = tab.editor.steps.table.cellWidget(0, 1)
    assert owner is not None and owner.currentData() == me  # the action's owner, too
    released[0] = True
    qtbot.waitUntil(lambda: tab.plan_list.owner_combo.count() == 3, timeout=20_000)
    assert tab.editor.summary.owner_combo.currentData() == me
    assert not tab._has_unsaved_edits()  # the late team changed nothing on screen


def test_opening_a_plan_in_the_window_reads_nothing_on_the_gui_thread(qtbot, ws: Workspace):
    from sqlalchemy import event

    account, me = _setup(ws)
    plan = ws.plans.new(account, "FY2027")
    plan.actions = [ActionStep("拜访采购总监", me, deadline=dt.date(2027, 1, 15))]
    plan.objectives = [Objective("采购份额提高到 40%", "采购份额", "40%", dt.date(2027, 12, 31), me)]
    ws.plans.save(plan)
    tab = PlansTab(ws, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.account_combo.count() == 1 and tab.editor.members.loaded, timeout=20_000)
    gui = threading.get_ident()
    on_gui: list[str] = []
    event.listen(
        ws.db.engine,
        "before_cursor_execute",
        lambda *args: on_gui.append(args[2]) if threading.get_ident() == gui else None,
    )
    tab.select_account(account)
    qtbot.waitUntil(lambda: tab.stack.currentWidget() is tab.editor, timeout=20_000)
    assert on_gui == []  # the plan, its reviews and last year's revenue for the SMART check: all read off it
    assert tab.editor.objectives.table.item(0, 5).text()  # the SMART check was made, against last year
    assert tab.editor._actuals == {(account, 2026): ws.smart.actual_revenue(account, 2026)}
    assert ws.smart.actual_revenue(account, 2026)  # the account's 2026 revenue is there to compare with
