"""End to end: make the demo file with the real CLI, open the real window on it, check what it shows."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kamdesk.app import ensure_display_name
from kamdesk.services.workspace import open_workspace
from kamdesk.ui.app_settings import AppSettings
from kamdesk.ui.main_window import MainWindow


def _kamdesk(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.kamdb"
    result = _kamdesk("demo", str(path))
    assert result.returncode == 0, result.stderr
    return path


def _top_accounts(path: Path, limit: int) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT name FROM accounts ORDER BY coalesce(value_cents, -1) DESC, id LIMIT ?", (limit,)
        ).fetchall()
        return [r[0] for r in rows]
    finally:
        conn.close()


def test_demo_file_is_healthy(demo_file: Path):
    result = _kamdesk("check", str(demo_file))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Integrity: ok" in result.stdout
    assert "Journal mode: delete" in result.stdout


def test_window_on_demo_file_lists_its_accounts(qtbot, demo_file: Path, tmp_path: Path):
    settings = AppSettings(tmp_path / "kamdesk.ini")
    workspace = open_workspace(demo_file, "王经理")
    window = MainWindow(workspace, settings, lambda p, c: open_workspace(p, "王经理", create=c))
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.accounts_tab)
    model = window.accounts_tab.model
    conn = sqlite3.connect(f"file:{demo_file}?mode=ro", uri=True)
    expected_count = conn.execute("SELECT count(*) FROM accounts").fetchone()[0]
    conn.close()
    assert expected_count >= 50
    qtbot.waitUntil(lambda: not model.busy)  # the list reads off the GUI thread
    assert model.total() == expected_count
    shown = [model.index(r, 0).data() for r in range(5)]
    assert shown == _top_accounts(demo_file, 5)
    assert all(model.index(r, 1).data() for r in range(5))
    # Searching by pinyin initials finds a Chinese account name.
    chinese = next(name for name in _top_accounts(demo_file, 200) if any("\u4e00" <= ch <= "\u9fff" for ch in name))
    from kamdesk.domain.names import search_keys

    initials = search_keys(chinese)[1]
    window.accounts_tab.search.setText(initials)
    window.accounts_tab.apply_filters()
    qtbot.waitUntil(lambda: not model.busy)
    assert chinese in [model.index(r, 0).data() for r in range(model.rowCount())]
    # The dashboard agrees with the file.
    window.tabs.setCurrentWidget(window.dashboard_tab)  # its figures load off the GUI thread
    qtbot.waitUntil(lambda: window.dashboard_tab.totals.values["accounts"].text() == str(expected_count))
    window.close()
    conn = sqlite3.connect(f"file:{demo_file}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_smoke_test_command_on_demo_file(demo_file: Path):
    result = _kamdesk("--smoke-test", str(demo_file))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test passed" in result.stdout
    assert "Gifts & Visits" in result.stdout


def test_first_run_asks_name_and_loads_demo(qtbot, scripted, gui_thread_sql, tmp_path: Path):
    settings = AppSettings(tmp_path / "first" / "kamdesk.ini")
    scripted.texts.append("陈静")
    assert ensure_display_name(settings, interactive=True) == "陈静"
    assert AppSettings(tmp_path / "first" / "kamdesk.ini").display_name == "陈静"
    workspace = open_workspace(tmp_path / "new.kamdb", "陈静", create=True)
    window = MainWindow(workspace, settings, lambda p, c: open_workspace(p, "陈静", create=c))
    qtbot.addWidget(window)
    scripted.yes_no.append(True)
    with gui_thread_sql.watching():  # counted and written off the GUI thread, the window still repainting
        assert window.load_demo_data(welcome=True)
    assert gui_thread_sql.sites == []
    assert scripted.shown[-1][0] == "ask_yes_no"
    assert workspace.summary().accounts >= 50
    qtbot.waitUntil(lambda: not window.accounts_tab.model.busy)  # the list reads off the GUI thread
    assert window.accounts_tab.model.total() == workspace.summary().accounts
    assert window.accounts_tab.empty_label.isHidden()
    # A second load is refused: demo data is never mixed into a file that has accounts.
    assert not window.load_demo_data()
    assert scripted.shown[-1][0] == "inform"
    window.close()


def test_first_run_declined_demo_leaves_file_empty(qtbot, scripted, tmp_path: Path):
    workspace = open_workspace(tmp_path / "empty.kamdb", "Ann", create=True)
    window = MainWindow(workspace, AppSettings(tmp_path / "k.ini"), lambda p, c: open_workspace(p, "Ann", create=c))
    qtbot.addWidget(window)
    scripted.yes_no.append(False)
    assert not window.load_demo_data(welcome=True)
    assert workspace.summary().accounts == 0
    window.close()
