"""Tabs built ahead of time while the window is idle (issue 24): a tab's first showing then only shows it, and a
tab built ahead reads nothing from the file until someone opens it."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import QObject
from sqlalchemy import event

from kamdesk.services.workspace import Workspace, open_workspace
from kamdesk.ui import tab_prebuild, tasks
from kamdesk.ui.app_settings import AppSettings
from kamdesk.ui.main_window import MainWindow
from kamdesk.ui.tabs.registry import TABS

TODAY = dt.date(2026, 5, 12)


@pytest.fixture
def window(qtbot: Any, ws: Workspace, app_settings: AppSettings, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setattr(tab_prebuild, "LOOK_EVERY_MS", 20)
    shown = MainWindow(ws, app_settings, lambda path, create: open_workspace(path, "测试", create=create))
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitUntil(lambda: tasks.pending() == 0, timeout=20_000)
    return shown


def statements_on(ws: Workspace) -> list[str]:
    """Every statement run on the file from now on, on any thread."""
    seen: list[str] = []
    lock = threading.Lock()

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        with lock:
            seen.append(statement)

    event.listen(ws.db.engine, "before_cursor_execute", record)
    return seen


def test_idle_tabs_are_built_ahead_and_read_only_once_opened(qtbot, window: MainWindow, ws: Workspace):
    assert [entry.name for entry in TABS if window.is_built(entry.name)] == ["dashboard"]
    statements = statements_on(ws)
    window.build_tabs_when_idle()
    qtbot.waitUntil(lambda: all(window.is_built(entry.name) for entry in TABS), timeout=20_000)
    qtbot.wait(200)
    assert not [s for s in statements if "accounts" in s or "contacts" in s]  # no tab nobody opened read anything
    assert tasks.pending() == 0  # held work is not waiting to be delivered
    accounts = window.accounts_tab
    assert accounts.model.rowCount() == 0
    window.tabs.setCurrentWidget(accounts)
    qtbot.waitUntil(lambda: accounts.model.rowCount() > 0, timeout=10_000)
    assert any("FROM accounts" in s for s in statements)
    assert accounts.count_label.text().endswith("accounts")


def test_nothing_is_built_while_the_window_is_busy(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch):
    busy = [True]
    monkeypatch.setattr(tasks, "reading", lambda: 1 if busy[0] else 0)
    window.build_tabs_when_idle()
    qtbot.wait(300)
    assert not window.is_built("accounts")
    busy[0] = False
    qtbot.waitUntil(lambda: window.is_built("accounts"), timeout=5_000)


def test_a_tab_built_ahead_and_used_without_being_shown_reads_at_once(qtbot, window: MainWindow):
    window.build_ahead("contacts")
    page = window.contacts_tab  # used (say, by a link to a person) before it is shown: its reads start now
    qtbot.waitUntil(lambda: page.contacts_page.model.rowCount() > 0, timeout=10_000)


def test_held_work_starts_on_release_and_dropped_work_never_runs(qtbot):
    ran: list[str] = []
    done: list[str] = []
    owner = QObject()
    with tasks.holding() as kept:
        tasks.run(lambda: ran.append("kept") or "kept", done.append, owner=owner)
    with tasks.holding() as dropped:
        tasks.run(lambda: ran.append("dropped") or "dropped", done.append, owner=owner)
    qtbot.wait(100)
    assert ran == [] and tasks.pending() == 0
    kept.release()
    qtbot.waitUntil(lambda: done == ["kept"], timeout=5_000)
    dropped.drop()
    dropped.release()  # nothing left to start
    qtbot.wait(100)
    assert ran == ["kept"] and done == ["kept"] and tasks.pending() == 0


def test_closing_the_window_forgets_held_work(qtbot):
    ran: list[str] = []
    with tasks.holding() as held:
        tasks.run(lambda: ran.append("held"), lambda _r: ran.append("told"))
    tasks.forget_all()
    held.release()
    qtbot.wait(100)
    assert ran == []


def test_a_long_running_backup_does_not_keep_the_window_from_being_idle(qtbot):
    release = [False]

    def backup() -> str:
        while not release[0]:  # a sleep loop: under libfaketime a wait with a timeout never ends
            time.sleep(0.01)
        return "made"

    made: list[str] = []
    tasks.run(backup, made.append, long_running=True)
    qtbot.wait(50)
    assert tasks.pending() == 1 and tasks.reading() == 0
    tasks.run(lambda: "read", made.append)
    assert tasks.reading() == 1
    release[0] = True
    qtbot.waitUntil(lambda: sorted(made) == ["made", "read"], timeout=5_000)
    assert tasks.pending() == 0 and tasks.reading() == 0
