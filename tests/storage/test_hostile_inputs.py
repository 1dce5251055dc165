"""The hostile-input matrix of `kamdesk import` (issue 23): CSV, XLSX and vCard files with bombs, NULs, broken
quoting, wrong encodings and huge fields, each imported into an existing team file by the real command.

Every case states its outcome: refused with a message (and the team file byte-identical), some rows refused
with their reasons (the others imported, nothing unfit stored), imported with a warning, or imported. None
may end in a traceback, and each runs in its own process, which reports its peak memory.
The figures and the outcome counts are printed at the end.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from figures import report

from kamdesk.domain.tabular import MAX_FILE_BYTES, MAX_ROWS, write_xlsx
from kamdesk.storage.opening import open_database
from kamdesk.storage.tables import AccountRow

#: No case may take more memory than this (a plain import of a few rows takes about 60 MB).
MEMORY_BOUND_MB = 300
CASE_TIMEOUT_S = 120
EXISTING = ("既有客户甲", "既有客户乙")

REFUSED = "refused with a message"
ROWS_REFUSED = "rows refused, others imported"
WARNED = "imported with a warning"
IMPORTED = "imported"


@dataclass
class Case:
    name: str
    kind: str
    file_name: str
    make: Callable[[Path], None]
    outcome: str
    says: str  # words the command's output must hold
    imported: tuple[str, ...] = ()  # names that must be in the file afterwards
    not_imported: tuple[str, ...] = ()  # names (or parts) that must not be
    args: tuple[str, ...] = ()


@dataclass
class Ran:
    case: Case
    code: int
    out: str
    err: str
    peak_mb: float
    seconds: float
    unchanged: bool
    names: list[str] = field(default_factory=list)


# Building the hostile files ---------------------------------------------------------------------------
def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.write(b"name\n")
            handle.truncate(size)  # a hole: the file claims the size without taking the disk

    return make


def _repeated(head: bytes, line: bytes, count: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.write(head)
            block = line * 10_000
            for _ in range(count // 10_000):
                handle.write(block)
            handle.write(line * (count % 10_000))

    return make


def _workbook(path: Path, replace: dict[str, Callable[[zipfile.ZipFile, zipfile.ZipInfo], None]]) -> None:
    """A real workbook (as kamdesk's export writes it) with some parts written again by `replace`."""
    plain = path.with_name(path.name + ".plain.xlsx")
    write_xlsx(plain, ["name", "city"], [["华为技术", "深圳"]], title="accounts")
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
        for info in src.infolist():
            if info.filename in replace:
                replace[info.filename](out, info)
            else:
                out.writestr(info, src.read(info.filename))
        if "xl/sharedStrings.xml" in replace and "xl/sharedStrings.xml" not in src.namelist():
            replace["xl/sharedStrings.xml"](out, zipfile.ZipInfo("xl/sharedStrings.xml"))
    plain.unlink()


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>city</t></is></c></row>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def _streamed_part(
    body: Callable[[Callable[[bytes], object]], None],
) -> Callable[[zipfile.ZipFile, zipfile.ZipInfo], None]:
    def write(out: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        with out.open(info.filename, "w", force_zip64=True) as handle:
            body(handle.write)

    return write


def _sheet(rows: bytes) -> Callable[[zipfile.ZipFile, zipfile.ZipInfo], None]:
    return _streamed_part(lambda write: (write(SHEET_HEAD), write(rows), write(SHEET_TAIL)))


def _xlsx_row_bomb(path: Path) -> None:
    """60 MB of identical rows (over a million) in a sheet that packs to a few hundred kilobytes."""
    row = b'<row><c t="inlineStr"><is><t>AB</t></is></c></row>'

    def body(write: Callable[[bytes], object]) -> None:
        write(SHEET_HEAD)
        block = row * 20_000
        for _ in range(60_000_000 // len(block)):
            write(block)
        write(SHEET_TAIL)

    _workbook(path, {"xl/worksheets/sheet1.xml": _streamed_part(body)})


def _xlsx_strings_bomb(path: Path) -> None:
    """A shared-string table of 60 MB of distinct-looking two-character strings, packed to kilobytes."""

    def strings(write: Callable[[bytes], object]) -> None:
        write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        block = b"<si><t>xy</t></si>" * 20_000
        for _ in range(60_000_000 // len(block)):
            write(block)
        write(b"</sst>")

    _workbook(
        path,
        {
            "xl/sharedStrings.xml": _streamed_part(strings),
            "xl/worksheets/sheet1.xml": _sheet(b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'),
        },
    )


def _xlsx_huge_cell(path: Path) -> None:
    huge = b"A" * 5_000_000
    rows = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>Huge Co</t></is></c>'
        b'<c r="B2" t="inlineStr"><is><t>' + huge + b"</t></is></c></row>"
        b'<row r="3"><c r="A3" t="inlineStr"><is><t>Fine Co</t></is></c></row>'
    )
    _workbook(path, {"xl/worksheets/sheet1.xml": _sheet(rows)})


def _xlsx_entity_bomb(path: Path) -> None:
    """The billion laughs: nested entities in the sheet's own DTD."""
    entities = b'<!ENTITY a0 "lol">' + b"".join(
        b'<!ENTITY a%d "%s">' % (n, b"".join(b"&a%d;" % (n - 1) for _ in range(10))) for n in range(1, 10)
    )
    head = SHEET_HEAD.replace(b"<worksheet", b"<!DOCTYPE worksheet [" + entities + b"]><worksheet", 1)

    def write(out: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        out.writestr(
            info.filename,
            head + b'<row r="2"><c r="A2" t="inlineStr"><is><t>&a9;</t></is></c></row>' + SHEET_TAIL,
        )

    _workbook(path, {"xl/worksheets/sheet1.xml": write})


def _xlsx_truncated(path: Path) -> None:
    _workbook(path, {})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _xlsx_nul_in_sheet(path: Path) -> None:
    rows = b'<row r="2"><c r="A2" t="inlineStr"><is><t>Bad\x00Co</t></is></c></row>'
    _workbook(path, {"xl/worksheets/sheet1.xml": _sheet(rows)})


def _vcard(*cards: str) -> bytes:
    return "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\n{card}END:VCARD\r\n" for card in cards).encode()


def _vcard_photo(path: Path) -> None:
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "QUJD" * 1_250_000  # 5 MB, folded as vCard folds it
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    path.write_bytes(_vcard(f"FN:照片人\r\nORG:照片公司\r\n{folded}\r\n", "FN:李娜\r\nORG:照片公司\r\n"))


CSV_HEAD = b"name,city\n"
CASES = [
    # CSV ---------------------------------------------------------------------------------------------
    Case(
        "csv: NUL in the first rows",
        "accounts",
        "nul.csv",
        _bytes(CSV_HEAD + b"Bad\x00Co,SZ\n"),
        REFUSED,
        "not a text file",
    ),
    Case(
        "csv: NUL after the first 8 KB",
        "accounts",
        "nul_late.csv",
        _bytes(CSV_HEAD + b"".join(b"Co %05d,SZ\n" % i for i in range(1000)) + b"Bad\x00Co,SZ\n"),
        ROWS_REFUSED,
        "row 1002: name: holds control characters",
        ("Co 00999",),
        ("Bad",),
    ),
    Case(
        "csv: quote never closed",
        "accounts",
        "open_quote.csv",
        _bytes(b'name,value,value_period\n"Open quote Co,1000,2026\nNext Co,2000,2026\n'),
        ROWS_REFUSED,
        "row 2: a quote opens on line 2 and is never closed",
        ("Next Co",),
        ("Open quote",),
    ),
    Case(
        "csv: text after a closing quote",
        "accounts",
        "junk_quote.csv",
        _bytes(b'name,city\n"Quoted Co"tail,SZ\nA "mid" Co,BJ\n'),
        IMPORTED,
        "Imported 2 accounts",
        ("Quoted Cotail", 'A "mid" Co'),
    ),
    Case(
        "csv: GBK read as Big5",
        "accounts",
        "gbk.csv",
        _bytes("name,city\n华为技术,深圳\n中兴通讯,西安\n美的集团,佛山\n".encode("gbk")),
        WARNED,
        "import again with the encoding GBK",
        args=("--encoding", "big5"),
    ),
    Case(
        "csv: Big5 taken for GBK",
        "accounts",
        "big5.csv",
        _bytes("name,city\n華為技術,深圳\n中興通訊,西安\n美的集團,佛山\n".encode("big5")),
        WARNED,
        "import again with the encoding Big5",
    ),
    Case(
        "csv: UTF-8 read as GBK",
        "accounts",
        "utf8.csv",
        _bytes("name,city\n华为技术,深圳\n中兴通讯,西安\n美的集团,佛山\n".encode()),
        REFUSED,
        "cannot be read as gbk: line 2",
        args=("--encoding", "gbk"),
    ),
    Case(
        "csv: UTF-16 without BOM",
        "accounts",
        "utf16.csv",
        _bytes("name,city\n华为,深圳\n".encode("utf-16-le")),
        REFUSED,
        "not a text file",
    ),
    Case(
        "csv: mixed UTF-8 and GBK lines",
        "accounts",
        "mixed.csv",
        _bytes("name,city\n华为,深圳\n".encode() + "中兴,西安\n".encode("gbk")),
        REFUSED,
        "mixes two encodings",
    ),
    Case(
        "csv: one 3 MB cell",
        "accounts",
        "huge_cell.csv",
        _bytes(b"name,notes\nBig," + b"x" * 3_000_000 + b"\n"),
        REFUSED,
        "holds a cell of more than",
    ),
    Case(
        "csv: 100,000-character name",
        "accounts",
        "long_name.csv",
        _bytes(b"name,notes\n" + b"N" * 100_000 + b",x\nSmall Co,ok\n"),
        ROWS_REFUSED,
        "row 2: name: too long (100000 characters",
        ("Small Co",),
        ("NNNN",),
    ),
    Case(
        "csv: escape codes in a name",
        "accounts",
        "ctrl.csv",
        _bytes("name,city\n华为\x1b[31m,深圳\nok co,SZ\n".encode()),
        ROWS_REFUSED,
        "row 2: name: holds control characters",
        ("ok co",),
        ("\x1b",),
    ),
    Case(
        "csv: 50,000 columns",
        "accounts",
        "wide.csv",
        _bytes(b"name," + b",".join(b"c%d" % i for i in range(50_000)) + b"\nWide Co" + b",v" * 50_000 + b"\n"),
        IMPORTED,
        "Columns not imported: c0, c1",
        ("Wide Co",),
    ),
    Case(
        "csv: 3,000,000 tiny rows (9 MB)",
        "accounts",
        "tiny_rows.csv",
        _repeated(b"name\n", b"ab\n", 3_000_000),
        REFUSED,
        f"more than {MAX_ROWS:,} rows",
    ),
    Case(
        "csv: over the size limit (sparse)",
        "accounts",
        "sparse.csv",
        _sparse(MAX_FILE_BYTES + 1_000_000),
        REFUSED,
        f"at most {MAX_FILE_BYTES // 1_000_000} MB",
    ),
    # XLSX --------------------------------------------------------------------------------------------
    Case("xlsx: row bomb (60 MB sheet)", "accounts", "row_bomb.xlsx", _xlsx_row_bomb, REFUSED, "zip bomb"),
    Case("xlsx: shared-string bomb (60 MB)", "accounts", "strings_bomb.xlsx", _xlsx_strings_bomb, REFUSED, "zip bomb"),
    Case(
        "xlsx: one 5 MB cell",
        "accounts",
        "huge_cell.xlsx",
        _xlsx_huge_cell,
        ROWS_REFUSED,
        "cell B2: holds more than",
        ("Fine Co",),
        ("Huge Co",),
    ),
    Case("xlsx: billion laughs", "accounts", "laughs.xlsx", _xlsx_entity_bomb, REFUSED, "damaged"),
    Case("xlsx: cut in half", "accounts", "truncated.xlsx", _xlsx_truncated, REFUSED, "cannot be opened"),
    Case("xlsx: NUL inside the sheet", "accounts", "nul.xlsx", _xlsx_nul_in_sheet, REFUSED, "damaged"),
    # vCard -------------------------------------------------------------------------------------------
    Case(
        "vcf: NUL in a name",
        "contacts",
        "nul.vcf",
        _bytes(_vcard("FN:Bad\x00Name\r\nORG:空\r\n", "FN:王芳\r\nORG:空\r\n")),
        REFUSED,
        "cannot be read as CSV or vCard",
    ),
    Case(
        "vcf: 5 MB folded photo",
        "contacts",
        "photo.vcf",
        _vcard_photo,
        IMPORTED,
        "Imported 2 contacts",
        ("照片人", "李娜"),
    ),
    Case(
        "vcf: 200,000-character name",
        "contacts",
        "long.vcf",
        _bytes(_vcard("FN:" + "长" * 200_000 + "\r\nORG:空\r\n", "FN:王芳\r\nORG:空\r\n")),
        ROWS_REFUSED,
        "too long",
        ("王芳",),
        ("长长长",),
    ),
    Case(
        "vcf: a card never ended",
        "contacts",
        "open.vcf",
        _bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fine\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Cut off\r\n"),
        IMPORTED,
        "Imported",
        ("Fine",),
    ),
    Case(
        "vcf: GBK bytes, no charset",
        "contacts",
        "gbk.vcf",
        _bytes("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张伟\r\nORG:华为技术\r\nEND:VCARD\r\n".encode("gbk")),
        IMPORTED,
        "Imported 1 contacts",
        ("张伟",),
    ),
    Case(
        "vcf: 1,000,001 cards",
        "contacts",
        "million.vcf",
        _repeated(b"", b"BEGIN:VCARD\nFN:a\nEND:VCARD\n", MAX_ROWS + 1),
        REFUSED,
        f"more than {MAX_ROWS:,} rows",
    ),
]


# Running them ---------------------------------------------------------------------------------------------
def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(path: Path) -> list[str]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM accounts UNION ALL SELECT name FROM contacts")]
    finally:
        conn.close()


#: `python -m kamdesk` that also writes its own peak memory when it exits. Linux's VmHWM belongs to the
#: program run (ru_maxrss would keep the peak of the pytest process the child was forked from).
LAUNCHER = """
import atexit, os, resource, runpy, sys
def peak():
    try:
        with open("/proc/self/status") as status:
            kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)
    with open(os.environ["KAMDESK_PEAK_FILE"], "w") as out:
        out.write(str(kb))
atexit.register(peak)
sys.argv[0] = "kamdesk"
runpy.run_module("kamdesk", run_name="__main__", alter_sys=True)
"""


def _run(case: Case, folder: Path, team_file: Path) -> Ran:
    folder.mkdir()
    source = folder / case.file_name
    case.make(source)
    team = folder / "团队 文件.kamdb"
    shutil.copyfile(team_file, team)
    before = _sha256(team)
    peak_file = folder / "peak.txt"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C", KAMDESK_PEAK_FILE=str(peak_file))
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", LAUNCHER, "import", str(team), case.kind, str(source), *case.args],
        capture_output=True,
        env=env,
        timeout=CASE_TIMEOUT_S,
    )
    seconds = time.perf_counter() - started
    return Ran(
        case,
        child.returncode,
        child.stdout.decode("utf-8", "replace"),
        child.stderr.decode("utf-8", "replace"),
        int(peak_file.read_text()) / 1000 if peak_file.exists() else float("inf"),
        seconds,
        _sha256(team) == before,
        _names(team),
    )


@pytest.fixture(scope="module")
def team_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("team") / "team.kamdb"
    db = open_database(path, "alice", create=True)
    with db.write() as session:
        session.add_all(AccountRow(name=name) for name in EXISTING)
    db.dispose()
    return path


def _problems(ran: Ran) -> list[str]:
    case, said = ran.case, ran.out + ran.err
    problems = []
    if "Traceback" in ran.err or ran.code not in (0, 1):
        problems.append(f"exit {ran.code}: {ran.err[-600:]}")
    if case.says not in said:
        problems.append(f"does not say {case.says!r}: {said[-600:]!r}")
    if ran.peak_mb > MEMORY_BOUND_MB:
        problems.append(f"took {ran.peak_mb:.0f} MB")
    if case.outcome == REFUSED:
        if ran.code != 1 or "Nothing was imported" not in ran.err:
            problems.append("not refused as a whole")
        if not ran.unchanged:
            problems.append("the team file changed although the import was refused")
    else:
        if ran.code != 0:
            problems.append(f"exit {ran.code}")
        if (case.outcome == ROWS_REFUSED) != ("Skipped" in ran.out):
            problems.append("rows skipped (or not) unlike the case says")
        if (case.outcome == WARNED) != ("Warning:" in ran.out):
            problems.append("warned (or not) unlike the case says")
    missing = [n for n in case.imported if n not in ran.names]
    if missing:
        problems.append(f"not imported: {missing}")
    unfit = [n for n in ran.names if any(part in n for part in case.not_imported)]
    unfit += [n for n in ran.names if any(ch in n for ch in "\x00\n\r\x1b") or len(n) > 300]
    if unfit:
        problems.append(f"stored although refused or unfit: {[n[:40] for n in unfit]}")
    if any(n not in ran.names for n in EXISTING):
        problems.append("an existing account went missing")
    return problems


def test_hostile_import_files_are_refused_clearly_within_bounded_memory(
    team_file: Path, tmp_path: Path, request: pytest.FixtureRequest
):
    began = time.perf_counter()
    # Two at a time: each case is its own process, measured on its own.
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda pair: _run(pair[1], tmp_path / f"case{pair[0]:02d}", team_file), enumerate(CASES)))
    failures = {}
    for ran in runs:
        problems = _problems(ran)
        if problems:
            failures[ran.case.name] = problems
        report(
            request,
            f"hostile import: {ran.case.name}",
            outcome=ran.case.outcome if not problems else "UNEXPECTED",
            exit=ran.code,
            team_file_unchanged=ran.unchanged,
            peak_mb=f"{ran.peak_mb:.0f}",
            seconds=f"{ran.seconds:.1f}",
            input_kb=(tmp_path / f"case{runs.index(ran):02d}" / ran.case.file_name).stat().st_size // 1000,
        )
    counts = Counter(ran.case.outcome for ran in runs)
    report(
        request,
        "hostile-input matrix",
        cases=len(runs),
        **{k.replace(" ", "_").replace(",", ""): v for k, v in sorted(counts.items())},
        tracebacks=sum("Traceback" in r.err for r in runs),
        refused_with_file_changed=sum(r.case.outcome == REFUSED and not r.unchanged for r in runs),
        peak_mb_max=f"{max(r.peak_mb for r in runs):.0f}",
        memory_bound_mb=MEMORY_BOUND_MB,
        unexpected=len(failures),
        seconds=f"{time.perf_counter() - began:.1f}",
    )
    assert not failures, "\n".join(f"{name}: {'; '.join(p)}" for name, p in failures.items())
