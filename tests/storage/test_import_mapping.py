"""A person's own column mapping: columns the header row does not name can be read as fields, and wrong choices refused."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from kamdesk.domain.clock import Clock
from kamdesk.domain.tabular import TableError
from kamdesk.services.transfer import TransferService, load_table, suggest_fields
from kamdesk.storage.database import Database

CSV = "客户,Full Name,Handy,Remarks\r\n华为技术,张伟,13800138000,老朋友\r\n华为技术,李娜,13900139000,\r\n"


def test_a_chosen_mapping_reads_columns_the_headers_do_not_name(
    db: Database, db_path: Path, tmp_path: Path, fixed_clock: Clock
):
    source = tmp_path / "c.csv"
    source.write_bytes(CSV.encode("gbk"))
    table = load_table("contacts", source)
    assert table.headers == ["客户", "Full Name", "Handy", "Remarks"] and table.encoding == "gb18030"
    suggested = suggest_fields("contacts", table.headers)
    assert suggested == {0: "account", 1: "name", 3: "notes"}  # "Handy" names nothing
    fixed_clock.fix(dt.date(2026, 1, 5))
    service = TransferService(db)
    read = service.read("contacts", source, mapping={**suggested, 2: "mobile"})
    assert read.header.unused == [] and [r.values.get("mobile") for r in read.rows] == ["13800138000", "13900139000"]
    result = service.import_file("contacts", read)
    assert result.imported == 2
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT name, mobile FROM contacts ORDER BY id").fetchall() == [
            ("张伟", "13800138000"),
            ("李娜", "13900139000"),
        ]
    # Leaving a column out of the mapping leaves it unread.
    read = service.read("contacts", source, mapping={0: "account", 1: "name"})
    assert read.header.unused == ["Handy", "Remarks"] and "notes" not in read.rows[0].values


def test_a_wrong_mapping_is_refused_with_a_reason(tmp_path: Path):
    from kamdesk.services.transfer import read_import

    source = tmp_path / "c.csv"
    source.write_text(CSV, encoding="utf-8")
    with pytest.raises(TableError, match="no column for: name"):
        read_import("contacts", source, mapping={0: "account"})
    with pytest.raises(TableError, match="More than one column is read as: name"):
        read_import("contacts", source, mapping={0: "name", 1: "name"})
    with pytest.raises(TableError, match="cannot be read as “class”"):
        read_import("accounts", source, mapping={1: "name", 0: "class"})
