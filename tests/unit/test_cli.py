"""The headless commands, run as a person would from a terminal."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from kamdesk import __version__


def _kamdesk(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args], capture_output=True, text=True, timeout=300, env=env
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_version():
    result = _kamdesk("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kamdesk {__version__}"


def test_check_refuses_a_text_file_and_leaves_it(tmp_path: Path):
    path = tmp_path / "notes.kamdb"
    path.write_text("客户名单\n<b>&amp;</b> 🙂\n", encoding="utf-8")
    before = _digest(path)
    result = _kamdesk("check", str(path))
    assert result.returncode == 1
    assert "not a database file" in result.stdout + result.stderr
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.kamdb"]


def test_check_refuses_another_programs_sqlite(tmp_path: Path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    before = _digest(path)
    result = _kamdesk("check", str(path))
    assert result.returncode == 1
    assert "another program" in result.stdout + result.stderr
    assert _digest(path) == before


def test_check_missing_file(tmp_path: Path):
    result = _kamdesk("check", str(tmp_path / "nowhere.kamdb"))
    assert result.returncode == 1
    assert "does not exist" in result.stdout + result.stderr
    assert not (tmp_path / "nowhere.kamdb").exists()


def test_smoke_test_refuses_newer_file_without_touching_it(tmp_path: Path):
    path = tmp_path / "new.kamdb"
    created = _kamdesk("demo", str(path))
    assert created.returncode == 0, created.stderr
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = _digest(path)
    result = _kamdesk("--smoke-test", str(path))
    assert result.returncode == 1
    assert "newer kamdesk" in result.stderr
    assert _digest(path) == before
    check = _kamdesk("check", str(path))
    assert check.returncode == 1
    assert "newer kamdesk" in check.stdout + check.stderr


def test_smoke_test_on_a_temporary_file():
    result = _kamdesk("--smoke-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test passed" in result.stdout


def test_demo_refuses_to_overwrite_a_file_with_data(tmp_path: Path):
    path = tmp_path / "d.kamdb"
    assert _kamdesk("demo", str(path)).returncode == 0
    before = _digest(path)
    again = _kamdesk("demo", str(path))
    assert again.returncode != 0
    assert again.stderr.strip()
    assert _digest(path) == before


def test_chinese_locale_gives_chinese_messages(tmp_path: Path):
    result = _kamdesk(
        "check",
        str(tmp_path / "nowhere.kamdb"),
        env_extra={"LANG": "zh_CN.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""},
    )
    assert result.returncode == 1
    assert "不存在" in result.stdout + result.stderr


def test_unknown_command_words_fail_fast_instead_of_opening_a_window(tmp_path: Path):
    result = _kamdesk("bench", str(tmp_path / "x.kamdb"))
    assert result.returncode == 2
    assert "not available" in result.stderr
    incomplete = _kamdesk("export", str(tmp_path / "x.kamdb"), "accounts")  # a real command, missing -o
    assert incomplete.returncode == 2 and "-o" in incomplete.stderr and not (tmp_path / "x.kamdb").exists()
    stray = _kamdesk(str(tmp_path / "a.kamdb"), str(tmp_path / "b.kamdb"))
    assert stray.returncode == 2
    assert "unexpected arguments" in stray.stderr
    assert not (tmp_path / "a.kamdb").exists()
