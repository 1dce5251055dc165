"""Where things go on the org map: the grid of cards, and ties routed around them."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF

from kamdesk.domain.org_map import (
    OrgLayout,
    OrgMapData,
    layout_org_map,
)
from kamdesk.ui.widgets.zipper_map.items import PersonCard
from kamdesk.ui.widgets.zipper_map.style import MAX_ROWS, TARGET_ASPECT, THEIRS, _Style

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
        return (
            self.top
            + (band + 1) * self.style.band_header
            + band * (self.style.band_gap + self.style.row_gap)
            + row * self.pitch_y
        )

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


def _fan_out(
    groups: dict[int, list[tuple[tuple[int, int], float]]], style: _Style
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


def point_at_x(p0: QPointF, c1: QPointF, c2: QPointF, p1: QPointF, x: float) -> QPointF:
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
