"""Stages with meaning on screen: the contact card's checklist and flags, the account's stages page and history."""

from __future__ import annotations

import datetime as dt

import pytest

from kamdesk.domain.contacts import ContactDetail, StageUpdate
from kamdesk.domain.models import AccountDetail
from kamdesk.domain.plans import Competitor, IntelNote
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.account_dialog import AccountDialog
from kamdesk.ui.dialogs.account_stages import StagesPage
from kamdesk.ui.dialogs.call_coaching import plain_text
from kamdesk.ui.dialogs.contact_dialog import ContactDialog
from kamdesk.ui.widgets.choices import select_data

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


def test_the_card_shows_the_stage_checklist_and_flags_a_good_brother_without_family(qtbot, ws: Workspace):
    account, _ = ws.accounts.save(AccountDetail(name="中国移动"))
    contact = ws.contacts.save(
        ContactDetail(
            name="曾国华",
            account_id=account,
            title="总经理",
            interests="钓鱼",
            preferences="普洱茶",
            stage_update=StageUpdate("good_brother", TODAY),
        )
    )
    dialog = ContactDialog(ws.contacts, ws.team.members(), contact)
    qtbot.addWidget(dialog)
    checklist = dialog.stage_checklist
    checklist.refresh()
    text = plain_text(checklist.label)
    assert "The friendship takes in each other's families." in text
    assert "No family member is recorded" in text and "Their birthday is not recorded." in text
    assert "No contact with them is logged." in text  # the rules of the stages below apply too
    assert "To reach Best friend" in text
    # Adding a family member on the personal page takes the family flag away (before saving).
    dialog.family_table.insertRow(0)
    from PySide6.QtWidgets import QTableWidgetItem

    dialog.family_table.setItem(0, 0, QTableWidgetItem("李梅"))
    dialog.family_table.setItem(0, 1, QTableWidgetItem("妻子"))
    checklist.refresh()
    assert "No family member is recorded" not in plain_text(checklist.label)
    # Choosing a lower stage changes the checklist at once.
    select_data(dialog.stage_combo, "ordinary_friend")
    text = plain_text(checklist.label)
    assert "You know their tastes and some private facts about them." in text
    assert "Their birthday is not recorded." not in text


def test_the_account_keeps_and_shows_when_each_stage_was_reached(qtbot, ws: Workspace):
    account, _ = ws.accounts.save(AccountDetail(name="格力电器", sales_stage="trial", relationship_type="partner"))
    plan = ws.plans.new(account, "FY2026")
    plan.competitors = [Competitor("美的"), Competitor("海尔"), Competitor("奥克斯")]
    plan.intel = [IntelNote(2, "行业报告")]
    ws.plans.save(plan)
    ws.clock.fix(TODAY + dt.timedelta(days=21))
    dialog = AccountDialog(ws.accounts, ws.team.members(), account)
    qtbot.addWidget(dialog)
    select_data(dialog.stage_combo, "intent")
    select_data(dialog.cycle_combo, "hibernation")
    assert dialog.save()
    dialog = AccountDialog(ws.accounts, ws.team.members(), account)
    qtbot.addWidget(dialog)
    page = dialog.findChild(StagesPage)
    assert page is not None
    page.load_history()
    page.refresh()
    lines = [page.history_list.item(i).text() for i in range(page.history_list.count())]
    assert len(lines) == 4
    assert (
        "Sales stage Trial → Intent (Test Person)" in lines[0] or "Sales stage Trial → Intent (Test Person)" in lines[1]
    )
    assert any("Relationship type — → Partner" in line for line in lines)
    sales = plain_text(page.sales_label)
    assert "Scope and price are agreed in principle" in sales and "Reached on" in sales
    kind = plain_text(page.type_label)
    assert "Competitors named in the plan: 3." in kind and "A partner has few or no competitors" in kind
    assert "Highest information grade reached: 2" in kind and "Price premium unknown" in kind
    cycle = plain_text(page.cycle_label)
    assert "care call every two to three months" in cycle
    tip = dialog.stage_combo.itemData(dialog.stage_combo.findData("quasi"), 3)  # Qt.ToolTipRole
    assert "contract" in tip
    select_data(dialog.stage_combo, "quasi")
    assert dialog.stage_combo.toolTip() == tip  # the choice made explains itself where it is chosen
