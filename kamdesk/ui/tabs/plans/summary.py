"""The plan's Summary page: period and dates, who owns and sponsors it, the summary and the vision."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from kamdesk.domain.plans import AccountPlan
from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui import formatting
from kamdesk.ui.tabs.plans.cells import Members
from kamdesk.ui.widgets.choices import select_data


class SummaryPage(QWidget):
    def __init__(self, workspace: Workspace, members: Members, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        form = QFormLayout(self)
        self.period_edit = QLineEdit()
        self.period_edit.setMaxLength(40)
        self.starts_edit = QDateEdit()
        self.ends_edit = QDateEdit()
        for edit in (self.starts_edit, self.ends_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        dates = QHBoxLayout()
        dates.addWidget(self.starts_edit)
        dates.addWidget(QLabel(_("to")))
        dates.addWidget(self.ends_edit)
        dates.addStretch(1)
        self.members = members
        self.owner_combo = members.combo()
        self.sponsor_combo = members.combo()
        self.manager_combo = members.combo()
        self.sponsor_label = QLabel()
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setPlaceholderText(_("The overall aim and direction for this account in this period."))
        self.vision_edit = QPlainTextEdit()
        self.vision_edit.setPlaceholderText(_("Where we want the relationship to be in a few years."))
        form.addRow(_("Period"), self.period_edit)
        form.addRow(_("From"), dates)
        form.addRow(_("Account manager (owner)"), self.owner_combo)
        form.addRow(_("Executive sponsor"), self.sponsor_combo)
        form.addRow(_("Sales manager"), self.manager_combo)
        form.addRow(_("Sponsor's review"), self.sponsor_label)
        form.addRow(_("Plan summary"), self.summary_edit)
        form.addRow(_("Vision"), self.vision_edit)

    def members_arrived(self) -> None:
        """The team arrived (read off the GUI thread): offer it in the three choosers, keeping each choice."""
        for combo in (self.owner_combo, self.sponsor_combo, self.manager_combo):
            self.members.fill(combo, combo.currentData())

    def load(self, plan: AccountPlan) -> None:
        self.period_edit.setText(plan.period)
        for edit, value in ((self.starts_edit, plan.starts_on), (self.ends_edit, plan.ends_on)):
            day = value or self.workspace.plans.today()
            edit.setDate(QDate(day.year, day.month, day.day))
        for combo, member in (
            (self.owner_combo, plan.owner_id),
            (self.sponsor_combo, plan.sponsor_id),
            (self.manager_combo, plan.sales_manager_id),
        ):
            select_data(combo, member)
        self.sponsor_label.setText(
            _("reviewed by {who} on {date}").format(
                who=plan.sponsor_reviewed_by, date=formatting.date(plan.sponsor_reviewed_on)
            )
            if plan.sponsor_reviewed_on
            else _("not reviewed yet")
        )
        self.summary_edit.setPlainText(plan.summary)
        self.vision_edit.setPlainText(plan.vision)

    def values(self) -> dict[str, Any]:
        """The AccountPlan fields this page edits."""
        return {
            "period": self.period_edit.text().strip(),
            "starts_on": self.starts_edit.date().toPython(),
            "ends_on": self.ends_edit.date().toPython(),
            "summary": self.summary_edit.toPlainText(),
            "vision": self.vision_edit.toPlainText(),
            "owner_id": self.owner_combo.currentData(),
            "sponsor_id": self.sponsor_combo.currentData(),
            "sales_manager_id": self.manager_combo.currentData(),
        }
