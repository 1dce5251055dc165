"""File → Import…: kind, file and encoding; the columns matched to fields; every row previewed with its problems."""

from __future__ import annotations

from collections import OrderedDict
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
    FileSample,
    ImportPreview,
    ImportResult,
    TableError,
    TransferService,
    importable_fields,
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
#: Read a file for its column mapping behind a progress dialog from this size on (its rows are not known yet).
PROGRESS_FROM_BYTES = 200_000
#: Duplicates listed by row under the preview (the table above shows them all).
DUPLICATES_LISTED = 500


class ImportCancelled(Exception):
    """The person pressed Cancel in the progress dialog; the transaction rolls back."""


class PreviewModel(QAbstractTableModel):
    """Every row of the file: its number, status and problems, then its cells as read.

    The preview keeps its checked rows and their cells on disk for a large file; the model reads a row when a
    view asks for it and remembers the last `CACHED_ROWS` rows it read, so scrolling through a million rows
    holds a screenful or so.
    """

    CACHED_ROWS = 400

    def __init__(self, headers: list[str], preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows = preview.rows
        self.cells = preview.cells
        self._count = len(preview.rows)
        #: Row position → (row number, status, problems, fill, cells).
        self.cache: OrderedDict[int, tuple[str, str, str, QColor | None, list[str]]] = OrderedDict()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 3 + len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section < 3:
            return (_("Row"), _("Status"), _("Problems"))[section]
        return self.headers[section - 3]

    def row(self, position: int) -> tuple[str, str, str, QColor | None, list[str]]:
        """(row number, status, problems, fill, cells) of the row at `position`, read once while it is cached."""
        found = self.cache.get(position)
        if found is not None:
            self.cache.move_to_end(position)
            return found
        checked = self.rows[position]
        cells = self.cells[position] if self.cells is not None else []
        if not checked.ok:
            found = (str(checked.row), _("problem"), "; ".join(checked.problems), PROBLEM_FILL, cells)
        elif checked.duplicate_of:
            found = (str(checked.row), _("duplicate"), checked.duplicate_of, DUPLICATE_FILL, cells)
        else:
            found = (str(checked.row), _("ok"), "", None, cells)
        self.cache[position] = found
        if len(self.cache) > self.CACHED_ROWS:
            self.cache.popitem(last=False)
        return found

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._count:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            number, status, problems, _fill, cells = self.row(index.row())
            if column < 3:
                return (number, status, problems)[column]
            return cells[column - 3] if column - 3 < len(cells) else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            fill = self.row(index.row())[3]
            return QBrush(fill) if fill is not None else None
        return None

    def forget(self) -> None:
        """Let go of the preview (its rows are about to be thrown away): the model shows no rows."""
        self.beginResetModel()
        self._count = 0
        self.cache.clear()
        self.rows, self.cells = [], None
        self.endResetModel()


class ImportDialog(QDialog):
    """Three steps: the file; its columns matched to fields; a preview of every row, then the import."""

    def __init__(self, service: TransferService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(_("Import"))
        self.sample: FileSample | None = None
        self.preview: ImportPreview | None = None
        self.preview_model: PreviewModel | None = None
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
        """Read the file's header, first row and row count (nothing checked, no rows kept) and show the column
        mapping; a large file is read off the GUI thread, with progress and Cancel."""
        path = self.path_edit.text().strip()
        if not path:
            self.error.setText(_("Choose a file to import."))
            return False
        kind, encoding = self.kind, self.encoding
        try:
            if _size(path) < PROGRESS_FROM_BYTES:
                QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
                try:
                    self.sample = self.service.sample(kind, path, encoding)
                finally:
                    QApplication.restoreOverrideCursor()
            else:
                self.sample = tasks.run_with_progress(
                    self,
                    _("Import"),
                    _("Reading the file…"),
                    _("Cancel"),
                    lambda report: self.service.sample(kind, path, encoding, _phase_report(report)),
                )
        except (TableError, ValueError, OSError) as exc:
            self.error.setText(str(exc))
            return False
        except ImportCancelled:
            return False
        self._fill_mapping()
        self._show_page(1)
        return True

    def _fill_mapping(self) -> None:
        assert self.sample is not None
        headers = self.sample.headers
        suggested = suggest_fields(self.kind, headers)
        first = self.sample.first_rows[0] if self.sample.first_rows else []
        self.mapping_intro.setText(
            _(
                "{file}: {rows} rows, read as {encoding}. Check what each column is read as; "
                "choose “(not imported)” to leave a column out."
            ).format(
                file=Path(self.path_edit.text()).name,
                rows=self.sample.rows,
                encoding=encoding_name(self.sample.encoding),
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
            # The rows checked and their cells as read wait on disk for the table to show (a row when it is seen).
            return self.service.preview(kind, self.service.read(kind, path, encoding, report, mapping, keep_cells=True))

        assert self.sample is not None
        try:
            if self.sample.rows < PROGRESS_FROM_ROWS:
                preview = work(None)
            else:  # a large file is checked off the GUI thread
                preview = tasks.run_with_progress(
                    self, _("Import"), _("Checking the rows…"), _("Cancel"), lambda report: work(_phase_report(report))
                )
        except (TableError, ValueError, OSError, StorageError) as exc:
            self.error.setText(str(exc))
            return False
        except ImportCancelled:
            return False
        self._drop_preview()
        self.preview = preview
        self.preview_model = PreviewModel(self.sample.headers, preview, self)
        self.preview_view.setModel(self.preview_model)
        # Column widths from the first rows only (Qt would otherwise read a thousand rows for each column).
        self.preview_view.horizontalHeader().setResizeContentsPrecision(PreviewModel.CACHED_ROWS // 4)
        self.preview_view.resizeColumnsToContents()
        self._fit_columns()
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
        duplicates = p.duplicate_rows
        listed = [_("row {row}: {what}").format(row=r.row, what=r.duplicate_of) for r in duplicates[:DUPLICATES_LISTED]]
        if len(duplicates) > DUPLICATES_LISTED:
            listed.append(_("… and {count} more rows").format(count=len(duplicates) - DUPLICATES_LISTED))
        self.duplicates.setPlainText("\n".join(listed) or _("None."))
        self.abort_radio.setEnabled(True)
        self._show_page(2)
        return True

    def _fit_columns(self) -> None:
        """At most 320 pixels a column; the row number and status wide enough for the last row and every status
        (the widths were measured on the first rows only)."""
        model, view = self.preview_model, self.preview_view
        assert model is not None
        for column in range(model.columnCount()):
            if view.columnWidth(column) > 320:
                view.setColumnWidth(column, 320)
        last = model.row(model.rowCount() - 1)[0] if model.rowCount() else ""
        for column, texts in ((0, [last]), (1, [_("ok"), _("problem"), _("duplicate")])):
            wanted = max(view.fontMetrics().horizontalAdvance(text) for text in texts) + 16
            if view.columnWidth(column) < wanted:
                view.setColumnWidth(column, wanted)

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

        if len(self.preview.rows) >= PROGRESS_FROM_ROWS:
            # The preview's rows go to disk first (a second of work at most, here, where the table reads them),
            # so that they and the rows read again never fill the memory together.
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.preview.set_aside()
            finally:
                QApplication.restoreOverrideCursor()
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

    def done(self, result: int) -> None:
        """Closing the dialog (Import, Cancel or the window's close button) throws away the preview's rows."""
        self._drop_preview()
        super().done(result)

    def _drop_preview(self) -> None:
        if self.preview_model is not None:
            self.preview_model.forget()
        if self.preview is not None:
            self.preview.close()
            self.preview = None


def _phase_report(report: Any) -> Any:
    """The import's progress callback (phase, done, total), passed on to a progress dialog's report;
    raises ImportCancelled once the person pressed Cancel."""

    def phase_report(phase: str, done: int, total: int) -> None:
        label = {"counting": _("Reading the file…"), "reading": _("Checking the rows…")}.get(
            phase, _("Writing the rows…")
        )
        if not report(done, total, label):
            raise ImportCancelled()

    return phase_report


def _size(path: str) -> int:
    """The file's size in bytes; 0 when it cannot be seen (reading it then says why)."""
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


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
