"""The page cache of a new team file's connections stays at its size (issue 23): SQLite counts a cache given in
KiB in pages of the page size it knows when the cache is sized, and a new file's pages become 64 KB only at its
first table. Sized before that, each connection that made the file cached 4,096 pages of 64 KB (256 MB), and the
first large import into a new file took some 290 MB more than into one opened afresh."""

from __future__ import annotations

import ctypes
import sqlite3
from pathlib import Path

import pytest

from kamdesk.storage.database import PAGE_CACHE_KIB, TEAM_PAGE_SIZE
from kamdesk.storage.opening import open_database
from kamdesk.storage.transfer import insert_rows


def _sqlite_memory_used() -> ctypes._CFuncPtr:  # type: ignore[name-defined]
    """SQLite's own count of the memory it holds (sqlite3_memory_used), from the library Python's sqlite3 uses."""
    import _sqlite3

    try:
        used = ctypes.CDLL(_sqlite3.__file__).sqlite3_memory_used
    except (OSError, AttributeError):
        pytest.skip("SQLite's memory counter cannot be reached from here")
    used.restype = ctypes.c_int64
    return used


def test_a_large_write_to_a_new_file_keeps_to_the_page_cache(tmp_path: Path):
    used = _sqlite_memory_used()
    path = tmp_path / "新的团队文件.kamdb"
    db = open_database(path, "alice", create=True)
    try:
        before = used()
        with db.write() as session:  # 20,000 accounts with long notes: some 120 MB of pages in one transaction
            for start in range(0, 20_000, 2_000):
                rows = [
                    {
                        "id": n,
                        "name": f"客户{n}",
                        "name_pinyin": f"kehu{n}",
                        "name_initials": "kh",
                        "notes": "拜访记录" * 500,
                    }
                    for n in range(start + 1, start + 2_001)
                ]
                insert_rows(session, "accounts", rows, "alice", "host", log=False)
            grown = used() - before
    finally:
        db.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == TEAM_PAGE_SIZE
        assert conn.execute("SELECT count(*) FROM accounts").fetchone()[0] == 20_000
    # The write connection's cache and a little besides; the whole transaction was some 120 MB of pages.
    assert grown < 3 * PAGE_CACHE_KIB * 1024, f"{grown / 1e6:.0f} MB"
