"""SQLite's full integrity check of a team file, run on a snapshot of it on this computer's disk.

`PRAGMA integrity_check` reads the file page by page. On a file server every page is one request: with 4 KB
pages a 176 MB file is some 43,000 requests, over three minutes on an office LAN once colleagues' saves have
emptied the client's cache, and far longer over a VPN. A snapshot (storage/snapshot.py) reads the same bytes
in 1 MiB requests under a short read lock, in a child process, as the backups do; the check then runs on the
local copy at local-disk speed, and the copy is removed. The copy is one consistent moment of the file, so
what the check finds there is what the file held at that moment, damage included.

A small file on this computer's own disk is checked where it is: that takes milliseconds, where starting the
copy's child process takes a tenth of a second. A file is also checked where it is when the temporary folder
lacks room for the copy (with a note saying so), when it is in WAL mode (its bytes alone are not the
database), or when the snapshot fails for a reason other than a writer holding the file (SQLite's own words
about the file then come from the check).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kamdesk.domain.models import PresenceEntry
from kamdesk.i18n import _
from kamdesk.storage import snapshot as snapshots
from kamdesk.storage.locations import LocationKind, location_kind

if TYPE_CHECKING:
    from kamdesk.storage.database import FileInfo

# Only light modules are imported at the top: `start_copy` runs before the command line loads the rest of
# kamdesk (SQLAlchemy and the services, about half a second), so that loading overlaps the copy's reads.

#: A file on local disk up to this size is checked where it is (about 20 ms for 7 MB; a snapshot adds ~100 ms).
IN_PLACE_MAX_BYTES = 64 * 1024 * 1024
#: Room kept free in the temporary folder beyond the copy itself (bytes).
SPARE_BYTES = 64 * 1024 * 1024
#: Told what the check is doing: the phase ("copying", "checking"), bytes done and the file's size.
CheckProgress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IntegrityResult:
    #: "ok", what SQLite found wrong, or "" when the check could not run.
    integrity: str
    #: The presence entries the file holds (read from the same moment as the check), when it is intact.
    sessions: tuple[PresenceEntry, ...] = ()
    #: How the check was made when not the usual way (checked in place, and why).
    notes: tuple[str, ...] = ()
    #: Why the check could not run at all ("" when it ran).
    problem: str = ""


class StartedCopy:
    """A snapshot of the file on its way into a temporary folder of its own; `discard()` ends and removes it."""

    def __init__(self, source: Path, folder: Path, lock_timeout_s: float) -> None:
        self.lock_timeout_s = lock_timeout_s
        self.folder = Path(tempfile.mkdtemp(prefix="kamdesk-check-", dir=folder))
        self.copy = self.folder / "check.kamdb"
        try:
            self.child: subprocess.Popen[str] = snapshots.start(source, self.copy, lock_timeout_s)
        except OSError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def discard(self) -> None:
        """End the copy's process if it still runs, and remove the copy (again and again: nothing happens)."""
        if self.child.returncode is None:
            self.child.kill()
            self.child.communicate()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_copy(path: Path, lock_timeout_s: float | None = None) -> StartedCopy | None:
    """The snapshot a check of `path` will want, started now (None when it will not want one, or cannot).

    Hand it to `check_integrity` (through check_file), which waits for it, or discards it when the file turns
    out not to need it (a WAL file, a file not fit to check)."""
    timeout = snapshots.LOCK_TIMEOUT_S if lock_timeout_s is None else lock_timeout_s
    try:
        size = path.stat().st_size if path.is_file() else 0
    except OSError:
        return None
    folder = Path(tempfile.gettempdir())
    if not size or not _wants_copy(path, size) or _free_bytes(folder) < size + SPARE_BYTES:
        return None
    try:
        return StartedCopy(path, folder, timeout)
    except OSError:
        return None


def check_integrity(
    info: FileInfo,
    progress: CheckProgress | None = None,
    lock_timeout_s: float | None = None,
    started: StartedCopy | None = None,
) -> IntegrityResult:
    """The full integrity check of an existing SQLite file, on a local snapshot where one can be made.

    `lock_timeout_s`: how long the copy waits for a writer to let go (snapshot.LOCK_TIMEOUT_S by default).
    `started`: the copy `start_copy` started for this file, used (or discarded) here."""
    try:
        return _check(info, progress, snapshots.LOCK_TIMEOUT_S if lock_timeout_s is None else lock_timeout_s, started)
    finally:
        if started is not None:
            started.discard()


def _check(
    info: FileInfo, progress: CheckProgress | None, timeout: float, started: StartedCopy | None
) -> IntegrityResult:
    if info.journal_mode == "wal" or not _wants_copy(info.path, info.size):
        return _in_place(info.path)
    folder = Path(tempfile.gettempdir())
    free = _free_bytes(folder)
    if started is None and free < info.size + SPARE_BYTES:
        note = _(
            "The temporary folder {folder} has {free} MB free, too little for a copy of the file ({size} MB): "
            "the file was checked where it is, which takes long on a file server."
        ).format(folder=folder, free=free // 1_000_000, size=_megabytes(info.size))
        return _in_place(info.path, note)
    if started is not None:
        timeout = started.lock_timeout_s
    try:
        copy = started or StartedCopy(info.path, folder, timeout)
        try:
            return _check_copy(info, copy, progress)
        finally:
            copy.discard()
    except snapshots.NotRollbackJournalError:
        return _in_place(info.path)
    except snapshots.SnapshotError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return IntegrityResult("", problem=_busy_message(timeout))
        if "disk is full" in str(exc):
            note = _("The copy filled the temporary folder {folder}: the file was checked where it is.").format(
                folder=folder
            )
            return _in_place(info.path, note)
        return _in_place(info.path)
    except OSError as exc:  # the temporary folder could not be made or used
        note = _("No copy could be made in the temporary folder ({reason}): the file was checked where it is.").format(
            reason=exc.strerror or exc
        )
        return _in_place(info.path, note)


def _wants_copy(path: Path, size: int) -> bool:
    """A small file on this computer's own disk is checked where it is; anything else on a copy."""
    return size > IN_PLACE_MAX_BYTES or location_kind(path) is not LocationKind.LOCAL


def _check_copy(info: FileInfo, copy: StartedCopy, progress: CheckProgress | None) -> IntegrityResult:
    from kamdesk.storage.backups import read_presence

    def copied(done: int) -> None:
        if progress is not None:
            progress("copying", done, info.size)

    snapshots.snapshot(info.path, copy.copy, copy.lock_timeout_s, progress=copied, child=copy.child)
    size = copy.copy.stat().st_size
    if progress is not None:
        progress("copying", size, size)
        progress("checking", size, size)
    # The copy is this check's own, on local disk: SQLite reads it through memory mapping, not a read() per
    # page (the large demo: 1.8 s against 3.4 s with 4 KB pages, 2.2 s against 5.0 s with 64 KB pages).
    result = _integrity(copy.copy, mmap_bytes=size)
    return IntegrityResult(result, tuple(read_presence(copy.copy)) if result == "ok" else ())


def _integrity(path: Path, mmap_bytes: int = 0) -> str:
    """SQLite's full integrity check, read-only: "ok", what is wrong, or the error that stopped it."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
        try:
            if mmap_bytes:
                conn.execute(f"PRAGMA mmap_size = {int(mmap_bytes)}").fetchall()
            return "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)


def _in_place(path: Path, note: str = "") -> IntegrityResult:
    """The check read from the file itself: page by page, slow on a file server."""
    from kamdesk.storage.backups import read_presence

    result = _integrity(path)
    notes = (note,) if note else ()
    if "database is locked" in result:
        return IntegrityResult("", notes=notes, problem=_busy_message(5))
    return IntegrityResult(result, tuple(read_presence(path)) if result == "ok" else (), notes)


def _busy_message(seconds: float) -> str:
    return _(
        "The file could not be checked: someone's save kept it locked for over {seconds} s. Try again in a moment."
    ).format(seconds=f"{seconds:g}")


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f}"
