"""The account editor and the contact card run no SQL on the GUI thread while a person works in them (issue 24):
the duplicate question before a save, a save that met a colleague's, delete, the changed-underneath banner when
the window is active again, Reload, a company chosen on the card, the sensitive events and Erase this person.

On a file share each statement on the GUI thread freezes the window for a transaction's requests; each test
drives one flow as a person would, waits for its answer, and checks both that the GUI thread ran no statement
and what the person ends up with."""

from __future__ import annotations

import pytest
import test_conflicts_ui
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kamdesk.domain.contacts import ContactDetail, ContactQuery, StageUpdate
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.services.workspace import Workspace
from kamdesk.ui import change_notices, tasks
from kamdesk.ui.dialogs.account_dialog import AccountDialog
from kamdesk.ui.dialogs.contact_dialog import ContactDialog
from kamdesk.ui.dialogs.contact_events import EventDialog, SensitiveEventsPage
from kamdesk.ui.dialogs.editor_data import contact_card, read_account_editor, read_contact_card
from kamdesk.ui.dialogs.erase_person import erase_person

#: The same two people on one team file as the conflict tests: me (`ws`, the clock at TODAY) and colleague `bob`.
TODAY = test_conflicts_ui.TODAY
ws = test_conflicts_ui.ws
bob = test_conflicts_ui.bob


@pytest.fixture
def accounts(ws: Workspace) -> tuple[int, int]:
    first = ws.accounts.save(
        AccountDetail(name="苏州恒远", city="苏州", industry="机械", values=[AccountValue("2026", 120_000_00, None)])
    )[0]
    second = ws.accounts.save(
        AccountDetail(name="无锡华光", city="无锡", values=[AccountValue("2026", 40_000_00, None)])
    )[0]
    return first, second


def _card(qtbot, ws: Workspace, contact_id: int | None, account_id: int | None = None) -> ContactDialog:
    """The card as the app opens it: everything it shows read beforehand (see editor_data.open_editor)."""
    data = read_contact_card(ws.contacts, contact_id, account_id)
    window = QWidget()  # the page that opens it
    qtbot.addWidget(window)
    dialog = contact_card(ws, window, contact_id, account_id, data=data)
    dialog.opener = window  # qtbot holds widgets weakly: the page lives as long as its card
    return dialog


def _account_editor(qtbot, ws: Workspace, account_id: int) -> AccountDialog:
    data = read_account_editor(ws.accounts, account_id)
    dialog = AccountDialog(ws.accounts, data.members, account_id, data=data)
    qtbot.addWidget(dialog)
    return dialog


def test_a_possible_duplicate_is_asked_about_then_saved(qtbot, ws, accounts, scripted, gui_thread_sql):
    ws.contacts.save(ContactDetail(name="张伟", account_id=accounts[0], title="经理"))
    dialog = _card(qtbot, ws, None, accounts[0])
    dialog.name_edit.setText("张伟")
    dialog.title_edit.setText("采购总监")
    scripted.yes_no.append(True)  # "Save anyway?"
    with gui_thread_sql.watching(), qtbot.waitSignal(dialog.contact_saved) as saved:
        assert dialog.save()
    assert gui_thread_sql.sites == []
    kind, title, text = next(s for s in scripted.shown if s[0] == "ask_yes_no")
    assert title == "Possible duplicate" and "张伟" in text
    assert ws.contacts.get(saved.args[0]).title == "采购总监"


def test_no_to_the_duplicate_question_keeps_the_card_open_and_saves_nothing(
    qtbot, ws, accounts, scripted, gui_thread_sql
):
    ws.contacts.save(ContactDetail(name="张伟", account_id=accounts[0]))
    dialog = _card(qtbot, ws, None, accounts[0])
    dialog.name_edit.setText("张伟")
    scripted.yes_no.append(False)
    with gui_thread_sql.watching():
        assert not dialog.save()
    assert gui_thread_sql.sites == []
    assert ws.contacts.count(ContactQuery()) == 1 and not dialog.result()


def test_a_second_save_pressed_while_the_first_runs_saves_once(qtbot, ws, accounts, scripted):
    dialog = _card(qtbot, ws, None, accounts[0])
    dialog.name_edit.setText("赵磊")
    QTimer.singleShot(0, dialog.save)  # Ctrl+S again while the window keeps answering during the first save
    with qtbot.waitSignal(dialog.contact_saved):
        assert dialog.save()
    qtbot.wait(50)
    assert ws.contacts.count(ContactQuery()) == 1


def test_a_colleagues_save_in_between_is_settled_on_the_card(qtbot, ws, bob, accounts, scripted, gui_thread_sql):
    contact_id = ws.contacts.save(ContactDetail(name="李娜", account_id=accounts[0], title="经理", city="苏州"))
    dialog = _card(qtbot, ws, contact_id)
    theirs = bob.contacts.get(contact_id)
    theirs.title, theirs.hometown = "采购总监", "温州"
    bob.contacts.save(theirs)
    dialog.title_edit.setText("副总经理")
    dialog.city_edit.setText("上海")
    scripted.conflict_choices = [{"title": "mine"}]
    with gui_thread_sql.watching(), qtbot.waitSignal(dialog.contact_saved):
        assert dialog.save()
    assert gui_thread_sql.sites == []
    assert [r.field for r in scripted.conflict_views[-1].rows] == ["title"]
    final = bob.contacts.get(contact_id)
    assert (final.title, final.city, final.hometown) == ("副总经理", "上海", "温州")
    assert "bob" in dialog.merge_notice


def test_an_account_deleted_meanwhile_is_restored_as_new(qtbot, ws, bob, accounts, scripted, gui_thread_sql):
    dialog = _account_editor(qtbot, ws, accounts[0])
    bob.accounts.delete(accounts[0], bob.accounts.get(accounts[0]).version)
    dialog.notes_edit.setPlainText("still ours")
    scripted.choices = [0]  # Restore as new
    with gui_thread_sql.watching(), qtbot.waitSignal(dialog.account_saved) as saved:
        assert dialog.save()
    assert gui_thread_sql.sites == []
    restored = bob.accounts.get(saved.args[0])
    assert (restored.name, restored.notes, restored.city) == ("苏州恒远", "still ours", "苏州")


def test_delete_from_the_card(qtbot, ws, accounts, scripted, gui_thread_sql):
    contact_id = ws.contacts.save(ContactDetail(name="王芳", account_id=accounts[0]))
    dialog = _card(qtbot, ws, contact_id)
    scripted.yes_no.append(True)
    with gui_thread_sql.watching(), qtbot.waitSignal(dialog.contact_deleted) as deleted:
        dialog.delete_button.click()
    assert gui_thread_sql.sites == []
    assert deleted.args == [contact_id] and ws.contacts.get(contact_id) is None


def test_the_window_active_again_shows_a_colleagues_change(qtbot, ws, bob, accounts, gui_thread_sql):
    dialog = _account_editor(qtbot, ws, accounts[0])
    other = QWidget()
    qtbot.addWidget(other)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    theirs = bob.accounts.get(accounts[0])
    theirs.city = "无锡"
    bob.accounts.save(theirs)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not dialog.isActiveWindow())
    with gui_thread_sql.watching():
        dialog.activateWindow()  # the person comes back to the editor
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.waitUntil(lambda: not dialog.banner.isHidden())
    assert gui_thread_sql.sites == []
    assert "Changed by bob" in dialog.banner.label.text()


def test_checks_asked_while_one_runs_run_one_after_the_other(qtbot, ws, bob, accounts, gui_thread_sql):
    dialog = _account_editor(qtbot, ws, accounts[0])
    theirs = bob.accounts.get(accounts[0])
    theirs.city = "无锡"
    bob.accounts.save(theirs)
    before = tasks.pending()
    with gui_thread_sql.watching():
        for _poll in range(3):  # change polls and a re-activation in quick succession
            dialog.check_underneath()
        assert tasks.pending() == before + 1  # one question to the file at a time
        qtbot.waitUntil(lambda: not dialog.checking_underneath())  # the first, then one more for the others
    assert gui_thread_sql.sites == []
    assert "Changed by bob" in dialog.banner.label.text()


def test_the_change_poll_shows_the_banner_and_reload_takes_their_version(
    qtbot, ws, bob, accounts, scripted, gui_thread_sql
):
    dialog = _account_editor(qtbot, ws, accounts[0])
    theirs = bob.accounts.get(accounts[0])
    theirs.city = "无锡"
    theirs.values = [AccountValue("2026", 20_000_00, None)]
    bob.accounts.save(theirs)
    with gui_thread_sql.watching():
        change_notices.announce([object()])  # what the window's change poll passes on
        qtbot.waitUntil(lambda: not dialog.banner.isHidden())
        dialog.banner.reload_button.click()
    assert gui_thread_sql.sites == []
    assert dialog.city_edit.text() == "无锡" and dialog.banner.isHidden()
    assert dialog.detail.version == bob.accounts.get(accounts[0]).version


def test_a_company_chosen_on_the_card_fills_reports_to_when_read(qtbot, ws, accounts, gui_thread_sql):
    boss = ws.contacts.save(ContactDetail(name="周总", account_id=accounts[1], rank_tier="owner"))
    contact_id = ws.contacts.save(ContactDetail(name="陈静", account_id=accounts[0], rank_tier="manager"))
    dialog = _card(qtbot, ws, contact_id)
    with gui_thread_sql.watching():
        dialog.company_combo.setCurrentIndex(dialog.company_combo.findData(accounts[1]))
        qtbot.waitUntil(lambda: dialog.reports_combo.findData(boss) >= 0)
    assert gui_thread_sql.sites == []
    assert dialog.reports_combo.isEnabled()
    account_class = ws.accounts.get(accounts[1]).computed_class.value
    assert f"for a class {account_class} account" in dialog.target_label.text()  # the class came with its people


def test_a_company_read_that_lands_after_the_person_chose_back_changes_nothing(qtbot, ws, accounts):
    boss = ws.contacts.save(ContactDetail(name="周总", account_id=accounts[0], rank_tier="owner"))
    contact_id = ws.contacts.save(ContactDetail(name="陈静", account_id=accounts[0], reports_to_id=boss))
    dialog = _card(qtbot, ws, contact_id)
    assert dialog.reports_combo.currentData() == boss
    dialog.company_combo.setCurrentIndex(dialog.company_combo.findData(accounts[1]))  # read off the GUI thread
    assert not dialog.reports_combo.isEnabled() and dialog._draft().reports_to_id == boss  # kept while reading
    dialog.company_combo.setCurrentIndex(dialog.company_combo.findData(accounts[0]))  # back, before it lands
    qtbot.waitUntil(lambda: accounts[1] in dialog.data.colleagues)
    assert dialog.reports_combo.isEnabled() and dialog.reports_combo.currentData() == boss
    assert not dialog.is_modified()


def test_sensitive_events_are_recorded_ended_and_deleted(qtbot, ws, accounts, scripted, gui_thread_sql):
    contact_id = ws.contacts.save(
        ContactDetail(name="曾国华", account_id=accounts[0], stage_update=StageUpdate("good_friend", TODAY))
    )
    dialog = _card(qtbot, ws, contact_id)
    (page,) = dialog.findChildren(SensitiveEventsPage)
    with gui_thread_sql.watching():
        page.add("illness", "父亲住院")
        (editor,) = [d for d in scripted.dialogs if isinstance(d, EventDialog)]
        editor.accept()
        page.refresh()
        qtbot.waitUntil(lambda: page.table.rowCount() == 1)
        page.table.setCurrentCell(0, 0)
        page.end_today()
        ended = page.table.item(0, 2).text()
        scripted.yes_no.append(True)
        page.table.setCurrentCell(0, 0)
        page.delete()
    assert gui_thread_sql.sites == []
    assert ended == TODAY.isoformat()
    assert page.table.rowCount() == 0 and ws.followups.events(contact_id) == []


def test_plan_a_call_from_the_card(qtbot, ws, accounts, gui_thread_sql):
    member = ws.team.save(TeamMember(0, "Test Person", "", "", None, "sales", True))
    contact_id = ws.contacts.save(ContactDetail(name="孙丽", account_id=accounts[1]))
    dialog = _card(qtbot, ws, contact_id)
    planned: list[int] = []

    def fill(tries: int = 0) -> None:
        plan = QApplication.activeModalWidget()
        if plan is None or plan is dialog:
            if tries < 200:
                QTimer.singleShot(20, lambda: fill(tries + 1))
            return
        plan.subject_edit.setText("问候一下近况")
        plan.accept()
        planned.append(plan.planned_id)

    QTimer.singleShot(0, fill)
    with gui_thread_sql.watching():
        dialog.plan_call_button.click()
    assert gui_thread_sql.sites == []
    (activity_id,) = planned
    item, _version = ws.followups.get(activity_id)
    assert (item.kind, item.subject, item.contact_id, item.account_id) == (
        "call",
        "问候一下近况",
        contact_id,
        accounts[1],
    )
    assert item.member_id == member  # the person planning it, from the team read with the card


def test_erase_this_person(qtbot, ws, accounts, scripted, gui_thread_sql):
    contact_id = ws.contacts.save(ContactDetail(name="刘洋", account_id=accounts[0]))
    parent = QWidget()
    qtbot.addWidget(parent)
    changed: list[int] = []
    scripted.yes_no.append(True)
    with gui_thread_sql.watching():
        assert erase_person(parent, ws, contact_id, changed.append)
    assert gui_thread_sql.sites == []
    assert changed == [contact_id] and ws.contacts.get(contact_id) is None


def test_a_known_person_saved_with_the_same_name_company_and_numbers_is_not_checked_for_duplicates_again(
    qtbot, ws, accounts, scripted, monkeypatch
):
    """The check reads every person on the file (seconds over a VPN) and would ask again at every save of
    someone who shares a colleague's switchboard number; it runs when what it compares changed."""
    ws.contacts.save(ContactDetail(name="张伟", account_id=accounts[0], mobile="13800000000"))
    known = ws.contacts.save(ContactDetail(name="李强", account_id=accounts[0], mobile="13800000000"))
    asked: list[str] = []
    real = ws.contacts.duplicates
    monkeypatch.setattr(ws.contacts, "duplicates", lambda detail: asked.append(detail.name) or real(detail))
    dialog = _card(qtbot, ws, known)
    dialog.notes_edit.setPlainText("周三下午方便。")
    with qtbot.waitSignal(dialog.contact_saved):
        assert dialog.save()
    assert asked == [] and not [s for s in scripted.shown if s[0] == "ask_yes_no"]
    assert ws.contacts.get(known).notes == "周三下午方便。"
    dialog = _card(qtbot, ws, known)
    dialog.mobile_edit.setText("13900000000 ")
    with qtbot.waitSignal(dialog.contact_saved):
        assert dialog.save()
    assert asked == ["李强"]  # a new number is checked (no one else has it: nothing asked)
    assert ws.contacts.get(known).mobile == "13900000000"
