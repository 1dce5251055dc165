"""My actions: one person's open action steps across every plan, by deadline; overdue ones in red."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
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

from kamdesk.domain.models import TeamMember
from kamdesk.domain.plans import ACTION_STATUSES, MyAction
from kamdesk.i18n import _
from kamdesk.services.workspace import ConflictError, StorageError, Workspace
from kamdesk.ui import formatting, prompts
from kamdesk.ui.tabs.plans.cells import OVERDUE_TEXT
from kamdesk.ui.tabs.plans.reading import read, write
from kamdesk.ui.widgets.warm_items import tree_item


class MyActionsView(QWidget):
    """One person's open action steps across every plan, by deadline; overdue ones in red."""

    open_plan = Signal(int)
    #: A step was marked done (written to the file).
    marked_done = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        """With `background`, the steps are read without holding the window (see reading.read)."""
        super().__init__(parent)
        self.workspace = workspace
        self.background = background
        self._generation = 0
        self.member_combo = QComboBox()
        #: In the window the team is read off the GUI thread by the tab (`set_members`); a refresh waits for it.
        self._waiting_for_team: bool | None = False if background else None
        if not background:
            self.set_members(workspace.team.members())
        self.member_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("Deadline"), _("Task"), _("Account"), _("Plan"), _("Status"), _("Progress")])
        self.tree.setRootIsDecorated(False)
        self.tree.itemDoubleClicked.connect(self._open)
        self.done_button = QPushButton(_("Mark done"))
        self.done_button.clicked.connect(self.mark_done)
        self.done_button.setEnabled(not workspace.read_only)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Open action steps of")))
        top.addWidget(self.member_combo)
        top.addStretch(1)
        top.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.tree, 1)

    def set_members(self, members: list[TeamMember]) -> None:
        """Offer the team's active people, the person using kamdesk chosen; a refresh asked meanwhile runs now."""
        with QSignalBlocker(self.member_combo):
            self.member_combo.clear()
            for member in members:
                if member.active:
                    self.member_combo.addItem(member.name, member.id)
            self.member_combo.setCurrentIndex(max(0, self.member_combo.findText(self.workspace.user_name)))
        asked, self._waiting_for_team = self._waiting_for_team, None
        if asked:
            self.refresh()

    def refresh(self) -> None:
        if self._waiting_for_team is not None:
            self._waiting_for_team = True  # read once the team is in
            return
        self._generation += 1
        generation = self._generation
        member = self.member_combo.currentData()
        plans = self.workspace.plans

        def work() -> list[tuple[MyAction, int]]:
            return plans.my_actions(member) if member is not None else []

        read(
            self, self.background, work, lambda rows: self._fill(generation, rows), self.empty.setText, _("My actions")
        )

    def _fill(self, generation: int, rows: list[tuple[MyAction, int]]) -> None:
        if generation != self._generation:
            return  # a newer read is on its way
        self.tree.clear()
        statuses = dict(ACTION_STATUSES)
        for action, version in rows:
            item = tree_item(
                [
                    formatting.date(action.deadline) if action.deadline else "—",
                    action.task,
                    action.account_name,
                    action.period,
                    _(statuses.get(action.status, action.status)),
                    f"{action.progress}%",
                ],
            )
            self.tree.addTopLevelItem(item)
            item.setData(0, Qt.ItemDataRole.UserRole, (action.id, version, action.plan_id))
            if action.overdue:
                for column in range(6):
                    item.setForeground(column, OVERDUE_TEXT)
                item.setToolTip(0, _("Overdue"))
        self.empty.setText(
            _("No open action steps: nothing waits on this person.")
            if not rows
            else _("{count} open steps; double-click one to open its plan.").format(count=len(rows))
        )
        for column in (1, 2):  # the task and the account, in full
            self.tree.resizeColumnToContents(column)

    def _open(self, item: QTreeWidgetItem) -> None:
        self.open_plan.emit(item.data(0, Qt.ItemDataRole.UserRole)[2])

    def mark_done(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        action_id, version, _plan = item.data(0, Qt.ItemDataRole.UserRole)
        plans = self.workspace.plans
        try:
            write(self, lambda: plans.mark_done(action_id, version), _("Mark done"))
        except ConflictError as exc:
            prompts.current().warn(self, _("Changed by someone else"), str(exc))
        except StorageError as exc:
            prompts.current().warn(self, _("Not saved"), str(exc))
        else:
            self.marked_done.emit()
        self.refresh()
