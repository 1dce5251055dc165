"""A long statement on a connection of its own (a backup's check, the page-size conversion) stops when asked,
through a watcher that interrupts it, not a progress handler calling into Python every few thousand steps."""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import pytest

from kamdesk.storage import backups
from kamdesk.storage.stop_watch import interrupted_when

ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


def test_a_statement_stops_soon_after_it_is_asked_to(tmp_path: Path):
    conn = sqlite3.connect(tmp_path / "x.db", check_same_thread=False)
    asked_at = time.monotonic() + 0.3
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        with interrupted_when(conn, lambda: time.monotonic() >= asked_at):
            conn.execute(ENDLESS).fetchone()
    assert time.monotonic() - asked_at < 0.5
    assert conn.execute("SELECT 1").fetchone() == (1,)  # the connection is still usable afterwards
    conn.close()


def test_a_statement_nobody_stops_runs_to_its_end_without_calls_into_python(tmp_path: Path):
    conn = sqlite3.connect(tmp_path / "x.db", check_same_thread=False)
    asked: list[int] = []
    calls = [0]

    def count(_frame: object, event: str, _arg: object) -> None:
        if event == "call":
            calls[0] += 1

    statement = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000) SELECT sum(i) FROM n"
    with interrupted_when(conn, lambda: asked.append(1) is not None and False):
        sys.setprofile(count)  # this thread's calls only: the watcher's own looks are on its thread
        try:
            total = conn.execute(statement).fetchone()[0]
        finally:
            sys.setprofile(None)
    assert total == 2_000_000 * 2_000_001 // 2
    assert calls[0] < 5
    conn.close()


def test_a_backups_check_ends_as_interrupted_when_asked_to_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "big.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", ((str(n) * 20,) for n in range(200_000)))
    conn.execute("CREATE INDEX t_x ON t (x)")
    conn.commit()
    conn.close()
    assert backups.integrity(path) == "ok"
    monkeypatch.setattr("kamdesk.storage.stop_watch.LOOK_EVERY_S", 0.001)
    assert backups.integrity(path, stopped=lambda: True) == "interrupted"
