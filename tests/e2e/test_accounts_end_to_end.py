"""End to end: in the real window on a demo file, raise a D account's value and watch it move to A."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTableWidgetItem

from kamdesk.domain import clock
from kamdesk.domain.clock import Clock
from kamdesk.services.demo import load_demo
from kamdesk.services.workspace import open_workspace
from kamdesk.ui.app_settings import AppSettings
from kamdesk.ui.main_window import MainWindow

#: The demo and the value typed in are dated from this day (a 2026-Q1 value counts then).
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("accounts") / "demo.kamdb"
    with clock.fixed(TODAY):
        load_demo(path, "small")
    return path


def test_a_value_change_moves_the_account_and_the_dashboard_says_so(
    qtbot, scripted, demo_master: Path, tmp_path: Path, fixed_clock: Clock
):
    fixed_clock.fix(TODAY)
    path = tmp_path / "team.kamdb"
    shutil.copyfile(demo_master, path)
    window = MainWindow(
        open_workspace(path, "王经理"),
        AppSettings(tmp_path / "k.ini"),
        lambda p, c: open_workspace(p, "王经理", create=c),
    )
    qtbot.addWidget(window)
    window.show()
    tab = window.accounts_tab
    tab.class_filter.setCurrentIndex(tab.class_filter.findData("D"))
    tab.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not tab.model.busy and tab.model.rowCount() > 0)  # it reads off the GUI thread
    tab.table.selectRow(0)
    account_id = tab.current_account_id()
    name = tab.model.index(0, 0).data()
    assert account_id is not None and tab.model.index(0, 1).data() == "D"

    dialog = tab.make_dialog(account_id)
    qtbot.addWidget(dialog)
    table = dialog.values_table
    row = table.rowCount()
    table.insertRow(row)
    for column, text in enumerate(("2026-Q1", "5000万", "800万")):
        table.setItem(row, column, QTableWidgetItem(text))
    with qtbot.waitSignal(window.accounts_tab.changed):
        assert dialog.save()

    # The list and the dashboard both show the move at once.
    tab.clear_filters()
    tab.search.setText(name)
    tab.apply_filters()
    qtbot.waitUntil(lambda: not tab.model.busy)  # the list reads off the GUI thread
    assert tab.model.index(0, 1).data() == "A"
    moves = window.dashboard_tab.moves  # the dashboard reads off the GUI thread: wait for the move to show
    qtbot.waitUntil(
        lambda: any(moves.item(r, 0) is not None and moves.item(r, 0).text() == name for r in range(moves.rowCount()))
    )
    rows = {moves.item(r, 0).text(): moves.item(r, 1).text() for r in range(moves.rowCount())}
    assert rows[name] == "moved from D to A"
    assert window.dashboard_tab.pareto.data().points[0].name == name

    # The Pareto chart saves as a PNG through the button beside it.
    png = tmp_path / "pareto.png"
    scripted.files = [str(png)]
    window.dashboard_tab.pareto.save_with_dialog()
    assert not QImage(str(png)).isNull()
    window.close()

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        old, new, reason = conn.execute(
            "SELECT old_class, new_class, reason FROM account_class_history WHERE account_id = ?", (account_id,)
        ).fetchone()
        assert (old, new, reason) == ("D", "A", "recomputed")
        logged = conn.execute(
            "SELECT count(*) FROM change_log WHERE table_name = 'account_values' AND by = ?", ("王经理",)
        ).fetchone()[0]
        assert logged == 1
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
