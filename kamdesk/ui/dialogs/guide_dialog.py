"""Help → User guide: the short guide in the person's language, opened at a section from the forms."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kamdesk.i18n import _, current_language
from kamdesk.paths import resources_dir

#: The sections forms link to; every guide file carries each of them as <a name="…">.
GUIDE_ANCHORS = ("start", "tabs", "sharing", "backups", "language", "classes", "targets", "personality", "zipper")


def guide_file(language: str | None = None) -> Path:
    """The guide for a language (the current one by default), English when there is none for it."""
    folder = resources_dir() / "guide"
    wanted = folder / f"guide.{language or current_language()}.html"
    return wanted if wanted.exists() else folder / "guide.en.html"


class GuideDialog(QDialog):
    """The user guide in a text browser; links inside it move between sections, web links open outside."""

    def __init__(self, anchor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("kamdesk user guide"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSource(QUrl.fromLocalFile(str(guide_file())))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.anchor = anchor
        self.resize(720, 640)

    def show_section(self, anchor: str) -> None:
        """Scroll to a section (or the top when `anchor` is empty)."""
        self.anchor = anchor
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The browser lays its text out once shown; only then does an anchor have a position.
        QTimer.singleShot(0, lambda: self.show_section(self.anchor))


def show_guide(parent: QWidget | None, anchor: str = "") -> GuideDialog:
    """Open the guide beside `parent` (one per window, reused), at `anchor`; it does not block the form."""
    owner = parent.window() if parent is not None else None
    existing = owner.findChild(GuideDialog, options=Qt.FindChildOption.FindDirectChildrenOnly) if owner else None
    if isinstance(existing, GuideDialog) and existing.isVisible():
        existing.show_section(anchor)
        existing.raise_()  # it may be hidden behind the form
        existing.activateWindow()
        return existing
    dialog = existing if isinstance(existing, GuideDialog) else GuideDialog(anchor, owner)
    dialog.anchor = anchor
    dialog.show()
    return dialog


class GuideButton(QToolButton):
    """A small "?" beside a field that opens the guide at the section explaining it."""

    def __init__(self, anchor: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.anchor = anchor
        self.setText("?")
        self.setToolTip(tooltip)
        self.setAccessibleName(tooltip)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.setCursor(Qt.CursorShape.WhatsThisCursor)
        self.clicked.connect(lambda _checked=False: show_guide(self, self.anchor))


def with_guide(widget: QWidget, anchor: str, tooltip: str) -> QWidget:
    """`widget` with a guide button after it, as one row for a form."""
    row = QWidget()
    # Like the plain field it wraps, the row keeps its height; the form's spare room goes elsewhere.
    row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 1)
    layout.addWidget(GuideButton(anchor, tooltip))
    return row
