"""The account editor and the Accounts tab, driven like a person: type, save, fix mistakes, filter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QTableWidgetItem

from kamdesk.domain.enums import AccountClass, PersonalityType
from kamdesk.domain.models import AccountDetail, AccountQuery, AccountValue
from kamdesk.i18n import set_language
from kamdesk.services.demo import load_demo
from kamdesk.services.workspace import Workspace, open_workspace
from kamdesk.ui.dialogs.account_dialog import AccountDialog
from kamdesk.ui.models.accounts_model import AccountsModel
from kamdesk.ui.tabs.accounts_tab import AccountsTab

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


def _dialog(qtbot, ws: Workspace, account_id: int | None = None) -> AccountDialog:
    dialog = AccountDialog(ws.accounts, ws.team.members(), account_id)
    qtbot.addWidget(dialog)
    return dialog


def _set_values(dialog: AccountDialog, rows: list[tuple[str, str, str]]) -> None:
    dialog.values_table.setRowCount(0)
    for period, revenue, profit in rows:
        row = dialog.values_table.rowCount()
        dialog.values_table.insertRow(row)
        for column, text in enumerate((period, revenue, profit)):
            dialog.values_table.setItem(row, column, QTableWidgetItem(text))


def test_a_new_account_is_typed_saved_and_classed(qtbot, ws: Workspace, monkeypatch):
    import threading

    gui, saved_on = threading.get_ident(), []
    real_save = ws.accounts.save

    def save(detail):  # noqa: ANN001, ANN202
        saved_on.append(threading.get_ident())
        return real_save(detail)

    monkeypatch.setattr(ws.accounts, "save", save)
    dialog = _dialog(qtbot, ws)
    dialog.name_edit.setText("苏州恒远精密机械有限公司")  # QTest cannot type what an input method composes
    qtbot.keyClicks(dialog.city_edit, "Suzhou")
    _set_values(dialog, [("2026", "120万", "18万")])
    with qtbot.waitSignal(dialog.account_saved) as saved:
        assert dialog.save()
    detail = ws.accounts.get(saved.args[0])
    assert detail.name == "苏州恒远精密机械有限公司" and detail.city == "Suzhou"
    assert detail.values == [AccountValue("2026", 120_000_000, 18_000_000)]
    assert detail.computed_class is AccountClass.A
    assert saved_on and gui not in saved_on  # the save ran off the GUI thread


@pytest.mark.parametrize(
    ("rows", "potential", "field", "words"),
    [
        ([("2026", "-5", "")], "", "values", "negative"),
        ([("2026", "lots", "")], "", "values", "not an amount"),
        ([("2031", "5", "")], "", "values", "has not started"),
        ([("2026", "5", "")], "about 3m", "potential", "not an amount"),
    ],
)
def test_bad_input_shows_on_the_field_and_saves_nothing(qtbot, ws: Workspace, scripted, rows, potential, field, words):
    dialog = _dialog(qtbot, ws)
    dialog.name_edit.setText("Acme")
    dialog.potential_edit.setText(potential)
    _set_values(dialog, rows)
    assert not dialog.save()
    errors = dialog.field_errors()
    assert field in errors and words in errors[field]
    assert ws.accounts.count(AccountQuery()) == 0
    assert dialog.tabs.currentIndex() == (1 if field == "values" else 0)


def test_a_pin_without_reason_is_refused_then_saved_with_one(qtbot, ws: Workspace):
    account_id, _ = ws.accounts.save(AccountDetail(name="Acme", values=[AccountValue("2026", 100, None)]))
    dialog = _dialog(qtbot, ws, account_id)
    dialog.pin_combo.setCurrentIndex(dialog.pin_combo.findData("C"))
    assert not dialog.save()
    assert "pin_reason" in dialog.field_errors() and dialog.tabs.currentIndex() == 3
    dialog.pin_reason_edit.setText("付款风险高 <b>&</b> 🙂")
    assert dialog.save()
    detail = ws.accounts.get(account_id)
    assert (detail.pinned_class, detail.computed_class, detail.pin_reason) == (
        AccountClass.C,
        AccountClass.A,
        "付款风险高 <b>&</b> 🙂",
    )
    assert ws.accounts.history(account_id)[0].reason.startswith("pinned")


def test_the_personality_approach_shows_beside_the_choice_in_chinese_too(qtbot, ws: Workspace):
    dialog = _dialog(qtbot, ws)
    dialog.personality_combo.setCurrentIndex(dialog.personality_combo.findData(PersonalityType.DIFFICULT.value))
    assert "writing" in dialog.approach_label.text()
    set_language("zh_CN")
    try:
        chinese = _dialog(qtbot, ws)
        chinese.personality_combo.setCurrentIndex(chinese.personality_combo.findData("difficult"))
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese.approach_label.text())
    finally:
        set_language("en")


def test_strategy_follows_the_form(qtbot, ws: Workspace):
    account_id, _ = ws.accounts.save(
        AccountDetail(
            name="Big", values=[AccountValue("2026", 1000, None)], sales_stage="formal", attractiveness="high"
        )
    )
    dialog = _dialog(qtbot, ws, account_id)
    key_title = dialog.strategy_title.text()
    dialog.stage_combo.setCurrentIndex(dialog.stage_combo.findData("trial"))
    assert dialog.strategy_title.text() != key_title


def test_a_conflict_on_the_same_field_asks_field_by_field(qtbot, ws: Workspace, scripted, tmp_path: Path):
    account_id, _ = ws.accounts.save(AccountDetail(name="Acme", city="上海"))
    dialog = _dialog(qtbot, ws, account_id)
    other = ws.accounts.get(account_id)
    other.city = "北京"
    ws.accounts.save(other)
    dialog.city_edit.setText("广州")
    scripted.conflict_choices = [None]  # cancelled: nothing saved, my edit stays on screen
    assert not dialog.save()
    assert dialog.city_edit.text() == "广州" and ws.accounts.get(account_id).city == "北京"
    scripted.conflict_choices = [{"city": "mine"}]
    assert dialog.save()
    assert ws.accounts.get(account_id).city == "广州"


def test_cancel_asks_before_losing_edits_and_delete_asks_first(qtbot, ws: Workspace, scripted):
    account_id, _ = ws.accounts.save(AccountDetail(name="Acme"))
    dialog = _dialog(qtbot, ws, account_id)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing changed: closes without asking
    assert not dialog.isVisible() and not scripted.shown
    dialog = _dialog(qtbot, ws, account_id)
    dialog.show()
    dialog.name_edit.setText("Acme Group")
    scripted.yes_no = [False]
    dialog.reject()
    assert dialog.isVisible() and scripted.shown[-1][1] == "Discard changes?"
    scripted.yes_no = [False]
    dialog.delete()
    assert ws.accounts.get(account_id) is not None
    scripted.yes_no = [True]
    dialog.delete()
    assert ws.accounts.get(account_id) is None


def test_read_only_file_disables_saving(qtbot, tmp_path: Path):
    path = tmp_path / "ro.kamdb"
    open_workspace(path, "a", create=True).close()
    ro = open_workspace(path, "a", read_only=True)
    try:
        dialog = AccountDialog(ro.accounts, [], None, read_only=True)
        qtbot.addWidget(dialog)
        assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
        assert not dialog.save()
    finally:
        ro.close()


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.kamdb"
    load_demo(path, "small", today=TODAY)
    return path


def test_tab_filters_combine_and_model_passes_the_tester(qtbot, qtmodeltester, demo_path: Path):
    ws = open_workspace(demo_path, "viewer", read_only=True)
    try:
        tab = AccountsTab(ws)
        qtbot.addWidget(tab)
        total = tab.model.total()
        city = tab.city_filter.itemData(1)
        tab.city_filter.setCurrentIndex(1)
        in_city = tab.model.total()
        assert 0 < in_city < total
        rows = [tab.model.index(r, 8).data() for r in range(tab.model.rowCount())]
        assert set(rows) == {city}
        tab.class_filter.setCurrentIndex(tab.class_filter.findData("A"))
        assert tab.model.total() <= in_city
        qtmodeltester.check(tab.model)
        tab.clear_filters()
        assert tab.model.total() == total
        for combo in tab.filters():
            assert isinstance(combo, QComboBox)
        tab.owner_filter.setCurrentIndex(1)
        assert 0 < tab.model.total() < total
        tab.model.sort(0, Qt.SortOrder.AscendingOrder)
        assert tab.model.query.owner_id == tab.owner_filter.currentData()  # sorting keeps the filters
        qtmodeltester.check(tab.model)
    finally:
        ws.close()


def test_pinned_classes_read_differently_in_the_list(qtbot, ws: Workspace):
    big, _ = ws.accounts.save(AccountDetail(name="Big", values=[AccountValue("2026", 1000, None)]))
    small, _ = ws.accounts.save(AccountDetail(name="Small", values=[AccountValue("2026", 10, None)]))
    detail = ws.accounts.get(small)
    ws.accounts.pin(small, detail.version, AccountClass.A, "战略客户")
    model = AccountsModel(ws.accounts)
    texts = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}
    assert texts == {"Big": "A", "Small": "A (pinned; computed C)"}
    assert model.index(1, 1).data(Qt.ItemDataRole.FontRole).italic()
    assert big
