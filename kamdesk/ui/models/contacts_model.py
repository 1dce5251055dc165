"""The contact list as a lazy table model: pages fetched on demand, sorted and filtered in SQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from kamdesk.domain.contacts import ContactListItem, ContactQuery
from kamdesk.domain.enums import BuyingRole, RankTier, RelationshipStage
from kamdesk.i18n import N_, _
from kamdesk.services.contacts import ContactService
from kamdesk.ui import formatting

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1
BELOW_TARGET = QColor("#b45309")

COLUMNS: list[tuple[str, str]] = [
    ("name", N_("Name")),
    ("account", N_("Company")),
    ("title", N_("Title")),
    ("rank", N_("Rank")),
    ("role", N_("Buying role")),
    ("stage", N_("Stage")),
    ("target", N_("Target")),
    ("gap", N_("Gap")),
    ("city", N_("City")),
    ("hometown", N_("Hometown")),
    ("last_contact", N_("Last contact")),
]

Index = QModelIndex | QPersistentModelIndex


def stage_text(value: str | None) -> str:
    """A stage with its 0–3 level, e.g. "Good friend (level 1)"."""
    if not value:
        return "—"
    try:
        stage = RelationshipStage(value)
    except ValueError:
        return value
    return _("{stage} (level {level})").format(stage=stage.label, level=stage.level)


def _label(kind: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(kind(value).label)
    except ValueError:
        return value


class ContactsModel(QAbstractTableModel):
    def __init__(self, service: ContactService, parent: Any = None) -> None:
        super().__init__(parent)
        self._service = service
        self._query = ContactQuery()
        self._rows: list[ContactListItem] = []
        self._total = 0
        self.refresh()

    @property
    def query(self) -> ContactQuery:
        return self._query

    def set_query(self, query: ContactQuery) -> None:
        self._query = query
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._rows, self._total = self._service.first_page(self._query, PAGE_SIZE)
        self.endResetModel()

    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt default argument
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self._service.page(self._query, len(self._rows), PAGE_SIZE, self._total)
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

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
        if role == Qt.ItemDataRole.ForegroundRole and key == "gap" and (item.gap or 0) > 0:
            return BELOW_TARGET
        if role == Qt.ItemDataRole.ToolTipRole and key == "gap":
            if item.gap is None:
                return _("No target: the account has no class yet or the person's rank is not set.")
            return _("Stages to go to reach the target set by the account's class and the person's rank.")
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "gap":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: ContactListItem, key: str) -> str:
        simple = {"name": item.name, "title": item.title, "city": item.city, "hometown": item.hometown}
        if key in simple:
            return simple[key]
        if key == "account":
            cls = f" ({item.account_class.value})" if item.account_class else ""
            return item.account_name + cls if item.account_name else "—"
        if key == "rank":
            return _label(RankTier, item.rank_tier)
        if key == "role":
            return _label(BuyingRole, item.buying_role)
        if key in ("stage", "target"):
            return stage_text(item.stage if key == "stage" else item.target)
        if key == "gap":
            if item.gap is None:
                return "—"
            return _("{count} to go").format(count=item.gap) if item.gap > 0 else _("met")
        return formatting.date(item.last_contact_on)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][0]
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort_key and descending == self._query.descending and self._rows:
            return
        self.set_query(replace(self._query, sort_key=key, descending=descending))
