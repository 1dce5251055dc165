"""Team files with 64 KB pages: new files get them; an older file is converted once, whole or not at all."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from planted_person import plant
from storage_helpers import plant_session

from kamdesk.domain import clock
from kamdesk.services.personal_data import PersonalDataError, PersonalDataService
from kamdesk.storage import backups
from kamdesk.storage.database import TEAM_PAGE_SIZE, Database
from kamdesk.storage.errors import DatabaseBusyError, FileClosingError, FileConvertingError
from kamdesk.storage.opening import open_database

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def row_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def with_small_pages(path: Path) -> None:
    """Rewrite a file with 4 KB pages, as every kamdesk before this one made them."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("VACUUM")
    finally:
        conn.close()
    assert pragma(path, "page_size") == 4096


def a_used_file(db: Database, activities: int = 300) -> None:
    """A file with an account, its contacts and a season of logged calls, as a salesperson leaves it."""
    plant(db)
    with db.write() as session:
        conn = session.connection()
        account_id = conn.exec_driver_sql("SELECT min(id) FROM accounts").scalar()
        for i in range(activities):
            conn.exec_driver_sql(
                "INSERT INTO activities (account_id, kind, status, subject, occurred_at, duration_minutes, notes, "
                "outcome, important, version, created_at, updated_at, updated_by) VALUES (?, 'call', 'done', ?, "
                "'2027-03-01 09:00:00', 20, '', '', 0, 1, '2027-03-01 09:00:00', '2027-03-01 09:00:00', 'alice')",
                (account_id, f"回访采购部 第{i}次：确认二季度订单和交期"),
            )


def test_a_new_team_file_has_64_kb_pages_and_a_rollback_journal(db: Database, db_path: Path):
    assert TEAM_PAGE_SIZE == 65_536
    assert pragma(db_path, "page_size") == 65_536
    assert pragma(db_path, "journal_mode") == "delete"
    assert PersonalDataService(db).needs_larger_pages() is False


def test_compact_converts_a_4_kb_file_and_keeps_every_row(open_as: Callable[..., Database], db_path: Path):
    db = open_as("alice")
    a_used_file(db)
    db.dispose()
    with_small_pages(db_path)
    before = row_counts(db_path)
    assert before["activities"] >= 300
    db = open_as("alice")
    service = PersonalDataService(db)
    assert service.needs_larger_pages()
    done = service.compact()
    assert done is not None and (done.before, done.after) == (4096, 65_536)
    db.dispose()
    assert pragma(db_path, "page_size") == 65_536
    assert pragma(db_path, "integrity_check") == "ok"
    after = row_counts(db_path)
    logged_count = after.pop("change_log")
    assert logged_count == before.pop("change_log") + 1  # the conversion is in the audit trail
    assert after == before
    conn = sqlite3.connect(db_path)
    logged = conn.execute("SELECT by, table_name, action, changes_json FROM change_log ORDER BY id DESC").fetchone()
    conn.close()
    assert logged[:3] == ("alice", "file", "page_size") and '"page_size": [4096, 65536]' in logged[3]
    # It is done once: a second compaction leaves the pages as they are and logs nothing more.
    db = open_as("alice")
    assert PersonalDataService(db).compact() is None
    db.dispose()
    assert pragma(db_path, "page_size") == 65_536
    assert row_counts(db_path)["change_log"] == logged_count


def test_the_conversion_is_refused_while_a_colleague_has_the_file_open(db: Database, db_path: Path):
    a_used_file(db, activities=20)
    db.dispose()
    with_small_pages(db_path)
    alice = open_database(db_path, "alice")
    try:
        plant_session(alice, "bob-session", "bob", clock.utc_now(), host="bobs-pc")
        service = PersonalDataService(alice)
        with pytest.raises(PersonalDataError, match="not compacted: others have it open .*bob on bobs-pc"):
            service.compact()
        assert service.make_pages_larger() is None  # the window's automatic try: nothing done, no error
        assert pragma(db_path, "page_size") == 4096
        assert not (backups.backup_folder(db_path) / backups.LOCK_NAME).exists()
    finally:
        alice.dispose()


def test_a_colleague_opening_the_file_meanwhile_is_told_who_is_converting_it(db: Database, db_path: Path):
    db.dispose()
    folder = backups.backup_folder(db_path)
    holder = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    try:
        with backups.backup_lock(folder, "alice", "s-1", action="convert"):
            holder.execute("BEGIN EXCLUSIVE")  # what the VACUUM holds from start to end
            with pytest.raises(FileConvertingError, match="alice on .* is making it faster to share") as caught:
                open_database(db_path, "bob", busy_timeout_ms=200)
            assert isinstance(caught.value, DatabaseBusyError)  # the window offers to try again, as for any busy file
            holder.execute("ROLLBACK")
        # Without the conversion's lock a file locked as long is busy, never "damaged".
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DatabaseBusyError) as caught:
            open_database(db_path, "bob", busy_timeout_ms=200)
        assert not isinstance(caught.value, FileConvertingError)
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    bob = open_database(db_path, "bob")
    bob.dispose()


def test_busy_errors_during_ones_own_conversion_say_what_holds_the_file(db: Database, db_path: Path):
    from kamdesk.storage import page_size

    a_used_file(db, activities=20)
    seen: list[str] = []
    real_compact = page_size.person_store.compact

    def compact_and_look(database: Database) -> None:
        seen.append(str(database.busy_error()))
        real_compact(database)

    page_size.person_store.compact = compact_and_look
    try:
        page_size.convert(db)
    finally:
        page_size.person_store.compact = real_compact
    assert seen and "kamdesk is making it faster to share" in seen[0]
    assert "making it faster" not in str(db.busy_error())  # only while it runs


def test_closing_the_window_mid_conversion_leaves_a_consistent_file(open_as: Callable[..., Database], db_path: Path):
    db = open_as("alice")
    a_used_file(db, activities=20)
    with db.write() as session:  # a long audit trail: enough pages that the VACUUM runs a while
        conn = session.connection()
        for i in range(60_000):
            conn.exec_driver_sql(
                "INSERT INTO change_log (at, by, host, table_name, row_id, action, changes_json) "
                "VALUES ('2027-03-01 09:00:00', 'alice', 'pc-1', 'activities', ?, 'update', ?)",
                (str(i), '{"notes": ["' + "跟进报价 " * 20 + '", null]}'),
            )
    db.dispose()
    with_small_pages(db_path)
    before = row_counts(db_path)
    db = open_as("alice")
    service = PersonalDataService(db)
    outcome: list[object] = []

    def convert() -> None:
        try:
            outcome.append(service.make_pages_larger())
        except Exception as exc:  # noqa: BLE001 - the test looks at what it was
            outcome.append(exc)

    worker = threading.Thread(target=convert)
    journal = db_path.with_name(db_path.name + "-journal")
    worker.start()
    deadline = time.monotonic() + 30
    while not journal.exists() and not outcome and time.monotonic() < deadline:
        time.sleep(0.001)
    db.interrupt()  # the window closes
    worker.join(30)
    assert not worker.is_alive()
    db.dispose()
    assert outcome and (isinstance(outcome[0], FileClosingError) or outcome[0] is not None), outcome
    assert pragma(db_path, "integrity_check") == "ok"
    assert pragma(db_path, "page_size") in (4096, 65_536)
    after = row_counts(db_path)
    after["change_log"] -= 0 if isinstance(outcome[0], FileClosingError) else 1
    assert after == before
    assert not journal.exists()


def test_a_connection_opened_before_the_conversion_sees_the_new_page_size(db: Database, db_path: Path):
    from kamdesk.storage import page_size

    a_used_file(db, activities=20)
    db.dispose()
    with_small_pages(db_path)
    alice = open_database(db_path, "alice")
    other = open_database(db_path, "alice")  # a second pool, as a window's background reads have
    try:
        assert page_size.page_size(other) == 4096  # it has read the file with its 4 KB pages
        page_size.convert(alice)
        assert page_size.page_size(other) == 65_536
        assert PersonalDataService(other).needs_larger_pages() is False
    finally:
        alice.dispose()
        other.dispose()


def test_a_colleague_whose_read_meets_the_conversion_is_told_what_holds_the_file(db: Database, db_path: Path):
    a_used_file(db, activities=20)
    db.dispose()
    bob = open_database(db_path, "bob", busy_timeout_ms=200)  # he opened it just before it started
    holder = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    try:
        with backups.backup_lock(backups.backup_folder(db_path), "alice", "s-1", action="convert"):
            holder.execute("BEGIN EXCLUSIVE")
            with pytest.raises(FileConvertingError, match="alice on .* is making it faster to share"):
                with bob.read() as session:
                    session.connection().exec_driver_sql("SELECT count(*) FROM accounts").scalar()
            holder.execute("ROLLBACK")
        with bob.read() as session:  # once it is done, his reads go on
            assert session.connection().exec_driver_sql("SELECT count(*) FROM accounts").scalar() >= 1
    finally:
        holder.close()
        bob.dispose()


def test_kamdesk_compact_converts_the_file_and_says_so(db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]):
    from kamdesk import cli

    a_used_file(db, activities=50)
    db.dispose()
    with_small_pages(db_path)
    before = row_counts(db_path)
    assert cli.run(["compact", str(db_path), "--watch", "0", "--user", "it-admin"]) == 0
    out = capsys.readouterr().out
    assert "compacted" in out and "from 4096 to 65536 bytes" in out
    assert pragma(db_path, "page_size") == 65_536 and pragma(db_path, "integrity_check") == "ok"
    after = row_counts(db_path)
    assert after.pop("change_log") == before.pop("change_log") + 1
    after.pop("presence"), before.pop("presence")  # the command line's own session came and went
    assert after == before
    # Run again: compacted, nothing more to convert.
    assert cli.run(["compact", str(db_path), "--watch", "0"]) == 0
    assert "pages grew" not in capsys.readouterr().out


def test_kamdesk_compact_is_refused_while_a_colleague_works_in_the_file(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
):
    from kamdesk import cli

    a_used_file(db, activities=5)
    db.dispose()
    with_small_pages(db_path)
    bob = open_database(db_path, "bob")
    try:
        plant_session(bob, "bob-session", "bob", clock.utc_now(), count=1, host="bobs-pc")
        stop = threading.Event()

        def beating() -> None:  # his window beats while the command watches
            count = 1
            while not stop.is_set():
                count += 1
                plant_session_beat(bob, count)
                time.sleep(0.2)

        beat = threading.Thread(target=beating)
        beat.start()
        try:
            assert cli.run(["compact", str(db_path), "--watch", "1.5"]) == 1
        finally:
            stop.set()
            beat.join()
    finally:
        bob.dispose()
    err = capsys.readouterr().err
    assert "not compacted: others have it open" in err and "bob on bobs-pc" in err
    assert pragma(db_path, "page_size") == 4096


def plant_session_beat(db: Database, count: int) -> None:
    with db.write() as session:
        session.connection().exec_driver_sql(
            "UPDATE presence SET heartbeat_count = ?, heartbeat_at = ? WHERE session_id = 'bob-session'",
            (count, clock.utc_now().isoformat(sep=" ")),
        )
