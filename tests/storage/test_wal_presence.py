"""Issue 23, defect 2 (the WAL part): a file found in WAL mode is converted only when nobody else has it open,
judged by their presence heartbeats, not by SQLite's lock (whose WAL locks other computers do not see)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from kamdesk.domain import clock
from kamdesk.storage.errors import ReadOnlyError
from kamdesk.storage.opening import open_database
from kamdesk.storage.tables import AccountRow


def _wal_team_file(path: Path, *beats: tuple[str, dt.timedelta]) -> None:
    """A team file in WAL mode whose presence table lists others, their last beats `ago` by this clock."""
    db = open_database(path, "alice", create=True)
    with db.write() as session:
        session.add(AccountRow(name="中国移动"))
    db.dispose()
    conn = sqlite3.connect(path)
    with conn:
        for user, ago in beats:
            beat = (clock.utc_now() - ago).isoformat(" ")
            conn.execute(
                "INSERT INTO presence (session_id, user_name, host, pid, opened_at, heartbeat_at, heartbeat_count) "
                "VALUES (?, ?, 'pc-9', 1, ?, ?, 7)",
                (f"s-{user}", user, beat, beat),
            )
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.close()


def test_a_wal_file_a_colleague_has_open_is_not_converted_under_her(db_path: Path):
    # Her clock is 40 minutes behind ours, and SQLite's lock does not reach her computer: only her heartbeat
    # says she is there. Converting would switch the journal under her feet; it opens read-only instead.
    _wal_team_file(db_path, ("carol", dt.timedelta(minutes=40)))
    db = open_database(db_path, "bob")
    try:
        assert db.read_only and "carol on pc-9" in db.read_only_reason and "WAL" in db.read_only_reason
        with db.read() as session:
            assert session.query(AccountRow).count() == 1
        with pytest.raises(ReadOnlyError), db.write() as session:
            session.add(AccountRow(name="华为"))
    finally:
        db.dispose()
    assert db_path.read_bytes()[18] == 2  # still WAL: nothing was switched


def test_a_wal_file_whose_only_entries_are_days_old_is_converted(db_path: Path):
    _wal_team_file(db_path, ("dave", dt.timedelta(days=2)))  # a crash long ago, not a clock error
    db = open_database(db_path, "bob")
    try:
        assert not db.read_only
        with db.write() as session:
            session.add(AccountRow(name="华为"))
    finally:
        db.dispose()
    assert db_path.read_bytes()[18] == 1
