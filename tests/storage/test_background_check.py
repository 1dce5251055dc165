"""A backup's copy is checked by a child process that yields the processor to the window
(storage/background_check.py)."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from storage_helpers import add_accounts

from kamdesk.storage import background_check
from kamdesk.storage import backups as store
from kamdesk.storage import snapshot as snapshots
from kamdesk.storage.database import Database


def _index_out_of_step(path: Path) -> Path:
    """A file SQLite opens and reads, whose index no longer matches its table (rows missing from the index)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (a, b)")
    conn.execute("CREATE INDEX i ON t (a)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(n, -n) for n in range(50)])
    conn.commit()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX i ON t (b)' WHERE name = 'i'")
    conn.commit()
    conn.close()
    return path


def _nice(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16])  # the 19th field of the whole line: nice


def test_an_intact_team_file_is_ok(db: Database, db_path: Path):
    add_accounts(db, "中国移动", "华为 <b>&amp;</b>", "🚀 火箭")
    assert background_check.check(db_path) == "ok"


def test_a_damaged_file_gets_sqlites_own_findings(tmp_path: Path):
    verdict = background_check.check(_index_out_of_step(tmp_path / "damaged.kamdb"))
    assert verdict != "ok" and "missing from index i" in verdict


def test_a_file_that_is_no_database_says_so(tmp_path: Path):
    other = tmp_path / "notes.kamdb"
    other.write_text("客户名单\n" * 2000, encoding="utf-8")
    assert background_check.check(other) == "file is not a database"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads a process's priority from /proc")
def test_the_child_runs_behind_the_window(db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(background_check.PAUSE_ENV, "10")
    child = background_check.start(db_path)
    try:
        expected = min(19, os.nice(0) + background_check.NICENESS)
        deadline = time.monotonic() + 10
        while _nice(child.pid) != expected and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.02)
        assert _nice(child.pid) == expected
    finally:
        assert background_check.wait(child, stopped=lambda: True) == background_check.INTERRUPTED


def test_a_check_asked_to_stop_ends_at_once(db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(background_check.PAUSE_ENV, "30")
    child = background_check.start(db_path)
    asked = time.monotonic() + 0.3
    assert background_check.wait(child, stopped=lambda: time.monotonic() > asked) == background_check.INTERRUPTED
    assert time.monotonic() - asked < 2
    assert child.returncode is not None


def test_the_child_stops_when_its_parent_is_gone(db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(background_check.PAUSE_ENV, "30")
    child = background_check.start(db_path)
    time.sleep(0.3)
    assert child.stdin is not None
    child.stdin.close()  # as when the window's process dies: the pipe closes
    try:
        assert child.wait(timeout=10) == background_check.FAILED_EXIT
        assert child.stdout is not None and child.stdout.read() == ""  # no verdict for nobody
    finally:
        child.kill()
        child.wait()
        for pipe in (child.stdout, child.stderr):
            if pipe is not None:
                pipe.close()


def test_a_child_that_gives_no_verdict_is_an_error_not_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(snapshots, "_self_command", lambda: [sys.executable, "-c", "import sys; sys.exit(3)"])
    with pytest.raises(background_check.CheckNotRunError):
        background_check.check(tmp_path / "any.kamdb")


def test_a_backup_is_checked_by_the_child(db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    add_accounts(db, "中国移动")
    asked: list[Path] = []
    real = background_check.check

    def spy(path: Path, stopped=lambda: False) -> str:  # noqa: ANN001 - the real signature
        asked.append(path)
        return real(path, stopped)

    monkeypatch.setattr(background_check, "check", spy)
    monkeypatch.setattr(store, "integrity", lambda *_a, **_k: pytest.fail("checked in the window's process"))
    made = store.make_backup(db_path, tmp_path / "backups")
    assert len(asked) == 1 and asked[0].name.endswith(".partial") and made.path.exists()


def test_a_damaged_verdict_from_the_child_keeps_no_backup(
    db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    add_accounts(db, "中国移动")
    monkeypatch.setattr(background_check, "check", lambda *_a, **_k: "row 3 missing from index")
    with pytest.raises(store.SourceDamagedError):
        store.make_backup(db_path, tmp_path / "backups")
    assert not any((tmp_path / "backups").glob("*.kamdb"))


def test_without_the_child_the_backup_is_checked_here(
    db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    add_accounts(db, "中国移动")

    def no_child(_path: Path) -> None:
        raise background_check.CheckNotRunError("the check's process did not start: [Errno 12] Cannot allocate memory")

    monkeypatch.setattr(background_check, "start", no_child)
    checked: list[int] = []
    real = store.integrity

    def spy(path: Path, quick: bool = False, stopped=None, mmap_bytes: int = 0) -> str:  # noqa: ANN001
        checked.append(mmap_bytes)
        return real(path, quick, stopped, mmap_bytes)

    monkeypatch.setattr(store, "integrity", spy)
    made = store.make_backup(db_path, tmp_path / "backups")
    assert made.path.exists() and checked == [made.size]  # read through memory mapping: the copy is its own
