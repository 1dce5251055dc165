"""The account plan pack as a PDF: cover, the plan's sections in order (§9), and the contacts page."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
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
    PlanPack,
    Swot,
    is_overdue,
    line_variance,
    revenue_totals,
    smart_findings,
    smart_summary,
)
from kamdesk.i18n import _
from kamdesk.reports.fonts import register_fonts
from kamdesk.reports.pages import numbered_canvas

GRID = colors.HexColor("#b0b0b0")
HEAD_FILL = colors.HexColor("#e8eef5")
OVERDUE = colors.HexColor("#C62828")
BELOW = colors.HexColor("#D55E00")
SWOT_FILLS = (
    colors.HexColor("#e7f4ee"),
    colors.HexColor("#fbeee6"),
    colors.HexColor("#e8f1f8"),
    colors.HexColor("#f6e9ef"),
)


def _text(value: object) -> str:
    """User text made safe for Paragraph markup, keeping its line breaks."""
    return escape(str(value)).replace("\n", "<br/>")


def _money(cents: int | None) -> str:
    return "—" if cents is None else f"{cents / 100:,.0f}"


class _Styles:
    def __init__(self) -> None:
        regular, bold = register_fonts()
        self.title = ParagraphStyle("title", fontName=bold, fontSize=24, leading=30, wordWrap="CJK", spaceAfter=6)
        self.subtitle = ParagraphStyle("subtitle", fontName=regular, fontSize=14, leading=20, wordWrap="CJK")
        self.h1 = ParagraphStyle(
            "h1",
            fontName=bold,
            fontSize=14,
            leading=19,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
            wordWrap="CJK",
            textColor=colors.HexColor("#0b3d6b"),
        )
        self.h2 = ParagraphStyle(
            "h2", fontName=bold, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=2, keepWithNext=1, wordWrap="CJK"
        )
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=14, wordWrap="CJK")
        self.empty = ParagraphStyle("empty", parent=self.body, textColor=colors.HexColor("#777777"))
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=11.5, wordWrap="CJK")
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=bold)
        self.overdue = ParagraphStyle("overdue", parent=self.cell, textColor=OVERDUE)


def build(pack: PlanPack, out: str | Path) -> None:
    """Write the plan pack of `pack` to a portrait A4 PDF at `out`."""
    s = _Styles()
    plan = pack.plan
    header = _("{account} — account plan {period}").format(account=plan.account_name, period=plan.period)
    doc = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=15 * mm,
        title=header,
        author="kamdesk",
    )
    story: list[Any] = _cover(pack, s)
    story.append(PageBreak())
    story += _section(s, "1", _("Plan summary"), [_paragraph(plan.summary, s)])
    customer = [item for key, label in CUSTOMER_FIELDS for item in _field(_(label), plan.customer.get(key, ""), s)]
    story += _section(s, "2", _("Customer profile"), customer or [_empty(s)])
    story += [Paragraph(escape(_("The customer's SWOT")), s.h2), _swot(plan.customer_swot, s, doc.width)]
    story += _section(s, "3", _("Competitor profiles"), _competitors(pack, s, doc.width))
    situation = [item for key, label in SITUATION_FIELDS for item in _field(_(label), plan.situation.get(key, ""), s)]
    facts = []
    if plan.share_of_spend_pct is not None:
        facts.append(_("Our share of their spend: {share:g}%").format(share=plan.share_of_spend_pct))
    if plan.cycle_stage:
        facts.append(_("Relationship cycle stage: {stage}").format(stage=_label(CycleStage, plan.cycle_stage)))
    story += _section(
        s,
        "4",
        _("Situation assessment"),
        [Paragraph(_text(" · ".join(facts)), s.body)] * bool(facts) + (situation or [_empty(s)]),
    )
    story += [Paragraph(escape(_("Our SWOT in this account")), s.h2), _swot(plan.our_swot, s, doc.width)]
    story += _section(s, "5", _("Vision"), [_paragraph(plan.vision, s)])
    story += _section(s, "6", _("Objectives"), _objectives(pack, s, doc.width))
    story += _section(s, "7", _("Action plan"), _actions(pack, s, doc.width))
    story += _section(s, "8", _("Revenue plan"), _revenue(pack, s, doc.width))
    story += _section(s, "9", _("Intelligence"), _intel(pack, s, doc.width))
    story += _section(s, "10", _("Relationship reviews"), _reviews(pack, s, doc.width))
    story.append(PageBreak())
    story += _section(s, "11", _("Contacts"), _contacts(pack, s, doc.width))
    story += _section(s, "12", _("Zipper"), _zipper(pack, s, doc.width))
    doc.build(story, canvasmaker=numbered_canvas(header))


def _cover(pack: PlanPack, s: _Styles) -> list[Any]:
    plan = pack.plan
    dates = ""
    if plan.starts_on and plan.ends_on:
        dates = _("{start} to {end}").format(start=plan.starts_on.isoformat(), end=plan.ends_on.isoformat())
    rows = [
        (_("Account"), plan.account_name),
        (_("Period"), f"{plan.period}  {dates}".strip()),
        (_("Class"), plan.account_class or _("not classed")),
        (_("Account manager (owner)"), pack.owner or "—"),
        (_("Executive sponsor"), pack.sponsor or "—"),
        (_("Sales manager"), pack.sales_manager or "—"),
        (
            _("Reviewed by the sponsor"),
            _("{who} on {date}").format(who=plan.sponsor_reviewed_by, date=plan.sponsor_reviewed_on.isoformat())
            if plan.sponsor_reviewed_on
            else _("not yet"),
        ),
        (_("Printed"), pack.printed_on.isoformat()),
    ]
    table = Table(
        [[Paragraph(_text(k), s.cell_head), Paragraph(_text(v), s.body)] for k, v in rows],
        colWidths=[55 * mm, 110 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [
        Spacer(1, 50 * mm),
        Paragraph(escape(_("Account plan")), s.subtitle),
        Paragraph(_text(plan.account_name), s.title),
        Paragraph(_text(plan.period), s.subtitle),
        Spacer(1, 14 * mm),
        table,
    ]


def _section(s: _Styles, number: str, title: str, body: list[Any]) -> list[Any]:
    return [Paragraph(f"{number}. {escape(title)}", s.h1), *body]


def _empty(s: _Styles) -> Paragraph:
    return Paragraph(escape(_("Nothing written yet.")), s.empty)


def _paragraph(text: str, s: _Styles) -> Paragraph:
    return Paragraph(_text(text), s.body) if text.strip() else _empty(s)


def _field(label: str, value: str, s: _Styles) -> list[Any]:
    if not value.strip():
        return []
    return [Paragraph(escape(label), s.h2), Paragraph(_text(value), s.body)]


def _label(enum: Any, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def _table(rows: list[list[Any]], widths: list[float], extra: list[tuple[Any, ...]] | None = None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *(extra or []),
            ]
        )
    )
    return table


def _heads(texts: list[str], s: _Styles) -> list[Paragraph]:
    return [Paragraph(escape(t), s.cell_head) for t in texts]


def _swot(swot: Swot, s: _Styles, width: float) -> Any:
    cells = []
    for key, label in SWOT_PARTS:
        text = getattr(swot, key)
        cells.append(
            [
                Paragraph(escape(_(label)), s.cell_head),
                Paragraph(
                    _text(text) if text.strip() else escape(_("Nothing written yet.")),
                    s.cell if text.strip() else s.empty,
                ),
            ]
        )
    grid = Table([[cells[0], cells[1]], [cells[2], cells[3]]], colWidths=[width / 2] * 2, splitInRow=1)
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


def _competitors(pack: PlanPack, s: _Styles, width: float) -> list[Any]:
    if not pack.plan.competitors:
        return [Paragraph(escape(_("No competitors recorded.")), s.empty)]
    story: list[Any] = []
    for competitor in pack.plan.competitors:
        rows = [
            _heads(
                [
                    competitor.name,
                    _("Customer's preference: {score}").format(
                        score=f"{competitor.preference}/5" if competitor.preference else "—"
                    ),
                ],
                s,
            )
        ]
        for key, label in COMPETITOR_FIELDS:
            value = getattr(competitor, key)
            rows.append(
                [Paragraph(escape(_(label)), s.cell), Paragraph(_text(value) if value.strip() else "—", s.cell)]
            )
        story += [_table(rows, [55 * mm, width - 55 * mm]), Spacer(1, 6)]
    return story


def _objectives(pack: PlanPack, s: _Styles, width: float) -> list[Any]:
    plan = pack.plan
    if not plan.objectives:
        return [Paragraph(escape(_("No objectives yet.")), s.empty)]
    rows = [_heads(["#", _("Objective"), _("Measure"), _("Target value"), _("Due"), _("Owner"), _("SMART")], s)]
    for number, o in enumerate(plan.objectives, start=1):
        findings = smart_findings(o, pack.smart or plan)
        complete = all(f.ok for f in findings)
        rows.append(
            [
                str(number),
                Paragraph(_text(o.statement), s.cell),
                Paragraph(_text(o.measure), s.cell),
                Paragraph(_text(o.target_value), s.cell),
                o.due_on.isoformat() if o.due_on else "—",
                Paragraph(_text(o.owner_name or "—"), s.cell),
                Paragraph(_text(smart_summary(findings)), s.cell if complete else s.overdue),
            ]
        )
    return [
        _table(
            rows,
            [8 * mm, width * 0.24, width * 0.13, width * 0.1, 20 * mm, 18 * mm, width - 46 * mm - width * 0.47],
            [("FONT", (0, 1), (-1, -1), register_fonts()[0], 8.5)],
        )
    ]


def _actions(pack: PlanPack, s: _Styles, width: float) -> list[Any]:
    plan = pack.plan
    if not plan.actions:
        return [Paragraph(escape(_("No action steps yet.")), s.empty)]
    statuses = dict(ACTION_STATUSES)
    rows = [_heads(["#", _("Task"), _("Owner"), _("Deadline"), _("Status"), _("Progress"), _("Objective")], s)]
    extra: list[tuple[Any, ...]] = [("FONT", (0, 1), (-1, -1), register_fonts()[0], 8.5)]
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
                Paragraph(_text(a.task), style),
                Paragraph(_text(a.owner_name or "—"), s.cell),
                Paragraph(a.deadline.isoformat() if a.deadline else "—", style),
                Paragraph(_text(status), style),
                f"{a.progress}%",
                str(a.objective + 1) if a.objective is not None else "—",
            ]
        )
        if late:
            extra.append(("BACKGROUND", (0, number), (-1, number), colors.HexColor("#fdecea")))
    return [_table(rows, [8 * mm, width - 122 * mm, 22 * mm, 22 * mm, 30 * mm, 19 * mm, 21 * mm], extra)]


def _revenue(pack: PlanPack, s: _Styles, width: float) -> list[Any]:
    lines = pack.plan.revenue
    if not lines:
        return [Paragraph(escape(_("No revenue plan yet.")), s.empty)]
    rows = [
        _heads(
            [
                _("Period"),
                _("Sales target ({currency})").format(currency=pack.currency),
                _("Actual revenue"),
                _("Variance"),
                _("Margin"),
                _("Profit"),
            ],
            s,
        )
    ]
    for line in lines:
        rows.append(
            [
                Paragraph(_text(line.period), s.cell),
                _money(line.target_cents),
                _money(line.actual_cents),
                _money(line_variance(line)),
                f"{line.margin_pct:g}%" if line.margin_pct is not None else "—",
                _money(line.profit_cents),
            ]
        )
    totals = revenue_totals(lines)
    rows.append(
        [
            Paragraph(escape(_("Total")), s.cell_head),
            _money(totals.target_cents),
            _money(totals.actual_cents),
            _money(totals.variance_cents)
            + (f" ({totals.variance_pct:+g}%)" if totals.variance_pct is not None else ""),
            f"{totals.margin_pct:g}%" if totals.margin_pct is not None else "—",
            _money(totals.profit_cents),
        ]
    )
    column = (width - 30 * mm) / 5
    return [
        _table(
            rows,
            [30 * mm] + [column] * 5,
            [
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("FONT", (0, 1), (-1, -1), register_fonts()[0], 8.5),
                ("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black),
            ],
        )
    ]


def _intel(pack: PlanPack, s: _Styles, width: float) -> list[Any]:
    notes = pack.plan.intel
    if not notes:
        return [Paragraph(escape(_("No intelligence notes yet.")), s.empty)]
    rows = [_heads([_("Grade"), _("Note"), _("Source"), _("Date")], s)]
    for n in sorted(notes, key=lambda n: -n.grade):
        rows.append(
            [
                Paragraph(escape(_(INTEL_GRADES.get(n.grade, str(n.grade)))), s.cell),
                Paragraph(_text(n.note), s.cell),
                Paragraph(_text(n.source or "—"), s.cell),
                n.noted_on.isoformat() if n.noted_on else "—",
            ]
        )
    return [
        _table(
            rows, [42 * mm, width - 104 * mm, 40 * mm, 22 * mm], [("FONT", (0, 1), (-1, -1), register_fonts()[0], 8.5)]
        )
    ]


def _reviews(pack: PlanPack, s: _Styles, width: float) -> list[Any]:
    if not pack.reviews:
        return [Paragraph(escape(_("No relationship review yet.")), s.empty)]
    questions = [k for k, _q in REVIEW_QUESTIONS]
    legend = [Paragraph(_text(f"Q{i}: {_(q)}"), s.cell) for i, (_k, q) in enumerate(REVIEW_QUESTIONS, start=1)]
    rows = [_heads([_("Date"), _("By"), *[f"Q{i}" for i in range(1, len(questions) + 1)], _("Average"), _("Notes")], s)]
    for review in pack.reviews:
        average = review.average
        rows.append(
            [
                review.reviewed_on.isoformat(),
                Paragraph(_text(review.reviewed_by), s.cell),
                *[str(review.scores.get(k, "—")) for k in questions],
                f"{average:.1f}" if average is not None else "—",
                Paragraph(_text(review.notes), s.cell),
            ]
        )
    score = 10 * mm
    table = _table(
        rows,
        [22 * mm, 22 * mm, *[score] * len(questions), 16 * mm, width - 60 * mm - score * len(questions)],
        [("FONT", (0, 1), (-1, -1), register_fonts()[0], 8.5), ("ALIGN", (2, 1), (-2, -1), "CENTER")],
    )
    return [KeepTogether(legend), Spacer(1, 4), table]


def _contacts(pack: PlanPack, s: _Styles, width: float) -> list[Any]:
    if not pack.contacts:
        return [Paragraph(escape(_("No contacts at this account yet.")), s.empty)]
    rows = [_heads([_("Name"), _("Title"), _("Rank"), _("Buying role"), _("Relationship now"), _("Target")], s)]
    extra: list[tuple[Any, ...]] = [("FONT", (0, 1), (-1, -1), register_fonts()[0], 8.5)]
    for c in pack.contacts:
        style = s.cell
        rows.append(
            [
                Paragraph(_text(c.name), s.cell),
                Paragraph(_text(c.title), s.cell),
                Paragraph(_text(c.rank or "—"), s.cell),
                Paragraph(_text(c.buying_role or "—"), s.cell),
                Paragraph(
                    _text(c.stage or "—") + (" ▼" if c.below_target else ""),
                    ParagraphStyle("below", parent=style, textColor=BELOW) if c.below_target else style,
                ),
                Paragraph(_text(c.target or "—"), s.cell),
            ]
        )
    note = Paragraph(escape(_("▼ below the target stage for the account's class and the person's rank.")), s.empty)
    return [_table(rows, [28 * mm, width - 144 * mm, 26 * mm, 28 * mm, 32 * mm, 30 * mm], extra), Spacer(1, 4), note]


def _zipper(pack: PlanPack, s: _Styles, width: float) -> list[Any]:
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
    rows = [_heads([_("Severity"), _("Finding"), _("What to do")], s)]
    extra: list[tuple[Any, ...]] = [("FONT", (0, 1), (-1, -1), register_fonts()[0], 8.5)]
    for number, finding in enumerate(pack.zipper, start=1):
        problem = finding.severity == "problem"
        rows.append(
            [
                Paragraph(escape(_("Problem") if problem else _("Warning")), s.overdue if problem else s.cell),
                Paragraph(_text(finding.message), s.cell),
                Paragraph(_text(finding.suggestion), s.cell),
            ]
        )
        if problem:
            extra.append(("BACKGROUND", (0, number), (0, number), colors.HexColor("#fdecea")))
    return [intro, Spacer(1, 4), _table(rows, [20 * mm, (width - 20 * mm) * 0.5, (width - 20 * mm) * 0.5], extra)]
