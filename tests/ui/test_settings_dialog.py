"""The team settings dialog: a valid save, thresholds that do not partition 0–100, currency, busy file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QDialogButtonBox

from kamdesk.domain.settings import DEFAULT_TARGET_MATRIX, SettingsError, TeamSettings
from kamdesk.storage.errors import DatabaseBusyError
from kamdesk.ui.dialogs.settings_dialog import INVALID_BACKGROUND, TeamSettingsDialog


def _dialog(qtbot, saved: list[TeamSettings], settings: TeamSettings | None = None, **options) -> TeamSettingsDialog:
    dialog = TeamSettingsDialog(settings or TeamSettings(), saved.append, **options)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _ok(qtbot, dialog: TeamSettingsDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def _is_marked(widget) -> bool:
    tinted = widget.palette().color(QPalette.ColorRole.Base) == INVALID_BACKGROUND
    assert bool(widget.property("invalid")) == tinted, "the mark and the tint disagree"
    return tinted


def test_a_valid_change_is_saved_with_the_targets_untouched(qtbot):
    saved: list[TeamSettings] = []
    matrix = TeamSettings().target_matrix
    matrix["A"]["owner"] = "good_brother"
    dialog = _dialog(qtbot, saved, TeamSettings(target_matrix=matrix))
    assert dialog.windowTitle() == "Team settings"
    assert [dialog.measure_combo.itemText(i) for i in range(2)] == ["Revenue", "Profit"]
    assert dialog.window_combo.currentText() == "Last 12 months"
    dialog.measure_combo.setCurrentIndex(dialog.measure_combo.findData("profit"))
    dialog.window_combo.setCurrentIndex(dialog.window_combo.findData("latest_period"))
    dialog.threshold_spins["A"].setValue(10)
    dialog.threshold_spins["C"].setValue(70)
    assert dialog.preview.text() == "A: top 10% · B: 10–40% · C: 40–70% · D: bottom 30%"
    _ok(qtbot, dialog)
    expected = TeamSettings(
        value_measure="profit",
        value_window="latest_period",
        class_thresholds={"A": 10, "B": 40, "C": 70, "D": 100},
        currency="CNY",
        target_matrix=matrix,
    )
    assert saved == [expected]
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.saved_settings == expected
    assert dialog.errors() == {}


def test_thresholds_out_of_order_show_under_the_thresholds_and_save_nothing(qtbot):
    saved: list[TeamSettings] = []
    dialog = _dialog(qtbot, saved)
    dialog.threshold_spins["B"].setValue(15)
    _ok(qtbot, dialog)
    assert saved == [] and dialog.isVisible() and dialog.saved_settings is None
    assert dialog.errors() == {"class_thresholds": "Class B ends at 15%, which is not above class A's 20%."}
    label = dialog.error_labels["class_thresholds"]
    assert label.isVisible() and label.parentWidget() is dialog.threshold_spins["B"].parentWidget()
    assert dialog.marked() == [dialog.threshold_spins["B"]] and _is_marked(dialog.threshold_spins["B"])
    assert dialog.focusWidget() is dialog.threshold_spins["B"]
    # Correcting the field clears its message and mark straight away; then OK saves.
    dialog.threshold_spins["B"].setValue(30)
    assert dialog.errors() == {} and dialog.marked() == []
    assert not _is_marked(dialog.threshold_spins["B"])
    _ok(qtbot, dialog)
    assert [s.class_thresholds for s in saved] == [{"A": 20, "B": 30, "C": 80, "D": 100}]


def test_c_at_100_leaves_nothing_for_d_and_marks_c(qtbot):
    saved: list[TeamSettings] = []
    dialog = _dialog(qtbot, saved)
    assert not dialog.threshold_spins["D"].isEnabled() and dialog.threshold_spins["D"].value() == 100
    dialog.threshold_spins["C"].setValue(100)
    _ok(qtbot, dialog)
    assert saved == []
    assert "Class D ends at 100%" in dialog.errors()["class_thresholds"]
    assert dialog.marked() == [dialog.threshold_spins["C"]]


def test_typed_currency_is_uppercased(qtbot):
    saved: list[TeamSettings] = []
    dialog = _dialog(qtbot, saved)
    line = dialog.currency_combo.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, "usd")
    assert dialog.currency_combo.currentText() == "USD"
    _ok(qtbot, dialog)
    assert saved[0].currency == "USD"


def test_a_bad_currency_is_named_on_its_field(qtbot):
    saved: list[TeamSettings] = []
    dialog = _dialog(qtbot, saved)
    dialog.currency_combo.setCurrentText("US")
    dialog.threshold_spins["B"].setValue(10)
    _ok(qtbot, dialog)
    assert saved == []
    errors = dialog.errors()
    assert errors["currency"] == "The currency must be a three-letter code such as CNY, HKD or USD."
    assert "class_thresholds" in errors  # every field's problem at once, not one per OK
    assert dialog.error_labels["currency"].isVisible() and _is_marked(dialog.currency_combo)
    assert dialog.focusWidget() is dialog.threshold_spins["B"]  # the first problem in the form gets the focus
    dialog.currency_combo.setCurrentText("HKD")
    assert "currency" not in dialog.errors() and not _is_marked(dialog.currency_combo)


def test_restore_defaults_resets_only_the_thresholds(qtbot):
    saved: list[TeamSettings] = []
    dialog = _dialog(
        qtbot,
        saved,
        TeamSettings(class_thresholds={"A": 5, "B": 50, "C": 90, "D": 100}, value_measure="profit", currency="EUR"),
    )
    assert dialog.preview.text() == "A: top 5% · B: 5–50% · C: 50–90% · D: bottom 10%"
    dialog.threshold_spins["B"].setValue(3)
    _ok(qtbot, dialog)
    assert "class_thresholds" in dialog.errors()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert {k: s.value() for k, s in dialog.threshold_spins.items()} == {"A": 20, "B": 40, "C": 80, "D": 100}
    assert dialog.preview.text() == "A: top 20% · B: 20–40% · C: 40–80% · D: bottom 20%"
    assert dialog.errors() == {} and dialog.isVisible() and saved == []
    assert dialog.measure_combo.currentData() == "profit" and dialog.currency_combo.currentText() == "EUR"


def test_a_busy_file_warns_and_keeps_the_input(qtbot, scripted):
    attempts: list[TeamSettings] = []

    def busy(settings: TeamSettings) -> None:
        attempts.append(settings)
        if len(attempts) == 1:
            raise DatabaseBusyError("bob")

    dialog = TeamSettingsDialog(TeamSettings(), busy)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.threshold_spins["A"].setValue(25)
    dialog.currency_combo.setCurrentText("SGD")
    _ok(qtbot, dialog)
    assert scripted.shown == [("warn", "Settings not saved", str(DatabaseBusyError("bob")))]
    assert "it is open now by bob" in scripted.shown[0][2]
    assert dialog.isVisible() and dialog.saved_settings is None
    assert dialog.threshold_spins["A"].value() == 25 and dialog.currency_combo.currentText() == "SGD"
    _ok(qtbot, dialog)  # trying again once the colleague is done
    assert len(attempts) == 2 and dialog.saved_settings == attempts[1] and not dialog.isVisible()


def test_a_refusal_from_the_service_is_shown_on_its_field(qtbot, scripted):
    def refuse(_settings: TeamSettings) -> None:
        raise SettingsError("currency", "The service does not know this currency.")

    dialog = TeamSettingsDialog(TeamSettings(), refuse)
    qtbot.addWidget(dialog)
    dialog.show()
    _ok(qtbot, dialog)
    assert dialog.errors() == {"currency": "The service does not know this currency."}
    assert dialog.isVisible() and scripted.shown == []


def test_broken_incoming_targets_are_reported_not_silently_ignored(qtbot):
    saved: list[TeamSettings] = []
    matrix = {k: dict(v) for k, v in DEFAULT_TARGET_MATRIX.items() if k != "D"}
    dialog = _dialog(qtbot, saved, TeamSettings(target_matrix=matrix))
    _ok(qtbot, dialog)
    assert saved == [] and dialog.isVisible()
    # The grid shows the missing row as empty cells and names the first of them.
    assert dialog.errors() == {
        "target_matrix": "The target for class D, Owner / GM / VP is empty: choose a stage from Stranger to Best friend."
    }
    assert dialog.error_labels["target_matrix"].isVisible()
    assert {key for key, cell in dialog.judgement.grid.cells.items() if cell.property("invalid")} == {
        ("D", rank) for rank in ("owner", "manager", "staff", "clerk")
    }


@pytest.mark.parametrize("widget", ["spin", "currency", "restore"])
def test_enter_is_ok_and_escape_is_cancel(qtbot, widget):
    saved: list[TeamSettings] = []
    dialog = _dialog(qtbot, saved)
    field = {
        "spin": dialog.threshold_spins["A"],
        "currency": dialog.currency_combo.lineEdit(),
        "restore": dialog.restore_button,
    }[widget]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert len(saved) == 1 and dialog.result() == dialog.DialogCode.Accepted

    other = _dialog(qtbot, saved)
    other.threshold_spins["A"].setValue(30)
    qtbot.keyClick(other.threshold_spins["A"], Qt.Key.Key_Escape)
    assert len(saved) == 1 and other.result() == other.DialogCode.Rejected and other.saved_settings is None


def test_read_only_disables_every_input_and_ok(qtbot):
    saved: list[TeamSettings] = []
    dialog = _dialog(qtbot, saved, read_only=True)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).isEnabled()
    inputs = [
        dialog.measure_combo,
        dialog.window_combo,
        dialog.currency_combo,
        dialog.restore_button,
        *dialog.threshold_spins.values(),
    ]
    assert not any(w.isEnabled() for w in inputs)
    assert dialog.read_only_note is not None and dialog.read_only_note.isVisible()
    assert "read-only" in dialog.read_only_note.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert saved == [] and dialog.isVisible()


def test_messages_grow_the_dialog_instead_of_squeezing_it(qtbot):
    dialog = _dialog(qtbot, [])
    spin_height = dialog.threshold_spins["A"].height()
    dialog.threshold_spins["B"].setValue(10)
    dialog.currency_combo.setCurrentText("X")
    _ok(qtbot, dialog)
    qtbot.wait(10)
    assert dialog.height() >= dialog.layout().totalHeightForWidth(dialog.width())
    assert dialog.threshold_spins["A"].height() == spin_height
    assert dialog.threshold_spins["A"].height() >= dialog.threshold_spins["A"].minimumSizeHint().height()


def test_qt_standard_buttons_speak_chinese_too(qtbot, tmp_path):
    from PySide6.QtCore import QLocale, QTranslator
    from PySide6.QtWidgets import QApplication

    from kamdesk.app import apply_language
    from kamdesk.i18n import set_language
    from kamdesk.ui.app_settings import AppSettings

    app = QApplication.instance()
    settings = AppSettings(tmp_path / "k.ini")
    settings.language = "zh_TW"
    try:
        apply_language(app, settings)
        dialog = _dialog(qtbot, [])
        assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
        assert dialog.windowTitle() == "團隊設定"
        dialog.threshold_spins["B"].setValue(10)
        _ok(qtbot, dialog)
        message = dialog.errors()["class_thresholds"]
        assert "B" in message and "10%" in message and "20%" in message and "Class" not in message
    finally:
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)
            translator.deleteLater()
        set_language("en")
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
