"""A list read from the file a page at a time: sorted and filtered in SQL, never in a proxy over everything.

Subclasses name their columns, how to read the first page (with the total) and the next ones, and
what a cell shows; this base does the paging, the headers, the sort and the id role. With `background`
every read runs off the GUI thread (kamdesk.ui.tasks): on a file server a page is hundreds of requests.
The rows of an older query that land after a newer one was asked for are dropped (the newer one wins).

The cells are Qt's own items (a QStandardItemModel), made once when a page lands, in the background read
itself where there is one, and asked once for their text there (warm_items): a paint or a column fit then never
calls into Python. A table view asks each visible cell for a dozen roles at every paint; with `data()` in Python
each of those calls must win the interpreter back from whatever thread holds it, and with a worker running Python
a first paint of a few thousand calls froze the window for 0.2–0.6 s (issue 24).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel

from kamdesk.gui_turns import pause_point
from kamdesk.i18n import _
from kamdesk.ui import tasks
from kamdesk.ui.widgets.warm_items import PAUSE_EVERY, standard_item

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: A list's cells can be selected, not edited, dragged or opened as trees.
CELL_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren

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

#: A page read: its rows and, for each, the row's cells as Qt items.
Page = tuple[list[R], list[list[QStandardItem]]]


class PagedTableModel(QStandardItemModel, Generic[Q, R]):
    """Rows of type R for a query of type Q (a dataclass with `sort_key` and `descending`)."""

    #: (key, header marked with N_) for each column, in order.
    columns: list[tuple[str, str]] = []
    #: Rows read first (a read afresh: a new query, a keystroke); later pages are PAGE_SIZE rows.
    first_page_size = PAGE_SIZE
    #: The roles `cell` answers besides the display (asked once per cell, when its page lands).
    roles: frozenset[int] = frozenset()
    #: A background read started (True) or its rows are in or it failed (False).
    busy_changed = Signal(bool)
    #: A background read failed: its message (the rows shown stay as they were).
    read_failed = Signal(str)

    def __init__(self, query: Q, parent: Any = None, background: bool = False) -> None:
        super().__init__(0, len(self.columns), parent)
        self.setHorizontalHeaderLabels([_(title) for _key, title in self.columns])
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
        """What column `key` of `item` holds for `role` (display text, tooltip, colour…); None for nothing.

        Called off the GUI thread when the list reads in the background: plain values, QColor and QFont
        (made beforehand, on the GUI thread), no widgets or pixmaps."""
        raise NotImplementedError

    # Loading ---------------------------------------------------------------------------------
    @property
    def query(self) -> Q:
        return self._query

    def set_query(self, query: Q) -> None:
        self._query = query
        self.refresh()

    def row(self, number: int) -> R | None:
        """The record shown in row `number` (None past the end)."""
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def refresh(self) -> None:
        self._generation += 1
        self._fetching = False
        if not self._background:
            rows, total = self.first_page(self._query, self.first_page_size)
            self._first_landed(self._generation, (self._made(rows), total))
            return
        generation, query = self._generation, self._query
        self._set_busy(True)

        def read() -> tuple[Page[R], int]:
            rows, total = self.first_page(query, self.first_page_size)
            return self._made(rows), total

        tasks.run(
            read,
            lambda result: self._first_landed(generation, result),
            lambda exc: self._failed(generation, exc),
            owner=self,
        )

    def _made(self, rows: list[R]) -> Page[R]:
        """`rows` with their cells made (in the read's own thread: nothing here touches the model)."""
        keys = [key for key, _title in self.columns]
        extra = sorted(self.roles - {Qt.ItemDataRole.DisplayRole, ID_ROLE})
        made: list[list[QStandardItem]] = []
        for number, record in enumerate(rows):
            if not number % PAUSE_EVERY:
                pause_point()
            cells = []
            for key in keys:
                cell = standard_item(self.cell(record, key, Qt.ItemDataRole.DisplayRole) or "", CELL_FLAGS)
                cell.setData(record.id, ID_ROLE)
                for role in extra:
                    value = self.cell(record, key, role)
                    if value is not None:
                        cell.setData(value, role)
                cells.append(cell)
            made.append(cells)
        return rows, made

    def _first_landed(self, generation: int, result: tuple[Page[R], int]) -> None:
        if generation != self._generation:
            return  # a newer query was asked for meanwhile: its rows are the ones to show
        (rows, cells), total = result
        self.beginResetModel()
        self.blockSignals(True)  # the views learn of the new rows once, from the reset
        try:
            self.setRowCount(0)
            for number, row_cells in enumerate(cells):
                self.insertRow(number, row_cells)
        finally:
            self.blockSignals(False)
        self._rows, self._total = rows, total
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
            self._append(self._made(self.next_page(query, offset, PAGE_SIZE, total)))
            return
        generation = self._generation
        self._fetching = True
        tasks.run(
            lambda: self._made(self.next_page(query, offset, PAGE_SIZE, total)),
            lambda more: self._more_landed(generation, offset, more),
            lambda exc: self._failed(generation, exc),
            owner=self,
        )

    def _more_landed(self, generation: int, offset: int, more: Page[R]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return  # the list was read afresh meanwhile
        self._fetching = False
        self._append(more)

    def _append(self, more: Page[R]) -> None:
        rows, cells = more
        if not rows:
            self._total = len(self._rows)
            return
        start = len(self._rows)
        self._rows.extend(rows)
        self.insertRows(start, len(rows))  # the views learn of the rows once, here
        self.blockSignals(True)  # and of their cells once, below
        try:
            for number, row_cells in enumerate(cells, start):
                for column, cell in enumerate(row_cells):
                    self.setItem(number, column, cell)
        finally:
            self.blockSignals(False)
        self.dataChanged.emit(self.index(start, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    # Qt model interface: only what is not asked per cell ----------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column][0]
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort_key and descending == self._query.descending and self._rows:
            return
        self.set_query(replace(self._query, sort_key=key, descending=descending))  # type: ignore[type-var]
