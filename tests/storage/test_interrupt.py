"""Closing the window stops background reads at once instead of waiting for them (issue 24)."""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from kamdesk.services.workspace import open_workspace
from kamdesk.storage.database import Database
from kamdesk.storage.errors import StorageError

ENDLESS = text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")


def _read_forever(db: Database, outcome: list[BaseException]) -> None:
    try:
        with db.read() as session:
            session.execute(ENDLESS).scalar()
    except BaseException as exc:  # noqa: BLE001 - what ended the read is what is checked
        outcome.append(exc)


def test_an_endless_read_is_interrupted_and_new_work_refused(db: Database):
    outcome: list[BaseException] = []
    reader = threading.Thread(target=_read_forever, args=(db, outcome))
    reader.start()
    time.sleep(0.3)
    assert reader.is_alive()
    started = time.monotonic()
    db.interrupt()
    reader.join(timeout=5)
    assert not reader.is_alive() and time.monotonic() - started < 1.0
    assert outcome and "interrupt" in str(outcome[0]).lower()
    with pytest.raises(StorageError, match="being closed"):
        with db.read():
            pass


def test_a_workspace_closes_within_a_second_while_a_read_runs(db_path: Path, db: Database):
    db.dispose()
    workspace = open_workspace(db_path, "alice")
    outcome: list[BaseException] = []
    reader = threading.Thread(target=_read_forever, args=(workspace.db, outcome))
    reader.start()
    time.sleep(0.3)
    started = time.monotonic()
    workspace.interrupt()
    reader.join(timeout=5)
    workspace.close()
    assert not reader.is_alive() and time.monotonic() - started < 1.0


def test_a_closed_window_takes_its_presence_away_even_after_the_interrupt(db_path: Path, db: Database):
    """Colleagues judge who is live from the presence table: an entry left by a closed window would make
    them wait on it (a restore, an erase, a page-size conversion) as if it were a crashed session."""
    db.dispose()
    workspace = open_workspace(db_path, "alice")
    colleague = open_workspace(db_path, "bob")
    assert [e.user_name for e in colleague.presence.others()] == ["alice"]
    workspace.interrupt()
    with pytest.raises(StorageError, match="being closed"):  # other work stays refused
        workspace.summary()
    workspace.close()
    with colleague.db.read() as session:
        left = session.execute(text("SELECT user_name FROM presence ORDER BY user_name")).scalars().all()
    colleague.close()
    assert left == ["bob"]


def test_the_farewell_is_written_while_closing_waits_for_the_stopped_work(db_path: Path, db: Database):
    """Closing waits for the background work the interrupt stopped; the farewell does not wait behind it (through
    slowshare's VPN setting each took 200-500 ms). Here the wait ends only once the entry is seen gone."""
    db.dispose()
    workspace = open_workspace(db_path, "alice")
    session_id = workspace.db.session_id
    seen_gone: list[bool] = []

    def wait_for_work() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            conn = sqlite3.connect(db_path, timeout=5)
            try:
                (count,) = conn.execute("SELECT count(*) FROM presence WHERE session_id = ?", (session_id,)).fetchone()
            finally:
                conn.close()
            if count == 0:
                seen_gone.append(True)
                return
            time.sleep(0.02)

    workspace.interrupt()
    workspace.close(wait_for_work)
    assert seen_gone == [True]
    assert not workspace.db.in_use()


def test_a_statement_begun_after_the_interrupt_still_stops(db: Database):
    """SQLite clears its interrupt when nothing runs: a read already inside its unit of work whose next
    statement starts after interrupt() must still end at once."""
    started = time.monotonic()
    with pytest.raises(Exception, match="interrupt"):
        with db.read() as session:
            db.interrupt()
            session.execute(ENDLESS).scalar()
    assert time.monotonic() - started < 1.0


def _read_later(
    db: Database, go: threading.Event, statement: Any, prepare: Callable[[Session], None] = lambda _session: None
) -> tuple[threading.Thread, list[BaseException]]:
    """A reader that opens its unit of work now and runs `statement` in it once `go` is set; what ended it is
    put in the list. Returns once the unit of work is open."""
    began = threading.Event()
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            with db.read() as session:
                prepare(session)
                began.set()
                while not go.is_set():  # a sleep loop: under libfaketime a wait with a timeout never ends
                    time.sleep(0.01)
                session.execute(statement).scalar()
        except BaseException as exc:  # noqa: BLE001 - what ended the read is what is checked
            outcome.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    while not began.is_set():
        time.sleep(0.01)
    return reader, outcome


def test_a_statement_started_after_the_interrupt_in_a_read_begun_before_stops_at_once(db: Database):
    """A read that began before the window closed may start its next statement after interrupt(): SQLite's
    interrupt touches only statements running when it is called, and the steps counted between progress checks
    can each wait on the file server (a page a request), so closing over a VPN waited seconds for one such
    statement. Here each row costs 2 ms, as rows read from a share do: the statement must stop within a few
    rows, not after the thousand-odd rows the progress check alone would let it read."""
    rows_read: list[int] = []
    interrupted = threading.Event()

    def slow(value: int) -> int:
        rows_read.append(value)
        time.sleep(0.002)
        return value

    statement = text(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT sum(slow(i)) FROM n"
    )
    reader, outcome = _read_later(
        db,
        interrupted,
        statement,
        lambda session: session.connection().connection.driver_connection.create_function("slow", 1, slow),
    )
    db.interrupt()
    interrupted.set()
    reader.join(timeout=60)
    assert not reader.is_alive()
    assert outcome and "interrupt" in str(outcome[0]).lower()
    assert len(rows_read) < 100, f"{len(rows_read)} rows read after the window began to close"


def test_a_statement_started_after_the_farewell_in_a_read_begun_before_still_stops(db: Database):
    """The interrupting goes on after the window's farewell write, sparing only that write: a read begun before
    the window closed that starts a statement afterwards stops at once, and the farewell itself goes through."""
    said_farewell = threading.Event()
    reader, outcome = _read_later(db, said_farewell, ENDLESS)
    db.interrupt()
    time.sleep(0.1)  # the interrupting runs meanwhile; the farewell must not be caught by it
    with db.farewell() as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS farewell_probe (x INTEGER)"))
        session.execute(text("INSERT INTO farewell_probe VALUES (1)"))
    said_farewell.set()
    started = time.monotonic()
    reader.join(timeout=10)
    assert not reader.is_alive() and time.monotonic() - started < 1.0
    assert outcome and "interrupt" in str(outcome[0]).lower()
    db.dispose()
    conn = sqlite3.connect(db.path)
    try:
        assert conn.execute("SELECT x FROM farewell_probe").fetchall() == [(1,)]
    finally:
        conn.close()


def test_a_long_statement_makes_no_calls_into_python(db: Database):
    """No progress handler on the file's connections: it called into Python every 5,000 of SQLite's steps,
    some 5,000 times a second for each busy read, and each call took the interpreter from the GUI thread."""

    def python_calls(rows: int) -> int:
        calls = [0]

        def count(_frame: object, event: str, _arg: object) -> None:
            if event == "call":
                calls[0] += 1

        with db.read() as session:
            cursor = session.connection().connection.driver_connection.cursor()
            statement = (
                f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) SELECT sum(i) FROM n"  # noqa: S608 - a number
            )
            sys.setprofile(count)
            try:
                cursor.execute(statement).fetchone()
            finally:
                sys.setprofile(None)
        return calls[0]

    assert python_calls(1_000_000) - python_calls(10) < 5


def test_closing_closes_the_idle_connections_at_once_and_lets_the_file_go(db_path: Path, db: Database, monkeypatch):
    """On a file server each close is a few requests: the idle connections close side by side, not one after
    another (the VPN setting: 170-260 ms one after another, 55 ms together; issue 24). Each really closes, and the
    descriptor kept for the change counter is let go."""
    db.dispose()
    workspace = open_workspace(db_path, "alice")
    database = workspace.db
    together = threading.Barrier(3, timeout=10)  # the three readers hold their connections at once
    errors: list[BaseException] = []

    def read() -> None:
        try:
            with database.read() as session:
                session.execute(text("SELECT count(*) FROM accounts")).scalar()
                together.wait()
        except BaseException as exc:  # noqa: BLE001 - checked below
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(10)
    assert not errors and database.engine.pool.checkedin() == 3
    assert database.change_counter() is not None  # the kept descriptor is open
    closing = threading.Barrier(3, timeout=10)  # broken (and the test failed) unless three closes overlap
    closed: list[object] = []
    real_close = database.engine.dialect.do_close

    def close(connection: Any) -> None:
        closing.wait()
        real_close(connection)
        closed.append(connection)

    monkeypatch.setattr(database.engine.dialect, "do_close", close)
    workspace.interrupt()
    workspace.close()
    assert len(closed) == 3 and not closing.broken
    for connection in closed:
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            connection.execute("SELECT 1")  # type: ignore[attr-defined]
    assert not database.in_use() and database._head_fd is None
