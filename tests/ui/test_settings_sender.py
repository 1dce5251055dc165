"""The team's return address for gift labels: set in the team settings dialog, printed on every label."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kamdesk.domain.contacts import ContactDetail
from kamdesk.domain.gifts import RegisterEntry
from kamdesk.domain.models import AccountDetail
from kamdesk.domain.settings import SENDER_MAX, TeamSettings
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.settings_dialog import TeamSettingsDialog

SENDER = "王芳 江苏省南京市建邺区江东中路 311 号 210019 025-8888 1234"


def test_the_sender_is_shown_edited_and_saved(qtbot):
    saved: list[TeamSettings] = []
    dialog = TeamSettingsDialog(TeamSettings(sender_address="旧地址"), saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.sender_edit.text() == "旧地址" and dialog.sender_edit.maxLength() == SENDER_MAX
    dialog.sender_edit.setText("  " + SENDER.replace(" ", "   ") + " ")
    dialog.body_scroll.ensureWidgetVisible(dialog.sender_edit)
    dialog.grab().save("/tmp/shots/22b-settings-sender.png")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert [s.sender_address for s in saved] == [SENDER]
    assert TeamSettings(sender_address="x" * (SENDER_MAX + 1)).validate_all().keys() == {"sender_address"}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_labels_carry_the_saved_sender_and_list_gifts_without_an_address(workspace: Workspace, tmp_path: Path):
    workspace.clock.fix(dt.date(2027, 8, 20))
    account, _ = workspace.accounts.save(AccountDetail(name="苏宁易购集团"))
    with_address = workspace.contacts.save(
        ContactDetail(name="曾国华", account_id=account, address="南京市玄武区中山路 100 号 210008")
    )
    without = workspace.contacts.save(ContactDetail(name="陈静", account_id=account))
    for contact, item in ((with_address, "中秋月饼"), (without, "西湖龙井")):
        workspace.gifts.record(
            RegisterEntry(
                "holiday", item, 300_00, dt.date(2027, 9, 10), account_id=account, contact_id=contact,
                delivery="courier", status="planned", occasion="中秋节",
            )
        )  # fmt: skip
    workspace.settings.save(TeamSettings(sender_address=SENDER))
    out = tmp_path / "labels.pdf"
    workspace.gifts.print_labels(dt.date(2027, 1, 1), dt.date(2027, 12, 31), out)
    cover, sheet = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout.split(
        "\f"
    )[:2]
    assert "Gifts without an address (1)" in cover and "陈静" in cover and "西湖龙井" in cover
    assert "曾国华" in sheet and "陈静" not in sheet and "Postcode 210008" in sheet
    assert "From: 王芳 江苏省南京市建邺区" in sheet
