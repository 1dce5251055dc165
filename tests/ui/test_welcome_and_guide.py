"""First run, preferences and the user guide, driven like a person: type a name, click a way in, read."""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from kamdesk.i18n import set_language
from kamdesk.paths import resources_dir
from kamdesk.services.workspace import open_workspace
from kamdesk.ui.app_settings import AppSettings
from kamdesk.ui.dialogs.guide_dialog import GUIDE_ANCHORS, GuideButton, GuideDialog, guide_file
from kamdesk.ui.dialogs.preferences_dialog import PreferencesDialog
from kamdesk.ui.dialogs.welcome_dialog import WelcomeDialog, demo_path, run_welcome
from kamdesk.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_settings(tmp_path: Path) -> AppSettings:
    return AppSettings(tmp_path / "config" / "kamdesk.ini")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("KAMDESK_DATA_DIR", str(folder))
    return folder


def _welcome(qtbot, settings: AppSettings, name: str | None = "陈静") -> WelcomeDialog:
    dialog = WelcomeDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    if name is not None:
        dialog.name_edit.setText(name)  # QTest cannot type what an input method composes
    return dialog


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _opener(user: str):
    return lambda path, create: open_workspace(path, user, create=create)


# The welcome screen ------------------------------------------------------------------------------


def test_first_run_creates_a_team_file_where_the_person_chooses(qtbot, scripted, fresh_settings, tmp_path):
    dialog = _welcome(qtbot, fresh_settings)
    assert not dialog.recent_list.isVisibleTo(dialog)  # nothing used yet, nothing listed
    assert "Dropbox" in dialog.location_note.text() and "e-mail" in dialog.location_note.text()
    target = tmp_path / "shared" / "team.kamdb"
    scripted.files.append(str(target))
    _click(qtbot, dialog.new_button)
    assert scripted.shown[0][0] == "save_file"
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.choice.path, dialog.choice.create) == (str(target), True)
    assert AppSettings(fresh_settings.path).display_name == "陈静"  # remembered at once


def test_a_name_is_needed_first(qtbot, scripted, fresh_settings):
    dialog = _welcome(qtbot, fresh_settings, name=None)
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "   ")
    _click(qtbot, dialog.new_button)
    assert scripted.shown == []  # no file dialog before the name
    assert dialog.name_error.isVisible() and dialog.name_error.text()
    assert dialog.choice is None and dialog.isVisible()
    qtbot.keyClicks(dialog.name_edit, "Ann")
    _click(qtbot, dialog.open_button)
    assert dialog.name_error.isHidden()


def test_an_existing_name_is_not_overwritten_by_new(qtbot, scripted, fresh_settings, tmp_path):
    taken = tmp_path / "taken.kamdb"
    open_workspace(taken, "Ann", create=True).close()
    dialog = _welcome(qtbot, fresh_settings)
    scripted.files.append(str(taken))
    _click(qtbot, dialog.new_button)
    assert scripted.shown[-1][0] == "warn" and "already exists" in scripted.shown[-1][2]
    assert dialog.choice is None and dialog.isVisible()


def test_a_cloud_sync_folder_is_questioned(qtbot, scripted, fresh_settings, tmp_path):
    synced = tmp_path / "Dropbox" / "team.kamdb"
    dialog = _welcome(qtbot, fresh_settings)
    scripted.files.append(str(synced))
    scripted.yes_no.append(False)
    _click(qtbot, dialog.new_button)
    assert scripted.shown[-1][0] == "ask_yes_no" and "one person only" in scripted.shown[-1][2]
    assert dialog.choice is None
    scripted.files.append(str(synced))
    scripted.yes_no.append(True)
    _click(qtbot, dialog.new_button)
    assert dialog.choice is not None and dialog.choice.path == str(synced)


def test_open_an_existing_shared_file(qtbot, scripted, fresh_settings, tmp_path):
    shared = tmp_path / "share" / "team.kamdb"
    shared.parent.mkdir()
    open_workspace(shared, "Bo", create=True).close()
    dialog = _welcome(qtbot, fresh_settings)
    scripted.files.append(str(shared))
    _click(qtbot, dialog.open_button)
    assert scripted.shown[0][0] == "open_file"
    assert (dialog.choice.path, dialog.choice.create) == (str(shared), False)


def test_explore_the_demo_writes_it_once_into_the_data_folder(qtbot, scripted, fresh_settings, data_dir):
    dialog = _welcome(qtbot, fresh_settings)
    _click(qtbot, dialog.demo_button)
    path = demo_path()
    assert path.parent == data_dir and path.exists()
    assert dialog.choice is not None and dialog.choice.path == str(path) and not dialog.choice.create
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        accounts = conn.execute("SELECT count(*) FROM accounts").fetchone()[0]
    finally:
        conn.close()
    assert accounts >= 50
    # The second time the same demo simply opens again (nothing refused, nothing doubled).
    again = _welcome(qtbot, fresh_settings)
    _click(qtbot, again.demo_button)
    assert again.choice is not None and again.choice.path == str(path)
    assert scripted.shown == []
    ws = open_workspace(path, "陈静")
    try:
        assert ws.summary().accounts == accounts
    finally:
        ws.close()


def test_recent_files_are_listed_and_open_on_double_click(qtbot, scripted, fresh_settings, tmp_path):
    kept = tmp_path / "kept.kamdb"
    open_workspace(kept, "Ann", create=True).close()
    fresh_settings.add_recent_file(str(tmp_path / "gone.kamdb"))
    fresh_settings.add_recent_file(str(kept))
    dialog = _welcome(qtbot, fresh_settings)
    assert dialog.recent_list.isVisible()
    assert [dialog.recent_list.item(i).text() for i in range(dialog.recent_list.count())] == ["kept.kamdb"]
    item = dialog.recent_list.item(0)
    assert item.toolTip() == str(kept)
    centre = dialog.recent_list.visualItemRect(item).center()
    qtbot.mouseClick(dialog.recent_list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(dialog.recent_list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert dialog.choice is not None and dialog.choice.path == str(kept)


def _answer_modal(qtbot, steps: list) -> None:
    """Drive the modal dialogs that open one after another: each step gets the active one."""

    def next_step() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, next_step)
            return
        steps.pop(0)(dialog)
        if steps:
            QTimer.singleShot(10, next_step)

    QTimer.singleShot(0, next_step)


def test_run_welcome_explains_a_bad_file_and_asks_again(qtbot, scripted, fresh_settings, tmp_path):
    bad = tmp_path / "notes.kamdb"
    bad.write_bytes(b"this is not a database")
    scripted.files.append(str(bad))

    def choose_bad(dialog) -> None:
        assert isinstance(dialog, WelcomeDialog)
        dialog.name_edit.setText("Ann")
        dialog.open_button.click()

    def quit_(dialog) -> None:
        assert isinstance(dialog, WelcomeDialog)
        assert dialog.buttons.buttons()[0].text() == "Quit"
        dialog.reject()

    _answer_modal(qtbot, [choose_bad, quit_])
    assert run_welcome(fresh_settings, _opener("Ann")) is None
    assert [kind for kind, *_rest in scripted.shown] == ["open_file", "warn"]
    assert "not a database file" in scripted.shown[-1][2]
    assert bad.read_bytes() == b"this is not a database"


def test_run_welcome_opens_the_new_file(qtbot, scripted, fresh_settings, tmp_path):
    target = tmp_path / "team.kamdb"
    scripted.files.append(str(target))
    _answer_modal(qtbot, [lambda dialog: dialog.new_button.click()])
    workspace = run_welcome(fresh_settings, _opener(fresh_settings.display_name or "x"))
    try:
        assert workspace is not None and workspace.path == target and target.exists()
    finally:
        workspace.close()


def test_welcome_again_from_the_help_menu_opens_the_demo(qtbot, scripted, workspace, app_settings, data_dir):
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    _answer_modal(qtbot, [lambda dialog: dialog.demo_button.click()])
    with qtbot.waitSignal(window.workspace_changed):
        window.welcome_action.trigger()
    assert window.workspace.path == demo_path()
    qtbot.waitUntil(lambda: not window.accounts_tab.model.busy)  # the list reads off the GUI thread
    assert window.accounts_tab.model.total() >= 50
    assert app_settings.recent_files[0] == str(demo_path())


# Preferences -------------------------------------------------------------------------------------


def test_language_and_name_are_my_own_preferences(qtbot, workspace, app_settings):
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    assert window.preferences_action in window.menuBar().actions()[1].menu().actions()
    seen: dict[str, object] = {}

    def choose(dialog) -> None:
        assert isinstance(dialog, PreferencesDialog)
        combo = dialog.language_combo
        seen["choices"] = [combo.itemText(i) for i in range(combo.count())]
        assert combo.currentData() == ""  # the system's language until chosen
        combo.setCurrentIndex(combo.findData("zh_TW"))
        seen["note"] = dialog.restart_note.text()
        dialog.name_edit.setText("李娜")
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)

    _answer_modal(qtbot, [choose])
    window.preferences_action.trigger()
    assert seen["choices"][1:] == ["English", "简体中文", "繁體中文"]
    assert str(seen["choices"][0]).startswith("System language")
    assert "繁體中文" in str(seen["note"]) and "next start" in str(seen["note"])
    again = AppSettings(app_settings.path)
    assert (again.language, again.display_name) == ("zh_TW", "李娜")
    assert "李娜" in window.windowTitle() and workspace.user_name == "李娜"


def test_preferences_refuse_an_empty_name(qtbot, app_settings):
    dialog = PreferencesDialog(app_settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.clear()
    dialog.accept()
    assert dialog.isVisible() and dialog.name_error.isVisible()
    assert app_settings.display_name == "Test Person"


def test_back_to_the_system_language(qtbot, app_settings):
    app_settings.language = "zh_CN"
    dialog = PreferencesDialog(app_settings)
    qtbot.addWidget(dialog)
    assert dialog.language_combo.currentData() == "zh_CN"
    dialog.language_combo.setCurrentIndex(0)
    dialog.accept()
    assert app_settings.language == "" and dialog.language_changed


# The user guide ----------------------------------------------------------------------------------


def _anchors(path: Path) -> set[str]:
    return set(re.findall(r'<a name="([^"]+)"', path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("language", ["en", "zh_CN", "zh_TW"])
def test_each_language_has_its_guide_with_every_section(language):
    path = guide_file(language)
    assert path.name == f"guide.{language}.html"
    assert set(GUIDE_ANCHORS) <= _anchors(path)


def test_every_guide_link_in_the_forms_has_its_section():
    used = set()
    for source in (ROOT / "kamdesk" / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("GuideButton", "with_guide", "show_guide")
                and node.args
            ):
                anchor = node.args[1] if node.func.id != "GuideButton" else node.args[0]
                if isinstance(anchor, ast.Constant):
                    used.add(anchor.value)
    assert {"personality", "classes", "targets", "zipper"} <= used
    assert used <= set(GUIDE_ANCHORS)


def test_help_user_guide_opens_in_the_current_language(qtbot, workspace, app_settings):
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    assert window.guide_action.shortcut().toString() == "F1"
    window.guide_action.trigger()
    guide = window.findChild(GuideDialog)
    assert guide is not None and guide.isVisible()
    assert "Sharing one file as a team" in guide.browser.toPlainText()
    assert "Backups" in guide.browser.toPlainText()
    window.guide_action.trigger()  # a second time: the same window comes forward
    assert len(window.findChildren(GuideDialog)) == 1


def test_guide_in_traditional_chinese(qtbot):
    set_language("zh_TW")
    try:
        dialog = GuideDialog("sharing")
        qtbot.addWidget(dialog)
        dialog.show()
        text = dialog.browser.toPlainText()
        assert "團隊如何共用一個檔案" in text and "雲端" in text
    finally:
        set_language("en")


def test_guide_file_falls_back_to_english():
    assert guide_file("fr") == resources_dir() / "guide" / "guide.en.html"


def test_the_account_form_opens_the_guide_at_classes(qtbot, workspace):
    from kamdesk.ui.dialogs.account_dialog import AccountDialog

    dialog = AccountDialog(workspace.accounts, workspace.team.members())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(3)
    _click(qtbot, dialog.strategy_guide_button)
    guide = dialog.findChild(GuideDialog)
    assert guide is not None and guide.isVisible() and guide.anchor == "classes"
    qtbot.waitUntil(lambda: guide.browser.verticalScrollBar().value() > 0)
    # The personality "?" on the profile page moves the same guide to its section.
    dialog.tabs.setCurrentIndex(0)
    button = next(b for b in dialog.findChildren(GuideButton) if b.anchor == "personality")
    _click(qtbot, button)
    assert dialog.findChildren(GuideDialog) == [guide] and guide.anchor == "personality"
    top_of_classes = guide.browser.verticalScrollBar().value()
    assert top_of_classes > 0


def test_the_contact_form_links_targets_personality_and_zipper(qtbot, workspace):
    from kamdesk.ui.dialogs.contact_dialog import ContactDialog

    dialog = ContactDialog(workspace.contacts, workspace.team.members(), None)
    qtbot.addWidget(dialog)
    dialog.show()
    anchors = sorted(b.anchor for b in dialog.findChildren(GuideButton))
    assert anchors == ["personality", "targets", "zipper"]
    assert all("user guide" in b.toolTip() for b in dialog.findChildren(GuideButton))
    zipper = next(b for b in dialog.findChildren(GuideButton) if b.anchor == "zipper")
    page = next(dialog.tabs.widget(i) for i in range(dialog.tabs.count()) if dialog.tabs.widget(i).isAncestorOf(zipper))
    dialog.tabs.setCurrentWidget(page)
    assert zipper.isVisible()
    qtbot.mouseClick(zipper, Qt.MouseButton.LeftButton, pos=QPoint(zipper.width() // 2, zipper.height() // 2))
    guide = dialog.findChild(GuideDialog)
    assert guide is not None and guide.anchor == "zipper"
