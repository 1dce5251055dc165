"""The window makes an older team file faster to share, once: 64 KB pages instead of 4 KB (storage/page_size.py).

After a file opens (and its automatic backup, if one was due, is made), the window asks in the background whether
the file wants converting: its pages are smaller than 64 KB, it is writable, nobody else has it open, and it is
not too large for its location (services/personal_data.py). If so, the conversion runs in the background while a
line in the status bar says so; the file is held for its whole length, so the window's own reads wait meanwhile
(and a busy message names the conversion). Closing the window interrupts it: the VACUUM rolls back and the file is
left as it was, to be converted at a later open. A backup lock held by someone else means "later" too. On a file
server the fast path converts it (a backup first, a local VACUUM, the file written over in place, held only for
that): closing the window abandons it before the write, and a write under way finishes in its own process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QProgressBar

from kamdesk.i18n import _
from kamdesk.ui import prompts, tasks
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

    # File → Make the team file faster to share…: for a file the window does not convert by itself ------------
    def add_file_action(self, menu: QMenu) -> None:
        self.action = QAction(_("Make the team file &faster to share…"), self.window)
        self.action.triggered.connect(lambda _checked=False: self.convert_on_request())
        menu.addAction(self.action)

    def convert_on_request(self) -> None:
        """Asked for from the File menu: say whether it is needed and what it costs, then convert in the background."""
        ws = self.window.workspace
        if ws is None or self.running:
            return
        if ws.path is None:
            prompts.current().inform(
                self.window, self._title(), _("A database server keeps its own pages: nothing to do.")
            )
            return
        if ws.read_only:
            prompts.current().inform(self.window, self._title(), _("This team file is open read-only."))
            return
        path = ws.path

        def outlook() -> tuple[bool, str, int, bool]:
            pages = ws.personal_data
            return pages.needs_larger_pages(), pages.others_open(), path.stat().st_size, pages.uses_fast_conversion()

        tasks.run(outlook, lambda seen: self._offer(ws, *seen), owner=self)

    def _offer(self, ws: Workspace, needed: bool, others: str, size: int, fast: bool = False) -> None:
        if ws is not self.window.workspace:
            return
        if not needed:
            prompts.current().inform(self.window, self._title(), _("This team file already has the larger pages."))
            return
        if others:
            prompts.current().inform(
                self.window,
                self._title(),
                _("Others have the file open ({who}). It can be converted once nobody else has it open.").format(
                    who=others
                ),
            )
            return
        if prompts.current().ask_yes_no(self.window, self._title(), self._cost(fast).format(size=size / 1e6)):
            self._wanted(ws, True)

    @staticmethod
    def _cost(fast: bool) -> str:
        """What converting costs, for the question asked before it ({size} in MB)."""
        if fast:
            return _(
                "The file ({size:.0f} MB) gets larger pages, which makes it faster to use over the network. A backup "
                "of it is made first; the copy is converted on this computer and then written over the file. Nobody "
                "else can open the file while it is written: for 176 MB about 5 seconds on an office network and half "
                "a minute over a VPN (about 20 seconds and 70 seconds in all). Closing the window before the writing "
                "starts leaves the file as it was; should the writing be cut short, kamdesk offers that backup.\n\n"
                "Convert it now?"
            )
        return _(
            "The file ({size:.0f} MB) is rewritten with larger pages in one step, which makes it faster to use "
            "over the network. On a file server this can take several minutes (about 5 minutes for 176 MB on an "
            "office network, longer over a VPN); nobody else can open the file meanwhile, and this window waits "
            "for it. Closing the window stops it safely and leaves the file as it was.\n\nConvert it now?"
        )

    @staticmethod
    def _title() -> str:
        return _("Make the team file faster to share")

    def _wanted(self, ws: Workspace, wanted: bool) -> None:
        if not wanted or ws is not self.window.workspace or self.running:
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
        if done is None:  # someone opened it meanwhile: a later opening converts it
            self.outcome = _("The team file was not converted: someone else opened it meanwhile.")
            self.window.statusBar().showMessage(self.outcome, 15_000)
            return
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
