"""The zipper check beside the org map, and the dashboard's list of the weakest zippers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.org_map import MapContact, MapLink, MapMember, OrgMapData, analyse_map
from kamdesk.domain.settings import TeamSettings
from kamdesk.domain.zipper_checks import check_zipper
from kamdesk.services.zipper import AccountZipper
from kamdesk.ui.dialogs.settings_dialog import TeamSettingsDialog
from kamdesk.ui.widgets.worst_zippers import WorstZippersList
from kamdesk.ui.widgets.zipper_map import ZipperFindingsPanel, ZipperMapView

WANG = MapMember(1, "王建国", "销售总监", "owner", "executive_sponsor", ("executive_sponsor",))
LIU = MapMember(3, "刘洋", "大客户经理", "manager", "account_manager", ("account_manager",))
FANG = MapContact(11, "方德华", "总经理", "owner", "decision_maker")
ZHAO = MapContact(12, "赵志明", "采购总监", "manager", "gatekeeper", 11)


def _data() -> OrgMapData:
    links = (MapLink(LIU.id, FANG.id, "ordinary_brother"), MapLink(LIU.id, ZHAO.id, "good_friend"))
    return OrgMapData(7, "苏州精工机械有限公司", AccountClass.A, (FANG, ZHAO), (WANG, LIU), links)


def test_the_panel_lists_problems_first_and_a_click_selects_the_people_named(qtbot) -> None:
    data = _data()
    view = ZipperMapView()
    panel = ZipperFindingsPanel()
    qtbot.addWidget(view)
    qtbot.addWidget(panel)
    panel.people_chosen.connect(view.select_people)
    view.set_map(data, analyse_map(data, TeamSettings()))
    findings = check_zipper(data)
    panel.set_findings(findings)
    texts = panel.texts()
    assert len(texts) == len(findings) >= 3
    # 刘洋 holds both ties: the bow-tie leads, then the sponsor who knows nobody there.
    assert texts[0].startswith("Problem: All 2 ties to this customer run through 刘洋: a bow-tie.")
    assert texts[1].startswith("Problem: 王建国 is this account's executive sponsor")
    assert "→ Arrange for 王建国 to meet 方德华" in texts[1]
    with qtbot.waitSignal(panel.people_chosen) as chosen:
        qtbot.mouseClick(panel.rows[1], Qt.MouseButton.LeftButton)
    assert chosen.args == [[FANG.id], [WANG.id, LIU.id]]
    selected = {(card.side, card.person_id) for card in view.scene().selectedItems() if hasattr(card, "person_id")}
    assert selected == {("theirs", FANG.id), ("ours", WANG.id), ("ours", LIU.id)}


def test_the_panel_says_when_there_is_nothing_to_mend(qtbot) -> None:
    panel = ZipperFindingsPanel()
    qtbot.addWidget(panel)
    panel.set_findings([])
    assert panel.texts() == [] and "Nothing to mend" in panel.summary.text()
    panel.set_findings([], checked=False)
    assert panel.summary.text() == ""


def test_the_worst_list_shows_counts_and_opens_an_account(qtbot, tmp_path: Path) -> None:
    data = _data()
    rows = [AccountZipper(7, data.account_name, "A", check_zipper(data))]
    widget = WorstZippersList()
    qtbot.addWidget(widget)
    widget.resize(700, 240)
    widget.set_accounts(rows)
    table = widget.table
    assert table.item(0, 0).text() == "苏州精工机械有限公司 (A)"
    problems = sum(f.severity == "problem" for f in rows[0].findings)
    assert table.item(0, 1).text() == str(problems) and problems >= 2
    assert table.item(0, 3).text().startswith("Ask 刘洋 to introduce colleagues to the people only 刘洋 knows")
    assert "→ Arrange for 王建国 to meet 方德华" in table.item(0, 0).toolTip()
    assert widget.account_ids() == [7]
    with qtbot.waitSignal(widget.account_activated) as opened:
        table.cellDoubleClicked.emit(0, 2)
    assert opened.args == [7]
    widget.grab().save(str(tmp_path / "worst.png"))
    widget.set_accounts([])
    assert widget.account_ids() == [] and "No account" in table.item(0, 0).text()


def test_team_settings_edit_the_zipper_marks_and_refuse_them_out_of_order(qtbot) -> None:
    saved: list[TeamSettings] = []
    dialog = TeamSettingsDialog(TeamSettings(), saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    marks = dialog.zipper_marks
    assert (marks.warn_spin.value(), marks.bow_tie_spin.value()) == (50, 100)
    marks.warn_spin.setValue(80)
    marks.bow_tie_spin.setValue(60)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert saved == []
    message = dialog.errors()["zipper_thresholds"]
    assert "warning mark (80%) is above its bow-tie mark (60%)" in message
    assert all(widget.property("invalid") for widget in marks.widgets())
    # Corrected while the message shows: it goes away, and OK saves the new marks.
    marks.bow_tie_spin.setValue(90)
    assert "zipper_thresholds" not in dialog.errors()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert len(saved) == 1
    assert (saved[0].zipper_warn_share, saved[0].zipper_bow_tie_share) == (0.8, 0.9)
