"""Our own people: the team list and the dialog for one colleague."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import LabelledEnum, RankTier, TeamRole
from kamdesk.domain.models import TeamMember
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import prompts, tasks
from kamdesk.ui.ops import Op
from kamdesk.ui.widgets.choices import enum_combo, select_data
from kamdesk.ui.widgets.warm_items import table_item


class TeamMemberDialog(QDialog):
    """Add or change one of our people: name, title, department, rank and usual role."""

    def __init__(self, member: TeamMember, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Colleague") if member.id else _("New colleague"))
        self.member = member
        form = QFormLayout(self)
        self.name_edit = QLineEdit(member.name)
        self.title_edit = QLineEdit(member.title)
        self.department_edit = QLineEdit(member.department)
        self.rank_combo = enum_combo(RankTier, _("(not set)"))
        select_data(self.rank_combo, member.rank_tier)
        self.role_combo = enum_combo(TeamRole, _("(not set)"))
        select_data(self.role_combo, member.role)
        self.active_check = QCheckBox(_("Still on the team"))
        self.active_check.setChecked(member.active)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        for label, widget in (
            (_("Full name"), self.name_edit),
            (_("Title"), self.title_edit),
            (_("Department"), self.department_edit),
            (_("Rank"), self.rank_combo),
            (_("Role"), self.role_combo),
            ("", self.active_check),
            ("", self.error),
        ):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def result_member(self) -> TeamMember:
        return TeamMember(
            self.member.id,
            self.name_edit.text().strip(),
            self.title_edit.text().strip(),
            self.department_edit.text().strip(),
            self.rank_combo.currentData(),
            self.role_combo.currentData(),
            self.active_check.isChecked(),
        )

    def accept(self) -> None:
        if not self.name_edit.text().strip():
            self.error.setText(_("A colleague needs a name."))
            return
        super().accept()


class TeamPage(QWidget):
    """Our own people, with title, department, rank and role."""

    team_changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        """With `background` (the window), the team is read off the GUI thread."""
        super().__init__(parent)
        self.workspace = workspace
        self.background = background
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("Name"), _("Title"), _("Department"), _("Rank"), _("Role")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.edit_row(row))
        add = QPushButton(_("Add colleague…"))
        add.setEnabled(not workspace.read_only)
        add.clicked.connect(lambda: self.edit(TeamMember(0, "", "", "", None, None, True)))
        hint = QLabel(
            _(
                "Our people who work with customers. Double-click to change; colleagues who have left stay "
                "on record, marked as gone."
            )
        )
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.members: list[TeamMember] = []
        self._saving = False
        self.refresh()

    def refresh(self) -> None:
        if self.background:
            tasks.run(self.workspace.team.members, self._fill, lambda _exc: None, owner=self)
            return
        try:
            members = self.workspace.team.members()
        except StorageError:
            return
        self._fill(members)

    def _fill(self, members: list[TeamMember]) -> None:
        self.members = members
        self.table.setRowCount(0)
        self.table.setRowCount(len(self.members))  # at once: each insertion into a shown table relays it out
        for row, member in enumerate(self.members):
            name = member.name if member.active else _("{name} (left)").format(name=member.name)
            for column, text in enumerate(
                (
                    name,
                    member.title,
                    member.department,
                    _label(RankTier, member.rank_tier),
                    _label(TeamRole, member.role),
                )
            ):
                self.table.setItem(row, column, table_item(text))
        self.table.resizeColumnsToContents()

    def edit_row(self, row: int) -> None:
        if 0 <= row < len(self.members):
            self.edit(self.members[row])

    def make_dialog(self, member: TeamMember) -> TeamMemberDialog:
        return TeamMemberDialog(member, self)

    def edit(self, member: TeamMember) -> None:
        if self.workspace.read_only or self._saving:
            return  # (a double-click while a colleague is being saved opens nothing)
        dialog = self.make_dialog(member)
        if dialog.exec():
            self.save(dialog.result_member())

    def save(self, member: TeamMember) -> bool:
        """Save `member` off the GUI thread behind a busy window (the window keeps repainting)."""
        self._saving = True
        try:
            Op(self, lambda: self.workspace.team.save(member), _("Colleague not saved")).wait()
        except (StorageError, ValueError) as exc:
            prompts.current().warn(self, _("Colleague not saved"), str(exc))
            return False
        finally:
            self._saving = False
        self.refresh()
        self.team_changed.emit()
        return True


def _label(kind: type[LabelledEnum], value: Any) -> str:
    try:
        return str(kind(value).label) if value else ""
    except ValueError:
        return str(value)
