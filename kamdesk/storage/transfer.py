"""Queries and bulk writes behind import and export: name look-ups, Core inserts, rows for files."""

from __future__ import annotations

import json
import pickle
import sqlite3
import weakref
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session, aliased

from kamdesk.domain.contacts import ContactDetail, PersonalDate
from kamdesk.domain.gift_vocabulary import parse_tags
from kamdesk.domain.transfer import CheckedRow
from kamdesk.storage.tables import (
    AccountRow,
    AccountValueRow,
    ActivityRow,
    Base,
    ChangeLogRow,
    ContactRow,
    GiftRow,
    TeamMemberRow,
    utcnow,
)

#: Rows per executemany: large enough to be fast, small enough to report progress.
CHUNK_ROWS = 2_000
_SKIP_IN_LOG = {"version", "created_at", "updated_at", "updated_by"}


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


# The checked rows of an import, spooled -----------------------------------------------------------
OK, PROBLEM, DUPLICATE = 0, 1, 2


def row_status(row: CheckedRow) -> int:
    return PROBLEM if row.problems else DUPLICATE if row.duplicate_of else OK


def _private_database() -> sqlite3.Connection:
    """A temporary SQLite database of one's own: SQLite deletes its file when the connection closes; a few
    megabytes of page cache. check_same_thread is off because the window checks rows on a worker thread and
    shows them on its own (never at the same time)."""
    db = sqlite3.connect("", check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA cache_size = -4000")
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    return db


class RowSpool(Sequence[CheckedRow]):
    """The checked rows of an import: held as objects while they are few, on disk past `memory_budget`.

    A checked row with its typed values takes a kilobyte or two as Python objects: 770,000 rows held in lists
    took 1.4 GB. Past the budget every row becomes a pickled record in a private temporary SQLite database, and
    only each row's status (ok, problem, duplicate) and number stay in memory. Iterate with `updating()` for a
    pass that changes rows (problems found, duplicates, resolved ids): the changes are kept. Plain iteration and
    indexing are for reading: on disk they give copies.
    """

    #: Estimated bytes of rows held as objects before all move to disk (a typical import of a few thousand rows
    #: stays in memory, at the speed of a list; pickling costs some 10 µs a row for each pass).
    memory_budget = 128_000_000
    _ROW_BYTES = 1_500  # a CheckedRow, its dict and its small values, besides the text
    _BATCH = CHUNK_ROWS

    def __init__(self, rows: Iterable[CheckedRow] = ()) -> None:
        self._held: list[CheckedRow] | None = []
        self._held_bytes = 0
        self._db: sqlite3.Connection | None = None
        self._status = bytearray()
        self._numbers = array("q")
        self._last: tuple[int, CheckedRow] | None = None
        self.extend(rows)

    @property
    def on_disk(self) -> bool:
        return self._db is not None

    @staticmethod
    def _pack(row: CheckedRow) -> bytes:
        return pickle.dumps((row.row, row.values, row.problems, row.duplicate_of), pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def _unpack(data: bytes) -> CheckedRow:
        number, values, problems, duplicate_of = pickle.loads(data)  # noqa: S301  # written by _pack just before
        return CheckedRow(number, values, problems, duplicate_of)

    @staticmethod
    def _size(row: CheckedRow) -> int:
        return RowSpool._ROW_BYTES + 2 * sum(len(v) for v in row.values.values() if isinstance(v, str))

    def _save(self, sql: str, batch: list[tuple[Any, ...]]) -> None:
        assert self._db is not None
        self._db.execute("BEGIN")
        self._db.executemany(sql, batch)
        self._db.execute("COMMIT")
        self._last = None

    def _to_disk(self) -> None:
        held, self._held = self._held or [], None
        self._db = _private_database()
        weakref.finalize(self, self._db.close)
        self._db.execute("CREATE TABLE spool (i INTEGER PRIMARY KEY, data BLOB NOT NULL)")
        for start in range(0, len(held), self._BATCH):
            rows = enumerate(held[start : start + self._BATCH], start=start)
            self._save("INSERT INTO spool (i, data) VALUES (?, ?)", [(i, self._pack(row)) for i, row in rows])

    def move_to_disk(self) -> None:
        """Keep every row on disk from now on, letting go of the memory the rows held (a preview kept while the
        file is read again for its import: the two never fill the memory together)."""
        if self._held is not None:
            self._statuses()  # rows held may have been changed in place
            self._to_disk()

    def extend(self, rows: Iterable[CheckedRow]) -> None:
        """Add rows at the end (in batches, so that a generator of rows is never all held)."""
        batch: list[tuple[int, bytes]] = []
        for row in rows:
            index = len(self._status)
            self._status.append(row_status(row))
            self._numbers.append(row.row)
            if self._held is not None:
                self._held.append(row)
                self._held_bytes += self._size(row)
                if self._held_bytes > self.memory_budget:
                    self._to_disk()
                continue
            batch.append((index, self._pack(row)))
            if len(batch) >= self._BATCH:
                self._save("INSERT INTO spool (i, data) VALUES (?, ?)", batch)
                batch = []
        if batch:
            self._save("INSERT INTO spool (i, data) VALUES (?, ?)", batch)

    def _batches(self) -> Iterator[list[tuple[int, bytes]]]:
        assert self._db is not None
        for start in range(0, len(self), self._BATCH):
            yield self._db.execute(
                "SELECT i, data FROM spool WHERE i >= ? AND i < ? ORDER BY i", (start, start + self._BATCH)
            ).fetchall()

    def __iter__(self) -> Iterator[CheckedRow]:
        if self._held is not None:
            yield from list(self._held)
            return
        for batch in self._batches():
            for _i, data in batch:
                yield self._unpack(data)

    def updating(self) -> Iterator[CheckedRow]:
        """Every row in order; whatever the caller changes in a row is kept once it asks for the next batch."""
        if self._held is not None:
            yield from list(self._held)  # the rows themselves: changes stay in them
            self._status = bytearray(row_status(row) for row in self._held)
            return
        for batch in self._batches():
            rows = [(i, self._unpack(data)) for i, data in batch]
            yield from (row for _i, row in rows)
            for i, row in rows:
                self._status[i] = row_status(row)
            self._save("UPDATE spool SET data = ? WHERE i = ?", [(self._pack(row), i) for i, row in rows])

    def __len__(self) -> int:
        return len(self._status)

    @overload
    def __getitem__(self, index: int) -> CheckedRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[CheckedRow]: ...

    def __getitem__(self, index: int | slice) -> CheckedRow | list[CheckedRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]
        if self._held is not None:
            return self._held[index]
        if self._last is None or self._last[0] != index:  # a table view asks for the same row many times
            assert self._db is not None
            (data,) = self._db.execute("SELECT data FROM spool WHERE i = ?", (index,)).fetchone()
            self._last = (index, self._unpack(data))
        return self._last[1]

    def _statuses(self) -> bytearray:
        if self._held is not None:  # rows held may have been changed in place
            self._status = bytearray(row_status(row) for row in self._held)
        return self._status

    def count(self, status: int) -> int:
        """How many rows have a status (OK, PROBLEM, DUPLICATE); Sequence.count of a status value, in effect."""
        return self._statuses().count(status)

    def indices(self, *statuses: int) -> array[int]:
        """Positions of the rows whose status is one of `statuses`, in file order."""
        return array("l", (i for i, s in enumerate(self._statuses()) if s in statuses))

    def number(self, index: int) -> int:
        """The file's row number of the row at `index`, without reading the row."""
        return self._numbers[index]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._held = []
        self._status = bytearray()


class SpoolView(Sequence[CheckedRow]):
    """Some rows of a spool (those with a problem, say), read from it when asked for."""

    def __init__(self, spool: RowSpool, indices: Sequence[int]) -> None:
        self._spool = spool
        self._indices = indices

    def __len__(self) -> int:
        return len(self._indices)

    @overload
    def __getitem__(self, index: int) -> CheckedRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[CheckedRow]: ...

    def __getitem__(self, index: int | slice) -> CheckedRow | list[CheckedRow]:
        if isinstance(index, slice):
            return [self._spool[i] for i in self._indices[index]]
        return self._spool[self._indices[index]]

    def __iter__(self) -> Iterator[CheckedRow]:
        for i in self._indices:
            yield self._spool[i]


class CellSpool(Sequence[list[str]]):
    """The cells of a file's rows as read (before any field is checked), by position, in a private temporary
    SQLite database: what an import preview shows beside each row's status, for a file of a million rows, while
    only the rows on screen are in memory. Rows go in with `append` (written a batch at a time) and come back
    by index."""

    _BATCH = CHUNK_ROWS

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = _private_database()
        weakref.finalize(self, self._db.close)
        self._db.execute("CREATE TABLE cells (i INTEGER PRIMARY KEY, data TEXT NOT NULL)")
        self._count = 0
        self._batch: list[tuple[int, str]] = []

    def append(self, cells: Sequence[str]) -> None:
        self._batch.append((self._count, json.dumps(list(cells), ensure_ascii=False)))
        self._count += 1
        if len(self._batch) >= self._BATCH:
            self.flush()

    def flush(self) -> None:
        if self._batch and self._db is not None:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT INTO cells (i, data) VALUES (?, ?)", self._batch)
            self._db.execute("COMMIT")
        self._batch = []

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> list[str]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[str]]: ...

    def __getitem__(self, index: int | slice) -> list[str] | list[list[str]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]
        if self._db is None:
            raise ValueError("the cells of this file were thrown away")
        self.flush()
        (data,) = self._db.execute("SELECT data FROM cells WHERE i = ?", (index,)).fetchone()
        cells: list[str] = json.loads(data)
        return cells

    @property
    def closed(self) -> bool:
        return self._db is None

    def close(self) -> None:
        """Throw the cells away (SQLite deletes the temporary file)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        self._batch = []
        self._count = 0


class KeyIndex:
    """Key → who first had it (a record's label, or a row number), for finding duplicates: a dict while small;
    past `limit` keys it moves to a private temporary SQLite table, so that the keys of a million rows (three a
    contact) never fill the memory (in a dict they took 300 MB for 770,000 contacts)."""

    limit = 100_000

    def __init__(self) -> None:
        self._dict: dict[str, str | int] | None = {}
        self._db: sqlite3.Connection | None = None

    def _spill(self) -> None:
        assert self._dict is not None
        db = _private_database()
        weakref.finalize(self, db.close)
        db.execute("CREATE TABLE k (key TEXT PRIMARY KEY, who NOT NULL) WITHOUT ROWID")
        db.execute("BEGIN")  # one transaction for the spool's life: it is thrown away, never committed
        db.executemany("INSERT INTO k VALUES (?, ?)", self._dict.items())
        self._db, self._dict = db, None

    @property
    def spilled(self) -> bool:
        return self._db is not None

    def get(self, key: str) -> str | int | None:
        if self._dict is not None:
            return self._dict.get(key)
        assert self._db is not None
        found = self._db.execute("SELECT who FROM k WHERE key = ?", (key,)).fetchone()
        return None if found is None else found[0]

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: str) -> str | int:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __setitem__(self, key: str, who: str | int) -> None:
        if self._dict is not None:
            self._dict[key] = who
            if len(self._dict) > self.limit:
                self._spill()
        else:
            assert self._db is not None
            self._db.execute("INSERT OR REPLACE INTO k VALUES (?, ?)", (key, who))

    def setdefault(self, key: str, who: str | int) -> None:
        """Remember `who` for `key` unless the key already has someone."""
        if self._dict is not None:
            self._dict.setdefault(key, who)
            if len(self._dict) > self.limit:
                self._spill()
        else:
            assert self._db is not None
            self._db.execute("INSERT OR IGNORE INTO k VALUES (?, ?)", (key, who))


# Look-ups --------------------------------------------------------------------------------------
def account_ids(session: Session) -> dict[str, int]:
    """Account name → id (the lowest id where two accounts share a name)."""
    found: dict[str, int] = {}
    for account_id, name in session.execute(select(AccountRow.id, AccountRow.name).order_by(AccountRow.id.desc())):
        found[name.strip()] = account_id
    return found


def member_ids(session: Session) -> dict[str, int]:
    found: dict[str, int] = {}
    for member_id, name in session.execute(
        select(TeamMemberRow.id, TeamMemberRow.name).order_by(TeamMemberRow.id.desc())
    ):
        found[name.strip()] = member_id
    return found


def contact_index(session: Session) -> list[tuple[int, int | None, str, str, str, str, str]]:
    """(id, account id, name, mobile, phone, e-mail, account name) of every contact, for matching."""
    return [
        tuple(r)  # type: ignore[misc]  # a Row's length is not known to the stubs
        for r in session.execute(
            select(
                ContactRow.id,
                ContactRow.account_id,
                ContactRow.name,
                ContactRow.mobile,
                ContactRow.phone,
                ContactRow.email,
                func.coalesce(AccountRow.name, ""),
            ).outerjoin(AccountRow, AccountRow.id == ContactRow.account_id)
        )
    ]


def activity_keys(session: Session) -> set[tuple[Any, ...]]:
    """(kind, account id, contact id, due date, when it happened, subject) of every activity."""
    a = ActivityRow
    return {
        tuple(r)
        for r in session.execute(select(a.kind, a.account_id, a.contact_id, a.due_on, a.occurred_at, a.subject))
    }


def gift_keys(session: Session) -> set[tuple[Any, ...]]:
    """(item, date, account id, contact id, value) of every gift-register entry."""
    g = GiftRow
    return {tuple(r) for r in session.execute(select(g.item, g.given_on, g.account_id, g.contact_id, g.value_cents))}


def next_id(session: Session, table_name: str) -> int:
    """The first free id of a table; safe to hand out inside a write transaction (the file is locked)."""
    table = _table(table_name)
    return int(session.scalar(select(func.max(table.c.id))) or 0) + 1


# Writing ---------------------------------------------------------------------------------------
def insert_rows(
    session: Session, table_name: str, rows: Sequence[Mapping[str, Any]], by: str, host: str, *, log: bool = True
) -> int:
    """Insert prepared rows (with their ids) by Core executemany, stamped and logged like any save.

    Each chunk's rows must share their keys. The change log gets one entry per row, in the same
    transaction, with the values written (as the unit of work's own log does for single saves).
    """
    if not rows:
        return 0
    table = _table(table_name)
    now = utcnow()
    versioned = "version" in table.c
    stamp = {"version": 1, "created_at": now, "updated_at": now, "updated_by": by} if versioned else {}
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = [{**stamp, **row} for row in rows[start : start + CHUNK_ROWS]]
        session.execute(insert(table), chunk)
        if log:
            session.execute(
                insert(_table(ChangeLogRow.__tablename__)),
                [
                    {
                        "at": now,
                        "by": by,
                        "host": host,
                        "table_name": table_name,
                        "row_id": str(row["id"]),
                        "action": "insert",
                        "changes_json": json.dumps(
                            {
                                k: _jsonable(v)
                                for k, v in row.items()
                                if k not in _SKIP_IN_LOG and k != "id" and v not in (None, "", False)
                            },
                            ensure_ascii=False,
                            sort_keys=True,
                        ),
                    }
                    for row in chunk
                ],
            )
    return len(rows)


def log_import(session: Session, by: str, host: str, summary: Mapping[str, Any]) -> None:
    """One change-log entry saying that an import happened and what it brought."""
    session.execute(
        insert(_table(ChangeLogRow.__tablename__)),
        [
            {
                "at": utcnow(),
                "by": by,
                "host": host,
                "table_name": "import",
                "row_id": "*",
                "action": "insert",
                "changes_json": json.dumps(dict(summary), ensure_ascii=False, sort_keys=True),
            }
        ],
    )


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# Export ----------------------------------------------------------------------------------------
def accounts_for_export(session: Session) -> list[dict[str, Any]]:
    """Every account with its class (pinned, else computed), owner and latest period's value."""
    latest: dict[int, tuple[str, int | None, int | None]] = {}
    for account_id, period, revenue, profit in session.execute(
        select(
            AccountValueRow.account_id,
            AccountValueRow.period,
            AccountValueRow.revenue_cents,
            AccountValueRow.profit_cents,
        ).order_by(AccountValueRow.period_start, AccountValueRow.period)
    ):
        latest[account_id] = (period, revenue, profit)
    a = AccountRow
    rows = []
    for r in session.execute(
        select(
            a.id,
            a.name,
            func.coalesce(a.pinned_class, a.computed_class),
            a.city,
            a.province,
            a.industry,
            a.personality_type,
            a.sales_stage,
            a.relationship_type,
            a.cycle_stage,
            TeamMemberRow.name,
            a.attractiveness,
            a.relationship_state,
            a.potential_cents,
            a.notes,
        )
        .outerjoin(TeamMemberRow, TeamMemberRow.id == a.owner_id)
        .order_by(a.name_pinyin, a.id)
    ):
        last_period, last_revenue, last_profit = latest.get(r[0], ("", None, None))
        rows.append(
            {
                "name": r[1],
                "class": r[2] or "",
                "value": last_revenue,
                "value_period": last_period,
                "profit": last_profit,
                "city": r[3],
                "province": r[4],
                "industry": r[5],
                "personality_type": r[6],
                "sales_stage": r[7],
                "relationship_type": r[8],
                "cycle_stage": r[9],
                "owner": r[10] or "",
                "attractiveness": r[11],
                "relationship_state": r[12],
                "potential": r[13],
                "notes": r[14],
            }
        )
    return rows


def contacts_for_export(session: Session, ids: Iterable[int] | None = None) -> list[ContactDetail]:
    """Contacts with their company's name (no family, dates or links: the file's columns only)."""
    c = ContactRow
    stmt = (
        select(c, func.coalesce(AccountRow.name, ""))
        .outerjoin(AccountRow, AccountRow.id == c.account_id)
        .order_by(AccountRow.name_pinyin, c.name_pinyin, c.id)
    )
    if ids is not None:
        stmt = stmt.where(c.id.in_(list(ids)))
    details = []
    for row, account_name in session.execute(stmt):
        birthday = None
        if row.birthday_calendar and row.birthday_month and row.birthday_day:
            birthday = PersonalDate(
                row.birthday_calendar,
                row.birthday_year,
                row.birthday_month,
                row.birthday_day,
                bool(row.birthday_leap_month),
            )
        details.append(
            ContactDetail(
                id=row.id,
                name=row.name,
                account_id=row.account_id,
                account_name=account_name,
                title=row.title,
                rank_tier=row.rank_tier,
                buying_role=row.buying_role,
                relationship_stage=row.relationship_stage,
                mobile=row.mobile,
                phone=row.phone,
                email=row.email,
                wechat=row.wechat,
                address=row.address,
                birthday=birthday,
                city=row.city,
                hometown=row.hometown,
                interests=row.interests,
                preferences=row.preferences,
                taboos=row.taboos,
                personality_type=row.personality_type,
                notes=row.notes,
                like_tags=parse_tags(row.like_tags),
                taboo_tags=parse_tags(row.taboo_tags),
            )
        )
    return details


def activities_for_export(session: Session, kind: str | None = None) -> list[dict[str, Any]]:
    a = ActivityRow
    contact_account = aliased(AccountRow)
    stmt = (
        select(
            a.kind,
            a.status,
            func.coalesce(AccountRow.name, contact_account.name, ""),
            func.coalesce(ContactRow.name, ""),
            func.coalesce(TeamMemberRow.name, ""),
            a.due_on,
            a.start_time,
            a.occurred_at,
            a.duration_minutes,
            a.subject,
            a.location,
            a.notes,
            a.outcome,
            a.important,
        )
        .outerjoin(AccountRow, AccountRow.id == a.account_id)
        .outerjoin(ContactRow, ContactRow.id == a.contact_id)
        .outerjoin(contact_account, contact_account.id == ContactRow.account_id)
        .outerjoin(TeamMemberRow, TeamMemberRow.id == a.member_id)
        .order_by(func.coalesce(a.due_on, func.date(a.occurred_at)), a.id)
    )
    if kind is not None:
        stmt = stmt.where(a.kind == kind)
    names = (
        "kind",
        "status",
        "account",
        "contact",
        "member",
        "due_on",
        "start_time",
        "occurred_at",
        "duration_minutes",
        "subject",
        "location",
        "notes",
        "outcome",
        "important",
    )
    return [dict(zip(names, r, strict=True)) for r in session.execute(stmt)]


def gifts_for_export(session: Session) -> list[dict[str, Any]]:
    g = GiftRow
    contact_account = aliased(AccountRow)
    stmt = (
        select(
            g.direction,
            g.kind,
            g.item,
            g.value_cents,
            g.given_on,
            func.coalesce(AccountRow.name, contact_account.name, ""),
            func.coalesce(ContactRow.name, ""),
            func.coalesce(TeamMemberRow.name, ""),
            g.occasion,
            g.approved_by,
            g.notes,
        )
        .outerjoin(AccountRow, AccountRow.id == g.account_id)
        .outerjoin(ContactRow, ContactRow.id == g.contact_id)
        .outerjoin(contact_account, contact_account.id == ContactRow.account_id)
        .outerjoin(TeamMemberRow, TeamMemberRow.id == g.member_id)
        .order_by(g.given_on, g.id)
    )
    names = (
        "direction",
        "kind",
        "item",
        "value",
        "given_on",
        "account",
        "contact",
        "member",
        "occasion",
        "approved_by",
        "notes",
    )
    return [dict(zip(names, r, strict=True)) for r in session.execute(stmt)]
