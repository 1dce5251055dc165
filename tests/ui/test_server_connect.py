"""File → Connect to server…: the address dialog (password masked, never remembered) and the window's use of it."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit

from kamdesk.services.workspace import open_workspace
from kamdesk.ui.dialogs import server_dialog
from kamdesk.ui.dialogs.server_dialog import ServerDialog
from kamdesk.ui.main_window import MainWindow

ADDRESS = "postgresql://alice@db.example.com:5432/team"


def test_a_password_in_the_address_moves_to_the_masked_field(qtbot):
    dialog = ServerDialog(None, "postgresql://alice:s3cret@db.example.com:5432/team")
    qtbot.addWidget(dialog)
    assert dialog.address.text() == ADDRESS
    assert dialog.password.text() == "s3cret"
    assert dialog.password.echoMode() is QLineEdit.EchoMode.Password
    assert dialog.url() == "postgresql://alice:s3cret@db.example.com:5432/team"


def test_a_typed_password_goes_into_the_address_and_a_typed_address_is_checked(qtbot):
    dialog = ServerDialog(None)
    qtbot.addWidget(dialog)
    dialog.address.setText("team.kamdb")
    dialog.accept()
    assert dialog.result() != ServerDialog.DialogCode.Accepted and not dialog.problem.isHidden()
    assert "postgresql://" in dialog.problem.text()
    dialog.address.setText("postgresql://alice:typed@db/team")
    dialog.password.setText("p@ss/word")
    dialog.accept()
    assert dialog.result() == ServerDialog.DialogCode.Accepted
    assert dialog.address.text() == "postgresql://alice@db/team"  # never left on screen
    assert dialog.url() == "postgresql://alice:p%40ss%2Fword@db/team"


@pytest.fixture
def fake_server(tmp_path: Path):
    """An opener standing in for a server: records the address it was given, opens a file instead."""
    asked: list[str] = []

    def opener(target: str, create: bool):
        if "://" not in target:
            return open_workspace(target, "Test Person", create=create)
        asked.append(target)
        return open_workspace(tmp_path / "server.kamdb", "Test Person", create=True)

    return opener, asked


def test_connect_to_server_opens_it_and_remembers_it_without_the_password(
    qtbot, workspace, app_settings, scripted, fake_server, monkeypatch
):
    opener, asked = fake_server
    window = MainWindow(workspace, app_settings, opener)
    qtbot.addWidget(window)
    assert window.connect_action.text() == "Connect to &server…"
    monkeypatch.setattr(
        server_dialog,
        "ask_server_url",
        lambda parent, address="": address or "postgresql://alice:s3cret@db.example.com:5432/team",
    )
    with qtbot.waitSignal(window.workspace_changed):
        window.connect_action.trigger()
    assert asked == ["postgresql://alice:s3cret@db.example.com:5432/team"]
    assert app_settings.recent_files[0] == ADDRESS
    assert all("s3cret" not in entry for entry in app_settings.recent_files + [app_settings.last_file])
    # The recent entry asks for the password again (here: the stand-in dialog hands the address back).
    window.recent_menu.aboutToShow.emit()
    entry = next(a for a in window.recent_menu.actions() if ADDRESS in a.text())
    with qtbot.waitSignal(window.workspace_changed):
        entry.trigger()
    assert asked[-1] == ADDRESS


def test_an_unreachable_server_is_a_warning_naming_it_and_the_file_stays_open(
    qtbot, workspace, app_settings, scripted, monkeypatch
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"postgresql://alice@127.0.0.1:{port}/team"
    app_settings.add_recent_file(address)
    window = MainWindow(
        workspace, app_settings, lambda path, create: open_workspace(path, "Test Person", create=create)
    )
    qtbot.addWidget(window)
    monkeypatch.setattr(server_dialog, "ask_server_url", lambda parent, address="": address + "?connect_timeout=2")
    assert not window.connect_to_server(address)
    ((kind, _title, text),) = [s for s in scripted.shown if s[0] == "warn"]
    assert f"127.0.0.1:{port}" in text and "Nothing is listening" in text
    assert window.workspace is workspace and "team.kamdb" in window.windowTitle()
    assert address in app_settings.recent_files  # a server that is down today is still the team's server


def test_kamdesk_database_url_opens_that_server_at_start_up(qtbot, scripted, monkeypatch, tmp_path: Path):
    """With KAMDESK_DATABASE_URL set and no file named, start-up opens the server (here: one that is down)."""
    from kamdesk import app as app_module
    from kamdesk.ui.app_settings import AppSettings

    monkeypatch.setenv("KAMDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv(app_module.STARTUP_PROBE, "0")
    settings = AppSettings()
    settings.display_name = "测试"
    settings.last_file = str(tmp_path / "last.kamdb")  # the variable wins over the last file
    settings.sync()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(app_module.DATABASE_URL, f"postgresql://alice:s3cret@127.0.0.1:{port}/team")
    monkeypatch.setattr("kamdesk.ui.dialogs.welcome_dialog.run_welcome", lambda settings, opener: None)
    assert app_module.main(None) == 0
    (text,) = [text for kind, _title, text in scripted.shown if kind == "warn"]
    assert f"127.0.0.1:{port}" in text and "Nothing is listening" in text and "s3cret" not in text
