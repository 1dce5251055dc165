"""Opening a kamdesk database safely: file checks, SQLite settings, units of work, change log."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import QueuePool

from kamdesk.domain import clock
from kamdesk.domain.models import PresenceEntry
from kamdesk.domain.presence import PRESENCE_STALE_AFTER, PresenceTracker
from kamdesk.i18n import _
from kamdesk.storage import file_head
from kamdesk.storage.errors import (
    ConflictError,
    DamagedFileError,
    DatabaseBusyError,
    FileClosingError,
    MissingFileError,
    NewerSchemaError,
    NotAFileError,
    NotKamdeskError,
    NotSQLiteError,
    ReadOnlyError,
    StorageError,
)
from kamdesk.storage.migrate import APPLICATION_ID
from kamdesk.storage.tables import ChangeLogRow, PresenceRow, Versioned, utcnow

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5_000
NETWORK_BUSY_TIMEOUT_MS = 20_000
#: How long each attempt to connect to a database server may take before it is reported unreachable
#: (libpq makes two when the server might speak SSL).
CONNECT_TIMEOUT_S = 3
#: SQLite's page cache per connection (KiB; its default is 2,000). A read that visits rows in index order
#: reads the table's pages at random, and once they no longer fit the cache it reads them again: on a file
#: server every page is a request. Through slowshare on the large demo, 16 MiB cut the agenda from 6,673
#: requests to 3,939 and the dashboard's account figures from 46,148 to 19,063 (issue 24). Pages are only
#: held once read, so a small file costs no more memory than before.
PAGE_CACHE_KIB = 16_384
#: The page size of team files (bytes; SQLite's default is 4,096). On a file server every page read is one
#: request, so larger pages cut the requests a read makes: through slowshare on the large demo (LAN, cache
#: off) the dashboard's figures took 9,970 requests and 13.6 s with 4 KB pages, 655 and 2.6 s with 64 KB ones,
#: a contact search read 804 requests against 61, and a save cost 1.29 against 1.05 times plain SQLite's.
#: New files get it at their first table; an existing file gets it when it is compacted (VACUUM), which the
#: window does once by itself when nobody else has the file open (storage/page_size.py).
#: Compatibility: the page size is a property of the file SQLite reads from its header; it changes no table
#: and no schema version, so every kamdesk that reads schema 6 (any SQLite since 3.7) opens a file with
#: 64 KB pages. Downgrade: nothing to do; to go back to 4 KB pages, `PRAGMA page_size=4096; VACUUM` in
#: the sqlite3 shell while nobody has the file open.
TEAM_PAGE_SIZE = 65_536
#: How long a busy message may wait to read who else has the file open (it has waited out the busy timeout once).
PRESENCE_READ_TIMEOUT_S = 0.5
#: Session.info key: the versioned rows of the latest flush and the versions they were based on.
_FLUSHED_VERSIONS = "kamdesk_flushed_versions"
#: After interrupt(), what still runs on the file is interrupted again this often (seconds), for at most this long.
INTERRUPT_EVERY_S = 0.02
QUIET_INTERRUPT_EVERY_S = 0.25
KEEP_INTERRUPTING_S = 60.0
#: How long closing waits for each idle connection's close (seconds); what is left is closed as the process ends.
CLOSE_WAIT_S = 2.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileInfo:
    """What can be learnt about a database file without changing a byte of it."""

    path: Path
    exists: bool
    size: int = 0
    is_sqlite: bool = False
    application_id: int = 0
    user_version: int = 0
    journal_mode: str = ""
    table_count: int = 0
    writable: bool = False
    read_only_reason: str = ""
    #: A writer died mid-save and left a hot journal: only a connection that can write may roll it back.
    needs_recovery: bool = False
    #: The path names a folder (or something else that is not a regular file).
    not_a_file: bool = False
    #: Someone holds the file locked for longer than a look at its table list may wait (a long VACUUM).
    busy: bool = False

    @property
    def is_empty(self) -> bool:
        """True for a file that holds no database yet (0 bytes, or SQLite without a single table)."""
        if self.needs_recovery or self.not_a_file:
            return False
        return self.exists and (
            self.size == 0 or (self.is_sqlite and self.table_count == 0 and self.application_id == 0)
        )


def _read_only_reason(path: Path) -> str:
    if path.exists() and not os.access(path, os.W_OK):
        return _("the file cannot be written (it is read-only for you)")
    folder = path.parent if path.parent != Path("") else Path(".")
    if not os.access(folder, os.W_OK):
        return _("the folder it is in cannot be written, so SQLite cannot keep its journal there")
    return ""


def inspect_file(path: str | Path) -> FileInfo:
    """Read the header and pragmas of a file in read-only mode; never modifies it."""
    path = Path(path)
    if not path.exists():
        return FileInfo(path=path, exists=False, writable=os.access(path.parent or Path("."), os.W_OK))
    if not path.is_file():
        return FileInfo(path=path, exists=True, not_a_file=True)
    size = path.stat().st_size
    reason = _read_only_reason(path)
    base = FileInfo(path=path, exists=True, size=size, writable=not reason, read_only_reason=reason)
    if size == 0:
        return base
    header = file_head.read_head(path)  # never closes a descriptor this process's SQLite relies on
    if not header.startswith(SQLITE_HEADER):
        return base
    # The header holds user_version at offset 60 and application_id at offset 68 (big-endian).
    user_version = int.from_bytes(header[60:64], "big")
    application_id = int.from_bytes(header[68:72], "big")
    journal = "wal" if header[18] == 2 else "delete"
    tables = 0
    needs_recovery = busy = False
    try:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=2)
        try:
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        needs_recovery = getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK"
        busy = is_busy_error(exc)  # locked is not damaged: the opener says who holds it
        tables = 0 if needs_recovery or busy else -1
    return replace(
        base,
        is_sqlite=True,
        application_id=application_id,
        user_version=user_version,
        journal_mode=journal,
        table_count=tables,
        needs_recovery=needs_recovery,
        busy=busy,
    )


def recover(path: Path) -> None:
    """Let SQLite roll back a crashed writer's hot journal (any read on a writable connection does)."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def check_openable(info: FileInfo, supported_version: int, *, allow_empty: bool = False) -> None:
    """Raise the error that explains why this file must not be opened, if any.

    An existing empty file is refused like a damaged one (a team file that lost its bytes must not
    become a new, empty team file); only a file kamdesk has just created itself may be empty.
    """
    path = str(info.path)
    if not info.exists:
        raise MissingFileError(path)
    if info.not_a_file:
        raise NotAFileError(path)
    if info.is_empty:
        if allow_empty:
            return
        raise DamagedFileError(path, empty_file_detail(info))
    if not info.is_sqlite:
        raise NotSQLiteError(path)
    if info.table_count < 0:
        raise DamagedFileError(path, _("its table list cannot be read"))
    if info.application_id != APPLICATION_ID:
        raise NotKamdeskError(path)
    if info.user_version > supported_version:
        raise NewerSchemaError(path, info.user_version, supported_version)


def empty_file_detail(info: FileInfo) -> str:
    """Why an existing empty file is not a team file, and what to do when it was meant to be a new one."""
    if info.size == 0:
        return _(
            "the file is empty (0 bytes) and holds no kamdesk data; if it is meant to be a new team file, "
            "delete it and choose New team file"
        )
    return _(
        "the file is an empty SQLite database that holds no kamdesk data; if it is meant to be a new team "
        "file, delete it and choose New team file"
    )


def sqlite_url(path: str | Path, read_only: bool = False) -> str:
    path = Path(path).resolve()
    if read_only:
        return f"sqlite:///{path.as_uri()}?mode=ro&uri=true"
    return f"sqlite:///{path}"


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cursor.execute("PRAGMA synchronous = FULL")
            # Takes effect at a new file's first table, and at a VACUUM (compact); else nothing changes.
            cursor.execute(f"PRAGMA page_size = {TEAM_PAGE_SIZE}")
        # After the page size: SQLite turns a cache given in KiB into pages by the page size it knows then, and
        # keeps that number of pages when a new file's page size changes at its first table. Sized before, the
        # connections that made a new file cached 16,384 KiB / 4 KiB = 4,096 pages of 64 KB: 256 MB, and an
        # import of 767,371 rows into a new team file grew by some 290 MB (issue 23).
        cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("kamdesk_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def _configure_postgresql(engine: Engine, lock_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The busy timeout's counterpart: a save waiting longer than this for a row someone else is
        # saving gives up with a clear "busy" message instead of waiting without end.
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET lock_timeout = {int(lock_timeout_ms)}")
        cursor.close()
        dbapi_connection.commit()


def is_busy_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return (
        "database is locked" in text
        or "database is busy" in text
        # PostgreSQL: a row lock not granted within lock_timeout, or two saves that waited on each other.
        or "lock timeout" in text
        or "deadlock detected" in text
    )


class Database:
    """An open kamdesk database: hands out units of work and records who changed what."""

    def __init__(
        self,
        url: str,
        user_name: str,
        *,
        path: Path | None = None,
        read_only: bool = False,
        read_only_reason: str = "",
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        self.url = url
        self.path = path
        self.user_name = user_name
        self.host = socket.gethostname()
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self.session_id = uuid.uuid4().hex
        #: Who else is live, judged by their heartbeat counters on this machine's steady clock; shared
        #: with the window's presence display so a busy message names the same people it shows.
        self.presence_tracker = PresenceTracker(PRESENCE_STALE_AFTER)
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.is_postgresql = parsed.get_backend_name() == "postgresql"
        connect_args: dict[str, Any] = {}
        if self.is_sqlite:
            connect_args["timeout"] = busy_timeout_ms / 1000
            connect_args["check_same_thread"] = False
        elif self.is_postgresql and "connect_timeout" not in parsed.query:
            # An unreachable server fails within seconds with a message, instead of hanging the window.
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
        self.engine = create_engine(url, connect_args=connect_args, pool_pre_ping=not self.is_sqlite)
        if self.is_sqlite:
            _configure_sqlite(self.engine, busy_timeout_ms, read_only)
        elif self.is_postgresql:
            _configure_postgresql(self.engine, busy_timeout_ms)
        self._write_engine = self.engine.execution_options(kamdesk_write=True)
        # A read is one consistent snapshot, as a read transaction on SQLite is (PostgreSQL's default,
        # READ COMMITTED, would let each statement of one read see a different state).
        read_engine = (
            self.engine.execution_options(isolation_level="REPEATABLE READ") if self.is_postgresql else self.engine
        )
        self._read_sessions = sessionmaker(bind=read_engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(bind=self._write_engine, expire_on_commit=False)
        event.listen(self._write_sessions, "before_flush", self._stamp_rows)
        event.listen(self._write_sessions, "after_flush", self._log_changes)
        #: The DB-API connections in use right now, so that closing the window can interrupt them.
        self._in_use: set[Any] = set()
        self._in_use_lock = threading.Lock()
        self._closing = False
        #: Set on the thread making the one write allowed after interrupt() (`farewell`).
        self._farewell = threading.local()
        #: The connection that write took: never interrupted.
        self._farewell_connection: Any = None
        self._disposed = False
        #: Set while this process holds the whole file for a long job (the page-size conversion): a busy
        #: error raised meanwhile says so, instead of blaming someone else's save.
        self.held_for: Callable[[], StorageError] | None = None
        #: The read that `read_together` opened on each thread, which every `read()` inside it joins.
        self._together = threading.local()
        event.listen(self.engine, "checkout", self._checked_out)
        event.listen(self.engine, "checkin", self._checked_in)
        #: A read-only descriptor of the file kept while this database is open: header reads go
        #: through it, never closing one of the file's descriptors under SQLite's locks (file_head).
        self._head_fd = file_head.hold(path) if self.is_sqlite and path is not None else None

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return self.path.name
        return make_url(self.url).render_as_string(hide_password=True)

    # Units of work -------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (a consistent snapshot; never takes the write lock).

        Inside `read_together` on the same thread it joins that read instead of starting its own."""
        joined = getattr(self._together, "session", None)
        if joined is not None:
            try:
                yield joined
            except OperationalError as exc:  # said as a standalone read would say it
                if is_busy_error(exc):
                    raise self.busy_error() from exc
                raise
            return
        self._refuse_when_closing()
        session = self._read_sessions()
        try:
            yield session
            session.rollback()
        except OperationalError as exc:
            session.rollback()
            if is_busy_error(exc):
                raise self.busy_error() from exc
            raise
        finally:
            session.close()

    @contextmanager
    def read_together(self) -> Iterator[None]:
        """Every read made inside this block on this thread is one unit of work (one snapshot).

        A screen that asks several services for what it shows would otherwise start one transaction
        for each, and on a file server each costs its lock, journal-check and unlock requests (issue 24:
        a contact card took 12). No write may start inside: it would wait on this very read's lock."""
        if getattr(self._together, "session", None) is not None:
            yield  # already inside one: join it
            return
        with self.read() as session:
            self._together.session = session
            try:
                yield
            finally:
                self._together.session = None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One short write transaction (BEGIN IMMEDIATE on SQLite), committed on success."""
        if getattr(self._together, "session", None) is not None:
            raise RuntimeError("a write cannot start inside read_together: it would wait on that read's lock")
        if self.read_only:
            raise ReadOnlyError(self.read_only_reason or _("it was opened read-only"))
        self._refuse_when_closing()
        session = self._write_sessions()
        try:
            yield session
            session.commit()
        except StaleDataError as exc:
            # The flush found a row whose version moved on; name it, and who moved it, for the person.
            session.rollback()
            raise self._conflict(session.info.get(_FLUSHED_VERSIONS, [])) from exc
        except OperationalError as exc:
            session.rollback()
            if is_busy_error(exc):
                raise self.busy_error() from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @property
    def write_engine(self) -> Engine:
        """The engine whose transactions start with BEGIN IMMEDIATE (migrations use it too)."""
        return self._write_engine

    def _conflict(self, suspects: list[tuple[type[Any], tuple[Any, ...], int | None]]) -> ConflictError:
        """The ConflictError for a failed flush: the first row whose stored version differs."""
        try:
            with self.read() as session:
                for cls, identity, version in suspects:
                    current = session.get(cls, identity)
                    if current is None or current.version != version:
                        return conflict_error(current, table=cls.__table__.name, row_id=_row_id(identity))
        except (OperationalError, DatabaseBusyError):
            pass  # the conflict is certain; only its details are missing
        if suspects:
            cls, identity, _version = suspects[0]
            return ConflictError(cls.__table__.name, _row_id(identity))
        return ConflictError("", "")

    @contextmanager
    def farewell(self) -> Iterator[Session]:
        """The one write a closing window still makes after interrupt(): taking its presence entry away, so
        colleagues do not see it live (and wait on it for a restore, an erase or a conversion)."""
        self._farewell.active = True  # this write must go through: the interrupting spares its connection
        try:
            with self.write() as session:
                yield session
        finally:
            self._farewell.active = False

    def busy_error(self) -> StorageError:
        """The error for a file found busy: the long job this process runs on it, or another kamdesk's conversion
        of it (named in the backup lock), else who else has it open."""
        held_for = self.held_for
        if held_for is not None:
            return held_for()
        if self.is_sqlite and self.path is not None:
            from kamdesk.storage.page_size import converting  # it imports this module

            try:
                elsewhere = converting(self.path)
            except OSError:
                elsewhere = None
            if elsewhere is not None:
                return elsewhere
        return DatabaseBusyError(self.current_writer())

    def current_writer(self) -> str:
        """Who else has the file open now ("" when nobody is known to): whoever holds it busy is among them.

        Read from the presence table and judged live by heartbeat counters as the window judges them
        (domain/presence.py), never by comparing clocks. The lock itself does not say who holds it, so this
        names everyone else who is live, not a guess at one of them.
        """
        try:
            entries = self._presence_now()
        except Exception:  # noqa: BLE001 - the busy message must come out even when presence cannot be read
            return ""
        live = self.presence_tracker.live(entries, time.monotonic(), clock.utc_now())
        return describe_people([e for e in live if e.session_id != self.session_id])

    def _presence_now(self) -> list[PresenceEntry]:
        """The presence table as it is, read without waiting long on the lock that made the file busy."""
        row = PresenceRow
        if self.is_sqlite and self.path is not None:
            raw = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True, timeout=PRESENCE_READ_TIMEOUT_S)
            try:
                rows = raw.execute(
                    "SELECT session_id, user_name, host, opened_at, heartbeat_at, heartbeat_count FROM presence"
                ).fetchall()
            finally:
                raw.close()
            return [PresenceEntry(r[0], r[1], r[2], _parse_utc(r[3]), _parse_utc(r[4]), int(r[5] or 0)) for r in rows]
        with self.engine.connect() as conn:
            result = conn.execute(
                select(row.session_id, row.user_name, row.host, row.opened_at, row.heartbeat_at, row.heartbeat_count)
            )
            return [PresenceEntry(r[0], r[1], r[2], r[3], r[4], int(r[5] or 0)) for r in result]

    # Change log ----------------------------------------------------------------------------
    def _stamp_rows(self, session: Session, _context: Any, _instances: Any) -> None:
        # A failed flush expires its rows, so note now which versions this flush is based on.
        session.info[_FLUSHED_VERSIONS] = _versioned_in_flush(session)
        now = utcnow()
        for obj in list(session.new) + list(session.dirty):
            if isinstance(obj, Versioned) and (obj in session.new or session.is_modified(obj)):
                obj.updated_at = now
                obj.updated_by = self.user_name
                if obj in session.new and obj.created_at is None:
                    obj.created_at = now  # else the column default, read later, would postdate updated_at

    def _log_changes(self, session: Session, _context: Any) -> None:
        rows: list[dict[str, Any]] = []
        now = utcnow()
        skip = {"version", "updated_at", "updated_by", "created_at"}
        for action, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
            for obj in objects:
                if isinstance(obj, ChangeLogRow | PresenceRow):
                    continue
                state = inspect(obj)
                mapper = state.mapper
                changes: dict[str, Any] = {}
                for attr in mapper.column_attrs:
                    if attr.key in skip:
                        continue
                    hist = state.attrs[attr.key].history
                    if action == "update" and not hist.has_changes():
                        continue
                    if action == "insert":
                        value = getattr(obj, attr.key)
                        if value in (None, "", False):
                            continue
                        changes[attr.key] = _jsonable(value)
                    elif action == "update":
                        old = hist.deleted[0] if hist.deleted else None
                        new = hist.added[0] if hist.added else None
                        changes[attr.key] = [_jsonable(old), _jsonable(new)]
                if action == "update" and not changes:
                    continue
                identity = state.identity or mapper.primary_key_from_instance(obj)
                row_id = _row_id(tuple(identity))
                rows.append(
                    dict(
                        at=now,
                        by=self.user_name,
                        host=self.host,
                        table_name=mapper.local_table.name,
                        row_id=row_id,
                        action=action,
                        changes_json=json.dumps(changes, ensure_ascii=False, sort_keys=True),
                    )
                )
        if rows:
            session.connection().execute(insert(ChangeLogRow), rows)

    # Lifecycle -----------------------------------------------------------------------------
    def _checked_out(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        with self._in_use_lock:
            self._in_use.add(dbapi_connection)
            if getattr(self._farewell, "active", False):
                self._farewell_connection = dbapi_connection  # the one write that must go through

    def _checked_in(self, dbapi_connection: Any, _record: Any) -> None:
        with self._in_use_lock:
            self._in_use.discard(dbapi_connection)
            if dbapi_connection is self._farewell_connection:
                self._farewell_connection = None

    def _stopping(self) -> bool:
        return self._closing and not getattr(self._farewell, "active", False)

    @property
    def closing(self) -> bool:
        """True once interrupt() was called: the window is closing and no new work should start."""
        return self._closing

    def _refuse_when_closing(self) -> None:
        if self._stopping():
            raise FileClosingError(_("The team file is being closed."))

    def interrupt(self) -> None:
        """The window is closing: stop every statement running on this database now, and start no more.

        On a file server a background read can take minutes; closing must not wait for it. Each
        interrupted statement ends with an error in its own thread (nobody is told of it any more), and
        its transaction rolls back, so nothing is half-written.
        """
        self._closing = True
        self._stop_running()
        # SQLite's interrupt stops only the statements running now, and a read begun before may start its next
        # statement later: keep interrupting what runs (all but the farewell write) for a while. (Not a progress
        # handler: that calls into Python every few thousand steps of every read, some 5,000 times a second,
        # and each call takes the interpreter from the GUI thread; storage/stop_watch.py.)
        if self.is_sqlite:
            threading.Thread(target=self._keep_interrupting, name="kamdesk-interrupt", daemon=True).start()

    def _stop_running(self) -> None:
        """Interrupt every connection in use but the farewell's."""
        with self._in_use_lock:  # the farewell's connection is marked under this lock as it is taken
            connections = [c for c in self._in_use if c is not self._farewell_connection]
        for connection in connections:
            stop = getattr(connection, "interrupt", None) or getattr(connection, "cancel", None)
            if stop is None:
                continue
            try:
                stop()
            except Exception:  # noqa: BLE001, S110 - a connection closing meanwhile has nothing left to stop
                pass

    def _keep_interrupting(self) -> None:
        """For KEEP_INTERRUPTING_S: a statement started after interrupt() stops within INTERRUPT_EVERY_S. Not
        only until nothing runs: a read's unit of work takes its connection at its first statement, which may
        come after the farewell."""
        deadline = time.monotonic() + KEEP_INTERRUPTING_S
        while self._closing and time.monotonic() < deadline:
            # Once disposed with nothing running, only a straggler's late first statement is left to catch.
            quiet = self._disposed and not self.in_use()
            time.sleep(QUIET_INTERRUPT_EVERY_S if quiet else INTERRUPT_EVERY_S)  # not a wait: libfaketime (CI)
            self._stop_running()

    def change_counter(self) -> int | None:
        """The file's change counter (it moves at every commit), read in one request through the kept
        descriptor; None on a server, for a WAL file, or when the file cannot be read."""
        if not self.is_sqlite or self.path is None:
            return None
        with self._in_use_lock:
            if self._head_fd is None:
                self._head_fd = file_head.hold(self.path)
            fd = self._head_fd
        return None if fd is None else file_head.change_counter(fd)

    def in_use(self) -> bool:
        """Whether a connection of this database is checked out now (a read or save under way on some thread)."""
        with self._in_use_lock:
            return bool(self._in_use)

    def dispose(self) -> None:
        self._disposed = True
        self._close_idle_together()
        self.engine.dispose()
        with self._in_use_lock:
            busy = bool(self._in_use)
            fd, self._head_fd = (None, self._head_fd) if busy else (self._head_fd, None)
        # A connection still in use (an interrupted read on a worker) still holds its lock: closing the
        # kept descriptor now would drop it, so it then stays open until the process ends.
        file_head.release(fd)

    def _close_idle_together(self) -> None:
        """Close the pool's idle connections each on its own thread, all at once. On a file server a close is
        a few requests (the flush, the file's attributes, the lock's release): one after another, the four a
        window had open took 170-260 ms of its closing over the VPN setting (issue 24)."""
        pool = self.engine.pool
        idle = pool.checkedin() if self.is_sqlite and isinstance(pool, QueuePool) else 0
        if idle < 2:
            return

        def close_one() -> None:
            try:
                taken = pool.connect()
            except Exception:  # noqa: BLE001 - engine.dispose() below closes whatever is left
                log.debug("taking an idle connection to close failed", exc_info=True)
                return
            connection = taken.dbapi_connection
            try:
                taken.invalidate()  # closed, never handed back to the pool (so no checkin says it is free)
            except Exception:  # noqa: BLE001 - closed as the process ends
                log.debug("closing an idle connection failed", exc_info=True)
            with self._in_use_lock:
                self._in_use.discard(connection)

        closers = [threading.Thread(target=close_one, name="kamdesk-close", daemon=True) for _ in range(idle)]
        for closer in closers:
            closer.start()
        for closer in closers:
            closer.join(CLOSE_WAIT_S)


def conflict_error(current: Versioned | None, *, table: str = "", row_id: object = None) -> ConflictError:
    """The ConflictError describing `current`, the row as it is now (None: deleted meanwhile)."""
    if current is None:
        return ConflictError(table, row_id, deleted=True)
    state = inspect(current)
    table = state.mapper.local_table.name
    if state.identity is not None:
        row_id = _row_id(state.identity)
    return ConflictError(table, row_id, current.updated_by, current.updated_at)


def check_version(current: Versioned | None, expected_version: int, *, table: str = "", row_id: object = None) -> None:
    """Refuse a save based on `expected_version` when the row has moved on or gone.

    `current` is the row as loaded inside the write transaction (None when it was deleted);
    `table` and `row_id` name a deleted row in the error.
    """
    if current is None or current.version != expected_version:
        raise conflict_error(current, table=table, row_id=row_id)


def describe_people(entries: list[PresenceEntry]) -> str:
    """ "alice on PC-1, bob on PC-2": who the entries are, each once, in a stable order."""
    return ", ".join(sorted({_("{name} on {host}").format(name=e.user_name, host=e.host) for e in entries}))


def _parse_utc(value: object) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return dt.datetime.min


def _row_id(identity: tuple[Any, ...]) -> str:
    return ",".join(str(v) for v in identity)


def _versioned_in_flush(session: Session) -> list[tuple[type[Any], tuple[Any, ...], int | None]]:
    """(class, primary key, version the change is based on) of each changed or deleted versioned row."""
    suspects = []
    for obj in list(session.dirty) + list(session.deleted):
        state = inspect(obj)
        if isinstance(obj, Versioned) and state.identity is not None:
            history = state.attrs.version.history
            base = (history.deleted or history.unchanged or [None])[0]
            suspects.append((type(obj), state.identity, base))
    return suspects


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
