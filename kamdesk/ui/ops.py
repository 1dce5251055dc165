"""One way to run database and PDF work from the UI, after Anki's QueryOp/CollectionOp.

    Op(self, lambda: ws.accounts.save(detail), _("Save the account")) \\
        .changes(ACCOUNT_TABLES) \\
        .success(lambda result: self.accept()) \\
        .run()

The work runs off the GUI thread. Its result comes back on the GUI thread to `success`, unless the
widget that asked (`parent`) was deleted meanwhile. A failure goes to `failure`, by default a clear
message and a log entry (kamdesk.ui.errors.report). `changes(tables)` tells every tab that shows one
of those tables that it is out of date once the work succeeded. `progress(label)` shows a busy
window if the work takes longer than a moment. `wait()` runs the same way but returns the result
(for a dialog that must know a save went through before it closes); the window keeps repainting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from kamdesk.ui import change_notices, tasks
from kamdesk.ui.errors import report

T = TypeVar("T")

#: Work quicker than this shows no progress window at all (it would only flicker).
PROGRESS_AFTER_MS = 300


class Op(Generic[T]):
    def __init__(self, parent: QWidget | None, work: Callable[[], T], title: str = "") -> None:
        self.parent = parent
        self.work = work
        self.title = title
        self._success: Callable[[T], None] = lambda _result: None
        self._failure: Callable[[Exception], None] = lambda exc: report(parent, exc, title)
        self._tables: frozenset[str] = frozenset()
        self._progress_label = ""

    def success(self, handler: Callable[[T], None]) -> Op[T]:
        self._success = handler
        return self

    def failure(self, handler: Callable[[Exception], None]) -> Op[T]:
        self._failure = handler
        return self

    def changes(self, tables: Iterable[str]) -> Op[T]:
        self._tables = frozenset(tables)
        return self

    def progress(self, label: str) -> Op[T]:
        self._progress_label = label
        return self

    def run(self) -> None:
        """Start the work and return at once."""
        dialog = self._progress_dialog()

        def done(result: T) -> None:
            _close(dialog)
            change_notices.announce_tables(self._tables)
            self._success(result)

        def failed(exc: Exception) -> None:
            _close(dialog)
            self._failure(exc)

        tasks.run(self.work, done, failed, owner=self.parent)

    def wait(self) -> T:
        """Run the work off the GUI thread behind a busy window; return its result, or raise its error."""
        result = tasks.run_busy(self.parent, self.title or "kamdesk", self._progress_label or self.title, self.work)
        change_notices.announce_tables(self._tables)
        return result

    def _progress_dialog(self) -> QProgressDialog | None:
        if not self._progress_label:
            return None
        dialog = QProgressDialog(self._progress_label, "", 0, 0, self.parent)
        dialog.setCancelButton(None)
        dialog.setWindowTitle(self.title or "kamdesk")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        QTimer.singleShot(0, lambda: dialog.setValue(0))  # starts the minimum-duration clock
        return dialog


def _close(dialog: QProgressDialog | None) -> None:
    if dialog is not None:
        dialog.close()
        dialog.deleteLater()
