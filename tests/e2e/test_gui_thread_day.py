"""End to end (issue 24): a morning's work in the real window runs no SQL on the GUI thread.

On a file server each statement on the GUI thread is a freeze of a transaction's requests, tens of
milliseconds each over a VPN. The window here is built as the app builds it (every tab reading in the
background), and each step is driven as a person would: every tab shown, an account opened, its editor
opened, changed and saved, a contact's card the same, a follow-up marked done with its outcome. Each step must leave the
GUI thread's statements empty, and do what the person asked."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from kamdesk.domain.clock import Clock
from kamdesk.services.workspace import open_workspace
from kamdesk.ui import tasks
from kamdesk.ui.app_settings import AppSettings
from kamdesk.ui.dialogs.account_dialog import AccountDialog
from kamdesk.ui.dialogs.contact_dialog import ContactDialog
from kamdesk.ui.main_window import MainWindow

TODAY = dt.date(2026, 11, 23)


class Shown:
    """Stands in for a dialog's exec(): keeps each dialog that would have been shown, shown without blocking."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *classes: type) -> None:
        self.dialogs: list[Any] = []

        def show(dialog: Any) -> int:
            self.dialogs.append(dialog)
            dialog.show()
            return 0

        for cls in classes:
            monkeypatch.setattr(cls, "exec", show)


def _settled(qtbot: Any) -> None:
    """Every background read and write delivered."""
    qtbot.waitUntil(lambda: tasks.pending() == 0, timeout=20_000)
    qtbot.wait(30)


def _rows(path: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_a_mornings_work_runs_no_sql_on_the_gui_thread(
    qtbot, scripted, gui_thread_sql, monkeypatch, demo_file: Path, tmp_path: Path, fixed_clock: Clock
):
    fixed_clock.fix(TODAY)
    path = tmp_path / "team.kamdb"
    shutil.copyfile(demo_file, path)  # the small demo, built once for this module (qt_fixtures)
    shown = Shown(monkeypatch, AccountDialog, ContactDialog)
    window = MainWindow(
        open_workspace(path, "王经理"),
        AppSettings(tmp_path / "k.ini"),
        lambda p, c: open_workspace(p, "王经理", create=c),
    )
    qtbot.addWidget(window)
    window.show()
    _settled(qtbot)
    account_id, contact_id = _rows(
        path,
        "SELECT a.id, c.id FROM accounts a JOIN contacts c ON c.account_id = a.id ORDER BY a.value_cents DESC LIMIT 1",
    )[0]

    with gui_thread_sql.watching():
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            _settled(qtbot)
        window.open_account(account_id)
        _settled(qtbot)
    assert gui_thread_sql.sites == [], "showing the tabs and an account"
    assert window.account_view_tab.account_id() == account_id

    with gui_thread_sql.watching():
        assert window.accounts_tab.open_account(account_id)
        qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=20_000)
        editor = shown.dialogs[0]
        editor.notes_edit.setPlainText("早上的电话：下周拜访采购部。")
        assert editor.save()
        _settled(qtbot)
    assert gui_thread_sql.sites == [], "the account editor opened and saved"
    assert _rows(path, "SELECT notes FROM accounts WHERE id = ?", account_id)[0][0] == "早上的电话：下周拜访采购部。"

    with gui_thread_sql.watching():
        assert window.contacts_tab.contacts_page.open_contact(contact_id)
        qtbot.waitUntil(lambda: len(shown.dialogs) == 2, timeout=20_000)
        card = shown.dialogs[1]
        card.notes_edit.setPlainText("喜欢喝茶，不喝酒。")
        assert card.save()
        _settled(qtbot)
    assert gui_thread_sql.sites == [], "a contact card opened and saved"
    assert _rows(path, "SELECT notes FROM contacts WHERE id = ?", contact_id)[0][0] == "喜欢喝茶，不喝酒。"
    assert QApplication.activeModalWidget() is None

    agenda = window.followups_tab
    window.tabs.setCurrentWidget(agenda)
    qtbot.waitUntil(lambda: len(agenda._items()) >= 1, timeout=20_000)
    with gui_thread_sql.watching():
        agenda.tree.setCurrentItem(agenda._items()[0][1])
        activity_id = agenda.current_id()
        scripted.texts = ["谈妥了，下周发样品。"]
        agenda.done_button.click()
        qtbot.waitUntil(lambda: agenda.done_button.isEnabled() and agenda.current_id() != activity_id, timeout=20_000)
        _settled(qtbot)
    assert gui_thread_sql.sites == [], "a follow-up marked done"
    assert _rows(path, "SELECT status, outcome FROM activities WHERE id = ?", activity_id) == [
        ("done", "谈妥了，下周发样品。")
    ]
