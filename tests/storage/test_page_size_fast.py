"""The fast page-size conversion for a file on a share: a verified backup, a VACUUM of a local copy, and the converted
bytes written over the team file under its EXCLUSIVE lock (storage/page_size.py, storage/page_write.py)."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from storage_helpers import plant_session
from test_page_size import a_used_file, pragma, row_counts, with_small_pages

from kamdesk.domain import clock
from kamdesk.services.personal_data import PersonalDataService
from kamdesk.storage import backups, opening, page_size, page_write
from kamdesk.storage.database import Database
from kamdesk.storage.errors import DamagedFileError, FileClosingError, StorageError
from kamdesk.storage.locations import LocationKind
from kamdesk.storage.opening import open_database

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

#: A colleague's kamdesk on another computer, as a separate process: it logs a call and commits.
COLLEAGUE_SAVES = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=10)
account_id = conn.execute("SELECT min(id) FROM accounts").fetchone()[0]
conn.execute(
    "INSERT INTO activities (account_id, kind, status, subject, occurred_at, duration_minutes, notes, outcome, "
    "important, version, created_at, updated_at, updated_by) VALUES (?, 'call', 'done', '鲍勃补记：采购部回电', "
    "'2027-03-02 10:00:00', 15, '', '', 0, 1, '2027-03-02 10:00:00', '2027-03-02 10:00:00', 'bob')",
    (account_id,),
)
conn.commit()
conn.close()
"""

#: A colleague's long read (a report being printed): it holds the file's read lock until told to stop.
COLLEAGUE_READS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("SELECT count(*) FROM activities").fetchone()
print("reading", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
"""


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def an_old_file(open_as: Callable[..., Database], db_path: Path, activities: int = 300) -> Database:
    """A used file rewritten with 4 KB pages, opened again by alice."""
    db = open_as("alice")
    a_used_file(db, activities)
    db.dispose()
    with_small_pages(db_path)
    return open_as("alice")


@contextmanager
def converting_lock(db_path: Path) -> Iterator[None]:
    with backups.backup_lock(backups.backup_folder(db_path), "alice", "s-1", action=page_size.LOCK_ACTION):
        yield


def test_the_fast_conversion_keeps_every_row_and_leaves_the_file_as_it_was_in_a_backup(
    open_as: Callable[..., Database], db_path: Path
):
    db = an_old_file(open_as, db_path)
    plant_session(db, db.session_id, "alice", clock.utc_now(), host="alices-pc")  # the window's own entry
    before = row_counts(db_path)
    assert before["activities"] >= 300 and before["presence"] == 1
    assert page_size.fast_possible(db)
    done = PersonalDataService(db).make_pages_larger(fast=True)
    assert done is not None and (done.before, done.after) == (4096, 65_536)
    assert done.backup is not None and done.backup.parent == backups.backup_folder(db_path)
    # The backup is the file exactly as it was before: small pages, every row.
    assert pragma(done.backup, "page_size") == 4096
    assert row_counts(done.backup) == {**before, "presence": 0}  # a backup records nobody as having it open
    # The window's own database works on at once (its connections reconnect) and sees the new pages.
    assert page_size.page_size(db) == 65_536
    db.dispose()
    assert pragma(db_path, "page_size") == 65_536 and pragma(db_path, "journal_mode") == "delete"
    assert pragma(db_path, "integrity_check") == "ok"
    after = row_counts(db_path)
    assert after.pop("change_log") == before.pop("change_log") + 1
    assert after == before  # the window's presence entry included: its heartbeats go on
    conn = sqlite3.connect(db_path)
    logged = conn.execute("SELECT table_name, action, changes_json FROM change_log ORDER BY id DESC").fetchone()
    conn.close()
    assert logged[:2] == ("file", "page_size") and done.backup.name in logged[2]
    assert not (backups.backup_folder(db_path) / backups.LOCK_NAME).exists()


def test_a_colleague_saving_between_the_backup_and_the_write_refuses_the_conversion(
    open_as: Callable[..., Database], db_path: Path
):
    db = an_old_file(open_as, db_path, activities=50)
    bobs_rows = row_counts(db_path)["activities"] + 1

    def bob_saves() -> None:
        subprocess.run([sys.executable, "-c", COLLEAGUE_SAVES, str(db_path)], check=True, timeout=60)

    with converting_lock(db_path), pytest.raises(page_size.ConversionRefusedError, match="saved to the file meanwhile"):
        page_size.convert_fast(db, after_backup=bob_saves)
    db.dispose()
    assert pragma(db_path, "page_size") == 4096
    assert pragma(db_path, "integrity_check") == "ok"
    assert row_counts(db_path)["activities"] == bobs_rows  # bob's call is there, nothing else changed
    assert len(backups.list_backups(backups.backup_folder(db_path), db_path.stem)) == 1


def test_a_colleague_reading_at_the_write_refuses_the_conversion_with_the_file_unchanged(
    open_as: Callable[..., Database], db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(page_size, "WRITE_LOCK_TIMEOUT_S", 0.5)
    db = an_old_file(open_as, db_path, activities=50)
    reader = subprocess.Popen(
        [sys.executable, "-c", COLLEAGUE_READS, str(db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
        unchanged = sha(db_path)
        with converting_lock(db_path), pytest.raises(page_size.ConversionRefusedError, match="busy"):
            page_size.convert_fast(db)
        assert sha(db_path) == unchanged
    finally:
        reader.communicate("\n", timeout=30)
    db.dispose()
    assert pragma(db_path, "page_size") == 4096
    assert pragma(db_path, "integrity_check") == "ok"


@pytest.mark.parametrize("cut_after", ["first", "last"])
def test_a_crash_during_the_write_leaves_a_file_refused_as_damaged_that_offers_the_backup(
    open_as: Callable[..., Database], db_path: Path, monkeypatch: pytest.MonkeyPatch, cut_after: str
):
    db = an_old_file(open_as, db_path, activities=6000)
    assert db_path.stat().st_size > 2 * page_write.CHUNK  # the write is cut after one of its several MiB
    before = row_counts(db_path)
    # After the first of several MiB, or after the last (every byte there, the header not yet made whole).
    monkeypatch.setenv(page_write.CRASH_AFTER_ENV, "1" if cut_after == "first" else "-1")
    with converting_lock(db_path), pytest.raises(StorageError, match="restore the backup made just before"):
        page_size.convert_fast(db)
    db.dispose()
    (backup,) = backups.list_backups(backups.backup_folder(db_path), db_path.stem)
    assert backups.latest_good_backup(db_path) == backup
    # Until the write is whole the header names an impossible page size: SQLite refuses the file whatever was
    # written, and on a file server (where kamdesk skips SQLite's quick check at open) too.
    assert db_path.read_bytes()[16:18] == b"\x00\x00"
    monkeypatch.setattr(opening, "location_kind", lambda _p: LocationKind.NETWORK)
    with pytest.raises(DamagedFileError) as caught:
        open_database(db_path, "bob")
    assert str(backup.path) in str(caught.value)
    assert row_counts(backup.path) == before  # restoring it gives back the file as it was


def test_the_windows_own_heartbeat_meanwhile_does_not_refuse_the_conversion(db: Database, db_path: Path):
    from kamdesk.services.workspace import open_workspace

    a_used_file(db, activities=50)
    db.dispose()
    with_small_pages(db_path)
    ws = open_workspace(db_path, "alice")
    try:
        with converting_lock(db_path):
            done = page_size.convert_fast(ws.db, after_backup=ws.presence.heartbeat)  # its minute came round meanwhile
        assert done.after == 65_536
        ws.presence.heartbeat()  # and beats again afterwards, on its own entry
        assert ws.personal_data.page_size() == 65_536
    finally:
        ws.close()
    assert pragma(db_path, "integrity_check") == "ok"


def test_closing_the_window_before_the_write_abandons_the_conversion_with_the_file_unchanged(
    open_as: Callable[..., Database], db_path: Path
):
    db = an_old_file(open_as, db_path, activities=50)
    unchanged = sha(db_path)
    with converting_lock(db_path), pytest.raises(FileClosingError):
        page_size.convert_fast(db, after_backup=db.interrupt)  # the window closes once the backup is made
    assert sha(db_path) == unchanged
    assert pragma(db_path, "page_size") == 4096
    assert backups.latest_good_backup(db_path) is not None  # the backup made first is kept


def test_the_conversion_waits_for_a_read_of_this_window_under_way(open_as: Callable[..., Database], db_path: Path):
    db = an_old_file(open_as, db_path, activities=50)
    seen: list[int] = []

    def dashboard_reads() -> None:
        with db.read() as session:
            seen.append(session.connection().exec_driver_sql("SELECT count(*) FROM activities").scalar() or 0)
            time.sleep(0.6)  # a slow figure over the network

    def the_dashboard_starts() -> None:
        threading.Thread(target=dashboard_reads, daemon=True).start()
        while not seen:
            time.sleep(0.01)

    with converting_lock(db_path):
        done = page_size.convert_fast(db, after_backup=the_dashboard_starts)
    assert done.after == 65_536 and seen == [row_counts(db_path)["activities"]]
    db.dispose()
    assert pragma(db_path, "integrity_check") == "ok"


def test_kamdesk_compact_on_a_share_takes_the_fast_path_and_names_the_backup(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    from kamdesk import cli
    from kamdesk.services import personal_data

    a_used_file(db, activities=50)
    db.dispose()
    with_small_pages(db_path)
    before = row_counts(db_path)
    monkeypatch.setattr(personal_data, "location_kind", lambda _p: LocationKind.NETWORK)
    assert cli.run(["compact", str(db_path), "--watch", "0", "--user", "it-admin"]) == 0
    out = capsys.readouterr().out
    (backup,) = backups.list_backups(backups.backup_folder(db_path), db_path.stem)
    assert "from 4096 to 65536 bytes" in out and f"kept as the backup {backup.path}" in out
    assert pragma(db_path, "page_size") == 65_536 and pragma(db_path, "integrity_check") == "ok"
    assert pragma(backup.path, "page_size") == 4096
    after = row_counts(db_path)
    assert after.pop("change_log") == before.pop("change_log") + 1
    after.pop("presence"), before.pop("presence")  # the command line's own session came and went
    assert after == before


def test_a_window_closing_during_the_write_leaves_the_writer_to_finish_it(
    open_as: Callable[..., Database], db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    db = an_old_file(open_as, db_path, activities=6000)
    before = row_counts(db_path)
    monkeypatch.setenv(page_write.PAUSE_ENV, "1.5")  # a slow share: the window closes while the writer writes

    def close_once_writing() -> None:
        while db_path.read_bytes()[16:18] != page_write.UNFINISHED:
            time.sleep(0.02)
        db.interrupt()

    def the_writer_starts_soon() -> None:
        threading.Thread(target=close_once_writing, daemon=True).start()

    started = time.monotonic()
    with converting_lock(db_path), pytest.raises(page_size.LeftWritingError):
        page_size.convert_fast(db, after_backup=the_writer_starts_soon)
    assert time.monotonic() - started < 30
    writer = page_size._left_writing.pop()
    assert writer.poll() is None  # the window let go while the writer still writes; it finishes alone
    while writer.poll() is None:
        time.sleep(0.05)
    writer.communicate()
    assert writer.returncode == 0
    db.dispose()
    assert pragma(db_path, "page_size") == 65_536 and pragma(db_path, "integrity_check") == "ok"
    assert row_counts(db_path) == before
