"""Reading the change log (refresh and audit) and noticing commits by others via PRAGMA data_version."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kamdesk.domain.changes import AuditFilter, ChangeEntry
from kamdesk.storage.database import Database
from kamdesk.storage.tables import ChangeLogRow

#: The probe gives up at once on a busy file; the next poll asks again.
PROBE_TIMEOUT_S = 0.2


class DataVersionProbe:
    """A number that moves whenever anyone commits to the file: one read request a poll.

    On a SQLite file it is the header's change counter, read through the descriptor the database keeps
    (`Database.change_counter`): asking SQLite instead (`PRAGMA data_version`) costs its whole lock
    sequence, five to eight requests on a file server, at every poll. The counter is part of the file's
    first page, so it is exactly as fresh as what SQLite itself reads; a file server that updates
    modification times lazily does not fool it. A file in WAL mode does not move the counter: a
    dedicated connection's data version stands in for it.

    On a database server there is no such pragma; the newest change-log id stands in for it.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._conn: sqlite3.Connection | None = None

    def version(self, force: bool = False) -> int | None:
        """The current data version, or None when the file cannot be asked right now.

        `force` is kept for callers that start watching; every poll reads the file now."""
        if not self.db.is_sqlite or self.db.path is None:
            try:
                with self.db.read() as session:
                    return latest_change_id(session)
            except Exception:  # noqa: BLE001 - an unreachable server is asked again at the next poll
                return None
        counter = self.db.change_counter()
        if counter is not None:
            return counter
        return self._ask()

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
