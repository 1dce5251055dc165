"""Team files with 64 KB pages: a file's page size, and the one-time conversion of a file made with 4 KB pages.

On a file server each page SQLite reads is one request, so the page size sets how many requests a read costs
(database.TEAM_PAGE_SIZE says what was measured). New files get 64 KB pages at their first table. An older file
is converted by a VACUUM with the new page size: SQLite rewrites the file in one transaction, so a VACUUM that is
interrupted (the window closes, the computer stops) rolls back and leaves the file as it was, with its old pages.

The VACUUM holds the file's exclusive lock from start to end (on the large demo through an office LAN, about a
minute): nobody can read it meanwhile. So it runs only when nobody else has the file open (the callers judge
that by heartbeats), under the backup lock with the action "convert": a colleague who opens the file meanwhile is
told who is converting it and since when (`converting`), not that someone is saving or that the file is damaged.

The fast path (`convert_fast`), for a file on a file server: there the VACUUM reads and journals every old page
through the share (the 176 MB large demo: about 220,000 requests, 5 minutes on an office LAN, 40 over a VPN).
Instead:
1. (the caller) nobody else has the file open, the backup lock is held with the action "convert", and no
   connection of this process is in use; the window's engine is disposed;
2. the file's change counter (header bytes 24-28) and size are noted, with its presence entries (a backup leaves
   them out), then a normal verified backup is made (backups.make_backup: the bytes in 1 MiB reads, checked
   locally);
3. in a local temporary folder, never on the share, a copy of that backup gets the presence entries back, then
   `PRAGMA page_size=65536; VACUUM` and must pass `PRAGMA integrity_check`;
4. a child process (storage/page_write.py) takes the team file's EXCLUSIVE lock (busy: refused, nothing changed),
   re-reads the change counter and size under it (different from those noted: someone wrote meanwhile, refused,
   nothing changed), writes the converted bytes over the file in place in 1 MiB writes, truncates and syncs,
   reads the file back under the lock and compares its hash, ends its transaction, closes the connection and
   only then its write descriptor (POSIX drops every lock of a process when any of its descriptors of the file
   closes); then the window's database reconnects when next needed.
Crash safety: a crash or power loss during the write leaves a mixed file, which kamdesk refuses as damaged at
open, offering its latest good backup (issue 23): the header's page size stays an impossible 0 until every byte is
written and synced (page_write.py), so SQLite refuses such a file even where kamdesk skips its quick check at open
(on a file server). That backup is exactly the file before the conversion: nothing
was written between it and the write (the counter check under the EXCLUSIVE lock), and the backup lock held
throughout means no rotation removes it meanwhile (and rotation always keeps the newest good backup). Closing the
window before the write abandons the conversion with nothing changed; once the write has started it finishes
(seconds; the child finishes it even if the window's process has gone). Files of 1 GB or more, files in WAL mode
and database servers use the VACUUM.

Compatibility: the page size changes no table and no schema version; every kamdesk that reads schema 6 opens a
converted file (SQLite reads the page size from the file's header).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kamdesk.i18n import _
from kamdesk.storage import backups, page_write
from kamdesk.storage import personal_data as person_store
from kamdesk.storage.database import TEAM_PAGE_SIZE, Database
from kamdesk.storage.errors import FileClosingError, FileConvertingError, StorageError
from kamdesk.storage.stop_watch import interrupted_when

__all__ = [
    "TEAM_PAGE_SIZE",
    "Conversion",
    "ConversionRefusedError",
    "convert",
    "convert_fast",
    "converting",
    "fast_possible",
    "page_size",
]

#: The fast path writes below SQLite's lock bytes at the 1 GB offset (Windows): only for smaller files.
FAST_MAX_BYTES = 1 << 30
#: How long the fast path waits for the window's own reads under way (the dashboard's, say) to end (seconds).
IDLE_WAIT_S = 30.0
#: How long the writer waits for a colleague's read or save to end before it refuses (seconds).
WRITE_LOCK_TIMEOUT_S = 5.0

#: The action the backup lock names while a conversion runs.
LOCK_ACTION = "convert"


@dataclass(frozen=True)
class Conversion:
    """One conversion: the page size before and after, the file's size before and after, and how long it took."""

    before: int
    after: int
    size_before: int
    size_after: int
    seconds: float
    #: The verified backup made just before (the fast path): the file as it was, should the write be cut short.
    backup: Path | None = None
    #: How long the fast path held the file exclusively (the write and its read-back), seconds.
    held_seconds: float | None = None


class LeftWritingError(FileClosingError):
    """The window closed while the converted file was being written: the writer finishes it by itself."""


class ConversionRefusedError(StorageError):
    """The fast conversion did not write: the file was busy, changed since its backup, or could not be converted
    locally. The team file is unchanged; the backup made first stays."""


def page_size(db: Database) -> int:
    """The page size of the open file (bytes); TEAM_PAGE_SIZE on a database server, where pages are not ours."""
    if not db.is_sqlite:
        return TEAM_PAGE_SIZE
    with db.read() as session:
        conn = session.connection()
        # PRAGMA page_size alone answers from what this pooled connection last knew (another connection's VACUUM
        # may have changed it since): a read first takes the lock and reads the file's header again.
        conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        return int(conn.exec_driver_sql("PRAGMA page_size").scalar() or 0)


def converting(path: Path) -> FileConvertingError | None:
    """The busy error naming who converts the file at `path` now, or None when nobody is converting it."""
    held = backups.lock_error(backups.backup_folder(path))
    if held is None or held.action != LOCK_ACTION:
        return None
    return FileConvertingError(held.holder, held.since)


def convert(db: Database) -> Conversion:
    """VACUUM the open file into TEAM_PAGE_SIZE pages. The caller holds the backup lock (action "convert") and
    has found nobody else with the file open. Meanwhile a busy error in this process says the conversion holds
    the file. Raises StorageError (the file unchanged) when it cannot be done, FileClosingError when the window
    closed meanwhile (the VACUUM was interrupted and rolled back)."""
    before = page_size(db)
    size_before = _size(db.path)
    started = time.monotonic()
    db.held_for = FileConvertingError
    try:
        person_store.compact(db)
    finally:
        db.held_for = None
    return Conversion(before, page_size(db), size_before, _size(db.path), time.monotonic() - started)


def _size(path: Path | None) -> int:
    try:
        return path.stat().st_size if path is not None else 0
    except OSError:
        return 0


def fast_possible(db: Database) -> bool:
    """Whether `convert_fast` can convert this file: a SQLite file in rollback-journal mode under 1 GB."""
    path = db.path
    if not db.is_sqlite or path is None:
        return False
    # The change counter is read through the descriptor the database keeps (held again if it was let go), never
    # by opening and closing the file here; it is None for a file in WAL mode.
    return db.change_counter() is not None and 0 < _size(path) < FAST_MAX_BYTES


def convert_fast(db: Database, *, after_backup: Callable[[], None] | None = None) -> Conversion:
    """Convert the open file to TEAM_PAGE_SIZE pages by the fast path (module docstring). The caller holds the
    backup lock (action "convert") and has found nobody else with the file open; `fast_possible(db)` holds.

    Raises ConversionRefusedError (the file unchanged) when it was busy or changed since the backup, FileClosingError
    when the window closed before the write (nothing changed), BackupError when the backup could not be made.
    `after_backup` is called between the backup and the write (tests: a colleague commits there)."""
    path = db.path
    assert path is not None
    before, size_before = page_size(db), _size(path)
    started = time.monotonic()
    db.held_for = FileConvertingError
    try:
        counter, size, presence = _as_it_is(db, path)
        backup = backups.make_backup(path, stopped=lambda: db.closing)
        if after_backup is not None:
            after_backup()
        folder, kept = Path(tempfile.mkdtemp(prefix="kamdesk-convert-")), False
        try:
            local = folder / "converted.kamdb"
            shutil.copyfile(backup.path, local)
            _vacuum_locally(local, presence, lambda: db.closing)
            expected = page_write.digest(local)
            _wait_until_idle(db)
            db.dispose()  # its connections reconnect when next needed
            writing = time.monotonic()
            _write_in_child(path, local, counter, size, expected, lambda: db.closing)
            held = time.monotonic() - writing
        except LeftWritingError:
            kept = True  # the child still writing reads the converted file (and removes it when done)
            raise
        finally:
            if not kept:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        db.held_for = None
        if not db.closing:
            db.change_counter()  # holds the header descriptor again (dispose let it go)
    seconds = time.monotonic() - started
    return Conversion(before, page_size(db), size_before, _size(path), seconds, backup.path, held)


def _wait_until_idle(db: Database) -> None:
    """Wait (up to IDLE_WAIT_S) for the window's reads under way to end: the writer needs the file to itself."""
    deadline = time.monotonic() + IDLE_WAIT_S
    while True:
        if db.closing:
            raise FileClosingError(_("The team file is being closed."))
        if not db.in_use():
            return
        if time.monotonic() > deadline:
            raise ConversionRefusedError(_("The file is being read in this window; it was not converted."))
        time.sleep(0.05)  # not Event.wait(timeout): that never returns under libfaketime


#: Who has the file open (the presence table): (column names, rows).
Presence = tuple[list[str], list[tuple[object, ...]]]


def _as_it_is(db: Database, path: Path) -> tuple[int, int, Presence]:
    """The file's change counter and size now, and its presence entries (a backup leaves them out; the converted
    file keeps them, the window's own included). Read before the backup: the writer refuses unless the counter is
    still this one, so the backup and these entries are the file as it is when it is written over."""
    first = db.change_counter()
    size = _size(path)
    with db.read() as session:
        result = session.connection().exec_driver_sql("SELECT * FROM presence")
        presence = (list(result.keys()), [tuple(row) for row in result])
    if first is None or db.change_counter() != first:
        raise ConversionRefusedError(_("Someone saved to the file meanwhile; it was not converted."))
    return first, size, presence


def _vacuum_locally(local: Path, presence: Presence, stopped: Callable[[], bool]) -> None:
    columns, rows = presence
    conn = sqlite3.connect(local, isolation_level=None, check_same_thread=False)
    try:
        with interrupted_when(conn, stopped):  # the window closing abandons it
            if rows:
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" for _c in columns)
                conn.executemany(f"INSERT INTO presence ({names}) VALUES ({marks})", rows)  # noqa: S608 - our column names
            conn.execute(f"PRAGMA page_size = {TEAM_PAGE_SIZE}")
            conn.execute("PRAGMA journal_mode = OFF")  # a throwaway copy: no journal of it (not kept in its header)
            conn.execute("VACUUM")
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            size = conn.execute("PRAGMA page_size").fetchone()[0]
    except sqlite3.Error as exc:
        if stopped():
            raise FileClosingError(_("The team file is being closed.")) from exc
        raise ConversionRefusedError(
            _("The file could not be converted in a local copy ({detail}); it was not changed.").format(detail=exc)
        ) from exc
    finally:
        conn.close()
    if result != "ok" or size != TEAM_PAGE_SIZE:
        raise ConversionRefusedError(
            _("The converted copy did not pass its check ({detail}); the file was not changed.").format(detail=result)
        )


#: Writers the window stopped waiting for as it closed (they finish by themselves; kept so none is reaped early).
_left_writing: list[subprocess.Popen[str]] = []


def _write_in_child(
    team: Path, local: Path, counter: int, size: int, expected: str, stopped: Callable[[], bool]
) -> None:
    """Run storage/page_write.py's child and wait for it to end. It is never stopped (a write must not stop
    half-way): when the window closes meanwhile (`stopped()`), this stops waiting and the child finishes alone."""
    from kamdesk.storage.snapshot import _self_command

    command = [*_self_command(), page_write.CHILD_FLAG, str(team), str(local), str(counter), str(size), expected]
    command.append(str(WRITE_LOCK_TIMEOUT_S))
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, creationflags=flags)
    while child.poll() is None:
        if stopped():
            _left_writing.append(child)
            raise LeftWritingError(_("The team file is being closed."))
        time.sleep(0.05)  # not Event.wait(timeout): that never returns under libfaketime
    _out, err = child.communicate()
    detail = (err.strip().splitlines() or [f"exit code {child.returncode}"])[-1]
    if child.returncode == 0:
        return
    if child.returncode == page_write.BUSY_EXIT:
        raise ConversionRefusedError(_("The file was busy (someone was reading or saving); it was not converted."))
    if child.returncode == page_write.CHANGED_EXIT:
        raise ConversionRefusedError(_("Someone saved to the file meanwhile; it was not converted."))
    if child.returncode == page_write.FAILED_EXIT:
        raise ConversionRefusedError(
            _("The file could not be converted ({detail}); it was not changed.").format(detail=detail)
        )
    raise StorageError(
        _("Writing the converted file failed ({detail}): restore the backup made just before it.").format(detail=detail)
    )
