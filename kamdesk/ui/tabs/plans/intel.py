"""The Intelligence page: notes on the account, each graded by how hard it was to come by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from kamdesk.domain.plans import INTEL_GRADES, AccountPlan, IntelNote
from kamdesk.i18n import _
from kamdesk.ui.tabs.plans.cells import EditTable, TablePage, parse_date
from kamdesk.ui.widgets.choices import select_data


class IntelPage(TablePage):
    def __init__(self, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        table = EditTable([_("Grade"), _("Note"), _("Source"), _("Date")], stretch=1, widths={0: 230, 2: 160, 3: 100})
        super().__init__(
            table,
            _("Add note"),
            self.add_intel,
            _(
                "Information grades: 1 public and free; 2 public at a cost; 3 private, through contacts; 4 private, "
                "from their top management. Higher grades are worth more."
            ),
            parent,
        )
        self.today = today

    def add_intel(self, note: IntelNote | None = None) -> None:
        n = note or IntelNote(3, "", "", self.today())
        table = self.table
        row = table.rowCount()
        table.insertRow(row)
        grade = QComboBox()
        for key, label in INTEL_GRADES.items():
            grade.addItem(_(label), key)
        select_data(grade, n.grade)
        table.setCellWidget(row, 0, grade)
        table.set_text(row, 1, n.note)
        table.set_text(row, 2, n.source)
        table.set_text(row, 3, n.noted_on.isoformat() if n.noted_on else "")

    def load(self, plan: AccountPlan) -> None:
        self.table.setRowCount(0)
        for note in plan.intel:
            self.add_intel(note)

    def values(self, problems: list[str]) -> dict[str, Any]:
        table = self.table
        intel = []
        for row in range(table.rowCount()):
            try:
                noted = parse_date(table.text(row, 3))
            except ValueError:
                problems.append(_("Intelligence note {n}: the date is not a date.").format(n=row + 1))
                continue
            grade = table.combo_data(row, 0)
            intel.append(
                IntelNote(grade if isinstance(grade, int) else 1, table.text(row, 1), table.text(row, 2), noted)
            )
        return {"intel": intel}
