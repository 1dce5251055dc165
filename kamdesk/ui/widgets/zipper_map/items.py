"""What the org map is drawn with: person cards, ties, gap badges, text blocks and the legend."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from kamdesk.domain.enums import BuyingRole, RelationshipStage, TeamRole
from kamdesk.domain.org_map import MapContact, MapMember
from kamdesk.i18n import _
from kamdesk.ui.widgets.zipper_map.style import (
    _LEFT,
    LINK_COLOURS,
    OURS,
    Z_BADGE,
    Z_CARD,
    Z_LINK,
    Z_TEXT,
    _enum,
    _paint_badge,
    _Style,
    contact_stage,
    stage_text,
)

# --- items --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TextRun:
    font: QFont
    text: str
    position: QPointF
    colour: QColor


class PersonCard(QGraphicsItem):
    """One person: a rounded card with their name, title and, for theirs, role and stage against target."""

    def __init__(
        self,
        side: str,
        person_id: int,
        style: _Style,
        lines: Sequence[tuple[str, str]],
        *,
        key: bool = False,
        gap: bool = False,
        status: str | None = None,
    ) -> None:
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

    def _lay_out(
        self, lines: Sequence[tuple[str, str]], status: str | None
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
            runs.append(
                _TextRun(
                    style.bold if bold else style.font,
                    style.elide(text, width, metrics),
                    QPointF(left, baseline),
                    colour,
                )
            )
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

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,  # noqa: ARG002
        widget: QWidget | None = None,
    ) -> None:
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

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,  # noqa: ARG002
        widget: QWidget | None = None,
    ) -> None:
        _paint_badge(painter, self._style, QPointF(0, 0))


class _BoxItem(QGraphicsItem):
    """An item that knows its box (`_rect`) and paints a little past it by `_margin` (borders, focus)."""

    _rect = QRectF()
    _margin = 1.0

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect.adjusted(-self._margin, -self._margin, self._margin, self._margin)


class TextBlock(_BoxItem):
    """Text in a box: wrapped to its width (word by word, or by character for Chinese) or elided to one line."""

    def __init__(
        self,
        text: str,
        font: QFont,
        colour: QColor,
        width: float,
        *,
        wrap: bool = True,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        fill: QColor | None = None,
        border: QColor | None = None,
        padding: float = 0.0,
        badge: _Style | None = None,
    ) -> None:
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

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,  # noqa: ARG002
        widget: QWidget | None = None,
    ) -> None:
        if self._fill is not None or self._border is not None:
            painter.setPen(QPen(self._border, 1.5) if self._border is not None else Qt.PenStyle.NoPen)
            painter.setBrush(self._fill if self._fill is not None else Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._rect, 4, 4)
        if self._badge is not None:
            radius = self._badge.badge_radius
            _paint_badge(
                painter,
                self._badge,
                QPointF(
                    self._text_rect.left() - radius - self._text_rect.top() / 2, self._text_rect.top() + radius + 1
                ),
            )
        painter.setFont(self._font)
        painter.setPen(self._colour)
        painter.drawText(self._text_rect, self._flags, self._shown)


class Legend(_BoxItem):
    """What the marks mean, flowed into as many lines as the width needs."""

    _margin = 2.0

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
            self._cells.append(
                (
                    kind,
                    QRectF(x, y, cell_width, style.line),
                    metrics.elidedText(text, Qt.TextElideMode.ElideRight, text_width),
                )
            )
            x += cell_width + gap
        hint = _(
            "Drag from one of our people onto one of theirs to link them; double-click a person to open their card."
        )
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        hint_top = y + style.line * 1.2
        hint_height = metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, hint).height()
        self._hint = (QRectF(0, hint_top, width, math.ceil(hint_height)), flags, hint)
        self._rect = QRectF(0, 0, width, hint_top + math.ceil(hint_height))
        self.setZValue(Z_TEXT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,  # noqa: ARG002
        widget: QWidget | None = None,
    ) -> None:
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
            painter.drawText(
                QRectF(sample.right() + style.pad, cell.top(), cell.width() - self._sample - style.pad, cell.height()),
                _LEFT,
                text,
            )
        rect, flags, hint = self._hint
        painter.setPen(style.muted)
        painter.drawText(rect, flags, hint)


def their_lines(contact: MapContact, target: RelationshipStage | None) -> list[tuple[str, str]]:
    """What a card of theirs says: name, title, buying role, and the stage against its target."""
    role = contact.role
    return [
        ("name", contact.name),
        ("title", contact.title),
        ("role", role.label if isinstance(role, BuyingRole) else ""),
        ("stage", stage_text(contact_stage(contact), target)),
    ]


def our_lines(member: MapMember) -> list[tuple[str, str]]:
    """What a card of ours says: name, title, and role on the account team."""
    role = _enum(TeamRole, member.role)
    return [("name", member.name), ("title", member.title), ("role", role.label if isinstance(role, TeamRole) else "")]
