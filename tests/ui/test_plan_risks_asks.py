"""The plan editor's top risks and asks of the executive sponsor: typed on the Situation page, saved with the plan,
and printed on the pack's front page, with the roles of the account team."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from kamdesk.domain.models import AccountDetail, AccountValue, TeamAssignment, TeamMember
from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.plans.tab import PlansTab

TODAY = dt.date(2026, 11, 23)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_risks_and_asks_are_edited_saved_and_printed_on_the_front_page(
    qtbot, workspace: Workspace, scripted, tmp_path: Path
):
    ws = workspace
    ws.clock.fix(TODAY)
    people = {
        role: ws.team.save(TeamMember(0, name, title, "销售部", rank, role, True))
        for name, title, rank, role in (
            ("王芳", "客户经理", "manager", "account_manager"),
            ("李总", "副总经理", "executive", "executive_sponsor"),
            ("张伟", "销售经理", "manager", "sales_manager"),
        )
    }
    account, _ = ws.accounts.save(
        AccountDetail(
            name="南京钢铁股份有限公司",
            values=[AccountValue("2025", 5_000_000_00, None)],
            team=[TeamAssignment(member, role) for role, member in people.items()],
        )
    )
    tab = PlansTab(ws)
    qtbot.addWidget(tab)
    tab.select_account(account)
    scripted.texts.append("FY2027")
    assert tab.new_plan()
    page = tab.editor.situation
    page.situation_edits["risks"].setPlainText("竞品低价切入（华东工业）\n采购总监明年退休")
    page.situation_edits["asks"].setPlainText("请李总 3 月前拜访对方总经理")
    tab.resize(900, 1400)
    tab.editor.setCurrentIndex(3)
    tab.editor.currentWidget().grab().save("/tmp/shots/22a-plan-situation.png")
    assert tab.save(), tab.error.text()
    plan_id = ws.plans.find(account, "FY2027")
    assert plan_id is not None
    saved = ws.plans.get(plan_id)
    assert saved is not None and saved.situation["risks"] == "竞品低价切入（华东工业）\n采购总监明年退休"
    assert saved.situation["asks"] == "请李总 3 月前拜访对方总经理"
    out = tmp_path / "pack.pdf"
    assert ws.plans.print_pack(plan_id, out)
    front = subprocess.run(
        ["pdftotext", "-layout", "-l", "1", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert (
        "竞品低价切入（华东工业）" in front and "采购总监明年退休" in front and "请李总 3 月前拜访对方总经理" in front
    )
    # The new plan took the team's people: each role prints with the account team as its source.
    for role, name in (("Account manager", "王芳"), ("Executive sponsor", "李总"), ("Sales manager", "张伟")):
        line = next(line for line in front.splitlines() if role in line)
        assert f"{name} (account team)" in line, line


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_a_blank_worksheet_is_previewed_for_an_account_without_a_plan(qtbot, workspace: Workspace, scripted):
    ws = workspace
    ws.clock.fix(TODAY)
    me = ws.team.save(TeamMember(0, "王芳", "客户经理", "销售部", "manager", "account_manager", True))
    account, _ = ws.accounts.save(
        AccountDetail(name="南京钢铁股份有限公司", team=[TeamAssignment(me, "account_manager")])
    )
    tab = PlansTab(ws)
    qtbot.addWidget(tab)
    assert not tab.worksheet_button.isEnabled()  # no account chosen yet
    tab.select_account(account)
    assert tab.worksheet_button.isEnabled() and not tab.print_button.isEnabled()
    dialog = tab.preview_worksheet()
    assert dialog is not None and scripted.dialogs == [dialog]
    assert dialog.suggested_name == "南京钢铁股份有限公司 FY2027 worksheet.pdf"
    text = subprocess.run(["pdftotext", str(dialog.path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Account plan — worksheet" in text and "FY2027" in text and "2027-Q4" in text
    assert "Nothing written yet." not in text
    dialog.close()
