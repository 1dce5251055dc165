"""The account editor opens after the quick read of what it shows first (issue 24): an account's strategy facts
and its cost to serve took most of its requests on a file server (61 and 131 of 267 over a VPN), so they are
read in a second unit of work once the editor is there. Its strategy section says "Reading…" meanwhile and is
then filled as it always was; an edit made meanwhile counts; a save does not wait for them; an editor closed
before they land is left alone. Nothing is read on the GUI thread."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from kamdesk.domain.models import AccountQuery
from kamdesk.services.errors import StorageError
from kamdesk.services.workspace import Workspace
from kamdesk.ui import tasks
from kamdesk.ui.dialogs.account_dialog import AccountDialog
from kamdesk.ui.tabs.account_view.tab import AccountViewTab
from kamdesk.ui.tabs.accounts_tab import AccountsTab

TODAY = dt.date(2026, 11, 23)


class Held:
    """Wraps a service method: records the threads it ran on and holds each call until released.

    A sleep loop rather than Event.wait(timeout): under libfaketime (CI runs a year ahead) the timeout never ends.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> None:
        self.real = getattr(owner, name)
        self.threads: list[threading.Thread] = []
        self.returned = 0
        self.released = threading.Event()
        monkeypatch.setattr(owner, name, self)

    def __call__(self, *args: Any) -> Any:
        self.threads.append(threading.current_thread())
        for _ in range(2000):  # 20 s at most
            if self.released.is_set():
                break
            time.sleep(0.01)
        assert self.released.is_set(), "never released"
        try:
            return self.real(*args)
        finally:
            self.returned += 1


class Shown:
    """Stands in for the editor's exec(): records each editor that would have been shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.dialogs: list[AccountDialog] = []
        monkeypatch.setattr(AccountDialog, "exec", lambda dialog: self.dialogs.append(dialog) or 0)


def _account(ws: Workspace) -> int:
    """A demo account with revenue and a cost to serve."""
    for summary in ws.accounts.page(AccountQuery(), 0, 20):
        found = ws.accounts.cost_to_serve(summary.id)
        if found is not None and found[0].total_cents > 0 and found[0].revenue_cents:
            return summary.id
    raise AssertionError("the demo has no account with a cost to serve")


def _as_today(qtbot, ws: Workspace, account_id: int | None, stage: str | None = None) -> tuple[str, str, str]:
    """The strategy title, advice and cost as the editor read all at once shows them (optionally after an edit)."""
    dialog = AccountDialog(ws.accounts, ws.team.members(), account_id)  # reads everything here, at once
    qtbot.addWidget(dialog)
    if stage is not None:
        dialog.stage_combo.setCurrentIndex(dialog.stage_combo.findData(stage))
    panel = dialog.strategy_panel
    return panel.title_label.text(), panel.advice.text(), panel.cost.text()


def _shown(dialog: AccountDialog) -> tuple[str, str, str]:
    panel = dialog.strategy_panel
    return panel.title_label.text(), panel.advice.text(), panel.cost.text()


def _held(monkeypatch: pytest.MonkeyPatch, ws: Workspace) -> tuple[Held, Held]:
    return Held(monkeypatch, ws.accounts, "strategy_context"), Held(monkeypatch, ws.accounts, "cost_to_serve")


def _open(qtbot, tab: AccountsTab, shown: Shown, account_id: int | None, keep: bool = True) -> AccountDialog:
    """The editor as the list opens it (its exec() recorded); `keep`: closed by qtbot after the test."""
    assert tab.open_account(account_id)
    qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
    dialog = shown.dialogs[0]
    if keep:
        qtbot.addWidget(dialog)
    return dialog


def test_the_editor_shows_before_the_strategy_and_cost_then_fills_them(ws, qtbot, monkeypatch, gui_thread_sql):
    account_id = _account(ws)
    name = ws.accounts.get(account_id).name
    expected = _as_today(qtbot, ws, account_id)
    assert "Reading" not in "".join(expected) and expected[2].count("%") >= 1  # the cost against revenue
    tab = AccountsTab(ws, background=True)
    qtbot.addWidget(tab)
    shown = Shown(monkeypatch)
    context, cost = _held(monkeypatch, ws)
    with gui_thread_sql.watching():
        dialog = _open(qtbot, tab, shown, account_id)
        qtbot.waitUntil(lambda: len(context.threads) == 1, timeout=10_000)  # the second read started
        assert dialog.name_edit.text() == name and dialog.class_label.text()  # the quick read is all there
        assert _shown(dialog) == ("Reading…", "", "Reading…")
        assert QApplication.overrideCursor() is None  # the person can work in the editor meanwhile
        context.released.set()
        cost.released.set()
        qtbot.waitUntil(lambda: _shown(dialog) == expected, timeout=10_000)
    assert gui_thread_sql.sites == []
    assert context.threads and cost.threads
    assert all(t is not threading.main_thread() for t in context.threads + cost.threads)
    assert len(context.threads) == 1 and len(cost.threads) == 1  # read once, in the second unit only


def test_an_edit_made_while_reading_counts_when_the_facts_land(ws, qtbot, monkeypatch, gui_thread_sql):
    account_id = _account(ws)
    stored = ws.accounts.get(account_id).sales_stage
    other = "potential" if stored != "potential" else "formal"
    before = _as_today(qtbot, ws, account_id)
    edited = _as_today(qtbot, ws, account_id, stage=other)
    assert edited[0] != before[0]  # the stage decides the group here
    tab = AccountsTab(ws, background=True)
    qtbot.addWidget(tab)
    shown = Shown(monkeypatch)
    context, cost = _held(monkeypatch, ws)
    with gui_thread_sql.watching():
        dialog = _open(qtbot, tab, shown, account_id)
        dialog.stage_combo.setCurrentIndex(dialog.stage_combo.findData(other))
        assert _shown(dialog)[0] == "Reading…"  # no advice without its facts
        context.released.set()
        cost.released.set()
        qtbot.waitUntil(lambda: _shown(dialog) == edited, timeout=10_000)
        dialog.stage_combo.setCurrentIndex(dialog.stage_combo.findData(stored))
        assert _shown(dialog) == before  # and it follows the form again as it always did
    assert gui_thread_sql.sites == []


def test_a_save_before_the_facts_land_does_not_wait_for_them(ws, qtbot, monkeypatch, gui_thread_sql):
    account_id = _account(ws)
    tab = AccountsTab(ws, background=True)
    qtbot.addWidget(tab)
    shown = Shown(monkeypatch)
    context, cost = _held(monkeypatch, ws)
    with gui_thread_sql.watching():
        dialog = _open(qtbot, tab, shown, account_id)
        dialog.city_edit.setText("嘉兴")
        with qtbot.waitSignal(dialog.account_saved, timeout=10_000):
            assert dialog.save()
        assert context.returned == 0  # still held: the save went without them
        context.released.set()
        cost.released.set()
        qtbot.waitUntil(lambda: cost.returned == 1, timeout=10_000)
        qtbot.waitUntil(lambda: "Reading" not in _shown(dialog)[0], timeout=10_000)
    assert gui_thread_sql.sites == []
    assert ws.accounts.get(account_id).city == "嘉兴"


@pytest.mark.parametrize("gone", [False, True], ids=["closed", "deleted"])
def test_an_editor_closed_before_the_facts_land_is_left_alone(ws, qtbot, monkeypatch, scripted, gone):
    account_id = _account(ws)
    tab = AccountsTab(ws, background=True)
    qtbot.addWidget(tab)
    shown = Shown(monkeypatch)
    context, cost = _held(monkeypatch, ws)
    dialog = _open(qtbot, tab, shown, account_id, keep=not gone)
    qtbot.waitUntil(lambda: len(context.threads) == 1, timeout=10_000)
    dialog.reject()
    if gone:
        shiboken6.delete(dialog)
    context.released.set()
    cost.released.set()
    qtbot.waitUntil(lambda: cost.returned == 1 and tasks.pending() == 0, timeout=10_000)
    qtbot.wait(100)
    assert scripted.shown == []  # no error, no message
    assert not gone or not shiboken6.isValid(dialog)


def test_a_new_account_reads_its_strategy_facts_before_it_opens_as_before(ws, qtbot, monkeypatch, gui_thread_sql):
    expected = _as_today(qtbot, ws, None)
    tab = AccountsTab(ws, background=True)
    qtbot.addWidget(tab)
    shown = Shown(monkeypatch)
    context, cost = _held(monkeypatch, ws)
    context.released.set()
    cost.released.set()
    with gui_thread_sql.watching():
        dialog = _open(qtbot, tab, shown, None)
        assert _shown(dialog) == expected and "once the account is saved" in expected[2]
        qtbot.wait(100)
    assert gui_thread_sql.sites == []
    assert len(context.threads) == 1 and cost.threads == []  # one read, before it opened; no cost for it


def test_the_account_view_opens_the_editor_the_same_way(ws, qtbot, monkeypatch, gui_thread_sql):
    account_id = _account(ws)
    expected = _as_today(qtbot, ws, account_id)
    view = AccountViewTab(ws, background=True)
    qtbot.addWidget(view)
    view.show_account(account_id)
    qtbot.waitUntil(lambda: view.view is not None, timeout=10_000)
    shown = Shown(monkeypatch)
    context, cost = _held(monkeypatch, ws)
    with gui_thread_sql.watching():
        assert view.edit_account()
        qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
        dialog = shown.dialogs[0]
        qtbot.addWidget(dialog)
        assert dialog.detail.id == account_id and _shown(dialog)[2] == "Reading…"
        context.released.set()
        cost.released.set()
        qtbot.waitUntil(lambda: _shown(dialog) == expected, timeout=10_000)
    assert gui_thread_sql.sites == []


def test_a_busy_file_leaves_the_editor_open_and_says_why_the_strategy_is_missing(ws, qtbot, monkeypatch, scripted):
    account_id = _account(ws)
    tab = AccountsTab(ws, background=True)
    qtbot.addWidget(tab)
    shown = Shown(monkeypatch)

    def busy(_account_id: int | None) -> None:
        raise StorageError("The team file is busy: someone else is saving.")

    monkeypatch.setattr(ws.accounts, "strategy_context", busy)
    dialog = _open(qtbot, tab, shown, account_id)
    qtbot.waitUntil(lambda: "busy" in _shown(dialog)[0], timeout=10_000)
    assert _shown(dialog) == ("Could not be read: The team file is busy: someone else is saving.", "", "")
    assert scripted.shown == []  # said in its place, not in a message box over the editor
    dialog.city_edit.setText("湖州")
    with qtbot.waitSignal(dialog.account_saved, timeout=10_000):
        assert dialog.save()  # the rest of the editor works as ever
