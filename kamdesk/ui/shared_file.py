"""The team file as shared: others' saves refresh the visible tab, automatic and manual backups, restore, audit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from kamdesk.domain.backups import BackupInfo
from kamdesk.domain.changes import tables_touched
from kamdesk.i18n import _
from kamdesk.ui import change_notices, formatting, prompts, tasks
from kamdesk.ui.errors import log
from kamdesk.ui.ops import Op
from kamdesk.ui.page_size import PageSizeUpgrade

if TYPE_CHECKING:
    from kamdesk.services.workspace import Workspace
    from kamdesk.ui.main_window import MainWindow

#: How often the window asks whether an automatic backup is due (the service decides).
BACKUP_CHECK_MS = 15 * 60_000
#: How often the window asks whether others saved (services.changes.POLL_INTERVAL_S, not imported
#: here so that the window opens before the database layer is loaded).
POLL_MS = 2_000


def _storage_error() -> type[Exception]:
    from kamdesk.services.backups import StorageError

    return StorageError


def open_or_offer_restore(
    parent: QWidget | None, opener: Callable[[str, bool], Workspace], path: str, create: bool = False
) -> Workspace | None:
    """Open a team file; when it is damaged and a good backup exists, offer to restore that backup
    (the damaged bytes are kept beside it) and open the result. None, after saying why, on failure."""
    title = _("Cannot open the file")
    try:
        # Off the GUI thread (issue 24): on a share an open is many requests, seconds over a VPN; the window
        # keeps repainting, behind a busy window if it takes more than a moment.
        return tasks.run_busy(
            parent, "kamdesk", _("Opening {file}…").format(file=Path(path).name or path), lambda: opener(path, create)
        )
    except _storage_error() as exc:
        backup = str(getattr(exc, "latest_backup", "") or "")
        if not backup:
            prompts.current().warn(parent, title, str(exc))
            return None
        if not prompts.current().ask_yes_no(
            parent,
            title,
            _(
                "{message}\n\nRestore that backup now? The damaged file is kept beside it, so nothing is lost, "
                "and work saved after the backup was made will have to be entered again."
            ).format(message=exc),
        ):
            return None
        from kamdesk.services.backups import restore_file
        from kamdesk.services.workspace import PRESENCE_STALE_AFTER

        try:
            # Others listed in the damaged file are watched for a while (their heartbeats must stand still
            # before the file is replaced): off the GUI thread, behind a window that says so.
            result = (
                Op(parent, lambda: restore_file(backup, path, PRESENCE_STALE_AFTER), _("Restore from backup"))
                .progress(_("Checking that nobody else is still working in the file, then restoring…"))
                .wait()
            )
            workspace = opener(path, False)
        except _storage_error() as error:
            prompts.current().warn(parent, _("Restore from backup"), str(error))
            return None
        prompts.current().inform(
            parent,
            _("Restore from backup"),
            _("Restored {backup}. The damaged file is kept as {copy}.").format(
                backup=Path(backup).name, copy=result.previous_copy or "-"
            ),
        )
        return workspace


class SharedFileActions(QObject):
    """Owns the change poll and the backup timer of a main window, and its backup, restore and audit commands.

    It reads `window.workspace` each time, so it follows the window to another file.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.last_changes: list[Any] = []
        self._backup_running = False
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll_in_background)
        self._polling = False
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.auto_backup)
        #: The file's one-time conversion to larger pages, asked for once its first backup is out of the way.
        self.page_size = PageSizeUpgrade(window)
        window.installEventFilter(self)
        window.workspace_changed.connect(self.start)  # each file the window shows: watch it, back it up when due

    @property
    def workspace(self) -> Workspace | None:
        return self.window.workspace

    def start(self) -> None:
        """A workspace was installed: watch it from now on, and make the day's first backup if due."""
        if self.workspace is None:
            return
        self.poll_timer.start()
        self.backup_timer.start()
        self.auto_backup()

    def stop(self) -> None:
        self.poll_timer.stop()
        self.backup_timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.stop()
        return False

    def add_file_actions(self, menu: QMenu) -> None:
        self.backup_action = QAction(_("&Back up now"), self.window)
        self.backup_action.triggered.connect(lambda _checked=False: self.backup_now())
        menu.addAction(self.backup_action)
        self.restore_action = QAction(_("Res&tore from backup…"), self.window)
        self.restore_action.triggered.connect(lambda _checked=False: self.restore())
        menu.addAction(self.restore_action)
        self.page_size.add_file_action(menu)

    def add_view_actions(self, menu: QMenu) -> None:
        self.audit_action = QAction(_("&Audit trail…"), self.window)
        self.audit_action.triggered.connect(lambda _checked=False: self.show_audit())
        menu.addAction(self.audit_action)

    # Others' changes -------------------------------------------------------------------------
    def poll_in_background(self) -> None:
        """The timer's poll: asked off the GUI thread, so a busy or slow file never holds up the window.
        One poll at a time; a failed one (busy, unreachable) is simply asked again next time."""
        ws = self.workspace
        if ws is None or self._polling:
            return
        self._polling = True

        def seen(entries: list[Any]) -> None:
            self._polling = False
            if ws is self.workspace:  # the window may have moved to another file meanwhile
                self._take(entries)

        def failed(exc: Exception) -> None:
            self._polling = False
            log.info("change poll failed: %s", exc)

        tasks.run(ws.changes.poll, seen, failed, owner=self)

    def poll_changes(self) -> list[Any]:
        """Ask now, on this thread, whether others saved (the timer asks in the background)."""
        ws = self.workspace
        if ws is None:
            return []
        try:
            entries = ws.changes.poll()
        except _storage_error():
            return []
        return self._take(entries)

    def _take(self, entries: list[Any]) -> list[Any]:
        """Others saved: every tab showing what changed is out of date (the visible one re-reads now,
        the others when next shown), and open editors check whether their record changed underneath."""
        if not entries:
            return []
        self.last_changes = entries
        change_notices.announce(entries)  # open editors check whether their record changed underneath
        self.window.mark_changed(tables_touched(entries))
        self.window.update_presence()
        people = ", ".join(sorted({e.by for e in entries}))
        self.window.statusBar().showMessage(_("Updated with changes by {people}").format(people=people), 8_000)
        return entries

    # Backups -----------------------------------------------------------------------------------
    def auto_backup(self) -> None:
        ws = self.workspace
        if ws is None or ws.read_only or not ws.backups.available or self._backup_running:
            self.page_size.start()
            return
        if self.page_size.running:
            return  # it holds the backup lock and the file: the next check makes the backup
        self._backup_running = True
        tasks.run(ws.backups.maybe_backup, self._auto_backup_done, self._auto_backup_failed, owner=self)

    def _auto_backup_done(self, made: BackupInfo | None) -> None:
        self._backup_running = False
        self.page_size.start()
        if made is not None:
            self.window.statusBar().showMessage(_("Backup made: {name}").format(name=made.path.name), 8_000)

    def _auto_backup_failed(self, exc: Exception) -> None:
        self._backup_running = False
        self.page_size.start()
        self.window.statusBar().showMessage(_("Automatic backup failed: {reason}").format(reason=exc), 30_000)

    def backup_now(self) -> BackupInfo | None:
        ws = self.workspace
        title = _("Back up now")
        if ws is None or not ws.backups.available:
            prompts.current().inform(self.window, title, _("Backups of a database server are made on the server."))
            return None
        from kamdesk.services.backups import BackupBusyError

        made = None
        for attempt in range(2):
            try:  # a large file takes seconds to copy and check: off the GUI thread
                made = tasks.run_busy(self.window, title, _("Backing up and checking the copy…"), ws.backups.backup_now)
                break
            except BackupBusyError as exc:
                if attempt or not self._offer_to_break_lock(ws, title, str(exc)):
                    return None
            except _storage_error() as exc:
                prompts.current().warn(self.window, title, str(exc))
                return None
        if made is None:
            return None
        prompts.current().inform(
            self.window,
            title,
            _("Backup written and verified: {path} ({size:.1f} MB)").format(path=made.path, size=made.size / 1_000_000),
        )
        return made

    def restore(self) -> bool:
        from kamdesk.ui.dialogs.restore_dialog import RestoreDialog

        ws = self.workspace
        title = _("Restore from backup")
        if ws is None or not ws.backups.available:
            prompts.current().inform(self.window, title, _("Backups of a database server are made on the server."))
            return False
        if ws.read_only:
            prompts.current().inform(self.window, title, _("This team file is open read-only."))
            return False
        dialog = RestoreDialog(ws.backups.backups(), self.window)
        if not dialog.exec() or dialog.chosen is None:
            return False
        chosen = dialog.chosen
        if not prompts.current().ask_yes_no(
            self.window,
            title,
            _(
                "Replace the team file with the backup of {when}?\n\nThe file as it is now is backed up first. "
                "Nobody else may have it open."
            ).format(when=formatting.wall_time(chosen.made_at)),
        ):
            return False
        from kamdesk.services.backups import OthersHaveItOpenError

        result = None
        for attempt in range(2):
            polling = self.poll_timer.isActive()
            self.poll_timer.stop()  # no look at the file while it is being replaced
            try:
                result = tasks.run_busy(
                    self.window, title, _("Restoring the backup…"), lambda: ws.restore_backup(chosen.path)
                )
                break
            except OthersHaveItOpenError as exc:
                if attempt or not self._offer_to_clear_sessions(ws, title, exc):
                    return False
            except _storage_error() as exc:
                prompts.current().warn(self.window, title, str(exc))
                return False
            finally:
                if polling:
                    self.poll_timer.start()
        if result is None:
            return False
        self.window.refresh()
        prompts.current().inform(
            self.window,
            title,
            _("Restored the backup of {when}. The file as it was is kept in {copy}.").format(
                when=formatting.wall_time(chosen.made_at), copy=result.previous_copy or "-"
            ),
        )
        return True

    # Locks and sessions left by a crashed kamdesk: broken by a person who saw whose they are -----------
    def _offer_to_break_lock(self, ws: Workspace, title: str, message: str) -> bool:
        holder = ws.backups.lock_holder()
        if holder is None:
            return True  # it was let go meanwhile: just try again
        since = holder.since.strftime("%Y-%m-%d %H:%M") if holder.since else _("an unknown time")
        if not prompts.current().ask_yes_no(
            self.window,
            title,
            _(
                "{message}\n\nThe backup lock is held by {name} on {host} (process {pid}) since {since}. If their "
                "kamdesk stopped part-way (it crashed, or the computer was switched off), you can break the lock and "
                "back up now. Breaking it while their backup is still running would spoil that backup. The audit "
                "trail records that you broke it.\n\nBreak the lock?"
            ).format(message=message, name=holder.name, host=holder.host, pid=holder.pid, since=since),
        ):
            return False
        try:
            ws.backups.break_lock()
        except _storage_error() as exc:
            prompts.current().warn(self.window, title, str(exc))
            return False
        return True

    def _offer_to_clear_sessions(self, ws: Workspace, title: str, exc: Any) -> bool:
        who = "\n".join(
            _("{name} on {host}, last sign of life {beat} (by their clock)").format(
                name=e.user_name, host=e.host, beat=formatting.date_time(e.heartbeat_at)
            )
            for e in exc.entries
        )
        if not prompts.current().ask_yes_no(
            self.window,
            title,
            _(
                "{message}\n\n{who}\n\nIf you are sure their kamdesk is no longer running (it crashed, or the "
                "computer was switched off), you can clear these entries and restore. If it is still running, their "
                "next saves would go into the restored file. The audit trail records that you cleared them.\n\n"
                "Clear them and restore?"
            ).format(message=str(exc), who=who),
        ):
            return False
        try:
            ws.backups.clear_sessions(exc.entries)
        except _storage_error() as error:
            prompts.current().warn(self.window, title, str(error))
            return False
        return True

    def show_audit(self) -> None:
        from kamdesk.ui.dialogs.audit_dialog import AuditDialog

        ws = self.workspace
        if ws is None:
            return
        AuditDialog(ws.audit, self.window).exec()
