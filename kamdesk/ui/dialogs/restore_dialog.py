"""File → Restore from backup: the backups beside the team file, newest first, with time and size."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.backups import BackupInfo
from kamdesk.i18n import _
from kamdesk.ui import formatting


def size_text(size: int) -> str:
    if size >= 1_000_000:
        return _("{size:.1f} MB").format(size=size / 1_000_000)
    return _("{size:.0f} KB").format(size=max(size, 1) / 1_000)


class RestoreDialog(QDialog):
    """Pick one backup; `chosen` holds it after OK (None when cancelled or there are none)."""

    def __init__(self, backups: Sequence[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore from backup"))
        self.backups = list(backups)
        self.chosen: BackupInfo | None = None
        note = QLabel(
            _(
                "Backups are made on the first open of each day and every few hours while the team "
                "works. Restoring replaces the whole team file; the file as it is now is backed up first."
            )
            if self.backups
            else _("There are no backups of this team file yet.")
        )
        note.setWordWrap(True)
        self.table = QTableWidget(len(self.backups), 3)
        self.table.setHorizontalHeaderLabels([_("Made"), _("Size"), _("File")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, backup in enumerate(self.backups):
            for column, text in enumerate(
                (formatting.wall_time(backup.made_at), size_text(backup.size), backup.path.name)
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if self.backups:
            self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Restore…"))
        ok.setEnabled(bool(self.backups))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.resize(620, 360)

    def accept(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        self.chosen = self.backups[rows[0].row()]
        super().accept()
