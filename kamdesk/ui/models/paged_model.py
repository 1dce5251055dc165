"""A list read from the file a page at a time: sorted and filtered in SQL, never in a proxy over everything.

Subclasses name their columns, how to read the first page (with the total) and the next ones, and
what a cell shows; this base does the paging, the headers, the sort and the id role. With `background`
every read runs off the GUI thread (kamdesk.ui.tasks): on a file server a page is hundreds of requests.
The rows of an older query that land after a newer one was asked for are dropped (the newer one wins).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from kamdesk.i18n import _
from kamdesk.ui import tasks

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
    #: Rows read first (a read afresh: a new query, a keystroke); later pages are PAGE_SIZE rows.
    first_page_size = PAGE_SIZE
    #: The roles `cell` answers (None: any). A view asks each cell for a dozen roles at every paint and every
    #: column fit: the others are answered at once, without a call into the subclass.
    roles: frozenset[int] | None = None
    #: A background read started (True) or its rows are in or it failed (False).
    busy_changed = Signal(bool)
    #: A background read failed: its message (the rows shown stay as they were).
    read_failed = Signal(str)

    def __init__(self, query: Q, parent: Any = None, background: bool = False) -> None:
        super().__init__(parent)
        self._query = query
        self._rows: list[R] = []
        self._total = 0
        self._background = background
        self._generation = 0  # the newest read; rows of older ones are dropped
        self._fetching = False
        self.busy = False
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
        self._generation += 1
        self._fetching = False
        if not self._background:
            self.beginResetModel()
            self._rows, self._total = self.first_page(self._query, self.first_page_size)
            self.endResetModel()
            return
        generation, query = self._generation, self._query
        self._set_busy(True)
        tasks.run(
            lambda: self.first_page(query, self.first_page_size),
            lambda result: self._first_landed(generation, result),
            lambda exc: self._failed(generation, exc),
            owner=self,
        )

    def _first_landed(self, generation: int, result: tuple[list[R], int]) -> None:
        if generation != self._generation:
            return  # a newer query was asked for meanwhile: its rows are the ones to show
        self.beginResetModel()
        self._rows, self._total = result
        self.endResetModel()
        self._set_busy(False)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._fetching = False
            self._set_busy(False)
            self.read_failed.emit(str(exc))

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt default argument
        return not parent.isValid() and len(self._rows) < self._total and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._fetching:
            return
        query, offset, total = self._query, len(self._rows), self._total
        if not self._background:
            self._append(self.next_page(query, offset, PAGE_SIZE, total))
            return
        generation = self._generation
        self._fetching = True
        tasks.run(
            lambda: self.next_page(query, offset, PAGE_SIZE, total),
            lambda more: self._more_landed(generation, offset, more),
            lambda exc: self._failed(generation, exc),
            owner=self,
        )

    def _more_landed(self, generation: int, offset: int, more: list[R]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return  # the list was read afresh meanwhile
        self._fetching = False
        self._append(more)

    def _append(self, more: list[R]) -> None:
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
        if role != ID_ROLE and self.roles is not None and role not in self.roles:
            return None
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
