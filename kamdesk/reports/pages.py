"""Page furniture shared by kamdesk's PDFs: a running header and "page x of y" in the footer."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas

from kamdesk.i18n import _
from kamdesk.reports.fonts import register_fonts


def numbered_canvas(header: str = "") -> type[pdf_canvas.Canvas]:
    """A canvas class that holds pages back until the end, so each can say "page x of y" (and
    carry `header` at its top left)."""

    class NumberedCanvas(pdf_canvas.Canvas):
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
                    self.drawString(15 * mm, height - 9 * mm, header)
                    self.setStrokeColor(colors.HexColor("#bbbbbb"))
                    self.setLineWidth(0.4)
                    self.line(15 * mm, height - 10.5 * mm, width - 15 * mm, height - 10.5 * mm)
                self.drawRightString(
                    width - 15 * mm, 8 * mm, _("page {number} of {total}").format(number=number, total=total)
                )
                super().showPage()
            super().save()

    return NumberedCanvas
