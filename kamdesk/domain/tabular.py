"""Spreadsheet files in and out: CSV with encoding detection, XLSX, and cells no spreadsheet will run.

Why a worksheet's cells are read by kamdesk's own expat handlers (`_SheetReader`) rather than by openpyxl's
read-only mode (`load_workbook(read_only=True, data_only=True)`, `reset_dimensions()`,
`iter_rows(values_only=True)`); openpyxl still reads the workbook's small parts (manifest, workbook, styles and
their date formats), after the same size and ratio checks. Measured with openpyxl 3.1.5 and expat 2.5.0 on two
shared cores (tests/bench/bench_xlsx_memory.py; issue 23):

- A cell's size. openpyxl's ElementTree builds a cell's whole text before anyone can look at its length. A 5.7 MB
  workbook whose sheet unpacks 84 times (under MAX_INFLATE_RATIO, so it is not refused as a zip bomb) into one
  cell of 479 million characters took 994 MB with openpyxl; the expat handlers count such a cell without keeping
  it and refuse its row with a reason, at 29 MB. No check before opening closes this without refusing real
  workbooks: the 52 MB workbook below unpacks 11 times, to 565 MB.
- Speed. That 52 MB workbook (767,371 contact rows) streamed through in 93 s at 97 MB peak with openpyxl (its
  iterparse keeps an emptied element per row), in 39 s at 29 MB with the expat handlers (147 s and 61 s in a run
  on a busier machine).
- Wide and far rows. openpyxl pads each row to its rightmost cell: 50,000 rows with a cell in column XFD took 7.4 s
  against 0.7 s, and text past MAX_COLUMNS is dropped unseen instead of refusing its row. It also yields every
  missing row: one row numbered 999,999,999 means a billion empty rows.
- Oddities. A shared-string index past the table raises IndexError from inside openpyxl, and a date out of
  range becomes "#VALUE!" with a warning; the handlers give an empty cell and the number as written.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import IO, Any, overload

from kamdesk.i18n import _

#: A file larger than this is refused with a message (split it): one import is one transaction.
MAX_FILE_BYTES = 100_000_000
#: Data rows one import reads; a file holding more is refused (split it) before its rows fill the memory.
MAX_ROWS = 1_000_000
#: What a spreadsheet may run as a formula when a cell starts with it (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls of Excel 97–2003
#: Names people give the encodings of their files, mapped to Python's codecs.
ENCODING_ALIASES = {
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "cp936": "gb18030",
    "ansi": "gb18030",
    "utf8": "utf-8",
    "utf-8-bom": "utf-8-sig",
    "utf8-bom": "utf-8-sig",
}


class Rows(Sequence[tuple[int, list[str]]]):
    """Data rows as (row number, cells), kept compact: each row's cells as one UTF-8 byte string.

    A million rows as Python lists of str take gigabytes; as bytes, a fifth of that. Rows are unpacked
    when read, so they are used exactly like a list of tuples.
    """

    _SEPARATOR = "\x1f"  # the unit separator; a row holding one itself is kept unpacked

    def __init__(self, rows: Iterable[tuple[int, list[str]]] = ()) -> None:
        self._numbers = array("q")
        self._packed: list[bytes | list[str]] = []
        for row in rows:
            self.append(row)

    def append(self, row: tuple[int, list[str]]) -> None:
        number, cells = row
        self._numbers.append(number)
        if not cells or any(self._SEPARATOR in cell for cell in cells):
            self._packed.append(list(cells))
        else:
            self._packed.append(self._SEPARATOR.join(cells).encode("utf-8", "surrogatepass"))

    def _row(self, index: int) -> tuple[int, list[str]]:
        packed = self._packed[index]
        if isinstance(packed, list):
            return self._numbers[index], list(packed)
        text = packed.decode("utf-8", "surrogatepass")
        return self._numbers[index], text.split(self._SEPARATOR) if text else [""]

    def __len__(self) -> int:
        return len(self._packed)

    @overload
    def __getitem__(self, index: int) -> tuple[int, list[str]]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, list[str]]]: ...

    def __getitem__(self, index: int | slice) -> tuple[int, list[str]] | list[tuple[int, list[str]]]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        return self._row(range(len(self))[index])

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for index in range(len(self._packed)):
            yield self._row(index)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows | list | tuple):
            return len(self) == len(other) and all(a == tuple(b) for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({list(self)!r})"


class TableError(ValueError):
    """A whole file cannot be read as a table; the message says why and, where it can, where."""


@dataclass
class Table:
    """A read sheet: header cells, then data rows as (spreadsheet row number, cells)."""

    headers: list[str]
    #: A list or `Rows`; or, from `stream_xlsx`, `SheetRows`, read once as iterated.
    rows: Iterable[tuple[int, list[str]]]
    encoding: str = ""
    notes: list[str] = field(default_factory=list)
    #: Row number → why the row could not be read as it stands (an unclosed quote, a cell too big); such a row
    #: is refused with these reasons.
    problems: dict[int, list[str]] = field(default_factory=dict)
    #: Row number → (first, last) line of a CSV file, for rows that a quoted cell spreads over several lines.
    lines: dict[int, tuple[int, int]] = field(default_factory=dict)


def row_estimate(rows: Iterable[Any]) -> int:
    """How many rows a table's `rows` hold: their length, or what a streamed sheet (`SheetRows`) estimates; for
    progress only."""
    return len(rows) if isinstance(rows, Sized) else int(getattr(rows, "estimate", 0))


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
            line = data[: exc.start].count(b"\n") + 1
            raise TableError(
                _("The file cannot be read as {encoding}: line {line} holds bytes that are not {encoding}.").format(
                    encoding=encoding, line=line
                )
            ) from None
        return text.removeprefix("\ufeff"), codec
    if data.startswith(codecs.BOM_UTF8):
        return decode_text(data[3:], "utf-8")[0], "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16").removeprefix("\ufeff"), "utf-16"
    if _looks_binary(data):
        raise TableError(
            _(
                "This is not a text file (it holds binary data), so it cannot be read as CSV or vCard. "
                "Choose a CSV, vCard (.vcf) or Excel (.xlsx) file."
            )
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed(data)
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableError(
            _(
                "The file is neither UTF-8 nor GBK text (line {line} cannot be read). Save it from "
                "your spreadsheet as “CSV UTF-8”, or name its encoding."
            ).format(line=line)
        ) from None


#: The encodings a Chinese file is likely in, with the name a person gives for each.
_CHINESE_ENCODINGS = {"gb18030": "GBK", "big5": "Big5", "utf-8": "UTF-8"}
_SAMPLE_BYTES = 300_000


@cache
def _common_han(ch: str) -> bool:
    """True for the characters of everyday Chinese: GB2312 level 1 (3,755) or Big5's frequent set (5,401)."""
    try:
        gb = ch.encode("gb2312")
        if len(gb) == 2 and 0xB0 <= gb[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        big5 = ch.encode("big5")
        return len(big5) == 2 and 0xA440 <= (big5[0] << 8 | big5[1]) <= 0xC67E
    except UnicodeEncodeError:
        return False


def _common_share(text: str) -> tuple[float, int]:
    """(share of everyday characters among the CJK, private-use and unassigned ones, how many there were)."""
    odd = [ch for ch in text if ord(ch) >= 0x2E80 and (ord(ch) < 0xFF00 or unicodedata.category(ch) in ("Co", "Cn"))]
    if not odd:
        return 1.0, 0
    return sum(map(_common_han, odd)) / len(odd), len(odd)


def encoding_note(data: bytes, text: str, codec: str) -> str:
    """A warning when Chinese text decoded as `codec` is unlikely: mostly rare characters, most of all when
    another common Chinese encoding reads the same bytes as everyday ones (GBK read as Big5, or back)."""
    share, count = _common_share(text[: _SAMPLE_BYTES // 2])
    if count < 4 or share >= 0.8:
        return ""
    best, best_share = "", share
    for other in _CHINESE_ENCODINGS:
        if codecs.lookup(other).name == codecs.lookup(codec).name:
            continue
        try:
            decoded = codecs.getincrementaldecoder(other)().decode(data[:_SAMPLE_BYTES], final=False)
        except UnicodeDecodeError:
            continue
        other_share, other_count = _common_share(decoded)
        if other_count >= count // 2 and other_share > best_share + 0.25:
            best, best_share = other, other_share
    shown = _CHINESE_ENCODINGS.get(codecs.lookup(codec).name, codec)
    if best:
        return _(
            "Warning: read as {encoding}, the Chinese text looks garbled (only {share}% of its characters "
            "are everyday ones; read as {other}, {other_share}% are). Check the names; if they are wrong, "
            "import again with the encoding {other}."
        ).format(
            encoding=shown,
            share=round(share * 100),
            other=_CHINESE_ENCODINGS[best],
            other_share=round(best_share * 100),
        )
    if share < 0.5:
        return _(
            "Warning: read as {encoding}, the Chinese text looks garbled (only {share}% of its characters "
            "are everyday ones). Check the names; if they are wrong, import again naming the file's "
            "encoding."
        ).format(encoding=shown, share=round(share * 100))
    return ""


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
        raise TableError(
            _(
                "The file mixes two encodings: lines {utf8} are UTF-8, lines {other} are not (GBK?). "
                "Save the whole file again in one encoding."
            ).format(utf8=_line_ranges(utf8), other=_line_ranges(other))
        )


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
                yield (
                    first,
                    first,
                    [raw[0].rstrip("\r\n")],
                    _(
                        "a quote opens on line {line} and is never closed, so it took in every line after it; close "
                        "the quote (a quote inside a cell is written as two quotes) and import again."
                    ).format(line=first),
                )
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
            raise TableError(
                _(
                    "Line {line} holds a cell of more than {limit} characters, more than any field "
                    "takes; is a quote left open before it?"
                ).format(line=line, limit=csv.field_size_limit())
            ) from None
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
    table = Table([], rows := Rows(), used)
    note = encoding_note(data, text, used)
    if note:
        table.notes.append(note)
    for number, (first, last, cells, problem) in enumerate(_csv_records(text, _dialect(text)), start=1):
        if not any(c.strip() for c in cells):
            continue
        if headers is None:
            if problem:
                raise TableError(
                    _(
                        "The header row opens a quote that is never closed, so its columns cannot be "
                        "told apart. Close the quote and import again."
                    )
                )
            headers = [c.strip() for c in cells]
            continue
        if len(rows) >= MAX_ROWS:
            raise _refuse_too_many_rows()
        if problem:
            table.problems[number] = [problem]
        if last > first:
            table.lines[number] = (first, last)
        rows.append((number, [restore(c) for c in cells]))
    if headers is None:
        raise TableError(_("The file is empty."))
    table.headers = headers
    return _checked(table)


def _refuse_too_many_rows() -> TableError:
    return TableError(
        _(
            "The file holds more than {limit} rows; one import takes at most {limit}. Split it into smaller files."
        ).format(limit=f"{MAX_ROWS:,}")
    )


def _checked(table: Table) -> Table:
    if not table.rows:
        raise TableError(_("The file has a header row but no data rows: nothing to import."))
    return table


# Reading XLSX -------------------------------------------------------------------------------
#: A cell holding more text than this is refused with its row (no field takes a tenth of it).
MAX_CELL_CHARS = 200_000
#: Columns read from a sheet; a value further right refuses its row rather than widening every row.
MAX_COLUMNS = 1_000
#: Workbook parts read whole (workbook, styles, relations, content types) may not unpack to more than this.
MAX_PART_BYTES = 50_000_000
#: A part over INFLATE_GRACE_BYTES that unpacks to more than this many times its packed size is a zip bomb (the
#: ratio Apache POI refuses); real sheets unpack 10 to 30 times. Smaller parts are streamed under the cell and
#: row limits (a huge cell refuses only its row). Python's zipfile never unpacks past the size the archive
#: declares, so the declared sizes are a safe bound.
MAX_INFLATE_RATIO = 100
INFLATE_GRACE_BYTES = MAX_PART_BYTES
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d*)")
_FEED_BYTES = 1 << 16


class _TooBig:
    """Stands for a text longer than MAX_CELL_CHARS, which is never kept."""


TOO_BIG = _TooBig()


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


def column_letter(index: int) -> str:
    """The spreadsheet letters of a column (1 → A, 28 → AB)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


class _TextCollector:
    """Character data of the elements being collected, kept up to MAX_CELL_CHARS and only counted beyond."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, data: str) -> None:
        if self.size <= MAX_CELL_CHARS:
            self.parts.append(data[: MAX_CELL_CHARS + 1 - self.size])
        self.size += len(data)

    def take(self) -> str | _TooBig:
        text: str | _TooBig = TOO_BIG if self.size > MAX_CELL_CHARS else "".join(self.parts)
        self.parts, self.size = [], 0
        return text


def _expat_chunks(source: IO[bytes], parser: Any, pending: list[Any]) -> Iterator[Any]:
    """Feed `source` to an expat parser a chunk at a time, yielding what its handlers put in `pending`."""
    while True:
        chunk = source.read(_FEED_BYTES)
        parser.Parse(chunk, not chunk)
        yield from pending
        pending.clear()
        if not chunk:
            return


def _shared_strings(source: IO[bytes]) -> list[str | _TooBig]:
    """The shared-string table, read streaming: phonetic runs left out, strings over the limit not kept."""
    from xml.parsers import expat

    strings: list[str | _TooBig] = []
    text = _TextCollector()
    depth = {"t": 0, "rPh": 0}

    def start(name: str, _attrs: dict[str, str]) -> None:
        local = name.rpartition("}")[2]
        if local in depth:
            depth[local] += 1

    def end(name: str) -> None:
        local = name.rpartition("}")[2]
        if local in depth:
            depth[local] -= 1
        elif local == "si":
            strings.append(text.take())

    def data(chunk: str) -> None:
        if depth["t"] and not depth["rPh"]:
            text.add(chunk)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = False
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
    for _item in _expat_chunks(source, parser, []):
        pass
    return strings


@dataclass
class _SheetStyle:
    """What turns a cell's number into a date: the workbook's epoch and its date styles."""

    epoch: dt.datetime
    date_styles: set[int]
    timedelta_styles: set[int]


@dataclass
class _SheetGauge:
    """How far through its sheet a streamed read is: the last row the sheet's dimension claims (0 if none), and
    the sheet part's unpacked bytes, in all and read so far."""

    claimed_rows: int = 0
    part_bytes: int = 0
    read_bytes: int = 0


class _CountingReader:
    """A binary stream that counts the bytes read from it into a gauge."""

    def __init__(self, source: IO[bytes], gauge: _SheetGauge) -> None:
        self._source = source
        self._gauge = gauge

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self._gauge.read_bytes += len(data)
        return data


def _sheet_rows(
    source: IO[bytes], strings: list[str | _TooBig], style: _SheetStyle, gauge: _SheetGauge | None = None
) -> Iterator[tuple[int, list[str], list[str]]]:
    """(row number, cell texts, problems) of each row of a worksheet part, parsed streaming with expat.

    Only cells that are present are kept, so a stray cell in column XFD or a sheet claiming a million
    columns costs nothing; a cell over MAX_CELL_CHARS is counted, not kept, and refuses its row. The last
    row the sheet's dimension claims goes into `gauge` when it is read.
    """
    from xml.parsers import expat

    reader = _SheetReader(strings, style, gauge if gauge is not None else _SheetGauge())
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = False
    parser.StartElementHandler, parser.EndElementHandler = reader.start, reader.end
    parser.CharacterDataHandler = reader.data
    yield from _expat_chunks(source, parser, reader.pending)


class _SheetReader:
    """The expat handlers of one worksheet part: they build each row from its cells and queue it when it ends.

    Only the row being read is held; finished rows wait in `pending` until `_expat_chunks` hands them on.
    """

    def __init__(self, strings: list[str | _TooBig], style: _SheetStyle, gauge: _SheetGauge) -> None:
        # Imported here, once a sheet rather than once a cell, and not at all by a CSV import.
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self._from_excel = from_excel
        self._from_iso = from_ISO8601
        self.pending: list[tuple[int, list[str], list[str]]] = []
        self._strings = strings
        self._style = style
        self._text = _TextCollector()
        self._row_cells: dict[int, str] = {}
        self._row_problems: list[str] = []
        self._row = 0
        self._col = 0
        self._collecting = 0  # inside <v> or <t>, whose text is the cell's
        self._phonetic = 0  # inside <rPh>: a reading guide for the text, not part of it
        self._cell: dict[str, str] = {}
        self._gauge = gauge

    def start(self, name: str, attrs: dict[str, str]) -> None:
        """An element opens: a cell or row sets the position, a value or text element starts collecting."""
        local = name.rpartition("}")[2]
        if local == "c":
            self._cell = attrs
            # Writers may leave out the reference; a cell without one is the next to the right.
            match = _CELL_REF.match(attrs.get("r", ""))
            self._col = _column_index(match[1]) if match else self._col + 1
        elif local == "row":
            self._row_cells.clear()
            self._row_problems.clear()
            number = attrs.get("r", "")
            self._row = int(number) if number.isdigit() else self._row + 1
            self._col = 0
        elif local in ("v", "t"):
            self._collecting += 1
        elif local == "rPh":
            self._phonetic += 1
        elif local == "dimension":
            last = attrs.get("ref", "").rpartition(":")[2].lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            self._gauge.claimed_rows = min(int(last), MAX_ROWS + 1) if last.isdigit() else 0

    def end(self, name: str) -> None:
        """An element closes: a cell is stored (or refused) in its row, a row is queued."""
        local = name.rpartition("}")[2]
        if local in ("v", "t"):
            self._collecting -= 1
        elif local == "rPh":
            self._phonetic -= 1
        elif local == "c":
            self._end_cell()
        elif local == "row":
            width = max(self._row_cells, default=0)
            cells = [self._row_cells.get(i, "") for i in range(1, width + 1)]
            self.pending.append((self._row, cells, list(self._row_problems)))

    def data(self, chunk: str) -> None:
        """Text inside an element, kept when it belongs to the cell's value."""
        if self._collecting and not self._phonetic:
            self._text.add(chunk)

    def _end_cell(self) -> None:
        """Keep the finished cell's text in its row, or record why the row is refused."""
        value = self._cell_value(self._text.take())
        column = self._col
        if isinstance(value, _TooBig):
            self._row_problems.append(
                _("cell {cell}: holds more than {limit} characters, more than any field takes.").format(
                    cell=f"{column_letter(column)}{self._row}", limit=MAX_CELL_CHARS
                )
            )
        elif column > MAX_COLUMNS:
            # A formatted but empty cell out there loses nothing; text there would be lost, so it refuses the row.
            if value.strip():
                self._row_problems.append(
                    _("cell {cell}: kamdesk reads the first {limit} columns only.").format(
                        cell=f"{column_letter(column)}{self._row}", limit=MAX_COLUMNS
                    )
                )
        elif value:
            self._row_cells[column] = value

    def _cell_value(self, raw: str | _TooBig) -> str | _TooBig:
        """The text of the cell just read, from its collected raw text and its type (`t`) and style (`s`)."""
        kind = self._cell.get("t", "n")
        if isinstance(raw, _TooBig) or kind in ("str", "inlineStr", "e"):
            return raw
        if not raw:
            return ""
        if kind == "s":
            index = int(raw) if raw.isdigit() else -1
            return self._strings[index] if 0 <= index < len(self._strings) else ""
        if kind == "b":
            return _cell_text(raw.strip() == "1")
        if kind == "d":
            return self._iso_date_text(raw)
        return self._number_text(raw)

    def _iso_date_text(self, raw: str) -> str:
        """A cell stored as an ISO 8601 date (type "d") as text; one that does not parse stays as written."""
        try:
            return _cell_text(self._from_iso(raw))
        except ValueError:
            return raw

    def _number_text(self, raw: str) -> str:
        """A numeric cell as text: a date when its style is a date style, else the number as written."""
        try:
            number: float = float(raw) if any(c in raw for c in ".eE") else int(raw)
        except ValueError:
            return raw
        style_ref = self._cell.get("s", "")
        style_id = int(style_ref) if style_ref.isdigit() else 0
        if style_id in self._style.date_styles:
            try:
                return _cell_text(
                    self._from_excel(number, self._style.epoch, timedelta=style_id in self._style.timedelta_styles)
                )
            except (OverflowError, ValueError):
                return raw
        return _cell_text(number)


def _open_workbook(source: Any) -> tuple[Any, str, list[str | _TooBig], _SheetStyle]:
    """(zip archive, first worksheet's part, shared strings, date styles); openpyxl reads the small parts."""
    import warnings

    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import SHARED_STRINGS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of harmless oddities (no default style …)
        reader = ExcelReader(source, read_only=True, data_only=True)
        archive = reader.archive
        for info in archive.infolist():
            if info.file_size > INFLATE_GRACE_BYTES and info.file_size > MAX_INFLATE_RATIO * max(1, info.compress_size):
                raise TableError(
                    _(
                        "The workbook cannot be read safely: its part {part} unpacks to {size} MB from {packed} KB "
                        "({ratio} times), which no spreadsheet does (a “zip bomb”)."
                    ).format(
                        part=info.filename,
                        size=info.file_size // 1_000_000,
                        packed=max(1, info.compress_size // 1000),
                        ratio=info.file_size // max(1, info.compress_size),
                    )
                )
            if info.file_size > MAX_PART_BYTES and not info.filename.startswith(("xl/worksheets/", "xl/sharedStrings")):
                raise TableError(
                    _(
                        "The workbook holds a part ({part}) of {size} MB, far more than a spreadsheet "
                        "needs; it cannot be read."
                    ).format(part=info.filename, size=info.file_size // 1_000_000)
                )
        reader.read_manifest()
        reader.read_workbook()
        apply_stylesheet(archive, reader.wb)
        sheets = [rel.target for _sheet, rel in reader.parser.find_sheets() if rel.Type.endswith("/worksheet")]
    if not sheets:
        raise TableError(_("The workbook has no worksheet."))
    strings: list[str | _TooBig] = []
    found = reader.package.find(SHARED_STRINGS)
    if found is not None:
        with archive.open(found.PartName[1:]) as src:
            strings = _shared_strings(src)
    book = reader.wb
    return archive, sheets[0], strings, _SheetStyle(book.epoch, set(book._date_formats), set(book._timedelta_formats))


class SheetRows:
    """The data rows of a worksheet, read from the file as they are iterated (once), never all held.

    Made by `stream_xlsx`, which has already read the header row. Rows are (row number, cells) as in
    `Table.rows`; a row the reader refuses (a cell too big, text past MAX_COLUMNS) gets its reasons in the
    table's `problems` before it is handed on. A damaged sheet, or more than MAX_ROWS rows, raises TableError
    during the iteration; so does a sheet with no data row, at its end.
    """

    def __init__(
        self, table: Table, rows: Iterator[tuple[int, list[str], list[str]]], gauge: _SheetGauge, header_row: int
    ) -> None:
        self._table = table
        self._rows: Iterator[tuple[int, list[str], list[str]]] | None = rows
        self._gauge = gauge
        self._header_row = header_row
        self._count = 0

    @property
    def estimate(self) -> int:
        """The data rows the sheet probably holds, for progress only: what its dimension claims, else the rows
        read so far scaled by the share of the sheet read (kamdesk's own exports claim no dimension)."""
        gauge = self._gauge
        if gauge.claimed_rows:
            return max(0, gauge.claimed_rows - self._header_row)
        if self._count and gauge.read_bytes:
            return self._count * gauge.part_bytes // gauge.read_bytes
        return 0

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        if self._rows is None:
            raise RuntimeError("the rows of a streamed sheet can be read once")
        rows, self._rows = self._rows, None
        width = len(self._table.headers)
        count = 0
        for number, cells, problems in rows:
            if not problems and not any(c.strip() for c in cells):
                continue
            if count >= MAX_ROWS:
                raise _refuse_too_many_rows()
            count = self._count = count + 1
            if problems:
                self._table.problems[number] = problems
            if len(cells) < width:  # only cells present are read; a row is as wide as its header
                cells.extend([""] * (width - len(cells)))
            yield number, cells
        if not count:
            raise TableError(_("The file has a header row but no data rows: nothing to import."))


def _xlsx_rows(source: Any, gauge: _SheetGauge) -> Iterator[tuple[int, list[str], list[str]]]:
    """(row number, cells, problems) of every row of the first worksheet, read streaming; whatever goes wrong
    is a TableError. `gauge` follows how far through the sheet the reading is."""
    import zipfile
    import zlib
    from xml.parsers.expat import ExpatError

    from openpyxl.utils.exceptions import InvalidFileException

    try:
        archive, sheet, strings, style = _open_workbook(source)
        with archive, archive.open(sheet) as src:
            gauge.part_bytes = archive.getinfo(sheet).file_size
            yield from _sheet_rows(_CountingReader(src, gauge), strings, style, gauge)  # type: ignore[arg-type]
    except TableError:
        raise  # already says what is wrong (a ValueError, which the catch-all below would wrap)
    except ExpatError as exc:
        raise TableError(
            _("The workbook is damaged: its sheet cannot be read ({reason}).").format(reason=exc)
        ) from None
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        InvalidFileException,
        SyntaxError,
    ) as exc:
        raise TableError(_("The workbook cannot be opened: {reason}").format(reason=exc)) from None


def stream_xlsx(source: Any) -> Table:
    """A table from the first worksheet of an XLSX workbook (a path or a binary file) whose header row is
    read and whose data rows (`SheetRows`) are read only as they are iterated: an import of a million rows
    holds one row at a time. Cached values only, never formulas; a cell over MAX_CELL_CHARS or beyond
    MAX_COLUMNS refuses its own row with a reason."""
    gauge = _SheetGauge()
    rows = _xlsx_rows(source, gauge)
    table = Table([], [], "xlsx")
    for number, cells, problems in rows:
        if not problems and not any(c.strip() for c in cells):
            continue
        if problems:
            raise TableError(
                _("The header row (row {row}) cannot be read: {reason}").format(row=number, reason=" ".join(problems))
            )
        headers = [c.strip() for c in cells]
        while headers and not headers[-1]:
            headers.pop()
        table.headers = headers
        table.rows = SheetRows(table, rows, gauge, number)
        return table
    raise TableError(_("The file is empty."))


def read_xlsx(source: Any) -> Table:
    """A table from the first worksheet of an XLSX workbook (a path or a binary file), its rows kept (compactly,
    as `Rows`) for a preview; `stream_xlsx` reads the same rows without keeping them."""
    table = stream_xlsx(source)
    table.rows = Rows(table.rows)
    return table


def read_xlsx_bytes(data: bytes) -> Table:
    """A table from the first sheet of an XLSX workbook held in memory."""
    return read_xlsx(io.BytesIO(data))


def read_table(path: str | Path, encoding: str | None = None, *, stream: bool = False) -> Table:
    """Read a CSV or XLSX file, judged by its content first and its name second.

    With `stream`, a workbook's rows are read as they are iterated (`SheetRows`, once) rather than kept;
    a CSV file is read whole either way (it is at most MAX_FILE_BYTES).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TableError(
                _("The file is {size} MB; one import takes at most {limit} MB. Split it into smaller files.").format(
                    size=size // 1_000_000, limit=MAX_FILE_BYTES // 1_000_000
                )
            )
        with path.open("rb") as handle:
            head = handle.read(len(_OLE_MAGIC))
            if head.startswith(_ZIP_MAGIC):
                handle.seek(0)
                if stream:
                    table = stream_xlsx(path)  # the rows open the file again, as they are read
                else:
                    table = read_xlsx(handle)  # streamed from the file, never read whole
                if path.suffix.lower() == ".csv":
                    table.notes.append(_("The file is named .csv but is an Excel workbook; it was read as one."))
                return table
        data = path.read_bytes()
    except OSError as exc:
        raise TableError(_("Cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    if not data.strip():
        raise TableError(_("The file is empty."))
    if data.startswith(_OLE_MAGIC):
        raise TableError(_("This is an old Excel 97–2003 workbook (.xls). Save it as .xlsx or CSV first."))
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
