"""Every message box and file dialog goes through here, so tests can answer them."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from kamdesk.i18n import _


class Prompts:
    """The real dialogs; tests replace `prompts` (the module instance) with a scripted double."""

    def ask_text(self, parent: QWidget | None, title: str, label: str, default: str = "") -> str | None:
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
        return text if ok else None

    def ask_yes_no(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def open_file(self, parent: QWidget | None, title: str, directory: str = "") -> str | None:
        path, _filter = QFileDialog.getOpenFileName(parent, title, directory, _("kamdesk team files (*.kamdb);;All files (*)"))
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


    def open_document(self, path: str) -> None:
        """Show a file the app wrote (a PDF) in the system's viewer."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))


prompts = Prompts()


def set_prompts(replacement: Prompts) -> Prompts:
    """Swap the dialogs (for tests); returns the previous ones."""
    global prompts
    previous, prompts = prompts, replacement
    return previous


def current() -> Prompts:
    return prompts
