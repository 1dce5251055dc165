"""Spreadsheet files in and out: CSV with encoding detection, XLSX, and cells no spreadsheet will run."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kamdesk.i18n import _

#: A file larger than this is refused with a message (split it): one import is one transaction.
MAX_FILE_BYTES = 100_000_000
#: What a spreadsheet may run as a formula when a cell starts with it (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls of Excel 97–2003
#: Names people give the encodings of their files, mapped to Python's codecs.
ENCODING_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "ansi": "gb18030",
                    "utf8": "utf-8", "utf-8-bom": "utf-8-sig", "utf8-bom": "utf-8-sig"}


class TableError(ValueError):
    """A whole file cannot be read as a table; the message says why and, where it can, where."""


@dataclass
class Table:
    """A read sheet: header cells, then data rows as (spreadsheet row number, cells)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str = ""
    notes: list[str] = field(default_factory=list)
    #: Row number → why the row could not be read as it stands (an unclosed quote, a cell too big); such a row
    #: is refused with these reasons.
    problems: dict[int, list[str]] = field(default_factory=dict)
    #: Row number → (first, last) line of a CSV file, for rows that a quoted cell spreads over several lines.
    lines: dict[int, tuple[int, int]] = field(default_factory=dict)


# Formula neutralisation ---------------------------------------------------------------------
def _would_run(text: str) -> bool:
    """True when a spreadsheet could take `text` (after any leading apostrophes) as a formula."""
    if not text or (text[0] not in FORMULA_STARTS and text[0] != "'"):
        return False
    rest = text.lstrip("'")
    return bool(rest) and rest[0] in FORMULA_STARTS and not _PLAIN_NUMBER.match(rest)


def neutralise(text: str) -> str:
    """The cell text for a CSV file: a leading apostrophe where a spreadsheet would see a formula.

    Plain numbers ("-12.5") are left alone; text that already starts with apostrophes before a
    formula character gets one more, so that `restore` gives back exactly what was written.
    """
    return "'" + text if _would_run(text) else text


def restore(text: str) -> str:
    """Undo `neutralise` on a cell read from a CSV file."""
    if text.startswith("'") and _would_run(text[1:]):
        return text[1:]
    return text


# Reading CSV --------------------------------------------------------------------------------
def normalise_encoding(name: str) -> str:
    """Python's codec name for an encoding a person typed; ValueError for an unknown one."""
    wanted = ENCODING_ALIASES.get(name.strip().lower().replace("_", "-"), name.strip())
    try:
        return codecs.lookup(wanted).name
    except LookupError:
        raise ValueError(_("Unknown encoding “{name}”; try utf-8 or gbk.").format(name=name)) from None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return controls > max(4, len(sample) // 100)


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used): UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (GBK).

    A file whose lines are partly UTF-8 and partly GBK is refused with the line numbers of each,
    rather than guessed at: one wrong guess would store unreadable names.
    """
    if encoding:
        codec = normalise_encoding(encoding)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise TableError(_("The file cannot be read as {encoding}: line {line} holds bytes that are not "
                               "{encoding}.").format(encoding=encoding, line=line)) from None
        return text.removeprefix("\ufeff"), codec
    if data.startswith(codecs.BOM_UTF8):
        return decode_text(data[3:], "utf-8")[0], "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16").removeprefix("\ufeff"), "utf-16"
    if _looks_binary(data):
        raise TableError(_("This is not a text file (it holds binary data), so it cannot be read as CSV. "
                           "Choose a CSV or an Excel (.xlsx) file."))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed(data)
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise TableError(_("The file is neither UTF-8 nor GBK text (line {line} cannot be read). Save it from "
                           "your spreadsheet as “CSV UTF-8”, or name its encoding.").format(line=line)) from None


def _line_ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [0]:
        if n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        start = prev = n
    shown = parts[:5]
    return ", ".join(shown) + (" …" if len(parts) > 5 else "")


def _refuse_mixed(data: bytes) -> None:
    """Raise when some lines are UTF-8 with Chinese and others are not UTF-8 at all."""
    utf8: list[int] = []
    other: list[int] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8.append(number)
        except UnicodeDecodeError:
            other.append(number)
    if utf8 and other:
        raise TableError(_("The file mixes two encodings: lines {utf8} are UTF-8, lines {other} are not (GBK?). "
                           "Save the whole file again in one encoding.").format(
            utf8=_line_ranges(utf8), other=_line_ranges(other)))


def _dialect(text: str) -> str:
    """The delimiter of the header line: comma, semicolon (some European Excels) or tab."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, int, list[str], str]]:
    """(first line, last line, cells, problem) of each record of a CSV text.

    A quote still open at the end of the file would swallow every row after it into one cell: that record
    is given back as its first line alone, with the problem, and reading starts again on the next line.
    """
    offset = line_base = 0  # characters and lines before this pass
    while True:
        raw: list[str] = []
        ended = False

        def feed(start: int, sink: list[str]) -> Iterator[str]:
            nonlocal ended
            for line in io.StringIO(text[start:], newline=""):
                sink.append(line)
                yield line
            ended = True

        reader = csv.reader(feed(offset, raw), delimiter=delimiter, strict=False)
        done = 0  # lines of this pass before the current record
        position = offset  # where the current record starts in text
        for cells in _guarded(reader, line_base):
            first = line_base + done + 1
            if reader.line_num - done > 1 and ended and "".join(raw).count('"') % 2:
                yield first, first, [raw[0].rstrip("\r\n")], _(
                    "a quote opens on line {line} and is never closed, so it took in every line after it; close "
                    "the quote (a quote inside a cell is written as two quotes) and import again.").format(line=first)
                offset, line_base = position + len(raw[0]), first
                break
            yield first, line_base + reader.line_num, cells, ""
            done = reader.line_num
            position += sum(len(line) for line in raw)
            raw.clear()
        else:
            return


def _guarded(reader: Any, line_base: int) -> Iterator[list[str]]:
    """The reader's records; its errors become a TableError naming the line."""
    try:
        yield from reader
    except csv.Error as exc:
        line = line_base + reader.line_num
        if "field limit" in str(exc):
            raise TableError(_("Line {line} holds a cell of more than {limit} characters, more than any field "
                               "takes; is a quote left open before it?").format(
                line=line, limit=csv.field_size_limit())) from None
        raise TableError(_("Line {line} cannot be read as CSV: {reason}").format(line=line, reason=exc)) from None


def read_csv_bytes(data: bytes, encoding: str | None = None) -> Table:
    """A table from CSV bytes: the first non-empty row is the header; empty rows are dropped.

    Rows are numbered as a spreadsheet numbers them; a row that a quoted cell spreads over several lines
    keeps those lines in `Table.lines`, and an unclosed quote is a problem of its row, not of the file.
    """
    if not data.strip():
        raise TableError(_("The file is empty."))
    text, used = decode_text(data, encoding)
    if not text.strip():
        raise TableError(_("The file is empty."))
    headers: list[str] | None = None
    table = Table([], [], used)
    for number, (first, last, cells, problem) in enumerate(_csv_records(text, _dialect(text)), start=1):
        if not any(c.strip() for c in cells):
            continue
        if headers is None:
            if problem:
                raise TableError(_("The header row opens a quote that is never closed, so its columns cannot be "
                                   "told apart. Close the quote and import again."))
            headers = [c.strip() for c in cells]
            continue
        if problem:
            table.problems[number] = [problem]
        if last > first:
            table.lines[number] = (first, last)
        table.rows.append((number, [restore(c) for c in cells]))
    if headers is None:
        raise TableError(_("The file is empty."))
    table.headers = headers
    return _checked(table)


def _checked(table: Table) -> Table:
    if not table.rows:
        raise TableError(_("The file has a header row but no data rows: nothing to import."))
    return table


# Reading XLSX -------------------------------------------------------------------------------
def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # Phone numbers typed into Excel come back as floats; whole ones must not grow ".0".
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def read_xlsx_bytes(data: bytes) -> Table:
    """A table from the first sheet of an XLSX workbook (cached values, never formulas)."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(_("The workbook cannot be opened: {reason}").format(reason=exc)) from None
    try:
        sheet = book.worksheets[0]
        headers: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            if headers is None:
                headers = [c.strip() for c in cells]
                while headers and not headers[-1]:
                    headers.pop()
                continue
            rows.append((number, cells))
    finally:
        book.close()
    if headers is None:
        raise TableError(_("The file is empty."))
    return _checked(Table(headers, rows, "xlsx"))


def read_table(path: str | Path, encoding: str | None = None) -> Table:
    """Read a CSV or XLSX file, judged by its content first and its name second."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TableError(_("The file is {size} MB; one import takes at most {limit} MB. Split it into "
                               "smaller files.").format(size=size // 1_000_000, limit=MAX_FILE_BYTES // 1_000_000))
        data = path.read_bytes()
    except OSError as exc:
        raise TableError(_("Cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    if not data.strip():
        raise TableError(_("The file is empty."))
    if data.startswith(_OLE_MAGIC):
        raise TableError(_("This is an old Excel 97–2003 workbook (.xls). Save it as .xlsx or CSV first."))
    if data.startswith(_ZIP_MAGIC):
        table = read_xlsx_bytes(data)
        if path.suffix.lower() == ".csv":
            table.notes.append(_("The file is named .csv but is an Excel workbook; it was read as one."))
        return table
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise TableError(_("The file is named {suffix} but is not an Excel workbook.").format(suffix=path.suffix))
    return read_csv_bytes(data, encoding)


# Writing ------------------------------------------------------------------------------------
def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date | dt.datetime):
        return _cell_text(value)
    return neutralise(str(value))


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV as Excel opens it with Chinese intact: UTF-8 with BOM, CRLF, formulas neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def write_csv(path: str | Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    Path(path).write_bytes(csv_bytes(headers, rows))


def write_xlsx(path: str | Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "") -> None:
    """An XLSX workbook of one sheet; every text cell is stored as text (data type "s"), never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(title))
    bold = Font(bold=True)

    def cell(value: Any, header: bool = False) -> WriteOnlyCell:
        if isinstance(value, bool):
            value = "yes" if value else "no"
        if isinstance(value, str):
            # ILLEGAL control characters would make the workbook unreadable; drop them.
            value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # openpyxl would make "=…" a formula otherwise
        elif isinstance(value, dt.datetime):
            written.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, dt.date):
            written.number_format = "yyyy-mm-dd"
        if header:
            written.font = bold
        return written

    sheet.append([cell(h, header=True) for h in headers])
    for row in rows:
        sheet.append([cell(v) for v in row])
    book.save(str(path))


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\\/*?:\[\]]", " ", title).strip()[:31]
    return cleaned or "Sheet1"
