"""Everything kamdesk holds about one person, as a readable PDF (the JSON export holds the same data)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

from kamdesk.domain import clock
from kamdesk.domain.enums import (
    ActivityKind,
    ActivityStatus,
    BuyingRole,
    GiftDirection,
    GiftKind,
    LabelledEnum,
    PersonalityType,
    RankTier,
    RelationshipStage,
)
from kamdesk.domain.followups import SENSITIVE_KINDS
from kamdesk.domain.gifts import DELIVERY, REGISTER_STATUSES, VISIT_KINDS
from kamdesk.domain.personal_data import PersonData, Section
from kamdesk.i18n import N_, _
from kamdesk.reports.fonts import register_fonts
from kamdesk.reports.pages import numbered_canvas
from kamdesk.reports.typeset import Paragraph

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
    ("created_at", N_("Created")),
    ("updated_at", N_("Last changed")),
    ("updated_by", N_("Last changed by")),
    ("id", N_("Record id")),
)
#: Change-log values longer than this are cut in the PDF (the JSON export has them whole).
MAX_CELL = 1_500


def _text(value: object) -> str:
    """User text made safe for Paragraph markup, keeping its line breaks."""
    return escape(str(value)).replace("\n", "<br/>")


def _labels(pairs: Any) -> dict[str, str]:
    if isinstance(pairs, dict):
        return dict(pairs)
    if isinstance(pairs, type) and issubclass(pairs, LabelledEnum):
        return {member.value: pairs._labels().get(member.value, member.value) for member in list(pairs)}
    return dict(pairs)


_STAGES = _labels(RelationshipStage)
#: Coded values and their labels (translated when printed), by section key and field ("card" is the card).
CODES: dict[tuple[str, str], dict[str, str]] = {
    ("card", "rank_tier"): _labels(RankTier),
    ("card", "buying_role"): _labels(BuyingRole),
    ("card", "relationship_stage"): _STAGES,
    ("card", "personality_type"): _labels(PersonalityType),
    ("stage_history", "stage"): _STAGES,
    ("links", "relationship_stage"): _STAGES,
    ("activities", "kind"): _labels(ActivityKind),
    ("activities", "status"): _labels(ActivityStatus),
    ("gifts", "direction"): _labels(GiftDirection),
    ("gifts", "kind"): _labels(GiftKind),
    ("gifts", "status"): _labels(REGISTER_STATUSES),
    ("gifts", "delivery"): _labels(DELIVERY),
    ("visits", "kind"): _labels(VISIT_KINDS),
    ("visits", "status"): _labels(REGISTER_STATUSES),
    ("sensitive_events", "kind"): dict(SENSITIVE_KINDS),
    ("change_log", "action"): {"insert": N_("Created"), "update": N_("Changed"), "delete": N_("Deleted")},
    ("change_log", "table"): {
        "contacts": N_("Contact card"),
        "gifts": N_("Gift"),
        "activities": N_("Activity"),
        "visits": N_("Visit"),
        "family_members": N_("Family member"),
        "personal_dates": N_("Personal date"),
        "links": N_("Link with our people"),
        "contact_stage_history": N_("Stage history"),
        "contact_events": N_("Sensitive event"),
    },
}
#: Each section's (field, label) pairs, as the last export gave them (for labelling change-log fields).
_SECTION_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {}
#: Stored moments in UTC, printed in local time with the zone named (a visit's start is already local).
UTC_FIELDS = frozenset({"created_at", "updated_at", "occurred_at", "at", "changed_at", "erased_at"})


def local_zone() -> dt.tzinfo:
    """The computer's time zone, at the clock's present moment."""
    zone = clock.utc_now().replace(tzinfo=dt.UTC).astimezone().tzinfo
    return zone or dt.UTC


def zone_name(zone: dt.tzinfo) -> str:
    """UTC+08:00: a zone's offset now, named so that no one reads the times as another zone's."""
    offset = clock.utc_now().replace(tzinfo=dt.UTC).astimezone(zone).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def coded(section: str, key: str, value: Any) -> Any:
    """A coded value as its label in the print language (unknown codes as they are)."""
    labels = CODES.get((section, key))
    if labels is None or not isinstance(value, str) or not value:
        return value
    return _(labels[value]) if value in labels else value


#: The section whose codes and labels a change-log entry's fields take, by the table it changed.
TABLE_SECTIONS = {
    "contacts": "card",
    "gifts": "gifts",
    "activities": "activities",
    "visits": "visits",
    "links": "links",
    "contact_stage_history": "stage_history",
    "family_members": "family",
    "personal_dates": "personal_dates",
    "contact_events": "sensitive_events",
}


def _field_label(section: str, key: str) -> str:
    labels = dict(CARD_FIELDS) if section == "card" else {}
    for found in _SECTION_COLUMNS.get(section, ()):
        labels.setdefault(*found)
    return _(labels[key]) if key in labels else key


def changes_text(table: str, changes: Any) -> str:
    """A change-log entry's values as lines a person reads: "Relationship stage: Acquainted → Good friend", with
    field labels and coded values in the print language (the JSON export keeps the stored values)."""
    if not isinstance(changes, dict):
        return _value(changes)
    section = TABLE_SECTIONS.get(table, "")
    lines = []
    for key, value in sorted(changes.items()):
        if isinstance(value, list) and len(value) == 2:
            old, new = (_value(coded(section, key, v)) or "—" for v in value)
            shown = f"{old} → {new}"
        else:
            shown = _value(coded(section, key, value))
        lines.append(f"{_field_label(section, key)}: {shown}")
    text = "\n".join(lines)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL] + " …"


def _value(value: Any, zone: dt.tzinfo | None = None, utc: bool = False) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else ""
    if isinstance(value, dt.datetime):
        if utc and zone is not None:
            value = value.replace(tzinfo=dt.UTC).astimezone(zone) if value.tzinfo is None else value.astimezone(zone)
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
            wordWrap="CJK",
            textColor=colors.HexColor("#0b3d6b"),
        )
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=14, wordWrap="CJK")
        self.empty = ParagraphStyle("empty", parent=self.body, textColor=colors.HexColor("#777777"))
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=11.5, wordWrap="CJK")
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=bold)


def build(data: PersonData, out: str | Path, zone: dt.tzinfo | None = None) -> None:
    """Write the person's data to a portrait A4 PDF at `out`; moments in `zone` (default: the computer's)."""
    s = _Styles()
    zone = zone or local_zone()
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
                _("From {file}, exported {when} by {who}. Times are local time ({zone}).").format(
                    file=data.file_name or "-",
                    when=_value(data.exported_at, zone, utc=True),
                    who=data.exported_by or "-",
                    zone=zone_name(zone),
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
        CondPageBreak(70),
        Paragraph(_text(_("Contact card")), s.h1),
        _card(data, s, doc.width, zone),
    ]
    _SECTION_COLUMNS.update({section.key: section.columns for section in data.sections})
    empty = [_(section.title) for section in data.sections if not section.rows]
    for section in data.sections:
        if section.rows:
            title = _("{title} ({count})").format(title=_(section.title), count=len(section.rows))
            # A heading starts a new page only when less than a few rows' room is left (keepWithNext would move a
            # long table's heading, and so the whole table, to the next page, leaving this one nearly empty).
            story += [CondPageBreak(70), Paragraph(_text(title), s.h1), _table(section, s, doc.width, zone)]
    if empty:  # one line for everything not held, rather than a heading and "None." each
        story += [
            CondPageBreak(50),
            Paragraph(_text(_("Nothing held")), s.h1),
            Paragraph(_text("; ".join(empty) + _(": none.")), s.empty),
        ]
    doc.build(story, canvasmaker=numbered_canvas(header))


def _card(data: PersonData, s: _Styles, width: float, zone: dt.tzinfo) -> Table:
    known = {key for key, _label in CARD_FIELDS}
    fields = [(key, _(label), data.card.get(key)) for key, label in CARD_FIELDS]
    fields += [(key, key, value) for key, value in sorted(data.card.items()) if key not in known]
    rows = []
    for key, label, value in fields:
        text = _value(coded("card", key, value), zone, key in UTC_FIELDS)
        if text:
            rows.append([Paragraph(_text(label), s.cell_head), Paragraph(_text(text), s.cell)])
    labels = [_(label) for _key, label in CARD_FIELDS]
    first = min(max(_need(labels, s.cell_head.fontName), width * 0.22), width * 0.4)
    table = Table(rows, colWidths=[first, width - first])
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


#: A cell's left and right padding (ReportLab's default), points.
CELL_PAD = 6.0
#: Cells up to this many characters are kept on one line (codes' labels, names, statuses, short headings).
SHORT = 6
_WORD = re.compile(r"[!-~\u00a0-\u2dff]+")


def _need(texts: list[str], font: str, size: float = 8.5) -> float:
    """The width a column needs so that none of `texts`' words or dates is broken: its longest unbreakable run
    (Latin letters, digits and their punctuation), or one Chinese character, plus the padding."""
    widest = 0.0
    for text in texts:
        if 0 < len(text) <= SHORT:  # a label, a name, a status: kept on one line whole (已完成, not 已完/成)
            widest = max(widest, stringWidth(text, font, size))
            continue
        for word in _WORD.findall(text):
            widest = max(widest, stringWidth(word, font, size))
        if any(ord(ch) >= 0x2E80 for ch in text):
            widest = max(widest, size * 2)
    return widest + 2 * CELL_PAD + 1


def column_widths(headers: list[str], columns: list[list[str]], width: float, font: str) -> list[float]:
    """Widths that keep every word and date whole: each column gets what its longest word needs, and what is left
    goes to the columns with more text (by the length of their longest cell, up to a line's worth)."""
    need = [_need([head, *cells], font) for head, cells in zip(headers, columns, strict=True)]
    spare = width - sum(need)
    if spare <= 0:  # more than a page can hold whole: share the width by need
        return [width * n / sum(need) for n in need]
    wants = []
    for n, cells in zip(need, columns, strict=True):
        longest = max((stringWidth(c, font, 8.5) for c in cells), default=0.0) + 2 * CELL_PAD
        wants.append(max(min(longest, width * 0.6) - n, 0.0))
    if not sum(wants):
        return [n + spare / len(need) for n in need]
    return [n + spare * w / sum(wants) for n, w in zip(need, wants, strict=True)]


def _table(section: Section, s: _Styles, width: float, zone: dt.tzinfo) -> Table:
    headers = [_(label) for _key, label in section.columns]
    if any(key in UTC_FIELDS for key, _label in section.columns):
        headers = [
            _("{label} ({zone})").format(label=h, zone=zone_name(zone)) if key in UTC_FIELDS else h
            for h, (key, _label) in zip(headers, section.columns, strict=True)
        ]
    values = [
        [
            changes_text(str(record.get("table", "")), record.get(key))
            if key == "changes"
            else _value(coded(section.key, key, record.get(key)), zone, key in UTC_FIELDS)
            for key, _label in section.columns
        ]
        for record in section.rows
    ]
    widths = column_widths(headers, [list(column) for column in zip(*values, strict=True)], width, s.cell.fontName)
    rows = [[Paragraph(_text(h), s.cell_head) for h in headers]]
    rows += [[Paragraph(_text(v), s.cell) for v in record] for record in values]
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
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
