"""A backup copy of a live team file that holds the file's read lock only while its bytes are read.

SQLite's backup API copies page by page. On a file server every 4 KB page is one request, so a copy of
a 130 MB file holds the read lock for half a minute on an office LAN and for minutes over a VPN, and a
colleague's save that waits longer than its busy timeout fails. In rollback-journal mode the file's bytes
are one consistent moment for as long as a read (SHARED) lock is held, so this copy takes that lock, reads
the bytes sequentially in 1 MiB requests (about 1.5 s for 130 MB on a LAN, 8 s over a VPN), and lets go.

The read happens in a child process (`python -m kamdesk --snapshot-copy SRC DST`, or the frozen kamdesk
with the same arguments). POSIX releases every lock a process holds on a file when any descriptor of
that file is closed, so closing our own descriptor in the window's process could silently drop a lock
that one of its SQLite connections holds; the child holds no other locks. Only the standard library is
imported here: the child starts in a fraction of a second.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

CHILD_FLAG = "--snapshot-copy"
CHUNK = 1 << 20
#: Exit codes of the child: the file stayed busy (a writer held it past the timeout); any other failure;
#: the file is in WAL mode, where the file's bytes alone are not the database (the caller copies it page
#: by page instead).
BUSY_EXIT, FAILED_EXIT, WAL_EXIT, DISK_FULL_EXIT = 3, 4, 5, 6
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
#: How long the child waits for a writer to let go before it gives up (seconds).
LOCK_TIMEOUT_S = 20.0
#: Set in the child's environment by `start`: the parent holds the child's stdin open for as long as it lives.
PARENT_PIPE_ENV = "KAMDESK_SNAPSHOT_PARENT_PIPE"


class SnapshotError(sqlite3.OperationalError):
    """The child could not copy the file; the message is SQLite's or the operating system's."""


class SnapshotStoppedError(SnapshotError):
    """The caller asked the copy to stop (the window is closing); nothing was kept."""


class NotRollbackJournalError(SnapshotError):
    """The file is in WAL mode: copy it with SQLite's backup API."""


def snapshot(
    source: Path,
    destination: Path,
    lock_timeout_s: float = LOCK_TIMEOUT_S,
    stopped: Callable[[], bool] = lambda: False,
    progress: Callable[[int], None] | None = None,
    child: subprocess.Popen[str] | None = None,
) -> None:
    """Copy `source` to `destination` (a new file) as one consistent moment, in a child process.

    `stopped()` is asked every 50 ms; when it says yes the child is ended and its copy removed. `progress(n)`
    is told every 50 ms how many bytes the copy holds so far. `child`: the copy's process, when `start()`
    started it earlier (the caller did other work while it read)."""
    if child is None:
        child = start(source, destination, lock_timeout_s)
    while child.poll() is None:
        if stopped():
            child.kill()
            child.communicate()
            destination.unlink(missing_ok=True)
            raise SnapshotStoppedError("stopped")
        if progress is not None:
            _report_size(destination, progress)
        time.sleep(0.05)  # not Event.wait(timeout): that never returns under libfaketime (CI runs a year ahead)
    out, err = child.communicate()
    if child.returncode == 0:
        return
    detail = (err or out).strip().splitlines()
    message = detail[-1] if detail else f"exit code {child.returncode}"
    if child.returncode == BUSY_EXIT:
        raise SnapshotError("database is locked")
    if child.returncode == WAL_EXIT:
        raise NotRollbackJournalError(message)
    if child.returncode == DISK_FULL_EXIT:
        raise SnapshotError(f"database or disk is full ({message})")
    raise SnapshotError(message)


def start(source: Path, destination: Path, lock_timeout_s: float = LOCK_TIMEOUT_S) -> subprocess.Popen[str]:
    """Start the copy's child process; `snapshot(..., child=)` waits for it and says how it went."""
    return start_child([CHILD_FLAG, str(source), str(destination), str(lock_timeout_s)], PARENT_PIPE_ENV)


def start_child(arguments: list[str], parent_pipe_env: str, creationflags: int = 0) -> subprocess.Popen[str]:
    """Start kamdesk itself (`python -m kamdesk`, or the frozen program) with `arguments`, its output read here.

    The child's stdin is a pipe only this process writes to, and `parent_pipe_env` is set in its environment:
    when this process ends, killed included, the pipe closes and a child that watches it (`watch_parent`) stops
    instead of finishing its work as an orphan (a copy finished after the next backup cleaned up would be left
    beside the file)."""
    return subprocess.Popen(
        [*_self_command(), *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) | creationflags,
        env={**os.environ, parent_pipe_env: "1"},
    )


def _report_size(destination: Path, progress: Callable[[int], None]) -> None:
    try:
        progress(destination.stat().st_size)
    except FileNotFoundError:  # the child has not created it yet
        progress(0)


def _self_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "kamdesk"]


def child_main(argv: list[str]) -> int:
    """`--snapshot-copy SRC DST [TIMEOUT]`: lock SRC for reading, copy its bytes to DST, let go."""
    source, destination = Path(argv[0]), Path(argv[1])
    timeout = float(argv[2]) if len(argv) > 2 else LOCK_TIMEOUT_S
    orphaned = threading.Event()
    if os.environ.get(PARENT_PIPE_ENV):
        threading.Thread(target=watch_parent, args=(orphaned,), daemon=True).start()
    try:
        conn = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        print(exc, file=sys.stderr)
        return FAILED_EXIT
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes SHARED: writers cannot commit now
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            print("the file is in WAL mode", file=sys.stderr)
            return WAL_EXIT
        _copy_bytes(source, destination, orphaned)
        conn.execute("COMMIT")
        if orphaned.is_set():
            raise OrphanedError()
    except sqlite3.OperationalError as exc:
        print(exc, file=sys.stderr)
        return BUSY_EXIT if "locked" in str(exc) or "busy" in str(exc) else FAILED_EXIT
    except OrphanedError:
        destination.unlink(missing_ok=True)
        return FAILED_EXIT
    except OSError as exc:
        print(exc, file=sys.stderr)
        return DISK_FULL_EXIT if exc.errno in _DISK_FULL_ERRNOS else FAILED_EXIT
    except sqlite3.Error as exc:
        print(exc, file=sys.stderr)
        return FAILED_EXIT
    finally:
        conn.close()
    return 0


class OrphanedError(Exception):
    """The process that started the copy has ended: nobody will keep the copy."""


def watch_parent(orphaned: threading.Event) -> None:
    """In a child `start_child` started: set `orphaned` once the parent's pipe closes (the parent has ended)."""
    # The raw descriptor, not sys.stdin: a thread blocked in a buffered read makes interpreter shutdown fail.
    try:
        while os.read(0, 1):
            pass
    except OSError:
        pass
    orphaned.set()


def _copy_bytes(source: Path, destination: Path, orphaned: threading.Event) -> None:
    # The source descriptor is closed after the copy: in this process that can only drop our own lock,
    # and the copy is complete by then.
    with open(source, "rb") as src, open(destination, "xb") as dst:
        while chunk := src.read(CHUNK):
            if orphaned.is_set():
                raise OrphanedError()
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
