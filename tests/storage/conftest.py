"""Fixtures for the storage tests: team files in a temporary folder, opened by named people."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kamdesk.storage.database import Database
from kamdesk.storage.opening import open_database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "team.kamdb"


@pytest.fixture
def open_as(db_path: Path) -> Iterator[Callable[..., Database]]:
    """Open the team file as a named person (creating it the first time); closed after the test."""
    opened: list[Database] = []

    def _open(user_name: str, **options: Any) -> Database:
        options.setdefault("create", True)
        db = open_database(db_path, user_name, **options)
        opened.append(db)
        return db

    yield _open
    for db in opened:
        db.dispose()


@pytest.fixture
def db(open_as: Callable[..., Database]) -> Database:
    """A fresh team file opened by alice."""
    return open_as("alice")


@pytest.fixture
def raw_lock(db_path: Path) -> Iterator[Callable[[], sqlite3.Connection]]:
    """Take the write lock on the team file from a plain sqlite3 connection (someone else saving)."""
    holders: list[sqlite3.Connection] = []

    def _lock() -> sqlite3.Connection:
        conn = sqlite3.connect(db_path, isolation_level=None, timeout=0)
        conn.execute("BEGIN IMMEDIATE")
        holders.append(conn)
        return conn

    yield _lock
    for conn in holders:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The reliability figures again, together, after the run (they were printed as each test ended)."""
    from figures import REPORTED

    if REPORTED:
        terminalreporter.section("reliability figures")
        for title, figures in REPORTED:
            terminalreporter.write_line(f"{title}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))
