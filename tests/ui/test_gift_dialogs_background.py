"""The register-entry and visit dialogs open without reading on the GUI thread (issue 24): everyone they may
be for, the team and the record are read in the thread pool, and the dialog is built when that lands. The
person chooser is one model set at once; typing part of a name finds the person and saves their id."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from test_dialogs_background import Shown, Spy

from kamdesk.domain.contacts import ContactDetail, StageUpdate
from kamdesk.domain.gifts import RegisterEntry, Visit
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.services.errors import StorageError
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.editor_data import opening
from kamdesk.ui.tabs.account_view.tab import AccountViewTab
from kamdesk.ui.tabs.gifts.dialogs.entry_dialog import EntryDialog
from kamdesk.ui.tabs.gifts.dialogs.visit_dialog import VisitDialog
from kamdesk.ui.tabs.gifts.register_page import RegisterPage
from kamdesk.ui.tabs.gifts.visits_page import VisitsPage

TODAY = dt.date(2027, 8, 20)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    me = workspace.team.save(TeamMember(0, "Test Person", "客户经理", "", "manager", "account_manager", True))
    known = StageUpdate("acquainted", TODAY)
    for company, people in (("中国移动", ("曾国华", "单芳")), ("华润置地", ("黄国强",))):
        account, _ = workspace.accounts.save(
            AccountDetail(name=company, owner_id=me, values=[AccountValue("2026", 1000, None)])
        )
        for name in people:
            workspace.contacts.save(ContactDetail(name=name, account_id=account, stage_update=known))
    return workspace


def _person(ws: Workspace, name: str) -> tuple[int, int | None]:
    found = next(r for r in ws.gifts.recipients() if r.name == name)
    return found.contact_id, found.account_id


def _type(widget: QWidget, text: str) -> None:
    """Type `text` as a keyboard would (QTest's key clicks know only ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def test_an_entry_opens_from_a_read_off_the_gui_thread_showing_that_entry(ws, qtbot, monkeypatch):
    contact, account = _person(ws, "单芳")
    ws.gifts.record(RegisterEntry("everyday", "西湖龙井", 300_00, TODAY, contact_id=contact, account_id=account))
    page = RegisterPage(ws)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    page.table.selectRow(0)
    shown = Shown(monkeypatch, EntryDialog)
    get = Spy(monkeypatch, ws.gifts, "get")
    people = Spy(monkeypatch, ws.gifts, "recipients")
    people.release.set()
    assert page.edit_entry()
    assert QApplication.overrideCursor() is not None  # a wait cursor while the file is read
    assert not page.edit_entry() and opening(page) is not None  # pressed again while on its way: ignored
    get.release.set()
    qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
    qtbot.wait(50)
    assert len(shown.dialogs) == 1 and len(get.threads) == 1
    assert get.threads[0] is not threading.main_thread() and people.threads[0] is not threading.main_thread()
    dialog = shown.dialogs[0]
    qtbot.addWidget(dialog)
    assert dialog.item_edit.text() == "西湖龙井" and dialog.value.value() == 300
    assert dialog.contact.currentData() == contact and dialog.contact.currentText() == "单芳 (中国移动)"
    assert QApplication.overrideCursor() is None and opening(page) is None


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # the popup, offscreen
def test_typing_part_of_a_name_chooses_the_person_and_saves_their_id(ws, qtbot, monkeypatch):
    contact, account = _person(ws, "黄国强")
    page = RegisterPage(ws)
    qtbot.addWidget(page)
    shown = Shown(monkeypatch, EntryDialog)
    assert page.add_entry()
    qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
    dialog = shown.dialogs[0]
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.contact.count() == 4  # "—" and three people
    dialog.item_edit.setText("水果")
    dialog.contact.lineEdit().clear()
    _type(dialog.contact.lineEdit(), "国")  # inside 曾国华, 黄国强 and 中国移动 (never at the start)
    completer = dialog.contact.completer()
    assert completer.completionCount() == 3
    _type(dialog.contact.lineEdit(), "强")
    assert completer.completionCount() == 1 and completer.currentCompletion() == "黄国强 (华润置地)"
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=5_000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.contact.currentData() == contact
    dialog.accept()
    assert dialog.saved_id is not None
    saved = ws.gifts.get(dialog.saved_id)
    assert saved is not None and saved.contact_id == contact and saved.account_id == account


def test_a_visit_opens_from_a_read_off_the_gui_thread_showing_that_visit(ws, qtbot, monkeypatch):
    contact, account = _person(ws, "曾国华")
    when = dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(18, 30))
    ws.gifts.save_visit(Visit(when, "meal", account_id=account, contact_id=contact, purpose="答谢"))
    page = VisitsPage(ws)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10_000)
    page.table.setCurrentCell(0, 0)
    shown = Shown(monkeypatch, VisitDialog)
    get = Spy(monkeypatch, ws.gifts, "get_visit")
    assert page.edit_visit()
    assert not page.edit_visit()
    get.release.set()
    qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
    qtbot.wait(50)
    assert len(shown.dialogs) == 1 and get.threads[0] is not threading.main_thread()
    dialog = shown.dialogs[0]
    qtbot.addWidget(dialog)
    assert dialog.purpose.text() == "答谢" and dialog.when.dateTime().toPython() == when
    assert [dialog.account.itemText(i) for i in range(dialog.account.count())] == ["中国移动", "华润置地"]
    assert dialog.account.currentData() == account and dialog.contact.currentData() == contact
    assert dialog.contact.count() == 3  # "—" and the two people at 中国移动


def test_a_failed_read_warns_and_opens_no_dialog(ws, qtbot, monkeypatch, scripted):
    register, visits = RegisterPage(ws), VisitsPage(ws)
    qtbot.addWidget(register)
    qtbot.addWidget(visits)
    shown = Shown(monkeypatch, EntryDialog, VisitDialog)
    busy = StorageError("The team file is busy: someone else is saving.")
    Spy(monkeypatch, ws.gifts, "recipients", fail=busy).release.set()
    assert register.add_entry()
    qtbot.waitUntil(lambda: len(scripted.shown) == 1, timeout=10_000)
    assert visits.new_visit()
    qtbot.waitUntil(lambda: len(scripted.shown) == 2, timeout=10_000)
    assert [(kind, title) for kind, title, _text in scripted.shown] == [("warn", "Register entry"), ("warn", "Visit")]
    assert all("busy" in text for _kind, _title, text in scripted.shown)
    assert shown.dialogs == [] and QApplication.overrideCursor() is None
    assert opening(register) is None and opening(visits) is None


def test_the_account_view_logs_a_visit_or_gift_from_a_read_off_the_gui_thread(ws, qtbot, monkeypatch):
    contact, account = _person(ws, "曾国华")
    view = AccountViewTab(ws)
    qtbot.addWidget(view)
    view.show_account(account)
    qtbot.waitUntil(lambda: view.view is not None, timeout=10_000)
    tree = view.people.tree
    person = next(
        tree.topLevelItem(i) for i in range(tree.topLevelItemCount()) if "曾国华" in tree.topLevelItem(i).text(0)
    )
    tree.setCurrentItem(person)
    shown = Shown(monkeypatch, EntryDialog, VisitDialog)
    people = Spy(monkeypatch, ws.gifts, "recipients")
    people.release.set()
    view.log("visit")
    qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
    view.log("gift")
    qtbot.waitUntil(lambda: len(shown.dialogs) == 2, timeout=10_000)
    assert len(people.threads) == 2 and all(t is not threading.main_thread() for t in people.threads)
    visit, gift = shown.dialogs
    qtbot.addWidget(visit)
    qtbot.addWidget(gift)
    assert visit.account.currentData() == account and visit.contact.currentData() == contact
    assert gift.contact.currentData() == contact and gift.contact.currentText() == "曾国华 (中国移动)"
