"""A small line of an account's revenue by period, drawn with QPainter; the figures are in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kamdesk.i18n import _
from kamdesk.ui import formatting


class Sparkline(QWidget):
    """Revenue per period, oldest on the left; the last point is marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[str, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(140, 34)

    def set_points(self, points: list[tuple[str, int]]) -> None:
        self.points = points
        self.setToolTip(
            "\n".join(f"{period}: {formatting.money(cents)}" for period, cents in points)
            if points
            else _("No revenue recorded yet")
        )
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if len(self.points) < 2:
            return
        values = [cents for _period, cents in self.points]
        low, high = min(values), max(values)
        span = (high - low) or 1
        width, height, margin = self.width(), self.height(), 4
        step = (width - 2 * margin) / (len(values) - 1)
        line = [
            QPointF(margin + i * step, height - margin - (v - low) / span * (height - 2 * margin))
            for i, v in enumerate(values)
        ]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = self.palette().highlight().color()
        painter.setPen(QPen(colour, 1.6))
        painter.drawPolyline(line)
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(line[-1], 2.6, 2.6)
        painter.end()
