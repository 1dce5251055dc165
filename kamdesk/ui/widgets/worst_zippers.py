"""The accounts with the weakest zipper (workspace.zipper.worst_accounts), as a small list for the dashboard."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.zipper_checks import PROBLEM, ZipperFinding
from kamdesk.i18n import _
from kamdesk.services.zipper import AccountZipper
from kamdesk.ui.widgets.record_list import title_width
from kamdesk.ui.widgets.warm_items import table_item

PROBLEM_COLOUR = QColor("#C62828")
WARNING_COLOUR = QColor("#B26A00")


def findings_tooltip(findings: Sequence[ZipperFinding]) -> str:
    """Every finding of an account with its suggestion, one paragraph each (plain text)."""
    lines = []
    for finding in findings:
        mark = "●" if finding.severity == PROBLEM else "○"
        lines.append(f"{mark} {finding.message}\n   → {finding.suggestion}")
    return "\n".join(lines)


class WorstZippersList(QWidget):
    """Account, problems, warnings and the first thing to fix; double-click (or Enter) opens the account."""

    #: The person asked to open this account (its id).
    account_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(_("Accounts with the weakest zipper"))
        self.title.setToolTip(
            _(
                "Points: 3 per problem and 1 per warning, counted three times in a class A account and twice in a "
                "class B one. Hover over a row to see every finding and what to do."
            )
        )
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Account"), _("Problems"), _("Warnings"), _("First to fix")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(title_width(header, 3))  # squeezed, the advice column keeps its title
        self.table.cellDoubleClicked.connect(lambda row, _column: self._activate(row))
        self.table.activated.connect(lambda index: self._activate(index.row()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)

    def set_accounts(self, accounts: Sequence[AccountZipper]) -> None:
        """Show these accounts in the order given (worst first)."""
        table = self.table
        table.setRowCount(0)
        if not accounts:
            table.setRowCount(1)
            empty = table_item(_("No account's zipper has a problem or a warning."))
            table.setItem(0, 0, empty)
            table.setSpan(0, 0, 1, 4)
            return
        table.clearSpans()
        table.setRowCount(len(accounts))  # every row at once: each insertion into a shown table relays it out
        for row, account in enumerate(accounts):
            name = f"{account.name} ({account.account_class})" if account.account_class else account.name
            problems = sum(f.severity == PROBLEM for f in account.findings)
            warnings = len(account.findings) - problems
            first = account.findings[0] if account.findings else None
            items = [
                table_item(name),
                table_item(str(problems)),
                table_item(str(warnings)),
                table_item(first.suggestion if first else ""),
            ]
            items[0].setData(Qt.ItemDataRole.UserRole, account.account_id)
            tip = findings_tooltip(account.findings)
            for column, item in enumerate(items):
                item.setToolTip(tip)
                if column in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(row, column, item)
            if problems:
                items[1].setForeground(PROBLEM_COLOUR)
            if warnings:
                items[2].setForeground(WARNING_COLOUR)
        table.resizeRowsToContents()

    def account_ids(self) -> list[int]:
        ids = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
            if value is not None:
                ids.append(int(value))
        return ids

    def _activate(self, row: int) -> None:
        item = self.table.item(row, 0)
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if value is not None:
            self.account_activated.emit(int(value))
