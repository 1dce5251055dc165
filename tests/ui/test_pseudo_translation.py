"""Pseudo-translation: every string made about 40% longer, the main forms built, and no label, button or
check box may end up narrower than its text needs. Screenshots land in the test's folder to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kamdesk import i18n
from kamdesk.services.demo import load_demo
from kamdesk.services.workspace import Workspace, open_workspace
from kamdesk.ui.app_settings import AppSettings

ACCENTED = str.maketrans("aeiouAEIOUcnyCNY", "àéîõüÀÉÎÕÜçñýÇÑÝ")
PLACEHOLDER = re.compile(r"(\{[^{}]*\}|&&|&)")


def pseudo(text: str) -> str:
    """Accent the letters, keep placeholders and accelerators, and pad by ~40% inside brackets."""
    parts = PLACEHOLDER.split(text)
    body = "".join(p if PLACEHOLDER.fullmatch(p) else p.translate(ACCENTED) for p in parts)
    letters = sum(ch.isalpha() for p in parts if not PLACEHOLDER.fullmatch(p) for ch in p)
    return f"[{body}{'~' * max(1, int(letters * 0.4))}]" if letters else text


@pytest.fixture
def pseudo_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    source = i18n.load_catalog("zh_CN")  # its keys are every shipped English message
    monkeypatch.setattr(i18n, "_catalog", {msgid: pseudo(msgid) for msgid in source})
    yield


@pytest.fixture
def demo_ws(tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "demo.kamdb"
    load_demo(path, "small")
    workspace = open_workspace(path, "刘洋")
    yield workspace
    workspace.close()


def clipped(root: QWidget) -> list[str]:
    """Visible labels, buttons and check boxes narrower than their text (word-wrapped labels excepted)."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) or widget.width() <= 1:
            continue
        if isinstance(widget, QLabel):
            if widget.wordWrap() or not widget.text() or widget.pixmap() is not None and not widget.pixmap().isNull():
                continue
            needed = widget.sizeHint().width()
        elif isinstance(widget, QAbstractButton):
            if not widget.text():
                continue
            needed = widget.sizeHint().width()
        else:
            continue
        if widget.width() + 1 < needed:
            found.append(f"{type(widget).__name__} {widget.text()[:50]!r}: {widget.width()} < {needed}")
    return found


def clipped_on_every_page(root: QWidget) -> list[str]:
    """`clipped` on each page of every tab widget inside `root` (hidden pages cannot be measured)."""
    from PySide6.QtWidgets import QTabWidget

    found = set(clipped(root))
    for tabs in root.findChildren(QTabWidget):
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            _settle(root)
            found |= set(clipped(root))
    return sorted(found)


def _settle(widget: QWidget) -> None:
    widget.show()
    for _ in range(3):
        QApplication.processEvents()


def test_pseudo_translation_keeps_placeholders_and_grows_text():
    assert pseudo("Save {name} &now") == "[Sàvé {name} &ñõw~~]"
    assert pseudo("{count}") == "{count}"


def test_the_main_window_tabs_clip_nothing(qtbot, pseudo_language, demo_ws: Workspace, tmp_path: Path):
    from kamdesk.ui.main_window import MainWindow

    settings = AppSettings(tmp_path / "kamdesk.ini")
    window = MainWindow(demo_ws, settings, lambda path, create: open_workspace(path, "x", create=create))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    _settle(window)
    problems = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        _settle(window)
        window.grab().save(str(tmp_path / f"pseudo_tab{index}.png"))
        problems += [
            f"tab {window.tabs.tabText(index)}: {p}" for p in clipped_on_every_page(window.tabs.currentWidget())
        ]
    assert not problems, "\n".join(problems)


def test_the_main_dialogs_clip_nothing(qtbot, pseudo_language, demo_ws: Workspace, tmp_path: Path):
    from kamdesk.domain.contacts import ContactQuery
    from kamdesk.domain.models import AccountQuery
    from kamdesk.ui.dialogs.account_dialog import AccountDialog
    from kamdesk.ui.dialogs.contact_dialog import ContactDialog
    from kamdesk.ui.dialogs.followup_dialogs import PlanDialog
    from kamdesk.ui.dialogs.preferences_dialog import PreferencesDialog
    from kamdesk.ui.dialogs.settings_dialog import TeamSettingsDialog
    from kamdesk.ui.dialogs.welcome_dialog import WelcomeDialog
    from kamdesk.ui.tabs.gifts.dialogs.entry_dialog import EntryDialog
    from kamdesk.ui.tabs.gifts.dialogs.visit_dialog import VisitDialog

    account = demo_ws.accounts.page(AccountQuery(), 0, 1)[0].id
    contact = demo_ws.contacts.first_page(ContactQuery(), 1)[0][0].id
    members = demo_ws.team.members()
    settings = AppSettings(tmp_path / "kamdesk.ini")
    dialogs = {
        "account": AccountDialog(demo_ws.accounts, members, account),
        "contact": ContactDialog(demo_ws.contacts, members, contact),
        "plan_followup": PlanDialog(demo_ws),
        "gift_entry": EntryDialog(demo_ws),
        "visit": VisitDialog(demo_ws),
        "team_settings": TeamSettingsDialog(demo_ws.settings.load(), lambda s: None),
        "preferences": PreferencesDialog(settings),
        "welcome": WelcomeDialog(settings),
    }
    problems = []
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.adjustSize()
        _settle(dialog)
        dialog.grab().save(str(tmp_path / f"pseudo_{name}.png"))
        problems += [f"{name}: {p}" for p in clipped_on_every_page(dialog)]
        dialog.close()
    assert not problems, "\n".join(problems)


def test_the_clipping_check_sees_a_squeezed_button(qtbot):
    from PySide6.QtWidgets import QHBoxLayout, QPushButton

    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QHBoxLayout(holder)
    squeezed = QPushButton(pseudo("Copy to next period…"))
    squeezed.setMaximumWidth(40)
    layout.addWidget(squeezed)
    _settle(holder)
    assert any("õpý tõ ñéxt" in line for line in clipped(holder))
