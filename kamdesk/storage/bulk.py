"""Fast bulk loading of prepared rows (the demo book): Core executemany, parents first, chunk by chunk."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.exc import OperationalError

from kamdesk.i18n import _
from kamdesk.storage.database import Database
from kamdesk.storage.errors import DatabaseBusyError, ReadOnlyError
from kamdesk.storage.tables import Base, ChangeLogRow, utcnow

#: Called after each chunk with the table name and the rows written to it so far.
Progress = Callable[[str, int], None]
RowSource = Iterable[Sequence[Mapping[str, Any]]] | Iterable[Mapping[str, Any]]

BATCH_ROWS = 5_000
#: Page cache for the loading connection (KiB when negative): index pages stay in memory.
BULK_CACHE_KIB = 64_000
DEFAULT_CACHE_KIB = 2_000
_VERSIONED_NAMES = frozenset(t.name for t in Base.metadata.sorted_tables if "version" in t.c)


def load_order(names: Iterable[str]) -> list[Table]:
    """The named tables, parents before children; unknown names are refused."""
    wanted = set(names)
    unknown = sorted(wanted - set(Base.metadata.tables))
    if unknown:
        raise ValueError(f"not kamdesk tables: {', '.join(unknown)}")
    return [table for table in Base.metadata.sorted_tables if table.name in wanted]


def _chunks(source: RowSource, size: int = BATCH_ROWS) -> Iterator[Sequence[Mapping[str, Any]]]:
    """Chunks as given, or flat rows gathered into chunks of `size`."""
    batch: list[Mapping[str, Any]] = []
    for item in source:
        if isinstance(item, Mapping):
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
            continue
        if batch:
            yield batch
            batch = []
        if item:
            yield item
    if batch:
        yield batch


def _stamped(chunk: Sequence[Mapping[str, Any]], user_name: str) -> Sequence[Mapping[str, Any]]:
    """Add the version columns to rows that come without them (whole chunks share their keys)."""
    if "version" in chunk[0]:
        return chunk
    now = utcnow()
    stamp = {"version": 1, "created_at": now, "updated_at": now, "updated_by": user_name}
    return [{**stamp, **row} for row in chunk]


@contextmanager
def _write_connection(db: Database) -> Iterator[Connection]:
    """A Core write transaction (BEGIN IMMEDIATE on SQLite), with the storage layer's errors."""
    if db.read_only:
        raise ReadOnlyError(db.read_only_reason or _("it was opened read-only"))
    engine = db.engine.execution_options(kamdesk_write=True)
    try:
        with engine.begin() as conn:
            yield conn
    except OperationalError as exc:
        text = str(exc).lower()
        if "database is locked" in text or "database is busy" in text:
            raise DatabaseBusyError(db.current_writer()) from exc
        raise


def write_demo(
    db: Database, rows_by_table: Mapping[str, RowSource], progress: Progress | None = None
) -> dict[str, int]:
    """Insert prepared rows table by table in foreign-key order, one write transaction per table.

    Each table's rows may be an iterable of chunks (lists of dicts) or of single dicts; chunks are
    consumed one at a time so a large load never holds everything in memory. Rows carry their own
    ids, so children can point at parents without round trips; rows inside a table must come after
    any row of the same table they refer to (contacts report to earlier contacts). The individual
    rows bypass the change log; one change-log entry records that the load happened.
    """
    counts: dict[str, int] = {}
    tables = load_order(rows_by_table)
    for table in tables:
        written = 0
        versioned = table.name in _VERSIONED_NAMES
        statement = insert(table)
        with _write_connection(db) as conn:
            if db.is_sqlite:
                conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            for chunk in _chunks(rows_by_table[table.name]):
                rows = _stamped(chunk, db.user_name) if versioned else chunk
                conn.execute(statement, list(rows))
                written += len(rows)
                if progress is not None:
                    progress(table.name, written)
            if table is tables[-1]:
                _log_load(conn, db, counts | {table.name: written})
            if db.is_sqlite:
                conn.exec_driver_sql(f"PRAGMA cache_size = -{DEFAULT_CACHE_KIB}")
        counts[table.name] = written
    if not tables:
        with _write_connection(db) as conn:
            _log_load(conn, db, counts)
    return counts


def _log_load(conn: Connection, db: Database, counts: Mapping[str, int]) -> None:
    conn.execute(
        insert(ChangeLogRow),
        [
            {
                "at": utcnow(),
                "by": db.user_name,
                "host": db.host,
                "table_name": "demo_data",
                "row_id": "*",
                "action": "insert",
                "changes_json": json.dumps({"demo": True, "rows": dict(counts)}, ensure_ascii=False, sort_keys=True),
            }
        ],
    )


def count_rows(db: Database, table_name: str) -> int:
    """How many rows a table holds (a read; never takes the write lock)."""
    table = Base.metadata.tables[table_name]
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
