"""Items asked once for their text when made (issue 24; kamdesk.ui.widgets.warm_items): the lists make their cells
and rows through these makers, in the background read where there is one, and the items stay ordinary Python
objects (a view that frees one makes its Python name fail cleanly). What warming saves is measured by
tests/bench/bench_warm_items.py (a first paint of 2,000 cells with a worker running Python: 100 ms cold, 26 ms
warm)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QTableWidget, QTreeWidget

from kamdesk.domain.zipper_checks import PROBLEM, WARNING, ZipperFinding
from kamdesk.services.workspace import Workspace
from kamdesk.services.zipper import AccountZipper
from kamdesk.ui.models import paged_model
from kamdesk.ui.tabs import followups_tab
from kamdesk.ui.tabs.accounts_tab import AccountsTab
from kamdesk.ui.tabs.followups_tab import FollowUpsTab
from kamdesk.ui.widgets import warm_items, worst_zippers
from kamdesk.ui.widgets.worst_zippers import WorstZippersList

TODAY = dt.date(2026, 11, 23)


def test_the_makers_give_items_holding_their_text_and_flags(qtbot):
    cell = warm_items.standard_item("王建国 🎉 <b>&amp;", Qt.ItemFlag.ItemIsEnabled)
    assert cell.text() == "王建国 🎉 <b>&amp;" and cell.flags() == Qt.ItemFlag.ItemIsEnabled
    table = QTableWidget(1, 1)
    qtbot.addWidget(table)
    table.setItem(0, 0, warm_items.table_item("甲"))
    tree = QTreeWidget()
    qtbot.addWidget(tree)
    tree.setColumnCount(3)
    tree.addTopLevelItem(warm_items.tree_item(["a", "", "丙"]))
    listing = QListWidget()
    qtbot.addWidget(listing)
    listing.addItem(warm_items.list_item("乙"))
    assert table.item(0, 0).text() == "甲" and listing.item(0).text() == "乙"
    assert [tree.topLevelItem(0).text(c) for c in range(3)] == ["a", "", "丙"]
    assert warm_items.table_item().text() == "" and warm_items.tree_item().columnCount() == 0


def test_an_item_its_view_has_freed_fails_cleanly(qtbot):
    tree = QTreeWidget()
    qtbot.addWidget(tree)
    tree.addTopLevelItem(warm_items.tree_item(["a"]))
    held = tree.topLevelItem(0)
    tree.clear()
    with pytest.raises(RuntimeError, match="already deleted"):
        held.text(0)
    table = QTableWidget(1, 1)
    qtbot.addWidget(table)
    table.setItem(0, 0, warm_items.table_item("甲"))
    kept = table.item(0, 0)
    table.clearContents()
    with pytest.raises(RuntimeError, match="already deleted"):
        kept.text()


def _spy(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> set[int]:
    """The threads `module.name` is called on, from now."""
    threads: set[int] = set()
    real = getattr(module, name)

    def called(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        threads.add(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, called)
    return threads


def test_the_account_list_s_cells_are_made_warm_in_the_background_read(ws: Workspace, qtbot, monkeypatch):
    made_on = _spy(monkeypatch, paged_model, "standard_item")
    tab = AccountsTab(ws, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=20_000)
    assert made_on and threading.get_ident() not in made_on
    assert tab.model.item(0, 0).text() == tab.model.row(0).name


def test_the_agenda_s_rows_are_made_warm_in_the_background_read(ws: Workspace, qtbot, monkeypatch):
    made_on = _spy(monkeypatch, followups_tab, "tree_item")
    tab = FollowUpsTab(ws, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: bool(tab._items()), timeout=20_000)
    gui = threading.get_ident()
    assert gui in made_on  # the three group headings, on the GUI thread
    assert made_on - {gui}  # the rows, in the read


def test_the_dashboard_s_weakest_zippers_are_warm_items(qtbot, monkeypatch):
    made_on = _spy(monkeypatch, worst_zippers, "table_item")
    view = WorstZippersList()
    qtbot.addWidget(view)
    findings = [
        ZipperFinding("bow_tie", PROBLEM, 7, "only 李明", "introduce 王芳"),
        ZipperFinding("no_team", WARNING, 7, "no team", "name one"),
    ]
    view.set_accounts([AccountZipper(7, "上海精密", "A", findings)])
    assert made_on
    assert [view.table.item(0, c).text() for c in range(4)] == ["上海精密 (A)", "1", "1", "introduce 王芳"]


def test_clear_tree_empties_at_once_and_frees_the_old_rows_later(qtbot):
    tree = QTreeWidget()
    qtbot.addWidget(tree)
    groups = [warm_items.tree_item([f"组 {n}"]) for n in range(3)]
    rows = [warm_items.tree_item([f"行 {n}", "王建国 🎉"]) for n in range(1_200)]
    for number, group in enumerate(groups):
        group.addChildren(rows[number * 400 : (number + 1) * 400])
    tree.addTopLevelItems(groups)
    warm_items.clear_tree(tree)
    assert tree.topLevelItemCount() == 0
    assert all(shiboken6.isValid(item) for item in groups + rows)  # nothing freed yet: that is for later turns
    tree.addTopLevelItem(warm_items.tree_item(["新的"]))  # the tree is usable at once
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(item) for item in groups + rows), timeout=5_000)
    assert tree.topLevelItemCount() == 1 and tree.topLevelItem(0).text(0) == "新的"
    warm_items.clear_tree(QTreeWidget())  # an empty tree: nothing to do


def test_the_agenda_frees_its_old_rows_after_showing_the_new(ws: Workspace, qtbot):
    tab = FollowUpsTab(ws, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: bool(tab._items()), timeout=20_000)
    old = [row for _group, row in tab._items()]
    tab.refresh()
    qtbot.waitUntil(lambda: bool(tab._items()) and not any(shiboken6.isValid(row) for row in old), timeout=20_000)
    assert len(tab._items()) == len(old)


def test_the_weakest_zippers_are_inserted_at_once_and_an_empty_list_says_so(qtbot):
    view = WorstZippersList()
    qtbot.addWidget(view)
    view.show()
    insertions: list[tuple[int, int]] = []
    view.table.model().rowsInserted.connect(lambda _parent, first, last: insertions.append((first, last)))
    finding = ZipperFinding("bow_tie", PROBLEM, 1, "only 李明", "introduce 王芳")
    view.set_accounts([AccountZipper(n, f"客户 {n}", "B", [finding]) for n in range(12)])
    assert insertions == [(0, 11)] and view.table.rowCount() == 12
    assert view.table.item(11, 0).text() == "客户 11 (B)"
    view.set_accounts([])
    assert view.table.rowCount() == 1 and view.table.columnSpan(0, 0) == 4
    view.set_accounts([AccountZipper(3, "上海精密", "A", [finding])])
    assert view.table.rowCount() == 1 and view.table.columnSpan(0, 0) == 1
    assert view.table.item(0, 3).text() == "introduce 王芳"


def test_combo_entries_made_on_a_worker_fill_a_combo_in_one_call(qtbot):
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QComboBox

    made: list = []
    worker = threading.Thread(
        target=lambda: made.extend(warm_items.choice_items([(7, "中国移动"), (9, "华润置地 <b>")]))
    )
    worker.start()
    worker.join()
    combo = QComboBox()
    combo.setEditable(True)
    qtbot.addWidget(combo)
    warm_items.set_choices(combo, made)
    assert [combo.itemText(i) for i in range(combo.count())] == ["中国移动", "华润置地 <b>"]
    assert combo.currentIndex() == -1
    assert combo.findData(9) == 1 and combo.itemData(0) == 7
    assert combo.completer().model() is combo.model()  # typing offers the new entries
    warm_items.set_choices(combo, warm_items.choice_items([(3, "远航自动化")]))
    assert combo.count() == 1 and combo.itemData(0) == 3
    assert len(combo.findChildren(QStandardItemModel)) == 1  # the old entries went with their model
    warm_items.set_choices(combo, [])
    assert combo.count() == 0


def test_the_gui_thread_beats_while_background_work_runs_and_stops_after(qtbot):
    """Workers' pause points (kamdesk.gui_turns) see the GUI thread's beat only while work is under way."""
    from kamdesk import gui_turns
    from kamdesk.ui import tasks

    seen: list[bool] = []
    release = threading.Event()

    def work() -> str:
        seen.append(gui_turns._last_turn > 0)
        release.wait(10)
        return "done"

    landed: list[str] = []
    tasks.run(work, landed.append)
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    first = gui_turns._last_turn
    qtbot.waitUntil(lambda: gui_turns._last_turn > first, timeout=5_000)  # beating while the work runs
    release.set()
    qtbot.waitUntil(lambda: landed == ["done"], timeout=5_000)
    assert seen == [True] and tasks.pending() == 0 and gui_turns._last_turn == 0.0
