"""The dashboard's judgement row: accounts by strategy group, the accounts costing most to serve relative to
their revenue, and the accounts whose zipper is weakest (20b's list; double-click one to open it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.cost_to_serve import CostToServe, grade_label
from kamdesk.domain.dashboard import PyramidData
from kamdesk.domain.strategy import StrategyGroup
from kamdesk.i18n import _
from kamdesk.services.zipper import AccountZipper
from kamdesk.ui import formatting
from kamdesk.ui.widgets.warm_items import table_item
from kamdesk.ui.widgets.worst_zippers import WorstZippersList

GRADE_COLOURS = {"too_costly": "#f4b6b0", "watch": "#f7e3a1", "no_revenue": "#f7e3a1"}


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _account_item(account_id: int, text: str) -> QTableWidgetItem:
    item = table_item(text)
    item.setData(Qt.ItemDataRole.UserRole, account_id)
    return item


class PyramidSelector(QComboBox):
    """Whose pyramid the chart shows: the whole team, or one salesperson (their accounts and their own time)."""

    def fill(self, pyramids: Mapping[int | None, PyramidData]) -> None:
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(_("Whole team"), None)
        people = sorted(((k, p.owner_name) for k, p in pyramids.items() if k is not None), key=lambda kp: kp[1])
        for owner_id, name in people:
            self.addItem(name or "?", owner_id)
        index = self.findData(current)
        self.setCurrentIndex(index if index >= 0 else 0)
        self.blockSignals(False)


class JudgementRow(QWidget):
    """Strategy groups, costliest accounts and weakest zippers, side by side."""

    account_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        groups_box = QGroupBox(_("Accounts by strategy"))
        groups_layout = QVBoxLayout(groups_box)
        self.groups = _table([_("Strategy"), _("Accounts")])
        self.groups.setRowCount(len(StrategyGroup))
        for row, group in enumerate(StrategyGroup):
            self.groups.setItem(row, 0, table_item(group.label))
            self.groups.setItem(row, 1, table_item("0"))
        header = self.groups.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.groups.setWordWrap(True)
        self.key_rule = QLabel()
        self.key_rule.setWordWrap(True)
        self.key_rule.setStyleSheet("color: palette(dark)")
        groups_layout.addWidget(self.groups)
        groups_layout.addWidget(self.key_rule)

        cost_box = QGroupBox(_("Costing most to serve (last 12 months)"))
        cost_layout = QVBoxLayout(cost_box)
        self.costs = _table([_("Account"), _("Cost to serve"), _("Of revenue"), _("Verdict")])
        self.costs.cellDoubleClicked.connect(lambda row, _c: self._open(self.costs, row))
        cost_layout.addWidget(self.costs)

        zipper_box = QGroupBox(_("Weakest zippers"))
        zipper_layout = QVBoxLayout(zipper_box)
        self.zippers = WorstZippersList()  # helper 20b's list of workspace.zipper.worst_accounts()
        self.zippers.title.hide()  # the box says it
        self.zippers.account_activated.connect(self.account_requested)
        zipper_layout.addWidget(self.zippers)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(groups_box, 2)
        layout.addWidget(cost_box, 3)
        layout.addWidget(zipper_box, 4)
        self.setMinimumHeight(290)

    def _open(self, table: QTableWidget, row: int) -> None:
        item = table.item(row, 0)
        account_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if account_id is not None:
            self.account_requested.emit(int(account_id))

    def fill_groups(self, counts: Mapping[str, int], key_rule: str) -> None:
        for row, group in enumerate(StrategyGroup):
            item = table_item(str(counts.get(group.value, 0)))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.groups.setItem(row, 1, item)
        self.key_rule.setText(key_rule)

    def fill_costs(self, costs: Sequence[CostToServe], marks: tuple[int, int]) -> None:
        self.costs.setRowCount(0)
        self.costs.setRowCount(len(costs))  # every row at once: each insertion into a shown table relays it out
        for row, cost in enumerate(costs):
            grade = cost.grade(*marks)
            share = cost.share_of_revenue
            name = f"{cost.name} ({cost.account_class})" if cost.account_class else cost.name
            items = (
                _account_item(cost.account_id, name),
                table_item(formatting.money(cost.total_cents)),
                table_item("—" if share is None else f"{share:.1f}%"),
                table_item(grade_label(grade)),
            )
            for column, item in enumerate(items):
                if column in (1, 2):  # money and share line up on the right
                    item.setTextAlignment(formatting.NUMBER_ALIGN)
                if grade in GRADE_COLOURS:
                    item.setBackground(QColor(GRADE_COLOURS[grade]))
                    item.setForeground(QColor("#111111"))
                self.costs.setItem(row, column, item)
        self.costs.resizeColumnsToContents()

    def fill_zippers(self, worst: Sequence[AccountZipper] | None) -> None:
        """`worst`: workspace.zipper.worst_accounts(), or None when it could not be read."""
        if worst is None:
            self.zippers.set_accounts([])
            self.zippers.table.setItem(0, 0, table_item(_("The zipper checks could not be read.")))
            return
        self.zippers.set_accounts(worst)
