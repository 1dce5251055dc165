"""File → Import…: kind, file and encoding; the columns matched to fields; every row previewed with its problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.i18n import N_, _
from kamdesk.services.transfer import (
    IMPORT_KINDS,
    ImportPreview,
    ImportResult,
    TableError,
    TransferService,
    importable_fields,
    load_table,
    suggest_fields,
)
from kamdesk.services.workspace import StorageError
from kamdesk.ui import prompts, tasks
from kamdesk.ui.dialogs.import_fields import encoding_name, field_label
from kamdesk.ui.widgets.record_list import title_width
from kamdesk.ui.widgets.screen_fit import resize_to_fit

KIND_LABELS = {
    "accounts": N_("Accounts"),
    "contacts": N_("Contacts"),
    "team": N_("Our team"),
    "activities": N_("Activities"),
    "gifts": N_("Gifts and hospitality"),
    "catalogue": N_("Gift catalogue"),
}
#: (label, codec passed to the service; "" = detect).
ENCODINGS = (
    (N_("Detect automatically"), ""),
    (N_("UTF-8"), "utf-8"),
    (N_("Simplified Chinese (GBK)"), "gb18030"),
    (N_("Traditional Chinese (Big5)"), "big5"),
)
PROBLEM_FILL = QColor("#fde2e1")
DUPLICATE_FILL = QColor("#fff4cc")
#: Show the progress dialog for files longer than this many rows.
PROGRESS_FROM_ROWS = 2_000


class ImportCancelled(Exception):
    """The person pressed Cancel in the progress dialog; the transaction rolls back."""


class PreviewModel(QAbstractTableModel):
    """Every row of the file: its number, status and problems, then its cells (lazy, for 50,000 rows)."""

    def __init__(
        self, headers: list[str], cells: dict[int, list[str]], preview: ImportPreview, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.headers = headers
        self.cells = cells
        self.rows = preview.rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 3 + len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section < 3:
            return (_("Row"), _("Status"), _("Problems"))[section]
        return self.headers[section - 3]

    def status(self, row: int) -> tuple[str, str, QColor | None]:
        checked = self.rows[row]
        if not checked.ok:
            return _("problem"), "; ".join(checked.problems), PROBLEM_FILL
        if checked.duplicate_of:
            return _("duplicate"), checked.duplicate_of, DUPLICATE_FILL
        return _("ok"), "", None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        checked = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return str(checked.row)
            if column in (1, 2):
                return self.status(index.row())[column - 1]
            cells = self.cells.get(checked.row, [])
            return cells[column - 3] if column - 3 < len(cells) else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            fill = self.status(index.row())[2]
            return QBrush(fill) if fill is not None else None
        return None


class ImportDialog(QDialog):
    """Three steps: the file; its columns matched to fields; a preview of every row, then the import."""

    def __init__(self, service: TransferService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(_("Import"))
        self.table: Any = None
        self.preview: ImportPreview | None = None
        self.import_result: ImportResult | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._preview_page())
        self.back_button = QPushButton(_("< Back"))
        self.next_button = QPushButton(_("Next >"))
        self.import_button = QPushButton(_("Import"))
        self.cancel_button = QPushButton(_("Cancel"))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.import_button.clicked.connect(self.run_import)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.import_button, self.cancel_button):
            buttons.addWidget(button)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        resize_to_fit(self, 900, 600)
        self._show_page(0)

    # Pages -----------------------------------------------------------------------------------
    def _file_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.kind_combo = QComboBox()
        for kind in IMPORT_KINDS:
            self.kind_combo.addItem(_(KIND_LABELS[kind]), kind)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(_("A CSV, Excel (.xlsx) or, for contacts, vCard (.vcf) file"))
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        self.encoding_combo = QComboBox()
        for label, codec in ENCODINGS:
            self.encoding_combo.addItem(_(label), codec)
        hint = QLabel(
            _(
                "The first row must hold the column names (English or Chinese, e.g. name/姓名, "
                "account/公司名称). Nothing is written until you press Import on the last step."
            )
        )
        hint.setWordWrap(True)
        form.addRow(_("What to import"), self.kind_combo)
        form.addRow(_("File"), row)
        form.addRow(_("Encoding (CSV)"), self.encoding_combo)
        form.addRow(hint)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.mapping_intro = QLabel()
        self.mapping_intro.setWordWrap(True)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels([_("Column in the file"), _("First value"), _("Read as")])
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header = self.mapping_table.horizontalHeader()
        header.setMinimumSectionSize(max(title_width(header, column) for column in range(3)))
        self.mapping_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.mapping_intro)
        layout.addWidget(self.mapping_table, 1)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview_view = QTableView()
        self.preview_view.verticalHeader().setVisible(False)
        self.preview_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.preview_view.setWordWrap(False)
        self.duplicates = QPlainTextEdit()
        self.duplicates.setReadOnly(True)
        self.duplicates.setMaximumHeight(80)
        self.skip_radio = QRadioButton(_("Import the valid rows and skip the rest"))
        self.abort_radio = QRadioButton(_("Import nothing until the file is fixed"))
        self.skip_radio.setChecked(True)
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.skip_radio)
        self.choice.addButton(self.abort_radio)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview_view, 1)
        self.duplicates_label = QLabel(_("Duplicates (left out; the records already in the file are kept):"))
        layout.addWidget(self.duplicates_label)
        layout.addWidget(self.duplicates)
        layout.addWidget(self.skip_radio)
        layout.addWidget(self.abort_radio)
        return page

    def _show_page(self, number: int) -> None:
        self.pages.setCurrentIndex(number)
        self.back_button.setEnabled(number > 0)
        self.next_button.setVisible(number < 2)
        self.import_button.setVisible(number == 2)
        self.error.clear()

    # Steps -----------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    @property
    def encoding(self) -> str | None:
        return self.encoding_combo.currentData() or None

    def choose_file(self) -> None:
        path = prompts.current().open_data_file(
            self, _("Import from a file"), _("Spreadsheets and vCards (*.csv *.xlsx *.vcf *.txt);;All files (*)")
        )
        if path:
            self.path_edit.setText(path)

    def back(self) -> None:
        self._show_page(max(self.pages.currentIndex() - 1, 0))

    def next(self) -> None:
        if self.pages.currentIndex() == 0:
            self.load_file()
        elif self.pages.currentIndex() == 1:
            self.make_preview()

    def load_file(self) -> bool:
        """Read the file's header and rows (nothing checked yet) and show the column mapping."""
        path = self.path_edit.text().strip()
        if not path:
            self.error.setText(_("Choose a file to import."))
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.table = load_table(self.kind, path, self.encoding)
        except (TableError, ValueError, OSError) as exc:
            self.error.setText(str(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._fill_mapping()
        self._show_page(1)
        return True

    def _fill_mapping(self) -> None:
        headers = self.table.headers
        suggested = suggest_fields(self.kind, headers)
        first = self.table.rows[0][1] if self.table.rows else []
        self.mapping_intro.setText(
            _(
                "{file}: {rows} rows, read as {encoding}. Check what each column is read as; "
                "choose “(not imported)” to leave a column out."
            ).format(
                file=Path(self.path_edit.text()).name,
                rows=len(self.table.rows),
                encoding=encoding_name(self.table.encoding),
            )
        )
        self.mapping_table.setRowCount(len(headers))
        self.field_combos: list[QComboBox] = []
        for index, header in enumerate(headers):
            self.mapping_table.setItem(index, 0, QTableWidgetItem(header))
            self.mapping_table.setItem(index, 1, QTableWidgetItem(first[index] if index < len(first) else ""))
            combo = QComboBox()
            combo.addItem(_("(not imported)"), None)
            for field in importable_fields(self.kind):
                combo.addItem(field_label(self.kind, field), field)
            combo.setCurrentIndex(max(combo.findData(suggested.get(index)), 0))
            self.mapping_table.setCellWidget(index, 2, combo)
            self.field_combos.append(combo)
        self.mapping_table.resizeColumnToContents(0)
        self.mapping_table.resizeColumnToContents(2)

    def mapping(self) -> dict[int, str]:
        return {i: combo.currentData() for i, combo in enumerate(self.field_combos) if combo.currentData()}

    def set_field(self, column: int, field: str | None) -> None:
        """Choose what a column is read as (tests and keyboard users)."""
        combo = self.field_combos[column]
        combo.setCurrentIndex(max(combo.findData(field), 0))

    def make_preview(self) -> bool:
        """Check every row against the chosen mapping and the team file; show them all with their problems."""
        kind, path, encoding, mapping = self.kind, self.path_edit.text().strip(), self.encoding, self.mapping()

        def work(report: Any) -> Any:
            return self.service.preview(kind, self.service.read(kind, path, encoding, report, mapping))

        try:
            if len(self.table.rows) < PROGRESS_FROM_ROWS:
                self.preview = work(None)
            else:  # a large file is checked off the GUI thread
                self.preview = tasks.run_with_progress(
                    self, _("Import"), _("Checking the rows…"), _("Cancel"), lambda report: work(_phase_report(report))
                )
        except (TableError, ValueError, OSError, StorageError) as exc:
            self.error.setText(str(exc))
            return False
        except ImportCancelled:
            return False
        cells = dict(self.table.rows)
        self.preview_model = PreviewModel(self.table.headers, cells, self.preview, self)
        self.preview_view.setModel(self.preview_model)
        self.preview_view.resizeColumnsToContents()
        for column in range(self.preview_model.columnCount()):
            if self.preview_view.columnWidth(column) > 320:
                self.preview_view.setColumnWidth(column, 320)
        p = self.preview
        importable = len(p.importable_rows)
        lines = [
            _(
                "{rows} rows: {ok} can be imported, {problems} have problems (red), {duplicates} are duplicates "
                "(yellow)."
            ).format(rows=len(p.rows), ok=importable, problems=len(p.problem_rows), duplicates=len(p.duplicate_rows))
        ]
        if p.new_accounts:
            lines.append(_("New accounts: {names}").format(names=", ".join(p.new_accounts[:20])))
        if p.new_members:
            lines.append(_("New colleagues: {names}").format(names=", ".join(p.new_members[:20])))
        if p.unused_columns:
            lines.append(_("Columns not imported: {columns}").format(columns=", ".join(p.unused_columns)))
        lines += p.notes
        self.summary.setText("\n".join(lines))
        self.duplicates.setPlainText(
            "\n".join(_("row {row}: {what}").format(row=r.row, what=r.duplicate_of) for r in p.duplicate_rows)
            or _("None.")
        )
        self.abort_radio.setEnabled(True)
        self._show_page(2)
        return True

    def run_import(self) -> ImportResult | None:
        """Import in one transaction, as chosen; a summary follows. Cancel while writing writes nothing."""
        if self.preview is None:
            return None
        on_error = "abort" if self.abort_radio.isChecked() else "skip"
        kind, path, encoding, mapping = self.kind, self.path_edit.text().strip(), self.encoding, self.mapping()

        def work(report: Any) -> ImportResult:
            # Read afresh: the preview's rows were resolved against the file as it was then.
            read = self.service.read(kind, path, encoding, report, mapping)
            return self.service.import_file(kind, read, on_error=on_error, progress=report)

        try:
            if len(self.preview.rows) < PROGRESS_FROM_ROWS:
                result = work(None)
            else:  # a large file is read and written off the GUI thread; Cancel writes nothing
                result = tasks.run_with_progress(
                    self, _("Import"), _("Importing…"), _("Cancel"), lambda report: work(_phase_report(report))
                )
        except ImportCancelled:
            prompts.current().inform(self, _("Import"), _("The import was cancelled; nothing was written."))
            return None
        except (StorageError, ValueError, OSError) as exc:
            prompts.current().warn(self, _("Import failed"), _("{reason} Nothing was imported.").format(reason=exc))
            return None
        self.import_result = result
        prompts.current().inform(self, _("Import"), summary_text(result))
        if not result.aborted:
            self.accept()
        return result


def _phase_report(report: Any) -> Any:
    """The import's progress callback (phase, done, total), passed on to a progress dialog's report;
    raises ImportCancelled once the person pressed Cancel."""

    def phase_report(phase: str, done: int, total: int) -> None:
        label = _("Checking the rows…") if phase == "reading" else _("Writing the rows…")
        if not report(done, total, label):
            raise ImportCancelled()

    return phase_report


def summary_text(result: ImportResult) -> str:
    """What an import did, for the closing message."""
    if result.aborted:
        return _(
            "Nothing was imported: {count} rows have problems. Fix them in the file and import again, or "
            "choose to import the valid rows."
        ).format(count=result.problem_rows)
    lines = [_("Imported {imported} of {read} rows.").format(imported=result.imported, read=result.read)]
    if result.new_accounts:
        lines.append(_("New accounts: {names}").format(names=", ".join(result.new_accounts[:20])))
    if result.new_members:
        lines.append(_("New colleagues: {names}").format(names=", ".join(result.new_members[:20])))
    if result.skipped:
        lines.append(_("Skipped {count} rows:").format(count=len(result.skipped)))
        lines += [_("row {row}: {what}").format(row=row, what=reason) for row, reason in result.skipped[:15]]
        if len(result.skipped) > 15:
            lines.append(_("… and {count} more rows").format(count=len(result.skipped) - 15))
    return "\n".join(lines)
