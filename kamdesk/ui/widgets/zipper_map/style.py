"""The org map's look: colours, fonts and sizes that follow the palette and the screen, and labels."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
)

from kamdesk.domain.enums import RankTier, RelationshipStage
from kamdesk.domain.org_map import (
    MapContact,
)
from kamdesk.i18n import _
from kamdesk.ui.widgets.colours import mix

THEIRS, OURS = "theirs", "ours"

# Okabe–Ito colours: green and vermillion stay apart for the common colour-vision deficiencies,
# and below-target links are dashed as well, so colour is never the only cue.
GOOD_COLOUR = QColor("#009E73")
BELOW_COLOUR = QColor("#D55E00")
NO_TARGET_COLOUR = QColor("#8C8C8C")
GAP_COLOUR = QColor("#C62828")
OUR_COLOUR = QColor("#0072B2")
LINK_COLOURS: dict[str, QColor] = {
    "above": GOOD_COLOUR,
    "at": GOOD_COLOUR,
    "below": BELOW_COLOUR,
    "none": NO_TARGET_COLOUR,
}

#: Most people per column within a rank band before the band grows another column outward; fewer
#: when that gives the map a shape closer to TARGET_ASPECT (width / height).
MAX_ROWS = 8
TARGET_ASPECT = 1.5
ZOOM_STEP = 1.25
WHEEL_STEP = 1.15
MIN_SCALE, MAX_SCALE = 0.05, 8.0
#: save_png renders the whole map at 1:1, but no side longer than this.
MAX_EXPORT_SIDE = 6000

# Stacking order, bottom to top.
Z_BAND, Z_REPORTS, Z_LINK, Z_CARD, Z_BADGE, Z_TEXT, Z_DRAG = range(7)

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter


def _enum(kind: type, value: str | None) -> object:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def rank_label(rank_tier: str) -> str:
    rank = _enum(RankTier, rank_tier)
    return rank.label if isinstance(rank, RankTier) else _("No rank")


def stage_text(stage: RelationshipStage, target: RelationshipStage | None) -> str:
    """The stage reached against the stage aimed for, e.g. "Good friend → target Good brother"."""
    if target is None:
        return _("{stage}, no target").format(stage=stage.label)
    return _("{stage} → target {target}").format(stage=stage.label, target=target.label)


def contact_stage(contact: MapContact) -> RelationshipStage:
    stage = _enum(RelationshipStage, contact.stage)
    return stage if isinstance(stage, RelationshipStage) else RelationshipStage.STRANGER


# --- style --------------------------------------------------------------------------------------


class _Style:
    """Fonts, metrics, sizes and pens for one build of the scene, made once and shared by every item."""

    def __init__(self, font: QFont, palette: QPalette) -> None:
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.small = _scaled(font, 0.9)
        self.title = _scaled(self.bold, 1.25)
        self.metrics = QFontMetricsF(self.font)
        self.bold_metrics = QFontMetricsF(self.bold)
        self.small_metrics = QFontMetricsF(self.small)
        # A little extra leading: Chinese glyphs come from a fallback font and fill the line.
        self.line = math.ceil(self.metrics.lineSpacing() * 1.15)
        self.small_line = math.ceil(self.small_metrics.lineSpacing() * 1.15)
        self.pad = round(self.line * 0.45)
        self.han = self.metrics.horizontalAdvance("中")
        self.card_width = round(max(self.han * 10, self.line * 9) + 2 * self.pad)
        self.card_height = round(4 * self.line + 1.4 * self.pad)
        self.column_gap = round(self.line * 1.6)
        self.row_gap = round(self.line * 0.9)
        self.zipper_gap = round(self.line * 9)
        self.band_header = round(self.small_line * 1.3)
        self.band_gap = round(self.line * 0.5)
        self.margin = round(self.line)
        self.badge_radius = self.line * 0.5
        self.radius = self.line * 0.35

        self.text = palette.color(QPalette.ColorRole.Text)
        self.base = palette.color(QPalette.ColorRole.Base)
        self.highlight = palette.color(QPalette.ColorRole.Highlight)
        self.muted = mix(self.base, self.text, 0.55)
        self.border = mix(self.base, self.text, 0.4)
        self.their_fill = self.base
        self.our_fill = mix(self.base, OUR_COLOUR, 0.1)
        self.band_fills = (mix(self.base, self.text, 0.05), mix(self.base, self.text, 0.09))
        self.reports_pen = QPen(mix(self.base, self.text, 0.35), 1.0)
        self.zipper_pen = QPen(mix(self.base, self.text, 0.45), 1.5)
        self.card_pen = QPen(self.border, 1.0)
        self.our_pen = QPen(mix(self.base, OUR_COLOUR, 0.7), 1.0)
        self.key_pen = QPen(mix(self.base, self.text, 0.85), 2.0)
        self.gap_pen = QPen(GAP_COLOUR, 2.6, Qt.PenStyle.DashLine)
        self.selected_pen = QPen(self.highlight, 3.5)
        self.drop_brush = QBrush(mix(self.base, self.highlight, 0.25))
        self.badge_text_pen = QPen(QColor("white"))
        self.badge_brush = QBrush(GAP_COLOUR)
        self.link_pens = {status: self.link_pen(status) for status in LINK_COLOURS}

    def fit_cards(self, lines: Iterable[Sequence[tuple[str, str]]]) -> None:
        """Cards as wide as their texts need: every stage line whole, names and titles up to a cap
        (longer ones are elided, with the whole text in the tooltip)."""
        text = stage = 0.0
        dot = self.metrics.ascent() * 0.55 + self.pad * 0.5
        for person in lines:
            for kind, value in person:
                if kind == "stage":
                    stage = max(stage, self.metrics.horizontalAdvance(value) + dot)
                elif kind == "name":
                    text = max(text, self.bold_metrics.horizontalAdvance(value) + self.badge_radius)
                else:
                    text = max(text, self.metrics.horizontalAdvance(value))
        inner = max(self.line * 8, min(text, self.han * 12), stage)
        self.card_width = math.ceil(inner + 2 + 2 * self.pad)

    def link_pen(self, status: str) -> QPen:
        colour = LINK_COLOURS[status]
        if status in ("above", "at"):
            return QPen(colour, 3.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        if status == "below":
            pen = QPen(colour, 2.4, Qt.PenStyle.DashLine, Qt.PenCapStyle.FlatCap)
            pen.setDashPattern([4.0, 2.0])
            return pen
        return QPen(colour, 1.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)

    def elide(self, text: str, width: float, metrics: QFontMetricsF | None = None) -> str:
        return (metrics or self.metrics).elidedText(text, Qt.TextElideMode.ElideRight, width)


def _scaled(font: QFont, factor: float) -> QFont:
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        scaled.setPixelSize(max(1, round(font.pixelSize() * factor)))
    return scaled


def _paint_badge(painter: QPainter, style: _Style, centre: QPointF) -> None:
    """The red "!" that marks a gap: a key person with no counterpart, or a link below target."""
    radius = style.badge_radius
    painter.setPen(QPen(style.base, 1.5))
    painter.setBrush(style.badge_brush)
    painter.drawEllipse(centre, radius, radius)
    painter.setPen(style.badge_text_pen)
    painter.setFont(style.bold)
    painter.drawText(QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius), _CENTRE, "!")
