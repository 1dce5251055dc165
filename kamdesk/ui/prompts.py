"""Every message box and file dialog goes through here, so tests can answer them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from kamdesk.i18n import _

if TYPE_CHECKING:
    from kamdesk.ui.dialogs.conflict_dialog import ConflictView

#: How long a notice stays in the status bar (ms).
NOTICE_MS = 20_000


class Prompts:
    """The real dialogs; tests replace `prompts` (the module instance) with a scripted double."""

    def ask_text(self, parent: QWidget | None, title: str, label: str, default: str = "") -> str | None:
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
        return text if ok else None

    def ask_yes_no(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def open_file(self, parent: QWidget | None, title: str, directory: str = "") -> str | None:
        path, _filter = QFileDialog.getOpenFileName(
            parent, title, directory, _("kamdesk team files (*.kamdb);;All files (*)")
        )
        return path or None

    def save_file(self, parent: QWidget | None, title: str, directory: str = "") -> str | None:
        path, _filter = QFileDialog.getSaveFileName(parent, title, directory, _("kamdesk team files (*.kamdb)"))
        if path and not path.endswith(".kamdb"):
            path += ".kamdb"
        return path or None

    def save_image(self, parent: QWidget | None, title: str, directory: str = "") -> str | None:
        path, _filter = QFileDialog.getSaveFileName(parent, title, directory, _("PNG images (*.png)"))
        if path and not path.lower().endswith(".png"):
            path += ".png"
        return path or None

    def save_pdf(self, parent: QWidget | None, title: str, directory: str = "") -> str | None:
        path, _filter = QFileDialog.getSaveFileName(parent, title, directory, _("PDF documents (*.pdf)"))
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path or None

    def open_data_file(self, parent: QWidget | None, title: str, file_filter: str, directory: str = "") -> str | None:
        """A file to import (CSV, XLSX, vCard…), with the given name filter."""
        path, _filter = QFileDialog.getOpenFileName(parent, title, directory, file_filter)
        return path or None

    def save_data_file(
        self, parent: QWidget | None, title: str, file_filter: str, suffix: str, directory: str = ""
    ) -> str | None:
        """Where to write an export; `suffix` (".csv") is added when the name has none."""
        path, _filter = QFileDialog.getSaveFileName(parent, title, directory, file_filter)
        if path and not Path(path).suffix:
            path += suffix
        return path or None

    def confirm_destructive(self, parent: QWidget | None, title: str, text: str, action: str) -> bool:
        """Ask before something that cannot be undone; `action` names the button that does it."""
        box = destructive_box(parent, title, text, action)
        box.exec()
        clicked = box.clickedButton()
        return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.DestructiveRole

    def choose(self, parent: QWidget | None, title: str, text: str, options: list[str]) -> int | None:
        """One of `options` (its index), or None for Cancel."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
        buttons = [box.addButton(option, QMessageBox.ButtonRole.AcceptRole) for option in options]
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return next((i for i, button in enumerate(buttons) if button is clicked), None)

    def resolve_conflicts(self, parent: QWidget | None, view: ConflictView) -> dict[str, str] | None:
        """Field by field, keep mine or theirs (field → "mine"/"theirs"); None when the person cancels."""
        from kamdesk.ui.dialogs.conflict_dialog import ConflictDialog

        dialog = ConflictDialog(view, parent)
        return dialog.choices() if dialog.exec() else None

    def notify(self, parent: QWidget | None, text: str) -> None:
        """A note that needs no answer: shown in the main window's status bar, never a box to click away."""
        widget = parent
        while widget is not None:
            top = widget.window()
            if isinstance(top, QMainWindow):
                top.statusBar().showMessage(text, NOTICE_MS)
                return
            widget = top.parentWidget()
        for top in QApplication.topLevelWidgets():
            if isinstance(top, QMainWindow) and top.isVisible():
                top.statusBar().showMessage(text, NOTICE_MS)
                return

    def open_document(self, path: str) -> None:
        """Show a file the app wrote (a PDF) in the system's viewer."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    def show_modal(self, dialog: QDialog) -> int:
        """Run a dialog the app built (a PDF preview) until the person closes it."""
        return dialog.exec()


def destructive_box(parent: QWidget | None, title: str, text: str, action: str) -> QMessageBox:
    """The warning box of `confirm_destructive`: the text, a button named for the action, Cancel as default."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Cancel, parent)
    box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box


prompts = Prompts()


def set_prompts(replacement: Prompts) -> Prompts:
    """Swap the dialogs (for tests); returns the previous ones."""
    global prompts
    previous, prompts = prompts, replacement
    return previous


def current() -> Prompts:
    return prompts
