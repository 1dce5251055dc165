"""How a form says a field is wrong: a red line under it, and a red border on the field itself."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

#: Text that says something is wrong (readable on light and dark palettes).
ERROR_STYLE = "color: #b00020"
#: The border of a field whose value was refused.
INVALID_STYLE = "border: 1px solid #b00020"


class FieldError(QLabel):
    """A red line under a field saying what is wrong with it; hidden while the field is fine."""

    def __init__(self) -> None:
        super().__init__()
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))
