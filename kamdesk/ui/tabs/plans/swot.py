"""A SWOT (strengths, weaknesses, opportunities, threats) as a 2×2 grid of text boxes."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QGroupBox, QPlainTextEdit, QVBoxLayout, QWidget

from kamdesk.domain.plans import SWOT_PARTS, Swot
from kamdesk.i18n import _


class SwotGrid(QWidget):
    """The four corners of a SWOT as a 2×2 grid of text boxes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QPlainTextEdit] = {}
        for index, (key, label) in enumerate(SWOT_PARTS):
            box = QGroupBox(_(label))
            edit = QPlainTextEdit()
            edit.setMinimumHeight(60)
            QVBoxLayout(box).addWidget(edit)
            grid.addWidget(box, index // 2, index % 2)
            self.edits[key] = edit

    def load(self, swot: Swot) -> None:
        for key, edit in self.edits.items():
            edit.setPlainText(getattr(swot, key))

    def value(self) -> Swot:
        return Swot(**{key: edit.toPlainText() for key, edit in self.edits.items()})
