"""The account plan pack as a PDF a sales director hands to an executive sponsor (§9, issue 22).

A front page (class and value trend, revenue to date against target with a chart, share of spend, the
zipper, overdue actions, top risks, asks of the sponsor, the team), the plan's sections in order, the org
map on a landscape page, the contacts, the zipper findings, and a governance page (prepared by, version,
sign-off). Every page carries the team's confidentiality mark. A blank plan prints as a worksheet: each
section's questions with ruled space to write in, and empty rows for objectives, actions and revenue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from kamdesk.domain.enums import CycleStage
from kamdesk.domain.plans import (
    ACTION_STATUSES,
    COMPETITOR_FIELDS,
    CUSTOMER_FIELDS,
    INTEL_GRADES,
    REVIEW_QUESTIONS,
    SITUATION_FIELDS,
    SWOT_PARTS,
    Competitor,
    PlanPack,
    Swot,
    is_overdue,
    line_variance,
    period_rows,
    revenue_to_date,
    smart_findings,
    smart_summary,
)
from kamdesk.i18n import _
from kamdesk.reports import plan_front
from kamdesk.reports.fonts import register_fonts
from kamdesk.reports.pages import GridDocTemplate, numbered_canvas
from kamdesk.reports.plan_front import Styles, money, text
from kamdesk.reports.plan_worksheet import ruled, worksheet_section
from kamdesk.reports.typeset import Paragraph

GRID = colors.HexColor("#b0b0b0")
HEAD_FILL = colors.HexColor("#e8eef5")
TOTAL_FILL = colors.HexColor("#f3f5f8")
OVERDUE_FILL = colors.HexColor("#fdecea")
BELOW = colors.HexColor("#D55E00")
SWOT_FILLS = (
    colors.HexColor("#e7f4ee"),
    colors.HexColor("#fbeee6"),
    colors.HexColor("#e8f1f8"),
    colors.HexColor("#f6e9ef"),
)
MARGIN = 16 * mm
#: Competitors printed side by side, this many to a table.
COMPETITORS_ACROSS = 3


def document(out: str | Path, title: str) -> GridDocTemplate:
    """Portrait A4 on one margin grid, with a landscape page for the org map."""
    doc = GridDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="kamdesk",
    )
    doc.landscape_template()
    return doc


def header_of(pack: PlanPack) -> str:
    plan = pack.plan
    return _("{account} — account plan {period}").format(account=plan.account_name, period=plan.period)


def footer_of(pack: PlanPack) -> str:
    """The confidentiality mark, then the version and date of what is printed."""
    plan = pack.plan
    if plan.version and not pack.worksheet:
        saved = plan.updated_at.date().isoformat() if plan.updated_at else pack.printed_on.isoformat()
        version = _("version {version} of {date}").format(version=plan.version, date=saved)
    else:
        version = _("printed {date}").format(date=pack.printed_on.isoformat())
    return f"{pack.confidentiality}  ·  {version}" if pack.confidentiality else version


def build(pack: PlanPack, out: str | Path) -> None:
    """Write the plan pack of `pack` to a portrait A4 PDF at `out`."""
    doc = document(out, header_of(pack))
    doc.build(compose(pack, doc), canvasmaker=numbered_canvas(header_of(pack), footer_of(pack), margin=MARGIN))


def compose(pack: PlanPack, doc: GridDocTemplate) -> list[Any]:
    """The pack's flowables, sized to `doc`'s text area."""
    s = Styles()
    width = doc.width
    story: list[Any] = plan_front.front_page(pack, s, width)
    story.append(PageBreak())
    story += _sections(pack, s, width)
    if pack.org_map is not None and (pack.org_map[0].theirs or pack.org_map[0].ours):
        story += [NextPageTemplate("landscape"), PageBreak(), *_org_map(pack, s, doc), NextPageTemplate("main")]
    story.append(PageBreak())
    story += _section(s, "11", _("Contacts"), _contacts(pack, s, width))
    story += _section(s, "12", _("Zipper"), _zipper(pack, s, width))
    story.append(KeepTogether(_section(s, "13", _("Governance and sign-off"), _governance(pack, s, width))))
    return story


def _sections(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    plan = pack.plan
    blank = pack.worksheet
    story: list[Any] = []
    story += _section(s, "1", _("Plan summary"), _prose(pack, "summary", plan.summary, s, width))
    customer: list[Any] = []
    for key, label in CUSTOMER_FIELDS:
        if blank:
            customer += worksheet_section(key, _(label), s, width)
        else:
            customer += _field(_(label), plan.customer.get(key, ""), s)
    story += _section(s, "2", _("Customer profile"), customer or [_empty(s)])
    story += [Paragraph(escape(_("The customer's SWOT")), s.h2), _swot(plan.customer_swot, s, width, blank)]
    story += _section(s, "3", _("Competitor profiles"), _competitors(pack, s, width))
    story += _section(s, "4", _("Situation assessment"), _situation(pack, s, width))
    story += [Paragraph(escape(_("Our SWOT in this account")), s.h2), _swot(plan.our_swot, s, width, blank)]
    story += _section(s, "5", _("Vision"), _prose(pack, "vision", plan.vision, s, width))
    story += _section(s, "6", _("Objectives"), _objectives(pack, s, width))
    story += _section(s, "7", _("Action plan"), _actions(pack, s, width))
    story += _section(s, "8", _("Revenue plan"), _revenue(pack, s, width))
    story += _section(s, "9", _("Intelligence"), _intel(pack, s, width))
    story += _section(s, "10", _("Relationship reviews"), _reviews(pack, s, width))
    if blank:
        story += _section(s, "", _("Top risks"), worksheet_section("risks", "", s, width))
        story += _section(s, "", _("Asks of the executive sponsor"), worksheet_section("asks", "", s, width))
    return story


def _section(s: Styles, number: str, title: str, body: list[Any]) -> list[Any]:
    heading = Paragraph(f"{number}. {escape(title)}" if number else escape(title), s.h1)
    # The heading stays with what opens the section (a table or a question block too, not only a paragraph).
    if not body:
        return [heading]
    first = body[0]._content if isinstance(body[0], KeepTogether) else [body[0]]  # never one inside another
    return [KeepTogether([heading, *first]), *body[1:]]


def _empty(s: Styles, message: str = "") -> Paragraph:
    return Paragraph(escape(message or _("Nothing written yet.")), s.empty)


def _prose(pack: PlanPack, key: str, value: str, s: Styles, width: float) -> list[Any]:
    if pack.worksheet:
        return worksheet_section(key, "", s, width)
    return [Paragraph(text(value), s.body) if value.strip() else _empty(s)]


def _field(label: str, value: str, s: Styles) -> list[Any]:
    if not value.strip():
        return []
    return [Paragraph(escape(label), s.h2), Paragraph(text(value), s.body)]


def _label(enum: Any, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def table(
    rows: list[list[Any]], widths: list[float], extra: list[tuple[Any, ...]] | None = None, head: bool = True
) -> Table:
    """A table on the text's margins (its widths add up to at most the text width), header repeated."""
    result = Table(rows, colWidths=widths, repeatRows=1 if head else 0, splitInRow=1, hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                *([("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)] if head else []),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("FONT", (0, 0), (-1, -1), register_fonts()[0], 8.5),
                *(extra or []),
            ]
        )
    )
    return result


def heads(texts: list[str], s: Styles) -> list[Any]:
    return [Paragraph(escape(t), s.cell_head) for t in texts]


def _swot(swot: Swot, s: Styles, width: float, blank: bool = False) -> Any:
    cells = []
    for key, label in SWOT_PARTS:
        value = getattr(swot, key)
        if blank:
            body: Any = ruled(width / 2 - 10, 5)
        elif value.strip():
            body = Paragraph(text(value), s.cell)
        else:
            body = Paragraph(escape(_("Nothing written yet.")), s.empty)
        cells.append([Paragraph(escape(_(label)), s.cell_head), body])
    grid = Table([[cells[0], cells[1]], [cells[2], cells[3]]], colWidths=[width / 2] * 2, splitInRow=1, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    for index, fill in enumerate(SWOT_FILLS):
        style.append(("BACKGROUND", (index % 2, index // 2), (index % 2, index // 2), fill))
    grid.setStyle(TableStyle(style))
    return grid


def _competitors(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    """Competitors side by side: one column each (three to a table), the same questions down the rows; the
    worksheet has three blank columns with ruled space."""
    competitors: list[Competitor | None] = list(pack.plan.competitors)
    story: list[Any] = []
    if pack.worksheet:
        story = worksheet_section("competitors", "", s, width, lines=0)
        competitors = [None] * COMPETITORS_ACROSS
    elif not competitors:
        return [_empty(s, _("No competitors recorded."))]
    label_width = 38 * mm
    for first in range(0, len(competitors), COMPETITORS_ACROSS):
        group = competitors[first : first + COMPETITORS_ACROSS]
        column = (width - label_width) / len(group)
        names = [c.name if c else _("Competitor {n}").format(n=first + i + 1) for i, c in enumerate(group)]
        rows: list[list[Any]] = [[Paragraph("", s.cell_head), *heads(names, s)]]
        scores = [
            Paragraph(escape(f"{c.preference}/5" if c.preference else "—"), s.cell)
            if c
            else Paragraph(escape(_("1 (avoid) … 5 (strongly prefer)")), s.empty)
            for c in group
        ]
        rows.append([Paragraph(escape(_("Customer's preference")), s.cell_head), *scores])
        for key, label in COMPETITOR_FIELDS:
            cells: list[Any] = []
            for c in group:
                value = getattr(c, key) if c else ""
                cells.append(
                    ruled(column - 8, 3) if c is None else Paragraph(text(value) if value.strip() else "—", s.cell)
                )
            rows.append([Paragraph(escape(_(label)), s.cell_head), *cells])
        story += [table(rows, [label_width] + [column] * len(group)), Spacer(1, 6)]
    return story


def _situation(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    plan = pack.plan
    if pack.worksheet:
        story: list[Any] = []
        for key, label in SITUATION_FIELDS:
            story += worksheet_section(key, _(label), s, width)
        story += worksheet_section("cycle", _("Relationship cycle stage"), s, width, lines=1)
        story.append(Paragraph(escape(_("Our share of their spend: ______ %")), s.body))
        return story
    facts = []
    if plan.share_of_spend_pct is not None:
        facts.append(_("Our share of their spend: {share:g}%").format(share=plan.share_of_spend_pct))
    if plan.cycle_stage:
        facts.append(_("Relationship cycle stage: {stage}").format(stage=_label(CycleStage, plan.cycle_stage)))
    situation = [item for key, label in SITUATION_FIELDS for item in _field(_(label), plan.situation.get(key, ""), s)]
    return [Paragraph(text(" · ".join(facts)), s.body)] * bool(facts) + (situation or [_empty(s)])


def _blank_rows(count: int, columns: int) -> list[list[Any]]:
    return [[""] * columns for _row in range(count)]


def _objectives(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    plan = pack.plan
    titles = ["#", _("Objective"), _("Measure"), _("Target value"), _("Due"), _("Owner"), _("SMART")]
    widths = [8 * mm, width * 0.24, width * 0.13, width * 0.1, 20 * mm, 18 * mm, width - 46 * mm - width * 0.47]
    if pack.worksheet:
        rows = [heads(titles[:-1], s)] + [[str(n)] + [""] * 5 for n in range(1, 6)]
        blank = [8 * mm, width * 0.34, width * 0.17, width * 0.13, 22 * mm]
        blank.append(width - sum(blank))
        intro = worksheet_section("objectives", "", s, width, lines=0)
        return [KeepTogether([*intro, table(rows, blank, _tall(1))])]
    if not plan.objectives:
        return [_empty(s, _("No objectives yet."))]
    rows = [heads(titles, s)]
    for number, o in enumerate(plan.objectives, start=1):
        findings = smart_findings(o, pack.smart or plan)
        complete = all(f.ok for f in findings)
        rows.append(
            [
                str(number),
                Paragraph(text(o.statement), s.cell),
                Paragraph(text(o.measure), s.cell),
                Paragraph(text(o.target_value), s.cell),
                o.due_on.isoformat() if o.due_on else "—",
                Paragraph(text(o.owner_name or "—"), s.cell),
                Paragraph(text(smart_summary(findings)), s.cell if complete else s.overdue),
            ]
        )
    return [table(rows, widths)]


def _tall(first: int) -> list[tuple[Any, ...]]:
    """Writing rows: tall enough for a line of handwriting, the row number centred on the first line."""
    return [("TOPPADDING", (0, first), (-1, -1), 4), ("BOTTOMPADDING", (0, first), (-1, -1), 14)]


def _actions(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    plan = pack.plan
    titles = ["#", _("Task"), _("Owner"), _("Deadline"), _("Status"), _("Progress"), _("Objective")]
    widths = [8 * mm, width - 122 * mm, 22 * mm, 22 * mm, 30 * mm, 19 * mm, 21 * mm]
    if pack.worksheet:
        rows = [heads(titles, s)] + [[str(n)] + [""] * 6 for n in range(1, 9)]
        return [KeepTogether([*worksheet_section("actions", "", s, width, lines=0), table(rows, widths, _tall(1))])]
    if not plan.actions:
        return [_empty(s, _("No action steps yet."))]
    statuses = dict(ACTION_STATUSES)
    rows = [heads(titles, s)]
    extra: list[tuple[Any, ...]] = []
    for number, a in enumerate(plan.actions, start=1):
        late = is_overdue(a, pack.printed_on)
        style = s.overdue if late else s.cell
        status = _(statuses.get(a.status, a.status))
        if a.status == "done" and a.done_on:
            status += " " + _("({who}, {date})").format(who=a.done_by, date=a.done_on.isoformat())
        if late:
            status += " — " + _("overdue")
        rows.append(
            [
                str(number),
                Paragraph(text(a.task), style),
                Paragraph(text(a.owner_name or "—"), s.cell),
                Paragraph(a.deadline.isoformat() if a.deadline else "—", style),
                Paragraph(text(status), style),
                f"{a.progress}%",
                str(a.objective + 1) if a.objective is not None else "—",
            ]
        )
        if late:
            extra.append(("BACKGROUND", (0, number), (-1, number), OVERDUE_FILL))
    return [table(rows, widths, extra)]


def _variance(cents: int, pct: float | None) -> str:
    return f"{cents / 100:+,.0f}" + (f" ({pct:+g}%)" if pct is not None else "")


def _revenue(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    lines = pack.plan.revenue
    titles = [
        _("Period"),
        _("Sales target ({currency})").format(currency=pack.currency),
        _("Actual revenue"),
        _("Variance"),
        _("Margin"),
        _("Profit"),
    ]
    widths = [38 * mm, 27 * mm, 27 * mm, 40 * mm, 17 * mm]
    widths.append(width - sum(widths))
    if pack.worksheet:
        periods = period_rows(pack.plan.period, pack.plan.starts_on)
        rows = [heads(titles, s)] + [[p] + [""] * 5 for p in periods]
        rows += [heads([_("Year to date")], s) + [""] * 5, heads([_("Full year")], s) + [""] * 5]
        extra = [*_tall(1), ("BACKGROUND", (0, -2), (-1, -1), TOTAL_FILL)]
        return [KeepTogether([*worksheet_section("revenue", "", s, width, lines=0), table(rows, widths, extra)])]
    if not lines:
        return [_empty(s, _("No revenue plan yet."))]
    rows = [heads(titles, s)]
    for line in lines:
        variance = line_variance(line)
        rows.append(
            [
                Paragraph(text(line.period), s.cell),
                money(line.target_cents),
                money(line.actual_cents),
                _variance(variance, None) if variance is not None else "—",
                f"{line.margin_pct:g}%" if line.margin_pct is not None else "—",
                money(line.profit_cents),
            ]
        )
    totals = revenue_to_date(lines)
    profit = sum(line.profit_cents or 0 for line in lines)
    actual = totals.year_actual_cents
    margin = f"{profit * 100 / actual:.1f}%" if actual else "—"
    ytd_label = (
        _("Year to date ({periods})").format(periods=_span(totals.periods)) if totals.periods else _("Year to date")
    )
    rows.append(
        [
            Paragraph(escape(ytd_label), s.cell_head),
            money(totals.ytd_target_cents),
            money(totals.ytd_actual_cents),
            _variance(totals.ytd_variance_cents, totals.ytd_variance_pct),
            margin,
            money(profit),
        ]
    )
    rows.append(
        [
            Paragraph(escape(_("Full year (target for all periods)")), s.cell_head),
            money(totals.year_target_cents),
            money(totals.year_actual_cents),
            _variance(totals.year_variance_cents, totals.year_variance_pct),
            "",
            "",
        ]
    )
    note = _(
        "Year to date compares the periods with an actual figure against their targets. The full-year variance "
        "is the revenue so far against the whole year's target: what is still to be won ({done} of the target "
        "so far)."
    ).format(done=f"{totals.year_done_pct:g}%" if totals.year_done_pct is not None else "—")
    bold = register_fonts()[1]
    extra = [
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("LINEABOVE", (0, -2), (-1, -2), 1.0, colors.black),
        ("BACKGROUND", (0, -2), (-1, -1), TOTAL_FILL),
        ("FONT", (1, -2), (-1, -1), bold, 8.5),
    ]
    return [KeepTogether([table(rows, widths, extra), Spacer(1, 3), Paragraph(escape(note), s.empty)])]


def _span(periods: tuple[str, ...]) -> str:
    return periods[0] if len(periods) == 1 else f"{periods[0]} – {periods[-1]}"


def _intel(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    notes = pack.plan.intel
    widths = [42 * mm, width - 104 * mm, 40 * mm, 22 * mm]
    titles = [_("Grade"), _("Note"), _("Source"), _("Date")]
    if pack.worksheet:
        rows = [heads(titles, s)] + _blank_rows(6, 4)
        return [KeepTogether([*worksheet_section("intel", "", s, width, lines=0), table(rows, widths, _tall(1))])]
    if not notes:
        return [_empty(s, _("No intelligence notes yet."))]
    rows = [heads(titles, s)]
    for n in sorted(notes, key=lambda n: -n.grade):
        rows.append(
            [
                Paragraph(escape(_(INTEL_GRADES.get(n.grade, str(n.grade)))), s.cell),
                Paragraph(text(n.note), s.cell),
                Paragraph(text(n.source or "—"), s.cell),
                n.noted_on.isoformat() if n.noted_on else "—",
            ]
        )
    return [table(rows, widths)]


def _reviews(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    questions = [k for k, _q in REVIEW_QUESTIONS]
    if pack.worksheet:
        rows = [heads([_("Question"), "1", "2", "3", "4", "5"], s)]
        rows += [[Paragraph(escape(_(q)), s.cell), "", "", "", "", ""] for _k, q in REVIEW_QUESTIONS]
        box = 10 * mm
        extra = [
            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
            ("TOPPADDING", (0, 1), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
        ]
        widths = [width - 5 * box] + [box] * 5
        return [KeepTogether([*worksheet_section("reviews", "", s, width, lines=0), table(rows, widths, extra)])]
    if not pack.reviews:
        return [_empty(s, _("No relationship review yet."))]
    legend = [Paragraph(text(f"Q{i}: {_(q)}"), s.cell) for i, (_k, q) in enumerate(REVIEW_QUESTIONS, start=1)]
    rows = [heads([_("Date"), _("By"), *[f"Q{i}" for i in range(1, len(questions) + 1)], _("Average"), _("Notes")], s)]
    for review in pack.reviews:
        average = review.average
        rows.append(
            [
                review.reviewed_on.isoformat(),
                Paragraph(text(review.reviewed_by), s.cell),
                *[str(review.scores.get(k, "—")) for k in questions],
                f"{average:.1f}" if average is not None else "—",
                Paragraph(text(review.notes), s.cell),
            ]
        )
    score = 10 * mm
    widths = [22 * mm, 22 * mm, *[score] * len(questions), 16 * mm, width - 60 * mm - score * len(questions)]
    return [KeepTogether([*legend, Spacer(1, 4), table(rows, widths, [("ALIGN", (2, 1), (-2, -1), "CENTER")])])]


def _org_map(pack: PlanPack, s: Styles, doc: GridDocTemplate) -> list[Flowable]:
    """The org map on landscape pages, drawn by reports.org_map at the size of the page: one page when it fits
    with no text under 7 pt, else split by rank band over as many pages as that takes (as the org-map print)."""
    from kamdesk.reports.org_map import MIN_SCALE, MapFlowable, fit_scale, split_by_band

    assert pack.org_map is not None
    data, analysis = pack.org_map
    template = next(t for t in doc.pageTemplates if t.id == "landscape")
    frame = template.frames[0]
    width, height = frame._width, frame._height - 64
    fits = not data.theirs or fit_scale(data, width, height) >= MIN_SCALE
    parts = [data] if fits else split_by_band(data, width, height)
    note = Paragraph(
        escape(_("Their people on the left by rank, ours on the right; each line a tie, coloured by its stage.")),
        s.empty,
    )
    story: list[Flowable] = []
    for number, part in enumerate(parts):
        title = _("Org map") if number == 0 else _("{heading} (continued)").format(heading=_("Org map"))
        if number:
            story.append(PageBreak())
        story += [Paragraph(escape(title), s.h1), note, Spacer(1, 4)]
        story.append(MapFlowable(part, analysis, width, height, register_fonts(), min_scale=MIN_SCALE))
    return story


def _contacts(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    if not pack.contacts:
        return [_empty(s, _("No contacts at this account yet."))]
    rows = [heads([_("Name"), _("Title"), _("Rank"), _("Buying role"), _("Relationship now"), _("Target")], s)]
    for c in pack.contacts:
        below = ParagraphStyle("below", parent=s.cell, textColor=BELOW)
        rows.append(
            [
                Paragraph(text(c.name), s.cell),
                Paragraph(text(c.title), s.cell),
                Paragraph(text(c.rank or "—"), s.cell),
                Paragraph(text(c.buying_role or "—"), s.cell),
                Paragraph(text(c.stage or "—") + (" ▼" if c.below_target else ""), below if c.below_target else s.cell),
                Paragraph(text(c.target or "—"), s.cell),
            ]
        )
    note = Paragraph(escape(_("▼ below the target stage for the account's class and the person's rank.")), s.empty)
    widths = [28 * mm, width - 144 * mm, 26 * mm, 28 * mm, 32 * mm, 30 * mm]
    return [table(rows, widths), Spacer(1, 4), note]


def _zipper(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    """The zipper check of the account: each finding and the introduction it suggests."""
    intro = Paragraph(
        escape(
            _(
                "Our people against theirs, rank by rank: who of ours should meet whom, so that each of "
                "their ranks is tied to ours at the same rank and no one of us holds the account alone."
            )
        ),
        s.empty,
    )
    if not pack.zipper:
        return [intro, Paragraph(escape(_("Nothing to mend in the zipper.")), s.body)]
    rows = [heads([_("Severity"), _("Finding"), _("What to do")], s)]
    extra: list[tuple[Any, ...]] = []
    for number, finding in enumerate(pack.zipper, start=1):
        problem = finding.severity == "problem"
        rows.append(
            [
                Paragraph(escape(_("Problem") if problem else _("Warning")), s.overdue if problem else s.cell),
                Paragraph(text(finding.message), s.cell),
                Paragraph(text(finding.suggestion), s.cell),
            ]
        )
        if problem:
            extra.append(("BACKGROUND", (0, number), (0, number), OVERDUE_FILL))
    widths = [20 * mm, (width - 20 * mm) * 0.5, (width - 20 * mm) * 0.5]
    return [KeepTogether([intro, Spacer(1, 4), table(rows, widths, extra)])]  # the intro never alone at a page end


def _governance(pack: PlanPack, s: Styles, width: float) -> list[Any]:
    """Who prepared the plan, its version, the sponsor's review, and a sign-off line for each role."""
    plan = pack.plan
    facts = [
        (_("Prepared by"), plan.updated_by or pack.owner or "—"),
        (_("Plan owner"), pack.owner or "—"),
        (
            _("Version"),
            _("{version}, saved {date} by {who}").format(
                version=plan.version,
                date=plan.updated_at.date().isoformat() if plan.updated_at else "—",
                who=plan.updated_by or "—",
            )
            if plan.version
            else _("not saved yet"),
        ),
        (_("Printed"), _("{date} by {who}").format(date=pack.printed_on.isoformat(), who=pack.printed_by or "—")),
        (
            _("Reviewed by the sponsor"),
            _("{who} on {date}").format(who=plan.sponsor_reviewed_by, date=plan.sponsor_reviewed_on.isoformat())
            if plan.sponsor_reviewed_on
            else _("not yet"),
        ),
    ]
    info = table(
        [[Paragraph(escape(k), s.cell_head), Paragraph(text(v), s.cell)] for k, v in facts],
        [45 * mm, width - 45 * mm],
        [("GRID", (0, 0), (-1, -1), 0, colors.white), ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID)],
        head=False,
    )
    signers = [
        (_("Account manager"), pack.account_manager or pack.owner),
        (_("Executive sponsor"), pack.sponsor),
        (_("Sales manager"), pack.sales_manager),
    ]
    rows: list[list[Any]] = [heads([_("Role"), _("Name"), _("Signature"), _("Date")], s)]
    for role, name in signers:
        rows.append([Paragraph(escape(role), s.cell_head), Paragraph(text(name or ""), s.cell), "", ""])
    sign = table(
        rows,
        [40 * mm, 45 * mm, width - 120 * mm, 35 * mm],
        [("TOPPADDING", (0, 1), (-1, -1), 9), ("BOTTOMPADDING", (0, 1), (-1, -1), 13)],
    )
    return [info, Spacer(1, 8), Paragraph(escape(_("Sign-off")), s.h2), sign]
