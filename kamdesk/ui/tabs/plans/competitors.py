"""The Competitors page: one row per competitor in the account, with the customer's preference."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QSpinBox, QWidget

from kamdesk.domain.plans import COMPETITOR_FIELDS, AccountPlan, Competitor
from kamdesk.i18n import _
from kamdesk.ui.tabs.plans.cells import EditTable, TablePage

PREFERENCE = len(COMPETITOR_FIELDS) + 1  # the column of the customer's preference


class CompetitorsPage(TablePage):
    def __init__(self, parent: QWidget | None = None) -> None:
        headers = [_("Competitor"), *[_(label) for _k, label in COMPETITOR_FIELDS], _("Customer's preference (1–5)")]
        table = EditTable(
            headers, stretch=len(headers) - 2, widths={i: 150 for i in range(len(headers)) if i != len(headers) - 2}
        )
        super().__init__(
            table,
            _("Add competitor"),
            self.add_competitor,
            _("One row per competitor in this account; double-click a cell to write in it."),
            parent,
        )

    def add_competitor(self, competitor: Competitor | None = None) -> None:
        c = competitor or Competitor(_("New competitor"))
        table = self.table
        row = table.rowCount()
        table.insertRow(row)
        table.set_text(row, 0, c.name)
        for column, (key, _label) in enumerate(COMPETITOR_FIELDS, start=1):
            table.set_text(row, column, getattr(c, key))
        spin = QSpinBox()
        spin.setRange(0, 5)
        spin.setSpecialValueText("—")
        spin.setValue(c.preference or 0)
        table.setCellWidget(row, PREFERENCE, spin)

    def load(self, plan: AccountPlan) -> None:
        self.table.setRowCount(0)
        for competitor in plan.competitors:
            self.add_competitor(competitor)

    def values(self) -> dict[str, Any]:
        table = self.table
        competitors = []
        for row in range(table.rowCount()):
            values = {key: table.text(row, column) for column, (key, _label) in enumerate(COMPETITOR_FIELDS, start=1)}
            preference = table.spin_value(row, PREFERENCE)
            name = table.text(row, 0).strip()
            if name or any(v.strip() for v in values.values()):
                competitors.append(
                    Competitor(name or _("Competitor {n}").format(n=row + 1), preference=preference or None, **values)
                )
        return {"competitors": competitors}
