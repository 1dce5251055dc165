"""Account Plans, the org map and the window's team settings and audit trail, built as the window builds them,
run no SQL on the GUI thread (issue 24): adding a SMART objective reads last year's revenue in the thread pool,
a link dragged on the org map is written there, the team settings are read before their dialog opens and saved
behind a busy window, and the audit trail reads its choosers and entries off the GUI thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QWidget

from kamdesk.domain.contacts import ContactDetail
from kamdesk.domain.models import AccountDetail, AccountValue, TeamAssignment, TeamMember
from kamdesk.services.workspace import Workspace, open_workspace
from kamdesk.ui.dialogs.audit_dialog import AuditDialog
from kamdesk.ui.dialogs.settings_dialog import TeamSettingsDialog
from kamdesk.ui.main_window import MainWindow
from kamdesk.ui.tabs.contacts_tab import ContactsTab
from kamdesk.ui.tabs.plans.tab import PlansTab

TODAY = dt.date(2026, 11, 23)
WAIT = 20_000


@pytest.fixture
def team(workspace: Workspace) -> Workspace:
    """中国移动 with ¥100,000 of revenue in 2026, its account manager and a second colleague, and two of theirs."""
    workspace.clock.fix(TODAY)
    me = workspace.team.save(TeamMember(0, "Test Person", "客户经理", "销售部", "manager", "account_manager", True))
    workspace.team.save(TeamMember(0, "李娜", "销售经理", "销售部", "manager", "sales_manager", True))
    account, _ = workspace.accounts.save(
        AccountDetail(
            name="中国移动",
            values=[AccountValue("2026", 100_000_00, None)],
            team=[TeamAssignment(me, "account_manager")],
        )
    )
    workspace.contacts.save(
        ContactDetail(name="曾国华", account_id=account, rank_tier="owner", buying_role="decision_maker")
    )
    workspace.contacts.save(ContactDetail(name="单芳", account_id=account, rank_tier="staff"))
    return workspace


def _ids(ws: Workspace) -> tuple[int, dict[str, int], dict[str, int]]:
    account = ws.contacts.account_choices()[0][0]
    members = {m.name: m.id for m in ws.team.members()}
    data, _analysis = ws.contacts.org_map(account)
    return account, members, {c.name: c.id for c in data.theirs}


def _answer(window: QWidget, kind: type[QDialog], act: Callable[[QDialog], None], done: list[bool]) -> None:
    """Act on the `kind` dialog once it is the modal one (it opens when its read lands); one opened after it
    is closed and counted too (`done` says how many opened), while `window` lives."""
    dialog = QApplication.activeModalWidget()
    if isinstance(dialog, kind) and dialog.isVisible():
        if done:
            dialog.reject()
        else:
            act(dialog)
        done.append(True)
    QTimer.singleShot(20, window, lambda: _answer(window, kind, act, done))


def test_adding_a_smart_objective_reads_last_year_off_the_gui_thread(qtbot, team: Workspace, scripted, gui_thread_sql):
    account, members, _theirs = _ids(team)
    tab = PlansTab(team, background=True)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.account_combo.count() == 1 and tab._team is not None, timeout=WAIT)
    with gui_thread_sql.watching():
        tab.select_account(account)
        qtbot.waitUntil(lambda: "no plan yet" in tab.empty.text(), timeout=WAIT)
        scripted.texts.append("FY2027")
        assert tab.new_plan()  # a new plan brings no last year's revenue: it is read when an objective needs it
        objectives = tab.editor.objectives
        objectives.add_objective()
        table = objectives.table
        table.item(0, 0).setText("合同额达到 50万元")
        table.item(0, 1).setText("合同额")
        table.item(0, 2).setText("50万元")
        table.item(0, 3).setText("2027-12-31")
        owner = table.cellWidget(0, 4)
        assert isinstance(owner, QComboBox)
        owner.setCurrentIndex(owner.findData(members["Test Person"]))
        # Judged against 2026's ¥100,000 once it lands: ¥500,000 is more than twice that.
        qtbot.waitUntil(lambda: "twice last year's actual revenue" in table.item(0, 5).toolTip(), timeout=WAIT)
        assert "✗ A" in table.item(0, 5).toolTip()
        assert tab.save()
        qtbot.waitUntil(lambda: "Saved." in tab.status.text(), timeout=WAIT)
    assert gui_thread_sql.sites == []
    plan = team.plans.plans(account)[0]
    saved = team.plans.get(plan.id)
    assert saved is not None and [(o.statement, o.owner_id) for o in saved.objectives] == [
        ("合同额达到 50万元", members["Test Person"])
    ]
    assert tab.editor._actuals == {(account, 2026): 100_000_00}


def test_moving_the_plan_a_year_back_judges_it_against_that_year_off_the_gui_thread(
    qtbot, team: Workspace, scripted, gui_thread_sql
):
    account, members, _theirs = _ids(team)
    tab = PlansTab(team, background=True)
    qtbot.addWidget(tab)
    tab.select_account(account)
    qtbot.waitUntil(lambda: "no plan yet" in tab.empty.text() and tab._team is not None, timeout=WAIT)
    scripted.texts.append("FY2027")
    assert tab.new_plan()
    objectives = tab.editor.objectives
    objectives.add_objective()
    objectives.table.item(0, 2).setText("50万元")
    qtbot.waitUntil(lambda: (account, 2026) in tab.editor._actuals, timeout=WAIT)
    with gui_thread_sql.watching():
        starts = tab.editor.summary.starts_edit
        starts.setDate(starts.date().addYears(-1))  # FY2026: compared with 2025, when nothing was recorded
        qtbot.waitUntil(lambda: (account, 2025) in tab.editor._actuals, timeout=WAIT)
    assert gui_thread_sql.sites == []
    assert tab.editor._actuals[(account, 2025)] is None
    assert "twice last year's" not in objectives.table.item(0, 5).toolTip()


def test_linking_two_people_on_the_org_map_writes_off_the_gui_thread(qtbot, team: Workspace, gui_thread_sql):
    account, members, theirs = _ids(team)
    tab = ContactsTab(team, background=True)
    qtbot.addWidget(tab)
    tab.show()
    tab.show_org_map(account)
    page = tab.map_page
    qtbot.waitUntil(lambda: page.view.gap_markers() == [("theirs", theirs["曾国华"])], timeout=WAIT)
    with gui_thread_sql.watching():
        with qtbot.waitSignal(page.links_changed, timeout=WAIT):
            page.view.link_requested.emit(members["李娜"], theirs["曾国华"])
            page.view.link_requested.emit(members["李娜"], theirs["曾国华"])  # a second drop meanwhile: ignored
        qtbot.waitUntil(lambda: "李娜" in page.summary.text() and "曾国华" in page.summary.text(), timeout=WAIT)
    assert gui_thread_sql.sites == []
    assert page.view.gap_markers() != [("theirs", theirs["曾国华"])]  # their decision maker is known now
    assert [link.member_id for link in team.contacts.get(theirs["曾国华"]).links] == [members["李娜"]]
    assert [e.table_name for e in team.audit.entries()].count("links") == 1


def _window(qtbot, ws: Workspace, app_settings) -> MainWindow:  # noqa: ANN001
    window = MainWindow(ws, app_settings, lambda path, create: open_workspace(path, "Test Person", create=create))
    qtbot.addWidget(window)
    window.show()
    return window


def test_team_settings_are_read_before_the_dialog_and_saved_off_the_gui_thread(
    qtbot, team: Workspace, app_settings, gui_thread_sql
):
    window = _window(qtbot, team, app_settings)
    answered: list[bool] = []

    def to_profit(dialog: QDialog) -> None:
        assert isinstance(dialog, TeamSettingsDialog)
        assert dialog.measure_combo.currentData() == "revenue"  # as read
        dialog.measure_combo.setCurrentIndex(dialog.measure_combo.findData("profit"))
        dialog.confidentiality_edit.setText("内部资料 请勿外传")
        dialog.accept()

    with gui_thread_sql.watching():
        QTimer.singleShot(0, lambda: _answer(window, TeamSettingsDialog, to_profit, answered))
        window.edit_team_settings()
        window.edit_team_settings()  # a second press while the first read is on its way opens nothing more
        qtbot.waitUntil(lambda: "Team settings saved" in window.statusBar().currentMessage(), timeout=WAIT)
    assert gui_thread_sql.sites == []
    assert answered == [True]
    saved = team.settings.load()
    assert (saved.value_measure, saved.confidentiality) == ("profit", "内部资料 请勿外传")


def test_the_audit_trail_reads_off_the_gui_thread(qtbot, team: Workspace, app_settings, gui_thread_sql):
    bo = open_workspace(team.path, "Bo")
    try:
        bo.team.save(TeamMember(0, "王芳", "", "", None, None, True))
    finally:
        bo.close()
    window = _window(qtbot, team, app_settings)
    seen: dict[str, object] = {}

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, AuditDialog)

        def step(stage: int = 0) -> None:
            if getattr(dialog, "reading", False):  # (the dialog read on the GUI thread before issue 24)
                QTimer.singleShot(20, lambda: step(stage))
                return
            if stage == 0:
                seen["people"] = [dialog.person.itemData(i) for i in range(dialog.person.count())]
                seen["all"] = dialog.table.rowCount()
                dialog.person.setCurrentIndex(dialog.person.findData("Bo"))
                QTimer.singleShot(0, lambda: step(1))
                return
            seen["bo"] = [dialog.table.item(r, 5).text() for r in range(dialog.table.rowCount())]
            dialog.reject()

        step()

    done: list[bool] = []
    with gui_thread_sql.watching():
        QTimer.singleShot(0, lambda: _answer(window, AuditDialog, look, done))
        window.shared_file.show_audit()
        qtbot.waitUntil(lambda: "bo" in seen, timeout=WAIT)
    assert gui_thread_sql.sites == []
    assert seen["people"] == ["", "Bo", "Test Person"]
    assert seen["all"] == len(team.audit.entries())
    assert len(seen["bo"]) == 1 and "name: 王芳" in seen["bo"][0]


def test_a_new_plan_started_before_the_team_arrives_waits_for_it_off_the_gui_thread(
    qtbot, team: Workspace, scripted, monkeypatch, gui_thread_sql
):
    import threading
    import time

    account, members, _theirs = _ids(team)
    read_team = team.team.members
    released = [False]

    def slow():  # noqa: ANN202 - a file server far away: the tab's reads of the team are slow
        if threading.current_thread() is not threading.main_thread():
            while not released[0]:
                time.sleep(0.01)
        return read_team()

    monkeypatch.setattr(team.team, "members", slow)
    tab = PlansTab(team, background=True)
    qtbot.addWidget(tab)
    with gui_thread_sql.watching():
        tab.select_account(account)
        qtbot.waitUntil(lambda: "no plan yet" in tab.empty.text(), timeout=WAIT)
        scripted.texts.append("FY2027")
        assert tab.new_plan()
        assert tab.stack.currentWidget() is not tab.editor  # its choosers wait for the team
        released[0] = True
        qtbot.waitUntil(lambda: tab.stack.currentWidget() is tab.editor, timeout=WAIT)
    assert gui_thread_sql.sites == []
    assert tab.editor.summary.owner_combo.currentData() == members["Test Person"]  # from the account team
    assert tab.period_combo.currentText() == "FY2027"


def test_ok_pressed_again_while_the_team_settings_save_saves_once(qtbot, team: Workspace):
    from kamdesk.domain.settings import TeamSettings

    saves: list[TeamSettings] = []

    def save(settings: TeamSettings) -> None:  # the save waits on the file; the window turns meanwhile
        saves.append(settings)
        dialog.accept()  # OK pressed again

    dialog = TeamSettingsDialog(team.settings.load(), save)
    qtbot.addWidget(dialog)
    dialog.measure_combo.setCurrentIndex(dialog.measure_combo.findData("profit"))
    dialog.accept()
    assert [s.value_measure for s in saves] == ["profit"]
    assert dialog.saved_settings is not None and dialog.result() == QDialog.DialogCode.Accepted
