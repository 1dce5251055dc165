"""Cells, rows and entries for Qt's lists, tables and trees, asked once for their text when they are made.

An item constructed in Python (`QTableWidgetItem(text)`) is an instance of PySide's wrapper class. The first time
Qt calls its `data()` (a view's first paint asks every visible cell for a dozen roles), the wrapper takes the
interpreter to look for a Python override of `data()`, then remembers that there is none. While a background
thread runs Python, each such take waits for the interpreter to be handed over: a first paint of 2,000 cells took
0.1-0.3 s with one worker computing (at 0.2 and 1 ms switch intervals), against 0.02 s when nothing else ran
(issue 24; tests/bench/bench_warm_items.py). Reading an item's text from Python goes through that same `data()`
while the maker already holds the interpreter, so the look is done once, at no wait, wherever the item is made
(in a background read, or while the GUI thread fills a table); the paint then never enters Python.

The items stay Python's own objects in every other way (a view that frees one makes its Python name fail with
"already deleted", as usual). An item that sorts by its own rule is a Python subclass with an override: warming it
changes nothing, and it needs none of this.

Freeing such items costs the same kind of wait: each one's wrapper takes the interpreter as it goes, and
`QTreeWidget.clear()` lets go of the interpreter meanwhile. With a worker running Python, clearing the agenda's
2,000 rows took 50-70 ms against 2 ms with nothing else running. `clear_tree` empties a tree at once and frees its
old rows a few hundred per turn of the event loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QListWidgetItem, QTableWidgetItem, QTreeWidget, QTreeWidgetItem

from kamdesk.gui_turns import pause_point

#: Old tree rows freed per turn of the event loop (about 5 ms of the GUI thread with a worker running Python).
FREE_PER_TURN = 200
#: Items made in a worker between two of its pause points (kamdesk.gui_turns).
PAUSE_EVERY = 100


def standard_item(text: str = "", flags: Qt.ItemFlag | None = None) -> QStandardItem:
    """A model cell holding `text` (with `flags` when given)."""
    item = QStandardItem(text)
    if flags is not None:
        item.setFlags(flags)
    item.text()  # the wrapper's look for an override of data(), done now
    return item


def choice_items(choices: Sequence[tuple[object, str]]) -> list[QStandardItem]:
    """A combo's entries for (id, label) pairs, the id as each entry's data (`Qt.UserRole`, as `addItem` keeps it).
    Made off the GUI thread, they reach a combo in one call (`set_choices`): filling the Account Plans list of the
    large demo's 3,100 accounts entry by entry took 7 ms of the GUI thread (1 ms this way)."""
    items = []
    for n, (value, label) in enumerate(choices):
        if not n % PAUSE_EVERY:
            pause_point()
        item = standard_item(label)
        item.setData(value, Qt.ItemDataRole.UserRole)
        items.append(item)
    return items


def set_choices(combo: QComboBox, items: list[QStandardItem]) -> None:
    """`combo`'s entries replaced by `items` (from `choice_items`; they now belong to the combo, and its completer
    offers them too). Nothing is selected afterwards."""
    model = QStandardItemModel(combo)  # the combo's previous model, its child too, is deleted as this replaces it
    if items:
        model.appendColumn(items)
    combo.setModel(model)
    combo.setCurrentIndex(-1)


def table_item(text: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.text()
    return item


def tree_item(texts: Sequence[str] = ()) -> QTreeWidgetItem:
    """A tree row with one text per column."""
    item = QTreeWidgetItem(list(texts))
    item.text(0)
    return item


def list_item(text: str = "") -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.text()
    return item


def clear_tree(tree: QTreeWidget, keep: Iterable[QTreeWidgetItem] = ()) -> None:
    """Empty `tree` now (as `tree.clear()`); its old items are freed FREE_PER_TURN at a time in later turns,
    except those in `keep`, which are only taken out (to go back in, elsewhere in the list)."""
    kept = {id(item) for item in keep}
    taken: list[QTreeWidgetItem] = []
    level = tree.invisibleRootItem().takeChildren()
    while level:  # every item taken out of its parent, so that each delete frees one item
        taken += level
        level = [child for item in level for child in item.takeChildren()]
    if kept:
        taken = [item for item in taken if id(item) not in kept]
    if taken:
        _free_later(taken)


def _free_later(items: list[QTreeWidgetItem]) -> None:
    def free() -> None:
        for item in items[-FREE_PER_TURN:]:
            if shiboken6.isValid(item):
                shiboken6.delete(item)
        del items[-FREE_PER_TURN:]
        if items:
            QTimer.singleShot(0, free)

    QTimer.singleShot(0, free)
