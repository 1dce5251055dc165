"""kamdesk on a PostgreSQL server: schema at head and upgrades, refusals, and addresses that fail
with a message naming what failed, within seconds. Tests needing the server use KAMDESK_TEST_DATABASE_URL."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    MetaData,
    Table,
    create_engine,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from kamdesk.domain.contacts import ContactDetail, ContactQuery
from kamdesk.domain.models import AccountQuery
from kamdesk.domain.server_address import password_of, with_password, without_password
from kamdesk.services.backups import BackupError
from kamdesk.services.changes import ChangeWatcher
from kamdesk.services.workspace import open_workspace
from kamdesk.storage.database import Database
from kamdesk.storage.errors import DatabaseOpenError, NewerSchemaError, ReadOnlyError
from kamdesk.storage.migrate import alembic_config, head_version
from kamdesk.storage.opening import open_database, schema_matches_models, table_names
from kamdesk.storage.server import ServerConnectionError, check_server, normalise_url, safe_url
from kamdesk.storage.tables import AccountRow, Base, ContactRow

#: A wrong address must be reported within this many seconds (the window waits on it).
PROMPT_S = 8


def _opening_fails(url: str) -> tuple[ServerConnectionError, float]:
    began = time.perf_counter()
    with pytest.raises(ServerConnectionError) as caught:
        open_database(url, "alice")
    return caught.value, time.perf_counter() - began


def _raw(url: str, statement: str) -> list[tuple[object, ...]]:
    engine = create_engine(normalise_url(url), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement))
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


# Addresses that cannot work (no server needed) ----------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word (a firewall or a hung server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield int(listener.getsockname()[1])
    listener.close()


def test_nothing_listening_on_the_port_is_named(tmp_path):
    port = _free_port()
    error, seconds = _opening_fails(f"postgresql://alice:secret@127.0.0.1:{port}/team")
    assert error.failed == "port"
    assert f"127.0.0.1:{port}" in str(error) and "Nothing is listening" in str(error)
    assert "secret" not in str(error)
    assert seconds < PROMPT_S


def test_an_unknown_host_is_named():
    error, seconds = _opening_fails("postgresql://alice:secret@no-such-host.invalid:5432/team")
    assert error.failed == "host"
    assert "no-such-host.invalid" in str(error) and "cannot be found" in str(error)
    assert "secret" not in str(error)
    assert seconds < PROMPT_S


def test_a_server_that_never_answers_times_out(silent_server: int):
    error, seconds = _opening_fails(f"postgresql://alice:secret@127.0.0.1:{silent_server}/team?connect_timeout=1")
    assert error.failed == "timeout"
    assert f"127.0.0.1:{silent_server}" in str(error) and "did not answer" in str(error)
    assert seconds < PROMPT_S


@pytest.mark.parametrize(
    ("url", "failed"),
    [
        ("postgresql://alice:secret@server:port/team", "address"),
        ("mysql://alice:secret@localhost/team", "driver"),
    ],
)
def test_a_malformed_address_or_unknown_kind_of_database_is_named(url: str, failed: str):
    error, seconds = _opening_fails(url)
    assert error.failed == failed
    assert "secret" not in str(error)
    assert seconds < PROMPT_S


def test_addresses_are_shown_without_passwords():
    assert (
        safe_url("postgresql://alice:s3cret@db.example.com:5433/team")
        == "postgresql://alice:***@db.example.com:5433/team"
    )
    assert "s3cret" not in safe_url("postgresql://alice:s3cret@db:notaport/team")
    assert normalise_url("postgres://a@b/c") == "postgresql+psycopg://a@b/c"
    assert make_url(with_password("postgresql://alice@db/team", "p@ss:word")).password == "p@ss:word"
    assert password_of(with_password("postgresql://alice:old@db/team", "新/密码")) == "新/密码"
    assert (
        without_password("postgresql://alice:s3cret@db:5433/team?sslmode=require")
        == "postgresql://alice@db:5433/team?sslmode=require"
    )
    assert without_password("postgresql://db/team") == "postgresql://db/team"


# Addresses the server refuses ----------------------------------------------------------------------------
def test_a_wrong_password_is_named(postgres_url: str):
    wrong = make_url(postgres_url).set(password="not-the-password").render_as_string(hide_password=False)
    error, seconds = _opening_fails(wrong)
    assert error.failed == "login"
    assert make_url(postgres_url).username in str(error) and "password is wrong" in str(error)
    assert "not-the-password" not in str(error)
    assert seconds < PROMPT_S


def test_an_unknown_database_is_named(postgres_url: str):
    wrong = make_url(postgres_url).set(database="no_such_team").render_as_string(hide_password=False)
    error, seconds = _opening_fails(wrong)
    assert error.failed == "database"
    assert "no_such_team" in str(error) and "has no database" in str(error)
    assert seconds < PROMPT_S


# Schema ----------------------------------------------------------------------------------------------------
def test_a_new_database_gets_the_whole_schema_at_head(postgres_url: str):
    db = open_database(postgres_url, "alice")
    try:
        assert db.is_postgresql and db.path is None
        assert schema_matches_models(db) == []
        assert set(table_names(db)) == set(Base.metadata.tables) | {"alembic_version"}
        with db.engine.connect() as conn:
            # The schema number lives in alembic_version (a server has no user_version).
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == f"{head_version():04d}"
            assert conn.execute(text("SHOW lock_timeout")).scalar() == "5s"
    finally:
        db.dispose()


def _insert_filled(conn: Connection, table_name: str, **values: object) -> int:
    """Insert a row as an older kamdesk would have: every NOT NULL column given a plain value."""
    table = Table(table_name, MetaData(), autoload_with=conn)
    plain = {Integer: 0, Boolean: False, DateTime: dt.datetime(2026, 1, 1), Date: dt.date(2026, 1, 1)}
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        values[column.name] = next((v for t, v in plain.items() if isinstance(column.type, t)), "")
    return int(conn.execute(table.insert().values(**values)).inserted_primary_key[0])


def test_an_older_database_is_upgraded_with_its_data(postgres_url: str):
    """A schema-1 database (before the contact search table) upgrades to head; its contacts become findable."""
    from alembic import command

    engine = create_engine(normalise_url(postgres_url), poolclass=NullPool)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        account = _insert_filled(conn, "accounts", name="中国移动", name_pinyin="zhongguoyidong", name_initials="zgyd")
        _insert_filled(
            conn,
            "contacts",
            name="曾国藩",
            name_pinyin="zengguofan",
            name_initials="zgf",
            account_id=account,
            title="董事长",
        )
    engine.dispose()
    ws = open_workspace(postgres_url, "alice")
    try:
        assert schema_matches_models(ws.db) == []
        # The contact written at schema 1 was indexed by the upgrade; a new one by the trigger.
        account = ws.accounts.page(AccountQuery(), 0, 5)[0].id
        ws.contacts.save(ContactDetail(name="左宗棠", account_id=account, title="董事"))
        assert [i.name for i in ws.contacts.page(ContactQuery(search="zzt"), 0, 5)] == ["左宗棠"]
        assert [i.name for i in ws.contacts.page(ContactQuery(search="zgf"), 0, 5)] == ["曾国藩"]
        assert sorted(i.name for i in ws.contacts.page(ContactQuery(search="中国移动"), 0, 5)) == ["左宗棠", "曾国藩"]
        assert [i.name for i in ws.contacts.page(ContactQuery(search="董事长"), 0, 5)] == ["曾国藩"]
    finally:
        ws.close()
    assert _raw(postgres_url, "SELECT version_num FROM alembic_version") == [(f"{head_version():04d}",)]


def test_a_database_of_a_newer_kamdesk_is_refused_untouched(postgres_url: str):
    open_database(postgres_url, "alice").dispose()
    _raw(postgres_url, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(NewerSchemaError) as caught:
        open_database(postgres_url, "alice")
    assert "9999" in str(caught.value) and "***" in str(caught.value)
    assert _raw(postgres_url, "SELECT version_num FROM alembic_version") == [("9999",)]
    assert _raw(postgres_url, "SELECT count(*) FROM presence") == [(0,)]


def test_another_programs_database_is_refused_untouched(postgres_url: str):
    _raw(postgres_url, "CREATE TABLE songs (title text)")
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(postgres_url, "alice")
    assert "another program" in str(caught.value)
    assert _raw(postgres_url, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()") == [("songs",)]


def test_two_people_opening_an_empty_database_at_once_both_get_it(postgres_url: str):
    opened: list[Database] = []
    errors: list[BaseException] = []

    def open_one(name: str) -> None:
        try:
            opened.append(open_database(postgres_url, name))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_one, args=(name,)) for name in ("alice", "bob", "carol")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert errors == [] and len(opened) == 3
        assert schema_matches_models(opened[0]) == []
    finally:
        for db in opened:
            db.dispose()


def test_read_only_on_request_refuses_saves(postgres_url: str):
    open_database(postgres_url, "alice").dispose()
    db = open_database(postgres_url, "alice", read_only=True)
    try:
        with pytest.raises(ReadOnlyError), db.write() as session:
            session.add(AccountRow(name="x"))
        with db.read() as session:
            assert session.scalars(select(AccountRow)).all() == []
    finally:
        db.dispose()


# The workspace on a server: changes by others, presence, backups -------------------------------------------
def test_others_changes_are_seen_and_backups_are_the_servers_job(postgres_url: str):
    alice = open_workspace(postgres_url, "alice")
    bob = open_workspace(postgres_url, "bob")
    try:
        watcher = ChangeWatcher(alice.db)
        assert watcher.poll() == []
        with bob.db.write() as session:
            session.add(ContactRow(name="曾国藩"))
        entries = watcher.poll()
        assert [(e.by, e.table_name, e.action) for e in entries] == [("bob", "contacts", "insert")]
        assert watcher.poll() == []
        assert {e.user_name for e in alice.presence.others()} == {"bob"}
        assert not alice.backups.available
        with pytest.raises(BackupError, match="server"):
            alice.backups.backup_now()
        assert alice.backups.maybe_backup() is None
    finally:
        bob.close()
        alice.close()


# kamdesk check on a server -----------------------------------------------------------------------------------
def _kamdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LANGUAGE": "en"},
    )


def test_check_reports_on_a_server_database(postgres_url: str):
    password = make_url(postgres_url).password or ""
    empty = check_server(postgres_url)
    assert empty.healthy and empty.tables == 0 and "empty" in empty.problems[0]
    open_database(postgres_url, "alice").dispose()
    run = _kamdesk("check", postgres_url)
    assert run.returncode == 0, run.stderr
    assert f"Schema version: {head_version()}" in run.stdout and "Healthy" in run.stdout
    assert "PostgreSQL" in run.stdout
    assert password not in run.stdout + run.stderr


def test_check_names_what_failed_on_a_wrong_address():
    port = _free_port()
    run = _kamdesk("check", f"postgresql://alice:secret@127.0.0.1:{port}/team")
    assert run.returncode == 1
    assert "Nothing is listening" in run.stdout + run.stderr and "NOT healthy" in run.stdout
    assert "secret" not in run.stdout + run.stderr
