"""The account list as a lazy table model: pages fetched on demand, sorted and filtered in SQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from kamdesk.domain.enums import CycleStage, PersonalityType, RelationshipType, SalesStage
from kamdesk.domain.models import AccountListItem, AccountQuery
from kamdesk.i18n import N_, _
from kamdesk.services.workspace import AccountService
from kamdesk.ui import formatting

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMNS: list[tuple[str, str]] = [
    ("name", N_("Account")),
    ("class", N_("Class")),
    ("value", N_("Value")),
    ("sales_stage", N_("Sales stage")),
    ("relationship_type", N_("Relationship type")),
    ("cycle_stage", N_("Cycle stage")),
    ("personality_type", N_("Personality type")),
    ("owner", N_("Owner")),
    ("city", N_("City")),
    ("last_contact", N_("Last contact")),
]

_ENUMS: dict[str, Any] = {
    "sales_stage": SalesStage,
    "relationship_type": RelationshipType,
    "cycle_stage": CycleStage,
    "personality_type": PersonalityType,
}

Index = QModelIndex | QPersistentModelIndex


class AccountsModel(QAbstractTableModel):
    def __init__(self, service: AccountService, parent: Any = None) -> None:
        super().__init__(parent)
        self._service = service
        self._query = AccountQuery()
        self._rows: list[AccountListItem] = []
        self._total = 0
        self.refresh()

    # Loading ---------------------------------------------------------------------------------
    @property
    def query(self) -> AccountQuery:
        return self._query

    def set_query(self, query: AccountQuery) -> None:
        self._query = query
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._total = self._service.count(self._query)
        self._rows = self._service.page(self._query, 0, PAGE_SIZE)
        self.endResetModel()

    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt default argument
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self._service.page(self._query, len(self._rows), PAGE_SIZE)
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # Qt model interface ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        item = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "class":
            if item.pinned_class:
                return _("Pinned by hand as {pinned}; computed class {computed}").format(
                    pinned=item.pinned_class.value, computed=item.computed_class.value if item.computed_class else "—")
            if item.computed_class is None:
                return _("No value recorded yet, so not ranked")
            return _("Computed from the account's share of value")
        if role == Qt.ItemDataRole.FontRole and key == "class" and item.pinned_class:
            font = QFont()
            font.setItalic(True)  # a class set by hand reads differently from a computed one
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "value":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: AccountListItem, key: str) -> str:
        if key == "name":
            return item.name
        if key == "class":
            cls = item.effective_class
            if cls is None:
                return "—"
            if item.pinned_class and item.pinned_class != item.computed_class:
                computed = item.computed_class.value if item.computed_class else "—"
                return _("{cls} (pinned; computed {computed})").format(cls=cls.value, computed=computed)
            return _("{cls} (pinned)").format(cls=cls.value) if item.pinned_class else cls.value
        if key == "value":
            return formatting.money(item.value_cents)
        if key == "owner":
            return item.owner_name
        if key == "city":
            return item.city
        if key == "last_contact":
            return formatting.date(item.last_contact_on)
        value = getattr(item, key)
        if not value:
            return ""
        try:
            return str(_ENUMS[key](value).label)
        except ValueError:
            return str(value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][0]
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort_key and descending == self._query.descending and self._rows:
            return
        self.set_query(replace(self._query, sort_key=key, descending=descending))
