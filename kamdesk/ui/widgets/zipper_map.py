"""The zipper map (domain.md §10): their organisation left, ours right, the ties between and the gaps."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QMenu,
    QStyleOptionGraphicsItem,
    QWidget,
)

from kamdesk.domain.enums import BuyingRole, RankTier, RelationshipStage, TeamRole
from kamdesk.domain.org_map import (
    MapAnalysis,
    MapContact,
    MapMember,
    OrgLayout,
    OrgMapData,
    layout_org_map,
    link_status,
)
from kamdesk.i18n import _
from kamdesk.ui import prompts
from kamdesk.ui.widgets.charts import percent
from kamdesk.ui.widgets.colours import mix, tinted

THEIRS, OURS = "theirs", "ours"

# Okabe–Ito colours: green and vermillion stay apart for the common colour-vision deficiencies,
# and below-target links are dashed as well, so colour is never the only cue.
GOOD_COLOUR = QColor("#009E73")
BELOW_COLOUR = QColor("#D55E00")
NO_TARGET_COLOUR = QColor("#8C8C8C")
GAP_COLOUR = QColor("#C62828")
OUR_COLOUR = QColor("#0072B2")
LINK_COLOURS: dict[str, QColor] = {"above": GOOD_COLOUR, "at": GOOD_COLOUR, "below": BELOW_COLOUR,
                                   "none": NO_TARGET_COLOUR}

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


# --- items --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TextRun:
    font: QFont
    text: str
    position: QPointF
    colour: QColor


class PersonCard(QGraphicsItem):
    """One person: a rounded card with their name, title and, for theirs, role and stage against target."""

    def __init__(self, side: str, person_id: int, style: _Style, lines: Sequence[tuple[str, str]],
                 *, key: bool = False, gap: bool = False, status: str | None = None) -> None:
        super().__init__()
        self.side = side
        self.person_id = person_id
        self.column = 0  # the layout column: negative for theirs, positive for ours
        self._style = style
        self._rect = QRectF(0, 0, style.card_width, style.card_height)
        self._key = key
        self._gap = gap
        self._drop_target = False
        radius = style.badge_radius
        self._bounds = self._rect.adjusted(-3, -radius - 2, radius + 2, 3)
        self._runs, self._dot = self._lay_out(lines, status)
        self.setData(0, (side, person_id))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_CARD)

    def _lay_out(self, lines: Sequence[tuple[str, str]], status: str | None
                 ) -> tuple[list[_TextRun], tuple[QPointF, QColor] | None]:
        """Elide every line to the card once, so painting only draws."""
        style = self._style
        pad = style.pad
        runs: list[_TextRun] = []
        dot: tuple[QPointF, QColor] | None = None
        for index, (kind, text) in enumerate(lines):
            if not text:
                continue
            bold = kind == "name"
            metrics = style.bold_metrics if bold else style.metrics
            left: float = pad
            width: float = self._rect.width() - 2 * pad
            if bold and self._gap:
                width -= style.badge_radius  # the badge overlaps the top-right corner
            baseline = pad * 0.7 + index * style.line + (style.line + metrics.ascent() - metrics.descent()) / 2
            if kind == "stage" and status is not None:
                size = metrics.ascent() * 0.55
                dot = (QPointF(left + size / 2, baseline - metrics.ascent() * 0.35), LINK_COLOURS[status])
                left += size + pad * 0.5
                width -= size + pad * 0.5
            colour = style.text if kind in ("name", "title") else style.muted
            runs.append(_TextRun(style.bold if bold else style.font, style.elide(text, width, metrics),
                                 QPointF(left, baseline), colour))
        return runs, dot

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def texts(self) -> list[str]:
        """The lines as drawn, after eliding (the tooltip holds them whole)."""
        return [run.text for run in self._runs]

    def is_gap(self) -> bool:
        return self._gap

    def set_drop_target(self, on: bool) -> None:
        if on != self._drop_target:
            self._drop_target = on
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,  # noqa: ARG002
              widget: QWidget | None = None) -> None:
        style = self._style
        if self._drop_target:
            brush = style.drop_brush
        else:
            brush = QBrush(style.our_fill if self.side == OURS else style.their_fill)
        if self.isSelected():
            pen = style.selected_pen
        elif self._gap:
            pen = style.gap_pen
        elif self._key:
            pen = style.key_pen
        else:
            pen = style.our_pen if self.side == OURS else style.card_pen
        painter.setPen(pen)
        painter.setBrush(brush)
        painter.drawRoundedRect(self._rect, style.radius, style.radius)
        if self._dot is not None:
            centre, colour = self._dot
            size = style.metrics.ascent() * 0.55
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawEllipse(centre, size / 2, size / 2)
        font: QFont | None = None
        pen_colour: QColor | None = None
        for run in self._runs:
            if run.font is not font:
                painter.setFont(run.font)
                font = run.font
            if run.colour is not pen_colour:
                painter.setPen(run.colour)
                pen_colour = run.colour
            painter.drawText(run.position, run.text)
        if self._gap:
            _paint_badge(painter, style, QPointF(self._rect.right() - 1, self._rect.top() + 1))


class LinkItem(QGraphicsPathItem):
    """A tie between one of ours and one of theirs, coloured and weighted by its stage against target."""

    def __init__(self, member_id: int, contact_id: int, path: QPainterPath, pen: QPen, status: str) -> None:
        super().__init__(path)
        self.member_id = member_id
        self.contact_id = contact_id
        self.status = status
        self.setPen(pen)
        self.setData(0, ("link", member_id, contact_id))
        self.setZValue(Z_LINK)


class GapBadge(QGraphicsItem):
    """The "!" on a link below target."""

    def __init__(self, style: _Style, centre: QPointF, member_id: int, contact_id: int) -> None:
        super().__init__()
        self._style = style
        radius = style.badge_radius + 1
        self._bounds = QRectF(-radius, -radius, 2 * radius, 2 * radius)
        self.setPos(centre)
        self.setData(0, ("gap", member_id, contact_id))
        self.setZValue(Z_BADGE)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,  # noqa: ARG002
              widget: QWidget | None = None) -> None:
        _paint_badge(painter, self._style, QPointF(0, 0))


class TextBlock(QGraphicsItem):
    """Text in a box: wrapped to its width (word by word, or by character for Chinese) or elided to one line."""

    def __init__(self, text: str, font: QFont, colour: QColor, width: float, *, wrap: bool = True,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft, fill: QColor | None = None,
                 border: QColor | None = None, padding: float = 0.0, badge: _Style | None = None) -> None:
        super().__init__()
        self.text = text
        self._font = font
        self._colour = colour
        self._fill = fill
        self._border = border
        self._badge = badge
        metrics = QFontMetricsF(font)
        indent = badge.badge_radius * 2 + padding if badge is not None else 0.0
        inner = max(width - 2 * padding - indent, 1.0)
        if wrap:
            self._flags = int(align) | int(Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)
            height = metrics.boundingRect(QRectF(0, 0, inner, 1e6), self._flags, text).height()
            self._shown = text
        else:
            self._flags = int(align) | int(Qt.AlignmentFlag.AlignVCenter)
            height = metrics.lineSpacing() * 1.15
            self._shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner)
            if self._shown != text:
                self.setToolTip(text)
            if fill is not None and align == Qt.AlignmentFlag.AlignLeft:
                # A filled label covers only its text, not the whole width it may take.
                inner = min(inner, math.ceil(metrics.horizontalAdvance(self._shown)) + 2.0)
                width = inner + 2 * padding + indent
        self._text_rect = QRectF(padding + indent, padding, inner, math.ceil(height))
        self._rect = QRectF(0, 0, width, math.ceil(height) + 2 * padding)
        self.setZValue(Z_TEXT)

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,  # noqa: ARG002
              widget: QWidget | None = None) -> None:
        if self._fill is not None or self._border is not None:
            painter.setPen(QPen(self._border, 1.5) if self._border is not None else Qt.PenStyle.NoPen)
            painter.setBrush(self._fill if self._fill is not None else Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._rect, 4, 4)
        if self._badge is not None:
            radius = self._badge.badge_radius
            _paint_badge(painter, self._badge, QPointF(self._text_rect.left() - radius - self._text_rect.top() / 2,
                                                       self._text_rect.top() + radius + 1))
        painter.setFont(self._font)
        painter.setPen(self._colour)
        painter.drawText(self._text_rect, self._flags, self._shown)


class Legend(QGraphicsItem):
    """What the marks mean, flowed into as many lines as the width needs."""

    def __init__(self, style: _Style, width: float) -> None:
        super().__init__()
        self._style = style
        metrics = style.small_metrics
        self._sample = style.line * 1.6
        entries: list[tuple[str, str]] = [
            ("good", _("At or above target")),
            ("below", _("Below target")),
            ("none", _("No target (class or rank not set)")),
            ("reports", _("Reports to")),
            ("key", _("Key person")),
            ("gap", _("Key person with no counterpart, or link below target")),
        ]
        self._cells: list[tuple[str, QRectF, str]] = []
        x = y = 0.0
        gap = style.line
        for kind, text in entries:
            text_width = min(metrics.horizontalAdvance(text) + 2, width - self._sample - style.pad)
            cell_width = self._sample + style.pad + text_width
            if x > 0 and x + cell_width > width:
                x, y = 0.0, y + style.line
            self._cells.append((kind, QRectF(x, y, cell_width, style.line),
                                metrics.elidedText(text, Qt.TextElideMode.ElideRight, text_width)))
            x += cell_width + gap
        hint = _("Drag from one of our people onto one of theirs to link them; double-click a person to "
                 "open their card.")
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        hint_top = y + style.line * 1.2
        hint_height = metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, hint).height()
        self._hint = (QRectF(0, hint_top, width, math.ceil(hint_height)), flags, hint)
        self._rect = QRectF(0, 0, width, hint_top + math.ceil(hint_height))
        self.setZValue(Z_TEXT)

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,  # noqa: ARG002
              widget: QWidget | None = None) -> None:
        style = self._style
        painter.setFont(style.small)
        for kind, cell, text in self._cells:
            mid = cell.center().y()
            sample = QRectF(cell.left(), cell.top(), self._sample, cell.height())
            if kind in ("good", "below", "none", "reports"):
                pen = style.reports_pen if kind == "reports" else style.link_pens["at" if kind == "good" else kind]
                painter.setPen(pen)
                painter.drawLine(QLineF(sample.left() + 2, mid, sample.right() - 2, mid))
            elif kind == "key":
                painter.setPen(style.key_pen)
                painter.setBrush(style.their_fill)
                painter.drawRoundedRect(sample.adjusted(3, 4, -3, -4), 3, 3)
            else:
                _paint_badge(painter, style, QPointF(sample.center().x(), mid))
                painter.setFont(style.small)
            painter.setPen(style.text)
            painter.drawText(QRectF(sample.right() + style.pad, cell.top(), cell.width() - self._sample - style.pad,
                                    cell.height()), _LEFT, text)
        rect, flags, hint = self._hint
        painter.setPen(style.muted)
        painter.drawText(rect, flags, hint)


# --- geometry -----------------------------------------------------------------------------------


class _Grid:
    """Scene positions of the layout's cells: the zipper at x = 0, rows stacked in rank bands."""

    def __init__(self, layout: OrgLayout, style: _Style, top: float) -> None:
        self.style = style
        self.layout = layout
        self.top = top
        self.pitch_x = style.card_width + style.column_gap
        self.pitch_y = style.card_height + style.row_gap
        self.band_of_row: list[int] = []
        for index, band in enumerate(layout.bands):
            self.band_of_row += [index] * band.rows
        self.columns_theirs = max(layout.columns_theirs, 1)
        self.columns_ours = max(layout.columns_ours, 1)
        self.left = -style.zipper_gap / 2 - self.columns_theirs * self.pitch_x + style.column_gap
        self.right = style.zipper_gap / 2 + self.columns_ours * self.pitch_x - style.column_gap

    def card_left(self, column: int) -> float:
        if column < 0:
            return -self.style.zipper_gap / 2 - (-column) * self.pitch_x + self.style.column_gap
        return self.style.zipper_gap / 2 + (column - 1) * self.pitch_x

    def card_top(self, row: int) -> float:
        band = self.band_of_row[row] if row < len(self.band_of_row) else 0
        return (self.top + (band + 1) * self.style.band_header + band * (self.style.band_gap + self.style.row_gap)
                + row * self.pitch_y)

    def band_rect(self, index: int) -> QRectF:
        band = self.layout.bands[index]
        style = self.style
        first = self.card_top(band.top)
        top = first - style.band_header - style.row_gap / 2
        height = style.band_header + band.rows * self.pitch_y
        return QRectF(self.left - style.margin * 0.6, top, self.right - self.left + style.margin * 1.2, height)

    def bottom(self) -> float:
        if not self.layout.bands:
            return self.top + self.style.band_header + self.pitch_y
        return self.band_rect(len(self.layout.bands) - 1).bottom()


def _bezier(p0: QPointF, c1: QPointF, c2: QPointF, p1: QPointF, t: float) -> QPointF:
    u = 1 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return QPointF(a * p0.x() + b * c1.x() + c * c2.x() + d * p1.x(), a * p0.y() + b * c1.y() + c * c2.y() + d * p1.y())


def _edge_point(rect: QRectF, towards: QPointF) -> QPointF:
    """Where the line from rect's centre towards a point leaves the rect."""
    centre = rect.center()
    dx, dy = towards.x() - centre.x(), towards.y() - centre.y()
    if dx == 0 and dy == 0:
        return centre
    scale = min(rect.width() / 2 / abs(dx) if dx else math.inf, rect.height() / 2 / abs(dy) if dy else math.inf)
    return QPointF(centre.x() + dx * scale, centre.y() + dy * scale)


def _fan_out(groups: dict[int, list[tuple[tuple[int, int], float]]], style: _Style
             ) -> dict[tuple[int, int], tuple[float, float]]:
    """Per link at a card: where it leaves the card's edge (spread along it in the order of the other
    ends, so links from one card do not cross) and a small sideways offset for its route."""
    ends: dict[tuple[int, int], tuple[float, float]] = {}
    for items in groups.values():
        items.sort(key=lambda item: item[1])
        count = len(items)
        step = min(3.0, style.column_gap / 2 / (count + 1))
        for index, (key, _other) in enumerate(items):
            ends[key] = (style.card_height * (index + 1) / (count + 1), (index - (count - 1) / 2) * step)
    return ends


def _route(card: PersonCard, end: tuple[float, float], style: _Style) -> list[QPointF]:
    """From a card's edge to the edge of the zipper gap. A card next to the gap leaves straight from
    its inner edge; one further out goes down the gap beside it and along the gap under its row, so
    its links never pass behind the cards nearer the zipper."""
    along, offset = end
    toward = 1.0 if card.side == THEIRS else -1.0  # the direction of the zipper
    left = card.pos().x()
    edge = left + card.rect().width() if card.side == THEIRS else left
    anchor = QPointF(edge, card.pos().y() + along)
    if abs(card.column) <= 1:
        return [anchor]
    aisle = edge + toward * (style.column_gap / 2 + offset)
    gutter = card.pos().y() + card.rect().height() + style.row_gap / 2 + offset
    rim = -toward * style.zipper_gap / 2
    return [anchor, QPointF(aisle, anchor.y()), QPointF(aisle, gutter), QPointF(rim, gutter)]


def _choose_layout(data: OrgMapData, style: _Style) -> OrgLayout:
    """The rows per band that give the map the most screen-like shape (wider than tall)."""
    pitch_x = style.card_width + style.column_gap
    pitch_y = style.card_height + style.row_gap
    band_extra = style.band_header + style.band_gap + style.row_gap
    best: tuple[float, OrgLayout] | None = None
    for rows in range(2, MAX_ROWS + 1):
        layout = layout_org_map(data, rows)
        width = (max(layout.columns_theirs, 1) + max(layout.columns_ours, 1)) * pitch_x + style.zipper_gap
        height = layout.rows * pitch_y + len(layout.bands) * band_extra
        score = abs(math.log(width / max(height, 1.0) / TARGET_ASPECT))
        if best is None or score < best[0] - 1e-9:
            best = (score, layout)
        if all(band.rows < rows for band in layout.bands):
            break  # every band already fits in one column: more rows change nothing
    assert best is not None
    return best[1]


# --- the view -----------------------------------------------------------------------------------


class ZipperMapView(QGraphicsView):
    """Both organisations side by side by rank, the ties between them, and the gaps in the zipper.

    A click selects a person; a double-click (or Enter on the selection) activates them. Dragging
    from one of ours onto one of theirs asks for a link between the two.
    """

    contact_activated = Signal(int)
    member_activated = Signal(int)
    link_requested = Signal(int, int)  # member id, contact id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        # Few hundred items, rebuilt whole on every change: a BSP index would cost more than it saves.
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(self._scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Relationship map"))
        self._data: OrgMapData | None = None
        self._analysis: MapAnalysis | None = None
        self._people: dict[tuple[str, int], PersonCard] = {}
        self._links: dict[tuple[int, int], LinkItem] = {}
        self._gaps: list[tuple[str, int] | tuple[str, int, int]] = []
        self._banner = ""
        self._coverage = ""
        self._empty = ""
        self._zipper_x = 0.0
        self._auto_fit = True
        self._press: tuple[PersonCard, QPoint] | None = None
        self._drag_line: QGraphicsLineItem | None = None
        self._drop_target: PersonCard | None = None
        self._cursor = self.viewport().cursor()

    # --- content ------------------------------------------------------------------------------

    def set_map(self, data: OrgMapData, analysis: MapAnalysis) -> None:
        """Draw the map of one account; the view fits it until the person zooms."""
        self._data, self._analysis = data, analysis
        self._rebuild()
        self.fit()

    def clear_map(self) -> None:
        self._data = self._analysis = None
        self._rebuild()

    def map_data(self) -> OrgMapData | None:
        return self._data

    def analysis(self) -> MapAnalysis | None:
        return self._analysis

    def _rebuild(self) -> None:
        self._cancel_drag()
        self._press = None
        self._scene.clear()
        self._people, self._links, self._gaps = {}, {}, []
        self._banner = self._coverage = self._empty = ""
        style = _Style(self.font(), self.palette())
        self._scene.setBackgroundBrush(style.base)
        if self._data is not None and self._analysis is not None:
            if not self._data.theirs and not self._data.ours:
                self._build_empty(style)
            else:
                self._build(style, self._data, self._analysis)
        rect = self._scene.itemsBoundingRect()
        self._scene.setSceneRect(rect.adjusted(-style.margin, -style.margin, style.margin, style.margin))

    def _build_empty(self, style: _Style) -> None:
        self._empty = _("No contacts at this account yet. Add the people you deal with there, then link "
                        "each of them to someone on our team: the map will show who knows whom.")
        self._scene.addItem(TextBlock(self._empty, style.font, style.muted, style.line * 24))

    def _build(self, style: _Style, data: OrgMapData, analysis: MapAnalysis) -> None:
        their_lines = {c.id: self._their_lines(c, analysis.targets.get(c.id)) for c in data.theirs}
        our_lines = {m.id: self._our_lines(m) for m in data.ours}
        style.fit_cards([*their_lines.values(), *our_lines.values()])
        layout = _choose_layout(data, style)
        probe = _Grid(layout, style, 0)
        left, width = probe.left, probe.right - probe.left
        y = 0.0
        title = TextBlock(data.account_name, style.title, style.text, width, wrap=False)
        title.setPos(left, y)
        self._scene.addItem(title)
        y += title.rect().height() + style.pad * 0.5
        if analysis.bow_tie is not None:
            self._banner = analysis.bow_tie.explanation
            banner = TextBlock(self._banner, style.font, style.text, width, fill=tinted(GAP_COLOUR, 28),
                               border=GAP_COLOUR, padding=style.pad, badge=style)
            banner.setPos(left, y)
            self._scene.addItem(banner)
            y += banner.rect().height() + style.pad
        self._coverage = self._coverage_text(data, analysis)
        if self._coverage:
            coverage = TextBlock(self._coverage, style.font, style.text, width)
            coverage.setPos(left, y)
            self._scene.addItem(coverage)
            y += coverage.rect().height() + style.pad
        grid = _Grid(layout, style, y + style.line * 1.8)
        self._add_headings(style, grid, y)
        self._add_bands(style, grid)
        self._add_people(style, grid, data, analysis, their_lines, our_lines)
        self._add_reports(style, data)
        self._add_links(style, grid, data, analysis)
        self._add_zipper(style, grid)
        legend = Legend(style, width)
        legend.setPos(left, grid.bottom() + style.line * 0.8)
        self._scene.addItem(legend)

    def _coverage_text(self, data: OrgMapData, analysis: MapAnalysis) -> str:
        if not data.theirs:
            return ""
        share = analysis.coverage_share
        if share is None:
            return _("No key people marked yet: give their people a buying role to see coverage.")
        parts = [_("Coverage of key people: {share}").format(share=percent(share, self.locale()))]
        parts += [_("{tier} {covered}/{people}").format(tier=rank_label(row.rank_tier), covered=row.covered,
                                                       people=row.key_people) for row in analysis.coverage]
        return " · ".join(parts)

    def _add_headings(self, style: _Style, grid: _Grid, y: float) -> None:
        their_width = -style.zipper_gap / 2 - grid.left
        our_width = grid.right - style.zipper_gap / 2
        theirs = TextBlock(_("Their people"), style.bold, style.text, their_width, wrap=False)
        theirs.setPos(grid.left, y)
        ours = TextBlock(_("Our team"), style.bold, OUR_COLOUR if style.base.lightness() > 128 else style.text,
                         our_width, wrap=False)
        ours.setPos(style.zipper_gap / 2, y)
        self._scene.addItem(theirs)
        self._scene.addItem(ours)

    def _add_bands(self, style: _Style, grid: _Grid) -> None:
        for index, band in enumerate(grid.layout.bands):
            rect = grid.band_rect(index)
            item = self._scene.addRect(rect, QPen(Qt.PenStyle.NoPen), style.band_fills[index % 2])
            item.setZValue(Z_BAND)
            item.setData(0, ("band", band.rank_tier))
            # Filled with the band's colour and over the lines, so no reports-to line strikes it through.
            label = TextBlock(rank_label(band.rank_tier), style.small, style.muted,
                              rect.width() - 2 * style.pad, wrap=False, fill=style.band_fills[index % 2],
                              padding=2)
            label.setPos(rect.left() + style.pad - 2, rect.top() + (style.band_header - style.small_line) / 2 - 2)
            label.setZValue(Z_CARD)
            self._scene.addItem(label)

    def _add_people(self, style: _Style, grid: _Grid, data: OrgMapData, analysis: MapAnalysis,
                    their_lines: dict[int, list[tuple[str, str]]],
                    our_lines: dict[int, list[tuple[str, str]]]) -> None:
        uncovered = set(analysis.uncovered_key_people)
        cells = grid.layout.cells
        for contact in data.theirs:
            cell = cells.get((THEIRS, contact.id))
            if cell is None:
                continue
            target = analysis.targets.get(contact.id)
            gap = contact.id in uncovered
            card = PersonCard(THEIRS, contact.id, style, their_lines[contact.id], key=contact.is_key, gap=gap,
                              status=link_status(contact_stage(contact), target))
            tip = [text for _kind, text in their_lines[contact.id] if text]
            if gap:
                tip.append(_("Key person with no counterpart on our team"))
                self._gaps.append((THEIRS, contact.id))
            card.setToolTip("\n".join(tip))
            self._place(card, grid, cell)
        for member in data.ours:
            cell = cells.get((OURS, member.id))
            if cell is None:
                continue
            card = PersonCard(OURS, member.id, style, our_lines[member.id])
            card.setToolTip("\n".join(text for _kind, text in our_lines[member.id] if text))
            self._place(card, grid, cell)
        self._add_side_hint(style, grid, THEIRS if not data.theirs else OURS if not data.ours else "")

    def _place(self, card: PersonCard, grid: _Grid, cell: tuple[int, int]) -> None:
        card.column = cell[0]
        card.setPos(grid.card_left(cell[0]), grid.card_top(cell[1]))
        self._people[(card.side, card.person_id)] = card
        self._scene.addItem(card)

    def _add_side_hint(self, style: _Style, grid: _Grid, side: str) -> None:
        if not side:
            return
        text = _("No contacts at this account yet.") if side == THEIRS else _(
            "Nobody from our team is on this account yet.")
        hint = TextBlock(text, style.font, style.muted, style.card_width)
        hint.setPos(grid.card_left(-1 if side == THEIRS else 1), grid.card_top(0))
        self._scene.addItem(hint)

    @staticmethod
    def _their_lines(contact: MapContact, target: RelationshipStage | None) -> list[tuple[str, str]]:
        role = contact.role
        return [("name", contact.name), ("title", contact.title),
                ("role", role.label if isinstance(role, BuyingRole) else ""),
                ("stage", stage_text(contact_stage(contact), target))]

    @staticmethod
    def _our_lines(member: MapMember) -> list[tuple[str, str]]:
        role = _enum(TeamRole, member.role)
        return [("name", member.name), ("title", member.title),
                ("role", role.label if isinstance(role, TeamRole) else "")]

    def _add_reports(self, style: _Style, data: OrgMapData) -> None:
        """Thin grey org-chart lines from each of their people up to their boss, all in one path."""
        path = QPainterPath()
        for contact in data.theirs:
            card = self._people.get((THEIRS, contact.id))
            boss = self._people.get((THEIRS, contact.reports_to_id)) if contact.reports_to_id else None
            if card is None or boss is None or boss is card:
                continue
            mine = QRectF(card.pos(), card.rect().size())
            above = QRectF(boss.pos(), boss.rect().size())
            if mine.top() > above.bottom():
                # Down from the boss, along the gap over the person's row, down into their card.
                elbow = mine.top() - style.row_gap / 2
                path.moveTo(above.center().x(), above.bottom())
                path.lineTo(above.center().x(), elbow)
                path.lineTo(mine.center().x(), elbow)
                path.lineTo(mine.center().x(), mine.top())
            else:
                path.moveTo(_edge_point(above, mine.center()))
                path.lineTo(_edge_point(mine, above.center()))
        if not path.isEmpty():
            item = self._scene.addPath(path, style.reports_pen)
            item.setZValue(Z_REPORTS)

    def _add_links(self, style: _Style, grid: _Grid, data: OrgMapData, analysis: MapAnalysis) -> None:
        pairs = [(link.member_id, link.contact_id) for link in data.links
                 if (link.member_id, link.contact_id) in analysis.link_status
                 and (OURS, link.member_id) in self._people and (THEIRS, link.contact_id) in self._people]
        pairs = list(dict.fromkeys(pairs))
        centre_y = {key: card.pos().y() + style.card_height / 2 for key, card in self._people.items()}
        by_contact: dict[int, list[tuple[tuple[int, int], float]]] = {}
        by_member: dict[int, list[tuple[tuple[int, int], float]]] = {}
        for member_id, contact_id in pairs:
            by_contact.setdefault(contact_id, []).append(((member_id, contact_id), centre_y[(OURS, member_id)]))
            by_member.setdefault(member_id, []).append(((member_id, contact_id), centre_y[(THEIRS, contact_id)]))
        their_end = _fan_out(by_contact, style)
        our_end = _fan_out(by_member, style)
        stages = {(link.member_id, link.contact_id): link.relationship_stage for link in data.links}
        names = {(OURS, m.id): m.name for m in data.ours} | {(THEIRS, c.id): c.name for c in data.theirs}
        badge_x = -style.zipper_gap * 0.3
        for key in pairs:
            member_id, contact_id = key
            status = analysis.link_status[key]
            theirs = _route(self._people[(THEIRS, contact_id)], their_end[key], style)
            ours = _route(self._people[(OURS, member_id)], our_end[key], style)
            start, end = theirs[-1], ours[-1]
            reach = (end.x() - start.x()) * 0.5
            c1, c2 = QPointF(start.x() + reach, start.y()), QPointF(end.x() - reach, end.y())
            path = QPainterPath(theirs[0])
            for point in theirs[1:]:
                path.lineTo(point)
            path.cubicTo(c1, c2, end)
            for point in reversed(ours[:-1]):
                path.lineTo(point)
            item = LinkItem(member_id, contact_id, path, style.link_pens[status], status)
            target = analysis.targets.get(contact_id)
            item.setToolTip(_("{ours} and {theirs}: {progress}").format(
                ours=names[(OURS, member_id)], theirs=names[(THEIRS, contact_id)],
                progress=stage_text(stages[key], target)))
            self._links[key] = item
            self._scene.addItem(item)
            if status == "below":
                self._gaps.append(("link", member_id, contact_id))
                self._scene.addItem(GapBadge(style, self._point_at_x(start, c1, c2, end, badge_x),
                                             member_id, contact_id))

    @staticmethod
    def _point_at_x(p0: QPointF, c1: QPointF, c2: QPointF, p1: QPointF, x: float) -> QPointF:
        """The point of the curve at x (its x only grows along the curve), else its middle."""
        if not p0.x() <= x <= p1.x():
            return _bezier(p0, c1, c2, p1, 0.5)
        low, high = 0.0, 1.0
        for _step in range(10):
            middle = (low + high) / 2
            if _bezier(p0, c1, c2, p1, middle).x() < x:
                low = middle
            else:
                high = middle
        return _bezier(p0, c1, c2, p1, (low + high) / 2)

    def _add_zipper(self, style: _Style, grid: _Grid) -> None:
        """A line with teeth down the middle: the seam where the two organisations meet."""
        top, bottom = grid.top - style.pad, grid.bottom()
        path = QPainterPath(QPointF(0, top))
        path.lineTo(0, bottom)
        tooth = style.line * 0.3
        y, side = top + tooth, -1
        while y < bottom - tooth:
            path.moveTo(0, y)
            path.lineTo(side * tooth, y)
            y, side = y + tooth * 1.5, -side
        item = self._scene.addPath(path, style.zipper_pen)
        item.setZValue(Z_REPORTS)
        item.setData(0, ("zipper",))
        self._zipper_x = 0.0

    # --- queries (for tests and callers) ------------------------------------------------------

    def person_item(self, side: str, person_id: int) -> PersonCard | None:
        return self._people.get((side, person_id))

    def person_items(self) -> dict[tuple[str, int], PersonCard]:
        return dict(self._people)

    def link_item(self, member_id: int, contact_id: int) -> LinkItem | None:
        return self._links.get((member_id, contact_id))

    def link_colour(self, member_id: int, contact_id: int) -> QColor:
        item = self._links.get((member_id, contact_id))
        if item is None:
            raise KeyError((member_id, contact_id))
        return item.pen().color()

    def gap_markers(self) -> list[tuple[str, int] | tuple[str, int, int]]:
        """The gaps marked with "!": ("theirs", contact id) per uncovered key person, ("link", member id,
        contact id) per link below target."""
        return list(self._gaps)

    def banner_text(self) -> str:
        return self._banner

    def coverage_text(self) -> str:
        return self._coverage

    def empty_text(self) -> str:
        return self._empty

    def zipper_x(self) -> float:
        return self._zipper_x

    def selected_person(self) -> tuple[str, int] | None:
        cards = [item for item in self._scene.selectedItems() if isinstance(item, PersonCard)]
        return (cards[0].side, cards[0].person_id) if cards else None

    def select_person(self, side: str, person_id: int) -> None:
        self._scene.clearSelection()
        card = self._people.get((side, person_id))
        if card is not None:
            card.setSelected(True)
            self.ensureVisible(card)

    # --- zoom and images ----------------------------------------------------------------------

    def fit(self) -> None:
        """The whole map in view, keeping its proportions; it stays fitted as the view resizes."""
        self._auto_fit = True
        rect = self._scene.sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom_in(self) -> None:
        self._zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(1 / ZOOM_STEP)

    def zoom_level(self) -> float:
        return self.transform().m11()

    def _zoom(self, factor: float) -> None:
        self._auto_fit = False
        current = self.transform().m11()
        wanted = min(max(current * factor, MIN_SCALE), MAX_SCALE)
        if current > 0 and wanted != current:
            self.scale(wanted / current, wanted / current)

    def render_image(self, width: int, height: int) -> QImage:
        """The whole map drawn into width × height, keeping its proportions, on the base colour."""
        image = QImage(max(width, 1), max(height, 1), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(self.palette().color(QPalette.ColorRole.Base))
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        source = self._scene.sceneRect()
        if not source.isEmpty():
            self._scene.render(painter, QRectF(image.rect()), source, Qt.AspectRatioMode.KeepAspectRatio)
        painter.end()
        return image

    def save_png(self, path: str) -> bool:
        """The whole map at full size (within MAX_EXPORT_SIDE) as a PNG file."""
        rect = self._scene.sceneRect()
        scale = min(1.0, MAX_EXPORT_SIDE / max(rect.width(), rect.height(), 1.0))
        image = self.render_image(math.ceil(rect.width() * scale), math.ceil(rect.height() * scale))
        return image.save(path, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; PySide6 wants str

    def save_with_dialog(self) -> None:
        path = prompts.current().save_image(self, _("Save map as PNG"))
        if path and not self.save_png(path):
            message = _("The map could not be saved to {path}. Check that the folder exists and that you "
                        "may write to it.")
            prompts.current().warn(self, _("Map not saved"), message.format(path=path))

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(_("Fit"), self.fit)
        menu.addAction(_("Zoom in"), self.zoom_in)
        menu.addAction(_("Zoom out"), self.zoom_out)
        menu.addSeparator()
        menu.addAction(_("Save map as PNG…"), self.save_with_dialog)
        return menu

    # --- events -------------------------------------------------------------------------------

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._auto_fit:
            self.fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange) and self._data is not None:
            self._rebuild()
            if self._auto_fit:
                self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self._zoom(WHEEL_STEP ** steps)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            selected = self.selected_person()
            if selected is not None:
                self._activate(*selected)
                event.accept()
                return
        if event.matches(QKeySequence.StandardKey.ZoomIn):
            self.zoom_in()
        elif event.matches(QKeySequence.StandardKey.ZoomOut):
            self.zoom_out()
        elif event.key() == Qt.Key.Key_0 and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.fit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        card = self._card_at(event.position().toPoint())
        super().mouseDoubleClickEvent(event)
        if card is not None and event.button() == Qt.MouseButton.LeftButton:
            self._activate(card.side, card.person_id)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._press = None
        if event.button() == Qt.MouseButton.LeftButton:
            card = self._card_at(event.position().toPoint())
            if card is not None and card.side == OURS:
                self._press = (card, event.position().toPoint())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            card, start = self._press
            position = event.position().toPoint()
            if self._drag_line is None:
                if (position - start).manhattanLength() < QApplication.startDragDistance():
                    event.accept()
                    return
                self._start_drag(card)
            self._update_drag(card, position)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        press, dragging = self._press, self._drag_line is not None
        target = self._card_at(event.position().toPoint()) if dragging else None
        self._press = None
        self._cancel_drag()
        super().mouseReleaseEvent(event)
        if press is not None and dragging and target is not None and target.side == THEIRS:
            self.link_requested.emit(press[0].person_id, target.person_id)

    # --- helpers ------------------------------------------------------------------------------

    def _activate(self, side: str, person_id: int) -> None:
        if side == THEIRS:
            self.contact_activated.emit(person_id)
        else:
            self.member_activated.emit(person_id)

    def _card_at(self, position: QPoint) -> PersonCard | None:
        return next((item for item in self.items(position) if isinstance(item, PersonCard)), None)

    def _start_drag(self, card: PersonCard) -> None:
        style_pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.5, Qt.PenStyle.DashLine)
        style_pen.setCosmetic(True)
        self._drag_line = QGraphicsLineItem()
        self._drag_line.setPen(style_pen)
        self._drag_line.setZValue(Z_DRAG)
        self._drag_line.setData(0, ("drag",))
        self._scene.addItem(self._drag_line)
        self._cursor = self.viewport().cursor()
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)

    def _update_drag(self, card: PersonCard, position: QPoint) -> None:
        assert self._drag_line is not None
        anchor = card.mapToScene(QPointF(0, card.rect().height() / 2))
        self._drag_line.setLine(QLineF(anchor, self.mapToScene(position)))
        target = self._card_at(position)
        target = target if target is not None and target.side == THEIRS else None
        if target is not self._drop_target:
            if self._drop_target is not None:
                self._drop_target.set_drop_target(False)
            if target is not None:
                target.set_drop_target(True)
            self._drop_target = target

    def _cancel_drag(self) -> None:
        if self._drop_target is not None:
            self._drop_target.set_drop_target(False)
            self._drop_target = None
        if self._drag_line is not None:
            self._scene.removeItem(self._drag_line)
            self._drag_line = None
            self.viewport().setCursor(self._cursor)

