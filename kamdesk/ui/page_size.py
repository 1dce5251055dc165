"""The window makes an older team file faster to share, once: 64 KB pages instead of 4 KB (storage/page_size.py).

After a file opens (and its automatic backup, if one was due, is made), the window asks in the background whether
the file wants converting: its pages are smaller than 64 KB, it is writable, nobody else has it open, and it is
not too large for its location (services/personal_data.py). If so, the conversion runs in the background while a
line in the status bar says so; the file is held for its whole length, so the window's own reads wait meanwhile
(and a busy message names the conversion). Closing the window interrupts it: the VACUUM rolls back and the file is
left as it was, to be converted at a later open. A backup lock held by someone else means "later" too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar

from kamdesk.i18n import _
from kamdesk.ui import tasks
from kamdesk.ui.errors import log

if TYPE_CHECKING:
    from kamdesk.services.workspace import Workspace
    from kamdesk.ui.main_window import MainWindow

#: A backup (or restore) holding the file's backup lock: ask again after this long, this many times at most.
RETRY_MS = 60_000
MAX_TRIES = 3


class PageSizeUpgrade(QObject):
    """Converts the window's file to larger pages once per opening, in the background, when it may."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._for: Workspace | None = None  # the file it was last asked for
        self._tries = 0
        self.running = False
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # a VACUUM does not say how far it is: a busy bar
        self.bar.setMaximumWidth(120)
        self.bar.setTextVisible(False)
        #: What the last attempt came to ("" while none ended): shown in the status bar too, kept for tests.
        self.outcome = ""

    def start(self) -> None:
        """The window's file is open and its first backup is out of the way: convert it if it wants it (once)."""
        ws = self.window.workspace
        if ws is None or ws is self._for or ws.read_only:
            return
        self._for, self._tries = ws, 0
        self._ask(ws)

    def _ask(self, ws: Workspace) -> None:
        if ws is not self.window.workspace or self.running:
            return
        self._tries += 1
        tasks.run(
            ws.personal_data.wants_automatic_conversion,
            lambda wanted: self._wanted(ws, wanted),
            self._not_asked,
            owner=self,
        )

    def _not_asked(self, exc: Exception) -> None:
        log.info("could not tell whether the team file wants larger pages: %s", exc)  # asked at the next opening

    def _wanted(self, ws: Workspace, wanted: bool) -> None:
        if not wanted or ws is not self.window.workspace:
            return
        self.running = True
        self.outcome = ""
        self.label.setText(_("Making the team file faster to share (once)…"))
        self.label.setToolTip(
            _(
                "kamdesk is rewriting the team file with larger pages, which makes every read over the network "
                "faster. It happens once and can take a few minutes on a large file; nobody else can open the "
                "file meanwhile. Closing the window stops it safely (it is then done at a later opening)."
            )
        )
        bar = self.window.statusBar()  # permanent: a passing message ("Backup made") does not cover it
        bar.insertPermanentWidget(0, self.bar)
        bar.insertPermanentWidget(0, self.label)
        self.label.show()
        self.bar.show()
        log.info("converting %s to larger pages", ws.display_name)
        tasks.run(ws.personal_data.make_pages_larger, lambda done: self._done(ws, done), self._failed, owner=self)

    def _done(self, ws: Workspace, done: Any) -> None:
        self._end()
        if done is None:
            return  # someone opened it meanwhile: a later opening converts it
        self.outcome = _("The team file is now faster to share (pages of {after} KB instead of {before} KB).").format(
            after=done.after // 1024, before=done.before // 1024
        )
        self.window.statusBar().showMessage(self.outcome, 15_000)

    def _failed(self, exc: Exception) -> None:
        self._end()
        from kamdesk.services.backups import BackupBusyError

        ws = self._for
        if isinstance(exc, BackupBusyError) and ws is not None and self._tries < MAX_TRIES:
            QTimer.singleShot(RETRY_MS, self, lambda: self._ask(ws))  # a backup is being made: after it
            return
        log.info("the page-size conversion did not run: %s", exc)
        self.outcome = _("The team file could not be made faster to share now: {reason}").format(reason=exc)
        self.window.statusBar().showMessage(self.outcome, 15_000)

    def _end(self) -> None:
        if self.running:
            bar = self.window.statusBar()
            bar.removeWidget(self.label)
            bar.removeWidget(self.bar)
        self.running = False
