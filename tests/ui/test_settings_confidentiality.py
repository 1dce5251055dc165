"""The team's confidentiality mark for printed plan packs, set in the team settings dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kamdesk.domain.settings import TeamSettings
from kamdesk.ui.dialogs.settings_dialog import TeamSettingsDialog


def test_the_confidentiality_mark_is_shown_edited_and_saved(qtbot):
    saved: list[TeamSettings] = []
    dialog = TeamSettingsDialog(TeamSettings(confidentiality="内部资料"), saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.confidentiality_edit
    assert edit.text() == "内部资料"
    # Left empty, the pack prints the default, which the box shows as its placeholder.
    assert edit.placeholderText() == "Confidential — for internal use only; not to be shown to the customer"
    edit.setText("  机密：仅限 销售部   与管理层 ")
    dialog.grab().save("/tmp/shots/22a-settings-confidentiality.png")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert [s.confidentiality for s in saved] == ["机密：仅限 销售部 与管理层"]
    assert saved[0].currency == "CNY" and saved[0].value_measure == "revenue"  # the rest as it was
