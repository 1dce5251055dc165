"""The Actions page: the plan's action steps, overdue ones in red, each tied to an objective."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget

from kamdesk.domain.plans import ACTION_STATUSES, AccountPlan, ActionStep, is_overdue
from kamdesk.i18n import _
from kamdesk.ui import formatting
from kamdesk.ui.tabs.plans.cells import (
    OVERDUE_FILL,
    OVERDUE_TEXT,
    EditTable,
    Members,
    TablePage,
    parse_date,
)
from kamdesk.ui.widgets.choices import select_data

OBJECTIVE = 5  # the column of the objective a step serves


class ActionsPage(TablePage):
    def __init__(
        self,
        members: Members,
        today: Callable[[], dt.date],
        objectives: Callable[[], list[str]],
        parent: QWidget | None = None,
    ) -> None:
        """`objectives()` names the plan's objectives, in order, for the step's Objective column."""
        table = EditTable(
            [_("Task"), _("Owner"), _("Deadline"), _("Status"), _("Progress"), _("Objective"), _("Done")],
            widths={1: 110, 2: 100, 3: 120, 4: 80, 5: 170, 6: 150},
        )
        super().__init__(
            table,
            _("Add action step"),
            self.add_action,
            _("Overdue steps are shown in red. Setting a step to Done records who and when."),
            parent,
        )
        self.members = members
        self.today = today
        self.objectives = objectives
        header = table.horizontalHeaderItem(2)
        if header is not None:
            header.setToolTip(_("A date such as 2027-06-30"))
        table.itemChanged.connect(lambda _i: self.refresh_overdue())

    def add_action(self, action: ActionStep | None = None) -> None:
        a = action or ActionStep("", owner_id=self.members.me())
        table = self.table
        with QSignalBlocker(table):
            row = table.rowCount()
            table.insertRow(row)
            table.set_text(row, 0, a.task)
            first = table.item(row, 0)
            if first is not None:
                first.setData(Qt.ItemDataRole.UserRole, (a.id, a.done_by, a.done_on))
            table.setCellWidget(row, 1, self.members.combo(a.owner_id))
            table.set_text(row, 2, a.deadline.isoformat() if a.deadline else "")
            status = QComboBox()
            for key, label in ACTION_STATUSES:
                status.addItem(_(label), key)
            select_data(status, a.status)
            status.currentIndexChanged.connect(lambda _i: self.refresh_overdue())
            table.setCellWidget(row, 3, status)
            progress = QSpinBox()
            progress.setRange(0, 100)
            progress.setSuffix("%")
            progress.setValue(a.progress)
            table.setCellWidget(row, 4, progress)
            table.setCellWidget(row, OBJECTIVE, QComboBox())
            done = _("{who}, {date}").format(who=a.done_by, date=formatting.date(a.done_on)) if a.done_on else ""
            table.set_text(row, 6, done, editable=False)
        self.refresh_objectives({row: a.objective})
        self.refresh_overdue()

    def refresh_objectives(self, wanted: dict[int, int | None] | None = None) -> None:
        """Offer the plan's objectives as they now read; a step keeps its choice (or takes `wanted[row]`)."""
        labels = self.objectives()
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, OBJECTIVE)
            if not isinstance(combo, QComboBox):
                continue
            current = wanted[row] if wanted and row in wanted else combo.currentData()
            with QSignalBlocker(combo):
                combo.clear()
                combo.addItem("—", None)
                for index, label in enumerate(labels):
                    combo.addItem(label, index)
                select_data(combo, current)

    def refresh_overdue(self) -> None:
        today = self.today()
        table = self.table
        with QSignalBlocker(table):
            for row in range(table.rowCount()):
                try:
                    late = is_overdue(self._action(row), today)
                except ValueError:
                    late = False
                for column in (0, 2):
                    item = table.item(row, column)
                    if item is not None:
                        item.setBackground(OVERDUE_FILL if late else QColor(Qt.GlobalColor.transparent))
                        item.setForeground(OVERDUE_TEXT if late else self.palette().text().color())
                        item.setToolTip(_("Overdue") if late else "")

    def _action(self, row: int) -> ActionStep:
        t = self.table
        item = t.item(row, 0)
        action_id, done_by, done_on = item.data(Qt.ItemDataRole.UserRole) if item is not None else (None, "", None)
        owner = t.combo_data(row, 1)
        status = t.combo_data(row, 3)
        objective = t.combo_data(row, OBJECTIVE)
        return ActionStep(
            t.text(row, 0),
            owner if isinstance(owner, int) else None,
            self.members.name(owner),
            parse_date(t.text(row, 2)),
            str(status or "not_started"),
            t.spin_value(row, 4),
            objective if isinstance(objective, int) else None,
            done_by or "",
            done_on,
            action_id,
        )

    def load(self, plan: AccountPlan) -> None:
        self.table.setRowCount(0)
        for action in plan.actions:
            self.add_action(action)

    def values(self, problems: list[str]) -> dict[str, Any]:
        problem = _("Action {n}: the deadline is not a date (write it as 2027-06-30).")
        return {"actions": self.read_rows(self._action, problem, problems)}
