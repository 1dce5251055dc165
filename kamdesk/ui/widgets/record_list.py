"""The pieces a list page is made of: the table of records (Enter opens one) and its filter combos."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QHelpEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QTableView, QToolTip, QTreeView

from kamdesk.domain.enums import LabelledEnum
from kamdesk.ui import formatting
from kamdesk.ui.app_settings import AppSettings

#: A column sized to its contents never takes more than this (longer text is elided, with a tooltip).
MAX_AUTO_WIDTH = 320
#: A tree (the agenda) is measured over this many rows: it holds a few hundred at most.
TREE_SAMPLE_ROWS = 500
#: Widths a person drags are written this long after the last move (a drag moves many times a second).
SAVE_DELAY_MS = 400


class RecordTable(QTableView):
    """A read-only, sortable list of records, one selected at a time; Enter opens the current one like a
    double-click does. Sorted by `sort_column` from the start (indicator first, then sorting on: one
    read of the first page instead of two).

    Columns fit their contents (the first screenful of rows) whenever the rows are read again, so a list
    that was empty at start does not keep the empty list's widths; a column a person sized keeps that
    width, remembered on this computer under `settings_key` (the model's class name by default). Text a
    column is too narrow for is elided and shown in full as a tooltip.
    """

    activated_row = Signal(QModelIndex)

    def __init__(
        self, model: QAbstractItemModel, sort_column: int, order: Qt.SortOrder, settings_key: str = ""
    ) -> None:
        super().__init__()
        self.setModel(model)
        self.settings_key = settings_key or type(model).__name__
        self._sizing = False
        self._user_widths = AppSettings.current().column_widths(self.settings_key)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_widths)
        header = self.horizontalHeader()
        header.setSortIndicator(sort_column, order)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setVisible(False)
        header.setStretchLastSection(False)
        header.setResizeContentsPrecision(formatting.SIZE_SAMPLE_ROWS)
        header.sectionResized.connect(self._section_resized)
        model.modelReset.connect(self.fit_columns)
        model.layoutChanged.connect(self.fit_columns)
        model.rowsInserted.connect(self._rows_inserted)
        self.fit_columns()

    def column_key(self, column: int) -> str:
        columns = getattr(self.model(), "columns", None)
        if isinstance(columns, list) and 0 <= column < len(columns):
            return str(columns[column][0])
        return str(column)

    def fit_columns(self) -> None:
        """Size each column to its contents (capped), or to the width the person gave it."""
        self._sizing = True
        try:
            for column in range(self.model().columnCount()):
                width = self._user_widths.get(self.column_key(column))
                if width is None:
                    self.resizeColumnToContents(column)
                    width = min(self.columnWidth(column), MAX_AUTO_WIDTH)
                self.setColumnWidth(column, width)
        finally:
            self._sizing = False

    def _rows_inserted(self, parent: QModelIndex, first: int, _last: int) -> None:
        if not parent.isValid() and first < formatting.SIZE_SAMPLE_ROWS:  # rows within the sample widths come from
            self.fit_columns()

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if self._sizing or new <= 0:
            return
        self._user_widths[self.column_key(column)] = new
        self._save_timer.start()

    def save_widths(self) -> None:
        self._save_timer.stop()
        AppSettings.current().save_column_widths(self.settings_key, self._user_widths)

    def forget_widths(self) -> None:
        """Back to widths that fit the contents (and forget what the person set)."""
        self._user_widths.clear()
        self.save_widths()
        self.fit_columns()

    def is_elided(self, index: QModelIndex) -> bool:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if not text:
            return False
        room = self.visualRect(index).width() - 2 * (
            self.style().pixelMetric(self.style().PixelMetric.PM_FocusFrameHMargin) + 2
        )
        return self.fontMetrics().horizontalAdvance(text) > room

    def elided_text_at(self, pos: QPoint) -> str | None:
        """The full text of the cell at `pos` when the column cuts it short (and the model has no tooltip)."""
        index = self.indexAt(pos)
        if index.isValid() and index.data(Qt.ItemDataRole.ToolTipRole) is None and self.is_elided(index):
            return str(index.data(Qt.ItemDataRole.DisplayRole))
        return None

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.elided_text_at(event.pos())
            if text is not None:
                QToolTip.showText(event.globalPos(), text, self.viewport())
                return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


def fit_tree_columns(tree: QTreeView, columns: int, rows: int = TREE_SAMPLE_ROWS) -> None:
    """Size a tree's first `columns` columns to the text of up to `rows` rows (not only the first screenful:
    a long reason or a time further down is not cut short), each capped like a list's columns."""
    tree.header().setResizeContentsPrecision(rows)
    for column in range(columns):
        tree.resizeColumnToContents(column)
        tree.setColumnWidth(column, min(tree.columnWidth(column), MAX_AUTO_WIDTH))


def filter_combo(all_text: str, items: list[tuple[str, Any]]) -> QComboBox:
    """A filter: "all" first (data None), then each choice."""
    combo = QComboBox()
    combo.addItem(all_text, None)
    for text, value in items:
        combo.addItem(text, value)
    # Six filters share one row: full width when there is room, but they may shrink with the
    # window (an explicit minimum width overrides the contents-based minimum).
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMinimumWidth(70)
    return combo


def enum_items(kind: type[LabelledEnum]) -> list[tuple[str, Any]]:
    return [(member.label, member.value) for member in kind]
