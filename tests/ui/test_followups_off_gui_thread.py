"""The Follow-ups tab's actions run no SQL on the GUI thread (issue 24): on a file share over a VPN every
statement there freezes the window for a whole transaction's requests. Each flow is driven as a person
would in the tab the window builds (background=True), on the small demo, and its outcome checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QPushButton
from sqlalchemy import text

from kamdesk.domain.contacts import ContactQuery
from kamdesk.services.workspace import Workspace
from kamdesk.ui import formatting
from kamdesk.ui.tabs.followups_tab import FollowUpsTab

TODAY = dt.date(2026, 11, 23)
WAIT = 30_000


def _tab(qtbot, ws: Workspace) -> FollowUpsTab:
    tab = FollowUpsTab(ws, background=True)  # as the window builds it (ui/tabs/registry.py)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: len(tab._items()) >= 2, timeout=WAIT)
    return tab


def _pick(tab: FollowUpsTab, index: int = 0) -> tuple[int, str]:
    """Click an item of the agenda; its id and the person it is with."""
    row = tab._items()[index][1]
    tab.tree.setCurrentItem(row)
    return int(tab.current_id() or 0), row.text(2)


def _listed(tab: FollowUpsTab, activity_id: int) -> str | None:
    """The due date the agenda shows for the item, None when it is not listed."""
    for _group, row in tab._items():
        if row.data(0, 0x0101) == activity_id:
            return row.text(0)
    return None


def _idle(tab: FollowUpsTab) -> bool:
    return all(b.isEnabled() for b in (tab.done_button, tab.reschedule_button, tab.snooze_button))


def _on_modal(kind: type[QDialog], act: Callable[[QDialog], None], seen: list[QDialog]) -> None:
    """When a dialog of `kind` is shown modally, let the person act on it (they press Save or OK in `act`)."""

    def poll(tries: list[int] = [0]) -> None:  # noqa: B006 - a counter per call of _on_modal
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog not in seen:
            seen.append(dialog)
            act(dialog)
        elif tries[0] < 600:
            tries[0] += 1
            QTimer.singleShot(25, poll)

    QTimer.singleShot(25, poll)


def _menu_action(button: QPushButton, text: str) -> None:
    menu = button.menu()
    assert isinstance(menu, QMenu)
    [action] = [a for a in menu.actions() if a.text() == text]
    action.trigger()


def test_done_runs_off_the_gui_thread_and_a_second_press_does_not_complete_twice(
    qtbot, ws: Workspace, scripted, gui_thread_sql
):
    with gui_thread_sql.watching():
        tab = _tab(qtbot, ws)
        activity_id, _name = _pick(tab)
        scripted.texts = ["客户同意下周签合同 <确认> & 🙏"]
        tab.done_button.click()
        tab.done_button.click()  # an impatient second press while the first is on its way
        tab.mark_done()  # Ctrl+D as well
        qtbot.waitUntil(lambda: _idle(tab) and _listed(tab, activity_id) is None, timeout=WAIT)
    assert gui_thread_sql.sites == []
    assert [kind for kind, *_rest in scripted.shown] == ["ask_text"]  # asked once, no conflict warned
    assert ws.followups.get(activity_id)[0].status == "done"
    with ws.db.read() as session:  # the outcome, kept with the contact's history
        outcome = session.execute(text("SELECT outcome FROM activities WHERE id = :id"), {"id": activity_id})
        assert outcome.scalar_one() == "客户同意下周签合同 <确认> & 🙏"


def test_reschedule_runs_off_the_gui_thread(qtbot, ws: Workspace, scripted, gui_thread_sql):
    day = TODAY + dt.timedelta(days=5)
    seen: list[QDialog] = []

    def choose(dialog: QDialog) -> None:
        dialog.calendar.setSelectedDate(QDate(day.year, day.month, day.day))  # type: ignore[attr-defined]
        dialog.accept()

    with gui_thread_sql.watching():
        tab = _tab(qtbot, ws)
        activity_id, _name = _pick(tab, 1)
        _on_modal(QDialog, choose, seen)
        tab.reschedule_button.click()
        qtbot.waitUntil(lambda: _idle(tab) and _listed(tab, activity_id) == formatting.date(day), timeout=WAIT)
    assert gui_thread_sql.sites == []
    assert seen and scripted.shown == []
    assert ws.followups.get(activity_id)[0].due_on == day


def test_snooze_runs_off_the_gui_thread(qtbot, ws: Workspace, scripted, gui_thread_sql):
    with gui_thread_sql.watching():
        tab = _tab(qtbot, ws)
        activity_id, _name = _pick(tab, 0)
        _menu_action(tab.snooze_button, "For 3 days")
        qtbot.waitUntil(
            lambda: _idle(tab) and _listed(tab, activity_id) == formatting.date(TODAY + dt.timedelta(days=3)),
            timeout=WAIT,
        )
    assert gui_thread_sql.sites == [] and scripted.shown == []
    assert ws.followups.get(activity_id)[0].due_on == TODAY + dt.timedelta(days=3)


def test_call_notes_open_and_save_off_the_gui_thread(qtbot, ws: Workspace, scripted, gui_thread_sql):
    from kamdesk.ui.dialogs.call_coaching import CallNotesDialog

    seen: list[QDialog] = []
    titles: list[str] = []

    def write(dialog: QDialog) -> None:
        assert isinstance(dialog, CallNotesDialog)
        titles.append(dialog.windowTitle())
        dialog.prep_edits["matter"].setPlainText("问交货期\n再确认价格 <急>")
        dialog.review_edits["lessons"].setPlainText("下次先发邮件再打电话")
        dialog.notes_edit.setPlainText("约定12月5日前回复")
        dialog.accept()  # Save

    with gui_thread_sql.watching():
        tab = _tab(qtbot, ws)
        activity_id, name = _pick(tab, 2)
        _on_modal(CallNotesDialog, write, seen)
        tab.call_notes_button.click()
        qtbot.waitUntil(lambda: bool(seen) and not seen[0].isVisible() and _idle(tab), timeout=WAIT)
        qtbot.wait(100)  # the agenda's re-read after the dialog
    assert gui_thread_sql.sites == []
    assert seen[0].result() == QDialog.DialogCode.Accepted and scripted.shown == []
    assert name in titles[0]
    prep, review, notes = ws.followups.call_notes(activity_id)
    assert prep == {"matter": "问交货期\n再确认价格 <急>"} and review == {"lessons": "下次先发邮件再打电话"}
    assert notes == "约定12月5日前回复"


def test_greeting_and_care_settings_open_and_save_off_the_gui_thread(qtbot, ws: Workspace, gui_thread_sql):
    from kamdesk.ui.dialogs.care_settings import CareSettingsDialog

    before = ws.followups.care_settings()
    seen: list[QDialog] = []
    shown: list[bool] = []

    def flip(dialog: QDialog) -> None:
        assert isinstance(dialog, CareSettingsDialog)
        shown.append(dialog.class_d.isChecked())
        dialog.class_d.setChecked(not dialog.class_d.isChecked())
        dialog.visits.setValue(5)
        dialog.accept()

    with gui_thread_sql.watching():
        tab = _tab(qtbot, ws)
        _on_modal(CareSettingsDialog, flip, seen)
        _menu_action(tab.more_button, "Greeting and care settings…")
        qtbot.waitUntil(lambda: bool(seen) and not seen[0].isVisible(), timeout=WAIT)
    assert gui_thread_sql.sites == []
    assert shown == [before.care_for_class_d]  # the dialog opened on the team's settings
    after = ws.followups.care_settings()
    assert after.care_for_class_d is not before.care_for_class_d and after.visits_per_day == 5


@pytest.mark.parametrize("kind", ["Festival greetings…", "Care greetings…"])
def test_greeting_proposals_open_and_plan_off_the_gui_thread(qtbot, ws: Workspace, gui_thread_sql, kind):
    from kamdesk.ui.dialogs.greeting_plan import ProposalsDialog

    seen: list[QDialog] = []
    proposed: list[int] = []

    def confirm(dialog: QDialog) -> None:
        assert isinstance(dialog, ProposalsDialog)
        proposed.append(dialog.table.rowCount())
        if dialog.table.rowCount():
            dialog.accept()
        else:
            dialog.reject()

    with gui_thread_sql.watching():
        tab = _tab(qtbot, ws)
        _on_modal(ProposalsDialog, confirm, seen)
        _menu_action(tab.more_button, kind)
        qtbot.waitUntil(lambda: bool(seen) and not seen[0].isVisible(), timeout=WAIT)
        qtbot.wait(100)
    assert gui_thread_sql.sites == []
    assert proposed and proposed[0] > 0  # the small demo has people to greet
    assert seen[0].planned > 0  # type: ignore[attr-defined]


def test_planning_from_the_rules_twice_says_why_nothing_more_off_the_gui_thread(
    qtbot, ws: Workspace, scripted, gui_thread_sql
):
    with gui_thread_sql.watching():
        tab = _tab(qtbot, ws)
        tab.generate_from_rules()
        added = tab.generate_from_rules()  # everyone already has their next call: nothing new
    assert gui_thread_sql.sites == []
    assert added == 0 and scripted.shown[-1][0] == "inform"
    assert scripted.shown[-1][2].startswith("Nothing new was planned")


def test_done_on_an_item_a_colleague_moved_meanwhile_says_so_and_frees_the_buttons(
    qtbot, ws: Workspace, scripted, gui_thread_sql, monkeypatch
):
    import threading

    from kamdesk.services.workspace import open_workspace

    tab = _tab(qtbot, ws)
    activity_id, _name = _pick(tab)
    moved = TODAY + dt.timedelta(days=9)
    answer = scripted.ask_text

    def colleague_moves_it_while_i_type(*args):  # noqa: ANN002
        def move() -> None:  # 李强 on his own computer, while the question is open on mine
            other = open_workspace(ws.path, "李强")
            try:
                other.followups.reschedule(activity_id, other.followups.get(activity_id)[1], moved)
            finally:
                other.close()

        worker = threading.Thread(target=move)
        worker.start()
        worker.join()
        return answer(*args)

    monkeypatch.setattr(scripted, "ask_text", colleague_moves_it_while_i_type)
    scripted.texts = ["已经谈妥"]
    with gui_thread_sql.watching():
        tab.done_button.click()
        qtbot.waitUntil(lambda: any(kind == "warn" for kind, *_r in scripted.shown) and _idle(tab), timeout=WAIT)
    assert gui_thread_sql.sites == []
    [(_kind, title, text)] = [s for s in scripted.shown if s[0] == "warn"]
    assert title == "Follow-ups" and "was changed by 李强" in text
    item, _version = ws.followups.get(activity_id)
    assert item.status == "planned" and item.due_on == moved  # not done over the colleague's change


def test_planning_a_call_opens_and_plans_off_the_gui_thread_and_selects_it(qtbot, ws: Workspace, gui_thread_sql):
    from kamdesk.ui.dialogs.followup_dialogs import PlanDialog

    seen: list[QDialog] = []
    wanted = ws.contacts.first_page(ContactQuery(), 1)[0][0]

    def plan(dialog: QDialog) -> None:
        assert isinstance(dialog, PlanDialog)
        dialog.picker.search.setText(wanted.name)  # typed: the matches come a moment later

        def pick() -> None:
            if dialog.picker.searching():
                QTimer.singleShot(25, pick)
                return
            dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("call"))
            dialog.subject_edit.setText("问年底的采购计划 <急> & 🙏")
            dialog.accept()

        pick()

    with gui_thread_sql.watching():
        tab = _tab(qtbot, ws)
        tab.horizon_combo.setCurrentIndex(2)
        _on_modal(PlanDialog, plan, seen)
        tab.plan_button.click()
        tab.plan_button.click()  # pressed twice while the team is read: one dialog
        qtbot.waitUntil(lambda: bool(seen) and not seen[0].isVisible(), timeout=WAIT)
        planned = seen[0].planned_id  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: planned is not None and tab.current_id() == planned, timeout=WAIT)
        qtbot.wait(300)
    assert gui_thread_sql.sites == []
    assert len(seen) == 1
    item, _version = ws.followups.get(planned)
    assert item.subject == "问年底的采购计划 <急> & 🙏" and item.contact_id == wanted.id and item.due_on == TODAY


def test_contact_rules_open_and_save_off_the_gui_thread(qtbot, ws: Workspace, gui_thread_sql):
    from kamdesk.ui.dialogs.followup_dialogs import RulesDialog

    before = {r.account_class: r for r in ws.followups.rules() if r.rank_tier is None}
    seen: list[QDialog] = []
    shown: list[int] = []

    def every_ten_days(dialog: QDialog) -> None:
        assert isinstance(dialog, RulesDialog)
        business, _low, _high = dialog.spins["A"]
        shown.append(business.value())
        business.setValue(10)
        dialog.accept()

    with gui_thread_sql.watching():
        tab = _tab(qtbot, ws)
        _on_modal(RulesDialog, every_ten_days, seen)
        _menu_action(tab.more_button, "Contact rules…")
        qtbot.waitUntil(lambda: bool(seen) and not seen[0].isVisible(), timeout=WAIT)
    assert gui_thread_sql.sites == []
    assert shown == [before["A"].business_days or 0]  # the dialog opened on the team's rules
    assert [r for r in ws.followups.rules() if r.account_class == "A"][0].business_days == 10
