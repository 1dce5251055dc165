"""Team settings, the account-judgement part: the targets grid, the pyramid's key accounts, cost to serve and the
stingy customer's cap, as a team lead would edit them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kamdesk.domain.settings import DEFAULT_TARGET_MATRIX, TeamSettings
from kamdesk.ui.dialogs.settings_dialog import TeamSettingsDialog


def _dialog(qtbot, saved: list[TeamSettings], settings: TeamSettings | None = None, **options) -> TeamSettingsDialog:
    dialog = TeamSettingsDialog(settings or TeamSettings(), saved.append, **options)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _ok(qtbot, dialog: TeamSettingsDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def _choose(dialog: TeamSettingsDialog, cls: str, rank: str, stage: str) -> None:
    cell = dialog.judgement.grid.cells[(cls, rank)]
    cell.setCurrentIndex(cell.findData(stage))


def test_the_grid_shows_the_default_chart_and_saves_an_edited_cell(qtbot):
    saved: list[TeamSettings] = []
    dialog = _dialog(qtbot, saved)
    grid = dialog.judgement.grid
    assert grid.matrix() == DEFAULT_TARGET_MATRIX
    assert grid.cells[("A", "owner")].currentText() == "Best friend"
    _choose(dialog, "B", "clerk", "ordinary_brother")  # this team wants B's assistants closer
    _ok(qtbot, dialog)
    assert len(saved) == 1 and saved[0].target_matrix["B"]["clerk"] == "ordinary_brother"
    assert saved[0].target_matrix["A"] == DEFAULT_TARGET_MATRIX["A"]


def test_a_cell_left_empty_is_named_marked_and_nothing_is_saved(qtbot):
    saved: list[TeamSettings] = []
    dialog = _dialog(qtbot, saved)
    _choose(dialog, "C", "manager", "")
    _ok(qtbot, dialog)
    assert saved == [] and dialog.isVisible()
    assert "class C, Manager / director is empty" in dialog.errors()["target_matrix"]
    assert dialog.judgement.grid.cells[("C", "manager")].property("invalid")
    _choose(dialog, "C", "manager", "good_friend")  # corrected: the message goes as the person fixes it
    assert "target_matrix" not in dialog.errors()
    _ok(qtbot, dialog)
    assert len(saved) == 1


def test_a_stored_value_below_stranger_is_shown_as_it_is_and_refused(qtbot):
    saved: list[TeamSettings] = []
    matrix = {k: dict(v) for k, v in DEFAULT_TARGET_MATRIX.items()}
    matrix["D"]["clerk"] = "enemy"
    dialog = _dialog(qtbot, saved, TeamSettings(target_matrix=matrix))
    assert dialog.judgement.grid.cells[("D", "clerk")].currentText() == "“enemy” (not a stage)"
    _ok(qtbot, dialog)
    assert saved == [] and "not a stage" in dialog.errors()["target_matrix"]


def test_cost_marks_out_of_order_and_a_negative_hourly_cost_are_refused(qtbot):
    saved: list[TeamSettings] = []
    dialog = _dialog(qtbot, saved)
    judgement = dialog.judgement
    assert judgement.hourly_cost.text() == "200"
    judgement.cost_watch.setValue(10)
    judgement.cost_alarm.setValue(5)
    _ok(qtbot, dialog)
    assert saved == [] and "out of order" in dialog.errors()["cost_to_serve"]
    assert judgement.cost_watch.property("invalid") and not judgement.hourly_cost.property("invalid")
    judgement.cost_alarm.setValue(12)
    judgement.hourly_cost.setText("-80")
    _ok(qtbot, dialog)
    assert saved == [] and "cannot be negative" in dialog.errors()["cost_to_serve"]
    assert judgement.hourly_cost.property("invalid")
    judgement.hourly_cost.setText("150")
    judgement.key_basis.setCurrentIndex(judgement.key_basis.findData("class_a"))
    judgement.stingy_cap.setValue(4)
    _ok(qtbot, dialog)
    assert len(saved) == 1
    s = saved[0]
    assert (s.hourly_cost_cents, s.cost_watch_pct, s.cost_alarm_pct) == (15000, 10, 12)
    assert (s.pyramid_key_basis, s.stingy_cap_hours) == ("class_a", 4)
    assert not judgement.key_share.isEnabled()  # the share only applies to "top share"


def test_settings_the_dialog_does_not_show_are_kept(qtbot):
    saved: list[TeamSettings] = []
    incoming = TeamSettings(zipper_warn_share=0.6)
    dialog = _dialog(qtbot, saved, incoming)
    _ok(qtbot, dialog)
    assert saved[0].zipper_warn_share == 0.6


def test_read_only_disables_the_grid(qtbot):
    dialog = _dialog(qtbot, [], read_only=True)
    assert not dialog.judgement.grid.cells[("A", "owner")].isEnabled()
    assert not dialog.judgement.hourly_cost.isEnabled()
