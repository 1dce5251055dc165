"""Reading a SQLite file's header without disturbing SQLite's locks, in one request.

On POSIX, closing *any* descriptor of a file drops every lock this process holds on it, SQLite's
included: a plain `open()`/`close()` of the team file while a read or save is under way in this process
would let a colleague write under it. So a process that has the team file open through SQLite keeps
one read-only descriptor of it for as long as it does (`hold`/`release`, counted), and every header
read of that file goes through that descriptor with `pread`, never opening and closing it again.

The header's change counter (offset 24) moves at every commit in rollback-journal mode, which is how
kamdesk keeps team files: reading those 4 bytes is one read request on a file server, where asking
SQLite (`PRAGMA data_version`) costs its whole lock sequence. A file in WAL mode (byte 18 is 2) does not
move the counter; callers ask SQLite then.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

#: The first bytes of every SQLite file, and how much of the header callers read.
HEADER_BYTES = 100
CHANGE_COUNTER_AT = 24

_lock = threading.Lock()
#: (device, inode) → [descriptor, holders]
_held: dict[tuple[int, int], list[int]] = {}


def _key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def hold(path: Path) -> int | None:
    """Keep a read-only descriptor of `path` open (shared by every holder of the same file); its number.

    None when the file cannot be opened (it does not exist yet, or cannot be read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    st = os.fstat(fd)
    key = (st.st_dev, st.st_ino)
    with _lock:
        entry = _held.get(key)
        if entry is None:
            _held[key] = [fd, 1]
            return fd
        # Already held: closing this second descriptor now would drop the process's locks (POSIX), so
        # it stays open beside the first until the last holder lets go.
        entry[1] += 1
        entry.append(fd)
        return int(entry[0])


def release(fd: int | None) -> None:
    """One holder lets go; the descriptors close with the last (only once SQLite has closed the file)."""
    if fd is None:
        return
    with _lock:
        for key, entry in list(_held.items()):
            if entry[0] == fd:
                entry[1] -= 1
                if entry[1] > 0:
                    return
                del _held[key]
                spare = entry[2:]
                break
        else:
            return
    for descriptor in (fd, *spare):
        try:
            os.close(descriptor)
        except OSError:
            pass


def held_descriptor(path: Path) -> int | None:
    """The kept descriptor of `path`, when this process holds it."""
    key = _key(path)
    if key is None:
        return None
    with _lock:
        entry = _held.get(key)
        return int(entry[0]) if entry is not None else None


def read_head(path: Path, size: int = HEADER_BYTES) -> bytes:
    """The first `size` bytes of `path`: through the kept descriptor when this process holds the file
    (never closing one of it), otherwise by an ordinary open and close. Raises OSError."""
    fd = held_descriptor(path)
    if fd is not None:
        return _pread(fd, size)
    with open(path, "rb") as handle:
        return handle.read(size)


def change_counter(fd: int) -> int | None:
    """The file change counter read through a kept descriptor, one read request; None when it cannot
    stand for SQLite's data version (not a SQLite file, a WAL file, unreadable)."""
    try:
        head = _pread(fd, 28)
    except OSError:
        return None
    if len(head) < 28 or not head.startswith(b"SQLite format 3\x00") or head[18] == 2:
        return None
    return int.from_bytes(head[CHANGE_COUNTER_AT:28], "big")


def _pread(fd: int, size: int) -> bytes:
    """`size` bytes from the start of the file; Windows has no pread, so seek and read under the lock."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, 0)
    with _lock:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, size)
