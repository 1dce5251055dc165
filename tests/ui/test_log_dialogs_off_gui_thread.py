"""Logging from the account page runs no SQL on the GUI thread (issue 24: on a file server over a VPN every
statement there freezes the window for a transaction's requests). The call and e-mail dialog opens from a read in
the thread pool, its person chooser searches in the pool as the person types, its OK saves in the pool; a link
dragged on the org map is written in the pool; the outreach search and the contact rules save there too."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from test_dialogs_background import Shown
from test_gift_dialogs_background import _type

from kamdesk.domain.contacts import ContactDetail
from kamdesk.domain.followups import AgendaItem
from kamdesk.domain.models import AccountDetail, AccountValue, TeamAssignment, TeamMember
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.followup_dialogs import OutreachDialog, PlanDialog, RulesDialog
from kamdesk.ui.tabs.account_view.tab import AccountViewTab

TODAY = dt.date(2027, 3, 16)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


def _build(ws: Workspace) -> dict[str, int]:
    me = ws.team.save(TeamMember(0, "Test Person", "客户经理", "销售部", "manager", "account_manager", True))
    boss = ws.team.save(TeamMember(0, "王建国", "总经理", "", "owner", "executive_sponsor", True))
    port, _ = ws.accounts.save(
        AccountDetail(
            name="宁波港务集团",
            city="宁波",
            values=[AccountValue("2026", 60_000_000, None)],
            owner_id=me,
            team=[TeamAssignment(me, "account_manager"), TeamAssignment(boss, "executive_sponsor")],
        )
    )
    fish, _ = ws.accounts.save(AccountDetail(name="舟山渔业公司", values=[AccountValue("2026", 1_000_000, None)]))
    chen = ws.contacts.save(ContactDetail(name="陈立新", account_id=port, title="采购总监", rank_tier="manager"))
    li = ws.contacts.save(ContactDetail(name="李明", account_id=port, title="设备部经理", city="兰州"))
    wang = ws.contacts.save(ContactDetail(name="王芳", account_id=fish, title="总经理"))
    return {"me": me, "boss": boss, "port": port, "fish": fish, "chen": chen, "li": li, "wang": wang}


def _ok(dialog: QWidget) -> QWidget:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    return buttons.button(QDialogButtonBox.StandardButton.Ok) or buttons.button(QDialogButtonBox.StandardButton.Save)


def _offered(dialog: PlanDialog) -> list[str]:
    return [dialog.picker.results.item(i).text() for i in range(dialog.picker.results.count())]


def _planned(ws: Workspace, activity_id: int | None) -> AgendaItem:
    assert activity_id is not None
    found = ws.followups.get(activity_id)
    assert found is not None
    return found[0]


def _page(ws: Workspace, qtbot, account_id: int) -> AccountViewTab:  # noqa: ANN001
    page = AccountViewTab(ws, background=True)  # as the window builds it (ui/tabs/registry.py)
    qtbot.addWidget(page)
    page.show_account(account_id)
    qtbot.waitUntil(lambda: page.view is not None and page.view.account_id == account_id, timeout=10_000)
    return page


def test_a_call_planned_from_the_account_page_for_the_person_typed_runs_no_sql_on_the_gui_thread(
    ws, qtbot, monkeypatch, gui_thread_sql
):
    ids = _build(ws)
    page = _page(ws, qtbot, ids["port"])
    shown = Shown(monkeypatch, PlanDialog)
    with gui_thread_sql.watching():
        page.followups.plan_button.click()  # "Plan a follow-up…": nobody chosen in the people list
        qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
        dialog = shown.dialogs[0]
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.kind_combo.currentData() == "call" and dialog.fixed_contact is None
        assert dialog.picker.search.text() == "宁波港务集团"
        assert sorted(_offered(dialog)) == ["李明 — 宁波港务集团", "陈立新 — 宁波港务集团"]  # the account's people
        assert dialog.member_combo.currentData() == ids["me"]
        dialog.picker.search.clear()
        _type(dialog.picker.search, "李明")
        qtbot.waitUntil(lambda: _offered(dialog) == ["李明 — 宁波港务集团"], timeout=10_000)
        dialog.subject_edit.setText("确认设备招标时间")
        dialog.due_edit.setDate(dialog.due_edit.date().addDays(2))
        _ok(dialog).click()
        assert dialog.planned_id is not None  # OK returns once the plan is saved
        qtbot.waitUntil(
            lambda: page.view is not None and any(f.subject == "确认设备招标时间" for f in page.view.open_followups),
            timeout=10_000,
        )  # the page shows it after its own refresh
    assert gui_thread_sql.sites == []
    item = _planned(ws, dialog.planned_id)
    assert (item.kind, item.contact_id, item.account_id, item.member_id) == ("call", ids["li"], ids["port"], ids["me"])
    assert item.due_on == TODAY + dt.timedelta(days=2) and item.subject == "确认设备招标时间"


def test_an_email_for_the_person_selected_on_the_page_runs_no_sql_on_the_gui_thread(
    ws, qtbot, monkeypatch, gui_thread_sql
):
    ids = _build(ws)
    page = _page(ws, qtbot, ids["port"])
    tree = page.people.tree
    chen = next(
        tree.topLevelItem(i) for i in range(tree.topLevelItemCount()) if "陈立新" in tree.topLevelItem(i).text(0)
    )
    shown = Shown(monkeypatch, PlanDialog)
    with gui_thread_sql.watching():
        tree.setCurrentItem(chen)
        page.timeline.buttons["email"].click()
        qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
        dialog = shown.dialogs[0]
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.fixed_contact == ids["chen"] and dialog.kind_combo.currentData() == "email"
        dialog.subject_edit.setText("报价第二版")
        dialog.important_check.setChecked(True)
        _ok(dialog).click()
        assert dialog.planned_id is not None
    assert gui_thread_sql.sites == []
    item = _planned(ws, dialog.planned_id)
    assert (item.kind, item.contact_id, item.account_id, item.due_on) == ("email", ids["chen"], ids["port"], TODAY)
    calls = [i for i in ws.followups.agenda(ids["me"]) if i.reason == "email_follow_up"]
    assert [(c.kind, c.contact_id) for c in calls] == [("call", ids["chen"])]  # the important e-mail's call


def test_ok_pressed_before_the_matches_came_plans_for_the_person_typed(ws, qtbot, monkeypatch, gui_thread_sql):
    ids = _build(ws)
    page = _page(ws, qtbot, ids["port"])
    shown = Shown(monkeypatch, PlanDialog)
    with gui_thread_sql.watching():
        page.followups.plan_button.click()
        qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
        dialog = shown.dialogs[0]
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.picker.search.clear()
        _type(dialog.picker.search, "王芳")  # someone of another account, typed quickly
        assert dialog.picker.searching() and dialog.picker.contact_id() is None  # no person of older text
        _ok(dialog).click()  # at once, before the search ran
        assert dialog.planned_id is not None and dialog.error.text() == ""
    assert gui_thread_sql.sites == []
    item = _planned(ws, dialog.planned_id)
    assert (item.contact_id, item.account_id) == (ids["wang"], ids["fish"])  # their own company, read at OK


def test_ok_pressed_twice_while_saving_plans_once(ws, qtbot, monkeypatch, gui_thread_sql):
    ids = _build(ws)
    page = _page(ws, qtbot, ids["port"])
    tree = page.people.tree
    tree.setCurrentItem(tree.topLevelItem(0))
    shown = Shown(monkeypatch, PlanDialog)
    real = ws.followups.plan

    def slow_plan(**values):  # noqa: ANN003, ANN202 - a busy file server
        time.sleep(0.4)
        return real(**values)

    monkeypatch.setattr(ws.followups, "plan", slow_plan)
    with gui_thread_sql.watching():
        page.log("call")
        qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
        dialog = shown.dialogs[0]
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.subject_edit.setText("约见面")
        ok = _ok(dialog)
        QTimer.singleShot(100, ok.click)  # pressed again while the first is on its way
        QTimer.singleShot(150, dialog.reject)  # and Esc: it closes once saved, not before
        ok.click()
        qtbot.wait(300)
    assert gui_thread_sql.sites == []
    assert dialog.result() == dialog.DialogCode.Accepted
    assert [i.subject for i in ws.followups.agenda(ids["me"])].count("约见面") == 1


def test_a_second_request_while_the_dialog_is_being_read_opens_one_dialog(ws, qtbot, monkeypatch):
    ids = _build(ws)
    page = _page(ws, qtbot, ids["port"])
    shown = Shown(monkeypatch, PlanDialog)
    page.log("call")
    page.log("email")  # pressed while the first is read: ignored
    qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=10_000)
    qtbot.wait(100)
    assert len(shown.dialogs) == 1 and shown.dialogs[0].kind_combo.currentData() == "call"
    qtbot.addWidget(shown.dialogs[0])


def test_an_older_search_answer_arriving_late_is_dropped(ws, qtbot, gui_thread_sql):
    _build(ws)
    dialog = PlanDialog(ws)
    qtbot.addWidget(dialog)
    with gui_thread_sql.watching():
        dialog.picker.search.setText("陈立新")
        dialog.picker.search_now()
        dialog.picker.search.setText("王芳")
        dialog.picker.search_now()
        qtbot.waitUntil(lambda: not dialog.picker.searching(), timeout=10_000)
        qtbot.wait(100)
    assert gui_thread_sql.sites == []
    assert _offered(dialog) == ["王芳 — 舟山渔业公司"]


def test_a_link_dragged_on_the_org_map_is_written_off_the_gui_thread(ws, qtbot, gui_thread_sql):
    ids = _build(ws)
    page = _page(ws, qtbot, ids["port"])
    assert page.view is not None and page.view.org_map is not None
    assert page.view.org_map[0].links == ()
    with gui_thread_sql.watching():
        page.map_view.link_requested.emit(ids["boss"], ids["chen"])
        page.map_view.link_requested.emit(ids["boss"], ids["chen"])  # dropped twice while the first is written
        qtbot.waitUntil(
            lambda: page.view is not None and page.view.org_map is not None and bool(page.view.org_map[0].links),
            timeout=10_000,
        )
    assert gui_thread_sql.sites == []
    assert page.view.org_map is not None
    assert [(link.member_id, link.contact_id) for link in page.view.org_map[0].links] == [(ids["boss"], ids["chen"])]


def test_outreach_finds_people_and_plans_greetings_off_the_gui_thread(ws, qtbot, gui_thread_sql):
    ids = _build(ws)
    with gui_thread_sql.watching():
        dialog = OutreachDialog(ws)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.place_edit.setText("兰州")
        dialog.event_edit.setText("暴雨")
        find = next(b for b in dialog.findChildren(QWidget) if b.property("text") == "Find people")
        find.click()
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
        assert dialog.table.item(0, 1).text() == "李明"
        _ok(dialog).click()
        assert dialog.planned == 1
    assert gui_thread_sql.sites == []
    greetings = [i for i in ws.followups.agenda(None) if i.contact_id == ids["li"]]
    assert len(greetings) == 1 and greetings[0].due_on == TODAY


def test_a_place_nobody_is_from_or_an_unknown_one_says_so_without_sql_on_the_gui_thread(ws, qtbot, gui_thread_sql):
    _build(ws)
    dialog = OutreachDialog(ws)
    qtbot.addWidget(dialog)
    with gui_thread_sql.watching():
        dialog.place_edit.setText("天水")
        dialog.search_now()
        qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=10_000)
        nobody = dialog.error.text()
        dialog.place_edit.setText("Atlantis")
        dialog.search_now()
        qtbot.waitUntil(lambda: dialog.error.text() not in ("", nobody), timeout=10_000)
    assert gui_thread_sql.sites == []
    assert nobody == "Nobody lives in or comes from there." and dialog.table.rowCount() == 0
    _ok(dialog).click()
    assert dialog.error.text() == "Find and tick the people to greet first." and dialog.planned == 0


def test_the_contact_rules_built_from_rules_read_beforehand_save_off_the_gui_thread(ws, qtbot, gui_thread_sql):
    rules = ws.followups.rules()  # read in the pool by whoever opens it
    with gui_thread_sql.watching():
        dialog = RulesDialog(ws, rules=rules)
        qtbot.addWidget(dialog)
        _business, low, high = dialog.spins["B"]
        low.setValue(40)
        high.setValue(20)
        _ok(dialog).click()
        refused = dialog.error.text()
        high.setValue(70)
        _ok(dialog).click()
    assert gui_thread_sql.sites == []
    assert refused and dialog.result() == dialog.DialogCode.Accepted
    saved = next(r for r in ws.followups.rules() if r.account_class == "B" and r.rank_tier is None)
    assert (saved.care_min_days, saved.care_max_days) == (40, 70)


def test_open_the_account_from_the_contact_list_reads_the_company_off_the_gui_thread(ws, qtbot, gui_thread_sql):
    from kamdesk.ui.tabs.contacts_tab import ContactsTab

    ids = _build(ws)
    tab = ContactsTab(ws, background=True)  # as the window builds it
    qtbot.addWidget(tab)
    page = tab.contacts_page
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    row = next(r for r in range(page.model.rowCount()) if page.model.data(page.model.index(r, 0)) == "王芳")
    page.table.selectRow(row)
    action = next(a for a in page.table.actions() if a.text() == "Open the account")
    opened: list[int] = []
    tab.account_requested.connect(opened.append)
    with gui_thread_sql.watching():
        action.trigger()  # right-click, "Open the account"
        qtbot.waitUntil(lambda: opened != [], timeout=10_000)
    assert gui_thread_sql.sites == []
    assert opened == [ids["fish"]]


def test_a_busy_file_while_searching_or_saving_says_so_and_keeps_the_dialog_open(ws, qtbot, monkeypatch, scripted):
    from kamdesk.services.errors import StorageError

    ids = _build(ws)
    dialog = PlanDialog(ws)
    qtbot.addWidget(dialog)
    busy = StorageError("The team file is busy: someone else is saving.")
    real_page = ws.contacts.first_page

    def busy_page(*_args):  # noqa: ANN002, ANN202
        raise busy

    monkeypatch.setattr(ws.contacts, "first_page", busy_page)
    dialog.picker.search.setText("陈立新")
    qtbot.waitUntil(lambda: not dialog.picker.searching(), timeout=10_000)
    assert _offered(dialog) == [str(busy)] and dialog.picker.contact_id() is None  # said, nobody to pick
    dialog.accept()
    assert dialog.error.text() == "Choose the person this is with." and dialog.planned_id is None
    monkeypatch.setattr(ws.contacts, "first_page", real_page)
    dialog.picker.search_now()  # searched again once the file is free
    qtbot.waitUntil(lambda: dialog.picker.contact_id() == ids["chen"], timeout=10_000)

    def busy_plan(**_values):  # noqa: ANN003, ANN202
        raise busy

    monkeypatch.setattr(ws.followups, "plan", busy_plan)
    dialog.accept()
    assert [(kind, title) for kind, title, _text in scripted.shown] == [("warn", "Not planned")]
    assert dialog.planned_id is None and dialog.result() != dialog.DialogCode.Accepted
    assert dialog.picker.contact_id() == ids["chen"]  # everything chosen is still there to try again


def test_ok_pressed_twice_while_the_matches_are_read_plans_once(ws, qtbot, monkeypatch, gui_thread_sql):
    ids = _build(ws)
    dialog = PlanDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    real = ws.contacts.first_page

    def slow_page(*args):  # noqa: ANN002, ANN202 - a busy file server
        time.sleep(0.4)
        return real(*args)

    monkeypatch.setattr(ws.contacts, "first_page", slow_page)
    with gui_thread_sql.watching():
        _type(dialog.picker.search, "王芳")
        dialog.subject_edit.setText("问鱼汛")
        ok = _ok(dialog)
        QTimer.singleShot(100, ok.click)  # pressed again while the matches of the name are read
        ok.click()
        qtbot.wait(600)
    assert gui_thread_sql.sites == []
    assert dialog.result() == dialog.DialogCode.Accepted
    planned = [i for i in ws.followups.agenda(ids["me"]) if i.subject == "问鱼汛"]
    assert [(i.contact_id, i.account_id) for i in planned] == [(ids["wang"], ids["fish"])]
