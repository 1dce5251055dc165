"""Layout shared by the printed gift and visit schedules: landscape A4, a title block, one long table
with group headings and subtotals, and cells that are plain strings unless their text must wrap."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kamdesk.domain import clock
from kamdesk.domain.names import search_keys
from kamdesk.i18n import _
from kamdesk.reports.fonts import register_fonts
from kamdesk.reports.pages import numbered_canvas
from kamdesk.reports.typeset import MAX_PULL, allowed_between

GRID = colors.HexColor("#b0b0b0")
HEAD_FILL = colors.HexColor("#e8eef5")
GROUP_FILL = colors.HexColor("#d9e4f0")
WEEK_FILL = colors.HexColor("#f1f4f8")
SUBTOTAL_FILL = colors.HexColor("#f7f7f7")
CELL_SIZE = 8.0
CELL_LEADING = 10.0
PAD = 3.0  # left and right cell padding, points
TALL_ROW = 150.0  # points: a row this tall may be split across pages rather than moved whole


def money(cents: int) -> str:
    """Whole currency units with thousands separators: 1,234 (the currency is named in the header)."""
    return f"{cents / 100:,.0f}"


@lru_cache(maxsize=4096)
def group_order(name: str, person: bool) -> tuple[str, str]:
    """Groups in pinyin order (Latin names by their letters), the unnamed group last."""
    if not name.strip():
        return ("\uffff", "")
    return (search_keys(name, person=person)[0], name)


def _clean(text: object) -> str:
    """Plain text a table cell can draw: control characters other than line breaks dropped."""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in value if ch == "\n" or ord(ch) >= 32).strip()


class Styles:
    def __init__(self) -> None:
        self.regular, self.bold = register_fonts()
        self.title = ParagraphStyle("title", fontName=self.bold, fontSize=17, leading=22, wordWrap="CJK", spaceAfter=2)
        self.meta = ParagraphStyle(
            "meta",
            fontName=self.regular,
            fontSize=9.5,
            leading=13,
            wordWrap="CJK",
            textColor=colors.HexColor("#444444"),
        )
        self.empty = ParagraphStyle(
            "empty",
            fontName=self.regular,
            fontSize=12,
            leading=17,
            wordWrap="CJK",
            textColor=colors.HexColor("#555555"),
            spaceBefore=24,
        )


class Cells:
    """Makes table cells as plain strings, broken into lines that fit the column. A string cell is
    drawn literally (user text can never become markup) and costs far less than a Paragraph, which
    matters for a schedule of thousands of rows. Lines break between Chinese characters, at spaces
    between Latin words, inside a word only when it is wider than the column, never just before
    closing punctuation such as ，or ）and never just after an opening bracket or quote such as （ or “
    (typeset.CANNOT_START and CANNOT_END)."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self._widths: dict[tuple[str, str], float] = {}

    def __call__(self, text: object, width: float, bold: bool = False) -> str:
        value = _clean(text)
        if not value:
            return ""
        font = self.styles.bold if bold else self.styles.regular
        room = width - 2 * PAD - 0.5
        if "\n" not in value and stringWidth(value, font, CELL_SIZE) <= room:
            return value
        return "\n".join(line for part in value.split("\n") for line in self._lines(part, font, room))

    def _width(self, text: str, font: str) -> float:
        total = 0.0
        for ch in text:
            key = (font, ch)
            if key not in self._widths:
                self._widths[key] = stringWidth(ch, font, CELL_SIZE)
            total += self._widths[key]
        return total

    def _lines(self, text: str, font: str, room: float) -> list[str]:
        lines: list[str] = []
        line: list[str] = []
        used = 0.0
        for token in _TOKENS.findall(text):
            size = self._width(token, font)
            if token.isspace():
                if line:
                    line.append(" ")
                    used += self._width(" ", font)
                continue
            if used + size <= room:
                line.append(token)
                used += size
                continue
            carried: list[str] = []
            for _pull in range(MAX_PULL):
                # Closing punctuation takes the character before it along; an opening bracket or quote
                # goes down with what it opens.
                following = (carried[0] if carried else token)[0]
                if len(line) > 1 and not line[-1].isspace() and not allowed_between(line[-1][-1], following):
                    carried.insert(0, line.pop())
                else:
                    break
            if line:
                lines.append("".join(line).rstrip())
            line, used = carried, self._width("".join(carried), font)
            if used + size <= room:
                line.append(token)
                used += size
                continue
            for ch in token:  # a word wider than the column: break it where it must
                step = self._width(ch, font)
                if line and used + step > room:
                    lines.append("".join(line).rstrip())
                    line, used = [], 0.0
                line.append(ch)
                used += step
        if line:
            lines.append("".join(line).rstrip())
        return lines or [""]


#: A run of Latin letters, digits and their punctuation (one unbreakable word), a space, or any
#: other single character (a Chinese character or full-width punctuation: breakable on either side).
_TOKENS = re.compile(r"[!-~\u00a0-\u2dff]+|\s|.", re.S)


def running_header(title: str, period: str) -> str:
    """The line at the top of every page: the schedule's title and period."""
    return " · ".join(p for p in (title.strip(), period.strip()) if p)


def document(out: str | Path, header: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        str(out),
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=14 * mm,
        bottomMargin=13 * mm,
        title=header,
        author="kamdesk",
    )


def build(doc: SimpleDocTemplate, header: str, story: list[Any], footer: str = "") -> None:
    """Lay out `story`; the running header and the footer line up with the text's margin."""
    doc.build(story, canvasmaker=numbered_canvas(header, footer, margin=doc.leftMargin))


def title_block(styles: Styles, title: str, period: str, printed_on: dt.date | None, extra: str = "") -> list[Flowable]:
    printed = (printed_on or clock.today()).isoformat()
    meta = " · ".join(p for p in (period.strip(), _("Printed {date}").format(date=printed), extra) if p)
    return [Paragraph(escape(_clean(title)), styles.title), Paragraph(escape(meta), styles.meta), Spacer(1, 4 * mm)]


def empty_page(styles: Styles, message: str, period: str) -> list[Flowable]:
    lines = [Paragraph(escape(message), styles.empty)]
    if period.strip():
        lines.append(Paragraph(escape(_("Range: {period}").format(period=_clean(period))), styles.meta))
    return lines


def table(
    rows: list[list[Any]],
    widths: list[float],
    commands: list[tuple[Any, ...]],
    full_width: set[int],
    continued: dict[int, tuple[int, str]] | None = None,
    totals: set[int] | None = None,
) -> Table:
    """The schedule table: header repeated on every page, tall rows split, strings in the CJK font.

    Rows in `full_width` (group headings, totals) have their text in the first cell and no column
    lines, so the text runs across the row. That looks like a SPAN but costs nothing: ReportLab
    recomputes every span of the remaining rows at each page break, which for a 1,000-row
    schedule took longer than laying out the table itself.

    `continued` maps each group heading row to (its level, the text to repeat at the top of a page
    that continues the group: see continued_text); `totals` are the (sub)total rows, which never start
    a page (the row before comes along). A page never ends with a group heading either."""
    regular, bold = register_fonts()
    columns: list[tuple[Any, ...]] = []
    first: int | None = None
    for row in range(len(rows) + 1):
        if row < len(rows) and row not in full_width:
            first = row if first is None else first
        elif first is not None:
            columns.append(("LINEAFTER", (0, first), (-2, row - 1), 0.4, GRID))
            first = None
    style = [
        ("FONT", (0, 0), (-1, -1), regular, CELL_SIZE, CELL_LEADING),
        ("FONT", (0, 0), (-1, 0), bold, CELL_SIZE, CELL_LEADING),
        ("BOX", (0, 0), (-1, -1), 0.4, GRID),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
        *columns,
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        *commands,
    ]
    result = GroupedTable(
        rows, colWidths=widths, repeatRows=1, splitInRow=1, continued=continued or {}, totals=totals or set()
    )
    result.setStyle(TableStyle(style))
    return result


def continued_text(heading: str) -> str:
    """A group heading repeated at the top of a page: "Owner: 王芳 (continued)"."""
    return _("{heading} (continued)").format(heading=heading)


class GroupedTable(Table):
    """A Table that breaks between pages like a printed schedule: never after a group heading nor
    before a total, and a page that continues a group starts with its heading marked "(continued)".

    It rides on ReportLab's own row split, which copies the styles of the rows that go on cheaply: the cut
    is chosen here, and the heading to repeat is passed as a second repeated row (ReportLab's repeatRows may
    list rows), whose text then becomes the "(continued)" text. `continued` maps each heading row to (its
    level, that text); `totals` are the rows that never start a page."""

    def __init__(
        self,
        data: list[list[Any]],
        *args: Any,
        continued: dict[int, tuple[int, str]] | None = None,
        totals: set[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, *args, **kwargs)
        self._continued = continued or {}
        self._totals = totals or set()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - ReportLab's names
        if not self._continued and not self._totals:
            return list(super().split(availWidth, availHeight))
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        fits, used = 0, 0.0
        while fits < len(heights) and used + heights[fits] <= availHeight + 1e-6:
            used += heights[fits]
            fits += 1
        cut = self.cut_before(fits)
        if cut <= 1:
            body = next((r for r in range(1, len(heights)) if r not in self._continued), len(heights) - 1)
            if sum(heights[: body + 1]) <= availHeight or heights[body] < TALL_ROW:
                return []  # the rows go to the next page together
            self.repeatRows = 1  # a row too tall for most of a page: ReportLab splits inside the row
            return list(super().split(availWidth, availHeight))
        heading = self.heading_at(cut)
        repeated: Any = [0, heading] if heading is not None else 1  # ReportLab takes a row count or a row list
        self.repeatRows = repeated
        parts = self._splitRows(sum(heights[:cut]) + 1e-3, doInRowSplit=0)
        if len(parts) != 2:  # pragma: no cover - ReportLab found no row boundary there
            return list(parts)
        first, rest = parts
        first._continued = {r: v for r, v in self._continued.items() if r < cut}
        first._totals = {r for r in self._totals if r < cut}
        shift = (2 if heading is not None else 1) - cut  # row r of this table is row r + shift of the rest
        rest._continued = {r + shift: v for r, v in self._continued.items() if r >= cut}
        rest._totals = {r + shift for r in self._totals if r >= cut}
        if heading is not None:
            rest._continued[1] = self._continued[heading]
            rest._cellvalues[1] = [self._continued[heading][1]] + [""] * (len(rest._cellvalues[1]) - 1)
        return [first, rest]

    def cut_before(self, fits: int) -> int:
        """The first row of the next page when `fits` rows fit on this one (0 or 1: nothing goes here)."""
        cut = fits
        while cut > 1 and (cut in self._totals or (cut - 1) in self._continued):
            cut -= 1
        return cut if cut > 1 else min(fits, 1)

    def heading_at(self, cut: int) -> int | None:
        """The innermost group heading still open at row `cut` (None when a heading starts the page there)."""
        if cut in self._continued:
            return None
        active: list[int] = []
        for row in sorted(r for r in self._continued if r < cut):
            level = self._continued[row][0]
            active = [a for a in active if self._continued[a][0] < level] + [row]
        return active[-1] if active else None


def heading_row(commands: list[tuple[Any, ...]], full_width: set[int], row: int, fill: Any) -> None:
    """Row `row` is a heading whose text (in its first cell) runs across the table."""
    regular, bold = register_fonts()
    full_width.add(row)
    commands += [
        ("BACKGROUND", (0, row), (-1, row), fill),
        ("FONT", (0, row), (-1, row), bold, CELL_SIZE, CELL_LEADING),
    ]


def total_row(commands: list[tuple[Any, ...]], full_width: set[int], row: int, amount_column: int, grand: bool) -> None:
    """Row `row` is a (sub)total: the label runs from the first cell, the amount has its own column."""
    regular, bold = register_fonts()
    full_width.add(row)
    commands += [
        ("BACKGROUND", (0, row), (-1, row), SUBTOTAL_FILL if not grand else HEAD_FILL),
        ("FONT", (0, row), (-1, row), bold, CELL_SIZE, CELL_LEADING),
        ("LINEBEFORE", (amount_column, row), (amount_column, row), 0.4, GRID),
        ("LINEAFTER", (amount_column, row), (amount_column, row), 0.4, GRID),
    ]
    if grand:
        commands.append(("LINEABOVE", (0, row), (-1, row), 1.0, colors.black))
