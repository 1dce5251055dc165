"""The Objectives page: SMART objectives, the last column saying which letter fails and why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QWidget

from kamdesk.domain.plans import AccountPlan, Objective, SmartContext, smart_findings, smart_summary
from kamdesk.i18n import _
from kamdesk.ui.tabs.plans.cells import (
    COMPLETE_TEXT,
    OVERDUE_TEXT,
    EditTable,
    Members,
    TablePage,
    parse_date,
)


class ObjectivesPage(TablePage):
    #: An objective was added, removed or edited (the action steps offer them by name).
    edited = Signal()

    def __init__(self, members: Members, parent: QWidget | None = None) -> None:
        table = EditTable(
            [_("Objective"), _("Measure"), _("Target value"), _("Due"), _("Owner"), _("SMART check")],
            widths={1: 140, 2: 90, 3: 100, 4: 110, 5: 300},
        )
        super().__init__(
            table,
            _("Add objective"),
            self.add_objective,
            _(
                "Objectives are SMART. Specific: says what exactly, not just “better”. Measurable: a number with its "
                "unit (≥ 90 分, 3 个项目, 500万元) or a result one can check. Achievable: an owner, and an amount in "
                "line with the revenue plan and last year's revenue. Timely: due inside the plan's period. "
                "Appropriate is for the sponsor's review. The last column says which letter fails and why."
            ),
            parent,
        )
        self.members = members
        #: What each objective is judged against (the plan's period, revenue plan, last year's revenue).
        self.context: Callable[[], SmartContext | None] = lambda: None
        header = table.horizontalHeaderItem(3)
        if header is not None:
            header.setToolTip(_("A date such as 2027-06-30"))
        table.itemChanged.connect(lambda _i: self.refresh_smart())
        table.model().rowsRemoved.connect(lambda *_args: self.edited.emit())

    def add_objective(self, objective: Objective | None = None) -> None:
        o = objective or Objective("")
        table = self.table
        with QSignalBlocker(table):
            row = table.rowCount()
            table.insertRow(row)
            table.set_text(row, 0, o.statement)
            table.set_text(row, 1, o.measure)
            table.set_text(row, 2, o.target_value)
            table.set_text(row, 3, o.due_on.isoformat() if o.due_on else "")
            owner = self.members.combo(o.owner_id)
            owner.currentIndexChanged.connect(lambda _i: self.refresh_smart())
            table.setCellWidget(row, 4, owner)
            table.set_text(row, 5, "", editable=False)
            first = table.item(row, 0)
            if first is not None:
                first.setData(Qt.ItemDataRole.UserRole, o.id)
        self.refresh_smart()

    def labels(self) -> list[str]:
        """How the action steps name each objective."""
        return [f"{row + 1}. {self.table.text(row, 0)[:30]}" for row in range(self.table.rowCount())]

    def set_context(self, context: Callable[[], SmartContext | None]) -> None:
        self.context = context
        self.refresh_smart()

    def refresh_smart(self) -> None:
        table = self.table
        context = self.context() if table.rowCount() else None
        with QSignalBlocker(table):
            for row in range(table.rowCount()):
                findings = smart_findings(self._objective(row, strict=False), context)
                item = table.item(row, 5)
                if item is None:
                    continue
                complete = all(f.ok for f in findings)
                item.setText(smart_summary(findings))
                item.setForeground(COMPLETE_TEXT if complete else OVERDUE_TEXT)
                # Every letter, passing or not, with its reason.
                item.setToolTip(
                    "\n".join(
                        ("✓ " if f.ok else "✗ ")
                        + _("{letter} ({name}): {reason}").format(letter=f.letter, name=f.name, reason=f.reason)
                        for f in findings
                    )
                )
                table.resizeRowToContents(row)  # every reason readable, however many letters fail
        self.edited.emit()

    def _objective(self, row: int, strict: bool = True) -> Objective:
        t = self.table
        try:
            due = parse_date(t.text(row, 3))
        except ValueError:
            if strict:
                raise
            due = None
        owner = t.combo_data(row, 4)
        item = t.item(row, 0)
        return Objective(
            t.text(row, 0),
            t.text(row, 1),
            t.text(row, 2),
            due,
            owner if isinstance(owner, int) else None,
            self.members.name(owner),
            item.data(Qt.ItemDataRole.UserRole) if item is not None else None,
        )

    def load(self, plan: AccountPlan) -> None:
        self.table.setRowCount(0)
        for objective in plan.objectives:
            self.add_objective(objective)

    def values(self, problems: list[str]) -> dict[str, Any]:
        problem = _("Objective {n}: the due date is not a date (write it as 2027-06-30).")
        return {"objectives": self.read_rows(self._objective, problem, problems)}
