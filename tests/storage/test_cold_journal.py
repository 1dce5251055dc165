"""A cold journal beside the team file (issue 23): a save killed before its journal was complete leaves
`NAME-journal` empty or with its magic number still zeroed. SQLite ignores it, but it lingered for good; the next backup removes it, under
the file's write lock. A hot journal (a save cut short, to be rolled back) is never touched by that: SQLite
rolls it back."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from storage_helpers import account_names, add_accounts, die_mid_save, raw_pragma

from kamdesk.services.backups import BackupService, backup_file
from kamdesk.services.workspace import PRESENCE_STALE_AFTER
from kamdesk.storage import backups as store
from kamdesk.storage.database import Database
from kamdesk.storage.tables import AccountRow

MORNING = dt.datetime(2027, 9, 1, 8, 30)
FORK = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
#: What a killed save can leave: nothing written yet; zeros; a header whose magic and count are still zeroed
#: (SQLite writes them last, under synchronous=FULL), before the page images it had written.
COLD = {
    "empty": b"",
    "zeros": b"\0" * 512,
    "magic not yet written": b"\0" * 12 + bytes.fromhex("714a48bb0000008e0000020000010000") + bytes(range(1, 229)) * 4,
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _journal(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + "-journal")


@pytest.mark.parametrize("content", COLD.values(), ids=COLD.keys())
def test_the_next_backup_removes_a_cold_journal_and_leaves_the_file_as_it_was(
    db: Database, db_path: Path, content: bytes
):
    add_accounts(db, "中国移动", "华为技术")
    db.dispose()
    _journal(db_path).write_bytes(content)
    before = _sha(db_path)
    made = backup_file(db_path)
    assert not _journal(db_path).exists()
    assert _sha(db_path) == before and account_names(db_path) == ["中国移动", "华为技术"]
    assert store.integrity(made.path) == "ok"


def test_a_window_with_the_file_open_removes_it_at_its_backup_and_goes_on_saving(db: Database, db_path: Path):
    add_accounts(db, "中国移动")
    _journal(db_path).write_bytes(COLD["zeros"])
    made = BackupService(db, PRESENCE_STALE_AFTER).backup_now(now=MORNING)
    assert made is not None and not _journal(db_path).exists()
    add_accounts(db, "华为技术")  # the window's own connection still saves
    assert account_names(db_path) == ["中国移动", "华为技术"] and raw_pragma(db_path, "integrity_check") == "ok"


def test_a_cold_journal_stays_while_someone_holds_the_write_lock(
    db: Database, db_path: Path, raw_lock: Callable[[], sqlite3.Connection], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(store, "COLD_JOURNAL_WAIT_S", 0.2)
    add_accounts(db, "中国移动")
    db.dispose()
    _journal(db_path).write_bytes(COLD["zeros"])
    holder = raw_lock()  # a colleague's save has begun: the journal is no one's to judge now
    assert not store.remove_cold_journal(db_path) and _journal(db_path).read_bytes() == COLD["zeros"]
    holder.execute("ROLLBACK")
    assert store.remove_cold_journal(db_path) and not _journal(db_path).exists()


@pytest.mark.skipif(FORK is None, reason="needs fork to kill a writer mid-save")
def test_a_hot_journal_is_left_for_sqlite_to_roll_back(db: Database, db_path: Path):
    with db.write() as session:
        session.add_all(AccountRow(name=f"客户{i}", notes="原") for i in range(400))
    db.dispose()
    assert FORK is not None
    writer = FORK.Process(target=die_mid_save, args=(str(db_path),))
    writer.start()
    writer.join(timeout=30)
    assert writer.exitcode == -signal.SIGKILL
    journal = _journal(db_path)
    hot, before = journal.read_bytes(), _sha(db_path)
    assert hot[:8] == b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"  # a journal's magic: pages to put back
    assert not store.remove_cold_journal(db_path)
    assert journal.read_bytes() == hot and _sha(db_path) == before  # neither touched
    # Anything but zeros at its start is SQLite's to judge, even without the magic.
    other = db_path.with_name("other.kamdb")
    other.write_bytes(db_path.read_bytes())
    _journal(other).write_bytes(b"\x01" + b"\0" * 511)
    assert not store.remove_cold_journal(other) and _journal(other).exists()

    made = backup_file(db_path)  # rolls the hot journal back first, as before
    assert not journal.exists() and store.integrity(made.path) == "ok"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT DISTINCT notes FROM accounts").fetchall() == [("原",)]
