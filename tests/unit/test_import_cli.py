"""`kamdesk import FILE KIND INPUT`: counts, skipped rows with their numbers, abort, and files that write nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

GBK_CONTACTS = (
    "\r\n".join(
        [
            "公司名称,姓名,职务,采购角色,关系阶段,生日,手机,邮箱",
            "华为技术,张伟,采购经理,决策者,好朋友,1985/3/12,13800138000,zw@example.com",
            "华为技术,李娜,工程师,使用者,认识,2026-02-30,13900139000,",
            "中兴通讯,王芳,助理,boss,认识,,,",
            "中兴通讯,赵强,采购,,,,138 0013 8000,",
        ]
    )
    + "\r\n"
)


def _kamdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C")
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args], capture_output=True, text=True, timeout=300, env=env
    )


def _contacts(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM contacts ORDER BY id")]


def test_import_creates_the_file_and_reports_what_it_did(tmp_path: Path):
    source = tmp_path / "联系人.csv"
    source.write_bytes(GBK_CONTACTS.encode("gbk"))
    team = tmp_path / "team.kamdb"
    result = _kamdesk("import", str(team), "contacts", str(source))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Read 4 rows" in out and "gb18030" in out and "Imported 1 contacts" in out
    assert "New accounts: 华为技术" in out and "Skipped 3 rows:" in out
    assert (
        "row 3: birthday" in out
        and "row 4: buying_role" in out
        and "row 5: duplicate: same phone number as row 2" in out
    )
    assert _contacts(team) == ["张伟"]
    exported = tmp_path / "out.vcf"
    assert _kamdesk("export", str(team), "contacts", "--format", "vcf", "-o", str(exported)).returncode == 0
    assert "FN:张伟" in exported.read_text(encoding="utf-8")


def test_abort_exits_non_zero_and_creates_nothing(tmp_path: Path):
    source = tmp_path / "c.csv"
    source.write_bytes(GBK_CONTACTS.encode("gbk"))
    team = tmp_path / "team.kamdb"
    result = _kamdesk("import", str(team), "contacts", str(source), "--on-error", "abort", "--encoding", "gbk")
    assert result.returncode == 1
    assert "import aborted: 2 rows have problems" in result.stderr and "row 3: birthday" in result.stderr
    assert not team.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "The file is empty."),
        ("姓名,手机\r\n".encode("gbk"), "header row but no data rows"),
        (bytes(range(256)) * 64, "not a text file"),
    ],
)
def test_bad_files_give_a_clear_message_and_write_nothing(tmp_path: Path, data: bytes, words: str):
    source = tmp_path / "contacts.csv"
    source.write_bytes(data)
    team = tmp_path / "team.kamdb"
    result = _kamdesk("import", str(team), "contacts", str(source))
    assert result.returncode == 1
    assert words in result.stderr and "Nothing was imported" in result.stderr
    assert not team.exists()


def test_an_unclosed_quote_is_reported_on_its_row_and_the_rows_after_it_still_import(tmp_path: Path):
    source = tmp_path / "accounts.csv"
    source.write_bytes(b'name,value,value_period\n"Open quote Co,1000,2026\nNext Co,2000,2026\n')
    team = tmp_path / "team.kamdb"
    result = _kamdesk("import", str(team), "accounts", str(source))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Read 2 rows" in result.stdout and "Imported 1 accounts" in result.stdout
    assert "row 2: a quote opens on line 2 and is never closed" in result.stdout
    with sqlite3.connect(team) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM accounts")] == ["Next Co"]


def test_a_gbk_file_imported_as_big5_is_warned_about(tmp_path: Path):
    source = tmp_path / "accounts.csv"
    source.write_bytes("name,city\n华为技术,深圳\n中兴通讯,西安\n美的集团,佛山\n".encode("gbk"))
    result = _kamdesk("import", str(tmp_path / "team.kamdb"), "accounts", str(source), "--encoding", "big5")
    assert result.returncode == 0, result.stderr
    assert "Warning: read as Big5, the Chinese text looks garbled" in result.stdout
    assert "import again with the encoding GBK" in result.stdout
