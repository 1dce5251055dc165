"""Reading the change log (refresh and audit) and noticing commits by others via PRAGMA data_version."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kamdesk.domain.changes import AuditFilter, ChangeEntry
from kamdesk.storage.database import Database
from kamdesk.storage.tables import ChangeLogRow

#: The probe gives up at once on a busy file; the next poll asks again.
PROBE_TIMEOUT_S = 0.2


class DataVersionProbe:
    """A dedicated connection whose PRAGMA data_version moves whenever any other connection commits.

    Asking SQLite costs a whole lock sequence (lock, journal check, header read, unlock): five to eight
    requests on a file server, every poll. So each poll first looks at the file's size and modification
    time, one request; only when they moved (or every FULL_CHECK_EVERY polls, for file servers that
    update modification times lazily) does it ask SQLite. The stamp is taken before the question, so a
    commit in between is seen at the next poll. A stamp is trusted only once a second question has seen
    it unchanged: two commits within one tick of the file system's clock leave the same stamp, and the
    second question, a poll later, sees the second commit.

    On a database server there is no such pragma; the newest change-log id stands in for it.
    """

    #: At most this many polls in a row trust an unchanged size and modification time.
    FULL_CHECK_EVERY = 5

    def __init__(self, db: Database) -> None:
        self.db = db
        self._conn: sqlite3.Connection | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._known: int | None = None
        self._trusted_polls = 0
        self._confirmed = False

    def version(self, force: bool = False) -> int | None:
        """The current data version, or None when the file cannot be asked right now."""
        if not self.db.is_sqlite or self.db.path is None:
            try:
                with self.db.read() as session:
                    return latest_change_id(session)
            except Exception:  # noqa: BLE001 - an unreachable server is asked again at the next poll
                return None
        stamp = self._file_stamp()
        if (
            not force
            and stamp is not None
            and stamp == self._stamp
            and self._known is not None
            and self._confirmed
            and self._trusted_polls < self.FULL_CHECK_EVERY
        ):
            self._trusted_polls += 1
            return self._known
        version = self._ask()
        self._confirmed = version is not None and stamp is not None and stamp == self._stamp
        self._stamp, self._known, self._trusted_polls = (stamp, version, 0) if version is not None else (None, None, 0)
        return version

    def _file_stamp(self) -> tuple[int, int, int] | None:
        assert self.db.path is not None
        try:
            st = os.stat(self.db.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _ask(self) -> int | None:
        assert self.db.path is not None
        try:
            if self._conn is None:
                uri = self.db.path.resolve().as_uri() + "?mode=ro"
                self._conn = sqlite3.connect(
                    uri, uri=True, timeout=PROBE_TIMEOUT_S, check_same_thread=False, isolation_level=None
                )
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            self.close()
            return None

    def interrupt(self) -> None:
        """Stop a question in progress (the window is closing)."""
        conn = self._conn
        if conn is not None:
            try:
                conn.interrupt()
            except sqlite3.Error:
                pass

    def close(self) -> None:
        self._stamp, self._known = None, None
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def latest_change_id(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(ChangeLogRow.id), 0))) or 0)


def _entry(row: ChangeLogRow) -> ChangeEntry:
    try:
        changes = json.loads(row.changes_json or "{}")
    except ValueError:
        changes = {}
    return ChangeEntry(
        row.id,
        row.at,
        row.by,
        row.host,
        row.table_name,
        row.row_id,
        row.action,
        changes if isinstance(changes, dict) else {},
    )


def changes_after(session: Session, after_id: int, limit: int = 1_000) -> list[ChangeEntry]:
    """Change-log entries newer than `after_id`, oldest first."""
    rows = session.scalars(
        select(ChangeLogRow).where(ChangeLogRow.id > after_id).order_by(ChangeLogRow.id).limit(limit)
    )
    return [_entry(r) for r in rows]


def audit_entries(session: Session, wanted: AuditFilter) -> list[ChangeEntry]:
    """The audit trail, newest first, narrowed by person, table, record and days (UTC)."""
    stmt = select(ChangeLogRow)
    if wanted.person:
        stmt = stmt.where(ChangeLogRow.by == wanted.person)
    if wanted.table_name:
        stmt = stmt.where(ChangeLogRow.table_name == wanted.table_name)
    if wanted.row_id:
        stmt = stmt.where(ChangeLogRow.row_id == wanted.row_id)
    if wanted.since is not None:
        stmt = stmt.where(ChangeLogRow.at >= dt.datetime.combine(wanted.since, dt.time()))
    if wanted.until is not None:
        stmt = stmt.where(ChangeLogRow.at < dt.datetime.combine(wanted.until + dt.timedelta(days=1), dt.time()))
    rows = session.scalars(stmt.order_by(ChangeLogRow.id.desc()).limit(wanted.limit))
    return [_entry(r) for r in rows]


def audit_people(session: Session) -> list[str]:
    return [str(p) for p in session.scalars(select(ChangeLogRow.by).distinct().order_by(ChangeLogRow.by))]


def audit_tables(session: Session) -> list[str]:
    return [
        str(t) for t in session.scalars(select(ChangeLogRow.table_name).distinct().order_by(ChangeLogRow.table_name))
    ]
