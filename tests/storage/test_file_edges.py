"""The edges of a team file (issue 23): an empty file, a folder in its place, a backup restored onto itself,
locks and leftovers of interrupted backups, and a crashed writer's journal at backup time."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from storage_helpers import account_names, add_accounts, die_mid_save, file_state, raw_pragma

from kamdesk.domain.backups import Rotation
from kamdesk.services.backups import (
    BackupBusyError,
    BackupError,
    BackupService,
    backup_file,
    restore_file,
)
from kamdesk.services.workspace import PRESENCE_STALE_AFTER, check_file, is_new_file, open_workspace
from kamdesk.storage import backups as store
from kamdesk.storage.database import Database
from kamdesk.storage.errors import DamagedFileError, NotAFileError, StorageError
from kamdesk.storage.opening import open_database
from kamdesk.storage.tables import AccountRow

MORNING = dt.datetime(2027, 9, 1, 8, 30)
FORK = multiprocessing.get_context("fork") if hasattr(os, "fork") else None


def _team_file_with_a_backup(db: Database, db_path: Path) -> Path:
    add_accounts(db, "中国移动", "华为")
    made = BackupService(db, PRESENCE_STALE_AFTER).backup_now(now=MORNING)
    db.dispose()
    return made.path


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# Defect 1: an existing empty file is refused like a damaged one ------------------------------------------
def test_an_emptied_team_file_is_refused_with_its_backup_offered_and_nothing_changes(db: Database, db_path: Path):
    good = _team_file_with_a_backup(db, db_path)
    db_path.write_bytes(b"")
    folder = store.backup_folder(db_path)
    before, backups_before = file_state(db_path), _listing(folder)
    for options in ({}, {"create": True}, {"read_only": True}):
        with pytest.raises(DamagedFileError) as caught:
            open_database(db_path, "alice", **options)  # type: ignore[arg-type]
        assert caught.value.latest_backup == str(good), options
        assert "empty (0 bytes)" in str(caught.value) and str(good) in str(caught.value)
    with pytest.raises(DamagedFileError):
        open_workspace(db_path, "alice")
    assert not is_new_file(db_path)
    report = check_file(db_path)
    assert not report.healthy and any(str(good) in p for p in report.problems)
    # The day's later backups are refused too: the only good backup is never rotated away.
    service = BackupService(_closed_reader(db_path), PRESENCE_STALE_AFTER, rotation=Rotation(1, 1, 1, 1))
    for hour in range(6):
        with pytest.raises(store.SourceDamagedError, match="empty"):
            service.backup_now(now=MORNING + dt.timedelta(hours=hour + 1))
    with pytest.raises(store.SourceDamagedError):
        backup_file(db_path)
    assert file_state(db_path) == before and db_path.stat().st_size == 0
    assert _listing(folder) == backups_before
    # Restoring the offered backup brings the data back and keeps the empty file's (lack of) bytes.
    result = restore_file(good, db_path, PRESENCE_STALE_AFTER)
    assert account_names(db_path) == ["中国移动", "华为"]
    assert result.previous_copy is not None and result.previous_copy.stat().st_size == 0


def _closed_reader(path: Path) -> Database:
    """A Database object naming `path` without opening it (the services only read its path and name)."""
    return Database(f"sqlite:///{path}", "alice", path=path)


def test_an_sqlite_file_without_tables_is_not_taken_for_a_new_team_file(tmp_path: Path):
    path = tmp_path / "team.kamdb"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.close()
    before = file_state(path)
    with pytest.raises(DamagedFileError, match="empty SQLite database"):
        open_database(path, "alice", create=True)
    assert file_state(path) == before


def test_only_a_file_that_does_not_exist_is_created(tmp_path: Path):
    path = tmp_path / "new.kamdb"
    assert is_new_file(path)
    db = open_database(path, "alice", create=True)
    add_accounts(db, "中国移动")
    db.dispose()
    assert account_names(path) == ["中国移动"]


def test_rotation_never_deletes_the_last_backup_that_passes_verification(db: Database, db_path: Path):
    good = _team_file_with_a_backup(db, db_path)  # made MORNING
    folder = good.parent
    for day in range(1, 8):  # a week of "backups" that are no good: emptied, or overwritten with noise
        later = folder / f"team.{(MORNING + dt.timedelta(days=day)).strftime(store.STAMP_FORMAT)}.kamdb"
        later.write_bytes(b"" if day % 2 else os.urandom(8192))
    removed = store.rotate(folder, "team", Rotation(recent=2, daily=2, weekly=1, monthly=1))
    assert removed and good not in removed
    assert good.exists()
    assert store.latest_good_backup(db_path) is not None
    assert store.latest_good_backup(db_path).path == good  # type: ignore[union-attr]


# Defect 3: a backup restored over itself; locks whose owner is gone ------------------------------------
def test_restoring_a_file_over_itself_is_refused_at_once(db: Database, db_path: Path, tmp_path: Path):
    add_accounts(db, "中国移动")
    db.dispose()
    symlink, hardlink = tmp_path / "link.kamdb", tmp_path / "hard.kamdb"
    symlink.symlink_to(db_path)
    os.link(db_path, hardlink)
    before = file_state(db_path)
    for source in (db_path, symlink, hardlink):
        started = time.monotonic()
        with pytest.raises(BackupError, match="team file itself"):
            restore_file(source, db_path, PRESENCE_STALE_AFTER)
        with pytest.raises(BackupError, match="team file itself"):
            store.restore_backup(source, db_path)
        assert time.monotonic() - started < 5
    assert file_state(db_path) == before
    assert not (store.backup_folder(db_path) / store.LOCK_NAME).exists()
    assert not store.backup_folder(db_path).exists()


def test_a_copy_kept_waiting_on_a_lock_gives_up_instead_of_hanging(
    db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    add_accounts(db, "中国移动")
    db.dispose()
    monkeypatch.setattr(store, "COPY_BUSY_TIMEOUT_S", 0.5)
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        store.copy_database(db_path, db_path)  # reads and writes the one file: it can never get its lock
    assert time.monotonic() - started < 60


def _dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    return int(child.stdout)


def _write_lock(folder: Path, **fields: object) -> Path:
    folder.mkdir(exist_ok=True)
    lock = folder / store.LOCK_NAME
    lock.write_text(json.dumps({"by": "dave", "at": "2027-09-01T08:00:00", **fields}), encoding="utf-8")
    return lock


def test_a_lock_whose_process_is_gone_on_this_computer_is_taken_over_at_once(db: Database, db_path: Path):
    add_accounts(db, "中国移动")
    lock = _write_lock(store.backup_folder(db_path), host=socket.gethostname(), pid=_dead_pid())
    made = BackupService(db, PRESENCE_STALE_AFTER).backup_now(now=MORNING)
    assert made.path.exists() and not lock.exists()
    db.dispose()
    _write_lock(store.backup_folder(db_path), host=socket.gethostname(), pid=_dead_pid(), action="restore")
    restore_file(made.path, db_path, PRESENCE_STALE_AFTER)  # no 15-minute wait for a restore either
    assert account_names(db_path) == ["中国移动"]


def test_a_lock_held_from_another_computer_waits_and_says_what_is_going_on(db: Database, db_path: Path):
    add_accounts(db, "中国移动")
    folder = store.backup_folder(db_path)
    lock = _write_lock(folder, host="pc-7-elsewhere", pid=_dead_pid())
    with pytest.raises(BackupBusyError) as caught:
        BackupService(db, PRESENCE_STALE_AFTER).backup_now(own_wait_s=0)
    message = str(caught.value)
    assert "dave on pc-7-elsewhere" in message and "making a backup" in message
    assert "15 minutes" in message
    _write_lock(folder, host="pc-7-elsewhere", pid=1, action="restore")
    with pytest.raises(BackupBusyError, match="restoring a backup"):
        BackupService(db, PRESENCE_STALE_AFTER).backup_now(own_wait_s=0)
    assert lock.exists()  # still theirs until it goes stale
    old = lock.stat().st_mtime - store.LOCK_STALE_AFTER.total_seconds() - 60  # by the file system's clock
    os.utime(lock, (old, old))
    assert BackupService(db, PRESENCE_STALE_AFTER).backup_now() is not None


def test_the_restore_command_refuses_the_file_itself_at_once(db: Database, db_path: Path, tmp_path: Path):
    add_accounts(db, "中国移动")
    db.dispose()
    symlink = tmp_path / "link.kamdb"
    symlink.symlink_to(db_path)
    before = file_state(db_path)
    for source in (db_path, symlink):
        result = _kamdesk("restore", str(source), str(db_path), timeout=60)
        assert result.returncode == 1
        assert "team file itself" in result.stderr and "Traceback" not in result.stderr
    assert file_state(db_path) == before
    assert not store.backup_folder(db_path).exists()


# Defect 5: what interrupted backups leave behind ----------------------------------------------------------
def test_leftovers_of_interrupted_backups_are_removed_by_the_next_backup_and_never_listed(db: Database, db_path: Path):
    good = _team_file_with_a_backup(db, db_path)
    folder = good.parent
    partial = folder / f".{good.name}.0badc0de.partial"
    partial.write_bytes(good.read_bytes())  # a killed copy can be complete and readable
    (folder / f"{partial.name}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 504)
    restoring = db_path.parent / f".{db_path.name}.1234abcd.restoring"
    restoring.write_bytes(good.read_bytes())
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert [b.path for b in store.list_backups(folder, "team")] == [good]
    assert [b.path for b in store.list_backups(folder)] == [good]

    reopened = open_database(db_path, "alice")
    made = BackupService(reopened, PRESENCE_STALE_AFTER).backup_now(now=MORNING + dt.timedelta(hours=4))
    reopened.dispose()
    assert _listing(folder) == sorted([good.name, made.path.name, "notes.txt"])
    restore_file(good, db_path, PRESENCE_STALE_AFTER)
    assert not restoring.exists()


# Defect 9: a folder where the file should be; a refused backup leaves no folder ------------------------
def test_a_folder_named_like_a_team_file_is_a_clear_refusal(tmp_path: Path):
    folder_file = tmp_path / "x.kamdb"
    folder_file.mkdir()
    for options in ({}, {"create": True}):
        with pytest.raises(NotAFileError, match="is a folder"):
            open_database(folder_file, "alice", **options)  # type: ignore[arg-type]
    report = check_file(folder_file)
    assert not report.healthy and any("is a folder" in p for p in report.problems)
    with pytest.raises(StorageError, match="is a folder"):
        backup_file(folder_file)
    assert _listing(tmp_path) == ["x.kamdb"]  # no x.backups left behind
    assert _listing(folder_file) == []


def test_a_refused_backup_leaves_no_empty_backup_folder(tmp_path: Path):
    for name, content in (("missing.kamdb", None), ("empty.kamdb", b""), ("text.kamdb", b"just text\n")):
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(StorageError):
            backup_file(path)
        with pytest.raises(StorageError):
            backup_file(path, tmp_path / "elsewhere")
    assert _listing(tmp_path) == ["empty.kamdb", "text.kamdb"]


def test_the_commands_explain_a_folder_named_like_a_team_file(tmp_path: Path):
    folder_file = tmp_path / "x.kamdb"
    folder_file.mkdir()
    rows = tmp_path / "accounts.csv"
    rows.write_text("name\n中国移动\n", encoding="utf-8")
    for args in (
        ("check", str(folder_file)),
        ("--smoke-test", str(folder_file)),
        ("backup", str(folder_file)),
        ("import", str(folder_file), "accounts", str(rows)),
    ):
        result = _kamdesk(*args)
        assert result.returncode == 1, args
        assert "is a folder" in result.stdout + result.stderr, args
        assert "Traceback" not in result.stderr and "IsADirectoryError" not in result.stderr, args
    assert _listing(tmp_path) == ["accounts.csv", "x.kamdb"] and _listing(folder_file) == []


def test_the_commands_refuse_an_emptied_team_file(db: Database, db_path: Path):
    good = _team_file_with_a_backup(db, db_path)
    db_path.write_bytes(b"")
    rows = db_path.parent / "accounts.csv"
    rows.write_text("name\n中国移动\n", encoding="utf-8")
    before = _listing(db_path.parent), _listing(good.parent)
    for args in (
        ("--smoke-test", str(db_path)),
        ("check", str(db_path)),
        ("backup", str(db_path)),
        ("import", str(db_path), "accounts", str(rows)),
    ):
        result = _kamdesk(*args)
        assert result.returncode == 1, args
        assert str(good) in result.stdout + result.stderr, args
        assert "Traceback" not in result.stderr, args
    assert (_listing(db_path.parent), _listing(good.parent)) == before and db_path.stat().st_size == 0


# After a crash: a hot journal at backup and restore time --------------------------------------------------
@pytest.mark.skipif(FORK is None, reason="needs fork to kill a writer mid-save")
def test_backup_and_restore_roll_back_a_crashed_writers_journal_first(db: Database, db_path: Path):
    with db.write() as session:
        session.add_all(AccountRow(name=f"客户{i}", notes="原") for i in range(400))
    first = BackupService(db, PRESENCE_STALE_AFTER).backup_now(now=MORNING)
    db.dispose()
    for attempt in ("backup", "restore"):
        assert FORK is not None
        writer = FORK.Process(target=die_mid_save, args=(str(db_path),))
        writer.start()
        writer.join(timeout=30)
        assert writer.exitcode == -signal.SIGKILL
        assert db_path.with_name(db_path.name + "-journal").stat().st_size > 0
        if attempt == "backup":
            made = backup_file(db_path)
            assert store.integrity(made.path) == "ok"
        else:
            restore_file(first.path, db_path, PRESENCE_STALE_AFTER)
        assert raw_pragma(db_path, "integrity_check") == "ok"
        assert len(account_names(db_path)) == 400


def _kamdesk(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args], capture_output=True, text=True, timeout=timeout, env=env
    )
