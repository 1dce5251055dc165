"""The pieces a list page is made of: the table of records (Enter opens one) and its filter combos."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QTableView

from kamdesk.domain.enums import LabelledEnum
from kamdesk.ui import formatting


class RecordTable(QTableView):
    """A read-only, sortable list of records, one selected at a time; Enter opens the current one like a
    double-click does. Sorted by `sort_column` from the start (indicator first, then sorting on: one
    read of the first page instead of two), with widths taken from the first screenful of rows."""

    activated_row = Signal(QModelIndex)

    def __init__(self, model: QAbstractItemModel, sort_column: int, order: Qt.SortOrder) -> None:
        super().__init__()
        self.setModel(model)
        self.horizontalHeader().setSortIndicator(sort_column, order)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setResizeContentsPrecision(formatting.SIZE_SAMPLE_ROWS)
        self.resizeColumnsToContents()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


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
