"""Schema creation and upgrade: a new file at head, older files migrated after a verified backup."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, select, text
from storage_helpers import SHORT_BUSY_MS, file_state, lock_is_free, raw_pragma, raw_tables

from kamdesk.storage.database import Database, sqlite_url
from kamdesk.storage.errors import DatabaseBusyError
from kamdesk.storage.migrate import APPLICATION_ID, head_version
from kamdesk.storage.opening import open_database, pragma, schema_matches_models, table_names
from kamdesk.storage.tables import AccountRow, Base, ContactRow, TeamMemberRow

SAVED_FILES = sorted((Path(__file__).parent / "saved_files").glob("schema-*.kamdb"))


def _backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.before-schema-*"))


def _schema_zero_file(path: Path) -> None:
    """A kamdesk file of schema 0: marked as kamdesk's, no tables yet (what came before 0001)."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()


def test_a_new_file_gets_the_whole_schema_at_head(db: Database, db_path: Path):
    assert schema_matches_models(db) == []
    assert set(table_names(db)) == set(Base.metadata.tables) | {"alembic_version"}
    assert pragma(db, "user_version") == head_version()
    assert pragma(db, "application_id") == APPLICATION_ID
    assert pragma(db, "journal_mode") == "delete"
    # The same, read by plain SQLite from the file itself rather than through kamdesk's engine.
    assert raw_pragma(db_path, "user_version") == head_version()
    assert raw_pragma(db_path, "application_id") == APPLICATION_ID
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == f"{head_version():04d}"
    assert _backups(db_path.parent) == []  # nothing to back up in a new file


def test_every_connection_is_safe_for_a_shared_file(db: Database):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "delete"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() > 0


def test_safety_settings_are_set_explicitly_not_left_to_the_sqlite_build(db: Database, db_path: Path):
    # synchronous=FULL is the default of many SQLite builds, not of all: a connection that starts
    # out unsafe (as set by a listener running before kamdesk's) must still end up safe.
    other = Database(sqlite_url(db_path), "bob", path=db_path)
    try:

        def start_unsafe(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.execute("PRAGMA synchronous = OFF")
            dbapi_connection.execute("PRAGMA foreign_keys = OFF")

        event.listen(other.engine, "connect", start_unsafe, insert=True)
        with other.engine.connect() as conn:
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        other.dispose()


def test_schema_check_notices_a_drifted_file(db: Database):
    # schema_matches_models is what the other tests rely on: it must see a real difference.
    with db.write_engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_accounts_city"))
    assert any("ix_accounts_city" in diff for diff in schema_matches_models(db))


def test_schema_zero_file_is_backed_up_then_migrated(db_path: Path):
    _schema_zero_file(db_path)
    assert raw_pragma(db_path, "user_version") == 0
    before = file_state(db_path)

    db = open_database(db_path, "alice")
    try:
        assert schema_matches_models(db) == []
        assert pragma(db, "user_version") == head_version()
        with db.write() as session:
            session.add(AccountRow(name="中国移动"))
    finally:
        db.dispose()

    backups = _backups(db_path.parent)
    assert len(backups) == 1
    backup = backups[0]
    assert backup.name.startswith("team.before-schema-0-") and backup.suffix == ".kamdb"
    # The backup is the file as it was before the upgrade, complete and sound.
    assert raw_pragma(backup, "integrity_check") == "ok"
    assert raw_pragma(backup, "user_version") == 0
    assert raw_pragma(backup, "application_id") == APPLICATION_ID
    assert raw_tables(backup) == set()
    assert file_state(backup).sha256 != file_state(db_path).sha256
    assert before.sha256 != file_state(db_path).sha256
    assert "accounts" in raw_tables(db_path)
    # A backup is made once: opening the migrated file again leaves the folder as it was.
    neighbours = sorted(p.name for p in db_path.parent.iterdir())
    open_database(db_path, "bob").dispose()
    assert sorted(p.name for p in db_path.parent.iterdir()) == neighbours


def test_an_older_file_keeps_its_data_in_backup_and_upgrade(db_path: Path):
    """Data present in an older file survives: both in the backup and in the upgraded file."""
    _schema_zero_file(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE kept_notes (body TEXT)")
    conn.execute("INSERT INTO kept_notes VALUES ('客户 A 的旧笔记')")
    conn.commit()
    conn.close()

    db = open_database(db_path, "alice")
    try:
        with db.read() as session:
            assert session.scalar(text("SELECT body FROM kept_notes")) == "客户 A 的旧笔记"
        assert "accounts" in table_names(db)
    finally:
        db.dispose()
    (backup,) = _backups(db_path.parent)
    assert raw_pragma(backup, "integrity_check") == "ok"
    conn = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT body FROM kept_notes").fetchall() == [("客户 A 的旧笔记",)]
    finally:
        conn.close()


def test_opening_an_up_to_date_file_does_not_import_alembic(tmp_path: Path):
    import subprocess
    import sys

    open_database(tmp_path / "t.kamdb", "alice", create=True).dispose()
    probe = (
        "import sys; from kamdesk.storage.opening import open_database; "
        f"open_database({str(tmp_path / 't.kamdb')!r}, 'bob').dispose(); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_upgrade_holds_the_write_lock_from_its_start(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A deferred BEGIN would read first and ask for the write lock later, which SQLite refuses at
    # once (no waiting) when a second person's kamdesk is upgrading the same file at that moment.
    _schema_zero_file(db_path)
    lock_free_during_upgrade: list[bool] = []
    from alembic import command  # kamdesk imports it only when a file needs migrating

    real_upgrade = command.upgrade

    def watched_upgrade(config: object, revision: str) -> None:
        lock_free_during_upgrade.append(lock_is_free(db_path))
        real_upgrade(config, revision)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "upgrade", watched_upgrade)
    open_database(db_path, "alice").dispose()
    assert lock_free_during_upgrade == [False]
    assert lock_is_free(db_path)


def test_an_old_file_that_someone_is_writing_is_busy_not_broken(
    db_path: Path, raw_lock: Callable[[], sqlite3.Connection]
):
    # Someone holds the write lock while this person's kamdesk wants to upgrade the file: the
    # upgrade waits its turn (BEGIN IMMEDIATE) and then says "busy", never a raw SQLite error.
    _schema_zero_file(db_path)
    holder = raw_lock()
    with pytest.raises(DatabaseBusyError) as caught:
        open_database(db_path, "alice", busy_timeout_ms=SHORT_BUSY_MS)
    assert "busy" in str(caught.value)
    assert raw_tables(db_path) == set()  # nothing of the upgrade was written
    holder.execute("ROLLBACK")
    db = open_database(db_path, "alice", busy_timeout_ms=SHORT_BUSY_MS)
    try:
        assert schema_matches_models(db) == []
    finally:
        db.dispose()


def test_a_file_that_lost_its_user_version_is_upgraded_harmlessly(open_as: Callable[..., Database], db_path: Path):
    # A file at head whose user_version reads 0 (e.g. copied by a tool that drops it): the
    # migration finds Alembic at head, changes nothing, and restores the number.
    open_as("alice").dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    db = open_as("bob")
    assert pragma(db, "user_version") == head_version()
    assert schema_matches_models(db) == []
    (backup,) = _backups(db_path.parent)
    assert raw_pragma(backup, "integrity_check") == "ok"


@pytest.mark.parametrize("saved", SAVED_FILES, ids=[p.stem for p in SAVED_FILES])
def test_saved_files_of_every_schema_open_with_their_data(saved: Path, tmp_path: Path):
    """Files written by earlier kamdesk versions (saved_files/, see make_saved_file.py) still open."""
    path = tmp_path / saved.name
    shutil.copyfile(saved, path)
    saved_version = raw_pragma(path, "user_version")
    assert isinstance(saved_version, int) and 1 <= saved_version <= head_version()
    counts_before = _row_counts(path)

    db = open_database(path, "alice")
    try:
        assert schema_matches_models(db) == []
        assert pragma(db, "user_version") == head_version()
        with db.read() as session:
            account = session.scalars(select(AccountRow)).one()
            assert (account.name, account.value_cents, account.name_initials) == ("中国移动", 123_456_789, "zgyd")
            contact = session.scalars(select(ContactRow)).one()
            assert (contact.name, contact.account_id, contact.birthday_calendar) == ("曾国藩", account.id, "lunar")
            member = session.scalars(select(TeamMemberRow)).one()
            assert (member.name, account.owner_id) == ("单雄信", member.id)
    finally:
        db.dispose()

    counts_after = _row_counts(path)
    if saved_version < 3:  # schema 3 gives every file its own lasting id, kept in settings
        counts_before["settings"] += 1
    assert {t: counts_after.get(t) for t in counts_before} == counts_before
    backups = _backups(tmp_path)
    if saved_version < head_version():
        (backup,) = backups
        assert raw_pragma(backup, "user_version") == saved_version
        assert raw_pragma(backup, "integrity_check") == "ok"
    else:
        assert backups == []


def test_every_schema_version_has_a_saved_file():
    # The file of each schema is saved while it is current (make_saved_file.py), so every later
    # migration is tested on the bytes a real older kamdesk wrote.
    saved = {p.stem for p in SAVED_FILES}
    missing = [f"schema-{v}" for v in range(1, head_version() + 1) if f"schema-{v}" not in saved]
    assert not missing, f"run tests/storage/saved_files/make_saved_file.py to save {missing}"


def _row_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in tables
            if t not in ("alembic_version", "presence")
        }
    finally:
        conn.close()
