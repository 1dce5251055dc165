"""Work off the GUI thread: run a function in Qt's thread pool and hand its result back on the GUI thread.

The worker never touches a widget. Results travel through one long-lived bridge object, so a tab that
is closed while its work runs simply never hears back (a deleted widget's callback is dropped).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal


class _Bridge(QObject):
    finished = Signal(int, object, object)  # token, result, exception


_bridge: _Bridge | None = None
_callbacks: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None] | None]] = {}
_tokens = itertools.count(1)


def run(work: Callable[[], Any], on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None) -> int:
    """Start `work()` in the thread pool; `on_done(result)` or `on_error(exc)` runs on the GUI thread.
    Must be called from the GUI thread."""
    global _bridge
    if _bridge is None:
        _bridge = _Bridge()
        _bridge.finished.connect(_deliver)
    token = next(_tokens)
    _callbacks[token] = (on_done, on_error)
    bridge = _bridge

    def job() -> None:
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - every failure is handed to the GUI thread
            bridge.finished.emit(token, None, exc)
            return
        bridge.finished.emit(token, result, None)

    QThreadPool.globalInstance().start(job)
    return token


def _deliver(token: int, result: Any, error: Any) -> None:
    callbacks = _callbacks.pop(token, None)
    if callbacks is None:
        return
    on_done, on_error = callbacks
    try:
        if error is None:
            on_done(result)
        elif on_error is not None:
            on_error(error)
    except RuntimeError as exc:  # the widget that asked was deleted meanwhile
        if "already deleted" not in str(exc):
            raise


def pending() -> int:
    """How many results have not been delivered yet."""
    return len(_callbacks)
