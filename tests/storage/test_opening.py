"""Opening files that are not ours, too new, damaged, read-only or in WAL mode: refuse or adapt, never harm."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from storage_helpers import file_state, is_root, raw_pragma

from kamdesk.storage.database import Database
from kamdesk.storage.errors import (
    DamagedFileError,
    DatabaseOpenError,
    MissingFileError,
    NewerSchemaError,
    NotKamdeskError,
    NotSQLiteError,
    ReadOnlyError,
)
from kamdesk.storage.migrate import APPLICATION_ID, head_version
from kamdesk.storage.opening import check_file, open_database, pragma
from kamdesk.storage.tables import AccountRow, SettingRow


def _team_file(open_as: Callable[..., Database], *names: str) -> None:
    """A kamdesk file at head holding one account per name, closed again."""
    db = open_as("alice")
    with db.write() as session:
        session.add_all(AccountRow(name=name) for name in names)
    db.dispose()


def _assert_refused(path: Path, error: type[Exception], *phrases: str, **options: object) -> DatabaseOpenError:
    before = file_state(path)
    with pytest.raises(error) as caught:
        open_database(path, "alice", **options)  # type: ignore[arg-type]
    message = str(caught.value)
    assert str(path) in message
    for phrase in phrases:
        assert phrase in message
    after = file_state(path)
    assert after == before, "a refused file and its folder must stay exactly as they were"
    assert isinstance(caught.value, DatabaseOpenError)
    return caught.value


# A file from a newer kamdesk --------------------------------------------------------------------
def test_a_file_from_a_newer_kamdesk_is_refused_untouched(open_as: Callable[..., Database], db_path: Path):
    _team_file(open_as, "中国移动")
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {head_version() + 1}")
    conn.close()

    error = _assert_refused(db_path, NewerSchemaError, "newer kamdesk", "Update kamdesk", "not changed")
    assert isinstance(error, NewerSchemaError)
    assert (error.found, error.supported) == (head_version() + 1, head_version())
    assert f"schema {head_version() + 1}" in str(error)
    # Asking for read-only does not sneak past the refusal either.
    _assert_refused(db_path, NewerSchemaError, read_only=True)

    before = file_state(db_path)
    report = check_file(db_path)
    assert not report.healthy
    assert report.schema_version == head_version() + 1
    assert any("newer kamdesk" in problem for problem in report.problems)
    assert file_state(db_path) == before


# Files that are not kamdesk's ---------------------------------------------------------------------
def test_random_bytes_are_not_a_database(tmp_path: Path):
    path = tmp_path / "noise.kamdb"
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(8192)))
    _assert_refused(path, NotSQLiteError, "not a database file", "not changed")
    _assert_refused(path, NotSQLiteError, create=True)
    assert not check_file(path).healthy


def test_a_text_file_is_not_a_database(tmp_path: Path):
    path = tmp_path / "客户名单.kamdb"
    path.write_text("中国移动, 北京\nSQLite format 2 is not a header\n", encoding="utf-8")
    _assert_refused(path, NotSQLiteError, "not a database file")
    assert not check_file(path).healthy


def test_another_programs_sqlite_database_is_refused(tmp_path: Path):
    path = tmp_path / "music.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.execute("INSERT INTO songs VALUES ('月亮代表我的心')")
    conn.commit()
    conn.close()
    assert raw_pragma(path, "application_id") == 0
    _assert_refused(path, NotKamdeskError, "another program", "not changed")
    _assert_refused(path, NotKamdeskError, create=True)
    assert not check_file(path).healthy


def test_a_missing_file_is_not_created_unless_asked(tmp_path: Path):
    path = tmp_path / "elsewhere" / "team.kamdb"
    with pytest.raises(MissingFileError) as caught:
        open_database(path, "alice")
    assert "does not exist" in str(caught.value) and str(path) in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # neither the file nor its folder
    report = check_file(path)
    assert not report.healthy and report.problems
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_file_is_refused_untouched(open_as: Callable[..., Database], db_path: Path):
    _team_file(open_as, "中国移动")
    data = bytearray(db_path.read_bytes())
    data[100:4096] = bytes(range(256)) * 15 + bytes(range(156))  # page 1 after the header: the table list
    db_path.write_bytes(bytes(data))
    _assert_refused(db_path, DamagedFileError, "damaged", "restore a backup")
    assert not check_file(db_path).healthy


# A healthy file, as check_file sees it --------------------------------------------------------------
def test_check_file_reports_a_healthy_file(open_as: Callable[..., Database], db_path: Path):
    _team_file(open_as, "中国移动")
    before = file_state(db_path)
    report = check_file(db_path)
    assert report.healthy, report.problems
    assert (report.integrity, report.schema_version, report.application_id) == ("ok", head_version(), APPLICATION_ID)
    assert report.journal_mode == "delete"
    assert file_state(db_path) == before


# Read-only files and folders --------------------------------------------------------------------------
@pytest.fixture
def deny_writes(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make os.access report `path` as not writable: permission bits mean nothing to root."""
    denied: set[Path] = set()
    real_access = os.access

    def fake_access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(os.fspath(path)).absolute() in denied:  # type: ignore[arg-type]
            return False
        return real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", fake_access)
    return lambda path: denied.add(path.absolute())


def _assert_read_only_but_readable(db: Database, *names: str) -> None:
    assert db.read_only
    with db.read() as session:
        assert sorted(session.scalars(select(AccountRow.name))) == sorted(names)
    with pytest.raises(ReadOnlyError) as caught, db.write() as session:
        session.add(AccountRow(name="never saved"))
    assert db.read_only_reason in str(caught.value)
    # The connection itself is read-only too, so nothing can slip past write().
    with pytest.raises(OperationalError, match="readonly"), db.engine.begin() as conn:
        conn.execute(text("UPDATE accounts SET notes = 'x'"))


def test_a_file_that_cannot_be_written_opens_read_only(
    open_as: Callable[..., Database], db_path: Path, deny_writes: Callable[[Path], None]
):
    _team_file(open_as, "中国移动", "华为")
    deny_writes(db_path)
    before = file_state(db_path)
    db = open_as("bob", create=False)
    assert "read-only for you" in db.read_only_reason
    _assert_read_only_but_readable(db, "中国移动", "华为")
    db.dispose()
    assert file_state(db_path) == before


def test_a_folder_that_cannot_be_written_opens_read_only(
    open_as: Callable[..., Database], db_path: Path, deny_writes: Callable[[Path], None]
):
    _team_file(open_as, "中国移动")
    deny_writes(db_path.parent)
    db = open_as("bob", create=False)
    assert "folder" in db.read_only_reason and "journal" in db.read_only_reason
    _assert_read_only_but_readable(db, "中国移动")


@pytest.mark.skipif(is_root(), reason="root writes through permission bits; the os.access tests cover this")
def test_a_file_with_read_only_permissions_opens_read_only(open_as: Callable[..., Database], db_path: Path):
    _team_file(open_as, "中国移动")
    db_path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        db = open_as("bob", create=False)
        assert "read-only for you" in db.read_only_reason
        _assert_read_only_but_readable(db, "中国移动")
    finally:
        db_path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_read_only_on_request(open_as: Callable[..., Database], db_path: Path):
    _team_file(open_as, "中国移动")
    before = file_state(db_path)
    db = open_as("bob", create=False, read_only=True)
    assert "on request" in db.read_only_reason
    _assert_read_only_but_readable(db, "中国移动")
    db.dispose()
    assert file_state(db_path) == before


def test_a_read_only_file_that_needs_an_upgrade_is_refused(db_path: Path, deny_writes: Callable[[Path], None]):
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # schema 0: needs the upgrade
    conn.close()
    deny_writes(db_path)
    _assert_refused(db_path, DatabaseOpenError, "upgraded", "read-only for you")


def test_a_path_with_spaces_and_chinese_opens_read_only_too(tmp_path: Path):
    path = tmp_path / "销售 团队" / "客户 2026.kamdb"
    db = open_database(path, "alice", create=True)
    with db.write() as session:
        session.add(SettingRow(key="k", value_json="1"))
    db.dispose()
    db = open_database(path, "bob", read_only=True)
    try:
        with db.read() as session:
            assert session.get(SettingRow, "k") is not None
    finally:
        db.dispose()


# Journal mode -------------------------------------------------------------------------------------------
def test_a_file_in_wal_mode_is_converted_to_a_rollback_journal(open_as: Callable[..., Database], db_path: Path):
    _team_file(open_as, "中国移动")
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.close()
    assert db_path.read_bytes()[18] == 2  # the header says WAL

    db = open_as("bob")
    assert pragma(db, "journal_mode") == "delete"
    with db.write() as session:
        session.add(AccountRow(name="华为"))
    db.dispose()
    assert db_path.read_bytes()[18] == 1  # legacy (rollback journal) from now on
    assert not db_path.with_name(db_path.name + "-wal").exists()
    assert raw_pragma(db_path, "integrity_check") == "ok"


# Cloud-sync folders ------------------------------------------------------------------------------------
def _plant_presence(path: Path, user: str, host: str, minutes_ago: float) -> None:
    """Another computer's heartbeat in the file, as a synced copy brings it."""
    import datetime as dt

    beat = (dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=minutes_ago)).isoformat(" ")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO presence (session_id, user_name, host, pid, opened_at, heartbeat_at, "
            "heartbeat_count) VALUES (?, ?, ?, 1, ?, ?, 3)",
            (f"s-{user}", user, host, beat, beat),
        )
    conn.close()


def test_a_sync_folder_file_that_others_have_open_opens_read_only(tmp_path: Path):
    path = tmp_path / "Dropbox" / "销售团队" / "team.kamdb"
    db = open_database(path, "alice", create=True)
    db.dispose()
    _plant_presence(path, "王芳", "PC-SHANGHAI-7", minutes_ago=0.5)
    before = file_state(path)
    db = open_database(path, "alice")
    try:
        assert db.read_only
        assert "cloud-sync folder" in db.read_only_reason and "王芳 (PC-SHANGHAI-7)" in db.read_only_reason
        with db.read() as session:
            assert session.scalars(select(AccountRow)).all() == []
        with pytest.raises(ReadOnlyError), db.write() as session:
            session.add(AccountRow(name="x"))
    finally:
        db.dispose()
    assert file_state(path) == before


def test_a_sync_folder_file_nobody_else_has_open_opens_normally(tmp_path: Path):
    import socket

    path = tmp_path / "OneDrive - 公司" / "team.kamdb"
    db = open_database(path, "alice", create=True)
    db.dispose()
    _plant_presence(path, "crashed long ago", "PC-OLD", minutes_ago=90)
    _plant_presence(path, "alice", socket.gethostname(), minutes_ago=0.2)  # this computer: the same copy
    db = open_database(path, "alice")
    try:
        assert not db.read_only, db.read_only_reason
    finally:
        db.dispose()
    # The same folder on a network share is never "sync", whatever is open.
    plain = tmp_path / "share" / "team.kamdb"
    db = open_database(plain, "alice", create=True)
    db.dispose()
    _plant_presence(plain, "王芳", "PC-SHANGHAI-7", minutes_ago=0.5)
    db = open_database(plain, "alice")
    assert not db.read_only
    db.dispose()


# Busy timeouts and URLs ----------------------------------------------------------------------------
def test_the_busy_timeout_is_longer_on_a_network_share_and_a_given_one_wins(tmp_path: Path, monkeypatch):
    from kamdesk.storage import opening
    from kamdesk.storage.database import BUSY_TIMEOUT_MS, NETWORK_BUSY_TIMEOUT_MS
    from kamdesk.storage.locations import LocationKind

    path = tmp_path / "team.kamdb"
    for location, given, expected in [
        (LocationKind.LOCAL, None, BUSY_TIMEOUT_MS),
        (LocationKind.NETWORK, None, NETWORK_BUSY_TIMEOUT_MS),
        (LocationKind.NETWORK, 1234, 1234),
    ]:
        monkeypatch.setattr(opening, "location_kind", lambda _path, kind=location: kind)
        db = open_database(path, "alice", create=True, busy_timeout_ms=given)
        try:
            assert pragma(db, "busy_timeout") == expected, location
        finally:
            db.dispose()


def test_a_sqlite_url_opens_the_file_it_names(tmp_path: Path):
    path = tmp_path / "团队" / "team.kamdb"
    db = open_database(f"sqlite:///{path}", "alice", create=True)
    try:
        assert db.path == path and not db.read_only
    finally:
        db.dispose()
    assert raw_pragma(path, "application_id") == APPLICATION_ID


def test_on_a_file_server_the_open_skips_the_page_by_page_check_and_the_backup_makes_it(
    open_as: Callable[..., Database], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The quick check at open reads every page, one request each on a share: there the daily backup,
    which checks its copy on this computer's disk, finds damage instead."""
    from kamdesk.storage import backups, opening
    from kamdesk.storage.locations import LocationKind

    _team_file(open_as, *(f"客户{i}" for i in range(300)))
    with sqlite3.connect(db_path) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_accounts_name_pinyin'").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db_path.read_bytes())
    # An index page turned to junk (fixed noise; with 64 KB pages the index is one leaf, and an empty page of
    # another b-tree type in its place is not something the quick check looks for).
    junk = bytes((n * 131 + 17) % 256 for n in range(page_size))
    data[(root - 1) * page_size : root * page_size] = junk
    db_path.write_bytes(bytes(data))
    _assert_refused(db_path, DamagedFileError, "damaged")  # on this computer's disk: refused at open

    monkeypatch.setattr(opening, "location_kind", lambda _path: LocationKind.NETWORK)
    db = open_database(db_path, "alice")  # on a share: opens without reading every page …
    db.dispose()
    with pytest.raises(backups.SourceDamagedError):  # … and the backup's check finds the damage
        backups.make_backup(db_path, tmp_path / "backups")
