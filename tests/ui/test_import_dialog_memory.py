"""File → Import… without holding the file (issue 23): the mapping step reads the header, the first row and the
row count in one pass; the preview's checked rows and their cells wait on disk and the table reads the rows it
shows; the import then works as before, and closing the dialog throws the preview's rows away."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog

from kamdesk.domain.clock import Clock
from kamdesk.domain.tabular import write_xlsx
from kamdesk.services.transfer import TransferService
from kamdesk.storage.transfer import CellSpool, RowSpool
from kamdesk.ui.dialogs import import_dialog
from kamdesk.ui.dialogs.import_dialog import DUPLICATE_FILL, PROBLEM_FILL, ImportDialog, PreviewModel

HEADERS = ["公司名称", "姓名", "职务", "生日", "手机", "邮箱"]


@pytest.fixture(autouse=True)
def _today(fixed_clock: Clock) -> None:
    fixed_clock.fix(dt.date(2026, 3, 2))


def contact_rows(count: int) -> list[list[object]]:
    """Ordinary contacts, ten a company; row 6 (the fifth contact) has no such birthday, row 9 repeats row 3."""
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋"
    rows: list[list[object]] = [
        [
            f"客户公司{n // 10:04d}",
            surnames[n % 10] + given[(n // 10) % 10] + given[(n // 100) % 10],
            "采购经理",
            dt.date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
            f"139{n:08d}",
            f"p{n}@example.com",
        ]
        for n in range(count)
    ]
    rows[4][3] = "1990-02-30"
    rows[7] = list(rows[1])
    return rows


def contacts_in(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM contacts").fetchone()[0]


def open_dialog(qtbot, workspace, source: Path) -> ImportDialog:  # noqa: ANN001
    dialog = ImportDialog(workspace.transfer)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("contacts"))
    dialog.path_edit.setText(str(source))
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == 1, dialog.error.text()
    return dialog


def test_the_mapping_preview_and_import_of_a_workbook(qtbot, qtmodeltester, workspace, scripted, tmp_path: Path):
    source = tmp_path / "客户联系人.xlsx"
    write_xlsx(source, HEADERS, contact_rows(12))
    dialog = open_dialog(qtbot, workspace, source)
    assert dialog.mapping_intro.text().startswith("客户联系人.xlsx: 12 rows")
    first = [dialog.mapping_table.item(r, 1).text() for r in range(len(HEADERS))]
    assert first == ["客户公司0000", "王伟伟", "采购经理", "1960-01-01", "13900000000", "p0@example.com"]
    assert [c.currentData() for c in dialog.field_combos] == ["account", "name", "title", "birthday", "mobile", "email"]

    dialog.next_button.click()
    assert dialog.pages.currentIndex() == 2, dialog.error.text()
    model = dialog.preview_view.model()
    assert isinstance(model, PreviewModel) and model.rowCount() == 12 and model.columnCount() == 3 + len(HEADERS)
    statuses = [model.index(r, 1).data() for r in range(12)]
    assert statuses == ["ok"] * 4 + ["problem"] + ["ok"] * 2 + ["duplicate"] + ["ok"] * 4
    assert model.index(4, 0).data() == "6" and "birthday" in model.index(4, 2).data()
    assert model.index(4, 6).data() == "1990-02-30"  # the cell as written in the file, not as read
    assert model.index(4, 0).data(Qt.ItemDataRole.BackgroundRole).color() == PROBLEM_FILL
    assert model.index(7, 4).data(Qt.ItemDataRole.BackgroundRole).color() == DUPLICATE_FILL
    assert model.index(7, 2).data() == "same name at the same company as row 3"
    assert [model.index(11, c).data() for c in (0, 3, 4, 7)] == ["13", "客户公司0001", "李芳伟", "13900000011"]
    assert "10 can be imported, 1 have problems (red), 1 are duplicates" in dialog.summary.text()
    assert dialog.duplicates.toPlainText() == "row 9: same name at the same company as row 3"
    qtmodeltester.check(model)

    preview = dialog.preview
    assert preview is not None and isinstance(preview.cells, CellSpool)
    result = dialog.run_import()
    assert result is not None and (result.read, result.imported) == (12, 10)
    assert [row for row, _why in result.skipped] == [6, 9]
    assert contacts_in(workspace.path) == 10
    # Imported, the dialog closed and threw the preview's rows and cells away.
    assert dialog.result() == ImportDialog.DialogCode.Accepted and dialog.preview is None
    assert preview.cells.closed and len(preview.rows) == 0 and model.rowCount() == 0


def test_a_preview_of_twenty_thousand_rows_reads_only_the_rows_it_shows(
    qtbot, workspace, scripted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(RowSpool, "memory_budget", 0)  # as a file past the budget: every checked row on disk
    source = tmp_path / "contacts.xlsx"
    write_xlsx(source, HEADERS, contact_rows(20_000))
    assert source.stat().st_size > import_dialog.PROGRESS_FROM_BYTES  # read behind a progress dialog
    dialog = open_dialog(qtbot, workspace, source)
    assert "20000 rows" in dialog.mapping_intro.text()
    assert dialog.mapping_table.item(1, 1).text() == "王伟伟"
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == 2, dialog.error.text()
    model = dialog.preview_view.model()
    assert isinstance(model, PreviewModel) and model.rowCount() == 20_000
    assert isinstance(model.rows, RowSpool) and model.rows.on_disk and isinstance(model.cells, CellSpool)

    dialog.resize(900, 600)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.preview_view
    most = 0
    for row in range(0, 20_000, 997):  # a person dragging the scroll bar down
        view.scrollTo(model.index(row, 0))
        QApplication.processEvents()
        view.viewport().grab()  # painted, so the rows on screen are read
        most = max(most, len(model.cache))
    view.scrollToBottom()
    QApplication.processEvents()
    view.viewport().grab()
    assert 0 < most <= PreviewModel.CACHED_ROWS and len(model.cache) <= PreviewModel.CACHED_ROWS
    assert 19_999 in model.cache  # the last row was shown
    assert [model.index(19_999, c).data() for c in (0, 1, 4, 7)] == ["20001", "ok", "周洋洋", "13900019999"]
    assert model.index(4, 1).data() == "problem" and model.index(7, 1).data() == "duplicate"
    assert len(model.cache) <= PreviewModel.CACHED_ROWS

    preview = dialog.preview
    assert preview is not None
    dialog.cancel_button.click()  # closed without importing: the rows and cells on disk go with it
    assert dialog.preview is None and len(preview.rows) == 0 and model.cells is None
    assert isinstance(preview.cells, CellSpool) and preview.cells.closed and contacts_in(workspace.path) == 0


def test_cancel_while_the_file_is_read_for_its_columns(qtbot, workspace, scripted, tmp_path: Path, monkeypatch):
    source = tmp_path / "contacts.xlsx"
    write_xlsx(source, HEADERS, contact_rows(5_000))
    monkeypatch.setattr(import_dialog, "PROGRESS_FROM_BYTES", 1)
    labels: list[str] = []
    set_label = QProgressDialog.setLabelText

    def press_cancel(progress: QProgressDialog, text: str) -> None:
        set_label(progress, text)
        labels.append(text)
        progress.cancel()

    monkeypatch.setattr(QProgressDialog, "setLabelText", press_cancel)
    dialog = ImportDialog(workspace.transfer)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("contacts"))
    dialog.path_edit.setText(str(source))
    dialog.next_button.click()
    assert "Reading the file…" in labels
    assert dialog.pages.currentIndex() == 0 and dialog.sample is None and dialog.error.text() == ""


def test_the_previews_rows_go_to_disk_before_the_file_is_read_again(
    qtbot, workspace, scripted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    source = tmp_path / "contacts.xlsx"
    write_xlsx(source, HEADERS, contact_rows(3_000))
    dialog = open_dialog(qtbot, workspace, source)
    dialog.next_button.click()
    model = dialog.preview_view.model()
    assert isinstance(model.rows, RowSpool) and not model.rows.on_disk  # a file this size is checked in memory
    seen: list[bool] = []
    import_file = TransferService.import_file

    def importing(service, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        seen.append(model.rows.on_disk)  # as the import reads the file again
        return import_file(service, *args, **kwargs)

    monkeypatch.setattr(TransferService, "import_file", importing)
    dialog.abort_radio.setChecked(True)
    result = dialog.run_import()
    assert seen == [True] and result is not None and result.aborted and contacts_in(workspace.path) == 0
    model.cache.clear()  # read again, from disk now
    assert [model.index(r, 1).data() for r in (3, 4, 7, 2_999)] == ["ok", "problem", "duplicate", "ok"]
    assert (
        "birthday" in model.index(4, 2).data() and model.index(7, 2).data() == "same name at the same company as row 3"
    )
    dialog.skip_radio.setChecked(True)
    result = dialog.run_import()
    assert result is not None and result.imported == 2_998 and contacts_in(workspace.path) == 2_998
