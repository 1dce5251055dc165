"""Team files with 64 KB pages: a file's page size, and the one-time conversion of a file made with 4 KB pages.

On a file server each page SQLite reads is one request, so the page size sets how many requests a read costs
(database.TEAM_PAGE_SIZE says what was measured). New files get 64 KB pages at their first table. An older file
is converted by a VACUUM with the new page size: SQLite rewrites the file in one transaction, so a VACUUM that is
interrupted (the window closes, the computer stops) rolls back and leaves the file as it was, with its old pages.

The VACUUM holds the file's exclusive lock from start to end (on the large demo through an office LAN, about a
minute): nobody can read it meanwhile. So it runs only when nobody else has the file open (the callers judge
that by heartbeats), under the backup lock with the action "convert": a colleague who opens the file meanwhile is
told who is converting it and since when (`converting`), not that someone is saving or that the file is damaged.

Compatibility: the page size changes no table and no schema version; every kamdesk that reads schema 6 opens a
converted file (SQLite reads the page size from the file's header).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from kamdesk.storage import backups
from kamdesk.storage import personal_data as person_store
from kamdesk.storage.database import TEAM_PAGE_SIZE, Database
from kamdesk.storage.errors import FileConvertingError

__all__ = ["TEAM_PAGE_SIZE", "Conversion", "convert", "converting", "page_size"]

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
