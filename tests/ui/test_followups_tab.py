"""The Follow-ups tab driven like a person: read the agenda, see the person, do, move and plan items."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from kamdesk.domain.contacts import ContactDetail, ContactLink, FamilyMember, PersonalDate
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.domain.plans import ActionStep
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.followup_dialogs import OutreachDialog, PlanData, PlanDialog, RulesDialog
from kamdesk.ui.tabs.followups_tab import FollowUpsTab

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


def _setup(ws: Workspace) -> tuple[int, int, int]:
    account, _ = ws.accounts.save(AccountDetail(name="中国移动", values=[AccountValue("2026", 1000, None)]))
    member = ws.team.save(TeamMember(0, "Test Person", "销售经理", "销售部", "manager", "account_manager", True))
    contact = ws.contacts.save(
        ContactDetail(
            name="曾国华",
            account_id=account,
            rank_tier="owner",
            city="兰州",
            personality_type="rational",
            taboos="不喝白酒 <b>&</b>",
            birthday=PersonalDate("lunar", 1970, 11, 1),
            family=[FamilyMember("李梅", "妻子", PersonalDate("solar", None, 12, 1))],
            links=[ContactLink(member, "good_friend")],
        )
    )
    return account, member, contact


def test_the_agenda_groups_items_and_shows_the_person_beside_them(qtbot, ws: Workspace):
    account, member, contact = _setup(ws)
    for days, subject in ((-2, "逾期的电话"), (0, "今天拜访"), (4, "下周跟进")):
        ws.followups.plan(
            kind="call",
            due_on=TODAY + dt.timedelta(days=days),
            contact_id=contact,
            account_id=account,
            member_id=member,
            subject=subject,
        )
    plan = ws.plans.new(account, "FY2026")
    plan.actions = [
        ActionStep("安排高层互访 <急>", member, deadline=dt.date(2026, 11, 1)),
        ActionStep("已经做完", member, status="done"),
    ]
    ws.plans.save(plan)
    tab = FollowUpsTab(ws)
    qtbot.addWidget(tab)
    assert tab.owner_combo.currentData() == member  # opens on the person using kamdesk
    groups = [row[0].split(" (")[0] for row in tab.rows()]
    assert groups == ["Overdue", "Today", "Coming up"]
    tab.select(tab.tree.topLevelItem(0).child(0).data(0, Qt.ItemDataRole.UserRole + 1))
    text = tab.context_text()
    assert "Rational" in text and "不喝白酒 <b>&</b>" in text and "妻子 李梅" in text
    assert "Birthday of 妻子 李梅" in text  # 1 December, within the next 90 days
    assert "安排高层互访 <急> (FY2026) overdue" in text and "已经做完" not in text  # open plan actions


def test_done_reschedule_and_snooze(qtbot, ws: Workspace, scripted):
    account, member, contact = _setup(ws)
    first = ws.followups.plan(kind="call", due_on=TODAY, contact_id=contact, member_id=member, subject="a")
    second = ws.followups.plan(kind="visit", due_on=TODAY, contact_id=contact, member_id=member, subject="b")
    tab = FollowUpsTab(ws)
    qtbot.addWidget(tab)
    tab.select(first)
    scripted.texts = ["客户同意"]
    tab.mark_done()  # runs off the GUI thread: the agenda shows it gone once it is done
    qtbot.waitUntil(lambda: not tab.select(first) and tab.done_button.isEnabled(), timeout=10_000)
    assert [i.id for i in ws.followups.agenda(member)] == [second]
    tab.select(second)
    tab.snooze(3)
    qtbot.waitUntil(lambda: tab.rows()[0][0].startswith("Coming up"), timeout=10_000)
    assert ws.followups.get(second)[0].due_on == TODAY + dt.timedelta(days=3)


def test_plan_dialog_plans_an_important_email_with_its_follow_ups(qtbot, ws: Workspace):
    _account, member, contact = _setup(ws)
    dialog = PlanDialog(ws, contact_id=contact)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("email"))
    assert not dialog.rules_box.isHidden()
    dialog.subject_edit.setText("报价, 第二版; 请确认")
    dialog.important_check.setChecked(True)
    dialog.reply_check.setChecked(True)
    dialog.accept()
    assert {(i.kind, i.reason) for i in ws.followups.agenda(member)} == {
        ("email", "manual"),
        ("call", "email_follow_up"),
        ("email", "reply_owed"),
    }


def test_an_incoming_call_becomes_a_call_back_tomorrow_in_one_step(qtbot, ws: Workspace):
    _account, member, contact = _setup(ws)
    tab = FollowUpsTab(ws)
    qtbot.addWidget(tab)
    dialogs: list[PlanDialog] = []

    def scripted(call_back: bool = False, data: PlanData | None = None) -> PlanDialog:
        dialog = PlanDialog(ws, tab, contact_id=contact, call_back=call_back, data=data)
        dialog.subject_edit.setText("问交货期 <急> & 🙏")
        dialog.exec = lambda: (dialog.accept(), dialog.result())[1]  # type: ignore[method-assign]  # the person presses OK
        dialogs.append(dialog)
        return dialog

    tab.make_plan_dialog = scripted  # type: ignore[method-assign]
    tab.call_back()  # the team is read off the GUI thread first
    qtbot.waitUntil(lambda: bool(dialogs) and tab.current_id() == dialogs[0].planned_id, timeout=10_000)
    assert dialogs[0].call_back_check.isChecked()
    items = ws.followups.agenda(member)
    assert [(i.kind, i.reason, i.due_on) for i in items] == [("call", "call_back", TODAY + dt.timedelta(days=1))]
    assert "问交货期 <急> & 🙏" in items[0].subject
    assert ws.followups.call_notes(items[0].id)[0]["matter"] == "问交货期 <急> & 🙏"


def test_outreach_dialog_finds_and_plans(qtbot, ws: Workspace):
    _setup(ws)
    dialog = OutreachDialog(ws)
    qtbot.addWidget(dialog)
    dialog.place_edit.setText("兰州")
    dialog.event_edit.setText("洪水")
    dialog.search_now()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)  # found off the GUI thread
    assert dialog.table.item(0, 1).text() == "曾国华"
    dialog.accept()
    assert dialog.planned == 1


def test_rules_dialog_refuses_min_above_max(qtbot, ws: Workspace):
    dialog = RulesDialog(ws)
    qtbot.addWidget(dialog)
    business, low, high = dialog.spins["A"]
    low.setValue(60)
    high.setValue(30)
    dialog.accept()
    assert dialog.error.text() and dialog.result() != dialog.DialogCode.Accepted
    low.setValue(20)
    dialog.accept()
    assert [r for r in ws.followups.rules() if r.account_class == "A"][0].care_min_days == 20


def test_festival_dialog_proposes_tiered_greetings_and_plans_the_ticked_ones(qtbot, ws: Workspace):
    from kamdesk.domain.contacts import StageUpdate
    from kamdesk.ui.dialogs.greeting_plan import ProposalsDialog

    account, member, contact = _setup(ws)
    card = ws.contacts.get(contact)
    card.stage_update = StageUpdate("good_friend", TODAY)
    ws.contacts.save(card)
    other = ws.contacts.save(
        ContactDetail(name="单芳", account_id=account, rank_tier="clerk", stage_update=StageUpdate("acquainted", TODAY))
    )
    ws.contacts.save(ContactDetail(name="陌生人", account_id=account, rank_tier="staff"))  # a stranger: no greeting
    ws.clock.fix(dt.date(2027, 9, 1))
    dialog = ProposalsDialog(ws, "greetings")
    qtbot.addWidget(dialog)
    dialog.festival.setCurrentIndex(dialog.festival.findData("mid_autumn"))
    dialog.year.setValue(2027)
    dialog.propose()
    assert dialog.table.rowCount() == 2
    names = [dialog.table.text(r, 2) for r in range(2)]
    assert "visit" in dialog.table.text(names.index("曾国华"), 6)  # class A owner
    assert "individual" in dialog.table.text(names.index("单芳"), 6)  # class A clerk: by rank, not class alone
    assert "stranger" in dialog.summary.text()
    dialog.table.item(names.index("单芳"), 0).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.table.item(0, 2).flags() & Qt.ItemFlag.ItemIsEditable  # only the greeting is reworded
    dialog.table.item(names.index("曾国华"), 6).setText("登门拜访，送自家做的月饼 <手写贺卡> & 🥮")
    assert ws.followups.agenda(None, days_ahead=30) == []  # nothing written before confirming
    dialog.accept()
    assert dialog.planned == 1
    planned = [i for i in ws.followups.agenda(None, days_ahead=30) if i.reason == "festival"]
    assert [i.contact_id for i in planned] == [contact] and other
    assert planned[0].subject == "登门拜访，送自家做的月饼 <手写贺卡> & 🥮" and planned[0].kind == "visit"


def test_care_dialog_shows_talking_points_and_the_caring_contact(qtbot, ws: Workspace):
    from kamdesk.domain.contacts import StageUpdate
    from kamdesk.domain.followups import ContactEvent
    from kamdesk.ui.dialogs.greeting_plan import ProposalsDialog

    account, member, contact = _setup(ws)
    card = ws.contacts.get(contact)
    card.stage_update = StageUpdate("good_friend", TODAY)
    card.interests = "围棋、爬山"
    ws.contacts.save(card)
    colleague = ws.contacts.save(
        ContactDetail(name="单芳", account_id=account, rank_tier="staff", stage_update=StageUpdate("acquainted", TODAY))
    )
    ws.followups.save_event(ContactEvent(None, colleague, "bereavement", TODAY, None, "母亲病故"))
    dialog = ProposalsDialog(ws, "care")
    qtbot.addWidget(dialog)
    rows = {dialog.table.text(r, 2): r for r in range(dialog.table.rowCount())}
    assert "no business" in dialog.table.text(rows["单芳"], 6)
    dialog.table.setCurrentCell(rows["曾国华"], 1)
    assert "围棋、爬山" in dialog.details.toPlainText()


def test_plan_a_year_from_the_rules_runs_off_the_gui_thread(qtbot, ws: Workspace, scripted, monkeypatch):
    import threading

    _setup(ws)
    gui = threading.get_ident()
    threads: list[int] = []
    generate = ws.followups.generate

    def watched(*args, **kwargs):  # noqa: ANN002, ANN003
        threads.append(threading.get_ident())
        return generate(*args, **kwargs)

    monkeypatch.setattr(ws.followups, "generate", watched)
    tab = FollowUpsTab(ws)
    qtbot.addWidget(tab)
    added = tab.generate_from_rules()
    assert added > 0 and threads and threads[0] != gui
    assert scripted.shown[-1][2] == f"{added} items planned from the rules."
    assert any("曾国华" in " ".join(row) for row in tab.rows())


def _row_objects(tab: FollowUpsTab) -> dict[int, object]:
    return {child.data(0, Qt.ItemDataRole.UserRole + 1): child for _group, child in tab._items()}


def test_done_merges_what_changed_into_the_list_and_goes_on_at_the_next_item(
    qtbot, ws: Workspace, scripted, monkeypatch
):
    """Done on a regular-contact item: the person's next one is planned and shows, the item after it is
    selected, and the rest of the list is neither read again nor made again (issue 24: the whole agenda read
    again cost the large demo 110 ms of a worker's CPU and 2,000 new rows). The list is what a fresh read shows."""
    account, member, contact = _setup(ws)
    other = ws.contacts.save(ContactDetail(name="欧阳娜娜 <i>😀</i>", account_id=account, rank_tier="staff"))
    assert ws.followups.generate(TODAY, TODAY + dt.timedelta(days=365)) >= 1
    for days, subject in ((-1, "报价"), (0, "回电"), (2, "送样")):
        ws.followups.plan(
            kind="call", due_on=TODAY + dt.timedelta(days=days), contact_id=other, member_id=member, subject=subject
        )
    tab = FollowUpsTab(ws)
    qtbot.addWidget(tab)
    tab.horizon_combo.setCurrentIndex(2)  # the next 30 days
    [regular] = [i for i in ws.followups.agenda(member, 31) if i.reason == "cadence" and i.contact_id == contact]
    assert regular.due_on == TODAY  # never touched: due now
    before = _row_objects(tab)
    order = list(before)
    following = order[order.index(regular.id) + 1]
    whole_reads: list[int] = []
    real_agenda = ws.followups.agenda
    monkeypatch.setattr(ws.followups, "agenda", lambda *a, **k: whole_reads.append(1) or real_agenda(*a, **k))
    tab.select(regular.id)
    scripted.texts = ["聊了新报价"]
    tab.mark_done()
    qtbot.waitUntil(lambda: regular.id not in _row_objects(tab) and tab.done_button.isEnabled(), timeout=10_000)
    after = _row_objects(tab)
    assert whole_reads == []
    assert tab.current_id() == following
    # The other person's rows are the same rows, moved; the list is the agenda as a fresh read gives it.
    others = [i.id for i in real_agenda(member, 31) if i.contact_id == other]
    assert len(others) == 3 and all(after[i] is before[i] for i in others)
    fresh = FollowUpsTab(ws)
    qtbot.addWidget(fresh)
    fresh.horizon_combo.setCurrentIndex(2)
    assert tab.rows() == fresh.rows() and tab.count_label.text() == fresh.count_label.text()
    nxt = [i for i in real_agenda(member, 400) if i.reason == "cadence" and i.contact_id == contact]
    assert len(nxt) == 1 and nxt[0].due_on > TODAY  # the rhythm restarted from this touch


def test_an_agenda_cut_at_its_limit_takes_in_nothing_after_its_last_line(qtbot, ws: Workspace, scripted, monkeypatch):
    """Only the first items are shown: an item snoozed past the last line leaves the list, and the list says it
    shows the first ones."""
    from kamdesk.storage import followups as store
    from kamdesk.ui.tabs import followups_tab

    account, member, contact = _setup(ws)
    ids = [
        ws.followups.plan(
            kind="call", due_on=TODAY, contact_id=contact, member_id=member, subject=f"电话 {n}", start_time=f"0{n}:00"
        )
        for n in range(1, 8)
    ]
    real = store.agenda
    monkeypatch.setattr(store, "agenda", lambda session, member_id, until, limit=5: real(session, member_id, until, 5))
    monkeypatch.setattr(followups_tab, "AGENDA_LIMIT", 5)
    tab = FollowUpsTab(ws)
    qtbot.addWidget(tab)
    assert list(_row_objects(tab)) == ids[:5] and "first 5" in tab.count_label.text()
    tab.select(ids[1])
    tab.snooze(1)
    qtbot.waitUntil(lambda: ids[1] not in _row_objects(tab) and tab.snooze_button.isEnabled(), timeout=10_000)
    assert list(_row_objects(tab)) == [ids[0], *ids[2:5]] and "first 4" in tab.count_label.text()
    assert tab.current_id() == ids[2]
