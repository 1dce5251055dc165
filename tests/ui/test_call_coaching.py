"""Call preparation and review as a salesperson uses it: roomy fields, coaching beside them, last lessons."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from kamdesk.domain.contacts import ContactDetail
from kamdesk.domain.models import AccountDetail, TeamMember
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.call_coaching import PREP_LABELS, REVIEW_LABELS, call_notes_data
from kamdesk.ui.dialogs.followup_dialogs import CallNotesDialog, PlanDialog
from kamdesk.ui.tabs.followups_tab import FollowUpsTab

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


def _people(ws: Workspace) -> tuple[int, int, int, int]:
    account, _ = ws.accounts.save(AccountDetail(name="中国移动"))
    colleague = ws.team.save(TeamMember(0, "李强", "销售", "销售部", "staff", "sales", True))
    mine = [m.id for m in ws.team.members() if m.name == ws.user_name]  # a new file may already list its creator
    me = mine[0] if mine else ws.team.save(TeamMember(0, ws.user_name, "销售经理", "销售部", "manager", "sales", True))
    zeng = ws.contacts.save(ContactDetail(name="曾国华", account_id=account, personality_type="difficult"))
    return account, colleague, me, zeng


def test_the_next_call_with_the_same_person_shows_the_last_lessons_and_the_coaching(qtbot, ws: Workspace):
    account, colleague, me, zeng = _people(ws)
    other = ws.contacts.save(ContactDetail(name="王建国", account_id=account))
    earlier = ws.followups.plan(
        kind="call", due_on=TODAY, contact_id=zeng, account_id=account, member_id=colleague, subject="报价"
    )
    ws.followups.complete(earlier, 1, "谈了价格")
    version = ws.followups.get(earlier)[1]
    ws.followups.save_call_notes(
        earlier, version, {}, {"lessons": "先确认签字流程再谈交期 <重要>", "missed": "没提年度框架协议"}, ""
    )
    elsewhere = ws.followups.plan(kind="call", due_on=TODAY, contact_id=other, member_id=me, subject="别的客户")
    ws.followups.save_call_notes(elsewhere, 1, {}, {"lessons": "与曾国华无关的教训"}, "")
    nxt = ws.followups.plan(
        kind="call", due_on=TODAY + dt.timedelta(days=7), contact_id=zeng, account_id=account, member_id=me
    )
    tab = FollowUpsTab(ws)
    qtbot.addWidget(tab)
    data = call_notes_data(ws, nxt)  # what the agenda reads off the GUI thread before opening it
    assert data is not None
    dialog = tab.make_call_notes_dialog(data)  # the way the agenda opens it
    qtbot.addWidget(dialog)
    assert isinstance(dialog, CallNotesDialog)
    side = dialog.side_text()
    assert "先确认签字流程再谈交期 <重要>" in side and "没提年度框架协议" in side and "李强" in side
    assert "与曾国华无关的教训" not in side
    assert "Difficult" in side  # the personality advice beside the form
    assert "Say the opening and the key sentence out loud once before you dial." in side  # seed 000, before
    assert "promise nothing you have not checked" in side  # seed 003, caring for a customer
    dialog.phases.setCurrentIndex(2)
    side = dialog.side_text()
    assert "Which opening did they give that you did not take?" in side
    assert "Admit it and put it right" in side
    assert "曾国华" in dialog.windowTitle()


def test_fields_are_multi_line_and_the_dialog_is_roomy_but_fits_a_laptop(qtbot, ws: Workspace):
    account, _colleague, me, zeng = _people(ws)
    call = ws.followups.plan(kind="call", due_on=TODAY, contact_id=zeng, account_id=account, member_id=me)
    dialog = CallNotesDialog(ws, call, "difficult")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert all(isinstance(e, QPlainTextEdit) for e in [*dialog.prep_edits.values(), *dialog.review_edits.values()])
    assert set(dialog.prep_edits) == set(PREP_LABELS) and set(dialog.review_edits) == set(REVIEW_LABELS)
    assert all(e.minimumHeight() >= 2 * e.fontMetrics().lineSpacing() for e in dialog.prep_edits.values())
    assert 640 <= dialog.width() <= 1366 and dialog.height() <= 768
    assert dialog.minimumSizeHint().width() <= 1366 and dialog.minimumSizeHint().height() <= 768
    assert dialog.side.isVisible() and dialog.side.width() >= 250
    dialog.prep_edits["matter"].setPlainText("问交期\n再确认价格")
    dialog.review_edits["lessons"].setPlainText("下次先发邮件")
    dialog.accept()
    prep, review, _notes = ws.followups.call_notes(call)
    assert prep == {"matter": "问交期\n再确认价格"} and review == {"lessons": "下次先发邮件"}


def test_our_person_defaults_to_the_user_not_the_first_colleague(qtbot, ws: Workspace):
    _account, colleague, me, zeng = _people(ws)
    dialog = PlanDialog(ws, contact_id=zeng)
    qtbot.addWidget(dialog)
    assert 0 <= dialog.member_combo.findData(colleague) < dialog.member_combo.findData(me)  # 李强 is listed first…
    assert dialog.member_combo.currentData() == me  # the user plans for themselves, not the colleague
    ws.set_user_name("Someone New")
    fresh = PlanDialog(ws, contact_id=zeng)
    qtbot.addWidget(fresh)
    assert fresh.member_combo.currentIndex() == 0  # nobody of that name: the list's first, as before


def test_nothing_is_clipped_with_longer_words(qtbot, ws: Workspace, monkeypatch: pytest.MonkeyPatch):
    from test_pseudo_translation import clipped_on_every_page, pseudo

    from kamdesk import i18n

    source = i18n.load_catalog("zh_CN")
    monkeypatch.setattr(i18n, "_catalog", {msgid: pseudo(msgid) for msgid in source})
    account, _colleague, me, zeng = _people(ws)
    call = ws.followups.plan(kind="call", due_on=TODAY, contact_id=zeng, account_id=account, member_id=me)
    dialog = CallNotesDialog(ws, call, "difficult")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert "Çàll" in dialog.windowTitle()  # the pseudo language is in use
    assert clipped_on_every_page(dialog) == []
