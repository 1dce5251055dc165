"""Festival greeting and care plans in the window: the same proposals `kamdesk propose` prints, ticked by a person
and put on the agenda only when they confirm."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from html import escape as escape_html

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import RankTier
from kamdesk.domain.proposals import ProposalPlan, ProposalRecord
from kamdesk.i18n import N_, _
from kamdesk.services.followups import FollowUpError
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui.dialogs.followup_dialogs import ERROR_STYLE, PickTable, _select_buttons, attempt
from kamdesk.ui.formatting import money_exact
from kamdesk.ui.ops import Op

FESTIVALS = (
    ("spring_festival", N_("Spring Festival")),
    ("mid_autumn", N_("Mid-Autumn Festival")),
    ("dragon_boat", N_("Dragon Boat Festival")),
)
COLUMNS = (
    N_("Date"),
    N_("Contact"),
    N_("Account"),
    N_("Class"),
    N_("Rank"),
    N_("Greeting"),
    N_("Cost"),
    N_("Why"),
    N_("Check"),
)


#: The greeting's column (counting the tick box as 0): a person may reword it before confirming.
ITEM_COLUMN = 6


def _rank(rank: str | None) -> str:
    try:
        return RankTier(rank).label if rank else "—"
    except ValueError:
        return rank or "—"


class ProposalsDialog(QDialog):
    """A planner's proposals (festival greetings or care) to tick and confirm; nothing is written before that."""

    def __init__(self, workspace: Workspace, kind: str = "greetings", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.kind = kind
        self.plan = ProposalPlan(kind, [])
        self.records: list[ProposalRecord] = []
        self.planned = 0
        self._busy = False  # proposing or planning: a second press meanwhile is ignored
        today = workspace.followups.today()
        controls = QHBoxLayout()
        self.festival = QComboBox()
        self.year = QSpinBox()
        self.start = QDateEdit()
        self.end = QDateEdit()
        if kind == "greetings":
            self.setWindowTitle(_("Festival greetings"))
            for key, label in FESTIVALS:
                self.festival.addItem(_(label), key)
            self.year.setRange(2000, 2100)
            self.year.setValue(today.year + (1 if today.month >= 10 else 0))
            controls.addWidget(QLabel(_("Festival")))
            controls.addWidget(self.festival)
            controls.addWidget(QLabel(_("Year")))
            controls.addWidget(self.year)
        else:
            self.setWindowTitle(_("Care greetings"))
            for edit, day in ((self.start, today), (self.end, today + dt.timedelta(days=90))):
                edit.setCalendarPopup(True)
                edit.setDisplayFormat("yyyy-MM-dd")
                edit.setDate(QDate(day.year, day.month, day.day))
            controls.addWidget(QLabel(_("From")))
            controls.addWidget(self.start)
            controls.addWidget(QLabel(_("to")))
            controls.addWidget(self.end)
        propose = QPushButton(_("Propose"))
        propose.clicked.connect(self.propose)
        controls.addWidget(propose)
        controls.addStretch(1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.table = PickTable([_(c) for c in COLUMNS], editable=(ITEM_COLUMN,))
        self.details = QTextBrowser()
        self.details.setMinimumHeight(90)
        self.table.currentCellChanged.connect(lambda row, *_a: self.show_details(row))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Put the ticked on the agenda"))
        self.ok.setEnabled(not workspace.read_only)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(splitter, 1)
        layout.addLayout(_select_buttons(self.table))
        layout.addWidget(buttons)
        self.resize(1100, 640)
        self.propose()

    def _plan_work(self) -> Callable[[], ProposalPlan]:
        """The planner's work for what the controls say now (read here, on the GUI thread: the work runs
        in the pool and must not touch a widget)."""
        followups = self.workspace.followups
        if self.kind == "greetings":
            festival, year = str(self.festival.currentData()), self.year.value()
            return lambda: followups.plan_greetings(festival, year)
        start, end = self.start.date().toPython(), self.end.date().toPython()
        assert isinstance(start, dt.date) and isinstance(end, dt.date)
        return lambda: followups.plan_care(start, end)

    def propose(self) -> None:
        if self._busy:
            return
        self.error.clear()
        self._busy = True
        try:  # the gift plan and the people are read off the GUI thread, behind a busy window when slow
            self.plan = (
                Op(self, self._plan_work(), self.windowTitle())
                .progress(_("Planning contact and care greetings…"))
                .wait()
            )
        except (FollowUpError, StorageError) as exc:
            self.error.setText(str(exc))
            return
        finally:
            self._busy = False
        self.records = list(self.plan.proposals)
        self.table.setRowCount(0)
        for record in self.records:
            self.table.add(
                [
                    record.date.isoformat() if record.date else "—",
                    record.contact,
                    record.account,
                    record.account_class or "—",
                    _rank(record.rank),
                    record.item,
                    money_exact(record.cost_cents) if record.cost_cents else "",
                    record.reason,
                    "; ".join(record.warnings),
                ]
            )
        self.table.resizeColumnsToContents()
        lines = [
            _("{n} proposals, total {total}. Tick the ones to plan; nothing is written until you confirm.").format(
                n=len(self.records), total=money_exact(self.plan.total_cents)
            )
        ]
        lines += self.plan.notes[:6]
        self.summary.setText("\n".join(lines))
        if self.records:
            self.table.setCurrentCell(0, 1)
            self.show_details(0)
        else:
            self.details.clear()

    def show_details(self, row: int) -> None:
        if not 0 <= row < len(self.records):
            self.details.clear()
            return
        record = self.records[row]
        parts = [f"<b>{escape_html(record.contact)}</b> — {escape_html(record.account)}"]
        parts.append(escape_html(record.item))
        parts.append(escape_html(record.reason))
        points = record.extra.get("talking_points") or []
        if points:
            parts.append(
                _("Talking points:") + "<ul>" + "".join(f"<li>{escape_html(str(p))}</li>" for p in points) + "</ul>"
            )
        for warning in record.warnings:
            parts.append(f"<span style='{ERROR_STYLE}'>{escape_html(warning)}</span>")
        self.details.setHtml("<br>".join(parts))

    def ticked(self) -> list[ProposalRecord]:
        """The ticked proposals, each with its greeting as the person left it (reworded or not)."""
        return [
            replace(self.records[r], item=self.table.text(r, ITEM_COLUMN).strip() or self.records[r].item)
            for r in self.table.checked_rows()
        ]

    def accept(self) -> None:
        chosen = self.ticked()
        if self._busy:
            return
        if not chosen:
            self.error.setText(_("Tick at least one proposal, or cancel."))
            return
        followups = self.workspace.followups
        self._busy = True
        try:
            planned = attempt(self, self.error, _("Not planned"), lambda: followups.confirm(chosen))
        finally:
            self._busy = False
        if planned is not None:
            self.planned = planned
            super().accept()
