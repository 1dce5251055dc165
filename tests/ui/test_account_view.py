"""The account workspace: what its read gathers (in a fixed number of statements), what the page shows, Back and
Forward, logging from the page through the existing dialogs, the quick finder, and the plans list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from kamdesk.domain.contacts import ContactDetail, StageUpdate
from kamdesk.domain.gifts import RegisterEntry
from kamdesk.domain.models import AccountDetail, AccountValue, TeamAssignment, TeamMember
from kamdesk.domain.plans import ActionStep, Objective
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.followup_dialogs import PlanDialog
from kamdesk.ui.tabs.account_view.finder import QuickFinder
from kamdesk.ui.tabs.account_view.tab import AccountViewTab
from kamdesk.ui.tabs.plans.plan_list import PlanListView

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


def _build(ws: Workspace, people: int = 2) -> dict[str, int]:
    me = ws.team.save(TeamMember(0, "Test Person", "客户经理", "销售部", "manager", "account_manager", True))
    boss = ws.team.save(TeamMember(0, "王建国", "总经理", "", "owner", "executive_sponsor", True))
    big, _ = ws.accounts.save(
        AccountDetail(
            name="宁波港务集团",
            city="宁波",
            values=[AccountValue("2025", 50_000_000, None), AccountValue("2026", 60_000_000, None)],
            owner_id=me,
            team=[TeamAssignment(me, "account_manager"), TeamAssignment(boss, "executive_sponsor")],
        )
    )
    small, _ = ws.accounts.save(AccountDetail(name="舟山渔业公司", values=[AccountValue("2026", 1_000_000, None)]))
    chen = ws.contacts.save(
        ContactDetail(
            name="陈立新", account_id=big, title="采购总监", rank_tier="manager", buying_role="decision_maker"
        )
    )
    for n in range(people - 1):
        ws.contacts.save(
            ContactDetail(
                name=f"李{n}",
                account_id=big,
                rank_tier="staff",
                stage_update=StageUpdate("good_friend", TODAY - dt.timedelta(days=3)),
            )
        )
    ws.followups.plan(kind="call", due_on=TODAY + dt.timedelta(days=2), contact_id=chen, account_id=big, member_id=me)
    done = ws.followups.plan(kind="visit", due_on=TODAY - dt.timedelta(days=9), contact_id=chen, account_id=big)
    item = ws.followups.get(done)
    assert item is not None
    ws.followups.complete(done, item[1], "谈妥了明年的框架协议", dt.datetime(2026, 11, 14, 2, 0))
    ws.gifts.record(
        RegisterEntry(
            kind="holiday", item="中秋月饼", value_cents=20_000, given_on=TODAY - dt.timedelta(days=60), contact_id=chen
        )
    )
    plan = ws.plans.new(big, "FY2026")
    plan.objectives = [Objective("份额提高到 40%", "份额", "40%", dt.date(2026, 12, 31))]
    plan.actions = [
        ActionStep("拜访采购部", owner_id=me, deadline=TODAY - dt.timedelta(days=3)),
        ActionStep("签订框架协议", owner_id=me, status="done", progress=100),
    ]
    ws.plans.save(plan)
    return {"me": me, "big": big, "small": small, "chen": chen}


@contextmanager
def _statements(ws: Workspace) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(ws.db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", count)


def test_the_read_gathers_the_whole_account(ws: Workspace):
    ids = _build(ws)
    view = ws.account_view.load(ids["big"])
    assert view is not None
    reason = view.class_reason
    assert reason.account_class is not None and reason.rank == 1 and reason.ranked == 2 and not reason.pinned
    assert view.values == [("2025", 50_000_000), ("2026", 60_000_000)]
    assert view.owner_name == "Test Person"
    assert ("王建国", "executive_sponsor") in view.team
    chen = next(c for c in view.contacts if c.name == "陈立新")
    assert chen.stage == "stranger" and chen.target is not None and chen.gap is not None and chen.gap > 0
    assert view.contacts[0].name == "陈立新"  # furthest below target first
    assert view.plan_period == "FY2026" and [o.statement for o in view.objectives] == ["份额提高到 40%"]
    assert [a.task for a in view.open_actions] == ["拜访采购部"]  # the done step is not open
    kinds = [(e.category, e.title or e.kind) for e in view.timeline]
    assert ("gift", "中秋月饼") in kinds and any(c == "activity" for c, _t in kinds)
    assert [e.on for e in view.timeline] == sorted((e.on for e in view.timeline), reverse=True)
    assert view.next_followup is not None and view.next_followup.contact_name == "陈立新"
    assert ws.account_view.load(999_999) is None


def test_the_read_takes_the_same_statements_however_many_people(ws: Workspace):
    ids = _build(ws, people=2)
    with _statements(ws) as few:
        ws.account_view.load(ids["big"])
    for n in range(30):
        ws.contacts.save(ContactDetail(name=f"张{n}", account_id=ids["big"], rank_tier="clerk"))
        ws.followups.plan(kind="email", due_on=TODAY + dt.timedelta(days=n), account_id=ids["big"])
    with _statements(ws) as many:
        view = ws.account_view.load(ids["big"])
    assert view is not None and len(view.contacts) == 32 and len(view.open_followups) == 31
    assert len(many) == len(few), "no statement per person or per item"


def test_the_page_shows_the_account_and_goes_back_and_forward(qtbot, ws: Workspace):
    ids = _build(ws)
    page = AccountViewTab(ws)
    qtbot.addWidget(page)
    assert page.stack.currentWidget() is page.empty and not page.back_button.isEnabled()
    page.show_account(ids["big"])
    assert page.header.name.text() == "宁波港务集团"
    assert "ranked 1 of 2" in page.header.class_label.text()
    assert "2025 → 2026: +20%" == page.header.trend.text()
    assert "陈立新" in page.header.next_followup.text()
    assert "Owner: Test Person" in page.header.team.text()
    page.timeline.filter.setCurrentIndex(page.timeline.filter.findData("gift"))
    assert [row[2] for row in page.timeline.rows()] == ["中秋月饼"]
    page.show_account(ids["small"])
    assert page.header.name.text() == "舟山渔业公司" and page.back_button.isEnabled()
    assert "No contacts at this account yet" in page.people.empty.text()
    assert "No plan yet" in page.plan.title.text()
    page.go_back()
    assert page.header.name.text() == "宁波港务集团" and page.forward_button.isEnabled()
    page.go_forward()
    assert page.header.name.text() == "舟山渔业公司" and not page.forward_button.isEnabled()


def test_logging_a_call_from_the_page_plans_it_with_the_person_chosen(qtbot, ws: Workspace):
    ids = _build(ws)
    page = AccountViewTab(ws)
    qtbot.addWidget(page)
    page.show_account(ids["big"])
    page.people.tree.setCurrentItem(page.people.tree.topLevelItem(0))  # 陈立新
    dialog = page.make_log_dialog("call")
    qtbot.addWidget(dialog)
    assert isinstance(dialog, PlanDialog)
    assert dialog.kind_combo.currentData() == "call" and dialog.fixed_contact == ids["chen"]
    dialog.subject_edit.setText("确认招标时间")
    dialog.accept()
    assert dialog.planned_id is not None
    page.refresh()
    assert any(f.subject == "确认招标时间" for f in page.view.open_followups) if page.view else False
    visit = page.make_log_dialog("visit")
    qtbot.addWidget(visit)
    assert visit.account.currentData() == ids["big"]


def test_the_quick_finder_finds_accounts_and_people_by_initials(qtbot, ws: Workspace):
    ids = _build(ws)
    finder = QuickFinder(ws)
    qtbot.addWidget(finder)
    finder.search.setText("nbgw")  # 宁波港务
    with qtbot.waitSignal(finder.results.model().rowsInserted, timeout=3000):
        finder.search_now()
    assert "宁波港务集团" in finder.results.item(0).text()
    finder.search.setText("clx")  # 陈立新
    finder.search_now()
    qtbot.waitUntil(lambda: finder.results.count() > 0 and "陈立新" in finder.results.item(0).text(), timeout=3000)
    finder._take(finder.results.item(0))
    assert finder.chosen == ("contact", ids["chen"], ids["big"])


def test_the_plans_list_shows_my_plans_with_overdue_actions(qtbot, ws: Workspace):
    _build(ws)
    view = PlanListView(ws)
    qtbot.addWidget(view)
    view.refresh()
    assert view.owner_combo.currentText() == "Test Person"
    rows = view.shown_rows()
    assert len(rows) == 1
    account, period, owner, status, open_actions, overdue, _changed = rows[0]
    assert (account, period, owner, status, open_actions, overdue) == (
        "宁波港务集团",
        "FY2026",
        "Test Person",
        "Running",
        "1",
        "1",
    )
    view.status_combo.setCurrentIndex(view.status_combo.findData("ended"))
    assert view.shown_rows() == [] and "No plan matches" in view.empty.text()
    with qtbot.waitSignal(view.open_plan) as opened:
        view.status_combo.setCurrentIndex(0)
        view.table.selectRow(0)
        view.open_button.click()
    assert opened.args and ws.plans.get(opened.args[0]) is not None


def test_the_window_opens_accounts_from_lists_and_goes_back_with_alt_left(qtbot, ws: Workspace, app_settings):
    from kamdesk.services.workspace import open_workspace
    from kamdesk.ui.main_window import MainWindow

    ids = _build(ws)
    window = MainWindow(ws, app_settings, lambda path, create: open_workspace(path, "Test Person", create=create))
    qtbot.addWidget(window)
    window.show()
    accounts = window.accounts_tab
    qtbot.waitUntil(lambda: accounts.model.rowCount() > 0)  # the list reads off the GUI thread
    accounts.table.selectRow(0)
    accounts._open_index(accounts.table.currentIndex())  # a double-click on the first (most valuable) account
    page = window.account_view_tab
    qtbot.waitUntil(lambda: page.view is not None and page.view.account_id == ids["big"], timeout=3000)
    assert window.tabs.currentWidget() is page
    window.open_account(ids["small"])
    qtbot.waitUntil(lambda: page.view is not None and page.view.account_id == ids["small"], timeout=3000)
    assert window.back_action.shortcut().toString() == "Alt+Left"
    window.back_action.trigger()
    qtbot.waitUntil(lambda: page.view is not None and page.view.account_id == ids["big"], timeout=3000)

    class Chosen:
        chosen = ("contact", ids["chen"], ids["big"])

        def exec(self) -> int:
            return 1

    window.make_finder = lambda: Chosen()  # type: ignore[method-assign]
    window.tabs.setCurrentWidget(window.gifts_tab)
    window.find_action.trigger()  # Ctrl+F: a contact chosen opens their company
    assert window.tabs.currentWidget() is page
