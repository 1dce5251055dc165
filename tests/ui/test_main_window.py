"""The main window driven with qtbot: tabs, title, menus, recent files, remembered geometry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QModelIndex

from kamdesk.services.workspace import open_workspace
from kamdesk.ui.app_settings import AppSettings
from kamdesk.ui.main_window import MainWindow

TAB_NAMES = [
    "Dashboard",
    "Accounts",
    "Account view",
    "Account Plans",
    "Contacts & Org Map",
    "Follow-ups",
    "Gifts & Visits",
]


def _opener(user: str):
    return lambda path, create: open_workspace(path, user, create=create)


def test_window_shows_six_tabs_file_and_person(qtbot, workspace, app_settings):
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    window.show()
    assert window.tab_titles() == TAB_NAMES
    assert window.tabs.tabText(4) == "Contacts && Org Map"  # shown as one literal ampersand
    assert "team.kamdb" in window.windowTitle()
    assert "Test Person" in window.windowTitle()
    assert window.user_label.text().endswith("Test Person")
    assert not window.accounts_tab.empty_label.isHidden()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        assert window.tabs.currentWidget().isVisible()


def test_menus_follow_conventions(qtbot, workspace, app_settings):
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Help"]
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    assert window.new_account_action.shortcut().toString() == "Ctrl+Shift+N"
    assert window.recompute_action.shortcut().toString() == "Ctrl+Shift+R"
    keys = [a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()]
    assert len(keys) == len(set(keys)), keys  # no two commands share a key


def test_recompute_and_team_settings_from_the_menu(qtbot, workspace, app_settings):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kamdesk.domain.models import AccountDetail, AccountValue
    from kamdesk.ui.dialogs.settings_dialog import TeamSettingsDialog

    workspace.clock.fix(dt.date(2026, 11, 23))  # the 2025 values below count as last year's
    for name, revenue, profit in (("Volume", 1000, 1), ("Margin", 500, 400)):
        workspace.accounts.save(AccountDetail(name=name, values=[AccountValue("2025", revenue, profit)]))
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    window.recompute_classes()
    assert "2 accounts ranked, 0 moved" in window.statusBar().currentMessage()

    answered: list[bool] = []

    def answer() -> None:  # the dialog opens once the settings are read off the GUI thread
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, TeamSettingsDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.measure_combo.setCurrentIndex(dialog.measure_combo.findData("profit"))
        dialog.accept()
        answered.append(True)

    QTimer.singleShot(0, answer)
    window.edit_team_settings()
    qtbot.waitUntil(lambda: bool(answered) and "moved class" in window.statusBar().currentMessage())
    assert workspace.settings.load().value_measure == "profit"
    assert "2 accounts moved class" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.accounts_tab.model.busy)  # the list reads off the GUI thread
    classes = {
        window.accounts_tab.model.index(r, 0).data(): window.accounts_tab.model.index(r, 1).data() for r in range(2)
    }
    assert classes == {"Margin": "A", "Volume": "C"}


def test_ctrl_number_switches_tabs(qtbot, workspace, app_settings):
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    by_key = {a.shortcut().toString(): a for a in window.actions()}
    by_key["Ctrl+3"].trigger()
    assert window.tabs.currentIndex() == 2
    by_key["Ctrl+1"].trigger()
    assert window.tabs.currentIndex() == 0


def test_open_new_file_through_file_menu_and_recent_list(qtbot, workspace, app_settings, scripted, tmp_path):
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    other = tmp_path / "other.kamdb"
    scripted.files.append(str(other))
    with qtbot.waitSignal(window.workspace_changed):
        window.new_action.trigger()
    assert other.exists()
    assert "other.kamdb" in window.windowTitle()
    assert app_settings.recent_files[0] == str(other)
    window.recent_menu.aboutToShow.emit()
    assert any("other.kamdb" in a.text() for a in window.recent_menu.actions())


def test_opening_a_bad_file_warns_and_keeps_the_current_one(qtbot, workspace, app_settings, scripted, tmp_path):
    bad = tmp_path / "notes.kamdb"
    bad.write_bytes(b"this is not a database")
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    scripted.files.append(str(bad))
    window.open_action.trigger()
    assert scripted.shown[-1][0] == "warn"
    assert "not a database file" in scripted.shown[-1][2]
    assert "team.kamdb" in window.windowTitle()
    assert bad.read_bytes() == b"this is not a database"


def test_window_geometry_and_tab_are_remembered(qtbot, tmp_path):
    settings_path = tmp_path / "cfg" / "kamdesk.ini"
    settings = AppSettings(settings_path)
    ws = open_workspace(tmp_path / "a.kamdb", "Ann", create=True)
    window = MainWindow(ws, settings, _opener("Ann"))
    qtbot.addWidget(window)
    window.show()
    window.resize(700, 500)
    window.tabs.setCurrentIndex(4)
    window.close()
    again = AppSettings(settings_path)
    ws2 = open_workspace(tmp_path / "a.kamdb", "Ann")
    window2 = MainWindow(ws2, again, _opener("Ann"))
    qtbot.addWidget(window2)
    assert window2.tabs.currentIndex() == 4
    assert (window2.width(), window2.height()) == (700, 500)
    window2.close()


def test_presence_shows_another_person_with_the_file_open(qtbot, tmp_path, app_settings):
    path = tmp_path / "shared.kamdb"
    mine = open_workspace(path, "Ann", create=True)
    theirs = open_workspace(path, "Bo")
    try:
        window = MainWindow(mine, app_settings, _opener("Ann"))
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: "Bo" in window.presence_label.text())  # read off the GUI thread
        assert "Bo on" in window.presence_label.toolTip()
    finally:
        theirs.close()


def test_read_only_file_shows_banner(qtbot, tmp_path, app_settings):
    path = tmp_path / "ro.kamdb"
    open_workspace(path, "Ann", create=True).close()
    ws = open_workspace(path, "Ann", read_only=True)
    window = MainWindow(ws, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    assert "read-only" in window.windowTitle()
    assert window.readonly_label.text()
    assert window.banner.isVisibleTo(window) and "on request" in window.banner.text()
    window.close()


def test_sync_folder_file_open_elsewhere_shows_why_it_is_read_only(qtbot, tmp_path, app_settings):
    import datetime as dt
    import sqlite3

    path = tmp_path / "Dropbox" / "team.kamdb"
    open_workspace(path, "Ann", create=True).close()
    beat = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO presence (session_id, user_name, host, pid, opened_at, heartbeat_at, heartbeat_count)"
            " VALUES ('s1', '陈明', 'PC-BJ-2', 1, ?, ?, 1)",
            (beat, beat),
        )
    conn.close()
    ws = open_workspace(path, "Ann")
    window = MainWindow(ws, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    window.show()
    assert ws.read_only
    assert window.banner.isVisible()
    assert "cloud-sync folder" in window.banner.text() and "陈明 (PC-BJ-2)" in window.banner.text()
    window.close()


def test_writable_file_has_no_banner(qtbot, workspace, app_settings):
    window = MainWindow(workspace, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    window.show()
    assert not window.banner.isVisible()
    window.close()


def test_accounts_model_passes_model_tester(qtmodeltester, workspace):
    from kamdesk.ui.models.accounts_model import AccountsModel

    model = AccountsModel(workspace.accounts)
    qtmodeltester.check(model)
    assert model.rowCount(QModelIndex()) == 0


def test_display_name_change(qtbot, workspace, app_settings, scripted):
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    scripted.texts.append("李娜")
    window.rename_action.trigger()
    assert app_settings.display_name == "李娜"
    assert "李娜" in window.windowTitle()


def test_recent_file_that_vanished_is_dropped(qtbot, workspace, app_settings, scripted, tmp_path: Path):
    gone = str(tmp_path / "gone.kamdb")
    app_settings.add_recent_file(gone)
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    assert window.open_path(gone) is False
    assert gone not in app_settings.recent_files


def test_heartbeat_runs_off_the_gui_thread(qtbot, workspace, app_settings):
    import sqlite3

    from PySide6.QtCore import QThreadPool

    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    window._on_heartbeat()
    assert QThreadPool.globalInstance().waitForDone(5_000)
    conn = sqlite3.connect(f"file:{workspace.path}?mode=ro", uri=True)
    try:
        beats = conn.execute("SELECT heartbeat_count FROM presence").fetchall()
    finally:
        conn.close()
    assert beats == [(1,)]


def _damaged_file_with_a_backup(path: Path) -> tuple[bytes, Path]:
    import random

    from kamdesk.domain.models import TeamMember

    ws = open_workspace(path, "Ann", create=True)
    for i in range(300):
        ws.team.save(TeamMember(0, f"同事{i}" + "备注" * 40, "", "", None, None, True))
    made = ws.backups.backup_now()
    ws.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    page = 65_536 if page == 1 else page  # a team file's pages are 64 KB (1 in the header)
    middle = (len(data) // page // 2) * page  # two whole pages in the middle of the file
    data[middle : middle + 2 * page] = random.Random(3).randbytes(2 * page)
    path.write_bytes(bytes(data))
    return bytes(data), made.path


def test_a_damaged_file_offers_its_latest_good_backup(qtbot, workspace, app_settings, scripted, tmp_path):
    path = tmp_path / "damaged.kamdb"
    damaged, backup = _damaged_file_with_a_backup(path)
    window = MainWindow(workspace, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    scripted.yes_no.append(False)  # first: no, leave it
    assert not window.open_path(str(path))
    assert window.workspace is workspace and path.read_bytes() == damaged
    kind, _title, text = scripted.shown[-1]
    assert kind == "ask_yes_no" and "damaged" in text and str(backup) in text
    scripted.yes_no.append(True)  # then: restore it
    assert window.open_path(str(path))
    assert window.workspace.path == path and len(window.workspace.team.members()) == 300
    told = scripted.shown[-1][2]
    assert "kept as" in told
    kept = Path(told.split("kept as ", 1)[1].rstrip("."))
    assert kept != path and kept.read_bytes() == damaged, "the damaged bytes are kept"
    window.workspace.close()


def test_a_damaged_file_without_a_backup_is_explained(qtbot, workspace, app_settings, scripted, tmp_path):
    path = tmp_path / "damaged.kamdb"
    damaged, backup = _damaged_file_with_a_backup(path)
    for p in backup.parent.iterdir():
        p.unlink()
    window = MainWindow(workspace, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    assert not window.open_path(str(path))
    kind, _title, text = scripted.shown[-1]
    assert kind == "warn" and "No good backup" in text and path.read_bytes() == damaged
