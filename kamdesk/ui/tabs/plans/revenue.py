"""The Revenue page: target against actual per period, with each row's variance and the totals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QLabel, QWidget

from kamdesk.domain.plans import AccountPlan, RevenueLine, line_variance, revenue_totals
from kamdesk.i18n import _
from kamdesk.ui import formatting
from kamdesk.ui.tabs.plans.cells import EditTable, TablePage, money_text, parse_money


class RevenuePage(TablePage):
    def __init__(self, default_period: Callable[[], str], parent: QWidget | None = None) -> None:
        """A new row is for `default_period()` (the plan's period as the Summary page shows it)."""
        table = EditTable(
            [_("Period"), _("Sales target"), _("Actual revenue"), _("Margin %"), _("Profit"), _("Variance")],
            stretch=5,
            widths={0: 120, 1: 150, 2: 150, 3: 90, 4: 150},
        )
        super().__init__(table, _("Add period"), self.add_revenue, parent=parent)
        self.default_period = default_period
        self.totals_label = QLabel()
        self.page_layout.addWidget(self.totals_label)
        table.itemChanged.connect(lambda _i: self.refresh_totals())

    def add_revenue(self, line: RevenueLine | None = None) -> None:
        r = line or RevenueLine(self.default_period())
        table = self.table
        with QSignalBlocker(table):
            row = table.rowCount()
            table.insertRow(row)
            table.set_text(row, 0, r.period)
            table.set_text(row, 1, money_text(r.target_cents), number=True)
            table.set_text(row, 2, money_text(r.actual_cents), number=True)
            table.set_text(row, 3, "" if r.margin_pct is None else f"{r.margin_pct:g}", number=True)
            table.set_text(row, 4, money_text(r.profit_cents), number=True)
            table.set_text(row, 5, "", editable=False, number=True)
        self.refresh_totals()

    def _line(self, row: int) -> RevenueLine:
        t = self.table
        margin = t.text(row, 3).strip().rstrip("%")
        return RevenueLine(
            t.text(row, 0).strip(),
            parse_money(t.text(row, 1)),
            parse_money(t.text(row, 2)),
            float(margin) if margin else None,
            parse_money(t.text(row, 4)),
        )

    def refresh_totals(self) -> None:
        lines = []
        with QSignalBlocker(self.table):
            for row in range(self.table.rowCount()):
                try:
                    line = self._line(row)
                except ValueError:
                    continue
                lines.append(line)
                variance = line_variance(line)
                item = self.table.item(row, 5)
                if item is not None:
                    item.setText(formatting.money(variance) if variance is not None else "")
        totals = revenue_totals(lines)
        self.totals_label.setText(
            _(
                "Totals: target {target}, actual {actual}, variance {variance}{pct}, profit {profit}, margin {margin}"
            ).format(
                target=formatting.money(totals.target_cents),
                actual=formatting.money(totals.actual_cents),
                variance=formatting.money(totals.variance_cents),
                pct=f" ({totals.variance_pct:+g}%)" if totals.variance_pct is not None else "",
                profit=formatting.money(totals.profit_cents),
                margin=f"{totals.margin_pct:g}%" if totals.margin_pct is not None else "—",
            )
        )

    def load(self, plan: AccountPlan) -> None:
        self.table.setRowCount(0)
        for line in plan.revenue:
            self.add_revenue(line)
        self.refresh_totals()

    def values(self, problems: list[str]) -> dict[str, Any]:
        problem = _("Revenue row {n}: amounts and margin are plain numbers.")
        return {"revenue": self.read_rows(self._line, problem, problems)}
