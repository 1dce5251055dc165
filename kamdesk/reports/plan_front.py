"""The plan pack's front page: what an executive sponsor reads first, all of it from the data.

Class and value trend, revenue to date against target (with a small chart), share of spend, the team, the
zipper's coverage and findings, overdue actions, top risks and the asks of the sponsor. A figure the data
does not hold is said to be missing, never made up."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from kamdesk.domain.enums import TeamRole
from kamdesk.domain.plans import EXECUTIVE_FIELDS, PlanPack, is_overdue, revenue_to_date
from kamdesk.i18n import _
from kamdesk.reports.fonts import register_fonts
from kamdesk.reports.typeset import Paragraph

NAVY = colors.HexColor("#0b3d6b")
TARGET = colors.HexColor("#b7c7d9")
ACTUAL = colors.HexColor("#1f5f99")
PANEL = colors.HexColor("#f3f6fa")
RULE = colors.HexColor("#b0b0b0")
RED = colors.HexColor("#C62828")
#: How many items of each list the front page shows (the rest are in the sections that follow).
FRONT_ITEMS = 5
RISKS, ASKS = (key for key, _label in EXECUTIVE_FIELDS)


def text(value: object) -> str:
    """User text made safe for Paragraph markup, keeping its line breaks."""
    return escape(str(value)).replace("\n", "<br/>")


def money(cents: int | None) -> str:
    return "—" if cents is None else f"{cents / 100:,.0f}"


class Styles:
    def __init__(self) -> None:
        regular, bold = register_fonts()
        self.regular, self.bold = regular, bold
        self.kicker = ParagraphStyle("kicker", fontName=bold, fontSize=10, leading=14, textColor=NAVY, wordWrap="CJK")
        self.title = ParagraphStyle("title", fontName=bold, fontSize=20, leading=25, wordWrap="CJK", spaceAfter=2)
        self.subtitle = ParagraphStyle(
            "subtitle", fontName=regular, fontSize=10.5, leading=15, wordWrap="CJK", textColor=colors.HexColor("#444")
        )
        self.h1 = ParagraphStyle(
            "h1",
            fontName=bold,
            fontSize=14,
            leading=19,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
            wordWrap="CJK",
            textColor=NAVY,
        )
        self.h2 = ParagraphStyle(
            "h2", fontName=bold, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=2, keepWithNext=1, wordWrap="CJK"
        )
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=14, wordWrap="CJK")
        self.empty = ParagraphStyle("empty", parent=self.body, textColor=colors.HexColor("#777777"))
        self.prompt = ParagraphStyle(
            "prompt", parent=self.body, fontSize=9, leading=13, textColor=colors.HexColor("#333333"), spaceBefore=3
        )
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=11.5, wordWrap="CJK")
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=bold)
        self.overdue = ParagraphStyle("overdue", parent=self.cell, textColor=RED)
        self.figure = ParagraphStyle("figure", fontName=bold, fontSize=15, leading=19, wordWrap="CJK", textColor=NAVY)
        self.label = ParagraphStyle(
            "label", fontName=regular, fontSize=8, leading=10.5, wordWrap="CJK", textColor=colors.HexColor("#555")
        )
        self.bullet = ParagraphStyle("bullet", parent=self.cell, leftIndent=9, bulletIndent=0, spaceAfter=1.5)


def front_page(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    plan = pack.plan
    kicker = _("Account plan — worksheet") if pack.worksheet else _("Account plan — executive summary")
    dates = ""
    if plan.starts_on and plan.ends_on:
        dates = _("{start} to {end}").format(start=plan.starts_on.isoformat(), end=plan.ends_on.isoformat())
    subtitle = " · ".join(p for p in (plan.period, dates) if p)
    story: list[Any] = [
        Paragraph(escape(kicker), s.kicker),
        Paragraph(text(plan.account_name), s.title),
        Paragraph(text(subtitle), s.subtitle),
        Spacer(1, 4 * mm),
        _figures(pack, s, width),
        Spacer(1, 4 * mm),
        _chart_and_team(pack, s, width),
        Spacer(1, 3 * mm),
    ]
    if pack.worksheet:
        story.append(
            Paragraph(
                escape(
                    _(
                        "A worksheet to fill in by hand: each section asks the questions to answer and leaves room to "
                        "write. Enter the answers into the plan in kamdesk afterwards."
                    )
                ),
                s.body,
            )
        )
        return story
    half = (width - 6 * mm) / 2
    left = _block(_("Zipper"), _zipper_lines(pack, s), s) + _block(_("Overdue actions"), _overdue(pack, s), s)
    right = _block(_("Top risks"), _lines(plan.situation.get(RISKS, ""), _("No risks recorded."), s), s)
    right += _block(
        _("Asks of the executive sponsor"),
        _lines(plan.situation.get(ASKS, ""), _("No asks of the executive sponsor recorded."), s),
        s,
    )
    columns = Table([[left, right]], colWidths=[half + 3 * mm, half + 3 * mm], hAlign="LEFT")
    columns.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 3 * mm),
                ("LEFTPADDING", (1, 0), (1, -1), 3 * mm),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("LINEBEFORE", (1, 0), (1, -1), 0.4, RULE),
            ]
        )
    )
    story.append(columns)
    return story


def _block(title: str, body: list[Any], s: Styles) -> list[Any]:
    return [Paragraph(escape(title), s.h2), *body, Spacer(1, 2 * mm)]


def _bullet(value: str, s: Styles, style: ParagraphStyle | None = None) -> Paragraph:
    return Paragraph(text(value), style or s.bullet, bulletText="•")


def _lines(value: str, empty: str, s: Styles) -> list[Any]:
    items = [line.strip(" -•*\t") for line in value.splitlines() if line.strip(" -•*\t")]
    if not items:
        return [Paragraph(escape(empty), s.empty)]
    shown = [_bullet(item, s) for item in items[:FRONT_ITEMS]]
    if len(items) > FRONT_ITEMS:
        shown.append(Paragraph(escape(_("and {count} more").format(count=len(items) - FRONT_ITEMS)), s.label))
    return shown


def _class_cell(pack: PlanPack, s: Styles) -> list[Any]:
    plan = pack.plan
    cells: list[Any] = [Paragraph(escape(_("Class")), s.label), Paragraph(escape(plan.account_class or "—"), s.figure)]
    if pack.class_history:
        last = pack.class_history[0]
        was = last.old_class.value if last.old_class else "—"
        cells.append(
            Paragraph(escape(_("since {date} (was {was})").format(date=last.at.date().isoformat(), was=was)), s.label)
        )
    elif plan.account_class:
        cells.append(Paragraph(escape(_("no change recorded")), s.label))
    return cells


def _trend_cell(pack: PlanPack, s: Styles) -> list[Any]:
    years = [v for v in pack.values if "-" not in v.period][-4:]
    cells: list[Any] = [Paragraph(escape(_("Revenue by year ({currency})").format(currency=pack.currency)), s.label)]
    if not years:
        return [*cells, Paragraph(escape(_("No revenue recorded.")), s.empty)]
    current = str(pack.printed_on.year)
    for value in years:
        to_date = " " + _("(to date)") if value.period == current else ""
        cells.append(
            Paragraph(f"{escape(value.period)}&nbsp;&nbsp;{money(value.revenue_cents)}{escape(to_date)}", s.cell)
        )
    # A year still running is not compared with a whole one.
    whole = [v for v in years if v.period != current]
    if whole != years and len(whole) >= 2:
        years = whole
    if len(years) >= 2 and years[-2].revenue_cents and years[-1].period != current:
        change = (years[-1].revenue_cents - years[-2].revenue_cents) * 100 / years[-2].revenue_cents
        arrow = "▲" if change > 0 else "▼" if change < 0 else "="
        cells.append(
            Paragraph(
                escape(_("{arrow} {change:+.0f}% on {year}").format(arrow=arrow, change=change, year=years[-2].period)),
                s.cell_head,
            )
        )
    return cells


def _ytd_cell(pack: PlanPack, s: Styles) -> list[Any]:
    totals = revenue_to_date(pack.plan.revenue)
    cells: list[Any] = [Paragraph(escape(_("Revenue to date against target")), s.label)]
    if not pack.plan.revenue:
        return [*cells, Paragraph(escape(_("No revenue plan yet.")), s.empty)]
    if not totals.periods:
        return [*cells, Paragraph(escape(_("No actual revenue entered yet.")), s.empty)]
    pct = totals.ytd_variance_pct
    colour = RED if totals.ytd_variance_cents < 0 else NAVY
    figure = ParagraphStyle("ytd", parent=s.figure, textColor=colour)
    cells += [
        Paragraph(escape(f"{pct:+g}%" if pct is not None else money(totals.ytd_variance_cents)), figure),
        Paragraph(
            escape(
                _("YTD {actual} of {target}").format(
                    actual=money(totals.ytd_actual_cents), target=money(totals.ytd_target_cents)
                )
            ),
            s.cell,
        ),
    ]
    if totals.year_done_pct is not None:
        cells.append(
            Paragraph(
                escape(_("{done:g}% of the full year's {target}").format(
                    done=totals.year_done_pct, target=money(totals.year_target_cents)
                )),
                s.label,
            )
        )  # fmt: skip
    return cells


def _share_cell(pack: PlanPack, s: Styles) -> list[Any]:
    share = pack.plan.share_of_spend_pct
    cells: list[Any] = [Paragraph(escape(_("Our share of their spend")), s.label)]
    if share is None:
        return [*cells, Paragraph(escape(_("not known")), s.empty)]
    return [*cells, Paragraph(f"{share:g}%", s.figure)]


def _figures(pack: PlanPack, s: Styles, width: float) -> Table:
    cells = [_class_cell(pack, s), _trend_cell(pack, s), _ytd_cell(pack, s), _share_cell(pack, s)]
    widths = [width * 0.16, width * 0.3, width * 0.33]
    widths.append(width - sum(widths))
    result = Table([cells], colWidths=widths, hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEAFTER", (0, 0), (-2, -1), 0.8, colors.white),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
            ]
        )
    )
    return result


def revenue_chart(pack: PlanPack, width: float, height: float) -> Drawing:
    """Target and actual revenue per period of the plan, side by side (in thousands of the currency)."""
    regular = register_fonts()[0]
    lines = pack.plan.revenue
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = width - 44, height - 48
    targets = [(line.target_cents or 0) / 100_000 for line in lines]
    actuals = [(line.actual_cents or 0) / 100_000 for line in lines]
    chart.data = [targets, actuals]
    chart.categoryAxis.categoryNames = [line.period for line in lines]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"
    chart.bars[0].fillColor, chart.bars[1].fillColor = TARGET, ACTUAL
    chart.bars.strokeColor = None
    chart.groupSpacing, chart.barSpacing = 8, 1
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 34, 10
    legend.fontName, legend.fontSize = regular, 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx, legend.dy, legend.deltax = 7, 7, 70
    legend.colorNamePairs = [(TARGET, _("Sales target")), (ACTUAL, _("Actual revenue"))]
    drawing.add(legend)
    drawing.add(
        String(
            width - 4,
            height - 9,
            _("thousand {currency}").format(currency=pack.currency),
            fontName=regular,
            fontSize=7,
            textAnchor="end",
            fillColor=colors.HexColor("#555555"),
        )
    )
    return drawing


def _chart_and_team(pack: PlanPack, s: Styles, width: float) -> Table:
    chart_width = width * 0.56
    if pack.plan.revenue:
        left: list[Any] = [Paragraph(escape(_("Revenue by period: target and actual")), s.h2)]
        left.append(revenue_chart(pack, chart_width - 4 * mm, 52 * mm))
    else:
        left = [Paragraph(escape(_("Revenue by period: target and actual")), s.h2)]
        left.append(Paragraph(escape(_("No revenue plan yet.")), s.empty))
    right = [Paragraph(escape(_("Team")), s.h2), _team(pack, s, width - chart_width - 4 * mm)]
    result = Table([[left, right]], colWidths=[chart_width, width - chart_width], hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (1, -1), 4 * mm),
            ]
        )
    )
    return result


def _team(pack: PlanPack, s: Styles, width: float) -> Table:
    """The three roles of §1.2 with where each name comes from (the plan or the account team)."""
    team = set(pack.from_team)
    rows = []
    for role, name, key in (
        (_("Account manager"), pack.account_manager or pack.owner, TeamRole.ACCOUNT_MANAGER),
        (_("Executive sponsor"), pack.sponsor, TeamRole.EXECUTIVE_SPONSOR),
        (_("Sales manager"), pack.sales_manager, TeamRole.SALES_MANAGER),
    ):
        source = _("account team") if key.value in team else _("named in the plan") if name else ""
        shown = text(name or "—") + (f' <font color="#777777" size="7.5">({escape(source)})</font>' if source else "")
        rows.append([Paragraph(escape(role), s.cell_head), Paragraph(shown, s.cell)])
    if pack.owner and pack.owner != (pack.account_manager or pack.owner):
        rows.append([Paragraph(escape(_("Plan owner")), s.cell_head), Paragraph(text(pack.owner), s.cell)])
    plan = pack.plan
    review = (
        _("{who} on {date}").format(who=plan.sponsor_reviewed_by, date=plan.sponsor_reviewed_on.isoformat())
        if plan.sponsor_reviewed_on
        else _("not yet")
    )
    rows.append([Paragraph(escape(_("Reviewed by the sponsor")), s.cell_head), Paragraph(text(review), s.cell)])
    result = Table(rows, colWidths=[width * 0.42, width * 0.58], hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return result


def _zipper_lines(pack: PlanPack, s: Styles) -> list[Any]:
    lines: list[Any] = []
    if pack.org_map is not None:
        analysis = pack.org_map[1]
        share = analysis.coverage_share
        people = sum(c.key_people for c in analysis.coverage)
        covered = sum(c.covered for c in analysis.coverage)
        if share is not None:
            lines.append(
                Paragraph(
                    escape(
                        _("{share:.0f}% of their key people ({covered} of {people}) are tied to one of ours at the "
                          "target stage.").format(share=share, covered=covered, people=people)
                    ),
                    s.cell,
                )
            )  # fmt: skip
        else:
            lines.append(Paragraph(escape(_("No key people recorded at this account.")), s.empty))
    problems = [f for f in pack.zipper if f.severity == "problem"]
    shown = (problems or pack.zipper)[:3]
    for finding in shown:
        lines.append(_bullet(finding.message, s, s.overdue if finding.severity == "problem" else None))
    if len(pack.zipper) > len(shown):
        more = len(pack.zipper) - len(shown)
        lines.append(Paragraph(escape(_("{count} more findings in section 12.").format(count=more)), s.label))
    if not pack.zipper:
        lines.append(Paragraph(escape(_("Nothing to mend in the zipper.")), s.cell))
    return lines


def _overdue(pack: PlanPack, s: Styles) -> list[Any]:
    late = [a for a in pack.plan.actions if is_overdue(a, pack.printed_on)]
    if not late:
        return [Paragraph(escape(_("No overdue actions.")), s.empty)]
    late.sort(key=lambda a: a.deadline or pack.printed_on)
    lines: list[Any] = []
    for action in late[:FRONT_ITEMS]:
        assert action.deadline is not None
        days = (pack.printed_on - action.deadline).days
        detail = _("{owner}, due {date}, {days} days late").format(
            owner=action.owner_name or "—", date=action.deadline.isoformat(), days=days
        )
        lines.append(_bullet(f"{action.task} — {detail}", s, s.overdue))
    if len(late) > FRONT_ITEMS:
        lines.append(Paragraph(escape(_("and {count} more").format(count=len(late) - FRONT_ITEMS)), s.label))
    return lines
