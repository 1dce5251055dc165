"""File → Import… and File → Export… driven like a person: file, encoding, mapping, preview, choice, summary."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from kamdesk.services.workspace import open_workspace
from kamdesk.ui.dialogs import import_dialog
from kamdesk.ui.dialogs.export_dialog import ExportDialog
from kamdesk.ui.dialogs.import_dialog import DUPLICATE_FILL, PROBLEM_FILL, ImportDialog
from kamdesk.ui.main_window import MainWindow

#: Chinese Excel's CSV: GBK, a column ("Handy") the headers do not name, a wrong date, a duplicate.
GBK_CSV = (
    "\r\n".join(
        [
            "公司名称,姓名,Handy,生日",
            "华为技术,张伟,13800138000,1985/3/12",
            "华为技术,李娜,13900139000,2026-02-30",
            "华为技术,张伟,,",
        ]
    )
    + "\r\n"
)


def _window(workspace, app_settings, qtbot) -> MainWindow:
    window = MainWindow(
        workspace, app_settings, lambda path, create: open_workspace(path, "Test Person", create=create)
    )
    qtbot.addWidget(window)
    return window


def _names(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT name, mobile FROM contacts ORDER BY id").fetchall()


@pytest.fixture
def gbk_file(tmp_path: Path) -> Path:
    path = tmp_path / "联系人.csv"
    path.write_bytes(GBK_CSV.encode("gbk"))
    return path


def load(dialog: ImportDialog, path: Path, kind: str = "contacts") -> None:
    """The first step as a person does it: kind, Choose… (scripted), Next."""
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
    dialog.choose_file()
    assert dialog.path_edit.text() == str(path)
    dialog.next_button.click()


def test_import_with_mapping_preview_and_the_all_or_nothing_choice(qtbot, workspace, app_settings, scripted, gbk_file):
    window = _window(workspace, app_settings, qtbot)
    scripted.files.append(str(gbk_file))
    seen: dict[str, object] = {}

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ImportDialog)
        load(dialog, gbk_file)
        assert dialog.pages.currentIndex() == 1
        # The mapping step: Chinese headers recognised, the unnamed column offered as "(not imported)".
        assert [c.currentData() for c in dialog.field_combos] == ["account", "name", None, "birthday"]
        assert "Simplified Chinese (GBK)" in dialog.mapping_intro.text() and "3 rows" in dialog.mapping_intro.text()
        assert [dialog.field_combos[0].itemText(i) for i in range(1, 4)] == ["Company", "Full name", "Title"]
        dialog.set_field(2, "mobile")
        dialog.next_button.click()
        assert dialog.pages.currentIndex() == 2
        model = dialog.preview_view.model()
        assert model.rowCount() == 3
        statuses = [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(3)]
        assert statuses == [("2", "ok"), ("3", "problem"), ("4", "duplicate")]
        assert "birthday" in model.index(1, 2).data()
        assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole).color() == PROBLEM_FILL
        assert model.index(2, 3).data(Qt.ItemDataRole.BackgroundRole).color() == DUPLICATE_FILL
        assert model.index(0, 5).data() == "13800138000"
        assert "1 can be imported, 1 have problems (red), 1 are duplicates" in dialog.summary.text()
        assert "row 4: same name at the same company as row 2" in dialog.duplicates.toPlainText()
        # All or nothing first: refused, the dialog stays for the other choice.
        dialog.abort_radio.setChecked(True)
        dialog.import_button.click()
        seen["after_abort"] = _names(workspace.path)
        assert dialog.isVisible()
        dialog.skip_radio.setChecked(True)
        dialog.import_button.click()

    QTimer.singleShot(0, drive)
    window.import_action.trigger()
    assert seen["after_abort"] == []
    informs = [text for kind, _title, text in scripted.shown if kind == "inform"]
    assert "Nothing was imported: 1 rows have problems" in informs[0]
    assert "Imported 1 of 3 rows." in informs[1] and "row 3:" in informs[1] and "row 4: duplicate" in informs[1]
    assert _names(workspace.path) == [("张伟", "13800138000")]
    qtbot.waitUntil(lambda: not window.contacts_tab.contacts_page.model.busy)  # it reads off the GUI thread
    assert window.contacts_tab.contacts_page.model.total() == 1  # the tabs refreshed


def test_an_encoding_override_and_an_unreadable_file_are_explained(qtbot, workspace, scripted, gbk_file, tmp_path):
    dialog = ImportDialog(workspace.transfer)
    qtbot.addWidget(dialog)
    dialog.encoding_combo.setCurrentIndex(dialog.encoding_combo.findData("utf-8"))
    scripted.files.append(str(gbk_file))
    load(dialog, gbk_file)
    assert dialog.pages.currentIndex() == 0 and "utf-8" in dialog.error.text().lower()
    dialog.encoding_combo.setCurrentIndex(dialog.encoding_combo.findData("gb18030"))
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == 1 and dialog.error.text() == ""
    binary = tmp_path / "photo.csv"
    binary.write_bytes(bytes(range(256)) * 40)
    dialog.back_button.click()
    dialog.path_edit.setText(str(binary))
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == 0 and dialog.error.text()


def test_cancel_while_writing_writes_nothing(qtbot, workspace, scripted, gbk_file, monkeypatch):
    monkeypatch.setattr(import_dialog, "PROGRESS_FROM_ROWS", 1)
    dialog = ImportDialog(workspace.transfer)
    qtbot.addWidget(dialog)
    scripted.files.append(str(gbk_file))
    load(dialog, gbk_file)
    dialog.set_field(2, "mobile")
    dialog.next_button.click()
    labels: list[str] = []
    set_label = QProgressDialog.setLabelText

    def press_cancel_when_writing(progress: QProgressDialog, text: str) -> None:
        set_label(progress, text)
        labels.append(text)
        if text == "Writing the rows…":
            progress.cancel()  # the person presses Cancel as the writing starts

    monkeypatch.setattr(QProgressDialog, "setLabelText", press_cancel_when_writing)
    assert dialog.run_import() is None
    assert "Writing the rows…" in labels and "Checking the rows…" in labels
    assert scripted.shown[-1][2] == "The import was cancelled; nothing was written."
    assert _names(workspace.path) == []


def test_export_through_the_file_menu_says_how_many_rows(qtbot, workspace, app_settings, scripted, tmp_path, gbk_file):
    workspace.transfer.import_file("contacts", gbk_file)
    window = _window(workspace, app_settings, qtbot)
    out = tmp_path / "contacts.csv"
    scripted.files.append(str(out))

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportDialog)
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("accounts"))
        assert [dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())] == ["csv", "xlsx"]
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("contacts"))
        assert [dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())] == ["csv", "xlsx", "vcf"]
        dialog.choose("contacts", "csv")
        dialog.export_button.click()

    QTimer.singleShot(0, drive)
    window.export_action.trigger()
    assert ("inform", "Export", f"1 rows written to {out}.") in scripted.shown
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and "张伟" in out.read_text(encoding="utf-8-sig")


def test_the_agenda_exports_as_icalendar(qtbot, workspace, scripted, tmp_path):
    dialog = ExportDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.choose("agenda", "ics")
    out = tmp_path / "agenda.ics"
    scripted.files.append(str(out))
    assert dialog.export()
    assert out.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert "planned calls, visits and meetings written to" in scripted.shown[-1][2]
