"""The tab contract: every registered tab is a TabPage, and a change reaches every built tab that shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamdesk.domain.changes import EVERY_TABLE, ChangeEntry, tables_touched
from kamdesk.domain.models import AccountDetail, AccountValue
from kamdesk.services.workspace import Workspace, open_workspace
from kamdesk.ui.load_ahead import ALSO
from kamdesk.ui.main_window import MainWindow
from kamdesk.ui.tabs.page import TabPage
from kamdesk.ui.tabs.registry import TABS


@pytest.fixture
def bob(workspace: Workspace) -> Iterator[Workspace]:
    assert workspace.path is not None
    other = open_workspace(workspace.path, "bob")
    yield other
    other.close()


@pytest.fixture
def window(qtbot, workspace: Workspace, app_settings) -> MainWindow:  # noqa: ANN001
    frame = MainWindow(workspace, app_settings, lambda path, create: open_workspace(path, "Test Person", create=create))
    qtbot.addWidget(frame)
    frame.shared_file.stop()  # the test polls by hand
    frame.show()
    return frame


def test_every_registered_tab_keeps_the_contract(window: MainWindow):
    assert window.tab_titles() == [
        "Dashboard",
        "Accounts",
        "Account view",
        "Account Plans",
        "Contacts & Org Map",
        "Follow-ups",
        "Gifts & Visits",
    ]
    for index, entry in enumerate(TABS):
        window.tabs.setCurrentIndex(index)
        page = window.tabs.currentWidget()
        assert isinstance(page, TabPage), entry.name
        assert type(page).__module__ == entry.module, f"{entry.name}: its module, loaded ahead, is not the one it uses"
        assert type(page).refresh is not TabPage.refresh, f"{entry.name} does not say how it refreshes"
        assert page.tables, f"{entry.name} names no tables"


def test_bulk_entries_touch_every_table():
    def entry(table: str) -> ChangeEntry:
        return ChangeEntry(1, dt.datetime(2026, 1, 1), "bob", "pc", table, "1", "insert")

    assert tables_touched([entry("accounts"), entry("contacts")]) == {"accounts", "contacts"}
    assert tables_touched([entry("accounts"), entry("import")]) == {EVERY_TABLE}


def test_a_colleagues_save_reaches_every_built_tab(
    qtbot,
    window: MainWindow,
    workspace: Workspace,  # noqa: ANN001
    bob: Workspace,
):
    for index in range(window.tabs.count()):  # a person who has looked at every tab once
        window.tabs.setCurrentIndex(index)
    window.contacts_tab.pages.setCurrentWidget(window.contacts_tab.map_page)  # and at the org map
    assert window.accounts_tab.model.total() == 0
    workspace.changes.reset()
    bob.accounts.save(AccountDetail(name="宁波港务", values=[AccountValue("2026", 500_000, None)]))

    assert window.shared_file.poll_changes(), "the poll saw bob's save"
    # The visible tab (Gifts & Visits) does not show accounts' own tables; the others went stale.
    window.tabs.setCurrentWidget(window.accounts_tab)
    qtbot.waitUntil(lambda: not window.accounts_tab.model.busy)  # the list reads off the GUI thread
    assert window.accounts_tab.model.total() == 1
    assert window.accounts_tab.model.index(0, 0).data() == "宁波港务"
    window.tabs.setCurrentWidget(window.plans_tab)
    plans = window.plans_tab  # reads its account list off the GUI thread
    qtbot.waitUntil(
        lambda: [plans.account_combo.itemText(i) for i in range(plans.account_combo.count())] == ["宁波港务"],
        timeout=5000,
    )
    window.tabs.setCurrentWidget(window.dashboard_tab)
    qtbot.waitUntil(lambda: window.dashboard_tab.totals.values["accounts"].text() == "1", timeout=5000)
    window.tabs.setCurrentWidget(window.contacts_tab)
    map_accounts = window.contacts_tab.map_page.account_combo
    qtbot.waitUntil(lambda: map_accounts.findText("宁波港务") >= 0, timeout=5000)


def test_a_save_on_one_tab_marks_the_others_that_show_its_tables(
    qtbot,
    window: MainWindow,  # noqa: ANN001
    workspace: Workspace,
):
    window.tabs.setCurrentWidget(window.dashboard_tab)
    window.tabs.setCurrentWidget(window.plans_tab)
    window.tabs.setCurrentWidget(window.accounts_tab)
    workspace.accounts.save(AccountDetail(name="苏州恒远", values=[AccountValue("2026", 100, None)]))
    window.accounts_tab.changed.emit(window.accounts_tab.WRITES)  # as its editor does after a save
    window.tabs.setCurrentWidget(window.plans_tab)
    qtbot.waitUntil(lambda: window.plans_tab.account_combo.findText("苏州恒远") >= 0, timeout=5000)
    window.tabs.setCurrentWidget(window.dashboard_tab)
    qtbot.waitUntil(lambda: window.dashboard_tab.totals.values["accounts"].text() == "1", timeout=5000)


def test_refresh_keeps_a_plan_with_unsaved_edits(qtbot, workspace: Workspace, app_settings, tmp_path: Path):  # noqa: ANN001
    from kamdesk.ui.tabs.plans.tab import PlansTab

    account, _ = workspace.accounts.save(AccountDetail(name="中国移动", values=[AccountValue("2026", 100, None)]))
    tab = PlansTab(workspace)
    qtbot.addWidget(tab)
    tab.select_account(account)
    assert tab.new_plan("FY2027") and tab.save()
    tab.editor.summary.summary_edit.setPlainText("还没保存的想法")
    tab.refresh()
    assert tab.editor.summary.summary_edit.toPlainText() == "还没保存的想法"
    assert tab.save()
    tab.refresh()
    assert tab.editor.summary.summary_edit.toPlainText() == "还没保存的想法"  # saved, then read back


def test_the_timers_poll_runs_off_the_gui_thread_and_a_locked_file_does_not_hold_the_window(
    qtbot, window: MainWindow, workspace: Workspace, bob: Workspace
):  # noqa: ANN001
    import sqlite3

    window.tabs.setCurrentWidget(window.accounts_tab)
    workspace.changes.reset()
    bob.accounts.save(AccountDetail(name="宁波港务", values=[AccountValue("2026", 500_000, None)]))
    assert workspace.path is not None
    holder = sqlite3.connect(workspace.path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # a colleague's long write holds the file
        window.shared_file.poll_in_background()
        assert window.shared_file._polling  # the call came back at once; the poll waits in a worker
        window.shared_file.poll_in_background()  # the timer fires again meanwhile: no second poll
        assert window.accounts_tab.model.total() == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    qtbot.waitUntil(lambda: not window.shared_file._polling, timeout=30_000)
    if window.accounts_tab.model.total() == 0:  # the busy poll gave up: the next one sees the change
        window.shared_file.poll_in_background()
    qtbot.waitUntil(lambda: window.accounts_tab.model.total() == 1, timeout=30_000)


def test_a_tab_module_that_fails_to_load_ahead_is_logged_and_the_window_carries_on(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    from kamdesk.ui import load_ahead

    monkeypatch.setattr(load_ahead, "ALSO", ("kamdesk.ui.no_such_page",))
    busy = [1]
    monkeypatch.setattr(load_ahead.tasks, "pending", lambda: busy[0])
    window.load_ahead.step()  # background work under way: nothing is loaded, it looks again later
    assert "no_such_page" not in caplog.text
    busy[0] = 0
    window.load_ahead.step()
    assert "Loading kamdesk.ui.no_such_page ahead failed" in caplog.text
    window.tabs.setCurrentIndex(1)
    assert isinstance(window.tabs.currentWidget(), TabPage)


LOAD_AHEAD_SCRIPT = """
import sys
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kamdesk.services.workspace import open_workspace
from kamdesk.ui import load_ahead, main_window
from kamdesk.ui.app_settings import AppSettings
from kamdesk.ui.tabs.registry import TABS
load_ahead.AFTER_MS, load_ahead.EVERY_MS = 0, 5
path, config = sys.argv[1], sys.argv[2]
frame = main_window.MainWindow(open_workspace(path, "t"), AppSettings(config), lambda p, c: open_workspace(p, "t", create=c))
frame.show()
before = [entry.module in sys.modules for entry in TABS]
loop = QEventLoop()
QTimer.singleShot(3000, loop.quit)
loop.exec()
print(before)
print([entry.module in sys.modules for entry in TABS] + [name in sys.modules for name in load_ahead.ALSO])
print(sorted(frame._built))
frame.close()
"""


def test_the_tabs_code_is_loaded_ahead_while_the_window_idles(tmp_path: Path):
    """In a fresh interpreter (this one has loaded every tab): the window shows its first tab, and the other tabs'
    modules load in the turns after, without building those tabs."""
    import os
    import subprocess
    import sys

    path = tmp_path / "team.kamdb"
    open_workspace(path, "setup", create=True).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KAMDESK_CONFIG_DIR": str(tmp_path / "config")}
    done = subprocess.run(
        [sys.executable, "-c", LOAD_AHEAD_SCRIPT, str(path), str(tmp_path / "k.ini")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    before, after, built = done.stdout.splitlines()[-3:]
    assert before.count("True") < len(TABS)  # the window alone does not load every tab
    assert after == str([True] * (len(TABS) + len(ALSO)))
    assert built == "['dashboard']"


def test_no_tab_loads_the_pdf_libraries_until_it_prints():
    """In a fresh interpreter: every tab's code, and not QtPdf, QtPdfWidgets or QtPrintSupport. Loaded with the
    Contacts tab while the day's backup copied the file, they held the GUI thread 193 ms (issue 24); they load
    ahead while the window idles, or with the first print."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from importlib import import_module\n"
        "from kamdesk.ui.main_window import MainWindow\n"
        "from kamdesk.ui.tabs.registry import TABS\n"
        "for entry in TABS:\n"
        "    import_module(entry.module)\n"
        "print(sorted(m for m in ('PySide6.QtPdf', 'PySide6.QtPdfWidgets', 'PySide6.QtPrintSupport') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[-2] == "[]"
