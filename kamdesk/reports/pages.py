"""Page furniture shared by kamdesk's PDFs: a running header, "page x of y" and an optional mark (such as
a confidentiality notice) in the footer; text in the bold font name comes out bold (fonts.BoldCanvas)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from kamdesk.i18n import _
from kamdesk.reports.fonts import BoldCanvas, register_fonts


def numbered_canvas(header: str = "", footer: str = "", margin: float = 15 * mm) -> type[BoldCanvas]:
    """A canvas class that holds pages back until the end, so each can say "page x of y" (and
    carry `header` at its top left from page 2 on, and `footer` at the bottom left of every page). The
    header's rule and both footer texts stand `margin` in from the page's edges: the text's own margin."""

    class NumberedCanvas(BoldCanvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(register_fonts()[0], 8)
                self.setFillColor(colors.HexColor("#555555"))
                width, height = self._pagesize
                if header and number > 1:
                    self.drawString(margin, height - 9 * mm, header)
                    self.setStrokeColor(colors.HexColor("#bbbbbb"))
                    self.setLineWidth(0.4)
                    self.line(margin, height - 10.5 * mm, width - margin, height - 10.5 * mm)
                page = _("page {number} of {total}").format(number=number, total=total)
                if footer:
                    room = width - 2 * margin - stringWidth(page, register_fonts()[0], 8) - 6 * mm
                    size, text = fitted(footer, room)
                    self.setFont(register_fonts()[0], size)
                    self.drawString(margin, 8 * mm, text)
                    self.setFont(register_fonts()[0], 8)
                self.drawRightString(width - margin, 8 * mm, page)
                super().showPage()
            super().save()

    return NumberedCanvas


def fitted(text: str, room: float, size: float = 8, smallest: float = 6.5) -> tuple[float, str]:
    """A footer line that fits `room` points: a smaller size down to `smallest`, then cut short with "…"."""
    font = register_fonts()[0]
    while size > smallest and stringWidth(text, font, size) > room:
        size -= 0.5
    if stringWidth(text, font, size) <= room:
        return size, text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return size, text.rstrip() + "…"


def frame(x: float, y: float, width: float, height: float, name: str) -> Frame:
    """A frame with no padding: text and tables start and end on the same margin (ReportLab's default frame pads
    text by 6 pt, so a table as wide as the text area stuck out 2 mm past the text on each side)."""
    return Frame(x, y, width, height, id=name, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


class GridDocTemplate(BaseDocTemplate):
    """A document of one page shape whose frame is the text area exactly (see frame()): `doc.width` is the
    width text wraps to and tables are sized to. Extra page templates (another orientation) may be added."""

    def __init__(self, filename: str, **kwargs: Any) -> None:
        super().__init__(filename, **kwargs)
        self.addPageTemplates(
            [
                PageTemplate(
                    id="main",
                    frames=[frame(self.leftMargin, self.bottomMargin, self.width, self.height, "main")],
                    pagesize=self.pagesize,
                )
            ]  # fmt: skip
        )

    def landscape_template(self, name: str = "landscape") -> PageTemplate:
        """A landscape page with the same margins, to switch to with NextPageTemplate(name)."""
        width, height = self.pagesize[1], self.pagesize[0]
        inner = frame(
            self.leftMargin,
            self.bottomMargin,
            width - self.leftMargin - self.rightMargin,
            height - self.topMargin - self.bottomMargin,
            name,
        )
        template = PageTemplate(id=name, frames=[inner], pagesize=(width, height))
        self.addPageTemplates([template])
        return template
