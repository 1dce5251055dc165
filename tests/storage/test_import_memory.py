"""A large import in bounded memory (issue 23): a workbook's rows are streamed as they are checked, checked rows
wait on disk (RowSpool), duplicate keys move to disk past a limit (KeyIndex), and rows are written a chunk at a
time, with every outcome an import had before: problems per row, skip or abort, duplicates named, progress."""

from __future__ import annotations

import datetime as dt
import sqlite3
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from kamdesk.domain.clock import Clock
from kamdesk.domain.tabular import MAX_CELL_CHARS, TableError, read_table, stream_xlsx, write_xlsx
from kamdesk.domain.transfer import CheckedRow, check_table
from kamdesk.services.transfer import TransferService, read_import
from kamdesk.storage import transfer as store
from kamdesk.storage.database import Database
from kamdesk.storage.transfer import KeyIndex, RowSpool

TODAY = dt.date(2026, 1, 5)
HEADERS = ["公司名称", "姓名", "职务", "关系阶段", "生日", "手机", "邮箱"]


@pytest.fixture(autouse=True)
def _today(fixed_clock: Clock) -> None:
    fixed_clock.fix(TODAY)


def contact_rows(count: int) -> list[list[object]]:
    """Ordinary contact rows: ten people a company, each with a birthday, a mobile and an e-mail."""
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋"
    return [
        [
            f"客户公司{n // 10:04d}",
            surnames[n % 10] + given[(n // 10) % 10] + given[(n // 100) % 10],
            "采购经理",
            "认识",
            dt.date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
            f"139{n:08d}",
            f"p{n}@example.com",
        ]
        for n in range(count)
    ]


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
            for t in ("accounts", "contacts", "contact_stage_history", "change_log")
        }


def test_checking_a_workbook_holds_neither_its_rows_nor_the_checked_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(RowSpool, "memory_budget", 0)  # as past the budget of rows: every row on disk
    source = tmp_path / "contacts.xlsx"
    write_xlsx(source, HEADERS, contact_rows(6_000))
    read_import("contacts", source, today=TODAY)  # once first, so that caches and imports are not counted
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        kept = check_table("contacts", read_table(source), TODAY)[1]  # the whole table, then a list of rows
        held = tracemalloc.get_traced_memory()[0] - start
        del kept
        tracemalloc.reset_peak()
        start = tracemalloc.get_traced_memory()[0]
        read = read_import("contacts", source, today=TODAY)
        streamed_peak = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    assert len(read.rows) == 6_000 and isinstance(read.rows, RowSpool) and read.rows.on_disk
    assert not list(read.table.rows)
    assert read.rows[0].values["name"] == "王伟伟" and read.rows[-1].row == 6_001
    # Held as lists, 6,000 checked rows take several megabytes (1.4 GB for the 767,371 rows of
    # tests/bench/bench_xlsx_memory.py); streamed and spooled, the peak does not grow with the rows.
    print(f"{held / 1e6:.1f} MB held, {streamed_peak / 1e6:.1f} MB streamed")
    assert held > 5_000_000, f"{held / 1e6:.1f} MB"
    assert streamed_peak < held / 4, f"{streamed_peak / 1e6:.1f} MB"


@pytest.fixture
def on_disk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Rows and duplicate keys held in memory (a usual import), or moved to disk (as a huge import's are)."""
    if request.param:
        monkeypatch.setattr(RowSpool, "memory_budget", 0)
        monkeypatch.setattr(KeyIndex, "limit", 1)
    return bool(request.param)


@pytest.mark.parametrize("on_disk", [False, True], ids=["in memory", "on disk"], indirect=True)
def test_a_large_workbook_imports_in_chunks_with_its_problems_duplicates_and_progress(
    db: Database, db_path: Path, tmp_path: Path, on_disk: bool
):
    rows = contact_rows(4_500)
    rows[10][4] = "1990-02-30"  # row 12: no such day
    rows[4_400][1] = "王" * 201  # row 4,402: a name longer than a name may be
    rows[4_401] = list(rows[3])  # row 4,403: the same person as row 5
    source = tmp_path / "contacts.xlsx"
    write_xlsx(source, HEADERS, rows)
    before = counts(db_path)

    aborted = TransferService(db).import_file("contacts", source, on_error="abort")
    assert aborted.aborted and aborted.imported == 0 and aborted.problem_rows == 2
    assert counts(db_path) == before  # abort writes nothing when any row has a problem

    progress: list[tuple[str, int, int]] = []
    result = TransferService(db).import_file("contacts", source, progress=lambda *a: progress.append(a))
    assert (result.read, result.imported, result.problem_rows, result.duplicate_rows) == (4_500, 4_497, 2, 1)
    reasons = dict(result.skipped)
    assert sorted(reasons) == [12, 4_402, 4_403]
    assert "birthday" in reasons[12] and "name" in reasons[4_402] and "row 5" in reasons[4_403]
    assert len(result.new_accounts) == 450
    after = counts(db_path)
    assert after["contacts"] - before["contacts"] == 4_497
    assert after["contact_stage_history"] - before["contact_stage_history"] == 4_497  # all 认识
    assert [p for p in progress if p[0] == "writing"] == [("writing", 2_000, 4_497), ("writing", 4_000, 4_497),
                                                         ("writing", 4_497, 4_497)]  # fmt: skip
    assert progress[[p[0] for p in progress].index("writing") - 1] == ("reading", 4_500, 4_500)
    with sqlite3.connect(db_path) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM contacts ORDER BY id")]
        names = {r[0] for r in conn.execute("SELECT name FROM contacts")}
    assert ids == list(range(ids[0], ids[0] + len(ids)))  # ids run on across the chunks
    assert "李伟伟" in names and "王" * 201 not in names

    again = TransferService(db).import_file("contacts", source)
    assert again.imported == 0 and again.duplicate_rows == 4_498  # now every good row is in the file


@pytest.mark.parametrize("on_disk", [False, True], ids=["in memory", "on disk"], indirect=True)
def test_duplicates_are_found_alike_whether_their_keys_are_in_memory_or_on_disk(
    db: Database, tmp_path: Path, on_disk: bool
):
    saved = tmp_path / "saved.xlsx"
    write_xlsx(saved, ["account", "name", "mobile", "email"], [["美的", "周杰", "13700137000", "zj@example.com"]])
    TransferService(db).import_file("contacts", saved)
    source = tmp_path / "second.xlsx"
    write_xlsx(
        source,
        ["account", "name", "mobile", "email"],
        [
            ["美的", "周杰", "", ""],  # the same name at the same company as a saved contact
            ["格力", "周杰伦", "+86 137-0013-7000", ""],  # the saved contact's mobile, written differently
            ["格力", "陈晨", "", "ZJ@example.com"],  # the saved contact's e-mail, in other case
            ["格力", "孙丽", "13600136000", ""],
            ["格力", "孙丽", "", ""],  # the row above again
            ["海尔", "钱多", "", "qd@example.com"],
            ["海尔", "钱少", "", "qd@example.com"],  # row 7's e-mail
        ],
    )
    preview = TransferService(db).preview("contacts", source)
    assert isinstance(preview.rows, RowSpool) and preview.rows.on_disk == on_disk
    duplicates = {r.row: r.duplicate_of for r in preview.duplicate_rows}
    assert sorted(duplicates) == [2, 3, 4, 6, 8]
    assert "周杰 (美的)" in duplicates[2] and "phone" in duplicates[3] and "e-mail" in duplicates[4]
    assert "row 5" in duplicates[6] and "row 7" in duplicates[8]
    assert preview.count(store.OK) == len(preview.importable_rows) == 2
    result = TransferService(db).import_file("contacts", source)
    assert result.imported == 2 and [r for r, _why in result.skipped] == [2, 3, 4, 6, 8]

    accounts = tmp_path / "accounts.xlsx"
    write_xlsx(accounts, ["name", "city"], [["美的", "佛山"], ["新客户", "深圳"], ["新客户", "广州"]])
    result = TransferService(db).import_file("accounts", accounts)
    assert result.imported == 1 and [why for _r, why in result.skipped] == [
        "duplicate: an account called 美的 already exists",
        "duplicate: same name as row 3",
    ]


@pytest.mark.parametrize("on_disk", [False, True], ids=["in memory", "on disk"], indirect=True)
def test_the_spool_keeps_rows_and_what_an_updating_pass_changes(on_disk: bool):
    rows = [CheckedRow(n + 2, {"name": f"客户{n}", "when": dt.date(2026, 1, 1 + n % 28)}) for n in range(5_000)]
    rows[7].problems.append("name: too long")
    spool = RowSpool(iter(rows))
    assert (
        spool.on_disk == on_disk
        and len(spool) == 5_000
        and spool.count(store.PROBLEM) == 1
        and spool.count(store.OK) == 4_999
    )
    assert spool[7].problems == ["name: too long"] and spool[-1].row == 5_001 and spool.number(4_999) == 5_001
    assert [r.row for r in spool[2:4]] == [4, 5] and spool[9].values["when"] == dt.date(2026, 1, 10)
    for row in spool.updating():
        if row.row % 1_000 == 0:
            row.duplicate_of = "same name as row 2"
        row.values["seen"] = True
    assert spool.count(store.DUPLICATE) == 5 and all(r.values["seen"] for r in spool)
    assert [spool[i].row for i in spool.indices(store.DUPLICATE)] == [1_000, 2_000, 3_000, 4_000, 5_000]
    if on_disk:
        copy = spool[0]
        copy.values["name"] = "changed"  # a row read plainly from disk is a copy: the spool keeps what it had
        assert spool[1].values["name"] == "客户1" and spool[0].values["name"] == "客户0"
    spool.close()


def test_rows_move_to_disk_once_they_pass_the_memory_budget(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(RowSpool, "memory_budget", 2_000 * RowSpool._ROW_BYTES)
    spool = RowSpool(CheckedRow(n + 2, {"name": f"客户{n}"}) for n in range(1_500))
    assert not spool.on_disk
    spool.extend(CheckedRow(n + 2, {"name": f"客户{n}"}) for n in range(1_500, 3_000))
    assert spool.on_disk and [r.values["name"] for r in spool][1_499:1_501] == ["客户1499", "客户1500"]
    assert len(spool) == 3_000 and spool[2_999].row == 3_001


def _rewrite_sheet(source: Path, target: Path, old: bytes, new: bytes) -> None:
    """A copy of a workbook whose sheet has `old` replaced by `new` (openpyxl cuts a cell at 32,767 characters)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(old, new)
            out.writestr(info, data)


def test_a_streamed_sheet_is_read_once_and_refuses_rows_as_it_goes(tmp_path: Path):
    plain = tmp_path / "plain.xlsx"
    write_xlsx(plain, ["name", "city"], [["华为技术", "深圳"], ["中兴通讯", "HUGE"]])
    source = tmp_path / "accounts.xlsx"
    _rewrite_sheet(plain, source, b"HUGE", b"X" * (MAX_CELL_CHARS + 1))
    table = stream_xlsx(source)
    assert table.headers == ["name", "city"] and not table.problems
    rows = list(table.rows)
    assert [n for n, _cells in rows] == [2, 3] and "cell B3" in table.problems[3][0]
    with pytest.raises(RuntimeError):
        list(table.rows)

    only_header = tmp_path / "header.xlsx"
    write_xlsx(only_header, ["name", "city"], [])
    with pytest.raises(TableError, match="no data rows"):
        list(stream_xlsx(only_header).rows)

    damaged = tmp_path / "damaged.xlsx"
    _rewrite_sheet(plain, damaged, b"</sheetData>", b"<row><c><v>1</v></row></sheetData>")  # </c> missing
    with pytest.raises(TableError, match="damaged"):  # on opening, or when the rows are read
        list(stream_xlsx(damaged).rows)
