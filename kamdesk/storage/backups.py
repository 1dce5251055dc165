"""Verified backups of a team file beside it (the file's bytes copied under a short read lock by a child process,
storage/snapshot.py; SQLite's backup API for WAL files and restores); rotation, lock, restore."""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import re
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from kamdesk.domain import clock
from kamdesk.domain.backups import (
    DEFAULT_ROTATION,
    BackupInfo,
    LockHolder,
    RestoreResult,
    Rotation,
    backups_to_keep,
)
from kamdesk.domain.models import PresenceEntry
from kamdesk.i18n import _
from kamdesk.storage import background_check
from kamdesk.storage import snapshot as snapshots
from kamdesk.storage.database import FileInfo, check_openable, inspect_file, recover
from kamdesk.storage.errors import DamagedFileError, DatabaseOpenError, StorageError
from kamdesk.storage.locations import LocationKind, location_kind
from kamdesk.storage.migrate import APPLICATION_ID, head_version
from kamdesk.storage.stop_watch import interrupted_when

log = logging.getLogger(__name__)

BACKUP_FOLDER_SUFFIX = ".backups"
STAMP_FORMAT = "%Y-%m-%d_%H%M%S"
LOCK_NAME = ".backup-lock"
#: A backup lock older than this (by the file's modification time) was left by a client that died.
LOCK_STALE_AFTER = dt.timedelta(minutes=15)
#: How long the copy waits for a writer to finish before giving up (seconds).
SOURCE_BUSY_TIMEOUT_S = 20.0
_NAME = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{4}-\d{2}-\d{2}_\d{6})(?:-(?P<n>\d+))?\.kamdb$")
#: What an interrupted backup (or restore) leaves: its temporary copy and that copy's journal.
_LEFTOVER = re.compile(r"^\..+\.[0-9a-f]{8}\.(?:partial|restoring)(?:-journal)?$")
#: How long a backup copy may wait for a busy file (a writer, or the same file) before giving up (seconds).
COPY_BUSY_TIMEOUT_S = 60.0
#: How long a backup waits for the file's write lock to remove a cold journal before leaving it for next time.
COLD_JOURNAL_WAIT_S = 2.0
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


class BackupError(StorageError):
    """A backup or restore could not be made; the message says why and what was left behind (nothing)."""


class BackupDiskFullError(BackupError):
    """The disk (or quota) filled up while the copy was written; nothing was kept."""


class SourceDamagedError(BackupError):
    """The copy failed SQLite's integrity check, so the file it was copied from is damaged."""


class BackupBusyError(BackupError):
    """Another client holds the backup lock: it is making a backup, or restoring one, right now."""

    def __init__(self, holder: str, action: str = "backup", since: str = "") -> None:
        self.holder = holder
        self.action = action
        self.since = since
        who = holder or _("someone else")
        if action == "convert":
            message = _(
                "{holder} has been making this file faster to share (a one-time conversion) since {since}; try "
                "again in a few minutes."
            ).format(holder=who, since=since or "?")
        elif action == "restore":
            message = _(
                "{holder} has been restoring a backup over this file since {since}; try again in a few minutes."
            ).format(holder=who, since=since or "?")
        elif action == "erase":
            message = _(
                "{holder} has been erasing a person from this file's backups since {since}; try again in a few minutes."
            ).format(holder=who, since=since or "?")
        else:
            message = _(
                "{holder} has been making a backup of this file since {since}; try again in a few minutes."
            ).format(holder=who, since=since or "?")
        if since:
            message += " " + _(
                "If their kamdesk stopped part-way, the lock is released by itself {minutes} minutes "
                "after it was taken."
            ).format(minutes=int(LOCK_STALE_AFTER.total_seconds() // 60))
        super().__init__(message)


def backup_folder(db_path: Path) -> Path:
    """Where the backups of a team file live: a folder beside it, `NAME.backups`."""
    return db_path.with_name(db_path.stem + BACKUP_FOLDER_SUFFIX)


def list_backups(folder: Path, stem: str | None = None) -> list[BackupInfo]:
    """The backups in a folder (of one team file, when its stem is given), newest first."""
    found: list[BackupInfo] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if match is None or (stem is not None and match["stem"] != stem):
            continue
        try:
            made_at = dt.datetime.strptime(match["stamp"], STAMP_FORMAT)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupInfo(entry, made_at + dt.timedelta(microseconds=int(match["n"] or 0)), size))
    found.sort(key=lambda b: (b.made_at, b.path.name), reverse=True)
    return found


def _ro_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def integrity(path: Path, quick: bool = False, stopped: Callable[[], bool] | None = None, mmap_bytes: int = 0) -> str:
    """SQLite's own integrity check of a file, read-only: "ok" or what is wrong. `stopped()` is asked every
    few thousand steps; when it says yes the check ends with "interrupted". `mmap_bytes`: read the file
    through memory mapping (only for a file on this computer's own disk that nobody else writes)."""
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True, timeout=SOURCE_BUSY_TIMEOUT_S, check_same_thread=False)
        try:
            if mmap_bytes:
                conn.execute(f"PRAGMA mmap_size = {int(mmap_bytes)}").fetchall()
            with interrupted_when(conn, stopped) if stopped is not None else nullcontext():
                rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "; ".join(str(r[0]) for r in rows)


def last_change_id(path: Path) -> int:
    """The newest change-log entry's id in a file (0 when it has none or cannot be read)."""
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True, timeout=SOURCE_BUSY_TIMEOUT_S)
        try:
            return int(conn.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return 0


def read_presence(path: Path) -> list[PresenceEntry]:
    """Every presence entry in a file, read-only (fresh or stale: the caller judges by its own clock)."""
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True, timeout=SOURCE_BUSY_TIMEOUT_S)
        try:
            rows = conn.execute(
                "SELECT session_id, user_name, host, opened_at, heartbeat_at, heartbeat_count FROM presence "
                "ORDER BY opened_at"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return []
    return [PresenceEntry(r[0], r[1], r[2], _parse_time(r[3]), _parse_time(r[4]), int(r[5] or 0)) for r in rows]


def _parse_time(value: object) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return dt.datetime.min


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in _DISK_FULL_ERRNOS
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return code == sqlite3.SQLITE_FULL or "disk is full" in str(exc).lower()
    return False


def copy_database(source: Path, destination: Path) -> None:
    """Copy a (possibly live) database page by page with SQLite's backup API, in one step.

    One step holds a read lock for the whole copy, so the copy is one consistent moment of the
    file; writers wait for it (their busy timeout) rather than restarting it.
    """
    src = sqlite3.connect(_ro_uri(source), uri=True, timeout=SOURCE_BUSY_TIMEOUT_S)
    try:
        dst = sqlite3.connect(destination, timeout=SOURCE_BUSY_TIMEOUT_S)
        try:
            src.backup(dst, progress=_give_up_when_busy_for(COPY_BUSY_TIMEOUT_S))
            _forget_presence(dst)
        finally:
            dst.close()
    finally:
        src.close()


class BackupStoppedError(BackupError):
    """The window closed while a backup ran: it was stopped and left nothing behind."""


#: Bumped by stop_running_backups(); a backup that started under an older number stops at its next step.
_stop_generation = [0]
_started = threading.local()


def stop_running_backups() -> None:
    """The window is closing: every backup running in this process stops at its next step (the copy's child
    is ended, the check interrupted) and leaves nothing behind; the next open makes the day's backup."""
    _stop_generation[0] += 1


def _stopped() -> bool:
    asked = getattr(_started, "stopped", None)
    return getattr(_started, "generation", _stop_generation[0]) != _stop_generation[0] or bool(asked and asked())


def _stopped_error() -> BackupStoppedError:
    return BackupStoppedError(_("The backup was stopped because kamdesk is closing. Nothing was kept."))


def snapshot_database(source: Path, destination: Path) -> None:
    """Copy a live database as one consistent moment, holding its read lock as briefly as possible.

    A rollback-journal file's bytes are read in large requests by a child process under a read lock
    (storage/snapshot.py): on a file server that is seconds, where the page-by-page backup API holds the
    lock for a minute and colleagues' saves fail. A WAL file is copied with the backup API.
    """
    try:
        snapshots.snapshot(source, destination, stopped=_stopped)
    except snapshots.SnapshotStoppedError:
        raise _stopped_error() from None
    except snapshots.NotRollbackJournalError:
        _remove_partial(destination)
        copy_database(source, destination)
        return
    conn = sqlite3.connect(destination)
    try:
        _forget_presence(conn)
    finally:
        conn.close()


def _verified_copy(source: Path, partial: Path, damaged: Callable[[str], str]) -> None:
    """A verified copy of `source` at `partial`. When `partial` is on a file server, the copy is made and
    checked in the local temporary folder first, then written there in large sequential requests, so
    neither the copy nor its check reads the share page by page."""
    local = location_kind(partial.parent) == LocationKind.LOCAL
    work = partial if local else Path(tempfile.gettempdir()) / partial.name
    try:
        snapshot_database(source, work)
        result = _checked_copy(work)
        if _stopped():
            raise _stopped_error()
        if result != "ok":
            raise SourceDamagedError(damaged(result))
        if not local:
            _copy_file(work, partial)
    finally:
        if not local:
            _remove_partial(work)


def _checked_copy(work: Path) -> str:
    """The integrity check of a backup's own copy on this computer's disk, in a child process that yields the
    processor to the window (storage/background_check.py); here, when no child could give a verdict."""
    try:
        return background_check.check(work, stopped=_stopped)
    except background_check.CheckNotRunError as exc:
        log.warning("the backup's copy is checked in this process: %s", exc)
    # Nobody else writes the copy: read through memory mapping, the check takes well under half the processor
    # time (the large demo: 1.9 s against 5.2 s).
    return integrity(work, stopped=_stopped, mmap_bytes=work.stat().st_size)


def _copy_file(source: Path, destination: Path) -> None:
    """A plain copy in 1 MiB requests that stops when the window closes."""
    with open(source, "rb") as src, open(destination, "wb") as dst:
        while chunk := src.read(1 << 20):
            if _stopped():
                raise _stopped_error()
            dst.write(chunk)


def _give_up_when_busy_for(seconds: float) -> Callable[[int, int, int], None]:
    """A backup progress callback that ends a copy kept waiting on a lock for `seconds`.

    Python's backup retries a busy step without end, so a file locked for good (the copy's own source,
    say) would otherwise hang the copy forever.
    """
    deadline = time.monotonic() + seconds

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")

    return progress


def _forget_presence(conn: sqlite3.Connection) -> None:
    """A copy records no one as having it open: those sessions belong to the original at that moment."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'presence'").fetchone():
        conn.execute("DELETE FROM presence")
        conn.commit()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_partial(partial: Path) -> None:
    for leftover in (partial, partial.with_name(partial.name + "-journal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass


def ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            _("The backup folder {folder} cannot be created: {reason}. No backup was made.").format(
                folder=folder, reason=exc.strerror or exc
            )
        ) from exc
    if not os.access(folder, os.W_OK):
        raise BackupError(_("The backup folder {folder} cannot be written. No backup was made.").format(folder=folder))


def _new_backup_path(folder: Path, stem: str, now: dt.datetime) -> Path:
    stamp = now.strftime(STAMP_FORMAT)
    path = folder / f"{stem}.{stamp}.kamdb"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{stem}.{stamp}-{number}.kamdb"
    return path


def make_backup(
    source: Path,
    folder: Path | None = None,
    *,
    now: dt.datetime | None = None,
    stem: str | None = None,
    stopped: Callable[[], bool] | None = None,
) -> BackupInfo:
    """Copy `source` into its backup folder (or `folder`), verify the copy, and only then keep it.

    Nothing is left behind when anything fails (a full disk included): the copy is written under a
    temporary name and renamed into place after its integrity check.
    """
    source = Path(source)
    folder = backup_folder(source) if folder is None else Path(folder)
    now = now or clock.now()
    _started.generation, _started.stopped = _stop_generation[0], stopped  # `stopped()`: the caller's own stop
    info = _recovered(inspect_file(source))
    try:
        check_openable(info, 1 << 30)  # refuses missing, empty, foreign and unreadable files; any schema is copied
    except DamagedFileError as exc:
        raise SourceDamagedError(
            damaged_message(source, exc.detail, _latest_good(folder, stem or source.stem))
        ) from None
    remove_cold_journal(source)
    ensure_folder(folder)
    final = _new_backup_path(folder, stem or source.stem, now)
    partial = folder / f".{final.name}.{uuid.uuid4().hex[:8]}.partial"
    try:
        _verified_copy(
            source, partial, lambda result: damaged_message(source, result, _latest_good(folder, stem or source.stem))
        )
        _fsync(partial)
        os.replace(partial, final)
    except BackupError:
        _remove_partial(partial)
        raise
    except (sqlite3.Error, OSError) as exc:
        _remove_partial(partial)
        if _is_disk_full(exc):
            raise BackupDiskFullError(
                _(
                    "There is not enough space in {folder} for a backup of {name} ({detail}). No backup was kept; "
                    "free some space and try again."
                ).format(folder=folder, name=source.name, detail=exc)
            ) from exc
        raise BackupError(
            _("The backup of {name} into {folder} failed: {detail}. No backup was kept.").format(
                name=source.name, folder=folder, detail=exc
            )
        ) from exc
    return BackupInfo(final, now.replace(microsecond=0), final.stat().st_size)


def _recovered(info: FileInfo) -> FileInfo:
    """The file after rolling back a crashed writer's journal (a read-only copy cannot); refused when it
    cannot be written, since only a writable connection may roll it back."""
    if not info.needs_recovery:
        return info
    if not info.writable:
        raise BackupError(
            _(
                "A save to {path} was cut short (the program or computer stopped). It is recovered the next time "
                "someone who can write to its folder opens it; until then it cannot be read. It was not changed."
            ).format(path=info.path)
        )
    try:
        recover(info.path)
    except sqlite3.Error as exc:
        raise BackupError(
            _("The backup of {name} into {folder} failed: {detail}. No backup was kept.").format(
                name=info.path.name, folder=backup_folder(info.path), detail=exc
            )
        ) from exc
    return inspect_file(info.path)


def rotate(
    folder: Path, stem: str, rotation: Rotation = DEFAULT_ROTATION, *, verified: Path | None = None
) -> list[Path]:
    """Delete the backups the rotation does not keep; returns what was removed.

    The newest backup that passes verification is always kept, whatever the rotation says: when the
    team file has gone bad, the backups made since may be no better, and that one may be all there is.
    `verified` names a backup just made and verified, so it need not be checked again.
    """
    backups = list_backups(folder, stem)
    keep = backups_to_keep(backups, rotation)
    for backup in backups:  # newest first
        if backup.path == verified or passes_verification(backup.path):
            keep.add(backup.path)
            break
    removed = []
    for backup in backups:
        if backup.path not in keep:
            try:
                backup.path.unlink()
                removed.append(backup.path)
            except OSError:
                pass  # another client rotated it away already, or it is in use: next time
    return removed


@contextmanager
def backup_lock(folder: Path, who: str, session: str = "", action: str = "backup") -> Iterator[None]:
    """Hold the backup lock of a folder (one client backs up or restores at a time); BackupBusyError when taken.

    The lock is a file created exclusively. One whose process is gone on this same computer is taken
    over at once; one held from another computer (whose process cannot be seen from here) is taken over
    once it is older than LOCK_STALE_AFTER by the clock of the file system that holds it. Whoever holds the lock removes what
    interrupted backups left in the folder. A folder this call created is removed again when nothing
    was kept in it (a refused backup leaves no empty folder behind).
    """
    created = not folder.exists()
    ensure_folder(folder)
    try:
        lock = folder / LOCK_NAME
        payload = json.dumps(
            {
                "by": who,
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "session": session,
                "action": action,
                "at": clock.now().isoformat(timespec="seconds"),
            },
            ensure_ascii=False,
        )
        fd = _create_exclusive(lock)
        if fd is None:
            _take_over_abandoned(lock)
            fd = _create_exclusive(lock)
            if fd is None:
                raise _busy(lock)
        try:
            os.write(fd, payload.encode("utf-8"))
        finally:
            os.close(fd)
        try:
            remove_leftovers(folder)
            yield
        finally:
            try:
                lock.unlink(missing_ok=True)
            except OSError:
                pass
    finally:
        if created:
            try:
                folder.rmdir()  # only when empty
            except OSError:
                pass


def _take_over_abandoned(lock: Path) -> None:
    """Remove a lock whose owner is gone: its process ended on this computer, or it went stale."""
    holder = read_lock(lock.parent)
    if holder is None:
        return  # released meanwhile
    gone = holder.host == socket.gethostname() and holder.pid > 0 and not _process_alive(holder.pid)
    if not gone:
        try:
            age = lock_age(lock)
        except OSError:
            return  # it vanished meanwhile: free to take
        if age < LOCK_STALE_AFTER:
            raise _busy(lock)
    try:
        lock.unlink(missing_ok=True)
    except OSError as exc:
        raise _busy(lock) from exc


def lock_age(lock: Path) -> dt.timedelta:
    """How long ago `lock` was written, by the clock of the file system that holds it.

    A file's time on a share is stamped by the file server, whose clock may be minutes or hours off
    this PC's: a lock measured against this PC's clock could look stale the moment it was taken (or
    hold for hours after a crash). So a fresh probe file beside it gives the server's "now".
    """
    written = lock.stat().st_mtime
    probe = lock.with_name(f".clock-probe-{uuid.uuid4().hex[:8]}")
    try:
        probe.touch()
        now = probe.stat().st_mtime
    except OSError:
        now = clock.clock().timestamp()  # the folder cannot be written: this PC's clock is all there is
    finally:
        try:
            probe.unlink(missing_ok=True)
        except OSError:
            pass
    return dt.timedelta(seconds=max(0.0, now - written))


def lock_error(folder: Path) -> BackupBusyError | None:
    """The BackupBusyError naming who holds the backup lock of `folder` and what for, or None when nobody does."""
    lock = folder / LOCK_NAME
    return _busy(lock) if lock.exists() else None


def _busy(lock: Path) -> BackupBusyError:
    """The BackupBusyError naming who holds `lock`, what they are doing and since when (by this clock)."""
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    try:
        taken = clock.now() - lock_age(lock)
        since = taken.strftime("%H:%M") if taken.date() == clock.today() else taken.strftime("%Y-%m-%d %H:%M")
    except (OSError, ValueError, OverflowError):
        since = ""
    return BackupBusyError(_lock_holder(lock), str(data.get("action", "backup")), since)


def _process_alive(pid: int) -> bool:
    """Whether a process of this computer is still running (True when that cannot be told)."""
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def _windows_process_alive(pid: int) -> bool:
    import ctypes

    kernel32 = getattr(ctypes, "WinDLL")("kernel32", use_last_error=True)  # noqa: B009 (Windows only)
    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return bool(getattr(ctypes, "get_last_error")() == access_denied)  # noqa: B009 (denied: it exists)
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def remove_leftovers(folder: Path, prefix: str = ".") -> list[Path]:
    """Delete what interrupted backups and restores left in a folder (their temporary copies and journals),
    those whose names start with `prefix`.

    Called by the holder of the backup lock: nobody else is writing such a file then.
    """
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        if entry.name.startswith(prefix) and _LEFTOVER.match(entry.name) and entry.is_file():
            try:
                entry.unlink()
                removed.append(entry)
            except OSError:
                pass  # in use or not ours to delete: next time
    return removed


def _cold(journal: Path) -> bool:
    """Whether a rollback journal provably holds nothing to roll back: empty, or its first byte zero.

    That is SQLite's own test of a journal that is not hot (pager.c, hasHotJournal), and such a journal has no
    magic number, so nothing in it can ever be played back: a save under synchronous=FULL writes the header with
    its magic zeroed and puts the magic in only when the journal is complete, just before the file itself is
    changed; killed before that, the journal stays cold. Anything else is SQLite's to roll back.
    """
    try:
        with open(journal, "rb") as handle:  # the journal, never the database: the file's locks stay whole
            first = handle.read(1)
    except OSError:
        return False
    return first in (b"", b"\0")


def remove_cold_journal(db_path: Path) -> bool:
    """Delete a cold journal beside a team file (a save killed before its journal was complete leaves one: empty,
    or its magic still zeroed; see `_cold`); True when one was removed. A hot journal is never touched: SQLite
    rolls it back.

    The journal is judged again, and deleted, inside a write transaction on the file (`BEGIN IMMEDIATE`, SQLite's
    RESERVED lock), so no one can be starting a save and writing a journal meanwhile. Busy, read-only or any
    other trouble leaves it for the next backup; it does no harm meanwhile.
    """
    journal = db_path.with_name(db_path.name + "-journal")
    if not journal.is_file() or not _cold(journal):
        return False
    try:
        conn = sqlite3.connect(db_path, timeout=COLD_JOURNAL_WAIT_S, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if not journal.is_file() or not _cold(journal):
                return False
            journal.unlink()
            return True
        finally:
            conn.execute("ROLLBACK")
    except (sqlite3.Error, OSError):
        return False
    finally:
        conn.close()


def is_leftover(name: str) -> bool:
    """Whether a file name is that of an interrupted backup's or restore's unfinished copy (or its journal)."""
    return _LEFTOVER.match(name) is not None


def _create_exclusive(lock: Path) -> int | None:
    try:
        return os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return None
    except OSError as exc:
        raise BackupError(
            _("The backup folder {folder} cannot be written: {reason}. No backup was made.").format(
                folder=lock.parent, reason=exc.strerror or exc
            )
        ) from exc


def read_lock(folder: Path) -> LockHolder | None:
    """Who holds the backup lock of a folder, or None when nobody does."""
    lock = folder / LOCK_NAME
    if not lock.exists():
        return None
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
        since = dt.datetime.fromisoformat(str(data["at"])) if data.get("at") else None
        return LockHolder(
            str(data.get("by", "?")),
            str(data.get("host", "?")),
            int(data.get("pid", 0)),
            since,
            str(data.get("session", "")),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return LockHolder("?", "?", 0, None)  # unreadable (half-written by a crash): still a lock


def break_lock(folder: Path) -> LockHolder | None:
    """Remove a backup lock (after a person saw who holds it); returns whom it belonged to."""
    holder = read_lock(folder)
    try:
        (folder / LOCK_NAME).unlink(missing_ok=True)
    except OSError as exc:
        raise BackupError(
            _("The backup lock in {folder} cannot be removed: {reason}.").format(
                folder=folder, reason=exc.strerror or exc
            )
        ) from exc
    return holder


def _lock_holder(lock: Path) -> str:
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
        return _("{name} on {host}").format(name=data.get("by", "?"), host=data.get("host", "?"))
    except (OSError, ValueError, AttributeError):
        return ""


def latest_good_backup(db_path: Path) -> BackupInfo | None:
    """The newest backup of a team file that passes SQLite's quick check, if any."""
    return _latest_good(backup_folder(db_path), db_path.stem)


def _latest_good(folder: Path, stem: str) -> BackupInfo | None:
    for backup in list_backups(folder, stem):
        if passes_verification(backup.path):
            return backup
    return None


def passes_verification(path: Path, quick: bool = True) -> bool:
    """Whether a file is a usable backup: a kamdesk database with tables that passes SQLite's check."""
    info = inspect_file(path)
    if not info.is_sqlite or info.is_empty or info.table_count <= 0 or info.application_id != APPLICATION_ID:
        return False
    return integrity(path, quick=quick) == "ok"


def damaged_file_error(error: DamagedFileError) -> DamagedFileError:
    """The same error, now naming the latest good backup of the damaged file (or saying there is none)."""
    path = Path(error.path)
    backup = latest_good_backup(path)
    if backup is None:
        hint = _("No good backup of it was found beside it.")
    else:
        hint = _(
            "The latest good backup is {backup} from {when}; restore it with File → Restore… or "
            "'kamdesk restore {backup} {path}'."
        ).format(backup=backup.path, when=backup.made_at.strftime("%Y-%m-%d %H:%M"), path=path)
    better = DamagedFileError(error.path, error.detail, hint)
    better.latest_backup = str(backup.path) if backup else ""
    return better


def damaged_message(path: Path, detail: str, backup: BackupInfo | None) -> str:
    """What to tell a person whose team file is damaged: what is wrong and which backup to restore."""
    text = _("{path} is damaged ({detail}). It was not changed.").format(path=path, detail=detail)
    if backup is None:
        return text + " " + _("No good backup of it was found beside it.")
    return (
        text
        + " "
        + _(
            "The latest good backup is {backup} from {when}; restore it with File → Restore… or "
            "'kamdesk restore {backup} {path}'."
        ).format(backup=backup.path, when=backup.made_at.strftime("%Y-%m-%d %H:%M"), path=path)
    )


def same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file (the same path, a symbolic link to it, or a hard link)."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False  # one of them does not exist (yet)


def refuse_same_file(backup: Path, target: Path) -> None:
    """A backup cannot be restored over itself: that would copy a file onto itself while reading it."""
    if same_file(backup, target):
        raise BackupError(
            _(
                "{backup} is the team file itself (or a link to it), so it cannot be restored over "
                "{target}. Choose a backup from {folder}. Nothing was changed."
            ).format(backup=backup, target=target, folder=backup_folder(target))
        )
    if target.exists() and not target.is_file():
        raise BackupError(
            _("{path} is a folder or device, not a kamdesk team file. Nothing was changed.").format(path=target)
        )


def verify_backup(backup: Path) -> None:
    """Refuse a backup that is not a kamdesk file, is newer than this kamdesk, or fails its integrity check."""
    info = inspect_file(backup)
    try:
        check_openable(info, head_version())
    except DatabaseOpenError as exc:
        raise BackupError(_("{path} cannot be restored: {reason}").format(path=backup, reason=exc)) from exc
    result = integrity(backup)
    if result != "ok":
        raise BackupError(
            _("{path} cannot be restored: it fails its integrity check ({detail}).").format(path=backup, detail=result)
        )


def restore_backup(
    backup: Path, target: Path, *, now: dt.datetime | None = None, own_session: str = ""
) -> RestoreResult:
    """Put a verified backup in place of `target`, after keeping a copy of what `target` holds now.

    A healthy target is overwritten through SQLite's backup API (under its exclusive lock, so a
    reader never sees half of it); a damaged one is replaced by renaming a verified copy over it.
    The caller makes sure nobody else has the file open. The presence entries of a healthy target
    (all but `own_session`'s, which its window registers again) are carried into the restored file:
    a restore is no reason for anyone to vanish from the list of who has it open.
    """
    backup, target = Path(backup), Path(target)
    refuse_same_file(backup, target)
    verify_backup(backup)
    folder = backup_folder(target)
    remove_leftovers(target.parent, prefix=f".{target.name}.")
    now = now or clock.now()
    previous: Path | None = None
    healthy_target = False
    if target.exists():
        try:
            previous = make_backup(target, folder, now=now).path
            healthy_target = True
        except (SourceDamagedError, DatabaseOpenError):
            previous = _keep_damaged_copy(target, folder, now)
    present = _presence_rows(target, own_session) if healthy_target else []
    try:
        if healthy_target:
            _write_over(backup, target)
            _put_back_presence(target, present)
        else:
            _replace_with_copy(backup, target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(
            _("Restoring {backup} over {target} failed: {detail}. The previous file is kept in {copy}.").format(
                backup=backup.name, target=target, detail=exc, copy=previous or "-"
            )
        ) from exc
    result = integrity(target)
    if result != "ok":
        raise BackupError(
            _("The restored file fails its integrity check ({detail}); the previous file is kept in {copy}.").format(
                detail=result, copy=previous or "-"
            )
        )
    return RestoreResult(target, backup, previous)


_PRESENCE_COLUMNS = ("session_id", "user_name", "host", "pid", "opened_at", "heartbeat_at", "heartbeat_count")


def _presence_rows(path: Path, own_session: str) -> list[dict[str, object]]:
    """The presence entries of a file as stored (all columns a restore needs to put them back)."""
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True, timeout=SOURCE_BUSY_TIMEOUT_S)
        conn.row_factory = sqlite3.Row
        try:
            rows = conn.execute("SELECT * FROM presence WHERE session_id != ?", (own_session,)).fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return []
    return [{k: row[k] for k in row.keys() if k in _PRESENCE_COLUMNS} for row in rows]


def _put_back_presence(path: Path, rows: list[dict[str, object]]) -> None:
    """Insert presence entries into a restored file, in the columns its (maybe older) schema has."""
    if not rows:
        return
    conn = sqlite3.connect(path, timeout=SOURCE_BUSY_TIMEOUT_S)
    try:
        have = {r[1] for r in conn.execute("PRAGMA table_info(presence)")}
        for row in rows:
            names = [k for k in row if k in have]
            conn.execute(
                f"INSERT OR IGNORE INTO presence ({', '.join(names)}) VALUES ({', '.join('?' for _name in names)})",
                [row[k] for k in names],
            )
        conn.commit()
    finally:
        conn.close()


def _write_over(backup: Path, target: Path) -> None:
    copy_database(backup, target)


def _replace_with_copy(backup: Path, target: Path) -> None:
    # A journal left beside a damaged file would be "rolled back" into the restored one: move it away.
    for suffix in ("-journal", "-wal", "-shm"):
        stray = target.with_name(target.name + suffix)
        if stray.exists():
            os.replace(stray, backup_folder(target) / f"{stray.name}.{uuid.uuid4().hex[:8]}.set-aside")
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.restoring")
    try:
        copy_database(backup, partial)
        _fsync(partial)
        os.replace(partial, target)
    finally:
        _remove_partial(partial)


def _keep_damaged_copy(target: Path, folder: Path, now: dt.datetime) -> Path:
    # A file SQLite cannot read is not live for anyone: a byte copy is the only copy there can be.
    ensure_folder(folder)
    copy = folder / f"{target.stem}.damaged-{now.strftime(STAMP_FORMAT)}-{uuid.uuid4().hex[:6]}{target.suffix}"
    try:
        shutil.copyfile(target, copy)
    except OSError as exc:
        copy.unlink(missing_ok=True)
        raise BackupError(
            _("The current file could not be kept before restoring ({detail}); nothing was restored.").format(
                detail=exc.strerror or exc
            )
        ) from exc
    return copy
