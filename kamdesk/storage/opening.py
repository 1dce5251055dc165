"""Open, create and migrate a database file or server the safe way, and report on its health."""

from __future__ import annotations

import datetime as dt
import socket
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError

from kamdesk.domain import clock
from kamdesk.domain.models import PresenceEntry
from kamdesk.domain.presence import PRESENCE_STALE_AFTER, PresenceTracker
from kamdesk.i18n import _
from kamdesk.storage import file_check
from kamdesk.storage.backups import damaged_file_error, read_presence
from kamdesk.storage.database import (
    BUSY_TIMEOUT_MS,
    NETWORK_BUSY_TIMEOUT_MS,
    Database,
    FileInfo,
    check_openable,
    describe_people,
    inspect_file,
    is_busy_error,
    recover,
    sqlite_url,
)
from kamdesk.storage.errors import (
    DamagedFileError,
    DatabaseBusyError,
    DatabaseOpenError,
)
from kamdesk.storage.file_check import CheckProgress, StartedCopy
from kamdesk.storage.locations import LocationKind, location_kind
from kamdesk.storage.migrate import head_version, upgrade_to_head
from kamdesk.storage.page_size import converting
from kamdesk.storage.server import is_server_url, open_server

#: Files up to this size get SQLite's quick check at every open (a fraction of a second locally).
OPEN_CHECK_MAX_BYTES = 64 * 1024 * 1024
#: Someone on another computer whose heartbeat is this recent has a file in a sync folder open.
SYNC_PRESENCE_WINDOW = dt.timedelta(minutes=3)


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy a live SQLite database with SQLite's backup API (consistent even while in use)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True, timeout=10)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst)
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if result != "ok":
        destination.unlink(missing_ok=True)
        raise DatabaseOpenError(_("The backup copy failed its integrity check: {detail}").format(detail=result))
    return destination


def _pre_migration_backup(path: Path, from_version: int) -> Path:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return backup_sqlite(path, path.with_name(f"{path.stem}.before-schema-{from_version}-{stamp}{path.suffix}"))


def open_database(
    target: str | Path,
    user_name: str,
    *,
    create: bool = False,
    read_only: bool = False,
    busy_timeout_ms: int | None = None,
) -> Database:
    """Open a kamdesk database (a file path or a database URL), creating or migrating as needed.

    Files that are not kamdesk's, or newer than this version, are refused before a byte is written.
    A file or folder that cannot be written opens read-only with the reason kept on the Database.
    A file another person is writing to for longer than the busy timeout raises DatabaseBusyError.
    """
    target_text = str(target)
    if is_server_url(target_text):
        return open_server(target_text, user_name, read_only=read_only, busy_timeout_ms=busy_timeout_ms)
    path = _file_path(target_text)
    info = _openable_file(path, create)
    kind = location_kind(path)
    reason = _read_only_reason(path, info, kind, read_only)
    timeout = busy_timeout_ms
    if timeout is None:
        timeout = NETWORK_BUSY_TIMEOUT_MS if kind is LocationKind.NETWORK else BUSY_TIMEOUT_MS
    if reason:
        return _open_read_only(path, user_name, info, reason, timeout)
    wal_reason = _wal_in_use_reason(path, info)
    if wal_reason:
        return _open_read_only(path, user_name, info, wal_reason, timeout)
    return _open_writable(path, user_name, info, timeout)


def _file_path(target_text: str) -> Path:
    """The absolute path of a database file named by a path or a sqlite:// URL."""
    if target_text.startswith("sqlite"):
        path = Path(make_url(target_text).database or "")
    else:
        path = Path(target_text).expanduser()
    return path.absolute()


def _openable_file(path: Path, create: bool) -> FileInfo:
    """What is known of the file at `path` once it is found fit to open: made ready when new, recovered when
    a save was cut short; a file that is not kamdesk's, is newer or is damaged raises instead."""
    info = inspect_file(path)
    # Only a file that does not exist yet, asked for as a new one, becomes a new team database: an
    # existing empty file is refused like a damaged one (a team file that lost its bytes).
    new_file = not info.exists and create
    if not info.exists:
        if not create:
            check_openable(info, head_version())
        path.parent.mkdir(parents=True, exist_ok=True)
        info = FileInfo(path=path, exists=True, writable=True)
    if info.needs_recovery:
        _recover_cut_short_save(path, info)
        info = inspect_file(path)
    if info.busy:
        raise converting(path) or DatabaseBusyError()
    try:
        check_openable(info, head_version(), allow_empty=new_file)
    except DamagedFileError as exc:
        raise damaged_file_error(exc) from None
    return info


def _recover_cut_short_save(path: Path, info: FileInfo) -> None:
    """Roll back the journal a crashed writer left, or say why it cannot be done from here."""
    if not info.writable:
        raise DatabaseOpenError(
            _(
                "A save to {path} was cut short (the program or computer stopped). It is recovered the next time "
                "someone who can write to its folder opens it; until then it cannot be read. It was not changed."
            ).format(path=path)
        )
    try:
        recover(path)
    except sqlite3.OperationalError as exc:
        if is_busy_error(exc):
            raise DatabaseBusyError() from exc
        raise


def _read_only_reason(path: Path, info: FileInfo, kind: LocationKind, read_only: bool) -> str:
    """Why the file opens read-only (asked for, not writable, or shared through a sync folder), or ""."""
    if read_only:
        return _("it was opened read-only on request")
    if not info.writable:
        return info.read_only_reason
    if kind is LocationKind.SYNC_FOLDER and not info.is_empty:
        return _sync_folder_reason(path)
    return ""


def _open_read_only(path: Path, user_name: str, info: FileInfo, reason: str, timeout: int) -> Database:
    """A read-only Database on the file, refused when it would first need setting up or upgrading."""
    if info.is_empty or info.user_version < head_version():
        raise DatabaseOpenError(
            _("{path} cannot be opened: it needs to be set up or upgraded, but {reason}.").format(
                path=path, reason=reason
            )
        )
    db = Database(
        sqlite_url(path, read_only=True),
        user_name,
        path=path,
        read_only=True,
        read_only_reason=reason,
        busy_timeout_ms=timeout,
    )
    _refuse_if_damaged(db, info)
    return db


def _open_writable(path: Path, user_name: str, info: FileInfo, timeout: int) -> Database:
    """A writable Database on the file, checked, backed up before a migration, then set up or upgraded."""
    db = Database(sqlite_url(path), user_name, path=path, busy_timeout_ms=timeout)
    try:
        _refuse_if_damaged(db, info)
        if not info.is_empty and info.user_version < head_version():
            _pre_migration_backup(path, info.user_version)
        _prepare_sqlite(db, info)
    except (sqlite3.OperationalError, OperationalError) as exc:
        # The engine holds connections to the file; none may outlive a failed open.
        db.dispose()
        if is_busy_error(exc):
            raise (converting(path) or DatabaseBusyError(db.current_writer())) from exc
        raise
    except BaseException:
        db.dispose()
        raise
    return db


def _wal_in_use_reason(path: Path, info: FileInfo) -> str:
    """Why a file found in WAL mode opens read-only: others have it open, judged by their heartbeats, or "".

    Switching it to a rollback journal is safe only with the file to ourselves, and SQLite's own lock cannot
    tell: its WAL locks live in shared memory, which other computers on a share do not see, so the switch
    would succeed under a colleague's feet. So their presence entries decide, by the heartbeat rule of
    domain/presence.py: at first sight everyone is taken as live unless their last beat is too old for any
    clock error. Writing to a WAL file from two computers could damage it; opening it read-only loses nothing,
    and the next open after they have closed it converts it.
    """
    if info.journal_mode != "wal":
        return ""
    tracker = PresenceTracker(PRESENCE_STALE_AFTER)
    others = tracker.live(read_presence(path), time.monotonic(), clock.utc_now())
    if not others:
        return ""
    return _(
        "it is in WAL journal mode, which does not work when computers share a file, and {who} has it open, so "
        "it cannot be switched to the safe mode now; opening it read-only keeps everyone's work safe. Open it "
        "again once they have closed it. If their kamdesk stopped, 'kamdesk check FILE --clear-crashed' "
        "clears their entry"
    ).format(who=describe_people(others))


def _sync_folder_reason(path: Path) -> str:
    """Why a file in a cloud-sync folder must open read-only: someone on another computer has it open.

    A sync service copies whole files between computers, so two people saving into their own copies
    would overwrite each other. Others on this same computer share this copy, so they do not count.
    """
    now = clock.utc_now()
    here = socket.gethostname()
    others = [e for e in read_presence(path) if e.host != here and now - e.heartbeat_at <= SYNC_PRESENCE_WINDOW]
    if not others:
        return ""
    who = ", ".join(sorted({f"{e.user_name} ({e.host})" for e in others}))
    return _(
        "it is in a cloud-sync folder and {who} also has it open on another computer; sync services copy "
        "whole files, so two people saving at once would overwrite each other's work. Ask them to close "
        "it, or move the file to a network share"
    ).format(who=who)


def _refuse_if_damaged(db: Database, info: FileInfo) -> None:
    """SQLite's quick check at open, for small files on this computer's own disks.

    Larger files, and any file on a file server (where the check reads every page with one request
    each: 19 s for 65 MB on an office LAN, minutes over a VPN), are checked by the daily backup instead,
    which checks its copy in full on this computer's disk (storage/backups.py).
    """
    if info.is_empty or info.size > OPEN_CHECK_MAX_BYTES or location_kind(info.path) is LocationKind.NETWORK:
        return
    try:
        with db.engine.connect() as conn:
            result = "; ".join(str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall())
    except DatabaseError as exc:
        if is_busy_error(exc) or "readonly" in str(exc).lower():
            return  # someone is writing, or a crashed writer's journal awaits a writable open: not damage
        result = str(exc.orig) if exc.orig is not None else str(exc)
    if result != "ok":
        db.dispose()
        raise damaged_file_error(DamagedFileError(str(info.path), result))


def _prepare_sqlite(db: Database, info: FileInfo) -> None:
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        # Rollback journal is the only mode that works across machines. Converting a WAL file
        # needs it to ourselves, so a busy WAL file stays as it is until it can be converted.
        try:
            raw.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.OperationalError:
            if info.journal_mode != "wal":
                raise
    if info.is_empty or info.user_version < head_version():
        # BEGIN IMMEDIATE: a second person opening the old file at the same moment waits for this
        # upgrade (then finds it done) instead of failing at once on a lock it cannot upgrade.
        upgrade_to_head(db.write_engine)


@dataclass(frozen=True)
class HealthReport:
    path: Path
    healthy: bool
    problems: tuple[str, ...]
    integrity: str
    schema_version: int
    supported_version: int
    application_id: int
    journal_mode: str
    location: str
    writable: bool
    #: Every presence entry in the file, fresh or stale (the observer judges by its own clock).
    sessions: tuple[PresenceEntry, ...] = ()
    #: How the check was made when not the usual way (e.g. read in place: no room for a local copy).
    notes: tuple[str, ...] = ()
    #: False when the integrity check could not run (a writer held the file): not healthy, not known damaged.
    checked: bool = True


def check_file(
    path: str | Path,
    progress: CheckProgress | None = None,
    lock_timeout_s: float | None = None,
    started: StartedCopy | None = None,
) -> HealthReport:
    """Integrity, schema version, application id and journal mode of a file, read-only.

    The integrity check runs on a snapshot in the temporary folder (storage/file_check.py): on a file server
    that reads the file in large requests instead of page by page. `progress` hears how far it is; `started`
    is the snapshot `file_check.start_copy` started for this file, used or discarded here."""
    info = inspect_file(path)
    problems: list[str] = []
    integrity = ""
    checked = file_check.IntegrityResult("")
    try:
        check_openable(info, head_version())
    except DamagedFileError as exc:
        problems.append(str(damaged_file_error(exc)))
    except DatabaseOpenError as exc:
        problems.append(str(exc))
    if info.needs_recovery:
        problems.append(
            _(
                "A save was cut short and its journal awaits recovery: opening the file with kamdesk "
                "(with write access) completes it."
            )
        )
    if not problems:
        checked = file_check.check_integrity(info, progress, lock_timeout_s, started)
        integrity = checked.integrity
        if checked.problem:
            problems.append(checked.problem)
        elif integrity != "ok":
            problems.append(str(damaged_file_error(DamagedFileError(str(info.path), integrity))))
        if info.user_version < head_version():
            problems.append(
                _("Schema {found} is older than {supported}; it will be upgraded (after a backup) when opened.").format(
                    found=info.user_version, supported=head_version()
                )
            )
    elif started is not None:
        started.discard()
    blocking = [p for p in problems if not p.startswith(_("Schema"))]
    return HealthReport(
        path=info.path,
        healthy=not blocking,
        problems=tuple(problems),
        integrity=integrity,
        schema_version=info.user_version,
        supported_version=head_version(),
        application_id=info.application_id,
        journal_mode=info.journal_mode,
        location=location_kind(info.path).value if info.exists else "",
        writable=info.writable,
        sessions=checked.sessions,
        notes=checked.notes,
        checked=not checked.problem,
    )


def schema_matches_models(db: Database) -> list[str]:
    """Differences between the live schema and the table models (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kamdesk.storage.tables import Base

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return [repr(d) for d in compare_metadata(context, Base.metadata)]


def table_names(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return sorted(inspect(conn).get_table_names())


def pragma(db: Database, name: str) -> object:
    with db.engine.connect() as conn:
        return conn.execute(text(f"PRAGMA {name}")).scalar()
