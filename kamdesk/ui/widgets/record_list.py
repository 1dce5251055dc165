"""The pieces a list page is made of: the table of records (Enter opens one) and its filter combos."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QHelpEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QHeaderView, QStyle, QTableView, QToolTip, QTreeView

from kamdesk.domain.enums import LabelledEnum
from kamdesk.ui import formatting
from kamdesk.ui.app_settings import AppSettings

#: A column sized to its contents never takes more than this (longer text is elided, with a tooltip).
MAX_AUTO_WIDTH = 320
#: A tree (the agenda) is measured over this many rows: it holds a few hundred at most.
TREE_SAMPLE_ROWS = 500
#: Widths a person drags are written this long after the last move (a drag moves many times a second).
SAVE_DELAY_MS = 400


class ColumnFitter(QObject):
    """Keeps a table's or tree's columns fitted to their contents, once for every list in kamdesk.

    Columns fit their title and the first screenful of rows whenever rows arrive or change (also in a
    list that was empty, or hidden, when it was built), each at most MAX_AUTO_WIDTH wide; a column a
    person sized keeps that width, remembered on this computer under `settings_key` when one is given.
    Columns the view stretches or sizes itself are left alone. Text a column cuts short is shown in full
    as a tooltip where the model gives none.
    """

    def __init__(self, view: QTableView | QTreeView, settings_key: str = "", sample: int = 0) -> None:
        super().__init__(view)
        self.view = view
        self.settings_key = settings_key
        self.header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
        self.header.setResizeContentsPrecision(sample or formatting.SIZE_SAMPLE_ROWS)
        self.user_widths = AppSettings.current().column_widths(settings_key) if settings_key else {}
        self._fitting = False
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)  # after the caller has filled every cell
        self._fit_timer.timeout.connect(self.fit)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_widths)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.dataChanged):
            signal.connect(self.schedule)
        self.header.sectionResized.connect(self._section_resized)
        self._by_hand = False  # a mouse button is down on the header: a resize now is the person's
        view.installEventFilter(self)
        self._viewport = view.viewport()  # kept: asking the view for it while it is being deleted fails
        self._viewport.installEventFilter(self)  # tooltips for text a column cuts short
        self.header.viewport().installEventFilter(self)

    def schedule(self, *_args: Any) -> None:
        self._fit_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.view and kind == QEvent.Type.Show:
            self.schedule()
        elif watched is self._viewport and kind == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.elided_text_at(event.pos())
            if text is not None:
                QToolTip.showText(event.globalPos(), text, self._viewport)
                return True
        elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._by_hand = True
        elif kind == QEvent.Type.MouseButtonRelease:
            QTimer.singleShot(0, self._hand_released)  # after the header has handled the release
        return False

    def _hand_released(self) -> None:
        self._by_hand = False

    def is_elided(self, index: QModelIndex) -> bool:
        """Whether the column is too narrow for the cell's text (so the view shows it cut short)."""
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if not text:
            return False
        style = self.view.style()
        room = self.view.visualRect(index).width() - 2 * (
            style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 2
        )
        return self.view.fontMetrics().horizontalAdvance(text) > room

    def elided_text_at(self, pos: QPoint) -> str | None:
        """The full text of the cell at `pos` when the column cuts it short (and the model has no tooltip)."""
        index = self.view.indexAt(pos)
        if index.isValid() and index.data(Qt.ItemDataRole.ToolTipRole) is None and self.is_elided(index):
            return str(index.data(Qt.ItemDataRole.DisplayRole))
        return None

    def column_key(self, column: int) -> str:
        columns = getattr(self.view.model(), "columns", None)
        if isinstance(columns, list) and 0 <= column < len(columns):
            return str(columns[column][0])
        return str(column)

    def fit(self) -> None:
        """Size each column to its contents (capped), or to the width the person gave it."""
        self._fit_timer.stop()
        self._fitting = True
        try:
            for column in range(self.header.count()):
                if self.header.sectionResizeMode(column) != QHeaderView.ResizeMode.Interactive or (
                    self.header.stretchLastSection() and column == self.header.count() - 1
                ):
                    continue
                width = self.user_widths.get(self.column_key(column))
                if width is None:
                    self.view.resizeColumnToContents(column)
                    width = max(min(self.view.columnWidth(column), MAX_AUTO_WIDTH), self.title_width(column))
                self.view.setColumnWidth(column, width)
        finally:
            self._fitting = False

    def title_width(self, column: int) -> int:
        return title_width(self.header, column)

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if self._fitting or new <= 0 or not self._by_hand:  # the page's own resizes are not the person's
            return
        if self.header.sectionResizeMode(column) != QHeaderView.ResizeMode.Interactive:
            return
        self.user_widths[self.column_key(column)] = new
        if self.settings_key:
            self._save_timer.start()

    def save_widths(self) -> None:
        self._save_timer.stop()
        if self.settings_key:
            AppSettings.current().save_column_widths(self.settings_key, self.user_widths)

    def forget_widths(self) -> None:
        """Back to widths that fit the contents (and forget what the person set)."""
        self.user_widths.clear()
        self.save_widths()
        self.fit()


def title_width(header: QHeaderView, column: int) -> int:
    """What the title of `column` needs to be read whole (a column is never narrower than its title)."""
    text = str(header.model().headerData(column, header.orientation()) or "") if header.model() else ""
    margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    return header.fontMetrics().horizontalAdvance(text) + margin + 2


class RecordTable(QTableView):
    """A read-only, sortable list of records, one selected at a time; Enter opens the current one like a
    double-click does. Sorted by `sort_column` from the start (indicator first, then sorting on: one
    read of the first page instead of two).

    Columns fit their contents through a ColumnFitter, widths a person sets remembered under
    `settings_key` (the model's class name by default); text a column is too narrow for is elided and
    shown in full as a tooltip (the fitter's, as in every fitted list).
    """

    activated_row = Signal(QModelIndex)

    def __init__(
        self, model: QAbstractItemModel, sort_column: int, order: Qt.SortOrder, settings_key: str = ""
    ) -> None:
        super().__init__()
        self.setModel(model)
        self.settings_key = settings_key or type(model).__name__
        header = self.horizontalHeader()
        header.setSortIndicator(sort_column, order)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setVisible(False)
        header.setStretchLastSection(False)
        self.fitter = ColumnFitter(self, self.settings_key)
        self.fitter.fit()

    def fit_columns(self) -> None:
        self.fitter.fit()

    def save_widths(self) -> None:
        self.fitter.save_widths()

    def forget_widths(self) -> None:
        self.fitter.forget_widths()

    def is_elided(self, index: QModelIndex) -> bool:
        return self.fitter.is_elided(index)

    def elided_text_at(self, pos: QPoint) -> str | None:
        return self.fitter.elided_text_at(pos)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


def fit_tree_columns(tree: QTreeView, columns: int, rows: int = TREE_SAMPLE_ROWS) -> None:
    """Size a tree's first `columns` columns to the text of up to `rows` rows (not only the first screenful:
    a long reason or a time further down is not cut short), each capped like a list's columns; when they
    would not all fit beside the last column, the widest give way first, never below their titles. The
    last column is as wide as its own text (not stretched into whatever is left, which may be too little)."""
    header = tree.header()
    header.setResizeContentsPrecision(rows)
    header.setStretchLastSection(False)
    widths = []
    for column in range(columns):
        tree.resizeColumnToContents(column)
        widths.append(min(tree.columnWidth(column), MAX_AUTO_WIDTH))
    last = 0
    if columns < header.count():
        last = max(tree.sizeHintForColumn(columns), title_width(header, columns))
        tree.setColumnWidth(columns, last)
    # The rows just added may bring a vertical scroll bar that is not there yet: leave room for it.
    scroll_bar = 0 if tree.verticalScrollBar().isVisible() else tree.verticalScrollBar().sizeHint().width()
    room = tree.viewport().width() - scroll_bar - last - 4
    if tree.isVisible() and room > 0 and sum(widths) > room:
        widths = squeezed(widths, [title_width(header, column) for column in range(columns)], room)
    for column, width in enumerate(widths):
        tree.setColumnWidth(column, width)


def squeezed(widths: list[int], floors: list[int], room: int) -> list[int]:
    """`widths` with the widest cut to one common cap so that they add up to `room` at most (no column
    below its floor; if even the floors do not fit, the floors)."""
    cap = max(widths, default=0)
    while cap > 0:
        fitted = [max(min(width, cap), floor) for width, floor in zip(widths, floors, strict=True)]
        if sum(fitted) <= room:
            return fitted
        cap -= 4
    return list(floors)


#: How long a search waits for a pause in typing before it reads (ms): fast typists do not queue queries.
SEARCH_PAUSE_MS = 150


def connect_filter_row(page: Any) -> QTimer:
    """Wire a list page's search box, filter combos and count: the search applies after a pause in typing,
    a filter at once, and the count follows the model (with its busy and failed states).

    `page` has `search`, `filters()`, `apply_filters()`, `model`, `count_label`, `_update_count()` and
    `_busy(bool)`; the returned timer is the search's pause, parented to the page."""
    timer = QTimer(page)
    timer.setSingleShot(True)
    timer.setInterval(SEARCH_PAUSE_MS)
    timer.timeout.connect(page.apply_filters)
    page.search.textChanged.connect(timer.start)
    for combo in page.filters():
        combo.currentIndexChanged.connect(page.apply_filters)
    page.model.modelReset.connect(page._update_count)
    page.model.busy_changed.connect(page._busy)
    page.model.read_failed.connect(page.count_label.setText)
    page._update_count()
    return timer


def filter_combo(all_text: str, items: list[tuple[str, Any]]) -> QComboBox:
    """A filter: "all" first (data None), then each choice."""
    combo = QComboBox()
    combo.addItem(all_text, None)
    for text, value in items:
        combo.addItem(text, value)
    # Six filters share one row: full width when there is room, but they may shrink with the
    # window (an explicit minimum width overrides the contents-based minimum).
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMinimumWidth(70)
    return combo


def enum_items(kind: type[LabelledEnum]) -> list[tuple[str, Any]]:
    return [(member.label, member.value) for member in kind]
