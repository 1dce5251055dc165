"""Fixtures for the storage tests: team files in a temporary folder, opened by named people.

Tests in a module (or class, or function) marked `both_backends` run twice: on an SQLite file and on
a fresh schema of a real PostgreSQL server (KAMDESK_TEST_DATABASE_URL; `.ci/postgres start` makes
one). Without that variable the PostgreSQL runs are skipped, unless KAMDESK_REQUIRE_POSTGRES=1 (CI)
makes them fail. `sqlite_only` keeps one test of such a module on SQLite (file bytes, journals).
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from kamdesk.storage.database import Database
from kamdesk.storage.opening import open_database

BACKENDS = ("sqlite", "postgresql")
TEST_URL = "KAMDESK_TEST_DATABASE_URL"
REQUIRE_POSTGRES = "KAMDESK_REQUIRE_POSTGRES"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_backends: run on an SQLite file and on a PostgreSQL server")
    config.addinivalue_line("markers", "sqlite_only: stays on SQLite inside a both_backends module")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    node = metafunc.definition
    if node.get_closest_marker("both_backends") and not node.get_closest_marker("sqlite_only"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """ "sqlite" or "postgresql" (only tests marked both_backends see the second)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[tuple[str, Engine]]:
    """The test server's URL and an engine on it for creating and dropping schemas."""
    url = os.environ.get(TEST_URL, "")
    if not url:
        message = f'no PostgreSQL server: set {TEST_URL} (eval "$(.ci/postgres start)" makes one)'
        if os.environ.get(REQUIRE_POSTGRES) == "1":
            pytest.fail(f"{REQUIRE_POSTGRES}=1 but {message}")
        pytest.skip(message)
    # NullPool: no idle connection is inherited by the writer processes the tests fork.
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool, connect_args={"connect_timeout": 5})
    yield url, engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_server: tuple[str, Engine]) -> Iterator[str]:
    """The URL of a fresh, empty schema of its own on the test server, dropped after the test."""
    url, engine = postgres_server
    schema = f"kamdesk_test_{uuid.uuid4().hex[:12]}"
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    yield make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    with engine.connect() as conn:
        conn.exec_driver_sql("SET lock_timeout = '20s'")
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "team.kamdb"


@pytest.fixture
def db_target(backend: str, db_path: Path, request: pytest.FixtureRequest) -> str | Path:
    """Where the test's team database lives: the file, or a fresh schema's URL on the server."""
    if backend == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return db_path


@pytest.fixture
def open_as(db_target: str | Path) -> Iterator[Callable[..., Database]]:
    """Open the team database as a named person (creating it the first time); closed after the test."""
    opened: list[Database] = []

    def _open(user_name: str, **options: Any) -> Database:
        options.setdefault("create", True)
        db = open_database(db_target, user_name, **options)
        opened.append(db)
        return db

    yield _open
    for db in opened:
        db.dispose()


@pytest.fixture
def db(open_as: Callable[..., Database]) -> Database:
    """A fresh team database opened by alice."""
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
