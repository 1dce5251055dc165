"""Import and export use cases: files read, every row checked and previewed, one transaction to write."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kamdesk.domain import clock
from kamdesk.domain.accounts import parse_period
from kamdesk.domain.gift_vocabulary import format_tags
from kamdesk.domain.gifts import CatalogueItem
from kamdesk.domain.names import search_keys
from kamdesk.domain.tabular import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    Table,
    TableError,
    read_table,
    row_estimate,
    write_csv,
    write_xlsx,
)
from kamdesk.domain.transfer import (
    EXPORT_KINDS,
    IMPORT_KINDS,
    CheckedRow,
    HeaderMap,
    catalogue_item,
    check_rows,
    contact_tags,
    export_headers,
    format_birthday,
    format_money,
    importable_fields,
    phone_key,
    suggest_fields,
)
from kamdesk.domain.vcard import contacts_to_vcf, read_vcard_bytes
from kamdesk.i18n import _
from kamdesk.storage import accounts as account_store
from kamdesk.storage import gifts as gift_store
from kamdesk.storage import repositories as repo
from kamdesk.storage import transfer as store
from kamdesk.storage.database import Database

#: Called with the phase ("reading", "writing"), rows done and rows in all.
Progress = Callable[[str, int, int], None]
ON_ERROR = ("skip", "abort")
EXPORT_FORMATS: dict[str, tuple[str, ...]] = {
    "accounts": ("csv", "xlsx"),
    "contacts": ("csv", "xlsx", "vcf"),
    "activities": ("csv", "xlsx"),
    "gifts": ("csv", "xlsx"),
    "visits": ("csv", "xlsx"),
    "catalogue": ("csv", "xlsx"),
}

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_KINDS",
    "IMPORT_KINDS",
    "ON_ERROR",
    "FileSample",
    "ImportPreview",
    "ImportResult",
    "TableError",
    "TransferService",
    "importable_fields",
    "load_table",
    "sample_file",
    "suggest_fields",
]


@dataclass
class ImportPreview:
    """A file read and checked against the team file, before anything is written.

    `rows` is usually the import's `RowSpool` (on disk): the problem, duplicate and importable rows are views
    read from it when asked for, so that a million-row preview holds a byte a row.
    """

    kind: str
    source: str
    encoding: str
    rows: Sequence[CheckedRow]
    unused_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    new_accounts: list[str] = field(default_factory=list)
    new_members: list[str] = field(default_factory=list)
    #: Each row's cells as read from the file, by the row's position (for showing), when the preview was asked
    #: to keep them: on disk (`CellSpool`), read when asked for.
    cells: Sequence[list[str]] | None = None

    def set_aside(self) -> None:
        """Move the rows still held in memory to disk (before the file is read again for its import)."""
        if isinstance(self.rows, store.RowSpool):
            self.rows.move_to_disk()

    def close(self) -> None:
        """Throw away the rows and cells kept on disk for this preview (its temporary files go with them)."""
        for kept in (self.rows, self.cells):
            if isinstance(kept, store.RowSpool | store.CellSpool):
                kept.close()

    def _rows(self, *statuses: int) -> Sequence[CheckedRow]:
        if isinstance(self.rows, store.RowSpool):
            return store.SpoolView(self.rows, self.rows.indices(*statuses))
        return [r for r in self.rows if store.row_status(r) in statuses]

    @property
    def problem_rows(self) -> Sequence[CheckedRow]:
        return self._rows(store.PROBLEM)

    @property
    def duplicate_rows(self) -> Sequence[CheckedRow]:
        return self._rows(store.DUPLICATE)

    @property
    def importable_rows(self) -> Sequence[CheckedRow]:
        return self._rows(store.OK)

    def count(self, status: int) -> int:
        """How many rows have a status (store.OK, PROBLEM or DUPLICATE), without reading them."""
        if isinstance(self.rows, store.RowSpool):
            return self.rows.count(status)
        return sum(1 for r in self.rows if store.row_status(r) == status)

    def skipped(self) -> list[tuple[int, str]]:
        """(row, reason) of every row an import leaves out, in file order."""
        out = []
        for row in self._rows(store.PROBLEM, store.DUPLICATE):
            if not row.ok:
                out.append((row.row, "; ".join(row.problems)))
            elif row.duplicate_of:
                out.append((row.row, _("duplicate: {what}").format(what=row.duplicate_of)))
        return out


@dataclass
class ImportResult:
    kind: str
    read: int
    imported: int
    skipped: list[tuple[int, str]]
    aborted: bool = False
    encoding: str = ""
    new_accounts: list[str] = field(default_factory=list)
    new_members: list[str] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem_rows: int = 0
    duplicate_rows: int = 0


@dataclass
class ReadFile:
    """A file read and each row checked on its own (before any look-up in the team file).

    `rows` are spooled to disk (`RowSpool`); `table` keeps the file's headers, encoding, notes and row problems,
    not its rows (a workbook's rows are read once, as they are checked).
    """

    kind: str
    source: str
    table: Table
    header: HeaderMap
    rows: Sequence[CheckedRow]
    #: Each row's cells as read, by position (`read_import(keep_cells=True)`), for a preview to show.
    cells: Sequence[list[str]] | None = None


@dataclass
class FileSample:
    """What the column-mapping step shows of a file: its header, its first rows, how many rows it has."""

    headers: list[str]
    first_rows: list[list[str]]
    rows: int
    encoding: str
    notes: list[str] = field(default_factory=list)


def sample_file(
    kind: str,
    path: str | Path,
    encoding: str | None = None,
    progress: Progress | None = None,
    keep: int = 1,
) -> FileSample:
    """The header, the first `keep` rows and the number of rows of a file, read once as `read_import` reads it
    (a workbook streamed): however large the file, only those rows are held. Progress is ("counting", rows read,
    rows estimated); a TableError says what makes the file unreadable, as the import itself would."""
    table = load_table(kind, path, encoding, stream=True)
    rows = table.rows
    first: list[list[str]] = []
    count = 0
    for count, (_number, cells) in enumerate(rows, start=1):
        if len(first) < keep:
            first.append(list(cells))
        if progress is not None and count % 2_000 == 0:
            progress("counting", count, max(row_estimate(rows), count))
    if progress is not None:
        progress("counting", count, count)
    return FileSample(table.headers, first, count, table.encoding, list(table.notes))


class _CellsKept:
    """A table's rows passed on as they are read, each row's cells put in a `CellSpool` on the way; progress
    still sees the table's size (its length, or a streamed sheet's estimate)."""

    def __init__(self, rows: Iterable[tuple[int, list[str]]], spool: store.CellSpool) -> None:
        self._rows = rows
        self._spool = spool

    @property
    def estimate(self) -> int:
        return row_estimate(self._rows)

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for number, cells in self._rows:
            self._spool.append(cells)
            yield number, cells
        self._spool.flush()


def read_import(
    kind: str,
    path: str | Path,
    encoding: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    mapping: dict[int, str] | None = None,
    keep_cells: bool = False,
) -> ReadFile:
    """Read a CSV, XLSX or (for contacts) vCard file and check each row; TableError for the whole file.

    `mapping` (column index → field) replaces the mapping found from the header row. With `keep_cells`, each
    row's cells are kept on disk as well (`ReadFile.cells`), for a preview that shows them.
    """
    path = Path(path)
    table = load_table(kind, path, encoding, stream=True)
    cells = store.CellSpool() if keep_cells else None
    if cells is not None:
        table.rows = _CellsKept(table.rows, cells)
    header, checked = check_rows(
        kind,
        table,
        today or clock.today(),
        (lambda done, total: progress("reading", done, total)) if progress else None,
        mapping,
    )
    rows = store.RowSpool(checked)
    table.rows = []  # read (a workbook streamed, once); the checked rows are in the spool
    return ReadFile(kind, path.name, table, header, rows, cells)


def load_table(kind: str, path: str | Path, encoding: str | None = None, *, stream: bool = False) -> Table:
    """The file's header and rows as text, before any field is read (what a mapping step shows).

    With `stream`, a workbook's rows are read as they are iterated, once (see `tabular.SheetRows`).
    """
    if kind not in IMPORT_KINDS:
        raise ValueError(
            _("Unknown kind of import {kind!r}; choose one of: {choices}.").format(
                kind=kind, choices=", ".join(IMPORT_KINDS)
            )
        )
    path = Path(path)
    if _is_vcard(path):
        if kind != "contacts":
            raise TableError(_("A vCard file holds contacts; import it as contacts."))
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise TableError(
                    _(
                        "The file is {size} MB; one import takes at most {limit} MB. Split it into smaller files."
                    ).format(size=size // 1_000_000, limit=MAX_FILE_BYTES // 1_000_000)
                )
            data = path.read_bytes()
        except OSError as exc:
            raise TableError(_("Cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
        if _count_cards(data) > MAX_ROWS:
            raise TableError(
                _(
                    "The file holds more than {limit} rows; one import takes at most {limit}. Split it into smaller files."
                ).format(limit=f"{MAX_ROWS:,}")
            )
        return read_vcard_bytes(data, encoding)
    return read_table(path, encoding, stream=stream)


def refused(read: ReadFile) -> ImportResult | None:
    """The aborted result of an all-or-nothing import whose file already shows problems, else None."""
    preview = ImportPreview(
        read.kind, read.source, read.table.encoding, read.rows, read.header.unused, list(read.table.notes)
    )
    return TransferService._result(preview, 0, aborted=True) if preview.problem_rows else None


class _Refs:
    """Names resolved to ids inside one transaction; companies and colleagues not found are made."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.accounts = store.account_ids(session)
        self.members = store.member_ids(session)
        self.new_accounts: dict[str, int] = {}
        self.new_members: dict[str, int] = {}
        self._next_account = store.next_id(session, "accounts")
        self._next_member = store.next_id(session, "team_members")

    def account(self, name: str, create: bool) -> int | None:
        name = name.strip()
        if not name:
            return None
        found = self.accounts.get(name) or self.new_accounts.get(name)
        if found is None and create:
            found = self.new_accounts[name] = self._next_account
            self._next_account += 1
        return found

    def member(self, name: str, create: bool) -> int | None:
        name = name.strip()
        if not name:
            return None
        found = self.members.get(name) or self.new_members.get(name)
        if found is None and create:
            found = self.new_members[name] = self._next_member
            self._next_member += 1
        return found

    def write(self, by: str, host: str) -> None:
        if self.new_members:
            rows = []
            for name, member_id in self.new_members.items():
                pinyin, initials = search_keys(name, person=True)
                rows.append({"id": member_id, "name": name, "name_pinyin": pinyin, "name_initials": initials})
            store.insert_rows(self.session, "team_members", rows, by, host)
        if self.new_accounts:
            rows = []
            for name, account_id in self.new_accounts.items():
                pinyin, initials = search_keys(name)
                rows.append({"id": account_id, "name": name, "name_pinyin": pinyin, "name_initials": initials})
            store.insert_rows(self.session, "accounts", rows, by, host)


@dataclass
class TransferService:
    db: Database

    #: The person's date, from kamdesk's one clock (fix it there, not here).
    today = staticmethod(clock.today)

    # Reading -----------------------------------------------------------------------------------
    def read(
        self,
        kind: str,
        path: str | Path,
        encoding: str | None = None,
        progress: Progress | None = None,
        mapping: dict[int, str] | None = None,
        *,
        keep_cells: bool = False,
    ) -> ReadFile:
        return read_import(kind, path, encoding, self.today(), progress, mapping, keep_cells)

    def sample(
        self, kind: str, path: str | Path, encoding: str | None = None, progress: Progress | None = None
    ) -> FileSample:
        """A file's header, first row and row count, for the column-mapping step (`sample_file`)."""
        return sample_file(kind, path, encoding, progress)

    def preview(
        self, kind: str, source: str | Path | ReadFile, encoding: str | None = None, progress: Progress | None = None
    ) -> ImportPreview:
        """Every row with its problems and duplicates, as an import would see them now; writes nothing."""
        read = source if isinstance(source, ReadFile) else self.read(kind, source, encoding, progress)
        with self.db.read() as session:
            refs = _Refs(session)
            _RESOLVERS[kind](self, session, refs, _updating(read.rows))
        return ImportPreview(
            kind,
            read.source,
            read.table.encoding,
            read.rows,
            read.header.unused,
            list(read.table.notes),
            sorted(refs.new_accounts),
            sorted(refs.new_members),
            read.cells,
        )

    # Importing ---------------------------------------------------------------------------------
    def import_file(
        self,
        kind: str,
        path: str | Path | ReadFile,
        *,
        on_error: str = "skip",
        encoding: str | None = None,
        progress: Progress | None = None,
    ) -> ImportResult:
        """Import the rows of a file in one write transaction.

        on_error "skip" writes the good rows and lists the others; "abort" writes nothing when any
        row has a problem. Duplicates (of a record already in the file or of an earlier row) are
        always left out and listed. A failure while writing rolls everything back.
        """
        if on_error not in ON_ERROR:
            raise ValueError(_("on_error must be one of: {choices}.").format(choices=", ".join(ON_ERROR)))
        read = path if isinstance(path, ReadFile) else self.read(kind, path, encoding, progress)
        kind, rows = read.kind, read.rows
        preview = ImportPreview(
            kind, read.source, read.table.encoding, rows, read.header.unused, list(read.table.notes)
        )
        if on_error == "abort" and preview.count(store.PROBLEM):
            return self._result(preview, 0, aborted=True)
        _prepare_keys(kind, rows)
        with self.db.write() as session:
            refs = _Refs(session)
            _RESOLVERS[kind](self, session, refs, _updating(rows))
            if on_error == "abort" and preview.count(store.PROBLEM):  # references checked under the lock
                return self._result(preview, 0, aborted=True)
            good = _Importable(rows, preview.count(store.OK))
            used_accounts, used_members = _used(good)
            refs.new_accounts = {n: i for n, i in refs.new_accounts.items() if n in used_accounts}
            refs.new_members = {n: i for n, i in refs.new_members.items() if n in used_members}
            refs.write(self.db.user_name, self.db.host)
            written = _WRITERS[kind](self, session, refs, good, progress)
            if refs.new_accounts or kind == "accounts":
                account_store.recompute(
                    session, repo.load_team_settings(session), self.today(), self.db.user_name, self.db.host
                )
            store.log_import(
                session,
                self.db.user_name,
                self.db.host,
                {
                    "kind": kind,
                    "file": read.source,
                    "rows": len(rows),
                    "imported": written,
                    "new_accounts": len(refs.new_accounts),
                    "new_members": len(refs.new_members),
                },
            )
            preview.new_accounts = sorted(refs.new_accounts)
            preview.new_members = sorted(refs.new_members)
        return self._result(preview, written)

    @staticmethod
    def _result(preview: ImportPreview, imported: int, aborted: bool = False) -> ImportResult:
        return ImportResult(
            preview.kind,
            len(preview.rows),
            imported,
            preview.skipped(),
            aborted,
            preview.encoding,
            preview.new_accounts,
            preview.new_members,
            preview.unused_columns,
            preview.notes,
            preview.count(store.PROBLEM),
            preview.count(store.DUPLICATE),
        )

    # Resolving names and duplicates --------------------------------------------------------------
    def _resolve_accounts(self, session: Any, refs: _Refs, rows: Iterable[CheckedRow]) -> None:
        seen = store.KeyIndex()  # name → its first row, 0 when in the team file
        for name in refs.accounts:
            seen[name] = 0
        for row in rows:
            if not row.ok:
                continue
            name = row.values["name"]
            if (first := seen.get(name)) is not None:
                row.duplicate_of = (
                    _("an account called {name} already exists").format(name=name)
                    if not first
                    else _("same name as row {row}").format(row=first)
                )
                continue
            seen[name] = row.row
            row.values["owner_id"] = refs.member(row.values.get("owner", ""), create=True)

    def _resolve_contacts(self, session: Any, refs: _Refs, rows: Iterable[CheckedRow]) -> None:
        # Keys in one string each, and a row of the file as its number (its label is made only for a duplicate);
        # a large file's keys move to disk (KeyIndex).
        by_name = store.KeyIndex()  # "company\x1fname" → who has it (a label, or the row that does)
        by_phone = store.KeyIndex()
        by_email = store.KeyIndex()
        for _id, _account_id, name, mobile, phone, email, account in store.contact_index(session):
            label = _("{name} ({account})").format(name=name, account=account) if account else name
            by_name.setdefault(f"{account.strip()}\x1f{name.strip()}", label)
            for number in (mobile, phone):
                key = phone_key(number)
                if len(key) >= 5:
                    by_phone.setdefault(key, label)
            if email.strip():
                by_email.setdefault(email.strip().lower(), label)
        for row in rows:
            if not row.ok:
                continue
            values = row.values
            account = values.get("account", "").strip()
            phones = [
                k for k in (phone_key(values.get("mobile", "")), phone_key(values.get("phone", ""))) if len(k) >= 5
            ]
            email = values.get("email", "").strip().lower()
            name_key = f"{account}\x1f{values['name']}"
            duplicate = ""
            if (found := by_name.get(name_key)) is not None:
                duplicate = _("same name at the same company as {other}").format(other=_who(found))
            else:
                for key in phones:
                    if (found := by_phone.get(key)) is not None:
                        duplicate = _("same phone number as {other}").format(other=_who(found))
                        break
                else:
                    if email and (found := by_email.get(email)) is not None:
                        duplicate = _("same e-mail as {other}").format(other=_who(found))
            if duplicate:
                row.duplicate_of = duplicate
                continue
            by_name[name_key] = row.row
            for key in phones:
                by_phone.setdefault(key, row.row)
            if email:
                by_email.setdefault(email, row.row)
            values["account_id"] = refs.account(account, create=True)

    def _resolve_team(self, session: Any, refs: _Refs, rows: Iterable[CheckedRow]) -> None:
        seen = store.KeyIndex()
        for row in rows:
            if not row.ok:
                continue
            name = row.values["name"]
            if name in refs.members:
                row.duplicate_of = _("a colleague called {name} already exists").format(name=name)
            elif (first := seen.get(name)) is not None:
                row.duplicate_of = _("same name as row {row}").format(row=first)
            else:
                seen[name] = row.row

    def _contact_finder(self, session: Any) -> Callable[[str, int | None], tuple[int | None, int | None, str]]:
        """A function (contact name, account id) → (contact id, their account id, problem)."""
        by_account: dict[tuple[int | None, str], list[int]] = {}
        by_name: dict[str, list[tuple[int, int | None]]] = {}
        for contact_id, account_id, name, *_rest in store.contact_index(session):
            by_account.setdefault((account_id, name.strip()), []).append(contact_id)
            by_name.setdefault(name.strip(), []).append((contact_id, account_id))

        def find(name: str, account_id: int | None) -> tuple[int | None, int | None, str]:
            name = name.strip()
            if not name:
                return None, account_id, ""
            if account_id is not None:
                ids = by_account.get((account_id, name), [])
                if len(ids) == 1:
                    return ids[0], account_id, ""
                if not ids:
                    return None, account_id, _("contact: nobody called {name} at that company.").format(name=name)
                return (
                    None,
                    account_id,
                    _("contact: {count} people called {name} at that company.").format(count=len(ids), name=name),
                )
            found = by_name.get(name, [])
            if len(found) == 1:
                return found[0][0], found[0][1], ""
            if not found:
                return None, None, _("contact: nobody called {name} is in the file.").format(name=name)
            return (
                None,
                None,
                _("contact: {count} people are called {name}; add the account column.").format(
                    count=len(found), name=name
                ),
            )

        return find

    def _resolve_linked(
        self,
        session: Any,
        refs: _Refs,
        rows: Iterable[CheckedRow],
        key: Callable[[dict[str, Any]], tuple[Any, ...]],
        existing: set[tuple[Any, ...]],
    ) -> None:
        """Activities and gifts: company, contact and colleague by name; duplicates by their key fields."""
        find = self._contact_finder(session)
        first_row = store.KeyIndex()  # repr of an entry's key → its first row
        for row in rows:
            if not row.ok:
                continue
            values = row.values
            account_name = values.get("account", "").strip()
            account_id = refs.accounts.get(account_name) or refs.new_accounts.get(account_name)
            contact_name = values.get("contact", "").strip()
            if account_name and account_id is None and contact_name:
                problem = _("contact: {name} cannot be at {account}: no account of that name is in the file.").format(
                    name=contact_name, account=account_name
                )
                contact_id = contact_account = None
            else:
                contact_id, contact_account, problem = find(contact_name, account_id if account_name else None)
            if problem:
                row.problems.append(problem)
                continue
            values["contact_id"] = contact_id
            values["account_id"] = account_id if account_id is not None else contact_account
            if values["account_id"] is None and account_name:
                values["account_id"] = refs.account(account_name, create=True)
            values["member_id"] = refs.member(values.get("member", ""), create=True)
            this = key(values)
            if this in existing:
                row.duplicate_of = _("the same entry is already in the file")
            elif (first := first_row.get(repr(this))) is not None:
                row.duplicate_of = _("same entry as row {row}").format(row=first)
            else:
                first_row[repr(this)] = row.row

    def _resolve_activities(self, session: Any, refs: _Refs, rows: Iterable[CheckedRow]) -> None:
        self._resolve_linked(session, refs, rows, _activity_key, store.activity_keys(session))

    def _resolve_gifts(self, session: Any, refs: _Refs, rows: Iterable[CheckedRow]) -> None:
        self._resolve_linked(session, refs, rows, _gift_key, store.gift_keys(session))

    def _resolve_catalogue(self, session: Any, refs: _Refs, rows: Iterable[CheckedRow]) -> None:
        """An item named like one already in the catalogue (or an earlier row) is a duplicate."""
        seen = store.KeyIndex()  # item key → its first row, 0 when in the catalogue
        for item in gift_store.catalogue(session, include_inactive=True):
            seen[_item_key(item.item)] = 0
        for row in rows:
            if not row.ok:
                continue
            key = _item_key(row.values["name"])
            if (first := seen.get(key)) is not None:
                row.duplicate_of = (
                    _("the catalogue already has {name}").format(name=row.values["name"])
                    if not first
                    else _("same item as row {row}").format(row=first)
                )
            else:
                seen[key] = row.row

    # Writing ---------------------------------------------------------------------------------
    def _write_chunked(
        self,
        session: Any,
        table: str,
        rows: _Importable,
        progress: Progress | None,
        record: Callable[[int, CheckedRow], dict[str, Any]],
        after: Callable[[list[dict[str, Any]], list[CheckedRow]], None] | None = None,
    ) -> int:
        """Insert a table row made by `record` (id, checked row) for each row, a chunk at a time (so that a
        million rows are never all held), each chunk followed by `after` (its dependent rows)."""
        first = store.next_id(session, table)
        written = 0
        for chunk in _chunks(rows):
            records = [record(first + written + offset, row) for offset, row in enumerate(chunk)]
            written += store.insert_rows(session, table, records, self.db.user_name, self.db.host)
            if after is not None:
                after(records, chunk)
            if progress is not None:
                progress("writing", written, len(rows))
        return written

    def _write_accounts(self, session: Any, refs: _Refs, rows: _Importable, progress: Progress | None) -> int:
        def record(account_id: int, row: CheckedRow) -> dict[str, Any]:
            v = row.values
            pinyin, initials = v["_keys"]
            return {
                "id": account_id,
                "name": v["name"],
                "name_pinyin": pinyin,
                "name_initials": initials,
                "industry": v.get("industry", ""),
                "city": v.get("city", ""),
                "province": v.get("province", ""),
                "personality_type": v.get("personality_type"),
                "sales_stage": v.get("sales_stage"),
                "relationship_type": v.get("relationship_type"),
                "cycle_stage": v.get("cycle_stage"),
                "attractiveness": v.get("attractiveness"),
                "relationship_state": v.get("relationship_state"),
                "potential_cents": v.get("potential"),
                "owner_id": v.get("owner_id"),
                "notes": v.get("notes", ""),
            }

        def after(accounts: list[dict[str, Any]], chunk: list[CheckedRow]) -> None:
            values = []
            next_value = store.next_id(session, "account_values")
            for account, row in zip(accounts, chunk, strict=True):
                v = row.values
                if v.get("value") is None:
                    continue
                period = parse_period(v.get("value_period") or str(self.today().year), self.today())
                values.append(
                    {
                        "id": next_value,
                        "account_id": account["id"],
                        "period": period.key,
                        "period_start": period.start,
                        "period_end": period.end,
                        "revenue_cents": v["value"],
                        "profit_cents": v.get("profit"),
                    }
                )
                next_value += 1
            store.insert_rows(session, "account_values", values, self.db.user_name, self.db.host)
            history = account_store.stage_history_rows(accounts, self.db.user_name, "import")
            store.insert_rows(session, "account_stage_history", history, self.db.user_name, self.db.host, log=False)

        return self._write_chunked(session, "accounts", rows, progress, record, after)

    def _write_contacts(self, session: Any, refs: _Refs, rows: _Importable, progress: Progress | None) -> int:
        def record(contact_id: int, row: CheckedRow) -> dict[str, Any]:
            v = row.values
            pinyin, initials = v["_keys"]
            birthday = v.get("birthday")
            likes, taboos = contact_tags(v)
            return {
                "id": contact_id,
                "account_id": v.get("account_id"),
                "name": v["name"],
                "name_pinyin": pinyin,
                "name_initials": initials,
                "title": v.get("title", ""),
                "rank_tier": v.get("rank_tier"),
                "buying_role": v.get("buying_role"),
                "relationship_stage": v.get("relationship_stage", "stranger"),
                "mobile": v.get("mobile", ""),
                "phone": v.get("phone", ""),
                "email": v.get("email", ""),
                "wechat": v.get("wechat", ""),
                "address": v.get("address", ""),
                "city": v.get("city", ""),
                "hometown": v.get("hometown", ""),
                "interests": v.get("interests", ""),
                "preferences": v.get("preferences", ""),
                "taboos": v.get("taboos", ""),
                "like_tags": format_tags(likes),
                "taboo_tags": format_tags(taboos),
                "personality_type": v.get("personality_type"),
                "notes": v.get("notes", ""),
                "birthday_calendar": birthday.calendar if birthday else None,
                "birthday_year": birthday.year if birthday else None,
                "birthday_month": birthday.month if birthday else None,
                "birthday_day": birthday.day if birthday else None,
                "birthday_leap_month": birthday.leap_month if birthday else False,
            }

        today = self.today()

        def after(contacts: list[dict[str, Any]], _chunk: list[CheckedRow]) -> None:
            history = [
                {
                    "contact_id": c["id"],
                    "stage": c["relationship_stage"],
                    "changed_on": today,
                    "changed_by": self.db.user_name,
                    "reason": "import",
                }
                for c in contacts
                if c["relationship_stage"] != "stranger"
            ]
            store.insert_rows(session, "contact_stage_history", history, self.db.user_name, self.db.host, log=False)

        return self._write_chunked(session, "contacts", rows, progress, record, after)

    def _write_team(self, session: Any, refs: _Refs, rows: _Importable, progress: Progress | None) -> int:
        def record(member_id: int, row: CheckedRow) -> dict[str, Any]:
            v = row.values
            pinyin, initials = v["_keys"]
            return {
                "id": member_id,
                "name": v["name"],
                "name_pinyin": pinyin,
                "name_initials": initials,
                "title": v.get("title", ""),
                "department": v.get("department", ""),
                "rank_tier": v.get("rank_tier"),
                "role": v.get("role"),
                "email": v.get("email", ""),
                "phone": v.get("phone", ""),
                "active": v.get("active", True),
            }

        return self._write_chunked(session, "team_members", rows, progress, record)

    def _write_activities(self, session: Any, refs: _Refs, rows: _Importable, progress: Progress | None) -> int:
        def record(activity_id: int, row: CheckedRow) -> dict[str, Any]:
            v = row.values
            return {
                "id": activity_id,
                "kind": v["kind"],
                "status": v.get("status", "planned"),
                "account_id": v.get("account_id"),
                "contact_id": v.get("contact_id"),
                "member_id": v.get("member_id"),
                "due_on": v.get("due_on"),
                "occurred_at": v.get("occurred_at"),
                "duration_minutes": v.get("duration_minutes", 0),
                "subject": v.get("subject", ""),
                "notes": v.get("notes", ""),
                "outcome": v.get("outcome", ""),
                "important": v.get("important", False),
                "start_time": v.get("start_time", ""),
                "location": v.get("location", ""),
            }

        return self._write_chunked(session, "activities", rows, progress, record)

    def _write_gifts(self, session: Any, refs: _Refs, rows: _Importable, progress: Progress | None) -> int:
        def record(gift_id: int, row: CheckedRow) -> dict[str, Any]:
            v = row.values
            return {
                "id": gift_id,
                "direction": v.get("direction", "given"),
                "kind": v["kind"],
                "item": v["item"],
                "value_cents": v.get("value") or 0,
                "given_on": v["given_on"],
                "account_id": v.get("account_id"),
                "contact_id": v.get("contact_id"),
                "member_id": v.get("member_id"),
                "occasion": v.get("occasion", ""),
                "approved_by": v.get("approved_by", ""),
                "notes": v.get("notes", ""),
            }

        return self._write_chunked(session, "gifts", rows, progress, record)

    def _write_catalogue(self, session: Any, refs: _Refs, rows: _Importable, progress: Progress | None) -> int:
        def record(item_id: int, row: CheckedRow) -> dict[str, Any]:
            item = catalogue_item(row.values)
            return {
                "id": item_id,
                "item": item.item,
                "kind": item.kind,
                "unit_cost_cents": item.unit_cost_cents,
                "supplier": item.supplier,
                "notes": item.notes,
                "active": item.active,
                "occasions": format_tags(item.occasions),
                "category": item.category,
                "attributes": format_tags(item.attributes),
                "origin": item.origin,
            }

        return self._write_chunked(session, "gift_catalogue", rows, progress, record)

    # Exporting ---------------------------------------------------------------------------------
    def export(self, kind: str, fmt: str, out: str | Path) -> int:
        """Write accounts, contacts, activities, gifts, visits or the gift catalogue to a CSV, XLSX or (contacts)
        vCard file."""
        if kind not in EXPORT_FORMATS:
            raise ValueError(
                _("Unknown kind of export {kind!r}; choose one of: {choices}.").format(
                    kind=kind, choices=", ".join(EXPORT_FORMATS)
                )
            )
        if fmt not in EXPORT_FORMATS[kind]:
            raise ValueError(
                _("The {kind} can be exported as: {formats}.").format(
                    kind=kind, formats=", ".join(EXPORT_FORMATS[kind])
                )
            )
        headers = export_headers(kind)
        with self.db.read() as session:
            if kind == "contacts":
                contacts = store.contacts_for_export(session)
                file_id = repo.file_id(session) or ""
                if fmt == "vcf":
                    Path(out).write_bytes(
                        contacts_to_vcf(
                            (c, f"kamdesk-{file_id}-contact-{c.id}" if file_id else f"kamdesk-contact-{c.id}")
                            for c in contacts
                        )
                    )
                    return len(contacts)
                records = [_contact_record(c) for c in contacts]
            elif kind == "accounts":
                records = store.accounts_for_export(session)
            elif kind == "gifts":
                records = store.gifts_for_export(session)
            elif kind == "catalogue":
                records = [_catalogue_record(i) for i in gift_store.catalogue(session, include_inactive=True)]
            else:
                records = store.activities_for_export(session, "visit" if kind == "visits" else None)
        rows = [[_file_value(name, record.get(name)) for name in headers] for record in records]
        if fmt == "csv":
            write_csv(out, headers, rows)
        else:
            write_xlsx(out, headers, rows, title=kind)
        return len(rows)


_MONEY_FIELDS = {"value", "profit", "potential", "cost"}


def _file_value(name: str, value: Any) -> Any:
    if name in _MONEY_FIELDS:
        return format_money(value)
    if name == "important":
        return "yes" if value else ""
    return "" if value is None else value


def _contact_record(c: Any) -> dict[str, Any]:
    record = {name: getattr(c, name, "") for name in export_headers("contacts") if hasattr(c, name)}
    record["account"] = c.account_name
    record["birthday"] = format_birthday(c.birthday)
    record["birthday_calendar"] = c.birthday.calendar if c.birthday else ""
    record["birthday_leap_month"] = "yes" if c.birthday and c.birthday.leap_month else ""
    record["like_tags"] = format_tags(c.like_tags).replace(",", ", ")
    record["taboo_tags"] = format_tags(c.taboo_tags).replace(",", ", ")
    return record


def _catalogue_record(item: CatalogueItem) -> dict[str, Any]:
    """A catalogue item as an export row: tags as codes ("mid_autumn, spring_festival"), so a file
    read back in any language gives the same item."""
    return {
        "name": item.item,
        "kind": item.kind,
        "occasions": format_tags(item.occasions).replace(",", ", "),
        "category": item.category,
        "attributes": format_tags(item.attributes).replace(",", ", "),
        "cost": item.unit_cost_cents,
        "supplier": item.supplier,
        "origin": item.origin,
        "story": item.notes,
        "active": "yes" if item.active else "no",
    }


def _who(found: str | int) -> str:
    """Who a duplicate repeats: a record of the team file (its label) or an earlier row of the file."""
    return found if isinstance(found, str) else _("row {row}").format(row=found)


def _item_key(name: str) -> str:
    return re.sub(r"\s+", "", name).lower()


def _activity_key(v: dict[str, Any]) -> tuple[Any, ...]:
    return (
        v["kind"],
        v.get("account_id"),
        v.get("contact_id"),
        v.get("due_on"),
        v.get("occurred_at"),
        v.get("subject", ""),
    )


def _gift_key(v: dict[str, Any]) -> tuple[Any, ...]:
    return (v["item"], v["given_on"], v.get("account_id"), v.get("contact_id"), v.get("value") or 0)


def _used(rows: Iterable[CheckedRow]) -> tuple[set[str], set[str]]:
    """The company names and the colleagues' names the rows name (one pass)."""
    accounts: set[str] = set()
    members: set[str] = set()
    for row in rows:
        values = row.values
        accounts.add(str(values.get("account", "")).strip())
        members.add(str(values.get("member", "")).strip())
        members.add(str(values.get("owner", "")).strip())
    return accounts, members


_CARD_START = re.compile(rb"(?im)^[ \t]*begin:vcard")


def _count_cards(data: bytes) -> int:
    """How many cards a vCard file starts (counted before it is parsed, so a file of millions is refused early)."""
    return sum(1 for _match in _CARD_START.finditer(data))


def _is_vcard(path: Path) -> bool:
    if path.suffix.lower() in (".vcf", ".vcard"):
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(64).lstrip(b"\xef\xbb\xbf \r\n\t")
    except OSError:
        return False
    return head.upper().startswith(b"BEGIN:VCARD")


#: Names whose pinyin keys an import remembers (a file repeats its companies and surnames; a million distinct
#: names must not fill the memory).
_KEY_CACHE_NAMES = 50_000


def _prepare_keys(kind: str, rows: Sequence[CheckedRow]) -> None:
    """Pinyin search keys, worked out before the write lock is taken (the costly part of a row)."""
    if kind not in ("accounts", "contacts", "team"):
        return
    person = kind != "accounts"
    cache: dict[str, tuple[str, str]] = {}
    for row in _updating(rows):
        if row.ok:
            name = row.values["name"]
            keys = cache.get(name)
            if keys is None:
                if len(cache) >= _KEY_CACHE_NAMES:
                    cache.clear()
                keys = cache[name] = search_keys(name, person=person)
            row.values["_keys"] = keys


def _updating(rows: Sequence[CheckedRow]) -> Iterator[CheckedRow]:
    """The rows, for a pass that changes them: a spool keeps the changes, a list holds the rows themselves."""
    return rows.updating() if isinstance(rows, store.RowSpool) else iter(rows)


class _Importable:
    """The rows an import writes (no problem, not a duplicate), read again from the spool on each pass."""

    def __init__(self, rows: Sequence[CheckedRow], count: int) -> None:
        self._rows = rows
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[CheckedRow]:
        return (row for row in self._rows if row.ok and not row.duplicate_of)


def _chunks(rows: Iterable[CheckedRow]) -> Iterator[list[CheckedRow]]:
    chunk: list[CheckedRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= store.CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_RESOLVERS: dict[str, Callable[[TransferService, Any, _Refs, Iterable[CheckedRow]], None]] = {
    "accounts": TransferService._resolve_accounts,
    "contacts": TransferService._resolve_contacts,
    "team": TransferService._resolve_team,
    "activities": TransferService._resolve_activities,
    "gifts": TransferService._resolve_gifts,
    "catalogue": TransferService._resolve_catalogue,
}
_WRITERS: dict[str, Callable[[TransferService, Any, _Refs, _Importable, Progress | None], int]] = {
    "accounts": TransferService._write_accounts,
    "contacts": TransferService._write_contacts,
    "team": TransferService._write_team,
    "activities": TransferService._write_activities,
    "gifts": TransferService._write_gifts,
    "catalogue": TransferService._write_catalogue,
}
