"""The zipper check's two marks in Team settings: when one of ours holds too many of an account's ties."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QSpinBox, QWidget

from kamdesk.domain.settings import TeamSettings
from kamdesk.i18n import _


def _percent_spin() -> QSpinBox:
    spin = QSpinBox()
    # 0 and 100 are allowed in the box so that a mark out of order can be typed and then refused with a message.
    spin.setRange(0, 100)
    spin.setSuffix("%")
    spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("100%") + 36)  # room for the arrows
    return spin


class ZipperMarks(QGroupBox):
    """Warning over one share, bow-tie at another; the settings' own check says when they are out of order."""

    changed = Signal()

    def __init__(self, error_label: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(_("Zipper check"), parent)
        self.warn_spin = _percent_spin()
        self.bow_tie_spin = _percent_spin()
        self.error_label = error_label
        form = QFormLayout(self)
        note = QLabel(
            _(
                "The share of an account's ties held by our most-connected person: above the first mark the "
                "zipper gets a warning, at the second it is a bow-tie."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(_("Warning above"), self.warn_spin)
        form.addRow(_("Bow-tie at"), self.bow_tie_spin)
        form.addRow("", error_label)
        self.warn_spin.valueChanged.connect(lambda _value: self.changed.emit())
        self.bow_tie_spin.valueChanged.connect(lambda _value: self.changed.emit())

    def load(self, settings: TeamSettings) -> None:
        for spin, share in (
            (self.warn_spin, settings.zipper_warn_share),
            (self.bow_tie_spin, settings.zipper_bow_tie_share),
        ):
            try:
                spin.setValue(round(float(share) * 100))
            except (TypeError, ValueError):
                spin.setValue(0)  # an unreadable stored mark shows as 0%, which the check then refuses

    def apply(self, settings: TeamSettings) -> None:
        settings.zipper_warn_share = self.warn_spin.value() / 100
        settings.zipper_bow_tie_share = self.bow_tie_spin.value() / 100

    def widgets(self) -> list[QWidget]:
        return [self.warn_spin, self.bow_tie_spin]
