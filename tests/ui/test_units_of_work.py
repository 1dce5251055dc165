"""One unit of work per screen (issue 24): on a file server every transaction costs its lock and journal
requests, so opening a contact card, an account's editor or a plan reads what it shows in one.

Before: a contact card took 12 transactions, the account editor 8, a plan 4 (plus the SMART check's)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.accounts_tab import AccountsTab
from kamdesk.ui.tabs.contacts_tab import ContactsPage
from kamdesk.ui.tabs.plans.reading import read_choice

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def planned(demo_file: Path) -> tuple[int, int, int]:
    """(account, its plan with the most actions, a contact there)."""
    conn = sqlite3.connect(demo_file)
    try:
        account, plan = conn.execute(
            "SELECT p.account_id, p.id FROM account_plans p JOIN plan_actions a ON a.plan_id = p.id "
            "GROUP BY p.id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        contact = conn.execute("SELECT id FROM contacts WHERE account_id = ? LIMIT 1", (account,)).fetchone()[0]
    finally:
        conn.close()
    return account, plan, contact


def _statements(ws: Workspace) -> list[str]:
    seen: list[str] = []
    event.listen(ws.db.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def _begins(statements: list[str]) -> int:
    return sum(1 for s in statements if s.startswith("BEGIN"))


def test_a_contact_card_reads_in_one_unit_of_work(ws: Workspace, qtbot, planned):
    page = ContactsPage(ws)
    qtbot.addWidget(page)
    statements = _statements(ws)
    dialog = page.make_dialog(planned[2])
    qtbot.addWidget(dialog)
    assert dialog.windowTitle()  # a card with its person in it
    assert _begins(statements) == 1
    assert len(statements) > 10  # the card, family, dates, links, history, colleagues, settings … all of it


def test_the_account_editor_reads_in_one_unit_of_work(ws: Workspace, qtbot, planned):
    tab = AccountsTab(ws)
    qtbot.addWidget(tab)
    statements = _statements(ws)
    dialog = tab.make_dialog(planned[0])
    qtbot.addWidget(dialog)
    assert _begins(statements) == 1


def test_a_plan_and_its_account_list_read_in_one_unit_of_work(ws: Workspace, planned):
    account, plan_id, _contact = planned
    statements = _statements(ws)
    reading = read_choice(ws.plans, None, plan_id, keep_periods=False)  # opened from My actions
    assert reading.plan is not None and reading.plan.id == plan_id and reading.account_id == account
    assert plan_id in [s.id for s in reading.summaries or []]
    assert _begins(statements) == 1


def test_a_save_inside_one_read_is_refused_rather_than_waiting_on_its_own_lock(ws: Workspace):
    member = ws.team.members()[0]
    with pytest.raises(RuntimeError, match="read_together"), ws.one_read():
        ws.team.save(member)
    ws.team.save(member)  # outside it, the save goes through
