"""The idle change poll: one 28-byte read of the file's header a poll, through a descriptor kept open."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kamdesk.storage import file_head
from kamdesk.storage.changes import DataVersionProbe
from kamdesk.storage.database import Database, inspect_file
from kamdesk.storage.tables import AccountRow


class CountingProbe(DataVersionProbe):
    """Counts the questions put to SQLite (each a whole lock sequence on a file server)."""

    asked = 0

    def _ask(self) -> int | None:
        self.asked += 1
        return super()._ask()


def _save(db: Database, name: str) -> None:
    with db.write() as session:
        session.add(AccountRow(name=name))


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    real = file_head._pread

    def counted(fd: int, size: int) -> bytes:
        reads.append(size)
        return real(fd, size)

    monkeypatch.setattr(file_head, "_pread", counted)
    return reads


def test_an_idle_poll_is_one_small_read_and_never_asks_sqlite(
    open_as: Callable[..., Database], monkeypatch: pytest.MonkeyPatch
):
    alice = open_as("alice")
    probe = CountingProbe(alice)
    first = probe.version(force=True)
    reads = _counting_reads(monkeypatch)
    opened: list[object] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    versions = {probe.version() for _ in range(20)}
    probe.close()
    assert versions == {first}
    assert reads == [28] * 20  # one read of the header's first 28 bytes a poll
    assert probe.asked == 0
    assert opened == []  # the file is not opened (nor closed) again at each poll


def test_every_commit_by_someone_else_is_seen_at_the_next_poll(open_as: Callable[..., Database]):
    alice, bob = open_as("alice"), open_as("bob")
    probe = DataVersionProbe(alice)
    seen = [probe.version(force=True)]
    for name in ("华为", "中兴", "美的"):  # within the same second: no file clock can hide one
        assert probe.version() == seen[-1]
        _save(bob, name)
        seen.append(probe.version())
        assert seen[-1] != seen[-2]
    assert len(set(seen)) == 4
    probe.close()


def test_the_probe_sees_its_own_process_commits_too(open_as: Callable[..., Database]):
    alice = open_as("alice")
    probe = DataVersionProbe(alice)
    before = probe.version(force=True)
    _save(alice, "格力")
    assert probe.version() != before
    probe.close()


def test_a_wal_file_is_asked_of_sqlite(tmp_path: Path, open_as: Callable[..., Database], db_path: Path):
    open_as("alice").dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    db = Database(f"sqlite:///{db_path}", "alice", path=db_path)
    probe = CountingProbe(db)
    probe.version(force=True)
    assert probe.asked == 1
    probe.close()
    db.dispose()


COLLEAGUE_SAVE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=0.2, isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("CREATE TABLE scratch (x)")
try:
    conn.execute("COMMIT")
    print("saved")
except sqlite3.OperationalError as exc:
    print("busy" if "locked" in str(exc) else exc)
"""


def test_polls_and_header_reads_keep_this_process_locks(open_as: Callable[..., Database], db_path: Path):
    """POSIX drops every lock a process holds on a file when any descriptor of it closes: polling and
    inspecting the file while a read is open here must not let a colleague's save in under it."""
    alice = open_as("alice")
    probe = DataVersionProbe(alice)
    probe.version(force=True)
    with alice.read() as session:
        session.query(AccountRow).count()  # holds SQLite's shared lock until the read ends
        for _ in range(3):
            probe.version()
            assert inspect_file(db_path).is_sqlite
        # The colleague is another process: within one process SQLite keeps its own lock table.
        colleague = subprocess.run(
            [sys.executable, "-c", COLLEAGUE_SAVE, str(db_path)], capture_output=True, text=True, timeout=60
        )
        assert colleague.stdout.strip() == "busy", colleague.stdout + colleague.stderr
    probe.close()


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="counts descriptors through /proc")
def test_closing_the_database_lets_go_of_the_kept_descriptor(db_path: Path, open_as: Callable[..., Database]):
    open_as("setup").dispose()
    before = len(os.listdir("/proc/self/fd"))
    db = Database(f"sqlite:///{db_path}", "alice", path=db_path)
    assert db.change_counter() is not None
    assert len(os.listdir("/proc/self/fd")) == before + 1
    db.dispose()
    assert len(os.listdir("/proc/self/fd")) == before
    assert file_head.held_descriptor(db_path) is None
