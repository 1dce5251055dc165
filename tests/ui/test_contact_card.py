"""The contact card and list, driven like a person: fill the card, fix bad dates, see targets and gaps."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTableWidgetItem

from kamdesk.domain.contacts import ContactDetail, ContactQuery
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.contact_dialog import ContactDialog
from kamdesk.ui.tabs.contacts_tab import ContactsTab
from kamdesk.ui.widgets.table_rows import add_text_row

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


def _setup(ws: Workspace) -> tuple[int, int]:
    account, _ = ws.accounts.save(AccountDetail(name="中国移动", values=[AccountValue("2026", 1000, None)]))
    member = ws.team.save(TeamMember(0, "王芳", "销售经理", "销售部", "manager", "account_manager", True))
    return account, member


def _dialog(qtbot, ws: Workspace, contact_id: int | None = None, account_id: int | None = None) -> ContactDialog:
    dialog = ContactDialog(ws.contacts, ws.team.members(), contact_id, account_id=account_id)
    qtbot.addWidget(dialog)
    return dialog


def test_a_new_card_is_filled_and_saved(qtbot, ws: Workspace, scripted):
    account, member = _setup(ws)
    dialog = _dialog(qtbot, ws, account_id=account)
    dialog.name_edit.setText("曾国华")
    dialog.rank_combo.setCurrentIndex(dialog.rank_combo.findData("owner"))
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("decision_maker"))
    assert "Best friend" in dialog.target_label.text() and "6 stages to go" in dialog.target_label.text()
    dialog.stage_combo.setCurrentIndex(dialog.stage_combo.findData("good_friend"))
    dialog.stage_reason.setText("年会上长谈")
    dialog.birthday_calendar.setCurrentIndex(dialog.birthday_calendar.findData("lunar"))
    dialog.birthday_month.setValue(8)
    dialog.birthday_day.setValue(15)
    dialog.personality_combo.setCurrentIndex(dialog.personality_combo.findData("rational"))
    assert dialog.approach_label.text()
    dialog._add_link_row(__import__("kamdesk.domain.contacts", fromlist=["ContactLink"]).ContactLink(member))
    with qtbot.waitSignal(dialog.contact_saved) as saved:
        assert dialog.save()
    card = ws.contacts.get(saved.args[0])
    assert (card.name, card.account_id, card.rank_tier, card.relationship_stage) == (
        "曾国华",
        account,
        "owner",
        "good_friend",
    )
    assert card.birthday.calendar == "lunar" and card.birthday.year is None
    assert [h.reason for h in card.history] == ["年会上长谈"]
    assert [link.member_id for link in card.links] == [member]


@pytest.mark.parametrize(
    ("field", "setup"),
    [
        (
            "birthday",
            lambda d: (
                d.birthday_calendar.setCurrentIndex(d.birthday_calendar.findData("solar")),
                d.birthday_month.setValue(2),
                d.birthday_day.setValue(30),
            ),
        ),
        ("family", lambda d: add_text_row(d.family_table, ["李梅", "妻子", "Lunar", "", "13", "1", ""])),
        ("anniversaries", lambda d: add_text_row(d.dates_table, ["结婚纪念日", "Solar", "2023", "2", "29", ""])),
        ("email", lambda d: d.email_edit.setText("not an address")),
        ("name", lambda d: d.name_edit.setText("  ")),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(qtbot, ws: Workspace, scripted, field, setup):
    dialog = _dialog(qtbot, ws)
    dialog.name_edit.setText("Someone")
    setup(dialog)
    assert not dialog.save()
    assert field in dialog.field_errors()
    assert ws.contacts.count(ContactQuery()) == 0


def test_a_reports_to_cycle_shows_on_the_field(qtbot, ws: Workspace, scripted):
    account, _member = _setup(ws)
    boss = ws.contacts.save(ContactDetail(name="Boss", account_id=account))
    low = ws.contacts.save(ContactDetail(name="Low", account_id=account, reports_to_id=boss))
    dialog = _dialog(qtbot, ws, boss)
    dialog.reports_combo.setCurrentIndex(dialog.reports_combo.findData(low))
    assert not dialog.save()
    assert "circle" in dialog.field_errors()["reports_to"]


def test_a_duplicate_is_warned_before_saving(qtbot, ws: Workspace, scripted):
    account, _member = _setup(ws)
    ws.contacts.save(ContactDetail(name="张伟", account_id=account))
    dialog = _dialog(qtbot, ws, account_id=account)
    dialog.name_edit.setText("张伟")
    scripted.yes_no = [False]
    assert not dialog.save()
    assert scripted.shown[-1][1] == "Possible duplicate"
    assert ws.contacts.count(ContactQuery()) == 1
    scripted.yes_no = [True]
    assert dialog.save()
    assert ws.contacts.count(ContactQuery()) == 2


def test_the_list_filters_by_gap_and_passes_the_model_tester(qtbot, qtmodeltester, ws: Workspace):
    account, _member = _setup(ws)
    ws.contacts.save(ContactDetail(name="Owner", account_id=account, rank_tier="owner"))
    ws.contacts.save(ContactDetail(name="Clerk", account_id=account, rank_tier="clerk"))
    tab = ContactsTab(ws)
    qtbot.addWidget(tab)
    page = tab.contacts_page
    assert page.model.total() == 2
    qtmodeltester.check(page.model)
    page.gap_filter.setCurrentIndex(page.gap_filter.findData("below"))
    assert page.model.total() == 2
    texts = [page.model.index(r, 7).data() for r in range(2)]
    assert texts == ["3 to go", "6 to go"]  # sorted by name: Clerk (good friend target), Owner (best friend)
    page.search.setText("owner")
    page.apply_filters()
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == ["Owner"]
    page.model.sort(7, Qt.SortOrder.DescendingOrder)
    assert page.model.query.gap == "below"  # sorting keeps the filters
    qtmodeltester.check(page.model)


def test_our_team_page_adds_a_colleague(qtbot, ws: Workspace, scripted):
    tab = ContactsTab(ws)
    qtbot.addWidget(tab)
    assert tab.team_page.save(TeamMember(0, "李强", "工程师", "技术部", "staff", "research", True))
    assert [m.name for m in ws.team.members()] == ["李强"]
    assert tab.team_page.table.item(0, 0).text() == "李强"
    assert not tab.team_page.save(TeamMember(0, "  ", "", "", None, None, True))
    assert scripted.shown[-1][0] == "warn"
    assert isinstance(tab.contacts_page.rank_filter, QComboBox)
    assert QTableWidgetItem  # imported for row helpers in other tests


def test_the_org_map_page_links_people_dragged_together(qtbot, ws: Workspace, scripted):
    account, member = _setup(ws)
    contact = ws.contacts.save(
        ContactDetail(name="客户甲", account_id=account, rank_tier="owner", buying_role="decision_maker")
    )
    tab = ContactsTab(ws)
    qtbot.addWidget(tab)
    tab.show_org_map(account)
    page = tab.map_page
    assert page.view.gap_markers() == [("theirs", contact)]  # a decision maker nobody of ours knows
    page.view.link_requested.emit(member, contact)
    assert [link.member_id for link in ws.contacts.get(contact).links] == [member]
    assert page.view.gap_markers() != [("theirs", contact)]
    assert "王芳" in page.summary.text() and "客户甲" in page.summary.text()  # the one tie is a bow-tie


def test_the_org_map_prints_to_pdf_and_opens_it(qtbot, ws: Workspace, scripted, tmp_path):
    account, _member = _setup(ws)
    ws.contacts.save(ContactDetail(name="客户甲", account_id=account, rank_tier="owner"))
    tab = ContactsTab(ws)
    qtbot.addWidget(tab)
    tab.show_org_map(account)
    out = tmp_path / "map.pdf"
    scripted.files = [str(out)]
    tab.map_page.print_pdf()
    assert out.read_bytes().startswith(b"%PDF")
    assert scripted.shown[-1] == ("open_document", str(out), "")


def test_a_very_long_company_name_does_not_stretch_the_card(qtbot, ws: Workspace):
    """The company list is as wide as a usual name, not as its longest entry: nothing measures thousands of
    companies when the card first shows, and one pasted-in paragraph of a name leaves the card on screen."""
    short, _ = ws.accounts.save(AccountDetail(name="中国移动", values=[AccountValue("2026", 1000, None)]))
    long_name = "苏州恒源精密机械有限公司<b>&amp;</b>😀" * 12
    ws.accounts.save(AccountDetail(name=long_name, values=[AccountValue("2026", 10, None)]))
    dialog = _dialog(qtbot, ws, account_id=short)
    dialog.show()
    qtbot.waitExposed(dialog)
    combo = dialog.company_combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert long_name in names  # offered, whole
    longest = combo.fontMetrics().horizontalAdvance(long_name)
    assert combo.sizeHint().width() < longest / 3
    assert dialog.width() < longest / 2
