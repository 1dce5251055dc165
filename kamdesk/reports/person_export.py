"""Everything kamdesk holds about one person, as a readable PDF (the JSON export holds the same data)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kamdesk.domain.personal_data import PersonData, Section
from kamdesk.i18n import N_, _
from kamdesk.reports.fonts import register_fonts
from kamdesk.reports.pages import numbered_canvas

GRID = colors.HexColor("#b0b0b0")
HEAD_FILL = colors.HexColor("#e8eef5")
#: Labels of the card's fields, in the order the PDF lists them (others follow under their own names).
CARD_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", N_("Name")),
    ("account", N_("Company")),
    ("title", N_("Title")),
    ("rank_tier", N_("Rank")),
    ("buying_role", N_("Buying role")),
    ("relationship_stage", N_("Relationship stage")),
    ("reports_to", N_("Reports to")),
    ("mobile", N_("Mobile")),
    ("phone", N_("Phone")),
    ("email", N_("E-mail")),
    ("wechat", N_("WeChat")),
    ("address", N_("Address")),
    ("birthday", N_("Birthday")),
    ("city", N_("City")),
    ("hometown", N_("Hometown")),
    ("interests", N_("Interests")),
    ("preferences", N_("Likes")),
    ("taboos", N_("Taboos")),
    ("like_tags", N_("Tastes and interests (tags)")),
    ("taboo_tags", N_("Taboos (tags)")),
    ("personality_type", N_("Personality type")),
    ("notes", N_("Notes")),
    ("last_contact_on", N_("Last contact")),
    ("created_at", N_("Created (UTC)")),
    ("updated_at", N_("Last changed (UTC)")),
    ("updated_by", N_("Last changed by")),
    ("id", N_("Record id")),
)
#: Change-log values longer than this are cut in the PDF (the JSON export has them whole).
MAX_CELL = 1_500


def _text(value: object) -> str:
    """User text made safe for Paragraph markup, keeping its line breaks."""
    return escape(str(value)).replace("\n", "<br/>")


def _value(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) <= MAX_CELL else text[:MAX_CELL] + " …"
    return str(value)


class _Styles:
    def __init__(self) -> None:
        regular, bold = register_fonts()
        self.title = ParagraphStyle("title", fontName=bold, fontSize=20, leading=26, wordWrap="CJK", spaceAfter=4)
        self.subtitle = ParagraphStyle(
            "subtitle", fontName=regular, fontSize=10, leading=14, wordWrap="CJK", textColor=colors.HexColor("#444444")
        )
        self.h1 = ParagraphStyle(
            "h1",
            fontName=bold,
            fontSize=13,
            leading=18,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
            wordWrap="CJK",
            textColor=colors.HexColor("#0b3d6b"),
        )
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=14, wordWrap="CJK")
        self.empty = ParagraphStyle("empty", parent=self.body, textColor=colors.HexColor("#777777"))
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=11.5, wordWrap="CJK")
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=bold)


def build(data: PersonData, out: str | Path) -> None:
    """Write the person's data to a portrait A4 PDF at `out`."""
    s = _Styles()
    header = _("Personal data held about {name}").format(name=data.name)
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
    story: list[Any] = [
        Paragraph(_text(header), s.title),
        Paragraph(
            _text(
                _("From {file}, exported {when} UTC by {who}.").format(
                    file=data.file_name or "-",
                    when=data.exported_at.strftime("%Y-%m-%d %H:%M"),
                    who=data.exported_by or "-",
                )
            ),
            s.subtitle,
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            _text(
                _(
                    "This is everything this kamdesk team file holds about the person: the contact card, "
                    "family, personal dates, relationship history, our people who know them, the activities, "
                    "gifts and visits that name them, and the change-log entries about them. The JSON file "
                    "exported with it holds the same data for machines."
                )
            ),
            s.body,
        ),
        Paragraph(_text(_("Contact card")), s.h1),
        _card(data, s, doc.width),
    ]
    for section in data.sections:
        story.append(
            Paragraph(_text(_("{title} ({count})").format(title=_(section.title), count=len(section.rows))), s.h1)
        )
        story.append(_table(section, s, doc.width) if section.rows else Paragraph(_text(_("None.")), s.empty))
    doc.build(story, canvasmaker=numbered_canvas(header))


def _card(data: PersonData, s: _Styles, width: float) -> Table:
    known = {key for key, _label in CARD_FIELDS}
    fields = [(_(label), data.card.get(key)) for key, label in CARD_FIELDS]
    fields += [(key, value) for key, value in sorted(data.card.items()) if key not in known]
    rows = [
        [Paragraph(_text(label), s.cell_head), Paragraph(_text(_value(value)), s.cell)]
        for label, value in fields
        if _value(value)
    ]
    table = Table(rows, colWidths=[width * 0.28, width * 0.72])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
            ]
        )
    )
    return table


def _table(section: Section, s: _Styles, width: float) -> Table:
    head = [Paragraph(_text(_(label)), s.cell_head) for _key, label in section.columns]
    rows = [head] + [
        [Paragraph(_text(_value(record.get(key))), s.cell) for key, _label in section.columns]
        for record in section.rows
    ]
    weights = [
        3.0 if key in ("changes", "notes", "subject", "purpose", "outcome") else 1.0 for key, _label in section.columns
    ]
    total = sum(weights)
    table = Table(rows, colWidths=[width * w / total for w in weights], repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
            ]
        )
    )
    return table
