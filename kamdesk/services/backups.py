"""Backups of the open team file (automatic, on request) and restoring one, only while nobody else has it open."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kamdesk.domain import clock
from kamdesk.domain.backups import (
    AUTO_BACKUP_EVERY,
    DEFAULT_ROTATION,
    BackupInfo,
    LockHolder,
    RestoreResult,
    Rotation,
    backup_due,
)
from kamdesk.domain.models import PresenceEntry
from kamdesk.domain.presence import LEFTOVER_AFTER
from kamdesk.domain.server_address import is_server_url
from kamdesk.i18n import _
from kamdesk.storage import backups as store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database
from kamdesk.storage.errors import StorageError

BackupError = store.BackupError
BackupBusyError = store.BackupBusyError

__all__ = [
    "BackupBusyError",
    "BackupError",
    "BackupService",
    "OthersHaveItOpenError",
    "SessionWatch",
    "StorageError",
    "backup_file",
    "file_sessions",
    "live_sessions",
    "restore_file",
    "watch_sessions",
]


#: How long "Back up now" waits for this kamdesk's own automatic backup to finish.
OWN_BACKUP_WAIT_S = 120.0


class OthersHaveItOpenError(BackupError):
    """A restore refused because others have the file open; `entries` says who (to judge a crash)."""

    def __init__(self, message: str, entries: list[PresenceEntry]) -> None:
        super().__init__(message)
        self.entries = entries


#: How often a watch reads the heartbeat counters (seconds).
WATCH_POLL_S = 1.0


def live_sessions(
    path: Path, stale_after: dt.timedelta, now: dt.datetime | None = None, exclude: str = ""
) -> list[PresenceEntry]:
    """The presence entries of a file whose heartbeat is recent by this machine's clock.

    Only for display: it trusts the other machine's clock, so it misses a colleague whose clock is
    behind and keeps a crashed one whose clock is ahead. Decisions use counters (watch_sessions)."""
    now = now or clock.utc_now()
    return [e for e in store.read_presence(path) if e.session_id != exclude and now - e.heartbeat_at <= stale_after]


@dataclass(frozen=True)
class SessionWatch:
    """What watching the other sessions' heartbeat counters showed."""

    #: Their counter moved while watched: working now.
    live: list[PresenceEntry] = field(default_factory=list)
    #: Their counter stood still for the whole watch (or their last beat is too old for any clock error): crashed.
    crashed: list[PresenceEntry] = field(default_factory=list)
    #: The session that watched (its own entry is never anyone else's).
    own_session: str = ""

    def others_now(self, entries: Sequence[PresenceEntry]) -> list[PresenceEntry]:
        """Who counts as having the file open among `entries` read now: everyone but this session and those
        judged crashed (one who appeared after the watch is taken as live)."""
        crashed = {e.session_id for e in self.crashed}
        return [e for e in entries if e.session_id != self.own_session and e.session_id not in crashed]


def watch_sessions(
    read: Callable[[], list[PresenceEntry]],
    window: dt.timedelta,
    *,
    exclude: str = "",
    on_watch: Callable[[list[PresenceEntry], float], None] | None = None,
    steady: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    poll_s: float = WATCH_POLL_S,
) -> SessionWatch:
    """Judge the other sessions by their heartbeat counters on this machine's steady clock, the rule of
    domain/presence.py, for a caller with no long-running watcher (the command line).

    Returns at once when nobody else is in the presence table, or as soon as one counter moves (someone is
    working); otherwise after `window`, with the sessions whose counters stood still as crashed. A first
    entry whose last beat is older than LEFTOVER_AFTER by this clock is crashed without waiting.
    `on_watch(entries, seconds)` is told whom it is about to wait for, and for how long."""
    now = clock.utc_now()
    others = [e for e in read() if e.session_id != exclude]
    leftovers = [e for e in others if now - e.heartbeat_at > LEFTOVER_AFTER]
    watched = {e.session_id: e for e in others if e not in leftovers}
    if not watched:
        return SessionWatch([], leftovers, exclude)
    if on_watch is not None:
        on_watch(list(watched.values()), window.total_seconds())
    began = steady()
    while steady() - began < window.total_seconds():
        sleep(min(poll_s, max(0.0, window.total_seconds() - (steady() - began))))
        current = {e.session_id: e for e in read()}
        moved = [
            e for sid, e in current.items() if sid in watched and e.heartbeat_count != watched[sid].heartbeat_count
        ]
        if moved:
            return SessionWatch(moved, [], exclude)
        watched = {sid: e for sid, e in watched.items() if sid in current}  # closed meanwhile: gone for good
        if not watched:
            break
    return SessionWatch([], leftovers + list(watched.values()), exclude)


def file_sessions(path: str | Path) -> list[PresenceEntry]:
    """Every presence entry of a team file as it is now (fresh or crashed; judge them with watch_sessions)."""
    return store.read_presence(Path(path))


def _describe(entries: list[PresenceEntry]) -> str:
    return "; ".join(
        _("{name} on {host} since {since} UTC").format(
            name=e.user_name, host=e.host, since=e.opened_at.strftime("%Y-%m-%d %H:%M")
        )
        for e in entries
    )


def _refuse_server(target: str | Path) -> None:
    """A database on a server is backed up (and restored) by the server's own tools, not by kamdesk."""
    if is_server_url(str(target)):
        raise BackupError(_("Backups of a database server are made on the server."))


def backup_file(path: str | Path, to: str | Path | None = None, *, who: str = "") -> BackupInfo:
    """One verified backup of a team file, into its backup folder or `to`; older ones rotated there."""
    _refuse_server(path)
    source = Path(path).absolute()
    folder = store.backup_folder(source) if to is None else Path(to).absolute()
    with store.backup_lock(folder, who or _("command line")):
        made = store.make_backup(source, folder, stem=source.stem)
        store.rotate(folder, source.stem, verified=made.path)
    return made


def restore_file(
    backup: str | Path,
    target: str | Path,
    stale_after: dt.timedelta,
    *,
    own_session: str = "",
    live_others: Sequence[PresenceEntry] | None = None,
    who: str = "",
    on_watch: Callable[[list[PresenceEntry], float], None] | None = None,
) -> RestoreResult:
    """Restore `backup` over `target`, refusing while anyone else has `target` open.

    Liveness is judged by heartbeat counters on this machine's steady clock, never by comparing clocks:
    `live_others` are those an open window's watcher judged live; without it the counters are watched
    here for up to `stale_after` (see watch_sessions). Everyone's presence entry but `own_session`'s is
    carried into the restored file, so nobody who has it open becomes invisible."""
    _refuse_server(target)
    target, backup = Path(target).absolute(), Path(backup).absolute()
    store.refuse_same_file(backup, target)
    store.verify_backup(backup)
    if target.exists():
        if live_others is None:
            live_others = watch_sessions(
                lambda: store.read_presence(target), stale_after, exclude=own_session, on_watch=on_watch
            ).live
        others = [e for e in live_others if e.session_id != own_session]
        if others:
            raise OthersHaveItOpenError(
                _(
                    "{path} is open by others ({who}); ask them to close it before restoring. Nothing was changed."
                ).format(path=target, who=_describe(others)),
                others,
            )
    with store.backup_lock(store.backup_folder(target), who or _("command line"), own_session, action="restore"):
        return store.restore_backup(backup, target, own_session=own_session)


class BackupService:
    """Backups of the open file: made automatically by one client at a time, or on request; restore."""

    def __init__(
        self,
        db: Database,
        stale_after: dt.timedelta,
        *,
        rotation: Rotation = DEFAULT_ROTATION,
        every: dt.timedelta = AUTO_BACKUP_EVERY,
    ) -> None:
        self.db = db
        self.stale_after = stale_after
        self.rotation = rotation
        self.every = every

    @property
    def available(self) -> bool:
        """Backups beside the file exist only for a team file (not for a database server)."""
        return self.db.path is not None

    @property
    def folder(self) -> Path:
        if self.db.path is None:
            raise BackupError(_("Backups of a database server are made on the server."))
        return store.backup_folder(self.db.path)

    def backups(self) -> list[BackupInfo]:
        if self.db.path is None:
            return []
        return store.list_backups(self.folder, self.db.path.stem)

    def backup_now(self, now: dt.datetime | None = None, own_wait_s: float = OWN_BACKUP_WAIT_S) -> BackupInfo:
        """A backup made now; BackupBusyError when another client is making one this moment.

        When the one making it is this very kamdesk (its automatic backup, started a moment ago), this
        waits for it (up to `own_wait_s`) and then makes the new one, instead of calling itself busy."""
        path = self._path()
        deadline = time.monotonic() + own_wait_s
        while True:
            try:
                with store.backup_lock(self.folder, self.db.user_name, self.db.session_id):
                    made = store.make_backup(path, self.folder, now=now, stopped=lambda: self.db.closing)
                    store.rotate(self.folder, path.stem, self.rotation, verified=made.path)
                return made
            except BackupBusyError:
                if not self._wait_for_own_backup(deadline - time.monotonic()):
                    raise

    def _wait_for_own_backup(self, seconds: float) -> bool:
        """Wait (up to `seconds`) while the backup lock is held by this window's own session. True when the
        lock is free (worth trying again), False when someone else holds it or the time ran out."""
        deadline = time.monotonic() + seconds
        while True:
            holder = store.read_lock(self.folder)
            if holder is None:
                return True
            if holder.session != self.db.session_id or time.monotonic() >= deadline:
                return False
            time.sleep(0.1)

    @staticmethod
    def stop_running() -> None:
        """The window is closing: backups running now stop at their next step and keep nothing."""
        store.stop_running_backups()

    def maybe_backup(self, now: dt.datetime | None = None) -> BackupInfo | None:
        """The automatic backup, when due (first open of a day, or every few hours after changes).

        Returns None when none was due, or another client holds the lock (it is making it).
        """
        if self.db.path is None or self.db.read_only or self.db.closing:
            return None  # closing: a backup queued behind other work does not start now
        now = now or clock.now()
        latest = store.last_change_id(self.db.path)
        if latest == 0:
            return None  # a new, empty file: nothing worth keeping yet
        backups = self.backups()
        newest = backups[0] if backups else None
        changed = newest is None or latest != store.last_change_id(newest.path)
        if not backup_due(newest, now, changed, self.every):
            return None
        try:
            with store.backup_lock(self.folder, self.db.user_name, self.db.session_id):
                # Another client may have made it while this one was deciding.
                fresh = self.backups()
                if fresh and fresh[0].path != (newest.path if newest else None):
                    return None
                made = store.make_backup(self._path(), self.folder, now=now, stopped=lambda: self.db.closing)
                store.rotate(self.folder, self._path().stem, self.rotation, verified=made.path)
                return made
        except BackupBusyError:
            return None

    def restore(self, backup: str | Path, live_others: Sequence[PresenceEntry] | None = None) -> RestoreResult:
        """Restore a backup over the open file; refused while anyone else has it open (`live_others`, as this
        window's watcher judged them; watched here when not given). This window's own automatic backup, if
        it is running, is waited for first."""
        self._wait_for_own_backup(OWN_BACKUP_WAIT_S)
        result = restore_file(
            backup,
            self._path(),
            self.stale_after,
            own_session=self.db.session_id,
            live_others=live_others,
            who=self.db.user_name,
        )
        self.db.engine.dispose()  # no pooled connection keeps pages of the file as it was
        return result

    # Locks left by crashed clients: a person breaks them after seeing whose they are; logged ------------
    def lock_holder(self) -> LockHolder | None:
        """Who holds the backup lock of the open file now, if anyone."""
        return store.read_lock(self.folder)

    def break_lock(self) -> LockHolder | None:
        """Remove the backup lock (its holder's kamdesk stopped part-way); the audit trail records it."""
        holder = store.break_lock(self.folder)
        if holder is not None:
            self._log(
                "backup_lock",
                str(self.folder.name),
                "break",
                {
                    "holder": holder.name,
                    "holder_host": holder.host,
                    "holder_pid": holder.pid,
                    "since": holder.since.isoformat(timespec="seconds") if holder.since else "",
                },
            )
        return holder

    def clear_sessions(self, entries: list[PresenceEntry]) -> int:
        """Remove the presence entries of clients a person judged crashed; each removal is logged."""
        if self.db.read_only or not entries:
            return 0
        with self.db.write() as session:
            removed = repo.remove_presence(session, [e.session_id for e in entries])
            for e in entries:
                repo.log_event(
                    session,
                    self.db.user_name,
                    self.db.host,
                    "presence",
                    e.session_id,
                    "clear",
                    {
                        "user_name": e.user_name,
                        "host": e.host,
                        "opened_at": e.opened_at.isoformat(timespec="seconds"),
                        "heartbeat_at": e.heartbeat_at.isoformat(timespec="seconds"),
                    },
                )
        return removed

    def _log(self, table_name: str, row_id: str, action: str, changes: dict[str, object]) -> None:
        if self.db.read_only:
            return
        with self.db.write() as session:
            repo.log_event(session, self.db.user_name, self.db.host, table_name, row_id, action, changes)

    def _path(self) -> Path:
        if self.db.path is None:
            raise BackupError(_("Backups of a database server are made on the server."))
        return self.db.path
