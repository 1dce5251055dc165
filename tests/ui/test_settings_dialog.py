"""The team settings dialog: a valid save, thresholds that do not partition 0–100, currency, busy file."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from kamdesk.domain.settings import TeamSettings
from kamdesk.storage.errors import DatabaseBusyError
from kamdesk.ui.dialogs.settings_dialog import TeamSettingsDialog


def _dialog(qtbot, saved: list[TeamSettings], settings: TeamSettings | None = None, **options) -> TeamSettingsDialog:
    dialog = TeamSettingsDialog(settings or TeamSettings(), saved.append, **options)
    qtbot.addWidget(dialog)
    return dialog


def test_a_valid_change_is_saved(qtbot):
    saved: list[TeamSettings] = []
    matrix = TeamSettings().target_matrix
    matrix["A"]["owner"] = "good_brother"
    dialog = _dialog(qtbot, saved, TeamSettings(target_matrix=matrix))
    dialog.measure_combo.setCurrentIndex(dialog.measure_combo.findData("profit"))
    dialog.window_combo.setCurrentIndex(dialog.window_combo.findData("latest_period"))
    dialog.threshold_spins["A"].setValue(10)
    dialog.currency_combo.setCurrentText("usd")
    assert "A: top 10%" in dialog.preview.text() and "D: bottom 20%" in dialog.preview.text()
    dialog.accept()
    assert saved == [TeamSettings(value_measure="profit", value_window="latest_period",
                                  class_thresholds={"A": 10, "B": 40, "C": 80, "D": 100}, currency="USD",
                                  target_matrix=matrix)]
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.saved_settings == saved[0]


def test_thresholds_out_of_order_show_under_the_thresholds_and_save_nothing(qtbot):
    saved: list[TeamSettings] = []
    dialog = _dialog(qtbot, saved)
    dialog.show()
    dialog.threshold_spins["B"].setValue(15)
    dialog.accept()
    assert saved == [] and dialog.isVisible()
    assert "Class B ends at 15%, which is not above class A's 20%" in dialog.errors()["class_thresholds"]
    dialog.restore_defaults()
    dialog.accept()
    assert len(saved) == 1


def test_a_bad_currency_is_named_on_its_field(qtbot):
    saved: list[TeamSettings] = []
    dialog = _dialog(qtbot, saved)
    dialog.currency_combo.setCurrentText("US")
    dialog.accept()
    assert saved == [] and "currency" in dialog.errors()
    assert "class_thresholds" not in dialog.errors()


def test_a_busy_file_warns_and_keeps_the_input(qtbot, scripted):
    def busy(_settings: TeamSettings) -> None:
        raise DatabaseBusyError("bob")

    dialog = TeamSettingsDialog(TeamSettings(), busy)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.threshold_spins["A"].setValue(25)
    dialog.accept()
    assert scripted.shown[-1][0] == "warn" and dialog.isVisible()
    assert dialog.threshold_spins["A"].value() == 25 and dialog.saved_settings is None


def test_read_only_disables_ok(qtbot):
    dialog = _dialog(qtbot, [], read_only=True)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert not dialog.threshold_spins["A"].isEnabled()


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
    finally:
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)
            translator.deleteLater()
        set_language("en")
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
