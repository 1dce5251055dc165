"""Reliability on one shared file, proven with real processes, each test printing its figures.

Writers: many processes editing one record with version checks lose nothing (and a control without
them does lose updates, so the test can see losses). Crash: writers killed with SIGKILL mid-transaction
leave a sound file with every acknowledged commit. Schema: newer and foreign files are refused
byte-identical; an interrupted migration rolls back and leaves a backup. Corruption: a damaged file
is refused, names the latest good backup, and is not overwritten.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from figures import report
from sqlalchemy import func, select
from storage_helpers import die_mid_save, file_state, raw_pragma

from kamdesk.services.backups import backup_file
from kamdesk.storage.database import Database, check_version
from kamdesk.storage.errors import (
    ConflictError,
    DamagedFileError,
    DatabaseBusyError,
    NewerSchemaError,
    NotKamdeskError,
)
from kamdesk.storage.migrate import head_version
from kamdesk.storage.opening import check_file, open_database
from kamdesk.storage.tables import AccountRow

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the process tests fork (POSIX)")
FORK = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
SAVED_FILES = Path(__file__).parent / "saved_files"

WRITERS = 8
EDITS_EACH = 300
#: On a server nothing serialises the writers, so each success costs several conflicts (and ~4x the time):
#: fewer edits keep the run short while still meeting thousands of conflicts.
SERVER_EDITS_EACH = 100
CONTROL_EDITS_EACH = 60
LONG_BUSY_MS = 60_000


# Writers: read-modify-write on one record -------------------------------------------------------------
def _edit_worker(target: str, user: str, edits: int, check_versions: bool, start: Any, results: Any) -> None:
    db = open_database(target, user, busy_timeout_ms=LONG_BUSY_MS)
    conflicts = busy = 0
    longest_wait = 0.0
    done = 0
    start.wait()
    while done < edits:
        with db.read() as session:  # what an edit form holds: the value and the version it was read at
            row = session.get(AccountRow, 1)
            value, version = int(row.notes), row.version
        try:
            with db.write() as session:
                began = time.perf_counter()
                row = session.get(AccountRow, 1)  # BEGIN IMMEDIATE: waits here for the write lock (SQLite)
                longest_wait = max(longest_wait, time.perf_counter() - began)
                if check_versions:
                    check_version(row, version, table="accounts", row_id=1)
                row.notes = str(value + 1)
            done += 1
        except ConflictError:
            conflicts += 1
        except DatabaseBusyError:
            busy += 1
    db.dispose()
    results.put((done, conflicts, busy, longest_wait))


def _run_editors(target: str | Path, edits_each: int, check_versions: bool) -> dict[str, Any]:
    assert FORK is not None
    start, results = FORK.Event(), FORK.Queue()
    workers = [
        FORK.Process(target=_edit_worker, args=(str(target), f"writer{i}", edits_each, check_versions, start, results))
        for i in range(WRITERS)
    ]
    for worker in workers:
        worker.start()
    began = time.perf_counter()
    start.set()
    outcomes = [results.get(timeout=120) for _ in workers]
    seconds = time.perf_counter() - began
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    return {
        "done": sum(o[0] for o in outcomes),
        "conflicts": sum(o[1] for o in outcomes),
        "busy": sum(o[2] for o in outcomes),
        "longest_wait_s": max(o[3] for o in outcomes),
        "seconds": seconds,
    }


def _counter_file(db: Database) -> None:
    with db.write() as session:
        session.add(AccountRow(id=1, name="计数器", notes="0"))
    db.dispose()


def _counter(target: str | Path) -> int:
    db = open_database(target, "checker")
    try:
        with db.read() as session:
            return int(session.get(AccountRow, 1).notes)
    finally:
        db.dispose()


def _integrity(backend: str, target: str | Path) -> str:
    """SQLite's integrity check of the file; a server keeps its own pages sound (nothing to ask)."""
    return str(raw_pragma(Path(target), "integrity_check")) if backend == "sqlite" else "n/a (server)"


@pytest.mark.both_backends
def test_writers_with_version_checks_lose_no_update(
    db: Database, db_target: str | Path, backend: str, request: pytest.FixtureRequest
):
    _counter_file(db)
    edits_each = EDITS_EACH if backend == "sqlite" else SERVER_EDITS_EACH
    figures = _run_editors(db_target, edits_each, check_versions=True)
    expected = WRITERS * edits_each
    final = _counter(db_target)
    integrity = _integrity(backend, db_target)
    report(
        request,
        f"writers with version checks ({backend})",
        processes=WRITERS,
        edits_each=edits_each,
        expected=expected,
        final=final,
        lost_updates=expected - final,
        conflicts_detected=figures["conflicts"],
        busy_errors=figures["busy"],
        longest_lock_wait_s=f"{figures['longest_wait_s']:.3f}",
        seconds=f"{figures['seconds']:.1f}",
        commits_per_s=f"{expected / figures['seconds']:.0f}",
        integrity=integrity,
    )
    assert figures["done"] == expected
    assert final == expected, "an update was lost"
    assert figures["conflicts"] > 0, "eight writers on one record must have met conflicts"
    assert integrity in ("ok", "n/a (server)")


@pytest.mark.both_backends
def test_control_without_version_checks_loses_updates(
    db: Database, db_target: str | Path, backend: str, request: pytest.FixtureRequest
):
    """The same edits without the version check: the test really can see lost updates."""
    _counter_file(db)
    figures = _run_editors(db_target, CONTROL_EDITS_EACH, check_versions=False)
    expected = WRITERS * CONTROL_EDITS_EACH
    final = _counter(db_target)
    report(
        request,
        f"control without version checks ({backend})",
        processes=WRITERS,
        edits_each=CONTROL_EDITS_EACH,
        expected=expected,
        final=final,
        lost_updates=expected - final,
        conflicts_detected=figures["conflicts"],
    )
    if backend == "sqlite":
        # BEGIN IMMEDIATE serialises the writes; only the version column could object, and it does not
        # (each write reloads the row). On a server two writes of one row can still meet the version
        # column's "WHERE version = n" in the same moment: a conflict, counted, not a loss.
        assert figures["conflicts"] == 0
    assert final < expected, "without version checks some updates should have been lost"


# Crash: writers killed with SIGKILL ---------------------------------------------------------------------
CRASH_WRITERS = 50
CRASH_WAVE = 5
BATCH_ROWS = 60
#: Commits each writer makes (and acknowledges) before it may be killed.
ACKED_FIRST = 2


def _crash_worker(path: str, number: int, log_path: str, inside: Any) -> None:
    db = open_database(path, f"crash{number}", busy_timeout_ms=LONG_BUSY_MS)
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    batch = 0
    while True:
        batch += 1
        tag = f"w{number:02d}b{batch:04d}"
        with db.write() as session:
            connection = session.connection()  # BEGIN IMMEDIATE: from here on this writer holds the lock
            os.write(log, f"inside {tag}\n".encode())
            if batch > ACKED_FIRST:
                inside.set()  # the parent may kill from now on
            # A tiny page cache makes SQLite spill changed pages into the file before the commit,
            # so a kill often finds the file itself half-changed with a hot journal beside it.
            connection.exec_driver_sql("PRAGMA cache_size = 4")
            half = BATCH_ROWS // 2
            session.add_all(AccountRow(name=f"{tag}-{k:02d}", notes="备注" * 60) for k in range(half))
            session.flush()
            time.sleep(0.02)  # a slow share: the transaction stays open, its first half already in the file
            session.add_all(AccountRow(name=f"{tag}-{k:02d}", notes="备注" * 60) for k in range(half, BATCH_ROWS))
        inside.clear()
        os.write(log, f"acked {tag}\n".encode())
        time.sleep(0.03)  # a pause between saves, as people make: waiting writers get their turn


def test_writers_killed_mid_transaction_leave_every_acknowledged_commit(
    db: Database, db_path: Path, tmp_path: Path, request: pytest.FixtureRequest
):
    assert FORK is not None
    db.dispose()
    rng = random.Random(20270901)
    logs = tmp_path / "logs"
    logs.mkdir()
    for number in range(CRASH_WRITERS):
        (logs / f"{number}.log").touch()
    killed_inside = hot_journals = 0
    began = time.perf_counter()
    for wave in range(CRASH_WRITERS // CRASH_WAVE):
        events = [FORK.Event() for _ in range(CRASH_WAVE)]
        workers = [
            FORK.Process(
                target=_crash_worker,
                args=(str(db_path), wave * CRASH_WAVE + i, str(logs / f"{wave * CRASH_WAVE + i}.log"), events[i]),
            )
            for i in range(CRASH_WAVE)
        ]
        for worker in workers:
            worker.start()
        # Each dies a few milliseconds into a transaction of its own (the others go on writing meanwhile).
        for event, worker in zip(events, workers, strict=True):
            assert event.wait(timeout=30), "a writer never got into a transaction"
            time.sleep(rng.uniform(0.0, 0.015))
            assert worker.pid is not None
            os.kill(worker.pid, signal.SIGKILL)
        for worker in workers:
            worker.join(timeout=10)
            assert worker.exitcode == -signal.SIGKILL
        journal = db_path.with_name(db_path.name + "-journal")
        if journal.exists() and journal.stat().st_size > 0:
            hot_journals += 1
    acked: set[str] = set()
    for log in logs.iterdir():
        lines = log.read_text().splitlines()
        acked.update(line.split()[1] for line in lines if line.startswith("acked"))
        if lines and lines[-1].startswith("inside"):
            killed_inside += 1
    # The next opener rolls back whatever a killed writer left half-done.
    survivor = open_database(db_path, "survivor")
    with survivor.read() as session:
        names = list(session.scalars(select(AccountRow.name)))
        logged = session.scalar(select(func.count()).select_from(AccountRow))
    survivor.dispose()
    per_batch: dict[str, int] = {}
    for name in names:
        tag = name.split("-")[0]
        per_batch[tag] = per_batch.get(tag, 0) + 1
    partial = {tag: count for tag, count in per_batch.items() if count != BATCH_ROWS}
    missing = sorted(acked - set(per_batch))
    integrity = raw_pragma(db_path, "integrity_check")
    report(
        request,
        "writers killed with SIGKILL",
        writers_killed=CRASH_WRITERS,
        killed_inside_a_transaction=killed_inside,
        waves_ending_with_hot_journal=hot_journals,
        acknowledged_commits=len(acked),
        committed_batches=len(per_batch),
        rows=logged,
        acknowledged_missing=len(missing),
        half_written_batches=len(partial),
        integrity=integrity,
        seconds=f"{time.perf_counter() - began:.1f}",
    )
    assert integrity == "ok"
    assert not missing, f"acknowledged commits lost: {missing[:5]}"
    assert not partial, f"half-written transactions: {partial}"
    assert len(per_batch) - len(acked) <= CRASH_WRITERS  # at most one committed-but-unacknowledged each
    assert killed_inside >= CRASH_WRITERS * 0.8, "too few writers died inside a transaction to prove anything"


# Schema: refused files stay byte-identical; an interrupted migration rolls back -------------------------
def test_newer_and_foreign_files_are_refused_byte_identical(
    db: Database, db_path: Path, tmp_path: Path, request: pytest.FixtureRequest
):
    with db.write() as session:
        session.add(AccountRow(name="中国移动"))
    db.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {head_version() + 1}")
    conn.close()
    foreign = tmp_path / "music.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.execute("INSERT INTO songs VALUES ('月亮代表我的心')")
    conn.commit()
    conn.close()
    outcomes = {}
    for path, error in ((db_path, NewerSchemaError), (foreign, NotKamdeskError)):
        before = file_state(path)
        for options in ({}, {"read_only": True}, {"create": True}):
            with pytest.raises(error):
                open_database(path, "alice", **options)  # type: ignore[arg-type]
        after = file_state(path)
        assert after == before
        outcomes[path.name] = f"{error.__name__} sha256 {before.sha256[:12]}=={after.sha256[:12]}"
    report(
        request,
        "refused files",
        newer_schema=outcomes[db_path.name],
        foreign_sqlite=outcomes[foreign.name],
        byte_identical=True,
    )


def test_an_interrupted_migration_rolls_back_and_leaves_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
):
    path = tmp_path / "old.kamdb"
    shutil.copyfile(SAVED_FILES / "schema-1.kamdb", path)
    before = file_state(path)
    from alembic import command  # imported here: opening an up-to-date file must not import alembic

    real_upgrade = command.upgrade

    def upgrade_then_fail(config: Any, revision: str) -> None:
        real_upgrade(config, "0002")  # one step of the way, in the same transaction
        raise RuntimeError("power cut during the migration")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(RuntimeError, match="power cut"):
        open_database(path, "alice")
    backups = sorted(tmp_path.glob("old.before-schema-1-*.kamdb"))
    after = file_state(path)
    report(
        request,
        "interrupted migration",
        user_version_after=raw_pragma(path, "user_version"),
        content_unchanged=after.sha256 == before.sha256,
        backups_left=len(backups),
        integrity=raw_pragma(path, "integrity_check"),
    )
    assert raw_pragma(path, "user_version") == 1
    assert after.sha256 == before.sha256
    assert len(backups) == 1 and raw_pragma(backups[0], "integrity_check") == "ok"
    monkeypatch.undo()
    reopened = open_database(path, "alice")  # the next try upgrades cleanly
    reopened.dispose()
    assert raw_pragma(path, "user_version") == head_version()


# Corruption: a clear error naming the latest good backup -----------------------------------------------
def test_a_damaged_file_is_refused_naming_the_latest_good_backup(
    db: Database, db_path: Path, open_as: Callable[..., Database], request: pytest.FixtureRequest
):
    with db.write() as session:
        session.add_all(AccountRow(name=f"客户{i}", notes="备注" * 100) for i in range(400))
    older = backup_file(db_path)
    time.sleep(1.1)  # a later second, so the newer backup sorts first
    newest = backup_file(db_path)
    db.dispose()
    # The newest backup is damaged too: the error must skip it and name the older, good one.
    data = bytearray(newest.path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    page = 65_536 if page == 1 else page  # a team file's pages are 64 KB (1 in the header)
    data[page : page * 3] = b"\xee" * (page * 2)  # pages 2 and 3
    newest.path.write_bytes(bytes(data))
    size = db_path.stat().st_size
    data = bytearray(db_path.read_bytes())
    middle = (size // page // 2) * page  # two whole pages in the middle of the file
    data[middle : middle + page * 2] = bytes(random.Random(7).randrange(256) for _ in range(page * 2))
    db_path.write_bytes(bytes(data))
    before = file_state(db_path)
    with pytest.raises(DamagedFileError) as caught:
        open_database(db_path, "bob")
    message = str(caught.value)
    after = file_state(db_path)
    report(
        request,
        "damaged file",
        pages_overwritten=2,
        file_size=size,
        refused=True,
        names_latest_good_backup=str(older.path) in message,
        skipped_damaged_backup=str(newest.path) not in message,
        byte_identical=after == before,
    )
    assert str(older.path) in message and caught.value.latest_backup == str(older.path)
    assert str(newest.path) not in message
    assert "damaged" in message and "kamdesk restore" in message
    assert after == before


def test_a_file_left_with_a_hot_journal_is_recovered_not_called_damaged(db: Database, db_path: Path):
    """Found by the crash test: a read-only look cannot roll back a crashed writer's journal."""
    assert FORK is not None
    with db.write() as session:
        session.add_all(AccountRow(name=f"客户{i}", notes="原") for i in range(400))
    db.dispose()
    writer = FORK.Process(target=die_mid_save, args=(str(db_path),))
    writer.start()
    writer.join(timeout=30)
    assert writer.exitcode == -signal.SIGKILL
    assert db_path.with_name(db_path.name + "-journal").stat().st_size > 0
    report_before = check_file(db_path)
    assert not report_before.healthy
    assert any("cut short" in p for p in report_before.problems)
    assert not any("damaged" in p for p in report_before.problems)
    reopened = open_database(db_path, "bob", read_only=True)  # the file can be written: it is recovered
    with reopened.read() as session:
        assert set(session.scalars(select(AccountRow.notes))) == {"原"}
    reopened.dispose()
    assert raw_pragma(db_path, "integrity_check") == "ok"
