"""Work off the GUI thread: results come back on the GUI thread, errors too, deleted widgets are skipped."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from kamdesk.services.workspace import Workspace
from kamdesk.ui import tasks
from kamdesk.ui.tabs.dashboard_tab import DashboardTab


def test_a_result_arrives_on_the_gui_thread(qtbot):
    seen: list[tuple[int, bool]] = []
    gui = threading.get_ident()
    tasks.run(
        lambda: (threading.get_ident() != gui) and 41 + 1,
        lambda result: seen.append((result, threading.get_ident() == gui)),
    )
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]


def test_an_error_is_handed_back_and_a_deleted_widget_is_skipped(qtbot):
    errors: list[Exception] = []
    tasks.run(lambda: 1 / 0, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)
    label = QLabel()
    tasks.run(lambda: "late", label.setText, owner=label)
    label.deleteLater()
    qtbot.wait(10)
    qtbot.waitUntil(lambda: tasks.pending() == 0)  # its owner is gone: delivered to nobody, no crash


def test_a_failure_nobody_handles_is_shown_and_logged_not_dropped(qtbot, scripted, caplog):
    from kamdesk.services.workspace import DatabaseBusyError

    tasks.run(lambda: (_ for _ in ()).throw(DatabaseBusyError("bob")), lambda _r: None)
    qtbot.waitUntil(lambda: tasks.pending() == 0)
    assert [(kind, text) for kind, _title, text in scripted.shown] == [("warn", str(DatabaseBusyError("bob")))]
    tasks.run(lambda: 1 / 0, lambda _r: None)
    qtbot.waitUntil(lambda: len(scripted.shown) == 2)
    assert "ZeroDivisionError" in scripted.shown[1][2]  # a defect: named, with where the log is
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)


def test_an_op_delivers_its_result_announces_its_tables_and_skips_a_closed_owner(qtbot):
    from kamdesk.ui import change_notices, ops

    owner = QLabel()
    announced: list[frozenset[str]] = []
    change_notices.hub().tables_changed.connect(announced.append)
    ops.Op(owner, lambda: "saved").changes({"accounts"}).success(owner.setText).run()
    qtbot.waitUntil(lambda: owner.text() == "saved")
    assert announced == [frozenset({"accounts"})]
    ops.Op(owner, lambda: "late").success(owner.setText).run()
    owner.deleteLater()
    qtbot.waitUntil(lambda: tasks.pending() == 0)


def test_the_dashboard_loads_in_the_background_and_says_when_done(qtbot, workspace: Workspace):
    tab = DashboardTab(workspace, background=True)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.refreshed, timeout=5000):
        tab.refresh()
    assert tab.totals.values["accounts"].text() == "0"


# Long work behind a progress dialog ---------------------------------------------------------------
def _longest_gap_while(qtbot, action) -> tuple[object, float]:  # noqa: ANN001
    """Run `action()` while a 5 ms timer notes the longest time the event loop went without turning."""
    import time

    from PySide6.QtCore import QTimer

    last = [time.perf_counter()]
    gaps = [0.0]

    def tick() -> None:
        now = time.perf_counter()
        gaps[0] = max(gaps[0], now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    try:
        result = action()
    finally:
        timer.stop()
    return result, gaps[0] * 1000


def test_long_work_runs_off_the_gui_thread_and_the_window_keeps_turning(qtbot):
    import time

    gui = threading.get_ident()
    seen: list[int] = []

    def work(report) -> str:  # noqa: ANN001
        seen.append(threading.get_ident())
        for step in range(10):
            end = time.perf_counter() + 0.06  # 60 ms of busy work between reports, 0.6 s in all
            while time.perf_counter() < end:
                pass
            report(step + 1, 10, "working")
        return "done"

    parent = QLabel()
    qtbot.addWidget(parent)
    result, longest = _longest_gap_while(qtbot, lambda: tasks.run_with_progress(parent, "t", "l", "Stop", work))
    assert result == "done" and seen and seen[0] != gui
    # The busy worker holds the GIL in 5 ms slices; the event loop still turns between them.
    assert longest < 100, f"the event loop stood still for {longest:.0f} ms"


def test_stop_is_seen_at_the_next_report_and_errors_come_back(qtbot, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog

    set_label = QProgressDialog.setLabelText

    def press_stop_at_step_three(dialog: QProgressDialog, text: str) -> None:
        set_label(dialog, text)
        if text == "step 3":
            dialog.cancel()

    monkeypatch.setattr(QProgressDialog, "setLabelText", press_stop_at_step_three)
    steps: list[int] = []

    def work(report) -> int:  # noqa: ANN001
        for step in range(1, 100):
            steps.append(step)
            if not report(step, 99, f"step {step}"):
                return step
        return -1

    assert tasks.run_with_progress(None, "t", "l", "Stop", work) == 3 and steps == [1, 2, 3]

    def fails(report) -> None:  # noqa: ANN001
        report(1, 2)
        raise ValueError("a clear message")

    import pytest

    with pytest.raises(ValueError, match="a clear message"):
        tasks.run_with_progress(None, "t", "l", "Stop", fails)


def test_a_busy_file_is_said_on_the_dashboard_not_left_blank(qtbot, workspace: Workspace, monkeypatch):
    from kamdesk.services.workspace import DatabaseBusyError

    tab = DashboardTab(workspace, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.data is not None)

    def busy() -> None:
        raise DatabaseBusyError("bob")

    monkeypatch.setattr(workspace.accounts, "dashboard", busy)
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.problem.isHidden())
    assert str(DatabaseBusyError("bob")) in tab.problem.text()
    monkeypatch.undo()
    with qtbot.waitSignal(tab.refreshed, timeout=5000):
        tab.refresh()
    assert tab.problem.isHidden()  # read again: the notice goes


def test_work_that_reaches_a_closing_file_is_dropped_quietly(qtbot, scripted):
    """After the window closed its file, a late timer's read fails with FileClosingError: nobody is told."""
    from kamdesk.storage.errors import FileClosingError
    from kamdesk.ui import errors, tasks

    def late_read() -> None:
        raise FileClosingError("The team file is being closed.")

    done: list[object] = []
    tasks.run(late_read, done.append)
    qtbot.waitUntil(lambda: tasks.pending() == 0)
    errors.report(None, FileClosingError("The team file is being closed."))
    assert done == [] and scripted.shown == []


def test_work_that_reports_nothing_shows_its_busy_window_after_a_moment_and_closes_it(qtbot):
    """A save through Op.wait reports no progress: its busy window must still come up once the work takes a
    while (before, its clock never started and it never showed), and go when the work is done."""
    from PySide6.QtWidgets import QApplication, QProgressDialog

    release = threading.Event()
    parent = QLabel()
    qtbot.addWidget(parent)
    parent.show()
    seen: list[bool] = []

    def busy_windows() -> list[QProgressDialog]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]

    def look_then_release() -> None:
        seen.append(bool(busy_windows()) and busy_windows()[0].labelText() == "Saving the contact…")
        release.set()

    QTimer.singleShot(900, look_then_release)  # well past the 300 ms a busy window waits before it shows

    def save() -> str:
        while not release.is_set():  # a sleep loop: under libfaketime a wait with a timeout never ends
            time.sleep(0.01)
        return "saved"

    result = tasks.run_busy(parent, "Contact", "Saving the contact…", save)
    assert result == "saved" and seen == [True]
    qtbot.waitUntil(lambda: not busy_windows(), timeout=2000)
