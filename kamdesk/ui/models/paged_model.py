"""A list read from the file a page at a time: sorted and filtered in SQL, never in a proxy over everything.

Subclasses name their columns, how to read the first page (with the total) and the next ones, and
what a cell shows; this base does the paging, the headers, the sort and the id role.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from kamdesk.i18n import _

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class Row(Protocol):
    @property
    def id(self) -> int | None: ...


class Query(Protocol):
    @property
    def sort_key(self) -> str: ...

    @property
    def descending(self) -> bool: ...


R = TypeVar("R", bound=Row)
Q = TypeVar("Q", bound=Query)


class PagedTableModel(QAbstractTableModel, Generic[Q, R]):
    """Rows of type R for a query of type Q (a dataclass with `sort_key` and `descending`)."""

    #: (key, header marked with N_) for each column, in order.
    columns: list[tuple[str, str]] = []

    def __init__(self, query: Q, parent: Any = None) -> None:
        super().__init__(parent)
        self._query = query
        self._rows: list[R] = []
        self._total = 0
        self.refresh()

    # What a subclass says ----------------------------------------------------------------------
    def first_page(self, query: Q, size: int) -> tuple[list[R], int]:
        """The first `size` rows and how many there are in all."""
        raise NotImplementedError

    def next_page(self, query: Q, offset: int, size: int, total: int) -> list[R]:
        raise NotImplementedError

    def cell(self, item: R, key: str, role: int) -> Any:
        """What column `key` of `item` holds for `role` (display text, tooltip, colour…); None for nothing."""
        raise NotImplementedError

    # Loading ---------------------------------------------------------------------------------
    @property
    def query(self) -> Q:
        return self._query

    def set_query(self, query: Q) -> None:
        self._query = query
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._rows, self._total = self.first_page(self._query, PAGE_SIZE)
        self.endResetModel()

    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt default argument
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self.next_page(self._query, len(self._rows), PAGE_SIZE, self._total)
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
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return _(self.columns[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        item = self._rows[index.row()]
        if role == ID_ROLE:
            return item.id
        return self.cell(item, self.columns[index.column()][0], role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column][0]
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort_key and descending == self._query.descending and self._rows:
            return
        self.set_query(replace(self._query, sort_key=key, descending=descending))  # type: ignore[type-var]
