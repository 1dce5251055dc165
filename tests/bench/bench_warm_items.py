"""Benchmark: a list's first paint with its items made cold (constructed in Python) or warm (kamdesk.ui.widgets.
warm_items: asked once for their text when made), while nothing else runs and while a worker thread runs Python
(as the dashboard's zipper checks do).

Each figure is the median of RUNS first paints of a fresh list of 200 rows × 10 columns (2,000 cells, Chinese
text), at the app's switch interval (kamdesk.collector): a model's cells in a table view, a table widget's items,
a tree widget's rows. Issue 24's budget is 100 ms for anything on the GUI thread; this prints figures, it does not
pass or fail.

    python tests/bench/bench_warm_items.py
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from kamdesk.collector import switch_often  # noqa: E402
from kamdesk.ui.widgets.warm_items import standard_item, table_item, tree_item  # noqa: E402

RUNS = 7
ROWS, COLUMNS = 200, 10


def _text(row: int, column: int) -> str:
    return f"上海精密机械 {row}-{column}"


def model_view(make: Callable[[str], QStandardItem]) -> QWidget:
    model = QStandardItemModel(0, COLUMNS)
    for row in range(ROWS):
        model.appendRow([make(_text(row, column)) for column in range(COLUMNS)])
    view = QTableView()
    view.setModel(model)
    model.setParent(view)
    return view


def table_widget(make: Callable[[str], QTableWidgetItem]) -> QWidget:
    table = QTableWidget(ROWS, COLUMNS)
    for row in range(ROWS):
        for column in range(COLUMNS):
            table.setItem(row, column, make(_text(row, column)))
    return table


def tree_widget(make: Callable[[list[str]], QTreeWidgetItem]) -> QWidget:
    tree = QTreeWidget()
    tree.setColumnCount(COLUMNS)
    tree.addTopLevelItems([make([_text(row, column) for column in range(COLUMNS)]) for row in range(ROWS)])
    return tree


def first_paint_ms(app: QApplication, build: Callable[[], QWidget]) -> float:
    view = build()
    view.resize(1280, 800)
    view.show()
    started = time.perf_counter()
    app.processEvents()
    view.grab()
    elapsed = (time.perf_counter() - started) * 1000
    view.close()
    view.deleteLater()
    app.processEvents()
    return elapsed


def busy(stop: threading.Event) -> None:
    """Python work with no pause, as the zipper checks of 3,000 accounts are."""
    total = 0
    while not stop.is_set():
        for number in range(2_000):
            total += number * number


def median_ms(app: QApplication, build: Callable[[], QWidget], loaded: bool) -> float:
    stop = threading.Event()
    worker = threading.Thread(target=busy, args=(stop,), daemon=True)
    if loaded:
        worker.start()
    try:
        return statistics.median(first_paint_ms(app, build) for _ in range(RUNS))
    finally:
        stop.set()
        if loaded:
            worker.join()


def main() -> int:
    app = QApplication.instance() or QApplication([])
    switch_often()
    print(
        f"first paint of {ROWS * COLUMNS:,} cells, median of {RUNS} "
        f"(switch interval {sys.getswitchinterval() * 1000:g} ms)"
    )
    print(f"{'list':<34}{'nothing else running':>22}{'a worker running Python':>26}")
    cases: list[tuple[str, Callable[[], QWidget]]] = [
        ("model cells, cold", lambda: model_view(QStandardItem)),
        ("model cells, warm", lambda: model_view(standard_item)),
        ("table widget items, cold", lambda: table_widget(QTableWidgetItem)),
        ("table widget items, warm", lambda: table_widget(table_item)),
        ("tree widget rows, cold", lambda: tree_widget(QTreeWidgetItem)),
        ("tree widget rows, warm", lambda: tree_widget(tree_item)),
    ]
    for label, build in cases:
        quiet, loaded = median_ms(app, build, False), median_ms(app, build, True)
        print(f"{label:<34}{quiet:>19.0f} ms{loaded:>23.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
