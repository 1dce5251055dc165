"""What the plan's section pages share: editable tables, cell parsing, team-member choosers, colours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.models import TeamMember
from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui import formatting
from kamdesk.ui.widgets.choices import select_data
from kamdesk.ui.widgets.record_list import title_width
from kamdesk.ui.widgets.warm_items import table_item

ERROR_STYLE = "color: #b00020"
OVERDUE_FILL = QColor("#fdecea")
OVERDUE_TEXT = QColor("#b00020")
COMPLETE_TEXT = QColor("#1b5e20")


def parse_date(text: str) -> dt.date | None:
    """An ISO date (or 2027/3/1) from a table cell; empty is None; anything else raises ValueError."""
    text = text.strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    parts = text.split("-")
    if len(parts) != 3:
        raise ValueError(text)
    return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))


def parse_money(text: str) -> int | None:
    """Yuan as typed: 1,332,500 or 1332500.5, or in Chinese units (133.25万, 1.2亿)."""
    text = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    if not text:
        return None
    scale = {"万": 10_000, "亿": 100_000_000}.get(text[-1], 1)
    if scale != 1:
        text = text[:-1]
    return round(float(text) * scale * 100)


def money_text(cents: int | None) -> str:
    """An amount to edit: exact to the fen, digits grouped (1,452,079.16)."""
    return "" if cents is None else formatting.money_exact(cents)


T = TypeVar("T")


class Members:
    """The team as the plan's choosers offer it: active members, plus a departed one a plan still names."""

    def __init__(self, workspace: Workspace, read_now: bool = True) -> None:
        """Without `read_now` the team arrives later by `set` (read off the GUI thread by the tab)."""
        self.user_name = workspace.user_name
        self.rows: list[tuple[int | None, str, bool]] = []
        self.loaded = False
        if read_now:
            self.set(workspace.team.members())

    def set(self, members: list[TeamMember]) -> None:
        self.rows = [(m.id, m.name, m.active) for m in members]
        self.loaded = True

    def combo(self, selected: int | None = None, allow_none: bool = True) -> QComboBox:
        combo = QComboBox()
        self.fill(combo, selected, allow_none)
        return combo

    def fill(self, combo: QComboBox, selected: int | None = None, allow_none: bool = True) -> None:
        """Offer the team in `combo` (emptied first), `selected` chosen."""
        combo.clear()
        if allow_none:
            combo.addItem("—", None)
        for member_id, name, active in self.rows:
            if active or member_id == selected:
                combo.addItem(name if active else _("{name} (left)").format(name=name), member_id)
        select_data(combo, selected)

    def name(self, member_id: object) -> str:
        return next((name for m, name, _active in self.rows if m == member_id), "")

    def me(self) -> int | None:
        return next((m for m, name, active in self.rows if active and name == self.user_name), None)


class EditTable(QTableWidget):
    """A table of rows a person adds, edits in place and removes (Insert / Delete keys as well)."""

    def __init__(
        self, headers: list[str], parent: QWidget | None = None, stretch: int = 0, widths: dict[int, int] | None = None
    ) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().setVisible(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)  # the column with the most text
        for column, width in (widths or {}).items():
            self.setColumnWidth(column, width)
        for column in range(len(headers)):  # a column is never narrower than its title
            self.setColumnWidth(column, max(self.columnWidth(column), title_width(header, column)))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        self.new_row: Callable[[], None] | None = None

    def text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""

    def set_text(self, row: int, column: int, text: str, editable: bool = True, number: bool = False) -> None:
        item = table_item(text)
        if number:
            item.setTextAlignment(formatting.NUMBER_ALIGN)
        if not editable:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.setItem(row, column, item)

    def combo_data(self, row: int, column: int) -> object:
        combo = self.cellWidget(row, column)
        return combo.currentData() if isinstance(combo, QComboBox) else None

    def spin_value(self, row: int, column: int) -> int:
        spin = self.cellWidget(row, column)
        return spin.value() if isinstance(spin, QSpinBox) else 0

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.selectedIndexes()}, reverse=True):
            self.removeRow(row)

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's signature
        if event.key() == Qt.Key.Key_Insert and self.new_row is not None:
            self.new_row()
            return
        if event.key() == Qt.Key.Key_Delete and self.state() != QAbstractItemView.State.EditingState:
            self.remove_selected()
            return
        super().keyPressEvent(event)


class TablePage(QWidget):
    """A section that is one EditTable: a note above it, Add and Remove selected below."""

    def __init__(
        self, table: EditTable, add_label: str, add: Callable[[], None], note: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.table = table
        self.page_layout = QVBoxLayout(self)
        if note:
            label = QLabel(note)
            label.setWordWrap(True)
            self.page_layout.addWidget(label)
        self.page_layout.addWidget(table, 1)
        buttons = QHBoxLayout()
        add_button = QPushButton(add_label)
        add_button.clicked.connect(lambda: add())
        remove_button = QPushButton(_("Remove selected"))
        remove_button.clicked.connect(table.remove_selected)
        buttons.addWidget(add_button)
        buttons.addWidget(remove_button)
        buttons.addStretch(1)
        self.page_layout.addLayout(buttons)
        table.new_row = add

    def read_rows(self, read_row: Callable[[int], T], problem: str, problems: list[str]) -> list[T]:
        """Every row read by `read_row`; a row it cannot read adds `problem` (with its number as {n}) instead."""
        rows = []
        for row in range(self.table.rowCount()):
            try:
                rows.append(read_row(row))
            except ValueError:
                problems.append(problem.format(n=row + 1))
        return rows


def text_fields(form: QFormLayout, fields: Iterable[tuple[str, str]]) -> dict[str, QPlainTextEdit]:
    """A short text box per (key, label) of `fields`, added to `form`."""
    edits: dict[str, QPlainTextEdit] = {}
    for key, label in fields:
        edit = QPlainTextEdit()
        edit.setFixedHeight(54)
        form.addRow(QLabel(_(label)), edit)
        edits[key] = edit
    return edits


def scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area
