"""Start-up: the window appears before the team file is opened (the slow part), then fills in; a start
that cannot open its file hides the frame and says why."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kamdesk import app as app_module
from kamdesk.services import workspace as workspace_module


@pytest.fixture
def named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("KAMDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv(app_module.STARTUP_PROBE, "0")  # report and quit instead of running the event loop
    from kamdesk.ui.app_settings import AppSettings

    settings = AppSettings()
    settings.display_name = "测试"
    settings.sync()


def test_the_window_is_shown_before_the_file_is_opened(qtbot, named, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    path = tmp_path / "team.kamdb"
    workspace_module.open_workspace(path, "setup", create=True).close()
    order: list[str] = []
    real_open = workspace_module.open_workspace
    monkeypatch.setattr(app_module, "_probe", lambda stage: order.append(stage))
    monkeypatch.setattr(
        workspace_module, "open_workspace", lambda *a, **k: (order.append("opened"), real_open(*a, **k))[1]
    )
    assert app_module.main(str(path)) == 0
    assert order == ["shown", "opened", "filled"]


def test_the_pinyin_dictionaries_load_while_the_file_opens_not_at_the_first_save(
    qtbot, named, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    from kamdesk.domain import names

    path = tmp_path / "team.kamdb"
    workspace_module.open_workspace(path, "setup", create=True).close()
    order: list[str] = []
    real_open = workspace_module.open_workspace
    monkeypatch.setattr(app_module, "_probe", lambda stage: order.append(stage))
    monkeypatch.setattr(names, "preload", lambda: order.append("pinyin"))
    monkeypatch.setattr(
        workspace_module, "open_workspace", lambda *a, **k: (order.append("opened"), real_open(*a, **k))[1]
    )
    assert app_module.main(str(path)) == 0
    assert order == ["shown", "pinyin", "opened", "filled"]


def test_a_file_that_cannot_be_opened_is_explained(
    qtbot, named, scripted, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    bad = tmp_path / "not-a-team-file.kamdb"
    bad.write_bytes(b"hello, this is not SQLite" * 100)
    monkeypatch.setattr("kamdesk.ui.dialogs.welcome_dialog.run_welcome", lambda settings, opener: None)
    assert app_module.main(str(bad)) == 0
    assert any(kind == "warn" and "not a database file" in text for kind, _title, text in scripted.shown)


def test_the_start_up_probe_reports_both_stages_from_the_command(tmp_path: Path):
    path = tmp_path / "team.kamdb"
    workspace_module.open_workspace(path, "setup", create=True).close()
    config = tmp_path / "config"
    from kamdesk.ui.app_settings import AppSettings

    settings = AppSettings(config / "kamdesk.ini")
    settings.display_name = "bench"
    settings.sync()
    env = {
        "KAMDESK_CONFIG_DIR": str(config),
        "QT_QPA_PLATFORM": "offscreen",
        app_module.STARTUP_PROBE: "0",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "kamdesk", str(path)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["shown", "filled"]
