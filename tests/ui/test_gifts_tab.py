"""The Gifts & Visits tab driven like a person: record with approval, plan a festival, plan a dinner."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QComboBox

from kamdesk.domain.contacts import ContactDetail
from kamdesk.domain.gifts import CatalogueItem, GiftPolicy
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.gifts_tab import EntryDialog, GiftsTab, VisitDialog

TODAY = dt.date(2027, 8, 20)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    me = workspace.team.save(TeamMember(0, "Test Person", "客户经理", "", "manager", "account_manager", True))
    account, _ = workspace.accounts.save(AccountDetail(name="中国移动", owner_id=me,
                                                       values=[AccountValue("2026", 1000, None)]))
    workspace.contacts.save(ContactDetail(name="曾国华", account_id=account, rank_tier="owner",
                                          taboos="不收茅台", preferences="爱喝龙井"))
    workspace.contacts.save(ContactDetail(name="单芳", account_id=account, rank_tier="staff"))
    for item in (CatalogueItem("茅台酒", "holiday", 980_00), CatalogueItem("西湖龙井", "holiday", 480_00),
                 CatalogueItem("月饼", "holiday", 188_00)):
        workspace.gifts.save_item(item)
    workspace.gifts.save_policy(GiftPolicy(500_00, 2000_00))
    return workspace


def test_an_over_limit_entry_asks_for_an_approval_then_lands_in_the_register(qtbot, ws: Workspace):
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    assert "Nothing recorded for 2027" in tab.register_totals.text()
    dialog = EntryDialog(ws, None, tab)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("meal"))
    dialog.item_edit.setText('答谢晚宴 =HYPERLINK("x") <b>')
    dialog.value.setValue(800)
    dialog.contact.setCurrentIndex(dialog.contact.findText("曾国华 (中国移动)"))
    assert "needs an approval" in dialog.policy_label.text()
    dialog.accept()
    assert "needs an approval" in dialog.error.text() and ws.gifts.register(2027) == []
    dialog.approved_by.setText("李总")
    dialog.accept()
    assert dialog.result() == EntryDialog.DialogCode.Accepted
    tab.refresh_register()
    model = tab.register_model
    assert model.rowCount() == 1
    assert model.index(0, 3).data() == '答谢晚宴 =HYPERLINK("x") <b>' and model.index(0, 10).data() == "李总"
    taboo = EntryDialog(ws, None, tab)
    qtbot.addWidget(taboo)
    taboo.contact.setCurrentIndex(taboo.contact.findText("曾国华 (中国移动)"))
    taboo.item_edit.setText("茅台酒")
    assert "taboos" in taboo.policy_label.text()


def test_a_festival_plan_is_proposed_adjusted_and_confirmed(qtbot, ws: Workspace):
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    tab.festival.setCurrentIndex(tab.festival.findData("mid_autumn"))
    tab.plan_year.setValue(2027)
    tab.budget.setValue(600)
    assert tab.propose_festival() == 2
    assert "deliver by" in tab.plan_status.text()
    names = [tab.plan_table.item(r, 2).text() for r in range(2)]
    boss = names.index("曾国华")
    gift = tab.plan_table.cellWidget(boss, 6)
    assert isinstance(gift, QComboBox) and gift.currentText().startswith("西湖龙井")  # liked, 茅台 tabooed
    assert "茅台酒" in tab.plan_table.item(boss, 9).text()
    assert tab.budget_label.styleSheet()  # 480 + 188 is over a budget of 600: shown in red
    tab.plan_table.item(1 - boss, 0).setCheckState(Qt.CheckState.Unchecked)
    assert not tab.budget_label.styleSheet()
    assert tab.confirm() == 1
    assert [e.item for e in ws.gifts.register(2027)] == ["西湖龙井"]
    assert tab.register_model.rowCount() == 1


def test_a_dinner_shows_tastes_and_the_ordering_guide_and_refuses_the_past(qtbot, ws: Workspace):
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    dialog = VisitDialog(ws, None, tab)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("meal"))
    dialog.contact.setCurrentIndex(dialog.contact.findData(next(
        r.contact_id for r in ws.gifts.recipients() if r.name == "曾国华")))
    dialog.meal.setChecked(True)
    dialog.headcount.setValue(6)
    assert "爱喝龙井" in dialog.notes.text() and "不收茅台" in dialog.notes.text()
    assert "7 dishes" in dialog.guide.text() and "categories" in dialog.guide.text()
    dialog.when.setDateTime(QDateTime(QDate(2027, 8, 1), QTime(18, 0)))
    dialog.accept()
    assert "past" in dialog.error.text()
    dialog.when.setDateTime(QDateTime(QDate(2027, 8, 26), QTime(18, 30)))
    dialog.purpose.setText("答谢")
    dialog.accept()
    assert dialog.saved_id is not None
    tab.refresh_visits()
    assert tab.visit_table.rowCount() == 1 and tab.visit_table.item(0, 0).text() == "2027-08-26 18:30"


def test_the_register_model_passes_qt_model_checks(qtbot, ws: Workspace, qtmodeltester):
    from kamdesk.domain.gifts import RegisterEntry

    ws.gifts.record(RegisterEntry("everyday", "水果", 80_00, TODAY))
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    qtmodeltester.check(tab.register_model)
    tab.register_table.selectRow(0)
    assert tab._selected_entry() is not None


def test_catalogue_and_policy_edits_are_saved_and_bad_values_refused(qtbot, ws: Workspace):
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    assert tab.catalogue_table.rowCount() == 3
    tab.catalogue_table.item(0, 0).setText("")
    assert not tab.save_catalogue() and "name" in tab.catalogue_error.text()
    tab.refresh_catalogue()
    tab.catalogue_table.item(0, 4).setText("杭州明前")
    assert tab.save_catalogue()
    assert any(c.notes == "杭州明前" for c in ws.gifts.catalogue())
    tab.per_item.setValue(3000)
    tab.per_person.setValue(1000)
    assert not tab.save_policy() and "per item" in tab.policy_error.text()
    tab.per_person.setValue(5000)
    tab.tier_spins[("spring_festival", "C", "staff")].setValue(1)
    tab.customer_text.setText("单件不超过 200 元")
    assert tab.save_policy()
    assert ws.gifts.policy() == GiftPolicy(3000_00, 5000_00)
    assert ws.gifts.tiers()[0]["spring_festival"]["C"]["staff"] == 1
    assert ws.gifts.customer_policy(tab.customer_account.currentData()) == "单件不超过 200 元"


def test_in_the_window_each_page_is_read_when_first_shown(qtbot, ws: Workspace):
    import datetime as dt

    from kamdesk.domain.gifts import Visit

    account, _ = ws.accounts.save(AccountDetail(name="中国移动", values=[AccountValue("2026", 1000, None)]))
    ws.gifts.save_visit(Visit(dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(18, 30)), account_id=account,
                              purpose="答谢"))
    ws.gifts.save_item(CatalogueItem("西湖龙井", "holiday", 30000))
    tab = GiftsTab(ws, background=True)
    qtbot.addWidget(tab)
    assert tab.visit_table.rowCount() == 0  # not read yet: the register page is the one shown
    tab.tabs.setCurrentIndex(2)
    assert tab.visit_table.rowCount() == 1 and tab.visit_table.item(0, 5).text() == "答谢"
    assert tab.catalogue_table.rowCount() == 0
    tab.tabs.setCurrentIndex(3)
    names = [tab.catalogue_table.item(r, 0).text() for r in range(tab.catalogue_table.rowCount())]
    assert "西湖龙井" in names and len(names) == len(ws.gifts.catalogue(include_inactive=True))


def test_the_gift_schedule_is_built_off_the_gui_thread_and_previewed(qtbot, ws: Workspace, scripted):  # noqa: ANN001
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    dialog = tab.print_gift_schedule()
    assert dialog is not None and scripted.dialogs == [dialog]
    assert dialog.path.read_bytes().startswith(b"%PDF") and dialog.document.pageCount() >= 1
    assert dialog.suggested_name == "gift-schedule-2027.pdf"
    folder = dialog.path.parent
    dialog.close()
    qtbot.waitUntil(lambda: not folder.exists())  # no temporary folder left behind


def test_a_schedule_that_cannot_be_written_is_reported_and_leaves_nothing(qtbot, ws: Workspace, scripted,  # noqa: ANN001
                                                                           monkeypatch):
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)

    def fail(_start, _end, _path) -> None:  # noqa: ANN001
        raise OSError("disk full")

    monkeypatch.setattr(ws.gifts, "print_gift_schedule", fail)
    assert tab.print_gift_schedule() is None
    assert scripted.shown == [("warn", "Gift schedule", "disk full")]
