"""Change-log entries as plain values: who changed which record, when, and which fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ChangeEntry:
    """One logged change. `changes` maps a field to its value (insert) or to [old, new] (update)."""

    id: int
    at: dt.datetime
    by: str
    host: str
    table_name: str
    row_id: str
    action: str
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditFilter:
    """What the audit view shows: any of person, table, record and a span of days (UTC), newest first."""

    person: str = ""
    table_name: str = ""
    row_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = 1_000


#: The table name a page uses to say "anything may have changed" (a demo load, an import, a restore).
EVERY_TABLE = "*"
#: Change-log entries that stand for many tables at once (bulk writes log one line, not one per row).
_BULK_ENTRIES = {"demo_data", "import"}


def tables_touched(entries: list[ChangeEntry]) -> frozenset[str]:
    """The tables the entries changed; a bulk entry (demo data, an import) counts as every table."""
    tables = {e.table_name for e in entries}
    if tables & _BULK_ENTRIES:
        return frozenset({EVERY_TABLE})
    return frozenset(tables)
