"""The child process that writes a converted file over the team file in place (storage/page_size.py, fast path).

`python -m kamdesk --page-size-write TEAM CONVERTED COUNTER SIZE SHA256 [TIMEOUT]` (or the frozen kamdesk with the
same arguments):

1. opens TEAM with sqlite3 and takes its EXCLUSIVE lock (`BEGIN EXCLUSIVE`); busy: exit BUSY_EXIT, nothing changed;
2. opens a separate read-write descriptor of TEAM and reads, under that lock, the header's change counter and the
   file's size: when they are not COUNTER and SIZE (those of the backup made just before), somebody wrote
   meanwhile: exit CHANGED_EXIT, nothing changed;
3. writes CONVERTED's bytes over TEAM from offset 0 in 1 MiB writes, truncates TEAM to CONVERTED's size and syncs,
   with the header's page size an impossible 0 until all of it is written (a file cut short is refused at open);
4. reads TEAM back through the same descriptor, still under the lock, and compares its SHA-256 to SHA256
   (VERIFY_EXIT when it differs);
5. ends the transaction (ROLLBACK: nothing was changed through SQLite), closes the connection, and only then the
   descriptor: on POSIX, closing any descriptor of a file drops every SQLite lock the process holds on it.

It runs in its own process so that the window's process never opens and closes the team file under SQLite's locks,
and so that the write finishes even when the window goes away meanwhile. On Windows SQLite's locks are byte ranges
at the 1 GB offset; writing below them through another handle is allowed, so the caller uses this only for files
under 1 GB. Only the standard library is imported: the child starts in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import BinaryIO

CHILD_FLAG = "--page-size-write"
CHUNK = 1 << 20
#: Exit codes: the file stayed busy; any other failure before anything was written; the file changed since the
#: backup; the bytes read back differ from the converted file's.
BUSY_EXIT, FAILED_EXIT, CHANGED_EXIT, VERIFY_EXIT = 3, 4, 7, 8
#: A test stands for a crash (power loss, a killed process) after this many 1 MiB writes (-1: after the last).
CRASH_AFTER_ENV = "KAMDESK_TEST_PAGE_WRITE_CRASH_AFTER"
#: A test makes the write pause this many seconds after its first 1 MiB.
PAUSE_ENV = "KAMDESK_TEST_PAGE_WRITE_PAUSE"
_BINARY = getattr(os, "O_BINARY", 0)
#: Where the header keeps the page size, and the impossible value it holds while the file is being written.
PAGE_SIZE_AT, UNFINISHED = 16, b"\x00\x00"


def digest(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB reads."""
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def child_main(argv: list[str]) -> int:
    team, converted = Path(argv[0]), Path(argv[1])
    counter, size, expected = int(argv[2]), int(argv[3]), argv[4]
    timeout = float(argv[5]) if len(argv) > 5 else 5.0
    try:
        with open(converted, "rb") as src:
            return _convert(team, src, counter, size, expected, timeout)
    except OSError as exc:  # the converted file is missing: nothing was touched
        print(exc, file=sys.stderr)
        return FAILED_EXIT
    finally:
        converted.unlink(missing_ok=True)  # it lives in a temporary folder; the caller may have stopped waiting


def _convert(team: Path, src: BinaryIO, counter: int, size: int, expected: str, timeout: float) -> int:
    try:
        conn = sqlite3.connect(str(team), timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        print(exc, file=sys.stderr)
        return FAILED_EXIT
    fd: int | None = None
    written = False
    try:
        try:
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            print(exc, file=sys.stderr)
            return BUSY_EXIT if "locked" in str(exc) or "busy" in str(exc) else FAILED_EXIT
        fd = os.open(team, os.O_RDWR | _BINARY)
        head = _pread(fd, 28, 0)
        now = (int.from_bytes(head[24:28], "big"), os.fstat(fd).st_size)
        if now != (counter, size):
            print(f"the file changed since its backup (counter, size {now} != {(counter, size)})", file=sys.stderr)
            return CHANGED_EXIT
        written = True
        _write_over(fd, src)
        # Read back while still holding the lock: nobody can have written since, so a difference is ours.
        if _digest_fd(fd) != expected:
            print("the team file's bytes differ from the converted file's after the write", file=sys.stderr)
            return VERIFY_EXIT
    except (sqlite3.Error, OSError) as exc:
        print(exc, file=sys.stderr)
        return VERIFY_EXIT if written else FAILED_EXIT
    finally:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # no transaction (BEGIN failed)
        conn.close()
        if fd is not None:
            os.close(fd)  # only now: the connection has closed, so no lock of ours is dropped under SQLite
    return 0


def _write_over(fd: int, src: BinaryIO) -> None:
    """Write `converted` over the file. The header's page size (bytes 16-17) stays an impossible 0 from the first
    write until everything else is written and synced, so a file cut short anywhere in between is refused at open
    as damaged (SQLite: "file is not a database"), wherever it lies: kamdesk does not quick-check files on a file
    server at open, and a mixed file whose first pages were already new could otherwise open and fail later."""
    crash_after = int(os.environ.get(CRASH_AFTER_ENV, "0") or 0)
    _pwrite(fd, UNFINISHED, PAGE_SIZE_AT)
    os.fsync(fd)
    offset, page_size = 0, b""
    while chunk := src.read(CHUNK):
        if offset == 0:
            page_size = chunk[PAGE_SIZE_AT : PAGE_SIZE_AT + 2]
            chunk = chunk[:PAGE_SIZE_AT] + UNFINISHED + chunk[PAGE_SIZE_AT + 2 :]
        _pwrite(fd, chunk, offset)
        offset += len(chunk)
        if crash_after > 0 and offset >= crash_after * CHUNK:
            os._exit(9)  # a test: the process dies mid-write, as at a power loss
        if offset == len(chunk) and os.environ.get(PAUSE_ENV):
            time.sleep(float(os.environ[PAUSE_ENV]))  # a test: a slow share, the window closing meanwhile
    if crash_after < 0:
        os._exit(9)  # a test: every byte written, the header not yet made whole
    os.ftruncate(fd, offset)
    os.fsync(fd)
    _pwrite(fd, page_size, PAGE_SIZE_AT)  # the file is whole: it becomes a database again
    os.fsync(fd)


def _digest_fd(fd: int) -> str:
    sha = hashlib.sha256()
    offset = 0
    while chunk := _pread(fd, CHUNK, offset):
        sha.update(chunk)
        offset += len(chunk)
    return sha.hexdigest()


def _pread(fd: int, size: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def _pwrite(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        if hasattr(os, "pwrite"):
            done = os.pwrite(fd, view, offset)
        else:
            os.lseek(fd, offset, os.SEEK_SET)
            done = os.write(fd, view)
        view, offset = view[done:], offset + done
