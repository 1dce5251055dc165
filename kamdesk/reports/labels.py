"""Mailing labels for couriered gifts: a cover sheet, then A4 sheets of 3 × 8 labels of 70 × 37 mm (the
common Chinese and European stock).

The cover sheet (for plain paper) names the sender, counts the labels, and lists the gifts that cannot be
sent yet because their person has no address, so someone can fill the addresses in and print again. Only
gifts with an address get a label. Each label carries the postcode (six digits found in the address, or
"none"), the gift's reference, name and title, company, address, phone, and the sender's return address.
Every line stays inside its label and inside the printable area of an office printer (PRINTABLE from each
edge of the sheet); long text is shrunk, then shortened with an ellipsis."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph, Spacer, Table, TableStyle

from kamdesk.domain.gifts import MailingLabel
from kamdesk.domain.printing import PrintCancelled, Progress
from kamdesk.i18n import _
from kamdesk.reports.fonts import BoldCanvas, register_fonts

COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70 * mm, 37 * mm
PER_PAGE = COLUMNS * ROWS
LEFT = (A4[0] - COLUMNS * LABEL_W) / 2  # 0 mm: the labels fill the width
TOP = (A4[1] - ROWS * LABEL_H) / 2  # 0.5 mm above and below
#: Office printers cannot print the outer edge of a sheet; nothing is drawn closer to the edge than this.
PRINTABLE = 5 * mm
PAD_X, PAD_Y = 5 * mm, 4.6 * mm  # with TOP, the first and last rows' text starts 5.1 mm from the edge
INNER_W = LABEL_W - 2 * PAD_X
INNER_H = LABEL_H - 2 * PAD_Y
GAP = 1.0  # points between the parts of a label
ELLIPSIS = "…"
GREY = colors.HexColor("#555555")


def _clean(text: str) -> str:
    return " ".join("".join(ch if ord(ch) >= 32 else " " for ch in text).split())


def _style(size: float, bold: bool = False, colour: Any = colors.black) -> ParagraphStyle:
    regular, heavy = register_fonts()
    return ParagraphStyle(
        f"label{size}{bold}{colour}",
        fontName=heavy if bold else regular,
        fontSize=size,
        leading=round(size * 1.2, 2),
        wordWrap="CJK",
        textColor=colour,
    )


def fit(
    markup_parts: list[tuple[str, float]],
    height: float,
    sizes: Iterable[float],
    bold: bool = False,
    width: float = INNER_W,
    colour: Any = colors.black,
) -> tuple[Paragraph, float] | None:
    """The first size at which the text fits width × height, as (paragraph, height used).

    `markup_parts` are (plain text, relative size) pairs set in one paragraph; at the smallest size
    the last part is shortened with an ellipsis until it fits. None when the text is empty."""
    parts = [(_clean(text), scale) for text, scale in markup_parts]
    if not any(text for text, _scale in parts):
        return None
    size = 0.0
    for size in sizes:
        paragraph = _paragraph(parts, size, bold, colour)
        used = paragraph.wrap(width, height)[1]
        if used <= height:
            return paragraph, used
    *head, (last, scale) = parts
    best = _paragraph(head or [(ELLIPSIS, 1.0)], size, bold, colour)
    best_used = best.wrap(width, height)[1]
    low, high = 0, len(last) - 1  # the longest prefix that fits with the ellipsis, by bisection
    while low <= high:
        middle = (low + high) // 2
        paragraph = _paragraph([*head, (last[:middle].rstrip() + ELLIPSIS, scale)], size, bold, colour)
        used = paragraph.wrap(width, height)[1]
        if used <= height:
            best, best_used, low = paragraph, used, middle + 1
        else:
            high = middle - 1
    return best, best_used


def _paragraph(parts: list[tuple[str, float]], size: float, bold: bool, colour: Any) -> Paragraph:
    markup = "&nbsp;&nbsp;".join(
        f'<font size="{size * scale:.2f}">{escape(text)}</font>' if scale != 1 else escape(text)
        for text, scale in parts
        if text
    )
    return Paragraph(markup, _style(size, bold, colour))


def postcode_text(label: MailingLabel) -> str:
    if label.postcode:
        return _("Postcode {code}").format(code=label.postcode)
    return _("Postcode: none")


def _draw_label(canvas: Canvas, label: MailingLabel, x: float, top: float, sender: str) -> None:
    """Draw one label with its top left corner at (x, top)."""
    left = x + PAD_X
    y = top - PAD_Y
    code = fit([(postcode_text(label), 1.0)], 10, (8.5, 7.5, 7), bold=bool(label.postcode), width=INNER_W * 0.66)
    first = code[1] if code else 0.0
    if code:
        code[0].drawOn(canvas, left, y - code[1])
    reference = _clean(label.reference)[:12]
    if reference:  # the gift's reference at the top right, on the postcode's line
        canvas.setFont(register_fonts()[0], 7)
        canvas.setFillColor(GREY)
        canvas.drawRightString(left + INNER_W, y - 7.5, reference)
        first = max(first, 9.0)
    y -= first + GAP
    sender_part = fit(
        [(_("From: {sender}").format(sender=sender) if sender.strip() else "", 1.0)], 2 * 8, (6.5,), colour=GREY
    )
    phone = fit(
        [(_("Tel. {phone}").format(phone=label.phone.strip()) if label.phone.strip() else "", 1.0)], 10, (8, 7.5, 7)
    )
    reserved = sum(part[1] + GAP for part in (phone, sender_part) if part)
    room = INNER_H - (top - PAD_Y - y)
    name = fit([(label.name, 1.0), (label.title, 0.8)], 2 * 12.5, (10.5, 9.5, 8.5, 7.5), bold=True)
    company = fit([(label.company, 1.0)], 2 * 10, (8.5, 8, 7.5, 7))
    used = sum(part[1] + GAP for part in (name, company) if part)
    address = fit([(label.address, 1.0)], max(room - used - reserved, 8.0), (8.5, 8, 7.5, 7, 6.5, 6))
    for part in (name, company, address, phone, sender_part):
        if part:
            paragraph, height = part
            paragraph.drawOn(canvas, left, y - height)
            y -= height + GAP


def _cover(canvas: Canvas, ready: list[MailingLabel], missing: list[MailingLabel], sender: str, title: str) -> None:
    """The cover sheet: what follows, the sender, and the gifts that cannot be labelled yet (pages as needed)."""
    regular, bold = register_fonts()
    head = ParagraphStyle("head", fontName=bold, fontSize=16, leading=21, wordWrap="CJK", spaceAfter=4)
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13.5, wordWrap="CJK", spaceAfter=3)
    sub = ParagraphStyle("sub", parent=body, fontName=bold, fontSize=11, leading=15, spaceBefore=8)
    cell = ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=11, wordWrap="CJK")
    pages = (len(ready) + PER_PAGE - 1) // PER_PAGE
    story: list[Any] = [
        Paragraph(escape(title), head),
        Paragraph(
            escape(
                _(
                    "Labels: {count}, on sheets: {pages} of 3 × 8 (70 × 37 mm) after this cover. Print the cover on plain paper."
                ).format(count=len(ready), pages=pages)
            ),
            body,
        ),
        Paragraph(
            escape(
                _("Sender: {sender}").format(sender=_clean(sender))
                if sender.strip()
                else _(
                    "No sender is set: the labels print without a return address. Set the team's return address in "
                    "Team settings."
                )
            ),
            body,
        ),
        Paragraph(escape(_("Gifts without an address ({count})").format(count=len(missing))), sub),
    ]
    if missing:
        story.append(
            Paragraph(
                escape(
                    _(
                        "These gifts get no label. Fill in each person's address on their contact card, then print "
                        "the labels again."
                    )
                ),
                body,
            )
        )
        heads = [_("Reference"), _("Recipient"), _("Company"), _("Phone"), _("Item"), _("Address")]
        rows: list[list[Any]] = [[Paragraph(escape(h), cell) for h in heads]]
        for label in missing:
            person = f"{label.name} ({label.title})" if label.title.strip() else label.name
            values = (label.reference, person, label.company, label.phone, label.item, "")
            rows.append([Paragraph(escape(_clean(v)), cell) for v in values])
        widths = [20 * mm, 30 * mm, 38 * mm, 26 * mm, 30 * mm, 30 * mm]  # 174 mm: the text width
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b0b0b0")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph(escape(_("None: every couriered gift has an address.")), body))
    story.append(Spacer(1, 4))
    margin = 18 * mm
    while story:
        frame = Frame(margin, margin, A4[0] - 2 * margin, A4[1] - 2 * margin, showBoundary=0)
        placed = False
        while story:
            if frame.add(story[0], canvas):
                story.pop(0)
                placed = True
                continue
            parts = frame.split(story[0], canvas)  # a long list goes on over as many pages as it takes
            if len(parts) > 1 and frame.add(parts[0], canvas):
                story[0:1] = parts[1:]
                placed = True
            break
        canvas.showPage()
        if not placed:  # pragma: no cover - a flowable larger than a page: give up rather than loop
            break


def build(
    labels: list[MailingLabel],
    out: str | Path,
    outlines: bool = False,
    *,
    sender: str = "",
    title: str = "",
    progress: Progress | None = None,
) -> None:
    """Write the labels to an A4 PDF at `out`: a cover sheet, then the labels with an address, 24 a sheet, left to
    right and top to bottom. `outlines` draws each label's edge (for a preview or plain paper; label stock is
    already cut). `progress(sheets_done, sheets)` is told after each sheet; False stops (PrintCancelled)."""
    regular, _bold = register_fonts()
    canvas = BoldCanvas(str(out), pagesize=A4)
    canvas.setTitle(_("Mailing labels"))
    canvas.setAuthor("kamdesk")
    if not labels:
        canvas.setFont(regular, 13)
        canvas.setFillColor(GREY)
        canvas.drawString(20 * mm, A4[1] - 30 * mm, _("There are no couriered gifts to print labels for."))
        canvas.showPage()
        canvas.save()
        return
    ready = [label for label in labels if _clean(label.address)]
    missing = [label for label in labels if not _clean(label.address)]
    _cover(canvas, ready, missing, sender, title or _("Mailing labels"))
    sheets = (len(ready) + PER_PAGE - 1) // PER_PAGE
    for sheet, start in enumerate(range(0, len(ready), PER_PAGE), start=1):
        for index, label in enumerate(ready[start : start + PER_PAGE]):
            row, column = divmod(index, COLUMNS)
            x = LEFT + column * LABEL_W
            top = A4[1] - TOP - row * LABEL_H
            if outlines:
                canvas.setStrokeColor(colors.HexColor("#c8c8c8"))
                canvas.setLineWidth(0.3)
                canvas.rect(x, top - LABEL_H, LABEL_W, LABEL_H)
            _draw_label(canvas, label, x, top, sender)
        canvas.showPage()
        if progress is not None and not progress(sheet, sheets):
            raise PrintCancelled
    canvas.save()
