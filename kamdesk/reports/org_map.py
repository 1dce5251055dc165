"""The zipper org map of one account as a PDF: the map, then bow-tie, coverage, gaps and a legend."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
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
from kamdesk.domain.org_map import MapAnalysis, MapContact, OrgMapData, band_of, layout_org_map
from kamdesk.i18n import _
from kamdesk.reports.fonts import register_fonts
from kamdesk.reports.pages import numbered_canvas

CARD_W, CARD_H, GAP_X, GAP_Y, ZIPPER = 150.0, 50.0, 26.0, 10.0, 90.0
BAND_LABEL = 12.0
STATUS_COLOURS = {
    "above": colors.HexColor("#009E73"),
    "at": colors.HexColor("#009E73"),
    "below": colors.HexColor("#D55E00"),
    "none": colors.HexColor("#9e9e9e"),
}
GAP_RED = colors.HexColor("#C62828")
BAND_FILL = colors.HexColor("#f2f2f2")
OUR_FILL = colors.HexColor("#e8f1f8")


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


class MapFlowable(Flowable):
    """The map drawn to scale inside the frame: their people left, ours right, ties between."""

    def __init__(self, data: OrgMapData, analysis: MapAnalysis, width: float, height: float, fonts: tuple[str, str]):
        super().__init__()
        self.data, self.analysis, self.fonts = data, analysis, fonts
        self.layout = self._best_layout(width / height)
        cols_theirs, cols_ours = max(self.layout.columns_theirs, 1), max(self.layout.columns_ours, 1)
        self.natural_w = (cols_theirs + cols_ours) * (CARD_W + GAP_X) + ZIPPER
        self.natural_h = self.layout.rows * (CARD_H + GAP_Y) + len(self.layout.bands) * BAND_LABEL + 20
        self.scale = min(width / self.natural_w, height / self.natural_h, 1.0)
        self.width, self.height = self.natural_w * self.scale, self.natural_h * self.scale
        self.cols_theirs = cols_theirs

    def _best_layout(self, aspect: float) -> Any:
        """The rows-per-column that makes the map's shape closest to the page's."""
        best = None
        for rows in range(3, 31):
            layout = layout_org_map(self.data, max_rows=rows)
            w = (max(layout.columns_theirs, 1) + max(layout.columns_ours, 1)) * (CARD_W + GAP_X) + ZIPPER
            h = layout.rows * (CARD_H + GAP_Y) + len(layout.bands) * BAND_LABEL + 20
            score = abs((w / h) - aspect)
            if best is None or score < best[0]:
                best = (score, layout)
        assert best is not None
        return best[1]

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
        self._draw_reports_to(c)
        self._draw_links(c)
        for person in self.data.theirs:
            self._draw_contact(c, person)
        for member in self.data.ours:
            self._draw_member(c, member.id, member.name, member.title, _label_role(member.role))
        self._draw_zipper(c)
        c.restoreState()

    def _text(
        self, c: Any, x: float, y: float, text: str, size: float, bold: bool = False, colour: Any = colors.black
    ) -> None:
        # Text is drawn upright in a y-down space: flip locally around the baseline.
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
            label = _label(RankTier, band.rank_tier) if band.rank_tier else _("No rank")
            self._text(c, 4, top + 9, label, 8, colour=colors.HexColor("#555555"))

    def _draw_zipper(self, c: Any) -> None:
        x = self.cols_theirs * (CARD_W + GAP_X) + ZIPPER / 2
        c.setStrokeColor(colors.HexColor("#777777"))
        c.setLineWidth(1)
        c.line(x, 0, x, self.natural_h - 20)
        for y in range(0, int(self.natural_h - 20), 8):
            c.line(x - 3, y, x + 3, y)

    def _draw_reports_to(self, c: Any) -> None:
        c.setStrokeColor(colors.HexColor("#b0b0b0"))
        c.setLineWidth(0.6)
        for person in self.data.theirs:
            if person.reports_to_id is None:
                continue
            low, high = self._card_box("theirs", person.id), self._card_box("theirs", person.reports_to_id)
            if low and high:
                c.line(high[0] + CARD_W / 2, high[1] + CARD_H, low[0] + CARD_W / 2, low[1])

    def _draw_links(self, c: Any) -> None:
        for link in self.data.links:
            start = self._card_box("theirs", link.contact_id)
            end = self._card_box("ours", link.member_id)
            if not start or not end:
                continue
            status = self.analysis.link_status.get((link.member_id, link.contact_id), "none")
            c.setStrokeColor(STATUS_COLOURS[status])
            c.setLineWidth(1.6 if status in ("at", "above") else 0.9)
            c.setDash(4, 3) if status == "below" else c.setDash()
            x1, y1 = start[0] + CARD_W, start[1] + CARD_H / 2
            x2, y2 = end[0], end[1] + CARD_H / 2
            middle = (x1 + x2) / 2
            path = c.beginPath()
            path.moveTo(x1, y1)
            path.curveTo(middle, y1, middle, y2, x2, y2)
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
        regular = self.fonts[0]
        width = CARD_W - 8
        self._text(c, x + 4, y + 11, _fit(person.name, regular, 8.5, width), 8.5, bold=True)
        self._text(c, x + 4, y + 22, _fit(person.title, regular, 7, width), 7)
        self._text(
            c,
            x + 4,
            y + 32,
            _fit(_label(BuyingRole, person.buying_role), regular, 7, width),
            7,
            colour=colors.HexColor("#555555"),
        )
        target = self.analysis.targets.get(person.id)
        stage = (
            _("{stage} → target {target}").format(stage=_stage(person.stage), target=target.label)
            if target
            else _("{stage}, no target").format(stage=_stage(person.stage))
        )
        self._text(c, x + 4, y + 44, _fit(stage, regular, 7, width), 7)
        if gap:
            c.setFillColor(GAP_RED)
            c.circle(x + CARD_W - 6, y + 6, 5, stroke=0, fill=1)
            self._text(c, x + CARD_W - 7.5, y + 9, "!", 8, bold=True, colour=colors.white)

    def _draw_member(self, c: Any, member_id: int, name: str, title: str, role: str) -> None:
        box = self._card_box("ours", member_id)
        if box is None:
            return
        x, y = box
        c.setFillColor(OUR_FILL)
        c.setStrokeColor(colors.HexColor("#6b9bc3"))
        c.setLineWidth(0.8)
        c.roundRect(x, y, CARD_W, CARD_H, 4, stroke=1, fill=1)
        regular = self.fonts[0]
        self._text(c, x + 4, y + 13, _fit(name, regular, 8.5, CARD_W - 8), 8.5, bold=True)
        self._text(c, x + 4, y + 26, _fit(title, regular, 7, CARD_W - 8), 7)
        self._text(c, x + 4, y + 38, _fit(role, regular, 7, CARD_W - 8), 7, colour=colors.HexColor("#555555"))


def _label_role(role: str | None) -> str:
    from kamdesk.domain.enums import TeamRole

    return _label(TeamRole, role)


def build(data: OrgMapData, analysis: MapAnalysis, out: str | Path, *, title_date: str = "") -> None:
    """Write the org map of `data` to a landscape A4 PDF at `out`."""
    regular, bold = register_fonts()
    styles = {
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
    margin = 12 * mm
    doc = SimpleDocTemplate(
        str(out),
        pagesize=landscape(A4),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=14 * mm,
        title=_("Org map — {name}").format(name=data.account_name),
        author="kamdesk",
    )
    cls = data.account_class.value if data.account_class else "—"
    heading = _("Org map — {name} (class {cls})").format(name=escape(data.account_name), cls=cls)
    story: list[Any] = [Paragraph(heading, styles["title"])]
    if title_date:
        story.append(Paragraph(escape(title_date), styles["body"]))
    story.append(Spacer(1, 4))
    if not data.theirs and not data.ours:
        story.append(Paragraph(escape(_("No contacts at this account yet.")), styles["body"]))
    else:
        # The frame's height less the heading lines above the map.
        story.append(MapFlowable(data, analysis, doc.width, doc.height - 48, (regular, bold)))
    story.append(PageBreak())
    story += _details(data, analysis, styles)
    doc.build(story, canvasmaker=numbered_canvas())


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
            "A card with a dark border is a key person (decision maker, influencer or supporter); a red "
            "dashed border and a red mark mean nobody of ours knows them yet."
        ),
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
