"""Backups hold the team file's read lock only while its bytes are read (storage/snapshot.py)."""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest
from storage_helpers import account_names, add_accounts

from kamdesk.storage import backups as store
from kamdesk.storage import snapshot as snapshots
from kamdesk.storage.database import Database
from kamdesk.storage.locations import LocationKind


def test_a_backup_is_a_byte_copy_of_one_moment_without_anyone_present(db: Database, db_path: Path, tmp_path: Path):
    add_accounts(db, "中国移动", "华为 <b>&amp;</b>", "🚀 火箭")
    info = store.make_backup(db_path, tmp_path / "backups")
    assert account_names(info.path) == sorted(account_names(db_path))
    assert store.integrity(info.path) == "ok"
    conn = sqlite3.connect(info.path)
    try:
        assert conn.execute("SELECT count(*) FROM presence").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_writer_holding_the_file_keeps_the_copy_waiting_then_it_copies(db: Database, db_path: Path, tmp_path: Path):
    add_accounts(db, "中国移动")
    writer = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("UPDATE accounts SET name = '华为' WHERE name = '中国移动'")
    # A plain sleep, not threading.Timer: a timed wait never returns under libfaketime (CI runs a year ahead).
    released = threading.Thread(target=lambda: (time.sleep(1.0), writer.execute("COMMIT")))
    released.start()
    started = time.monotonic()
    copy = tmp_path / "copy.kamdb"
    snapshots.snapshot(db_path, copy)
    released.join()
    writer.close()
    assert time.monotonic() - started >= 0.9  # it waited for the commit …
    assert account_names(copy) == ["华为"]  # … and copied the committed state, never half of it


def test_a_file_locked_for_good_gives_up_with_a_busy_error(db: Database, db_path: Path, tmp_path: Path):
    add_accounts(db, "中国移动")
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            snapshots.snapshot(db_path, tmp_path / "copy.kamdb", lock_timeout_s=0.3)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert not (tmp_path / "copy.kamdb").exists()


def test_a_wal_file_is_copied_page_by_page_instead(db: Database, db_path: Path, tmp_path: Path):
    add_accounts(db, "中国移动", "华为")
    db.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("UPDATE accounts SET name = '中兴' WHERE name = '华为'")  # lives in the -wal file only
    conn.commit()
    try:
        copy = tmp_path / "copy.kamdb"
        store.snapshot_database(db_path, copy)
        assert account_names(copy) == ["中兴", "中国移动"]
    finally:
        conn.close()


def test_a_backup_onto_a_file_server_is_checked_locally_then_written_once(
    db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    add_accounts(db, *(f"客户{i}" for i in range(50)))
    monkeypatch.setattr(store, "location_kind", lambda _path: LocationKind.NETWORK)
    local = tmp_path / "local-temp"
    local.mkdir()
    monkeypatch.setattr(store.tempfile, "gettempdir", lambda: str(local))
    checked: list[Path] = []
    real_check = store.background_check.check
    monkeypatch.setattr(
        store.background_check, "check", lambda path, **kw: checked.append(Path(path)) or real_check(path, **kw)
    )
    info = store.make_backup(db_path, tmp_path / "backups")
    assert [p.parent for p in checked] == [local]  # the check read the local copy, not the share
    assert account_names(info.path) == sorted(account_names(db_path))
    assert list(local.iterdir()) == []  # the local copy is gone
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [info.path.name]


def test_a_backup_stopped_by_the_window_closing_leaves_nothing_behind(
    db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    add_accounts(db, "中国移动")
    folder = tmp_path / "backups"
    outcome: list[BaseException] = []

    def back_up() -> None:
        try:
            store.make_backup(db_path, folder)
        except BaseException as exc:  # noqa: BLE001 - what ended the backup is what is checked
            outcome.append(exc)

    # A copy that takes long, as one of a large file over a VPN does: the child just waits.
    monkeypatch.setattr(snapshots, "_self_command", lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    worker = threading.Thread(target=back_up)
    worker.start()
    time.sleep(1.0)
    assert worker.is_alive()
    started = time.monotonic()
    store.stop_running_backups()
    worker.join(timeout=10)
    assert not worker.is_alive() and time.monotonic() - started < 2
    assert outcome and isinstance(outcome[0], store.BackupStoppedError), outcome
    assert not folder.exists() or list(folder.iterdir()) == []
    monkeypatch.undo()
    info = store.make_backup(db_path, folder)  # a later backup is not stopped
    assert store.integrity(info.path) == "ok"


def test_closing_the_workspace_stops_its_backup_even_one_that_began_after(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The window's close interrupts the file; a backup of it that reaches its copy afterwards stops too."""
    from kamdesk.services.workspace import open_workspace

    add_accounts(db, "中国移动")
    db.dispose()
    workspace = open_workspace(db_path, "alice")
    monkeypatch.setattr(snapshots, "_self_command", lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    workspace.interrupt()  # closing first: the backup below starts its copy after it
    started = time.monotonic()
    with pytest.raises(store.BackupStoppedError):
        workspace.backups.backup_now()
    workspace.close()
    assert time.monotonic() - started < 2
    assert list((db_path.parent / "team.backups").glob("*.kamdb")) == []


@pytest.mark.parametrize("held_by_writer", [False, True])
def test_a_copy_whose_parent_ended_stops_and_removes_what_it_wrote(
    db: Database, db_path: Path, tmp_path: Path, held_by_writer: bool
):
    """A backup killed while its child copies: the child sees its stdin pipe close (the parent, killed or
    not, was the only writer of it) and removes its copy instead of finishing it as an orphan, which the
    next backup might already have cleaned up after (issue 23's leftovers)."""
    add_accounts(db, *[f"客户{n}" for n in range(300)])
    db.dispose()
    copy = tmp_path / "orphan.partial"
    writer = sqlite3.connect(db_path, isolation_level=None)
    if held_by_writer:  # the child is still waiting for the lock when its parent goes, and gets it after
        writer.execute("BEGIN EXCLUSIVE")
    child = snapshots.start(db_path, copy, lock_timeout_s=5)
    assert child.stdin is not None
    child.stdin.close()  # what the operating system does when the parent process is killed
    try:
        time.sleep(0.5)
        writer.close()  # the lock comes free: a child that did not notice would now copy
        child.wait(timeout=30)
    finally:
        for pipe in (child.stdout, child.stderr):
            if pipe is not None:
                pipe.close()
    assert child.returncode != 0
    assert not copy.exists()
