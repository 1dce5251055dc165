"""The zipper org map of one account as a PDF: the map, then bow-tie, coverage, gaps and a legend."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kamdesk.domain.enums import BuyingRole, RankTier, RelationshipStage
from kamdesk.domain.org_map import (
    BAND_ORDER,
    KEY_ROLES,
    MapAnalysis,
    MapContact,
    OrgMapData,
    band_of,
    layout_org_map,
)
from kamdesk.domain.printing import PrintCancelled, Progress
from kamdesk.i18n import _, current_language
from kamdesk.reports.fonts import register_fonts
from kamdesk.reports.pages import numbered_canvas

CARD_W, CARD_H, GAP_X, GAP_Y, ZIPPER = 150.0, 54.0, 26.0, 12.0, 90.0
BAND_LABEL = 14.0
#: Text sizes at the map's natural scale: a name, the other lines, a band's label.
NAME_SIZE, TEXT_SIZE, BAND_SIZE = 10.0, 8.5, 8.5
#: No text on the printed map is smaller than this (points): the map is scaled down at most to MIN_SCALE.
MIN_TEXT = 7.0
MIN_SCALE = MIN_TEXT / min(TEXT_SIZE, BAND_SIZE)
STATUS_COLOURS = {
    "above": colors.HexColor("#009E73"),
    "at": colors.HexColor("#009E73"),
    "below": colors.HexColor("#D55E00"),
    "none": colors.HexColor("#9e9e9e"),
}
GAP_RED = colors.HexColor("#C62828")
BAND_FILL = colors.HexColor("#f2f2f2")
OUR_FILL = colors.HexColor("#e8f1f8")
REPORTS_GREY = colors.HexColor("#b0b0b0")


def _label(kind: Any, value: str | None) -> str:
    try:
        return str(kind(value).label) if value else ""
    except ValueError:
        return value or ""


def _stage(value: str | None) -> str:
    try:
        return RelationshipStage(value).label if value else "—"
    except ValueError:
        return value or "—"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten text with an ellipsis so it fits `width` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _natural_size(layout: Any) -> tuple[float, float]:
    w = (max(layout.columns_theirs, 1) + max(layout.columns_ours, 1)) * (CARD_W + GAP_X) + ZIPPER
    h = layout.rows * (CARD_H + GAP_Y) + len(layout.bands) * BAND_LABEL + 20
    return w, h


def best_layout(data: OrgMapData, width: float, height: float) -> Any:
    """The rows-per-column at which the map comes out largest in width × height."""
    best = None
    for rows in range(1, 31):
        layout = layout_org_map(data, max_rows=rows)
        w, h = _natural_size(layout)
        scale = min(width / w, height / h)
        if best is None or scale > best[0] + 1e-9:
            best = (scale, layout)
        if layout.rows < rows:  # every band already fits in one column: more rows change nothing
            break
    assert best is not None
    return best[1]


def fit_scale(data: OrgMapData, width: float, height: float) -> float:
    """The scale at which the map of `data` fills width × height (at most 1)."""
    w, h = _natural_size(best_layout(data, width, height))
    return min(width / w, height / h, 1.0)


class MapFlowable(Flowable):
    """The map drawn to scale inside the frame: their people left, ours right, ties between.

    Ties run in the gutters between columns and the gaps between rows, never across a card: a tie leaves
    its card sideways into the gutter, follows the gap above the card's row to the zipper, crosses it, and
    reaches our card the same way; a reports-to line runs down the gutter left of the person's column."""

    def __init__(
        self,
        data: OrgMapData,
        analysis: MapAnalysis,
        width: float,
        height: float,
        fonts: tuple[str, str],
        min_scale: float = 0.0,
    ):
        super().__init__()
        self.data, self.analysis, self.fonts = data, analysis, fonts
        self.layout = best_layout(data, width, height)
        cols_theirs, cols_ours = max(self.layout.columns_theirs, 1), max(self.layout.columns_ours, 1)
        self.natural_w, self.natural_h = _natural_size(self.layout)
        self.scale = max(min(width / self.natural_w, height / self.natural_h, 1.0), min_scale)
        self.width, self.height = self.natural_w * self.scale, self.natural_h * self.scale
        self.cols_theirs, self.cols_ours = cols_theirs, cols_ours
        self.sizes: set[float] = set()  # every text size drawn, as printed (natural size × scale)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    # Geometry in natural units, y growing downwards from the top of the map.
    def _row_top(self, row: int) -> float:
        bands_above = sum(1 for band in self.layout.bands if band.top <= row)
        return row * (CARD_H + GAP_Y) + bands_above * BAND_LABEL

    def _card_x(self, column: int) -> float:
        zipper_left = self.cols_theirs * (CARD_W + GAP_X)
        if column < 0:
            return zipper_left - (-column) * (CARD_W + GAP_X) + GAP_X / 2
        return zipper_left + ZIPPER + (column - 1) * (CARD_W + GAP_X) + GAP_X / 2

    def _card_box(self, side: str, person_id: int) -> tuple[float, float] | None:
        cell = self.layout.cells.get((side, person_id))
        if cell is None:
            return None
        return self._card_x(cell[0]), self._row_top(cell[1])

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.translate(0, self.height)
        c.scale(self.scale, -self.scale)  # natural units, y down
        self._draw_bands(c)
        self._draw_zipper(c)
        self._draw_reports_to(c)
        self._draw_links(c)
        self._draw_band_labels(c)
        for person in self.data.theirs:
            self._draw_contact(c, person)
        for member in self.data.ours:
            self._draw_member(c, member.id, member.name, member.title, _label_role(member.role))
        c.restoreState()

    def _text(
        self, c: Any, x: float, y: float, text: str, size: float, bold: bool = False, colour: Any = colors.black
    ) -> None:
        # Text is drawn upright in a y-down space: flip locally around the baseline.
        self.sizes.add(round(size * self.scale, 2))
        c.saveState()
        c.translate(x, y)
        c.scale(1, -1)
        c.setFillColor(colour)
        c.setFont(self.fonts[1] if bold else self.fonts[0], size)
        c.drawString(0, 0, text)
        c.restoreState()

    def _draw_bands(self, c: Any) -> None:
        for band in self.layout.bands:
            top = self._row_top(band.top) - BAND_LABEL
            height = band.rows * (CARD_H + GAP_Y) + BAND_LABEL
            c.setFillColor(BAND_FILL)
            c.setStrokeColor(BAND_FILL)
            c.rect(0, top, self.natural_w, height - GAP_Y / 2, stroke=0, fill=1)

    def _draw_band_labels(self, c: Any) -> None:
        """Each band's rank on top of any line that passes (on the band's own grey)."""
        for band in self.layout.bands:
            top = self._row_top(band.top) - BAND_LABEL
            label = _label(RankTier, band.rank_tier) if band.rank_tier else _("No rank")
            c.setFillColor(BAND_FILL)
            c.rect(2, top + 1, stringWidth(label, self.fonts[0], BAND_SIZE) + 4, BAND_LABEL - 2, stroke=0, fill=1)
            self._text(c, 4, top + 10.5, label, BAND_SIZE, colour=colors.HexColor("#555555"))

    def _draw_zipper(self, c: Any) -> None:
        x = self.cols_theirs * (CARD_W + GAP_X) + ZIPPER / 2
        c.setStrokeColor(colors.HexColor("#777777"))
        c.setLineWidth(1)
        c.line(x, 0, x, self.natural_h - 20)
        for y in range(0, int(self.natural_h - 20), 8):
            c.line(x - 3, y, x + 3, y)

    def _gap_above(self, top: float) -> float:
        """The middle of the free gap above a card whose top is at `top`."""
        return top - GAP_Y / 2

    def _draw_reports_to(self, c: Any) -> None:
        c.setStrokeColor(REPORTS_GREY)
        c.setLineWidth(0.6)
        for person in self.data.theirs:
            if person.reports_to_id is None:
                continue
            low, high = self._card_box("theirs", person.id), self._card_box("theirs", person.reports_to_id)
            if not low or not high:
                continue
            start = (high[0] + CARD_W / 2, high[1] + CARD_H)
            end = (low[0] + CARD_W / 2, low[1])
            if abs(start[0] - end[0]) < 0.5 and end[1] - start[1] <= CARD_H + GAP_Y + BAND_LABEL + 1:
                c.line(*start, *end)  # the boss right above: straight down through the gap
                continue
            below, gutter, above = start[1] + GAP_Y / 2, low[0] - GAP_X / 2, self._gap_above(low[1])
            points = [start, (start[0], below), (gutter, below), (gutter, above), (end[0], above), end]
            self._polyline(c, points)

    @staticmethod
    def _polyline(c: Any, points: list[tuple[float, float]]) -> None:
        path = c.beginPath()
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        c.drawPath(path, stroke=1, fill=0)

    def tie_route(
        self, start: tuple[float, float], end: tuple[float, float], index: int
    ) -> tuple[list[Any], list[Any]]:
        """A tie from their card at `start` to our card at `end` (top left corners): the straight runs on their
        side (ending at the zipper) and on ours (starting at it); a curve joins the two across the zipper."""
        zipper_left = self.cols_theirs * (CARD_W + GAP_X)
        zipper_right = zipper_left + ZIPPER
        spread = ((index % 5) - 2) * 1.2  # ties sharing a gap are spread a little, so each can be followed
        x1, y1 = start[0] + CARD_W, start[1] + CARD_H / 2
        x2, y2 = end[0], end[1] + CARD_H / 2
        theirs: list[tuple[float, float]] = [(x1, y1)]
        if x1 < zipper_left - GAP_X:  # a card behind others: out into the gutter, then along the gap above its row
            gutter, lane = x1 + GAP_X / 2 + spread, self._gap_above(start[1]) + spread
            theirs += [(gutter, y1), (gutter, lane), (zipper_left, lane)]
        else:
            theirs.append((zipper_left, y1))
        ours: list[tuple[float, float]] = []
        if x2 > zipper_right + GAP_X:
            gutter, lane = x2 - GAP_X / 2 + spread, self._gap_above(end[1]) + spread
            ours += [(zipper_right, lane), (gutter, lane), (gutter, y2)]
        else:
            ours.append((zipper_right, y2))
        ours.append((x2, y2))
        return theirs, ours

    def _draw_links(self, c: Any) -> None:
        middle = self.cols_theirs * (CARD_W + GAP_X) + ZIPPER / 2
        for index, link in enumerate(self.data.links):
            start = self._card_box("theirs", link.contact_id)
            end = self._card_box("ours", link.member_id)
            if not start or not end:
                continue
            status = self.analysis.link_status.get((link.member_id, link.contact_id), "none")
            c.setStrokeColor(STATUS_COLOURS[status])
            c.setLineWidth(1.6 if status in ("at", "above") else 0.9)
            c.setDash(4, 3) if status == "below" else c.setDash()
            theirs, ours = self.tie_route(start, end, index)
            path = c.beginPath()
            path.moveTo(*theirs[0])
            for point in theirs[1:]:
                path.lineTo(*point)
            ya, (xb, yb) = theirs[-1][1], ours[0]
            path.curveTo(middle, ya, middle, yb, xb, yb)
            for point in ours[1:]:
                path.lineTo(*point)
            c.drawPath(path, stroke=1, fill=0)
        c.setDash()

    def _draw_contact(self, c: Any, person: MapContact) -> None:
        box = self._card_box("theirs", person.id)
        if box is None:
            return
        x, y = box
        gap = person.id in self.analysis.uncovered_key_people
        c.setFillColor(colors.white)
        c.setStrokeColor(GAP_RED if gap else (colors.black if person.is_key else colors.HexColor("#999999")))
        c.setLineWidth(1.4 if person.is_key or gap else 0.6)
        c.setDash(3, 2) if gap else c.setDash()
        c.roundRect(x, y, CARD_W, CARD_H, 4, stroke=1, fill=1)
        c.setDash()
        regular, bold = self.fonts
        width = CARD_W - 8
        self._text(c, x + 4, y + 13, _fit(person.name, bold, NAME_SIZE, width - (12 if gap else 0)), NAME_SIZE, True)
        self._text(c, x + 4, y + 25.5, _fit(person.title, regular, TEXT_SIZE, width), TEXT_SIZE)
        role = _label(BuyingRole, person.buying_role)
        grey = colors.HexColor("#555555")
        self._text(c, x + 4, y + 37, _fit(role, regular, TEXT_SIZE, width), TEXT_SIZE, colour=grey)
        target = self.analysis.targets.get(person.id)
        stage = (
            _("{stage} → target {target}").format(stage=_stage(person.stage), target=target.label)
            if target
            else _("{stage}, no target").format(stage=_stage(person.stage))
        )
        self._text(c, x + 4, y + 48.5, _fit(stage, regular, TEXT_SIZE, width), TEXT_SIZE)
        if gap:
            c.setFillColor(GAP_RED)
            c.circle(x + CARD_W - 7, y + 7, 5.5, stroke=0, fill=1)
            self._text(c, x + CARD_W - 8.8, y + 10.5, "!", 9, bold=True, colour=colors.white)

    def _draw_member(self, c: Any, member_id: int, name: str, title: str, role: str) -> None:
        box = self._card_box("ours", member_id)
        if box is None:
            return
        x, y = box
        c.setFillColor(OUR_FILL)
        c.setStrokeColor(colors.HexColor("#6b9bc3"))
        c.setLineWidth(0.8)
        c.roundRect(x, y, CARD_W, CARD_H, 4, stroke=1, fill=1)
        regular, bold = self.fonts
        grey = colors.HexColor("#555555")
        self._text(c, x + 4, y + 15, _fit(name, bold, NAME_SIZE, CARD_W - 8), NAME_SIZE, bold=True)
        self._text(c, x + 4, y + 29, _fit(title, regular, TEXT_SIZE, CARD_W - 8), TEXT_SIZE)
        self._text(c, x + 4, y + 42, _fit(role, regular, TEXT_SIZE, CARD_W - 8), TEXT_SIZE, colour=grey)


def _label_role(role: str | None) -> str:
    from kamdesk.domain.enums import TeamRole

    return _label(TeamRole, role)


def key_roles_text() -> str:
    """The buying roles whose holders get a dark border (domain.org_map.KEY_ROLES), in the print language."""
    separator = "、" if current_language().startswith("zh") else ", "
    return separator.join(role.label for role in BuyingRole if role in KEY_ROLES)


class Legend(Flowable):
    """What the map's borders, marks and lines mean, drawn with the same strokes as the map (every map page)."""

    SIZE, ROW, SAMPLE = 8.0, 15.0, 26.0

    def __init__(self, width: float, fonts: tuple[str, str]) -> None:
        super().__init__()
        self.fonts = fonts
        self.items = [
            ("key", _("Dark border: key person ({roles})").format(roles=key_roles_text())),
            ("gap", _("Red dashed border and !: a key person nobody of ours knows yet")),
            ("ours", _("Blue: our people")),
            ("at", _("Green tie: at or above the target stage")),
            ("below", _("Orange dashed tie: below the target stage")),
            ("none", _("Grey tie: no target (no class or no rank)")),
            ("reports", _("Thin grey line: reports to")),
        ]
        self.width = width
        self.places = self._place(width)
        self.height = (max(row for row, _x, _item in self.places) + 1) * self.ROW if self.places else 0

    def _place(self, width: float) -> list[tuple[int, float, tuple[str, str]]]:
        places, row, x = [], 0, 0.0
        for item in self.items:
            need = self.SAMPLE + 4 + stringWidth(item[1], self.fonts[0], self.SIZE) + 14
            if x and x + need > width:
                row, x = row + 1, 0.0
            places.append((row, x, item))
            x += need
        return places

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        for row, x, (kind, text) in self.places:
            y = self.height - (row + 1) * self.ROW + 4
            self._sample(c, kind, x, y)
            c.setFillColor(colors.black)
            c.setFont(self.fonts[0], self.SIZE)
            c.drawString(x + self.SAMPLE + 4, y, text)

    def _sample(self, c: Any, kind: str, x: float, y: float) -> None:
        c.saveState()
        if kind in ("key", "gap", "ours"):
            fill = OUR_FILL if kind == "ours" else colors.white
            stroke = {"key": colors.black, "gap": GAP_RED, "ours": colors.HexColor("#6b9bc3")}[kind]
            c.setFillColor(fill)
            c.setStrokeColor(stroke)
            c.setLineWidth(1.4 if kind != "ours" else 0.8)
            if kind == "gap":
                c.setDash(3, 2)
            c.roundRect(x, y - 2, self.SAMPLE, 10, 2, stroke=1, fill=1)
        else:
            colour = REPORTS_GREY if kind == "reports" else STATUS_COLOURS[kind]
            c.setStrokeColor(colour)
            c.setLineWidth({"at": 1.6, "reports": 0.6}.get(kind, 0.9))
            if kind == "below":
                c.setDash(4, 3)
            c.line(x, y + 3, x + self.SAMPLE, y + 3)
        c.restoreState()


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=15, leading=19, wordWrap="CJK"),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9, leading=13, wordWrap="CJK"),
        "head": ParagraphStyle("head", fontName=bold, fontSize=11, leading=15, spaceBefore=8, wordWrap="CJK"),
        "alert": ParagraphStyle(
            "alert",
            fontName=regular,
            fontSize=10,
            leading=14,
            wordWrap="CJK",
            textColor=GAP_RED,
            borderColor=GAP_RED,
            borderWidth=0.8,
            borderPadding=6,
        ),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=11, wordWrap="CJK"),
    }


def page_data(data: OrgMapData, theirs: list[MapContact], first: bool) -> OrgMapData:
    """The part of the map with `theirs`: our people tied to them (and, on the first part, ours tied to nobody)."""
    ids = {p.id for p in theirs}
    links = tuple(link for link in data.links if link.contact_id in ids)
    tied = {link.member_id for link in data.links}
    ours = tuple(m for m in data.ours if m.id in {link.member_id for link in links} or (first and m.id not in tied))
    return OrgMapData(data.account_id, data.account_name, data.account_class, tuple(theirs), ours, links)


def split_by_band(data: OrgMapData, width: float, height: float) -> list[OrgMapData]:
    """The map in parts that each fit width × height at no less than MIN_SCALE: whole rank bands while they fit,
    a band too large for one page in runs of its people."""
    parts: list[list[MapContact]] = []
    current: list[MapContact] = []

    def fits(people: list[MapContact]) -> bool:
        return fit_scale(page_data(data, people, not parts), width, height) >= MIN_SCALE

    for tier in BAND_ORDER:
        band = [p for p in data.theirs if band_of(p) == tier]
        if not band:
            continue
        if fits(current + band):
            current += band
            continue
        if current:
            parts.append(current)
            current = []
        while band:
            if fits(band):
                current = band
                break
            low, high = 1, len(band)  # the longest run of the band that fits, by bisection
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if fits(band[:middle]) else (low, middle - 1)
            parts.append(band[:low])
            band = band[low:]
    if current or not parts:
        parts.append(current)
    return [page_data(data, people, index == 0) for index, people in enumerate(parts)]


def _bands_text(part: OrgMapData) -> str:
    seen: list[str] = []
    for person in part.theirs:
        label = _label(RankTier, band_of(person)) if band_of(person) else _("No rank")
        if label not in seen:
            seen.append(label)
    return ", ".join(seen)


def build(
    data: OrgMapData, analysis: MapAnalysis, out: str | Path, *, title_date: str = "", progress: Progress | None = None
) -> None:
    """Write the org map of `data` to a PDF at `out`: on one landscape A4 page when it fits there with no text under
    MIN_TEXT points, else on landscape A3, else split by rank band over several A3 pages; each map page carries the
    legend, later pages a running header; then the coverage, gaps and ties below target.
    `progress(done, total)` is told per map page; False stops the print (PrintCancelled)."""
    regular, bold = register_fonts()
    fonts = (regular, bold)
    styles = _styles()
    cls = data.account_class.value if data.account_class else "—"
    title = _("Org map — {name} (class {cls})").format(name=data.account_name, cls=cls)
    margin = 12 * mm
    head: list[Any] = [Paragraph(escape(title), styles["title"])]
    if title_date:
        head.append(Paragraph(escape(title_date), styles["body"]))
    head.append(Spacer(1, 4))
    parts, size = [data], landscape(A4)
    for size in (landscape(A4), landscape(A3)):
        # The frame pads its content 6 points on every side.
        width, height = size[0] - 2 * margin - 12, size[1] - margin - 14 * mm - 12
        legend = Legend(width, fonts)
        room = height - sum(f.wrap(width, height)[1] for f in head) - legend.height - 16  # the map gets 12 less
        if not data.theirs or fit_scale(data, width, room) >= MIN_SCALE:
            break
    else:
        parts = split_by_band(data, width, room - 28)  # and a caption per part
    doc = SimpleDocTemplate(
        str(out),
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=14 * mm,
        title=_("Org map — {name}").format(name=data.account_name),
        author="kamdesk",
    )
    story: list[Any] = list(head)
    if not data.theirs and not data.ours:
        story.append(Paragraph(escape(_("No contacts at this account yet.")), styles["body"]))
    for number, part in enumerate(parts if (data.theirs or data.ours) else [], start=1):
        above: list[Any] = list(head) if number == 1 else []
        if len(parts) > 1:
            caption = _("Map, part {number} of {total}: {bands}").format(
                number=number, total=len(parts), bands=_bands_text(part)
            )
            above.append(Paragraph(escape(caption), styles["head"]))
        if number > 1:
            story += above
        elif len(parts) > 1:
            story.append(above[-1])
        legend = Legend(width, fonts)
        used = sum(f.wrap(width, height)[1] + f.getSpaceBefore() for f in above)
        map_flowable = MapFlowable(part, analysis, width, height - used - legend.height - 12, fonts, MIN_SCALE)
        story += [map_flowable, Spacer(1, 6), legend, _Tell(progress, number, len(parts)), PageBreak()]
    story += _details(data, analysis, styles)
    doc.build(story, canvasmaker=numbered_canvas(title))


class _Tell(Flowable):
    """Takes no room; tells `progress` when the layout reaches it, and stops the print when told to."""

    def __init__(self, progress: Progress | None, done: int, total: int) -> None:
        super().__init__()
        self.progress, self.done, self.total = progress, done, total

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if self.progress is not None and not self.progress(self.done, self.total):
            raise PrintCancelled


def _details(data: OrgMapData, analysis: MapAnalysis, styles: dict[str, ParagraphStyle]) -> list[Any]:
    cell = styles["cell"]
    story: list[Any] = []
    if analysis.bow_tie is not None:
        story += [Paragraph(escape(analysis.bow_tie.explanation), styles["alert"]), Spacer(1, 10)]
    share = analysis.coverage_share
    story.append(
        Paragraph(
            escape(_("Coverage of key people: {share}").format(share=f"{share:.0f}%" if share is not None else "—")),
            styles["head"],
        )
    )
    rows = [
        [Paragraph(escape(t), cell) for t in (_("Rank"), _("Key people"), _("Paired at or above target"), _("Share"))]
    ]
    for tier in analysis.coverage:
        label = _label(RankTier, tier.rank_tier) if tier.rank_tier else _("No rank")
        rows.append(
            [
                Paragraph(escape(label), cell),
                str(tier.key_people),
                str(tier.covered),
                f"{tier.share:.0f}%" if tier.share is not None else "—",
            ]
        )
    story.append(_table(rows, [70 * mm, 35 * mm, 55 * mm, 25 * mm]))
    contacts = {c.id: c for c in data.theirs}
    members = {m.id: m for m in data.ours}
    story.append(Paragraph(escape(_("Key people with no counterpart on our team")), styles["head"]))
    if analysis.uncovered_key_people:
        rows = [[Paragraph(escape(t), cell) for t in (_("Full name"), _("Title"), _("Buying role"), _("Rank"))]]
        for contact_id in analysis.uncovered_key_people:
            person = contacts[contact_id]
            rows.append(
                [
                    Paragraph(escape(x), cell)
                    for x in (
                        person.name,
                        person.title,
                        _label(BuyingRole, person.buying_role),
                        _label(RankTier, band_of(person)),
                    )
                ]
            )
        story.append(_table(rows, [50 * mm, 70 * mm, 45 * mm, 70 * mm]))
    else:
        story.append(Paragraph(escape(_("None: every key person knows someone of ours.")), styles["body"]))
    story.append(Paragraph(escape(_("Ties below target")), styles["head"]))
    if analysis.links_below_target:
        rows = [[Paragraph(escape(t), cell) for t in (_("Our person"), _("Their person"), _("Stage"), _("Target"))]]
        links = {(link.member_id, link.contact_id): link for link in data.links}
        for member_id, contact_id in analysis.links_below_target:
            target = analysis.targets.get(contact_id)
            rows.append(
                [
                    Paragraph(escape(x), cell)
                    for x in (
                        members[member_id].name,
                        contacts[contact_id].name,
                        _stage(links[(member_id, contact_id)].stage),
                        target.label if target else "—",
                    )
                ]
            )
        story.append(_table(rows, [55 * mm, 55 * mm, 55 * mm, 55 * mm]))
    else:
        story.append(Paragraph(escape(_("None.")), styles["body"]))
    story.append(Paragraph(escape(_("How to read the map")), styles["head"]))
    for line in (
        _("Their people are on the left, ours on the right, each in the band of their rank."),
        _(
            "Green ties have reached the target stage; orange dashed ties are below it; grey ties have "
            "no target (no class or no rank)."
        ),
        _(
            "A card with a dark border is a key person ({roles}); a red dashed border and a red mark mean nobody "
            "of ours knows them yet."
        ).format(roles=key_roles_text()),
    ):
        story.append(Paragraph(escape(line), styles["body"]))
    return story


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    regular = register_fonts()[0]
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=True, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), regular),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
