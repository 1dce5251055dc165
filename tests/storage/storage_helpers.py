"""Helpers shared by the storage tests: what a refused file must keep, and raw looks at a file or server."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from kamdesk.storage.database import Database

#: A busy timeout short enough that a test meeting a held lock finishes at once.
SHORT_BUSY_MS = 50


@dataclass(frozen=True)
class FileState:
    """What must not change when kamdesk refuses a file: its bytes, its mtime, its neighbours."""

    sha256: str
    mtime_ns: int
    neighbours: tuple[str, ...]


def file_state(path: Path) -> FileState:
    stat = path.stat()
    return FileState(
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        mtime_ns=stat.st_mtime_ns,
        neighbours=tuple(sorted(p.name for p in path.parent.iterdir())),
    )


def raw_pragma(path: Path, name: str) -> object:
    """A pragma read through a read-only plain sqlite3 connection (never through kamdesk's code)."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def raw_tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def lock_is_free(path: Path) -> bool:
    """Whether another connection could take the write lock right now (asked without waiting)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc), exc
        return False
    finally:
        conn.close()


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def raw_sql(db: Database, statement: str, **params: Any) -> list[dict[str, Any]]:
    """Run SQL past kamdesk's units of work (no change log, no version checks), on either backend."""
    with db.engine.begin() as conn:
        result = conn.execute(text(statement), params)
        return [dict(r) for r in result.mappings()] if result.returns_rows else []


def plant_session(
    db: Any, session_id: str, user: str, heartbeat: dt.datetime, count: int = 3, host: str = "pc-2"
) -> None:
    """A colleague's presence entry as their kamdesk wrote it (opened and last beat at `heartbeat`)."""
    from kamdesk.storage.tables import PresenceRow

    with db.write() as session:
        session.add(
            PresenceRow(
                session_id=session_id,
                user_name=user,
                host=host,
                pid=1,
                opened_at=heartbeat,
                heartbeat_at=heartbeat,
                heartbeat_count=count,
            )
        )


def add_accounts(db: Any, *names: str) -> None:
    """Accounts with just a name, written straight through the storage layer."""
    from kamdesk.storage.tables import AccountRow

    with db.write() as session:
        session.add_all(AccountRow(name=name) for name in names)


def account_names(path: Path) -> list[str]:
    """The accounts in a team file, read through a plain read-only sqlite3 connection, sorted."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM accounts"))
    finally:
        conn.close()


def die_mid_save(path: str) -> None:
    """In a forked child: start a large write and be killed in the middle of it (a hot journal remains)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA cache_size = 4")
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("UPDATE accounts SET notes = ? WHERE id = ?", [("改" * 300, i) for i in range(1, 401)])
    os.kill(os.getpid(), signal.SIGKILL)
