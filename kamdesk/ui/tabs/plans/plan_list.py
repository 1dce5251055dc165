"""The plans list: every plan with its account, period, owner, status, open and overdue actions and last change;
sortable, filtered by owner (yours first), status and account name."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.account_view import PlanListRow
from kamdesk.domain.models import TeamMember
from kamdesk.i18n import N_, _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import formatting
from kamdesk.ui.tabs.plans.cells import OVERDUE_TEXT
from kamdesk.ui.tabs.plans.reading import read
from kamdesk.ui.widgets.record_list import ColumnFitter

STATUSES = (
    ("current", N_("Running")),
    ("upcoming", N_("Still to come")),
    ("ended", N_("Ended")),
    ("undated", N_("No dates")),
)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = (
    N_("Account"),
    N_("Period"),
    N_("Owner"),
    N_("Status"),
    N_("Open actions"),
    N_("Overdue actions"),
    N_("Last change"),
)


class SortItem(QTableWidgetItem):
    """A cell that sorts by a key of its own (numbers as numbers, times as times), not by its text."""

    def __init__(self, text: str, key: object) -> None:
        super().__init__(text)
        self.key = key

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, SortItem):
            return bool(self.key < other.key)  # type: ignore[operator]
        return super().__lt__(other)


class PlanListView(QWidget):
    """Double-click (or Open) opens a plan; Account view opens its account."""

    open_plan = Signal(int)
    account_requested = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.background = background
        self._generation = 0
        self.rows: list[PlanListRow] = []
        self.owner_combo = QComboBox()
        self.owner_combo.addItem(_("Everyone's plans"), None)
        self.status_combo = QComboBox()
        self.status_combo.addItem(_("Any status"), None)
        for key, text in STATUSES:
            self.status_combo.addItem(_(text), key)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Account name"))
        self.search.setClearButtonEnabled(True)
        self.open_button = QPushButton(_("Open plan"))
        self.account_button = QPushButton(_("Account view"))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        ColumnFitter(self.table, "plan_list")
        self.count = QLabel()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Plans of")))
        top.addWidget(self.owner_combo)
        top.addWidget(self.status_combo)
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.open_button)
        top.addWidget(self.account_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        #: In the window the team is read off the GUI thread by the tab (`set_members`); a refresh waits for it.
        self._waiting_for_team: bool | None = False if background else None
        if not background:
            self._fill_owners()
        self.owner_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.status_combo.currentIndexChanged.connect(lambda _i: self._fill())
        self.search.textChanged.connect(lambda _t: self._fill())
        self.table.cellDoubleClicked.connect(lambda row, _column: self._open(row))
        self.open_button.clicked.connect(lambda: self._open(self.table.currentRow()))
        self.account_button.clicked.connect(self._account)

    def _fill_owners(self) -> None:
        """Our people; the list opens on the person using kamdesk when the team knows them."""
        try:
            members = self.workspace.team.members()
        except StorageError:
            return
        self.set_members(members)

    def set_members(self, members: list[TeamMember]) -> None:
        """Offer our people as owners (the person using kamdesk chosen); a refresh asked meanwhile runs now."""
        with QSignalBlocker(self.owner_combo):
            mine = None
            for member in members:
                if member.active:
                    self.owner_combo.addItem(member.name, member.id)
                    if member.name == self.workspace.user_name:
                        mine = member.id
            if mine is not None:
                self.owner_combo.setCurrentIndex(self.owner_combo.findData(mine))
        asked, self._waiting_for_team = self._waiting_for_team, None
        if asked:
            self.refresh()

    def refresh(self) -> None:
        if self._waiting_for_team is not None:
            self._waiting_for_team = True  # read once the team is in: the list opens on the person's own plans
            return
        self._generation += 1
        generation = self._generation
        owner = self.owner_combo.currentData()
        service = self.workspace.account_view
        read(
            self,
            self.background,
            lambda: service.plans(owner),
            lambda rows: self._arrived(generation, rows),
            self.empty.setText,
            _("Account Plans"),
        )

    def _arrived(self, generation: int, rows: list[PlanListRow]) -> None:
        if generation == self._generation:
            self.rows = rows
            self._fill()

    def _fill(self) -> None:
        status = self.status_combo.currentData()
        text = self.search.text().strip().lower()
        shown = [
            r
            for r in self.rows
            if (status is None or r.status == status) and (not text or text in r.account_name.lower())
        ]
        labels = {key: _(label) for key, label in STATUSES}
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(shown))
        for row, plan in enumerate(shown):
            status_text = labels.get(plan.status, plan.status)
            if plan.sponsor_reviewed:
                status_text = _("{status}, sponsor reviewed").format(status=status_text)
            changed = plan.updated_at
            cells = (
                SortItem(plan.account_name, plan.account_name),
                SortItem(plan.period, (plan.starts_on.isoformat() if plan.starts_on else "", plan.period)),
                SortItem(plan.owner_name or "—", plan.owner_name),
                SortItem(status_text, status_text),
                SortItem(formatting.number(plan.open_actions), plan.open_actions),
                SortItem(formatting.number(plan.overdue_actions), plan.overdue_actions),
                SortItem(
                    _("{when} by {who}").format(when=formatting.date_time(changed), who=plan.updated_by or "—"),
                    changed.isoformat() if changed else "",
                ),
            )
            for column, item in enumerate(cells):
                if column in (4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
            cells[0].setData(ID_ROLE, (plan.plan_id, plan.account_id))
            if plan.overdue_actions:
                cells[5].setForeground(OVERDUE_TEXT)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        self.count.setText(_("{count} plans").format(count=len(shown)))
        self.empty.setText(self._empty_text(shown))
        self.empty.setVisible(not shown)
        for button in (self.open_button, self.account_button):
            button.setEnabled(bool(shown))

    def _empty_text(self, shown: list[PlanListRow]) -> str:
        if shown:
            return ""
        if self.rows:
            return _("No plan matches these filters.")
        if self.owner_combo.currentData() is not None:
            return _(
                "No plans of {name} yet. Choose Everyone's plans above, or choose an account at the top and press "
                "New plan…"
            ).format(name=self.owner_combo.currentText())
        return _("No plans yet. Choose an account at the top and press New plan… to start its first plan.")

    def _selected(self, row: int) -> tuple[int, int] | None:
        item = self.table.item(row, 0) if row >= 0 else None
        value = item.data(ID_ROLE) if item is not None else None
        return (int(value[0]), int(value[1])) if value else None

    def _open(self, row: int) -> None:
        found = self._selected(row)
        if found is not None:
            self.open_plan.emit(found[0])

    def _account(self) -> None:
        found = self._selected(self.table.currentRow())
        if found is not None:
            self.account_requested.emit(found[1])

    def shown_rows(self) -> list[tuple[str, ...]]:
        return [
            tuple(self.table.item(r, c).text() for c in range(self.table.columnCount()))  # type: ignore[union-attr]
            for r in range(self.table.rowCount())
        ]
