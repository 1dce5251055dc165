"""Work off the GUI thread: results come back on the GUI thread, errors too, deleted widgets are skipped."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel

from kamdesk.services.workspace import Workspace
from kamdesk.ui import tasks
from kamdesk.ui.tabs.dashboard_tab import DashboardTab


def test_a_result_arrives_on_the_gui_thread(qtbot):
    seen: list[tuple[int, bool]] = []
    gui = threading.get_ident()
    tasks.run(lambda: (threading.get_ident() != gui) and 41 + 1,
              lambda result: seen.append((result, threading.get_ident() == gui)))
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]


def test_an_error_is_handed_back_and_a_deleted_widget_is_skipped(qtbot):
    errors: list[Exception] = []
    tasks.run(lambda: 1 / 0, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)
    label = QLabel()
    tasks.run(lambda: "late", label.setText)
    label.deleteLater()
    qtbot.wait(10)
    qtbot.waitUntil(lambda: tasks.pending() == 0)  # delivered to nobody, no crash


def test_the_dashboard_loads_in_the_background_and_says_when_done(qtbot, workspace: Workspace):
    tab = DashboardTab(workspace, background=True)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.refreshed, timeout=5000):
        tab.refresh()
    assert tab.totals.values["accounts"].text() == "0"
