"""Backups: made with SQLite's backup API, verified, rotated, one client at a time; restore only when safe."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from storage_helpers import account_names, add_accounts, file_state, plant_session, raw_pragma

from kamdesk.domain.backups import BackupInfo, Rotation, backup_due, backups_to_keep
from kamdesk.domain.clock import Clock
from kamdesk.services import backups as service
from kamdesk.services.backups import (
    BackupBusyError,
    BackupError,
    BackupService,
    backup_file,
    restore_file,
)
from kamdesk.services.workspace import PRESENCE_STALE_AFTER, open_workspace
from kamdesk.storage import backups as store
from kamdesk.storage.database import Database
from kamdesk.storage.errors import DamagedFileError
from kamdesk.storage.migrate import head_version
from kamdesk.storage.opening import open_database
from kamdesk.storage.tables import AccountRow

ROOT = Path(__file__).resolve().parents[2]
MORNING = dt.datetime(2027, 9, 1, 8, 30)


def _folder_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# Making one ---------------------------------------------------------------------------------------
def test_a_backup_is_a_verified_copy_beside_the_file(db: Database, db_path: Path):
    add_accounts(db, "中国移动", "华为")
    made = BackupService(db, PRESENCE_STALE_AFTER).backup_now(now=MORNING)
    assert made.path == db_path.parent / "team.backups" / "team.2027-09-01_083000.kamdb"
    assert made.made_at == MORNING and made.size == made.path.stat().st_size > 0
    assert account_names(made.path) == ["中国移动", "华为"]
    assert raw_pragma(made.path, "integrity_check") == "ok"
    assert raw_pragma(made.path, "user_version") == head_version()
    assert raw_pragma(made.path, "journal_mode") == "delete"
    # Nothing half-made, no lock left, and the copy names no one as having it open.
    assert _folder_names(made.path.parent) == [made.path.name]
    conn = sqlite3.connect(made.path)
    assert conn.execute("SELECT count(*) FROM presence").fetchone()[0] == 0
    conn.close()


def test_a_backup_taken_during_someone_elses_save_holds_only_committed_data(db: Database, db_path: Path):
    add_accounts(db, "中国移动")
    # Bob is half-way through a save (the write lock is his, his rows are not committed).
    bob = sqlite3.connect(db_path, isolation_level=None)
    bob.execute("BEGIN IMMEDIATE")
    bob.executemany(
        "INSERT INTO settings (key, value_json, version, created_at, updated_at, updated_by) "
        "VALUES (?, '1', 1, '2027-01-01', '2027-01-01', 'bob')",
        [(f"半途{i}",) for i in range(500)],
    )
    made = backup_file(db_path)
    bob.execute("COMMIT")
    bob.close()
    assert account_names(made.path) == ["中国移动"]
    assert raw_pragma(made.path, "integrity_check") == "ok"
    conn = sqlite3.connect(made.path)
    assert conn.execute("SELECT count(*) FROM settings WHERE updated_by = 'bob'").fetchone()[0] == 0
    conn.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM settings WHERE updated_by = 'bob'").fetchone()[0] == 500
    conn.close()


def test_backup_to_another_folder(db: Database, db_path: Path, tmp_path: Path):
    add_accounts(db, "中国移动")
    made = backup_file(db_path, tmp_path / "elsewhere" / "nested")
    assert made.path.parent == tmp_path / "elsewhere" / "nested"
    assert made.path.name.startswith("team.")
    assert account_names(made.path) == ["中国移动"]


# Bad input -----------------------------------------------------------------------------------------
def test_a_backup_folder_that_cannot_be_created_is_a_clear_message(db: Database, db_path: Path, tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    before = file_state(db_path)
    with pytest.raises(BackupError) as caught:
        backup_file(db_path, blocker / "backups")
    assert "cannot be created" in str(caught.value) and str(blocker / "backups") in str(caught.value)
    assert "No backup was made" in str(caught.value)
    assert blocker.read_text() == "not a folder"
    assert file_state(db_path).sha256 == before.sha256


def test_a_full_disk_leaves_no_partial_backup(db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch):
    add_accounts(db, *(f"客户{i}" for i in range(200)))
    real_copy = store.snapshot_database

    def copy_until_the_disk_fills(source: Path, destination: Path) -> None:
        real_copy(source, destination)  # the partial file really is on disk when the error comes
        assert destination.exists()
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "snapshot_database", copy_until_the_disk_fills)
    with pytest.raises(BackupError) as caught:
        BackupService(db, PRESENCE_STALE_AFTER).backup_now()
    assert "not enough space" in str(caught.value) and "No backup was kept" in str(caught.value)
    assert _folder_names(db_path.parent / "team.backups") == []  # no partial copy, no lock


def test_a_real_file_size_limit_mid_copy_leaves_no_partial_backup(db: Database, db_path: Path, tmp_path: Path):
    """The kernel refuses writes beyond RLIMIT_FSIZE (EFBIG), as a full disk would, in the middle of the copy."""
    add_accounts(db, *(f"客户 {i} " + "备注" * 200 for i in range(600)))
    assert db_path.stat().st_size > 400_000
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))\n"
        "from kamdesk.services.backups import BackupError, backup_file\n"
        "try:\n"
        "    backup_file(sys.argv[1], sys.argv[2])\n"
        "except BackupError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(3)\n"
    )
    folder = tmp_path / "small-disk"
    result = subprocess.run(
        [sys.executable, "-c", script, str(db_path), str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        cwd=ROOT,
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "not enough space" in result.stdout or "failed" in result.stdout
    assert "No backup was kept" in result.stdout
    assert _folder_names(folder) == []


@pytest.fixture
def tiny_disk(tmp_path: Path):  # noqa: ANN201 - yields a folder on a 256 KiB tmpfs
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)], capture_output=True, timeout=10
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (the RLIMIT_FSIZE and patched tests cover this)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], capture_output=True, timeout=10)


def test_a_really_full_disk_is_a_clear_message_and_leaves_nothing(db: Database, db_path: Path, tiny_disk: Path):
    add_accounts(db, *(f"客户 {i} " + "备注" * 200 for i in range(600)))
    assert db_path.stat().st_size > 512 * 1024
    with pytest.raises(BackupError) as caught:
        backup_file(db_path, tiny_disk / "backups")
    assert "not enough space" in str(caught.value) and "No backup was kept" in str(caught.value)
    assert _folder_names(tiny_disk / "backups") == []


def test_a_damaged_source_is_not_kept_as_a_backup(db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch):
    add_accounts(db, "中国移动")
    good = backup_file(db_path)
    monkeypatch.setattr(
        store, "integrity", lambda path, quick=False, **_k: "ok" if quick else "row 3 missing from index"
    )
    monkeypatch.setattr(store.background_check, "check", lambda *_a, **_k: "row 3 missing from index")
    with pytest.raises(store.SourceDamagedError) as caught:
        backup_file(db_path)
    assert "damaged" in str(caught.value) and str(good.path) in str(caught.value)
    assert _folder_names(good.path.parent) == [good.path.name]


# Rotation ------------------------------------------------------------------------------------------
def _fake(made_at: dt.datetime) -> BackupInfo:
    return BackupInfo(Path(made_at.strftime("%Y%m%d%H%M")), made_at, 1)


def test_rotation_keeps_recent_daily_weekly_monthly():
    # Two years of backups every three hours.
    start = dt.datetime(2026, 1, 1, 9)
    backups = [_fake(start + dt.timedelta(hours=3 * i)) for i in range(2 * 365 * 8)]
    newest = max(b.made_at for b in backups)
    keep = backups_to_keep(backups, Rotation(recent=6, daily=7, weekly=5, monthly=12))
    kept = sorted((b for b in backups if b.path in keep), key=lambda b: b.made_at, reverse=True)
    assert kept[0].made_at == newest
    assert len({b.made_at.date() for b in kept}) >= 7
    assert len({b.made_at.isocalendar()[:2] for b in kept}) >= 5
    assert len({(b.made_at.year, b.made_at.month) for b in kept}) == 12
    assert len(kept) <= 6 + 7 + 5 + 12
    assert min(b.made_at for b in kept) > newest - dt.timedelta(days=366)


def test_rotate_deletes_only_this_files_backups(db: Database, db_path: Path):
    add_accounts(db, "中国移动")
    ws_backups = BackupService(db, PRESENCE_STALE_AFTER, rotation=Rotation(recent=2, daily=2, weekly=1, monthly=1))
    for day in range(6):
        ws_backups.backup_now(now=MORNING + dt.timedelta(days=day))
    folder = db_path.parent / "team.backups"
    (folder / "other.2027-01-01_000000.kamdb").write_bytes(b"not ours")
    (folder / "notes.txt").write_text("keep me")
    ws_backups.backup_now(now=MORNING + dt.timedelta(days=6))
    kept = [b.made_at.day for b in ws_backups.backups()]
    assert kept == [7, 6]
    assert "other.2027-01-01_000000.kamdb" in _folder_names(folder) and "notes.txt" in _folder_names(folder)


# When automatic backups are made ------------------------------------------------------------------
def test_backup_due_rules():
    newest = BackupInfo(Path("x"), MORNING, 1)
    assert backup_due(None, MORNING, False)
    assert not backup_due(newest, MORNING + dt.timedelta(hours=5), False)
    assert not backup_due(newest, MORNING + dt.timedelta(hours=2), True)
    assert backup_due(newest, MORNING + dt.timedelta(hours=3), True)
    assert backup_due(newest, MORNING + dt.timedelta(days=1), False)


def test_automatic_backups_first_open_of_a_day_then_every_few_hours_with_changes(db: Database):
    backups = BackupService(db, PRESENCE_STALE_AFTER)
    add_accounts(db, "中国移动")
    assert backups.maybe_backup(now=MORNING) is not None  # first open of the day
    assert backups.maybe_backup(now=MORNING + dt.timedelta(minutes=1)) is None
    assert backups.maybe_backup(now=MORNING + dt.timedelta(hours=4)) is None  # nothing changed
    add_accounts(db, "华为")
    assert backups.maybe_backup(now=MORNING + dt.timedelta(hours=1)) is None  # changed, but too soon
    made = backups.maybe_backup(now=MORNING + dt.timedelta(hours=4))
    assert made is not None and account_names(made.path) == ["中国移动", "华为"]
    assert backups.maybe_backup(now=MORNING + dt.timedelta(days=1)) is not None  # a new day
    assert len(backups.backups()) == 3


def test_read_only_clients_make_no_automatic_backups(db: Database, open_as: Callable[..., Database]):
    add_accounts(db, "中国移动")
    reader = open_as("bob", create=False, read_only=True)
    assert BackupService(reader, PRESENCE_STALE_AFTER).maybe_backup(now=MORNING) is None


# One client at a time ------------------------------------------------------------------------------
def test_one_backup_at_a_time(db: Database, db_path: Path, open_as: Callable[..., Database]):
    add_accounts(db, "中国移动")
    folder = db_path.parent / "team.backups"
    with store.backup_lock(folder, "carol"):
        with pytest.raises(BackupBusyError) as caught:
            BackupService(db, PRESENCE_STALE_AFTER).backup_now()
        assert "carol" in str(caught.value)
        assert BackupService(db, PRESENCE_STALE_AFTER).maybe_backup(now=MORNING) is None
    assert BackupService(db, PRESENCE_STALE_AFTER).maybe_backup(now=MORNING) is not None


def test_clients_opening_at_once_make_one_backup(db: Database, open_as: Callable[..., Database]):
    add_accounts(db, *(f"客户{i}" for i in range(300)))
    clients = [BackupService(open_as(f"user{i}"), PRESENCE_STALE_AFTER) for i in range(6)]
    barrier = threading.Barrier(len(clients))
    made: list[BackupInfo | None] = []

    def first_open(client: BackupService) -> None:
        barrier.wait()
        made.append(client.maybe_backup(now=MORNING))

    threads = [threading.Thread(target=first_open, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(m is not None for m in made) == 1
    assert len(clients[0].backups()) == 1


def test_a_lock_left_by_a_crashed_client_is_taken_over_when_stale(db: Database, db_path: Path):
    folder = db_path.parent / "team.backups"
    folder.mkdir()
    lock = folder / store.LOCK_NAME
    lock.write_text('{"by": "dave", "host": "pc-7"}')
    with pytest.raises(BackupBusyError, match="dave on pc-7"):
        BackupService(db, PRESENCE_STALE_AFTER).backup_now()
    old = lock.stat().st_mtime - store.LOCK_STALE_AFTER.total_seconds() - 60  # by the file system's clock
    os.utime(lock, (old, old))
    assert BackupService(db, PRESENCE_STALE_AFTER).backup_now() is not None
    assert not lock.exists()


@pytest.mark.parametrize("pc_clock_off_by", [dt.timedelta(days=365), dt.timedelta(hours=-1)])
def test_a_locks_age_is_judged_by_the_file_systems_clock_not_this_pcs(
    db: Database, db_path: Path, fixed_clock: Clock, pc_clock_off_by: dt.timedelta
):
    """A PC whose clock is off (a year ahead, an hour behind) neither breaks a fresh lock nor keeps a stale one."""
    folder = db_path.parent / "team.backups"
    folder.mkdir()
    lock = folder / store.LOCK_NAME
    lock.write_text('{"by": "dave", "host": "pc-7"}')
    fixed_clock.fix(dt.datetime.now() + pc_clock_off_by)
    with pytest.raises(BackupBusyError, match="dave on pc-7"):
        BackupService(db, PRESENCE_STALE_AFTER).backup_now(own_wait_s=0)
    assert lock.exists()
    old = lock.stat().st_mtime - store.LOCK_STALE_AFTER.total_seconds() - 60
    os.utime(lock, (old, old))
    assert BackupService(db, PRESENCE_STALE_AFTER).backup_now() is not None
    assert not lock.exists()


def test_a_person_can_break_a_crashed_clients_lock_after_seeing_whose_it_is_and_it_is_logged(db_path: Path):
    ws = open_workspace(db_path, "alice", create=True)
    try:
        add_accounts(ws.db, "中国移动")
        folder = ws.backups.folder
        folder.mkdir()
        (folder / store.LOCK_NAME).write_text(
            '{"by": "王芳", "host": "PC-SH-7", "pid": 4242, "at": "2026-11-23T09:15:00"}', encoding="utf-8"
        )
        with pytest.raises(BackupBusyError, match="王芳 on PC-SH-7"):
            ws.backups.backup_now()
        holder = ws.backups.lock_holder()
        assert holder is not None and (holder.name, holder.host, holder.pid) == ("王芳", "PC-SH-7", 4242)
        assert holder.since == dt.datetime(2026, 11, 23, 9, 15)
        assert ws.backups.break_lock() == holder
        assert ws.backups.lock_holder() is None
        assert ws.backups.backup_now() is not None
        logged = [e for e in ws.audit.entries() if e.table_name == "backup_lock"]
        assert len(logged) == 1 and logged[0].by == "alice" and logged[0].action == "break"
        assert logged[0].changes["holder"] == "王芳" and logged[0].changes["holder_host"] == "PC-SH-7"
    finally:
        ws.close()


def test_an_unreadable_lock_is_still_a_lock_and_can_be_broken(db: Database, db_path: Path):
    service = BackupService(db, PRESENCE_STALE_AFTER)
    service.folder.mkdir()
    (service.folder / store.LOCK_NAME).write_bytes(b'{"by": "da')  # the crash cut its own write short
    holder = service.lock_holder()
    assert holder is not None and holder.name == "?"
    with pytest.raises(BackupBusyError):
        service.backup_now()
    service.break_lock()
    assert service.backup_now() is not None


def test_a_crashed_session_that_blocks_a_restore_can_be_cleared_and_it_is_logged(db_path: Path):
    alice = open_workspace(db_path, "alice", create=True)
    try:
        add_accounts(alice.db, "中国移动")
        made = alice.backups.backup_now()
        add_accounts(alice.db, "华为")
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        plant_session(alice.db, "crashed", "erin", now)  # erin's kamdesk died a minute ago: her entry still looks live
        with pytest.raises(service.OthersHaveItOpenError) as caught:
            alice.restore_backup(made.path)
        assert [e.user_name for e in caught.value.entries] == ["erin"]
        assert alice.backups.clear_sessions(caught.value.entries) == 1
        result = alice.restore_backup(made.path)
        assert account_names(db_path) == ["中国移动"]
        # The clearing was logged before the restore: the copy of the file as it was records it.
        assert result.previous_copy is not None
        conn = sqlite3.connect(result.previous_copy.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT by, action FROM change_log WHERE table_name = 'presence'").fetchall()
        finally:
            conn.close()
        assert rows == [("alice", "clear")]
    finally:
        alice.close()


def test_clearing_a_session_writes_the_audit_trail(db_path: Path):
    alice = open_workspace(db_path, "alice", create=True)
    try:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        plant_session(alice.db, "crashed", "erin", now)
        entries = service.live_sessions(db_path, PRESENCE_STALE_AFTER, exclude=alice.db.session_id)
        assert alice.backups.clear_sessions(entries) == 1
        assert service.live_sessions(db_path, PRESENCE_STALE_AFTER, exclude=alice.db.session_id) == []
        logged = [e for e in alice.audit.entries() if e.table_name == "presence"]
        assert len(logged) == 1 and logged[0].action == "clear" and logged[0].by == "alice"
        assert logged[0].changes["user_name"] == "erin" and logged[0].changes["host"] == "pc-2"
    finally:
        alice.close()


# Restore -------------------------------------------------------------------------------------------
def test_restore_puts_the_backup_back_after_keeping_the_current_file(db: Database, db_path: Path):
    add_accounts(db, "中国移动")
    made = backup_file(db_path)
    add_accounts(db, "华为")
    db.dispose()
    result = restore_file(made.path, db_path, PRESENCE_STALE_AFTER)
    assert account_names(db_path) == ["中国移动"]
    assert result.previous_copy is not None and account_names(result.previous_copy) == ["中国移动", "华为"]
    assert raw_pragma(db_path, "integrity_check") == "ok"
    reopened = open_database(db_path, "alice")
    with reopened.read() as session:
        assert list(session.scalars(select(AccountRow.name))) == ["中国移动"]
    reopened.dispose()


def _beating(heartbeat: Callable[[], None], stop: threading.Event) -> None:
    """Beat every 0.2 s until stopped, as an open window does (every minute there).

    A sleep, not `stop.wait(0.2)`: a timed wait on a threading primitive never returns under libfaketime,
    which CI uses to run the suite a year ahead."""
    while not stop.is_set():
        heartbeat()
        time.sleep(0.2)


def test_restore_is_refused_while_someone_else_has_the_file_open(db_path: Path):
    alice = open_workspace(db_path, "alice", create=True)
    add_accounts(alice.db, "中国移动")
    made = alice.backups.backup_now()
    add_accounts(alice.db, "华为")
    bob = open_workspace(db_path, "bob")
    try:
        before = file_state(db_path)
        with pytest.raises(BackupError) as caught:
            alice.restore_backup(made.path)
        assert "bob" in str(caught.value) and "Nothing was changed" in str(caught.value)
        assert file_state(db_path).sha256 == before.sha256
        # From the command line, judged by watching their counters: bob's window beats (every minute in the app).
        stop = threading.Event()
        beater = threading.Thread(target=_beating, args=(bob.presence.heartbeat, stop))
        beater.start()
        try:
            with pytest.raises(BackupError):
                restore_file(made.path, db_path, dt.timedelta(seconds=5))
        finally:
            stop.set()
            beater.join()
        assert account_names(db_path) == ["中国移动", "华为"]  # the bytes moved only by bob's heartbeats
        assert _folder_names(db_path.parent / "team.backups") == [made.path.name]
    finally:
        bob.close()
    # Bob has gone: alice (the only one left) may restore from the window; she stays present.
    result = alice.restore_backup(made.path)
    assert account_names(db_path) == ["中国移动"] and result.previous_copy is not None
    assert alice.summary().accounts == 1
    assert [e.user_name for e in service.live_sessions(db_path, PRESENCE_STALE_AFTER)] == ["alice"]
    alice.close()


def test_a_stale_presence_entry_does_not_block_a_restore(db: Database, db_path: Path):
    add_accounts(db, "中国移动")
    made = backup_file(db_path)
    long_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - PRESENCE_STALE_AFTER - dt.timedelta(minutes=1)
    plant_session(db, "crashed", "erin", long_ago)
    db.dispose()
    restore_file(made.path, db_path, dt.timedelta(seconds=1))  # its counter stands still while watched
    assert account_names(db_path) == ["中国移动"]


@pytest.mark.parametrize("problem", ["foreign", "newer", "damaged"])
def test_a_bad_backup_is_refused_and_nothing_changes(db: Database, db_path: Path, tmp_path: Path, problem: str):
    add_accounts(db, "中国移动")
    db.dispose()
    bad = tmp_path / "bad.kamdb"
    if problem == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE songs (title TEXT)")
        conn.commit()
        conn.close()
    else:
        backup_file(db_path, tmp_path / "b")
        bad = next((tmp_path / "b").iterdir())
        if problem == "newer":
            conn = sqlite3.connect(bad)
            conn.execute(f"PRAGMA user_version = {head_version() + 1}")
            conn.close()
        else:
            data = bytearray(bad.read_bytes())
            page = int.from_bytes(data[16:18], "big") or 1
            page = 65_536 if page == 1 else page  # a team file's pages are 64 KB (1 in the header)
            data[page : page * 3] = b"\xff" * page * 2  # the headers of pages 2 and 3
            bad.write_bytes(bytes(data))
    before = file_state(db_path)
    with pytest.raises(BackupError) as caught:
        restore_file(bad, db_path, PRESENCE_STALE_AFTER)
    assert "cannot be restored" in str(caught.value)
    assert file_state(db_path) == before


def test_restore_over_a_damaged_file_keeps_the_damaged_bytes(db: Database, db_path: Path):
    add_accounts(db, "中国移动")
    made = backup_file(db_path)
    db.dispose()
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\x00\xff" * 1998
    db_path.write_bytes(bytes(data))
    damaged = db_path.read_bytes()
    with pytest.raises(DamagedFileError) as caught:
        open_database(db_path, "alice")
    assert str(made.path) in str(caught.value)
    result = restore_file(made.path, db_path, PRESENCE_STALE_AFTER)
    assert result.previous_copy is not None and result.previous_copy.read_bytes() == damaged
    assert account_names(db_path) == ["中国移动"]


# The commands --------------------------------------------------------------------------------------
def _kamdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )


def test_backup_and_restore_commands(db: Database, db_path: Path, tmp_path: Path):
    add_accounts(db, "中国移动")
    db.dispose()
    made = _kamdesk("backup", str(db_path), "--to", str(tmp_path / "kept"))
    assert made.returncode == 0, made.stderr
    assert "verified" in made.stdout
    backup = next((tmp_path / "kept").glob("team.*.kamdb"))
    changed = open_database(db_path, "alice")
    add_accounts(changed, "华为")
    changed.dispose()
    restored = _kamdesk("restore", str(backup), str(db_path))
    assert restored.returncode == 0, restored.stderr
    assert "integrity ok" in restored.stdout
    assert account_names(db_path) == ["中国移动"]
    missing = _kamdesk("restore", str(tmp_path / "nope.kamdb"), str(db_path))
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    refused = _kamdesk("backup", str(db_path), "--to", str(backup / "x"))
    assert refused.returncode == 1 and "cannot be created" in refused.stderr


def test_check_lists_open_sessions_and_marks_stale_ones(db_path: Path):
    ann = open_workspace(db_path, "王芳", create=True)
    try:
        long_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - PRESENCE_STALE_AFTER - dt.timedelta(minutes=2)
        plant_session(ann.db, "crashed", "erin", long_ago)
        result = _kamdesk("check", str(db_path))
    finally:
        ann.close()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Open sessions: 2" in lines
    mine = next(i for i, line in enumerate(lines) if "王芳 on" in line)
    assert "last heartbeat 0 min ago" in lines[mine]
    # The gone ones are listed apart, under a line that counts them (issue 23: a crash test left 97).
    gone = next(i for i, line in enumerate(lines) if "1 gave no heartbeat within 3 min" in line)
    erin = next(i for i, line in enumerate(lines) if "erin on pc-2" in line)
    assert mine < gone < erin
    after = _kamdesk("check", str(db_path))
    assert "Open sessions: 1" in after.stdout.splitlines()  # ann said goodbye; erin's entry lingers, marked gone


def test_a_colleague_whose_clock_is_far_behind_still_blocks_a_restore_from_the_window(db_path: Path):
    alice = open_workspace(db_path, "alice", create=True)
    try:
        add_accounts(alice.db, "中国移动")
        made = alice.backups.backup_now()
        behind = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=40)
        plant_session(alice.db, "erin", "erin", behind, count=12)  # erin is working; her PC clock is 40 minutes slow
        assert service.live_sessions(db_path, PRESENCE_STALE_AFTER, exclude=alice.db.session_id) == []
        with pytest.raises(service.OthersHaveItOpenError) as caught:
            alice.restore_backup(made.path)
        assert [e.user_name for e in caught.value.entries] == ["erin"]
    finally:
        alice.close()


def test_back_up_now_waits_for_this_windows_own_automatic_backup(db: Database, db_path: Path, open_as):  # noqa: ANN001
    add_accounts(db, "中国移动")
    service_ = BackupService(db, PRESENCE_STALE_AFTER)
    done: list[BackupInfo] = []

    def automatic() -> None:
        with store.backup_lock(service_.folder, "alice", db.session_id):
            time.sleep(0.5)  # this window's automatic backup, still running

    thread = threading.Thread(target=automatic)
    thread.start()
    time.sleep(0.1)
    done.append(service_.backup_now())
    thread.join()
    assert done[0].path.exists()
    # Someone else's backup (another session) is still a clear "busy", not a wait.
    other = open_as("bob")
    with store.backup_lock(service_.folder, "bob", other.session_id), pytest.raises(BackupBusyError, match="bob"):
        service_.backup_now(own_wait_s=5)


def test_restore_from_the_window_waits_for_its_own_automatic_backup(db_path: Path):
    alice = open_workspace(db_path, "alice", create=True)
    try:
        add_accounts(alice.db, "中国移动")
        made = alice.backups.backup_now()
        add_accounts(alice.db, "华为")

        def automatic() -> None:
            with store.backup_lock(alice.backups.folder, "alice", alice.db.session_id):
                time.sleep(0.5)

        thread = threading.Thread(target=automatic)
        thread.start()
        time.sleep(0.1)
        alice.restore_backup(made.path)  # waits for the lock, then restores
        thread.join()
        assert account_names(db_path) == ["中国移动"]
    finally:
        alice.close()


# Liveness by heartbeat counters, not clocks (issue 23, defect 2) -----------------------------------
def test_a_crashed_colleague_whose_clock_is_ahead_stops_blocking_a_restore_once_watched_and_keeps_her_entry(
    db_path: Path,
):
    alice = open_workspace(db_path, "alice", create=True)
    steady = [1000.0]
    alice.presence.steady_clock = lambda: steady[0]
    try:
        add_accounts(alice.db, "中国移动")
        made = alice.backups.backup_now()
        add_accounts(alice.db, "华为")
        ahead = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=50)
        plant_session(alice.db, "erin-crashed", "erin", ahead)  # her kamdesk died; her PC clock is 50 min fast
        assert [e.user_name for e in alice.presence.others()] == ["erin"]  # first sight: taken as live
        with pytest.raises(service.OthersHaveItOpenError):
            alice.restore_backup(made.path)
        steady[0] += PRESENCE_STALE_AFTER.total_seconds() + 1  # her counter stood still for the whole window
        assert alice.presence.others() == []
        result = alice.restore_backup(made.path)  # was refused for ~an hour: her beat looked fresh by our clock
        assert account_names(db_path) == ["中国移动"] and result.previous_copy is not None
        # Her entry is not the restore's to delete (clearing one is a person's logged decision).
        assert sorted(e.user_name for e in store.read_presence(db_path)) == ["alice", "erin"]
    finally:
        alice.close()


def test_a_restore_without_a_window_watches_the_counters(db_path: Path):
    """The command line's restore: a live colleague whose clock is behind refuses it, a crashed one whose
    clock is ahead does not, and her entry is carried into the restored file."""
    alice = open_workspace(db_path, "alice", create=True)
    add_accounts(alice.db, "中国移动")
    made = alice.backups.backup_now()
    add_accounts(alice.db, "华为")
    alice.close()
    bob = open_database(db_path, "bob")
    from kamdesk.services.workspace import PresenceService

    behind = PresenceService(
        bob, wall_clock=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=40)
    )
    behind.register()
    stop = threading.Event()
    beater = threading.Thread(target=_beating, args=(behind.heartbeat, stop))
    beater.start()
    try:
        assert service.live_sessions(db_path, PRESENCE_STALE_AFTER) == []  # the clock rule misses him
        with pytest.raises(service.OthersHaveItOpenError, match="bob"):
            restore_file(made.path, db_path, dt.timedelta(seconds=5))
        assert account_names(db_path) == ["中国移动", "华为"]
    finally:
        stop.set()
        beater.join()
        behind.unregister()
        bob.dispose()
    ahead = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=50)
    erin = open_database(db_path, "erin")
    plant_session(erin, "erin-crashed", "erin", ahead)
    erin.dispose()
    seen: list[str] = []
    result = restore_file(
        made.path,
        db_path,
        dt.timedelta(seconds=1.5),
        on_watch=lambda entries, _s: seen.extend(e.user_name for e in entries),
    )
    assert seen == ["erin"] and account_names(db_path) == ["中国移动"] and result.previous_copy is not None
    assert [e.user_name for e in store.read_presence(db_path)] == ["erin"]


def test_the_command_line_clears_a_crashed_session_after_showing_whose_it_is_and_logs_it(db_path: Path):
    ann = open_database(db_path, "ann", create=True)
    ahead = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=50)
    plant_session(ann, "erin-crashed", "erin", ahead)
    ann.dispose()
    result = _kamdesk("check", str(db_path), "--clear-crashed", "--watch", "1", "--user", "ann")
    assert result.returncode == 0, result.stderr
    assert "erin on pc-2" in result.stdout and "Cleared 1 crashed sessions" in result.stdout
    assert store.read_presence(db_path) == []
    conn = sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        logged = conn.execute("SELECT by, action FROM change_log WHERE table_name = 'presence'").fetchall()
    finally:
        conn.close()
    assert logged == [("ann", "clear")]
