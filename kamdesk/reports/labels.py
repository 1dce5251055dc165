"""Mailing labels for couriered gifts: A4 sheets of 3 × 8 labels of 70 × 37 mm (the common Chinese
and European stock), each with name and title, company, address and phone in the CJK font."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from kamdesk.domain.gifts import MailingLabel
from kamdesk.i18n import _
from kamdesk.reports.fonts import register_fonts

COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70 * mm, 37 * mm
PER_PAGE = COLUMNS * ROWS
LEFT = (A4[0] - COLUMNS * LABEL_W) / 2  # 0 mm: the labels fill the width
TOP = (A4[1] - ROWS * LABEL_H) / 2  # 0.5 mm above and below
PAD_X, PAD_Y = 5 * mm, 3.2 * mm
INNER_W = LABEL_W - 2 * PAD_X
INNER_H = LABEL_H - 2 * PAD_Y
GAP = 1.2  # points between the parts of a label
ELLIPSIS = "…"


def _clean(text: str) -> str:
    return " ".join("".join(ch if ord(ch) >= 32 else " " for ch in text).split())


def _style(size: float, bold: bool = False) -> ParagraphStyle:
    regular, heavy = register_fonts()
    return ParagraphStyle(
        f"label{size}{bold}",
        fontName=heavy if bold else regular,
        fontSize=size,
        leading=round(size * 1.22, 2),
        wordWrap="CJK",
    )


def fit(
    markup_parts: list[tuple[str, float]], height: float, sizes: Iterable[float], bold: bool = False
) -> tuple[Paragraph, float] | None:
    """The first size at which the text fits INNER_W × height, as (paragraph, height used).

    `markup_parts` are (plain text, relative size) pairs set in one paragraph; at the smallest size
    the last part is shortened with an ellipsis until it fits. None when the text is empty."""
    parts = [(_clean(text), scale) for text, scale in markup_parts]
    if not any(text for text, _scale in parts):
        return None
    size = 0.0
    for size in sizes:
        paragraph = _paragraph(parts, size, bold)
        used = paragraph.wrap(INNER_W, height)[1]
        if used <= height:
            return paragraph, used
    *head, (last, scale) = parts
    best = _paragraph(head or [(ELLIPSIS, 1.0)], size, bold)
    best_used = best.wrap(INNER_W, height)[1]
    low, high = 0, len(last) - 1  # the longest prefix that fits with the ellipsis, by bisection
    while low <= high:
        middle = (low + high) // 2
        paragraph = _paragraph([*head, (last[:middle].rstrip() + ELLIPSIS, scale)], size, bold)
        used = paragraph.wrap(INNER_W, height)[1]
        if used <= height:
            best, best_used, low = paragraph, used, middle + 1
        else:
            high = middle - 1
    return best, best_used


def _paragraph(parts: list[tuple[str, float]], size: float, bold: bool) -> Paragraph:
    markup = "&nbsp;&nbsp;".join(
        f'<font size="{size * scale:.2f}">{escape(text)}</font>' if scale != 1 else escape(text)
        for text, scale in parts
        if text
    )
    return Paragraph(markup, _style(size, bold))


def _draw_label(canvas: Canvas, label: MailingLabel, x: float, top: float) -> None:
    """Draw one label with its top left corner at (x, top)."""
    phone = fit(
        [(_("Tel. {phone}").format(phone=label.phone.strip()) if label.phone.strip() else "", 1.0)], 11, (8.5, 7.5, 6.5)
    )
    reserved = (phone[1] + GAP) if phone else 0.0
    name = fit([(label.name, 1.0), (label.title, 0.75)], 2 * 13.5, (11, 10, 9, 8, 7), bold=True)
    company = fit([(label.company, 1.0)], 2 * 11, (9, 8.5, 8, 7.5, 7, 6.5))
    used = sum(part[1] + GAP for part in (name, company) if part)
    address = fit([(label.address, 1.0)], max(INNER_H - used - reserved, 8.0), (9, 8.5, 8, 7.5, 7, 6.5, 6, 5.5))
    y = top - PAD_Y
    for part in (name, company, address, phone):
        if part:
            paragraph, height = part
            paragraph.drawOn(canvas, x + PAD_X, y - height)
            y -= height + GAP


def build(labels: list[MailingLabel], out: str | Path, outlines: bool = False) -> None:
    """Write `labels` to an A4 PDF at `out`, 24 a sheet, left to right and top to bottom. `outlines`
    draws each label's edge (for a preview or plain paper; label stock is already cut)."""
    regular, _bold = register_fonts()
    canvas = Canvas(str(out), pagesize=A4)
    canvas.setTitle(_("Mailing labels"))
    canvas.setAuthor("kamdesk")
    if not labels:
        canvas.setFont(regular, 13)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(20 * mm, A4[1] - 30 * mm, _("There are no couriered gifts to print labels for."))
        canvas.showPage()
        canvas.save()
        return
    for start in range(0, len(labels), PER_PAGE):
        for index, label in enumerate(labels[start : start + PER_PAGE]):
            row, column = divmod(index, COLUMNS)
            x = LEFT + column * LABEL_W
            top = A4[1] - TOP - row * LABEL_H
            if outlines:
                canvas.setStrokeColor(colors.HexColor("#c8c8c8"))
                canvas.setLineWidth(0.3)
                canvas.rect(x, top - LABEL_H, LABEL_W, LABEL_H)
            _draw_label(canvas, label, x, top)
        canvas.showPage()
    canvas.save()
