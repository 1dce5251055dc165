"""Work off the GUI thread: run a function in Qt's thread pool and hand its result back on the GUI thread.

The worker never touches a widget. Results travel through one long-lived bridge object. Each piece
of work has an owner (the widget that asked); if the owner is deleted while the work runs, its
result is dropped by ownership, never delivered to a dead widget. A failure nobody handles is
reported (a message and a log entry), never dropped. Most code uses `kamdesk.ui.ops.Op` on top.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from kamdesk import gui_turns

T = TypeVar("T")

#: At least this many pieces of work run at once (they mostly wait on the file, not the processor).
MIN_THREADS = 8
#: The GUI thread's beat while background work runs (milliseconds).
BEAT_MS = 10


class _Bridge(QObject):
    finished = Signal(int)  # token: the outcome waits in _outcomes

    def __init__(self) -> None:
        super().__init__()
        #: The GUI thread's beat while work is under way (kamdesk.gui_turns: workers pause while it is busy).
        self.beat = QTimer(self)
        self.beat.setInterval(BEAT_MS)
        self.beat.timeout.connect(gui_turns.turned)

    def work_started(self) -> None:
        if not self.beat.isActive():
            gui_turns.turned()
            self.beat.start()

    def work_ended(self) -> None:
        if not pending() and self.beat.isActive():
            self.beat.stop()
            gui_turns.stop_beating()


_bridge: _Bridge | None = None
_callbacks: dict[int, tuple[QObject | None, Callable[[Any], None], Callable[[Exception], None] | None]] = {}
#: Each piece of work, and then its (result, error), held for the GUI thread. The worker keeps no reference
#: of its own once it is done: the last reference to whatever the work captured (a widget, often) must go
#: on the GUI thread, because a Qt object freed on a worker thread crashes ("QBasicTimer::stop: Failed").
_works: dict[int, Callable[[], Any]] = {}
_outcomes: dict[int, tuple[Any, Exception | None]] = {}
#: Work whose result nobody will read any more (the window closed while it ran).
_forgotten: set[int] = set()
_tokens = itertools.count(1)
#: Work asked for by the GUI thread, started once it is back in its event loop (see `run`).
_queued: list[tuple[int, Callable[[], None]]] = []


def run(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None] | None = None,
    *,
    owner: QObject | None = None,
) -> int:
    """Start `work()` in the thread pool; `on_done(result)` or `on_error(exc)` runs on the GUI thread.

    When `owner` is deleted before the work ends, neither runs. A failure with no `on_error` is
    reported by `kamdesk.ui.errors.report` (a message and a log entry). Call from the GUI thread.
    """
    global _bridge
    if _bridge is None:
        _bridge = _Bridge()
        _bridge.finished.connect(_deliver)
        # The work waits on the file far more than on the processor (a file server answers each request
        # in milliseconds): a long dashboard read on a two-core machine must not queue a search behind it.
        pool = QThreadPool.globalInstance()
        pool.setMaxThreadCount(max(pool.maxThreadCount(), MIN_THREADS))
    token = next(_tokens)
    _callbacks[token] = (owner, on_done, on_error)
    _works[token] = work
    bridge = _bridge
    if threading.current_thread() is threading.main_thread():
        bridge.work_started()
    del work  # from here on only _works (read and dropped on the GUI thread) holds it

    def job() -> None:
        task = _works[token]
        try:
            outcome: tuple[Any, Exception | None] = (task(), None)
        except Exception as exc:  # noqa: BLE001 - every failure is handed to the GUI thread
            outcome = (None, exc)
        del task
        _outcomes[token] = outcome
        del outcome
        try:
            bridge.finished.emit(token)
        except RuntimeError:
            pass  # the application is gone (its window closed while this ran): nobody to tell

    if threading.current_thread() is threading.main_thread():
        # Started when the GUI thread is back in its event loop, not at once: a page being built starts its
        # reads as it goes, and reads turning rows into Python objects beside it would contend for the
        # interpreter with every Qt call the rest of the building makes (issue 24).
        if not _queued:
            QTimer.singleShot(0, bridge, _start_queued)
        _queued.append((token, job))
    else:
        QThreadPool.globalInstance().start(job)
    return token


def _start_queued() -> None:
    queued = list(_queued)
    _queued.clear()
    pool = QThreadPool.globalInstance()
    for token, job in queued:
        if token in _forgotten:  # the window closed before it started: it never runs
            _forgotten.discard(token)
            _callbacks.pop(token, None)
            _works.pop(token, None)
            continue
        pool.start(job)


def _deliver(token: int) -> None:
    _works.pop(token, None)
    result, error = _outcomes.pop(token, (None, None))
    callbacks = _callbacks.pop(token, None)
    if _bridge is not None:
        _bridge.work_ended()
    if callbacks is None or token in _forgotten:
        _forgotten.discard(token)
        return
    owner, on_done, on_error = callbacks
    if owner is not None and not shiboken6.isValid(owner):
        return  # the widget that asked was deleted meanwhile: nobody to tell
    if getattr(error, "closing", False):
        return  # asked of a file whose window is closing (a late timer, say): nobody is there to read it
    if error is None:
        on_done(result)
    elif on_error is not None:
        on_error(error)
    else:
        from kamdesk.ui.errors import report

        report(owner if isinstance(owner, QWidget) else None, error)


def forget_all() -> None:
    """Deliver nothing of the work now running (the window is closing and its file is interrupted)."""
    _forgotten.update(_callbacks)
    if _bridge is not None:
        _bridge.work_ended()


def pending() -> int:
    """How many results have not been delivered yet (forgotten work not counted)."""
    return len(set(_callbacks) - _forgotten)


class _Progress(QObject):
    moved = Signal(str, int, int)  # label (may be empty), done, total


#: What long work is handed: report(done, total, label="") -> False when the person pressed Stop.
Report = Callable[..., bool]


def run_with_progress(
    parent: QWidget | None, title: str, label: str, cancel_text: str, work: Callable[[Report], T]
) -> T:
    """Run `work(report)` in the thread pool behind a window-modal progress dialog with a Stop button.

    The event loop keeps turning the whole time (the window repaints, Stop answers at once), so no
    freeze however long the work. Returns work's result, or raises what it raised, on the GUI thread.
    `report(done, total, label="")` may be called as often as the work likes; it returns False once
    Stop was pressed, and the work decides how to stop (say, by rolling back).
    """
    dialog = QProgressDialog(label, cancel_text, 0, 0, parent)
    if not cancel_text:
        dialog.setCancelButton(None)  # work that cannot stop part-way (a backup, a compaction)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    stopped = threading.Event()
    dialog.canceled.connect(stopped.set)
    # A value starts the dialog's clock: without one it never shows (work that reports nothing, a save, was
    # behind a busy window nobody saw). The dialog as context: the call is dropped if it is gone by then.
    QTimer.singleShot(0, dialog, lambda: dialog.setValue(0))
    progress = _Progress()

    def moved(text: str, done: int, total: int) -> None:
        if text:
            dialog.setLabelText(text)
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        if dialog.wasCanceled():  # Stop pressed, or the dialog closed with Esc
            stopped.set()

    # The worker waits for the dialog to take each report it sends (a new label, or 50 ms after the
    # last), so Stop is seen at the very next report; reports in between cost nothing.
    progress.moved.connect(moved, Qt.ConnectionType.BlockingQueuedConnection)
    last: list[Any] = [None, 0.0]

    def report(done: int, total: int, text: str = "") -> bool:
        now = time.monotonic()
        if text != last[0] or now - last[1] >= 0.05 or done >= total:
            last[0], last[1] = text, now
            progress.moved.emit(text, done, total)
        return not stopped.is_set()

    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def finished(key: str, value: Any) -> None:
        outcome[key] = value
        loop.quit()

    run(
        lambda: work(report),
        lambda result: finished("result", result),
        lambda exc: finished("error", exc),
        owner=dialog,
    )
    if not outcome:
        loop.exec()
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def run_busy(parent: QWidget | None, title: str, label: str, work: Callable[[], T]) -> T:
    """Run `work()` off the GUI thread behind a progress dialog without a Stop button (for work that
    cannot stop part-way); the window keeps repainting. Returns its result or raises its error."""
    return run_with_progress(parent, title, label, "", lambda _report: work())
