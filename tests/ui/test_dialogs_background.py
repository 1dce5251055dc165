"""The account editor and the contact card open without reading on the GUI thread (issue 24): what they show
is read in the thread pool under a wait cursor, and the dialog is built when it lands. A second request
while one is on its way opens nothing more; a failure says so and opens nothing; a list that is gone by
the time the read lands opens nothing either."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from kamdesk.domain.contacts import ContactQuery
from kamdesk.domain.models import AccountQuery
from kamdesk.services.errors import StorageError
from kamdesk.ui.dialogs.account_dialog import AccountDialog
from kamdesk.ui.dialogs.contact_dialog import ContactDialog
from kamdesk.ui.dialogs.editor_data import opening
from kamdesk.ui.models.paged_model import ID_ROLE
from kamdesk.ui.tabs.account_view.tab import AccountViewTab
from kamdesk.ui.tabs.accounts_tab import AccountsTab
from kamdesk.ui.tabs.contacts.contacts_page import ContactsPage

TODAY = dt.date(2026, 11, 23)


class Spy:
    """Wraps a service method: records the thread each call ran on, and holds calls until released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, fail: Exception | None = None) -> None:
        self.real = getattr(owner, name)
        self.threads: list[threading.Thread] = []
        self.release = threading.Event()
        self.fail = fail
        monkeypatch.setattr(owner, name, self)

    def __call__(self, *args: Any) -> Any:
        self.threads.append(threading.current_thread())
        assert self.release.wait(10)
        if self.fail is not None:
            raise self.fail
        return self.real(*args)


class Shown:
    """Stands in for a dialog's exec(): records each dialog that would have been shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *classes: type) -> None:
        self.dialogs: list[Any] = []
        for cls in classes:
            monkeypatch.setattr(cls, "exec", lambda dialog: self.dialogs.append(dialog) or 0)


def _no_wait_cursor() -> bool:
    return QApplication.overrideCursor() is None


def test_an_account_opens_its_editor_from_a_read_off_the_gui_thread_once(ws, qtbot, monkeypatch):
    account = ws.accounts.page(AccountQuery(), 0, 1)[0]
    tab = AccountsTab(ws)
    qtbot.addWidget(tab)
    shown = Shown(monkeypatch, AccountDialog)
    get = Spy(monkeypatch, ws.accounts, "get")
    assert tab.open_account(account.id)
    assert QApplication.overrideCursor() is not None  # a wait cursor while the file is read
    assert not tab.open_account(account.id)  # pressed again while on its way: ignored
    assert opening(tab) == f"account:{account.id}"
    get.release.set()
    qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
    qtbot.wait(50)
    assert len(shown.dialogs) == 1 and len(get.threads) == 1
    assert get.threads[0] is not threading.main_thread()
    dialog = shown.dialogs[0]
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == account.name and account.name in dialog.windowTitle()
    assert dialog.class_label.text()  # the class page was filled from the same read
    assert _no_wait_cursor() and opening(tab) is None
    assert tab.open_account(account.id)  # once it opened, the next request reads again
    qtbot.waitUntil(lambda: len(shown.dialogs) == 2, timeout=10_000)
    qtbot.addWidget(shown.dialogs[1])


def test_a_double_clicked_contact_opens_their_card_from_a_read_off_the_gui_thread(ws, qtbot, monkeypatch):
    page = ContactsPage(ws)
    qtbot.addWidget(page)
    index = page.model.index(0, 0)
    name, contact_id = index.data(), page.model.data(index, ID_ROLE)
    expected = ws.contacts.get(contact_id)
    assert expected is not None and expected.name == name
    shown = Shown(monkeypatch, ContactDialog)
    get = Spy(monkeypatch, ws.contacts, "get")
    page.table.doubleClicked.emit(index)
    page.table.doubleClicked.emit(index)  # a double double-click: still one card
    get.release.set()
    qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
    qtbot.wait(50)
    assert len(shown.dialogs) == 1 and len(get.threads) == 1
    assert get.threads[0] is not threading.main_thread()
    card = shown.dialogs[0]
    qtbot.addWidget(card)
    assert card.name_edit.text() == name and card.detail.id == contact_id
    assert card.company_combo.currentData() == expected.account_id
    assert _no_wait_cursor()


def test_a_failed_read_says_so_and_opens_nothing(ws, qtbot, monkeypatch, scripted):
    contact = ws.contacts.page(ContactQuery(), 0, 1)[0]
    account = ws.accounts.page(AccountQuery(), 0, 1)[0]
    accounts, page = AccountsTab(ws), ContactsPage(ws)
    qtbot.addWidget(accounts)
    qtbot.addWidget(page)
    shown = Shown(monkeypatch, AccountDialog, ContactDialog)
    busy = StorageError("The team file is busy: someone else is saving.")
    Spy(monkeypatch, ws.accounts, "get", fail=busy).release.set()
    Spy(monkeypatch, ws.contacts, "get", fail=busy).release.set()
    accounts.open_account(account.id)
    page.open_contact(contact.id)
    qtbot.waitUntil(lambda: len(scripted.shown) == 2, timeout=10_000)
    assert sorted(title for _kind, title, _text in scripted.shown) == [
        "Cannot open the account",
        "Cannot open the contact",
    ]
    assert all(kind == "warn" and "busy" in text for kind, _title, text in scripted.shown)
    assert shown.dialogs == [] and _no_wait_cursor()
    assert opening(accounts) is None and opening(page) is None  # a new request may go again


def test_nothing_opens_when_the_list_is_gone_before_the_read_lands(ws, qtbot, monkeypatch):
    account = ws.accounts.page(AccountQuery(), 0, 1)[0]
    tab = AccountsTab(ws)
    shown = Shown(monkeypatch, AccountDialog)
    get = Spy(monkeypatch, ws.accounts, "get")
    tab.open_account(account.id)
    shiboken6.delete(tab)  # the window closed meanwhile
    get.release.set()
    qtbot.waitUntil(lambda: len(get.threads) == 1, timeout=10_000)
    qtbot.wait(200)
    assert shown.dialogs == [] and _no_wait_cursor()


def test_the_account_view_opens_its_editor_and_a_person_off_the_gui_thread(ws, qtbot, monkeypatch):
    account = ws.accounts.page(AccountQuery(), 0, 1)[0]
    view = AccountViewTab(ws)
    qtbot.addWidget(view)
    view.show_account(account.id)
    qtbot.waitUntil(lambda: view.view is not None, timeout=10_000)
    shown = Shown(monkeypatch, AccountDialog, ContactDialog)
    threads: list[threading.Thread] = []
    for service in (ws.accounts, ws.contacts):
        real = service.get
        monkeypatch.setattr(service, "get", lambda i, real=real: threads.append(threading.current_thread()) or real(i))
    assert view.edit_account()
    qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
    editor = shown.dialogs[0]
    qtbot.addWidget(editor)
    assert editor.detail.id == account.id and threads[-1] is not threading.main_thread()
    assert view.open_contact(None)  # a new person at this account
    qtbot.waitUntil(lambda: len(shown.dialogs) == 2, timeout=10_000)
    card = shown.dialogs[1]
    qtbot.addWidget(card)
    assert card.detail.id is None and card.company_combo.currentData() == account.id
