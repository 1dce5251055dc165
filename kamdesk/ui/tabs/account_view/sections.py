"""The workspace's sections: their people against target, the current plan, the timeline, open follow-ups."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.account_view import (
    TIMELINE_ACTIVITY,
    TIMELINE_GIFT,
    TIMELINE_VISIT,
    ContactStanding,
    TimelineEntry,
)
from kamdesk.domain.enums import ActivityKind, BuyingRole, GiftKind, LabelledEnum, RankTier
from kamdesk.domain.followups import AgendaItem, detail_text, reason_label
from kamdesk.domain.gifts import VISIT_KINDS
from kamdesk.domain.plans import ACTION_STATUSES, ActionStep, Objective
from kamdesk.i18n import N_, _
from kamdesk.ui import formatting
from kamdesk.ui.models.contacts_model import stage_text
from kamdesk.ui.widgets.warm_items import tree_item

ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE = QColor("#b00020")
MET = QColor("#1b7a3a")


def _label(kind: type[LabelledEnum], value: str | None) -> str:
    try:
        return str(kind(value).label) if value else ""
    except ValueError:
        return value or ""


def make_tree(headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    tree.setSortingEnabled(False)
    return tree


def fit_columns(tree: QTreeWidget, keep_last: bool = True) -> None:
    """Columns sized to what they hold, the last one left to take the rest of the width."""
    for column in range(tree.columnCount() - (1 if keep_last else 0)):
        tree.resizeColumnToContents(column)
        tree.setColumnWidth(column, min(tree.columnWidth(column), 320))


def titled(title: str, *widgets: QWidget, extra: QHBoxLayout | None = None) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    heading = QLabel(f"<b>{title}</b>")
    if extra is not None:
        extra.insertWidget(0, heading)
        layout.addLayout(extra)
    else:
        layout.addWidget(heading)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class PeopleSection(QWidget):
    """Their people at the account, furthest below target first; double-click opens the card."""

    contact_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = make_tree([_("Full name"), _("Stage"), _("Target"), _("Title"), _("Rank"), _("Buying role")])
        self.tree.itemDoubleClicked.connect(self._activated)
        self.new_button = QPushButton(_("New contact…"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.new_button)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(titled(_("Their people against target"), self.tree, self.empty, extra=row))

    def show_people(self, people: list[ContactStanding]) -> None:
        self.tree.clear()
        for person in people:
            target = stage_text(person.target) if person.target else _("no target")
            if person.gap is not None and person.gap > 0:
                target = _("{target}, {gap} below").format(target=target, gap=person.gap)
            item = tree_item(
                [
                    person.name,
                    stage_text(person.stage),
                    target,
                    person.title,
                    _label(RankTier, person.rank),
                    _label(BuyingRole, person.buying_role),
                ]
            )
            item.setData(0, ID_ROLE, person.id)
            if person.gap is not None:
                item.setForeground(2, OVERDUE if person.gap > 0 else MET)
            self.tree.addTopLevelItem(item)
        fit_columns(self.tree)
        self.empty.setText(
            _("No contacts at this account yet: add the people you deal with there with New contact…")
            if not people
            else ""
        )
        self.empty.setVisible(not people)

    def selected_contact(self) -> int | None:
        item = self.tree.currentItem()
        value = item.data(0, ID_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def _activated(self, item: QTreeWidgetItem) -> None:
        value = item.data(0, ID_ROLE)
        if value is not None:
            self.contact_activated.emit(int(value))


class PlanSection(QWidget):
    """The current plan's objectives and open action steps."""

    open_plan = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.open_button = QPushButton(_("Open the plan"))
        self.open_button.clicked.connect(self.open_plan.emit)
        self.tree = make_tree([_("Objective or step"), _("Owner"), _("Due"), _("Status")])
        self.tree.setRootIsDecorated(True)
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.tree, 1)

    def show_plan(
        self, period: str, objectives: list[Objective], actions: list[ActionStep], today: dt.date, has_plan: bool
    ) -> None:
        self.tree.clear()
        if not has_plan:
            self.title.setText(_("No plan yet. Press New plan… here to start one for this account."))
            self.open_button.setText(_("New plan…"))
            return
        self.open_button.setText(_("Open the plan"))
        self.title.setText(_("Plan {period}").format(period=period))
        goals = tree_item([_("Objectives ({count})").format(count=len(objectives))])
        steps = tree_item([_("Open action steps ({count})").format(count=len(actions))])
        for objective in objectives:
            goal = tree_item([objective.statement, objective.owner_name, formatting.date(objective.due_on), ""])
            goal.setToolTip(0, objective.statement)
            goals.addChild(goal)
        statuses = dict(ACTION_STATUSES)
        for action in actions:
            step = tree_item(
                [
                    action.task,
                    action.owner_name,
                    formatting.date(action.deadline),
                    _(statuses.get(action.status, action.status)),
                ]
            )
            step.setToolTip(0, action.task)
            if action.deadline is not None and action.deadline < today:
                step.setForeground(2, OVERDUE)
                step.setToolTip(2, _("Overdue"))
            steps.addChild(step)
        for group in (goals, steps):
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            group.setExpanded(True)
        fit_columns(self.tree)


TIMELINE_FILTERS = (
    ("", N_("Everything")),
    (TIMELINE_ACTIVITY, N_("Calls, e-mails and meetings")),
    (TIMELINE_GIFT, N_("Gifts and hospitality")),
    (TIMELINE_VISIT, N_("Visits")),
)


def entry_kind(entry: TimelineEntry) -> str:
    if entry.category == TIMELINE_ACTIVITY:
        return _label(ActivityKind, entry.kind)
    if entry.category == TIMELINE_GIFT:
        return _label(GiftKind, entry.kind)
    return _(dict(VISIT_KINDS).get(entry.kind, entry.kind))


class TimelineSection(QWidget):
    """Activities, gifts and visits, newest first, filterable by kind; log a call, e-mail, visit or gift."""

    log_requested = Signal(str)  # "call", "email", "visit" or "gift"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QComboBox()
        for key, text in TIMELINE_FILTERS:
            self.filter.addItem(_(text), key)
        self.filter.currentIndexChanged.connect(lambda _i: self._fill())
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Show")))
        row.addWidget(self.filter)
        row.addStretch(1)
        for key, text in (
            ("call", _("Log a call…")),
            ("email", _("E-mail…")),
            ("visit", _("Visit…")),
            ("gift", _("Gift…")),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, k=key: self.log_requested.emit(k))
            self.buttons[key] = button
            row.addWidget(button)
        self.tree = make_tree([_("Date"), _("Kind"), _("What"), _("Their person"), _("Our person"), _("Outcome")])
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        self.entries: list[TimelineEntry] = []

    def show_entries(self, entries: list[TimelineEntry]) -> None:
        self.entries = entries
        self._fill()

    def _fill(self) -> None:
        wanted = self.filter.currentData()
        self.tree.clear()
        shown = [e for e in self.entries if not wanted or e.category == wanted]
        for entry in shown:
            kind = entry_kind(entry)
            if entry.status == "planned":
                kind = _("{kind} (planned)").format(kind=kind)
            item = tree_item(
                [formatting.date(entry.on), kind, entry.title, entry.contact_name, entry.member_name, entry.detail]
            )
            item.setToolTip(2, entry.title)
            item.setToolTip(5, entry.detail)
            self.tree.addTopLevelItem(item)
        fit_columns(self.tree)
        self.empty.setText(
            _("Nothing recorded yet. Log a call, e-mail, visit or gift with the buttons above.") if not shown else ""
        )
        self.empty.setVisible(not shown)

    def rows(self) -> list[tuple[str, ...]]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [tuple(item.text(c) for c in range(6)) for item in items if item is not None]


class FollowupsSection(QWidget):
    """Open follow-ups of the account, soonest first; overdue ones in red."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = make_tree([_("Due"), _("Kind"), _("Contact"), _("Our person"), _("Why")])
        self.plan_button = QPushButton(_("Plan a follow-up…"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.plan_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = titled(_("Open follow-ups"), self.tree, extra=row)
        layout.addWidget(self.heading)

    def show_items(self, items: list[AgendaItem], today: dt.date) -> None:
        self.tree.clear()
        for agenda in items:
            why = reason_label(agenda.reason) + (
                f" — {detail_text(agenda.reason_detail)}" if agenda.reason_detail else ""
            )
            item = tree_item(
                [
                    formatting.date(agenda.due_on),
                    _label(ActivityKind, agenda.kind),
                    agenda.contact_name or agenda.subject,
                    agenda.member_name,
                    why,
                ]
            )
            item.setToolTip(4, why)
            item.setData(0, ID_ROLE, agenda.id)
            if agenda.due_on is not None and agenda.due_on < today:
                item.setForeground(0, OVERDUE)
            self.tree.addTopLevelItem(item)
        fit_columns(self.tree)
