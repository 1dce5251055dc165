"""The Gifts & Visits tab as the window builds it runs no SQL on the GUI thread (issue 24): the entry dialog's
policy check, the visit dialog's tastes and ordering guide, their saves, deleting and marking register entries,
saving the catalogue and the policy, and proposing and confirming a plan all read and write in the thread pool."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime, QTimer
from test_dialogs_background import Shown
from test_gifts_tab import TODAY, gift_desk

from kamdesk.domain.gifts import RegisterEntry, Visit
from kamdesk.domain.models import AccountDetail, AccountValue
from kamdesk.services.workspace import Workspace
from kamdesk.ui import formatting
from kamdesk.ui.tabs.gifts.catalogue_page import NAME, STORY
from kamdesk.ui.tabs.gifts.dialogs.entry_dialog import EntryDialog
from kamdesk.ui.tabs.gifts.dialogs.visit_dialog import VisitDialog
from kamdesk.ui.tabs.gifts.plan_page import ITEM, PERSON
from kamdesk.ui.tabs.gifts.tab import GiftsTab

WAIT = 10_000
CUSTOMER_RULE = "礼品超过200元须向公司申报"


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    mobile = gift_desk(workspace)  # the Gifts tab tests' desk, with a second customer and 中国移动's own rule
    me = workspace.team.members()[0].id
    workspace.accounts.save(AccountDetail(name="华润置地", owner_id=me, values=[AccountValue("2026", 800, None)]))
    workspace.gifts.save_customer_policy(mobile, CUSTOMER_RULE)
    return workspace


def _person(ws: Workspace, name: str) -> tuple[int, int | None]:
    found = next(r for r in ws.gifts.recipients() if r.name == name)
    return found.contact_id, found.account_id


def _tab(qtbot, ws: Workspace) -> GiftsTab:  # noqa: ANN001
    """The tab as the window builds it, its register read."""
    tab = GiftsTab(ws, background=True)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: bool(tab.register_page.totals.text()), timeout=WAIT)
    return tab


def test_the_entry_dialog_warns_over_the_limits_and_saves_with_the_approver_off_the_gui_thread(
    qtbot,
    ws: Workspace,
    monkeypatch,
    gui_thread_sql,  # noqa: ANN001
):
    boss, account = _person(ws, "曾国华")
    ws.gifts.record(RegisterEntry("holiday", "月饼", 188_00, TODAY - dt.timedelta(days=30), contact_id=boss))
    tab = _tab(qtbot, ws)
    shown = Shown(monkeypatch, EntryDialog)
    with gui_thread_sql.watching():
        assert tab.register_page.add_entry()
        qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=WAIT)
        dialog = shown.dialogs[0]
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.kind.setCurrentIndex(dialog.kind.findData("meal"))
        dialog.item_edit.setText("答谢晚宴")
        dialog.value.setValue(800)
        dialog.contact.setCurrentIndex(dialog.contact.findText("曾国华 (中国移动)"))
        qtbot.waitUntil(lambda: "needs an approval" in dialog.policy_label.text(), timeout=WAIT)
        label = dialog.policy_label.text()
        assert formatting.money(988_00) in label  # 188 already given this year, and the 800 of this dinner
        assert CUSTOMER_RULE in label and dialog.policy_label.styleSheet()
        dialog.accept()  # no approver named: the save refuses it
        assert "needs an approval" in dialog.error.text() and dialog.result() != EntryDialog.DialogCode.Accepted
        dialog.approved_by.setText("李总")
        dialog.accept()
        assert dialog.result() == EntryDialog.DialogCode.Accepted
    assert gui_thread_sql.sites == []
    saved = ws.gifts.get(dialog.saved_id)  # type: ignore[arg-type]
    assert saved is not None and saved.approved_by == "李总" and saved.value_cents == 800_00
    assert saved.contact_id == boss and saved.account_id == account


def test_the_entry_dialog_opens_showing_its_warning_and_warns_of_a_taboo_off_the_gui_thread(
    qtbot,
    ws: Workspace,
    monkeypatch,
    gui_thread_sql,  # noqa: ANN001
):
    boss, account = _person(ws, "曾国华")
    ws.gifts.record(
        RegisterEntry("holiday", "西湖龙井", 980_00, TODAY, contact_id=boss, account_id=account, approved_by="李总")
    )
    tab = _tab(qtbot, ws)
    page = tab.register_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    page.table.selectRow(0)
    shown = Shown(monkeypatch, EntryDialog)
    with gui_thread_sql.watching():
        assert page.edit_entry()
        qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=WAIT)
        dialog = shown.dialogs[0]
        qtbot.addWidget(dialog)
        # The first answer came with what was read for the dialog: it shows as the dialog opens.
        assert "needs an approval" in dialog.policy_label.text() and CUSTOMER_RULE in dialog.policy_label.text()
        dialog.item_edit.setText("茅台酒")
        qtbot.waitUntil(lambda: "taboos" in dialog.policy_label.text(), timeout=WAIT)
        assert "不收茅台" in dialog.policy_label.text()
        dialog.value.setValue(300)
        qtbot.waitUntil(lambda: "needs an approval" not in dialog.policy_label.text(), timeout=WAIT)
        assert "taboos" in dialog.policy_label.text()
    assert gui_thread_sql.sites == []


def test_the_visit_dialog_shows_tastes_and_the_guide_and_saves_off_the_gui_thread(
    qtbot,
    ws: Workspace,
    monkeypatch,
    gui_thread_sql,  # noqa: ANN001
):
    boss, account = _person(ws, "曾国华")
    tab = _tab(qtbot, ws)
    page = tab.visits_page
    shown = Shown(monkeypatch, VisitDialog)
    with gui_thread_sql.watching():
        tab.tabs.setCurrentIndex(2)
        qtbot.waitUntil(lambda: bool(page.empty.text()), timeout=WAIT)
        assert page.new_visit()
        qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=WAIT)
        dialog = shown.dialogs[0]
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.kind.setCurrentIndex(dialog.kind.findData("meal"))
        dialog.account.setCurrentIndex(dialog.account.findData(account))
        dialog.contact.setCurrentIndex(dialog.contact.findData(boss))
        dialog.meal.setChecked(True)
        dialog.headcount.setValue(6)
        qtbot.waitUntil(lambda: "爱喝龙井" in dialog.notes.text() and "7 dishes" in dialog.guide.text(), timeout=WAIT)
        assert "不收茅台" in dialog.notes.text() and "soup" not in dialog.guide.text()
        dialog.place.setText("广州 白天鹅宾馆")
        dialog.staple.setCurrentIndex(dialog.staple.findData("rice"))
        qtbot.waitUntil(lambda: "small soup" in dialog.guide.text(), timeout=WAIT)
        assert "go well with rice" in dialog.guide.text()
        dialog.when.setDateTime(QDateTime(QDate(2027, 8, 26), QTime(18, 30)))
        dialog.purpose.setText("答谢")
        dialog.accept()
        assert dialog.result() == VisitDialog.DialogCode.Accepted and dialog.saved_id is not None
    assert gui_thread_sql.sites == []
    saved = ws.gifts.get_visit(dialog.saved_id)
    assert saved is not None and saved.purpose == "答谢" and saved.contact_id == boss
    assert saved.starts_at == dt.datetime(2027, 8, 26, 18, 30)


@pytest.mark.parametrize("status", ["declined", "returned"])
def test_marking_and_deleting_a_register_entry_run_off_the_gui_thread(
    qtbot,
    ws: Workspace,
    scripted,
    gui_thread_sql,
    status,  # noqa: ANN001
):
    boss, _account = _person(ws, "曾国华")
    entry_id = ws.gifts.record(RegisterEntry("holiday", "西湖龙井", 480_00, TODAY, contact_id=boss))
    tab = _tab(qtbot, ws)
    page = tab.register_page
    said: list[object] = []
    tab.changed.connect(said.append)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    label = {"declined": "Declined", "returned": "Returned"}[status]
    with gui_thread_sql.watching():
        page.table.selectRow(0)
        assert page.mark(status)
        qtbot.waitUntil(
            lambda: label in [page.model.index(0, c).data() for c in range(page.model.columnCount())], timeout=WAIT
        )
    assert gui_thread_sql.sites == []
    marked = ws.gifts.get(entry_id)
    assert marked is not None and marked.status == status
    with gui_thread_sql.watching():
        page.table.selectRow(0)
        scripted.yes_no = [True]
        assert page.delete_entry()
        qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=WAIT)
    assert gui_thread_sql.sites == []
    assert ws.gifts.register(2027) == [] and said == [GiftsTab.WRITES, GiftsTab.WRITES]


def test_the_catalogue_and_the_policy_are_saved_off_the_gui_thread(qtbot, ws: Workspace, gui_thread_sql):  # noqa: ANN001
    _boss, mobile = _person(ws, "曾国华")
    other = next(a for a, name in ws.contacts.account_choices() if name == "华润置地")
    tab = _tab(qtbot, ws)
    catalogue, policy = tab.catalogue_page, tab.policy_page
    with gui_thread_sql.watching():
        tab.tabs.setCurrentIndex(3)
        qtbot.waitUntil(lambda: catalogue.table.rowCount() == 3, timeout=WAIT)
        row = next(r for r in range(3) if catalogue.table.item(r, NAME).text() == "西湖龙井")
        catalogue.table.item(row, STORY).setText("杭州明前")
        assert catalogue.save()
        tab.tabs.setCurrentIndex(4)
        qtbot.waitUntil(lambda: policy.per_item.value() == 500 and policy.customer_account.count() == 2, timeout=WAIT)
        policy.customer_account.setCurrentIndex(policy.customer_account.findData(mobile))
        qtbot.waitUntil(lambda: policy.customer_text.text() == CUSTOMER_RULE, timeout=WAIT)
        policy.customer_account.setCurrentIndex(policy.customer_account.findData(other))
        qtbot.waitUntil(lambda: policy.customer_text.text() == "" and policy.customer_text.isEnabled(), timeout=WAIT)
        policy.customer_text.setText("不收礼")
        policy.per_item.setValue(600)
        assert policy.save()
    assert gui_thread_sql.sites == []
    assert next(c for c in ws.gifts.catalogue() if c.item == "西湖龙井").notes == "杭州明前"
    assert ws.gifts.policy().per_item_cents == 600_00
    assert ws.gifts.customer_policy(other) == "不收礼" and ws.gifts.customer_policy(mobile) == CUSTOMER_RULE


def test_a_festival_plan_is_proposed_and_confirmed_off_the_gui_thread(qtbot, ws: Workspace, gui_thread_sql):  # noqa: ANN001
    tab = _tab(qtbot, ws)
    page = tab.plan_page
    with gui_thread_sql.watching():
        tab.tabs.setCurrentIndex(1)
        page.festival.setCurrentIndex(page.festival.findData("mid_autumn"))
        page.year.setValue(2027)
        page.budget.setValue(0)
        assert page.propose_festival() == 2
        boss = [page.table.item(r, PERSON).text() for r in range(2)].index("曾国华")
        assert page.table.cellWidget(boss, ITEM).currentText().startswith("西湖龙井")
        assert page.confirm() == 2
        qtbot.waitUntil(lambda: tab.register_page.model.rowCount() == 2, timeout=WAIT)
    assert gui_thread_sql.sites == []
    assert sorted(e.item for e in ws.gifts.register(2027)) == ["月饼", "西湖龙井"]


class Gate:
    """Wraps a service method: the first call waits until released (an answer slow to come back)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> None:
        self.real = getattr(owner, name)
        self.release = threading.Event()
        self.calls = 0
        monkeypatch.setattr(owner, name, self)

    def __call__(self, *args: object) -> object:
        self.calls += 1
        if self.calls == 1:
            assert self.release.wait(10)
        return self.real(*args)


def test_an_answer_to_an_older_edit_is_dropped(qtbot, ws: Workspace, monkeypatch):  # noqa: ANN001
    tab = _tab(qtbot, ws)
    shown = Shown(monkeypatch, EntryDialog)
    assert tab.register_page.add_entry()
    qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=WAIT)
    dialog = shown.dialogs[0]
    qtbot.addWidget(dialog)
    qtbot.wait(100)  # the dialog's first answer has landed
    check = Gate(monkeypatch, ws.gifts, "check")
    dialog.contact.setCurrentIndex(dialog.contact.findText("曾国华 (中国移动)"))
    dialog.value.setValue(800)  # over the limit per item: this answer is held back
    qtbot.waitUntil(lambda: check.calls == 1, timeout=WAIT)
    dialog.value.setValue(300)  # within the limits: asked again, answered at once
    qtbot.waitUntil(lambda: formatting.money(300_00) in dialog.policy_label.text(), timeout=WAIT)
    check.release.set()  # the older answer lands now, and is dropped
    qtbot.wait(300)
    assert "needs an approval" not in dialog.policy_label.text()
    assert formatting.money(300_00) in dialog.policy_label.text() and not dialog.policy_label.styleSheet()


def test_a_visit_opens_with_its_tastes_and_guide_read_with_it(qtbot, ws: Workspace, monkeypatch, gui_thread_sql):  # noqa: ANN001
    boss, account = _person(ws, "曾国华")
    when = dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(18, 30))
    ws.gifts.save_visit(
        Visit(when, "meal", account_id=account, contact_id=boss, purpose="答谢", plan_meal=True, headcount=4)
    )
    tab = _tab(qtbot, ws)
    page = tab.visits_page
    tab.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT)
    page.table.setCurrentCell(0, 0)
    shown = Shown(monkeypatch, VisitDialog)
    with gui_thread_sql.watching():
        assert page.edit_visit()
        qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=WAIT)
        dialog = shown.dialogs[0]
        qtbot.addWidget(dialog)
        # Shown as the dialog opens: read with the visit, not asked afterwards.
        assert "爱喝龙井" in dialog.notes.text() and "不收茅台" in dialog.notes.text()
        assert "5 dishes" in dialog.guide.text()
    assert gui_thread_sql.sites == []


def test_a_policy_saved_while_a_customer_rule_is_read_leaves_that_rule_alone(qtbot, ws: Workspace, monkeypatch):  # noqa: ANN001
    _boss, mobile = _person(ws, "曾国华")
    other = next(a for a, name in ws.contacts.account_choices() if name == "华润置地")
    ws.gifts.save_customer_policy(other, "不收礼")
    tab = _tab(qtbot, ws)
    policy = tab.policy_page
    tab.tabs.setCurrentIndex(4)
    qtbot.waitUntil(lambda: policy.customer_account.count() == 2, timeout=WAIT)
    policy.customer_account.setCurrentIndex(policy.customer_account.findData(mobile))
    qtbot.waitUntil(lambda: policy.customer_text.text() == CUSTOMER_RULE, timeout=WAIT)
    rule = Gate(monkeypatch, ws.gifts, "customer_policy")
    policy.customer_account.setCurrentIndex(policy.customer_account.findData(other))
    assert not policy.customer_text.isEnabled()  # still showing the other account's rule: not to be edited
    policy.per_item.setValue(600)
    assert policy.save()
    rule.release.set()
    qtbot.waitUntil(lambda: policy.customer_text.text() == "不收礼" and policy.customer_text.isEnabled(), timeout=WAIT)
    assert ws.gifts.customer_policy(other) == "不收礼" and ws.gifts.customer_policy(mobile) == CUSTOMER_RULE
    assert ws.gifts.policy().per_item_cents == 600_00


def test_a_second_press_while_a_save_or_delete_is_on_its_way_does_nothing(
    qtbot,
    ws: Workspace,
    monkeypatch,
    scripted,  # noqa: ANN001
):
    boss, _account = _person(ws, "曾国华")
    tab = _tab(qtbot, ws)
    page = tab.register_page
    shown = Shown(monkeypatch, EntryDialog)
    assert page.add_entry()
    qtbot.waitUntil(lambda: len(shown.dialogs) == 1, timeout=WAIT)
    dialog = shown.dialogs[0]
    qtbot.addWidget(dialog)
    dialog.item_edit.setText("水果")
    dialog.value.setValue(80)
    dialog.contact.setCurrentIndex(dialog.contact.findData(boss))
    record = Gate(monkeypatch, ws.gifts, "record")
    QTimer.singleShot(100, dialog.accept)  # Save pressed again while the first save waits on the file
    QTimer.singleShot(400, record.release.set)
    dialog.accept()
    assert record.calls == 1 and dialog.result() == EntryDialog.DialogCode.Accepted
    assert [e.item for e in ws.gifts.register(2027)] == ["水果"]
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    page.table.selectRow(0)
    delete = Gate(monkeypatch, ws.gifts, "delete")
    scripted.yes_no = [True, True]
    again: list[bool] = []
    QTimer.singleShot(100, lambda: again.append(page.delete_entry()))
    QTimer.singleShot(400, delete.release.set)
    assert page.delete_entry()
    assert again == [False] and delete.calls == 1 and ws.gifts.register(2027) == []
