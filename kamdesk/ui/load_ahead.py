"""The tabs' code loaded ahead while the window idles, so that a tab's first showing only builds it (issue 24).

A tab's first showing otherwise loads its modules first: 5-20 ms of the GUI thread a tab on a two-core machine,
about twice that while background reads run, on top of building it. Here one module loads per turn of the event
loop, and only while no background work is under way: loading beside the first tab's reads and the day's backup
made a 110 ms stand-still on slowshare's LAN setting. On the GUI thread, not in the thread pool: a module loaded
on two threads at once can meet a circular import half done.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection
from importlib import import_module

from PySide6.QtCore import QObject, QTimer

from kamdesk.ui import tasks
from kamdesk.ui.errors import log
from kamdesk.ui.tabs.registry import TABS

#: Loaded after the tabs' modules: the account editor (the contact card's module loads with its read), and the
#: PDF preview, whose Qt libraries (QtPdf, QtPdfWidgets, QtPrintSupport) no tab loads until it prints: loaded
#: with the Contacts tab while the day's backup copied the file, they held the GUI thread 193 ms.
ALSO = ("kamdesk.ui.dialogs.account_dialog", "kamdesk.ui.dialogs.pdf_preview")
#: From this long after the window is filled, one module this far apart (ms).
AFTER_MS = 1_000
EVERY_MS = 300


class LoadAhead(QObject):
    """For a window whose `built()` names the tabs it has built (their code is loaded already)."""

    def __init__(self, parent: QObject, built: Callable[[], Collection[str]]) -> None:
        super().__init__(parent)
        self._built = built

    def start(self) -> None:
        QTimer.singleShot(AFTER_MS, self, self.step)

    def step(self) -> None:
        """Load one module still waiting (when nothing runs in the background), and look again a moment later."""
        built = self._built()
        waiting = [entry.module for entry in TABS if entry.name not in built] + list(ALSO)
        waiting = [name for name in waiting if name not in sys.modules]
        if not waiting:
            return
        if tasks.pending():
            QTimer.singleShot(EVERY_MS, self, self.step)
            return
        try:
            import_module(waiting[0])
        except Exception:  # noqa: BLE001 - the tab's own first showing meets the failure again and reports it
            log.exception("Loading %s ahead failed", waiting[0])
            return
        QTimer.singleShot(EVERY_MS, self, self.step)
