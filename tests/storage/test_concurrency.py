"""Two people on one database: the write lock is taken up front, busy is a message, stale saves conflict.

The lock tests are about the SQLite file; busy rows and stale saves run on PostgreSQL too.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from storage_helpers import SHORT_BUSY_MS, lock_is_free

from kamdesk.storage.database import Database, check_version
from kamdesk.storage.errors import ConflictError, DatabaseBusyError
from kamdesk.storage.tables import AccountRow, ChangeLogRow

pytestmark = pytest.mark.both_backends


@pytest.fixture
def alice(open_as: Callable[..., Database]) -> Database:
    return open_as("alice")


@pytest.fixture
def bob(alice: Database, open_as: Callable[..., Database]) -> Database:
    return open_as("bob", busy_timeout_ms=SHORT_BUSY_MS)


@pytest.fixture
def account_id(alice: Database) -> int:
    with alice.write() as session:
        row = AccountRow(name="中国移动", notes="first notes")
        session.add(row)
        session.flush()
        return row.id


# BEGIN IMMEDIATE ---------------------------------------------------------------------------------
@pytest.mark.sqlite_only
def test_a_write_takes_the_lock_at_its_first_statement(alice: Database, account_id: int, db_path: Path):
    # Even a read inside write() holds the write lock: the transaction began IMMEDIATE, so it can
    # never fail halfway through on a lock another person took after it started.
    assert lock_is_free(db_path)
    with alice.write() as session:
        session.get(AccountRow, account_id)
        assert not lock_is_free(db_path)
    assert lock_is_free(db_path)


@pytest.mark.sqlite_only
def test_reads_never_take_the_write_lock(alice: Database, account_id: int, db_path: Path):
    with alice.read() as session:
        assert session.get(AccountRow, account_id) is not None
        assert lock_is_free(db_path)


@pytest.mark.sqlite_only
def test_a_second_writer_gets_a_clear_busy_error(alice: Database, bob: Database, account_id: int):
    with alice.write() as session:
        session.get(AccountRow, account_id).notes = "alice is saving"
        session.flush()
        with pytest.raises(DatabaseBusyError) as caught, bob.write() as bob_session:
            bob_session.add(AccountRow(name="华为"))
        assert "busy" in str(caught.value) and "Try again" in str(caught.value)
        # Reading is still possible for bob while alice's save is under way (and sees the old state).
        with bob.read() as bob_session:
            assert bob_session.get(AccountRow, account_id).notes == "first notes"
    # Once alice is done, bob's retry goes through.
    with bob.write() as bob_session:
        bob_session.add(AccountRow(name="华为"))
    with bob.read() as bob_session:
        names = sorted(bob_session.scalars(select(AccountRow.name)))
        assert names == ["中国移动", "华为"]
        assert bob_session.get(AccountRow, account_id).notes == "alice is saving"


@pytest.mark.sqlite_only
def test_a_busy_write_leaves_no_trace(bob: Database, account_id: int, raw_lock: Callable[[], sqlite3.Connection]):
    raw_lock()
    with pytest.raises(DatabaseBusyError), bob.write() as session:
        session.get(AccountRow, account_id)
    with bob.read() as session:
        assert session.scalar(select(func.count()).select_from(AccountRow)) == 1


def test_a_busy_message_names_who_else_has_the_file_open(alice: Database, bob: Database, account_id: int):
    # Issue 18: current_writer() always said "", so no busy message could say who holds the file.
    from kamdesk.services.workspace import PresenceService

    alice_presence, bob_presence = PresenceService(alice), PresenceService(bob)
    alice_presence.register()
    bob_presence.register()
    with alice.write() as session:
        session.get(AccountRow, account_id).notes = "alice is saving"
        session.flush()
        with pytest.raises(DatabaseBusyError) as caught, bob.write() as bob_session:
            bob_session.get(AccountRow, account_id).notes = "bob too"
            bob_session.flush()
    message = str(caught.value)
    assert f"alice on {alice.host}" in message and "Try again" in message
    assert "bob" not in message, "bob is the one asking; the message names the others"
    bob_presence.unregister()
    alice_presence.unregister()
    assert bob.current_writer() == ""  # nobody else has it open: the message falls back to "someone else"


def test_a_second_writer_of_the_same_record_gets_a_clear_busy_error(alice: Database, bob: Database, account_id: int):
    # SQLite: the file's write lock; PostgreSQL: the row lock, given up after lock_timeout.
    if bob.is_postgresql:  # without it the wait below would never end (alice waits on bob, in this thread)
        with bob.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == f"{SHORT_BUSY_MS}ms"
    with alice.write() as session:
        session.get(AccountRow, account_id).notes = "alice is saving"
        session.flush()
        began = time.perf_counter()
        with pytest.raises(DatabaseBusyError) as caught, bob.write() as bob_session:
            bob_session.get(AccountRow, account_id).notes = "bob too"
            bob_session.flush()
        assert time.perf_counter() - began < 5, "the busy timeout was not applied"
        assert "busy" in str(caught.value) and "Try again" in str(caught.value)
        with bob.read() as bob_session:
            assert bob_session.get(AccountRow, account_id).notes == "first notes"
    with bob.write() as bob_session:
        bob_session.get(AccountRow, account_id).notes = "bob's retry"
    with alice.read() as session:
        row = session.get(AccountRow, account_id)
        assert (row.notes, row.version, row.updated_by) == ("bob's retry", 3, "bob")


# Stale saves: the expected version is checked -----------------------------------------------------
def _read_for_editing(db: Database, account_id: int) -> tuple[str, int]:
    """What an edit form holds: plain values and the version they were read at."""
    with db.read() as session:
        row = session.get(AccountRow, account_id)
        return row.notes, row.version


def _save_notes(db: Database, account_id: int, notes: str, expected_version: int) -> None:
    with db.write() as session:
        row = session.get(AccountRow, account_id)
        check_version(row, expected_version, table="accounts", row_id=account_id)
        row.notes = notes


def test_a_stale_save_is_a_conflict_not_an_overwrite(alice: Database, bob: Database, account_id: int):
    _notes_a, version_a = _read_for_editing(alice, account_id)
    _notes_b, version_b = _read_for_editing(bob, account_id)
    assert version_a == version_b == 1

    _save_notes(alice, account_id, "alice's notes", version_a)
    with pytest.raises(ConflictError) as caught:
        _save_notes(bob, account_id, "bob's notes", version_b)

    conflict = caught.value
    with bob.read() as session:
        row = session.get(AccountRow, account_id)
        assert (row.notes, row.version, row.updated_by) == ("alice's notes", 2, "alice")
        assert (conflict.table, conflict.row_id) == ("accounts", str(account_id))
        assert (conflict.changed_by, conflict.changed_at, conflict.deleted) == ("alice", row.updated_at, False)
        # bob's refused save left nothing behind, not even a change-log entry.
        assert session.scalar(select(func.count()).where(ChangeLogRow.by == "bob")) == 0
        assert "alice" in str(conflict) and row.updated_at.strftime("%Y-%m-%d %H:%M") in str(conflict)


def test_a_save_to_a_row_deleted_meanwhile_is_a_conflict(alice: Database, bob: Database, account_id: int):
    _notes, version = _read_for_editing(bob, account_id)
    with alice.write() as session:
        session.delete(session.get(AccountRow, account_id))
    with pytest.raises(ConflictError) as caught:
        _save_notes(bob, account_id, "bob's notes", version)
    assert caught.value.deleted
    assert (caught.value.table, caught.value.row_id) == ("accounts", account_id)
    assert "deleted" in str(caught.value)


def test_check_version_accepts_the_current_version(alice: Database, account_id: int):
    _save_notes(alice, account_id, "second", 1)
    _save_notes(alice, account_id, "third", 2)
    assert _read_for_editing(alice, account_id) == ("third", 3)


# Stale saves: the version column guards ORM rows too ----------------------------------------------
def _detached_copy(db: Database, account_id: int) -> AccountRow:
    """An ORM row kept beyond its unit of work (what a careless caller might edit and save later)."""
    with db.read() as session:
        row = session.get(AccountRow, account_id)
        session.expunge(row)
        return row


def test_the_version_column_refuses_a_stale_orm_row(alice: Database, bob: Database, account_id: int):
    stale = _detached_copy(bob, account_id)
    assert stale.version == 1
    with alice.write() as session:
        session.get(AccountRow, account_id).notes = "alice's notes"

    stale.notes = "bob's notes"
    with pytest.raises(ConflictError) as caught, bob.write() as session:
        session.add(stale)  # the UPDATE says "WHERE version = 1"; the row is at 2 by now

    assert (caught.value.table, caught.value.row_id, caught.value.changed_by) == ("accounts", str(account_id), "alice")
    assert isinstance(caught.value.changed_at, dt.datetime)
    with alice.read() as session:
        row = session.get(AccountRow, account_id)
        assert (row.notes, row.version) == ("alice's notes", 2)


def test_the_version_column_refuses_a_stale_delete(alice: Database, bob: Database, account_id: int):
    stale = _detached_copy(bob, account_id)
    with alice.write() as session:
        session.get(AccountRow, account_id).notes = "alice's notes"
    with pytest.raises(ConflictError) as caught, bob.write() as session:
        session.delete(session.merge(stale, load=False))
    assert caught.value.changed_by == "alice"
    with alice.read() as session:
        assert session.get(AccountRow, account_id).notes == "alice's notes"


def test_the_version_column_reports_a_row_deleted_meanwhile(alice: Database, bob: Database, account_id: int):
    stale = _detached_copy(bob, account_id)
    with alice.write() as session:
        session.delete(session.get(AccountRow, account_id))
    stale.notes = "bob's notes"
    with pytest.raises(ConflictError) as caught, bob.write() as session:
        session.add(stale)
    assert caught.value.deleted
    assert (caught.value.table, caught.value.row_id) == ("accounts", str(account_id))
