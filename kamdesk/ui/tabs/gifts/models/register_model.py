"""The gift register as a table model: rows formatted only when the view asks (a busy year holds thousands)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from kamdesk.domain.enums import GiftDirection, GiftKind
from kamdesk.domain.gifts import RegisterEntry
from kamdesk.i18n import N_, _
from kamdesk.ui import formatting
from kamdesk.ui.tabs.gifts.common import enum_label, status_label

REGISTER_HEADERS = (
    N_("Date"),
    N_("Given/received"),
    N_("Kind"),
    N_("What"),
    N_("Value"),
    N_("Their person"),
    N_("Account"),
    N_("Our person"),
    N_("Occasion"),
    N_("Status"),
    N_("Approved by"),
)


class RegisterModel(QAbstractTableModel):
    """The register's rows, formatted only when the view asks (a busy year holds thousands)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[RegisterEntry] = []

    def set_entries(self, entries: list[RegisterEntry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(REGISTER_HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802 - Qt's name
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(REGISTER_HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return formatting.date(e.given_on)
            if column == 1:
                return enum_label(GiftDirection, e.direction)
            if column == 2:
                return enum_label(GiftKind, e.kind)
            if column == 4:
                return formatting.money(e.value_cents)
            if column == 9:
                return status_label(e.status)
            return (
                "",
                "",
                "",
                e.item,
                "",
                e.contact_name,
                e.account_name,
                e.member_name,
                e.occasion,
                "",
                e.approved_by,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
