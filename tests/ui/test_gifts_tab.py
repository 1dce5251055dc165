"""The Gifts & Visits tab driven like a person: record with approval, plan a festival, plan a dinner."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QComboBox

from kamdesk.domain.contacts import ContactDetail, StageUpdate
from kamdesk.domain.gifts import CatalogueItem, GiftPolicy, RegisterEntry
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.services.workspace import Workspace
from kamdesk.ui import formatting
from kamdesk.ui.tabs.gifts.dialogs.entry_dialog import EntryDialog
from kamdesk.ui.tabs.gifts.dialogs.visit_dialog import VisitDialog
from kamdesk.ui.tabs.gifts.plan_page import ITEM, PERSON, REASON, TICK, WARNINGS
from kamdesk.ui.tabs.gifts.tab import GiftsTab

TODAY = dt.date(2027, 8, 20)


def gift_desk(workspace: Workspace) -> int:
    """A salesperson's gift desk at TODAY: 中国移动 with its owner 曾国华 (no 茅台, likes 龙井) and 单芳 (staff), a
    catalogue of three festival gifts and the team's limits (500 an item, 2,000 a person-year). The account's id."""
    workspace.clock.fix(TODAY)
    me = workspace.team.save(TeamMember(0, "Test Person", "客户经理", "", "manager", "account_manager", True))
    account, _ = workspace.accounts.save(
        AccountDetail(name="中国移动", owner_id=me, values=[AccountValue("2026", 1000, None)])
    )
    known = StageUpdate("acquainted", TODAY)  # the planners leave strangers out by default
    workspace.contacts.save(
        ContactDetail(
            name="曾国华",
            account_id=account,
            rank_tier="owner",
            taboos="不收茅台",
            preferences="爱喝龙井",
            stage_update=known,
        )
    )
    workspace.contacts.save(ContactDetail(name="单芳", account_id=account, rank_tier="staff", stage_update=known))
    for item in (
        CatalogueItem("茅台酒", "holiday", 980_00),
        CatalogueItem("西湖龙井", "holiday", 480_00),
        CatalogueItem("月饼", "holiday", 188_00),
    ):
        workspace.gifts.save_item(item)
    workspace.gifts.save_policy(GiftPolicy(500_00, 2000_00))
    return account


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    gift_desk(workspace)
    return workspace


def test_an_over_limit_entry_asks_for_an_approval_then_lands_in_the_register(qtbot, ws: Workspace):
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    assert "Nothing recorded for 2027" in tab.register_page.totals.text()
    dialog = EntryDialog(ws, None, tab)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("meal"))
    dialog.item_edit.setText('答谢晚宴 =HYPERLINK("x") <b>')
    dialog.value.setValue(800)
    dialog.contact.setCurrentIndex(dialog.contact.findText("曾国华 (中国移动)"))
    # The check is asked off the GUI thread, after a pause in the typing.
    qtbot.waitUntil(lambda: "needs an approval" in dialog.policy_label.text(), timeout=10_000)
    dialog.accept()
    assert "needs an approval" in dialog.error.text() and ws.gifts.register(2027) == []
    dialog.approved_by.setText("李总")
    dialog.accept()
    assert dialog.result() == EntryDialog.DialogCode.Accepted
    tab.register_page.refresh()
    model = tab.register_page.model
    assert model.rowCount() == 1
    assert model.index(0, 3).data() == '答谢晚宴 =HYPERLINK("x") <b>' and model.index(0, 10).data() == "李总"
    taboo = EntryDialog(ws, None, tab)
    qtbot.addWidget(taboo)
    taboo.contact.setCurrentIndex(taboo.contact.findText("曾国华 (中国移动)"))
    taboo.item_edit.setText("茅台酒")
    qtbot.waitUntil(lambda: "taboos" in taboo.policy_label.text(), timeout=10_000)


def test_a_festival_plan_is_proposed_adjusted_and_confirmed(qtbot, ws: Workspace):
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    page = tab.plan_page
    page.festival.setCurrentIndex(page.festival.findData("mid_autumn"))
    page.year.setValue(2027)
    page.budget.setValue(0)  # no budget: everything the tiers give
    assert page.propose_festival() == 2
    assert "2027-09-15" in page.status.text()
    names = [page.table.item(r, PERSON).text() for r in range(2)]
    boss = names.index("曾国华")
    gift = page.table.cellWidget(boss, ITEM)
    assert isinstance(gift, QComboBox) and gift.currentText().startswith("西湖龙井")  # liked, 茅台 tabooed
    assert "茅台酒" in page.table.item(boss, REASON).text()
    assert ws.gifts.register(2027) == []  # nothing written by proposing
    page.budget.setValue(600)
    page.refresh_budget()
    assert page.budget_label.styleSheet() and "over the budget" in page.budget_label.text()  # 480 + 188 > 600
    page.table.item(1 - boss, TICK).setCheckState(Qt.CheckState.Unchecked)
    assert not page.budget_label.styleSheet()
    gift.setCurrentIndex(gift.findText("茅台酒", Qt.MatchFlag.MatchStartsWith))  # by hand, against the taboo
    assert "⚠" in page.table.item(boss, WARNINGS).text() and "taboos" in page.table.item(boss, WARNINGS).text()
    assert page.approver_label.styleSheet()  # 980 is over the limit per item: an approver is needed
    assert page.confirm() == 0 and ws.gifts.register(2027) == []
    gift.setCurrentIndex(gift.findText("西湖龙井", Qt.MatchFlag.MatchStartsWith))
    assert not page.approver_label.styleSheet()
    assert page.confirm() == 1
    assert [e.item for e in ws.gifts.register(2027)] == ["西湖龙井"]
    assert tab.register_page.model.rowCount() == 1


def test_a_dinner_shows_tastes_and_the_ordering_guide_and_refuses_the_past(qtbot, ws: Workspace):
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    dialog = VisitDialog(ws, None, tab)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("meal"))
    dialog.contact.setCurrentIndex(
        dialog.contact.findData(next(r.contact_id for r in ws.gifts.recipients() if r.name == "曾国华"))
    )
    dialog.meal.setChecked(True)
    dialog.headcount.setValue(6)
    qtbot.waitUntil(lambda: "7 dishes" in dialog.guide.text(), timeout=10_000)  # asked off the GUI thread
    assert "爱喝龙井" in dialog.notes.text() and "不收茅台" in dialog.notes.text()
    assert "categories" in dialog.guide.text()
    assert "soup" not in dialog.guide.text()
    dialog.place.setText("广州 白天鹅宾馆")
    dialog.staple.setCurrentIndex(dialog.staple.findData("rice"))
    qtbot.waitUntil(lambda: "small soup" in dialog.guide.text(), timeout=10_000)
    assert "go well with rice" in dialog.guide.text()
    assert "No alcohol" not in dialog.guide.text()
    shan = next(r.contact_id for r in ws.gifts.recipients() if r.name == "单芳")
    card = ws.contacts.get(shan)
    card.taboo_tags = frozenset({"alcohol"})  # she does not drink: a guest's taboo counts like the key person's
    ws.contacts.save(card)
    dialog.theirs.setText("单芳")
    qtbot.waitUntil(lambda: "No alcohol" in dialog.guide.text(), timeout=10_000)
    assert "alcohol light" not in dialog.guide.text()
    dialog.when.setDateTime(QDateTime(QDate(2027, 8, 1), QTime(18, 0)))
    dialog.accept()
    assert "past" in dialog.error.text()
    dialog.when.setDateTime(QDateTime(QDate(2027, 8, 26), QTime(18, 30)))
    dialog.purpose.setText("答谢")
    dialog.accept()
    assert dialog.saved_id is not None
    tab.visits_page.refresh()
    assert tab.visits_page.table.rowCount() == 1 and tab.visits_page.table.item(0, 0).text() == formatting.wall_time(
        dt.datetime(2027, 8, 26, 18, 30)
    )


def test_the_register_model_passes_qt_model_checks(qtbot, ws: Workspace, qtmodeltester):
    from kamdesk.domain.gifts import RegisterEntry

    ws.gifts.record(RegisterEntry("everyday", "水果", 80_00, TODAY))
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    qtmodeltester.check(tab.register_page.model)
    tab.register_page.table.selectRow(0)
    assert tab.register_page.selected_entry() is not None


def test_catalogue_and_policy_edits_are_saved_and_bad_values_refused(qtbot, ws: Workspace):
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    assert tab.catalogue_page.table.rowCount() == 3
    tab.catalogue_page.table.item(0, 0).setText("")
    assert not tab.catalogue_page.save() and "name" in tab.catalogue_page.error.text()
    tab.catalogue_page.refresh()
    tab.catalogue_page.table.item(0, 4).setText("杭州明前")
    assert tab.catalogue_page.save()
    assert any(c.notes == "杭州明前" for c in ws.gifts.catalogue())
    tab.policy_page.per_item.setValue(3000)
    tab.policy_page.per_person.setValue(1000)
    assert not tab.policy_page.save() and "per item" in tab.policy_page.error.text()
    tab.policy_page.per_person.setValue(5000)
    tab.policy_page.tier_spins[("spring_festival", "C", "staff")].setValue(1)
    tab.policy_page.customer_text.setText("单件不超过 200 元")
    assert tab.policy_page.save()
    assert ws.gifts.policy() == GiftPolicy(3000_00, 5000_00)
    assert ws.gifts.tiers()[0]["spring_festival"]["C"]["staff"] == 1
    assert ws.gifts.customer_policy(tab.policy_page.customer_account.currentData()) == "单件不超过 200 元"


def test_in_the_window_each_page_is_read_when_first_shown(qtbot, ws: Workspace):
    import datetime as dt

    from kamdesk.domain.gifts import Visit

    account, _ = ws.accounts.save(AccountDetail(name="中国移动", values=[AccountValue("2026", 1000, None)]))
    ws.gifts.save_visit(
        Visit(dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(18, 30)), account_id=account, purpose="答谢")
    )
    ws.gifts.save_item(CatalogueItem("西湖龙井", "holiday", 30000))
    tab = GiftsTab(ws, background=True)
    qtbot.addWidget(tab)
    assert tab.visits_page.table.rowCount() == 0  # not read yet: the register page is the one shown
    tab.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: tab.visits_page.table.rowCount() == 1)  # read off the GUI thread
    assert tab.visits_page.table.item(0, 5).text() == "答谢"
    assert tab.catalogue_page.table.rowCount() == 0
    tab.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: tab.catalogue_page.table.rowCount() > 0)  # read off the GUI thread
    names = [tab.catalogue_page.table.item(r, 0).text() for r in range(tab.catalogue_page.table.rowCount())]
    assert "西湖龙井" in names and len(names) == len(ws.gifts.catalogue(include_inactive=True))


def test_the_pages_behind_the_register_are_built_when_first_shown(qtbot, ws: Workspace, tmp_path):  # noqa: ANN001
    from PySide6.QtWidgets import QScrollArea

    from kamdesk.services.workspace import open_workspace

    tab = GiftsTab(ws, background=True)
    qtbot.addWidget(tab)
    tab.show()
    areas = [tab.tabs.widget(i) for i in range(tab.tabs.count())]
    assert all(isinstance(a, QScrollArea) for a in areas)
    assert [a.widget() is not None for a in areas] == [True, False, False, False, False]
    tab.tabs.setCurrentIndex(1)
    assert areas[1].widget() is tab.plan_page
    tab.tabs.setCurrentIndex(4)
    assert areas[4].widget() is tab.policy_page and areas[2].widget() is None
    # A page built late still knows a file that is only read.
    assert ws.path is not None
    viewer = open_workspace(ws.path, "viewer", read_only=True)
    try:
        read_only_tab = GiftsTab(viewer, background=True)
        qtbot.addWidget(read_only_tab)
        read_only_tab.tabs.setCurrentIndex(3)
        assert not read_only_tab.catalogue_page.save_button.isEnabled()
        assert tab.catalogue_page.save_button.isEnabled()
    finally:
        viewer.close()


def test_the_gift_schedule_is_built_off_the_gui_thread_and_previewed(qtbot, ws: Workspace, scripted):  # noqa: ANN001
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    dialog = tab.register_page.print_gift_schedule()
    assert dialog is not None and scripted.dialogs == [dialog]
    assert dialog.path.read_bytes().startswith(b"%PDF") and dialog.document.pageCount() >= 1
    assert dialog.suggested_name == "gift-schedule-2027.pdf"
    folder = dialog.path.parent
    dialog.close()
    qtbot.waitUntil(lambda: not folder.exists())  # no temporary folder left behind


def test_a_schedule_that_cannot_be_written_is_reported_and_leaves_nothing(
    qtbot,
    ws: Workspace,
    scripted,  # noqa: ANN001
    monkeypatch,
):
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)

    def fail(_start, _end, _path, **_options) -> None:  # noqa: ANN001, ANN003
        raise OSError("disk full")

    monkeypatch.setattr(ws.gifts, "print_gift_schedule", fail)
    assert tab.register_page.print_gift_schedule() is None
    assert scripted.shown == [("warn", "Gift schedule", "disk full")]


def _accepting(make):  # noqa: ANN001, ANN202
    """A dialog factory whose dialogs press Save as soon as they are run (as a person would)."""

    def made(record, *data):  # noqa: ANN001, ANN002, ANN202
        dialog = make(record, *data)
        dialog.exec = lambda: (dialog.accept(), dialog.result())[1]
        return dialog

    return made


def test_editing_or_deleting_anything_says_which_tables_changed(
    qtbot,
    ws: Workspace,
    scripted,  # noqa: ANN001
    monkeypatch,
):
    from kamdesk.domain.gifts import RegisterEntry, Visit

    ws.gifts.record(RegisterEntry("everyday", "水果", 80_00, TODAY))
    account = ws.gifts.recipients()[0].account_id
    ws.gifts.save_visit(
        Visit(dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(18, 30)), account_id=account, purpose="答谢")
    )
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    said: list[frozenset[str]] = []
    tab.changed.connect(said.append)
    register, visits = tab.register_page, tab.visits_page
    monkeypatch.setattr(register, "make_entry_dialog", _accepting(register.make_entry_dialog))
    monkeypatch.setattr(visits, "make_visit_dialog", _accepting(visits.make_visit_dialog))

    register.table.selectRow(0)
    assert register.edit_entry()  # opens once the entry is read off the GUI thread
    qtbot.waitUntil(lambda: len(said) == 1, timeout=10_000)
    assert said == [GiftsTab.WRITES], "an edited register entry"
    visits.table.selectRow(0)
    assert visits.edit_visit()
    qtbot.waitUntil(lambda: len(said) == 2, timeout=10_000)
    assert said[-1:] == [GiftsTab.WRITES] and len(said) == 2, "an edited visit"
    tab.catalogue_page.table.item(0, 4).setText("杭州明前")
    assert tab.catalogue_page.save()
    assert len(said) == 3, "an edited catalogue"
    tab.policy_page.per_item.setValue(600)
    assert tab.policy_page.save()
    assert len(said) == 4, "an edited policy"
    register.table.selectRow(0)
    scripted.yes_no = [True]
    assert register.delete_entry()
    assert len(said) == 5 and said[-1] == GiftsTab.WRITES, "a deleted register entry"
    assert ws.gifts.register(2027) == []


def test_a_schedule_is_exported_as_an_xlsx_file_not_a_team_file(qtbot, ws: Workspace, scripted, tmp_path):  # noqa: ANN001
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    target = tmp_path / "gifts-2026.xlsx"
    scripted.files = [str(target)]
    assert tab.register_page.export_xlsx() == str(target)
    assert scripted.shown[0] == ("save_data_file", "Export as XLSX", "Excel workbooks (*.xlsx)")
    qtbot.waitUntil(lambda: bool(scripted.notices), timeout=5000)  # written off the GUI thread
    assert target.read_bytes().startswith(b"PK") and sorted(p.name for p in tmp_path.iterdir()) == [
        "gifts-2026.xlsx",
        "team.kamdb",
    ]
    assert scripted.notices == [f"Exported to {target}."]
    scripted.files = [str(tmp_path / "visits.xlsx")]
    assert tab.visits_page.export_xlsx() == str(tmp_path / "visits.xlsx")
    assert scripted.shown[-1] == ("save_data_file", "Export as XLSX", "Excel workbooks (*.xlsx)")
    qtbot.waitUntil(lambda: len(scripted.notices) == 2, timeout=5000)


def test_an_export_that_cannot_be_written_is_reported(
    qtbot,
    ws: Workspace,
    scripted,
    tmp_path,  # noqa: ANN001
    monkeypatch,
):
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)

    def fail(_start, _end, _out) -> None:  # noqa: ANN001
        raise OSError("disk full")

    monkeypatch.setattr(ws.gifts, "export_visit_schedule_xlsx", fail)
    scripted.files = [str(tmp_path / "visits.xlsx")]
    tab.visits_page.export_xlsx()
    qtbot.waitUntil(lambda: ("warn", "Not exported", "disk full") in scripted.shown, timeout=5000)


def test_proposals_and_confirming_run_off_the_gui_thread_and_say_what_they_wrote(
    qtbot,
    ws: Workspace,  # noqa: ANN001
    monkeypatch,
):
    import threading

    from kamdesk.ui import change_notices

    threads: dict[str, bool] = {}
    service = ws.gifts

    def spy(name: str):  # noqa: ANN202
        real = getattr(service, name)

        def call(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            threads[name] = threading.current_thread() is threading.main_thread()
            return real(*args, **kwargs)

        monkeypatch.setattr(service, name, call)

    for name in ("plan_festival_gifts", "plan_everyday_gifts", "plan_special_gifts", "confirm"):
        spy(name)
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    plan = tab.plan_page
    plan.festival.setCurrentIndex(plan.festival.findData("mid_autumn"))
    plan.propose_everyday()
    plan.propose_special()
    assert plan.propose_festival() == 2
    announced: list[frozenset[str]] = []
    change_notices.hub().tables_changed.connect(announced.append)
    try:
        assert plan.confirm() == 2
    finally:
        change_notices.hub().tables_changed.disconnect(announced.append)
    assert threads == {
        "plan_everyday_gifts": False,
        "plan_special_gifts": False,
        "plan_festival_gifts": False,
        "confirm": False,
    }
    assert announced == [frozenset({"gifts", "activities"})]
    assert tab.register_page.model.rowCount() == 2


def test_a_register_that_cannot_be_read_says_so(qtbot, ws: Workspace, scripted, monkeypatch):  # noqa: ANN001
    from kamdesk.services.errors import StorageError

    def busy(*_args, **_kwargs) -> None:  # noqa: ANN002, ANN003
        raise StorageError("The team file is busy.")

    monkeypatch.setattr(ws.gifts, "register", busy)
    tab = GiftsTab(ws, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: ("warn", "Gifts & Visits", "The team file is busy.") in scripted.shown, timeout=5000)


def test_a_gift_is_marked_declined_in_the_register_and_the_audience_settings_are_kept(qtbot, ws: Workspace):
    boss = next(r.contact_id for r in ws.gifts.recipients() if r.name == "曾国华")
    entry_id = ws.gifts.record(RegisterEntry("holiday", "西湖龙井", 480_00, TODAY, contact_id=boss))
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    page = tab.register_page
    page.refresh()
    page.table.setCurrentIndex(page.model.index(0, 0))
    assert page.mark("declined")
    assert ws.gifts.get(entry_id).status == "declined"  # type: ignore[union-attr]
    assert "Declined" in [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    policy = tab.policy_page
    policy.refresh()
    assert not policy.to_class_d.isChecked() and not policy.to_strangers.isChecked()
    policy.to_class_d.setChecked(True)
    assert policy.save()
    assert ws.gifts.policy().gifts_to_class_d and not ws.gifts.policy().gifts_to_strangers
