"""The fonts kamdesk's PDFs embed: a TrueType CJK face that covers Chinese and Latin text, and its bold.

WenQuanYi Micro Hei has no bold cut, and no freely embeddable TrueType CJK font with a bold face is
small enough to ship (resources/fonts/README.md says why). Bold is therefore drawn: text set in the
BOLD font name is filled and then stroked with a thin outline in the text's own colour (PDF text render
mode 2), which thickens every stroke by STROKE_EM of the font size. Every canvas kamdesk prints with
(BoldCanvas, and numbered_canvas in pages.py, which derives from it) does this for any text object,
so Paragraphs, table cells and drawString all get the same bold.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.fonts import addMapping
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from kamdesk.paths import resources_dir

REGULAR = "KamdeskCJK"
BOLD = "KamdeskCJK-Bold"
FONT_FILE = "wqy-microhei.ttc"
#: The outline drawn around bold glyphs, as a share of the font size (0.035 × 10 pt = 0.35 pt): clearly
#: heavier than the regular face at 8–24 pt, while the counters of dense characters such as 警 stay open.
STROKE_EM = 0.035


def register_fonts() -> tuple[str, str]:
    """Register the embedded font once and return the (regular, bold) names to use."""
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        path = resources_dir() / "fonts" / FONT_FILE
        pdfmetrics.registerFont(TTFont(REGULAR, str(path), subfontIndex=0))
        # The same outlines under a second name: BoldCanvas draws text in this name emboldened.
        pdfmetrics.registerFont(TTFont(BOLD, str(path), subfontIndex=0))
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD


def _stroke_code(color: Any) -> str:
    """The PDF operator that sets the stroke colour to `color` (an RGB Color or a gray/RGB tuple)."""
    try:
        value = colors.toColor(color)
    except (ValueError, TypeError):  # pragma: no cover - every colour kamdesk uses converts
        value = colors.black
    return f"{fp_str(value.red, value.green, value.blue)} RG"


class BoldTextObject(PDFTextObject):
    """A text object that draws runs in the BOLD font filled and outlined in their own colour."""

    def _formatText(self, text: str) -> str:  # noqa: N802 - ReportLab's name
        code: str = super()._formatText(text)
        if self._fontname != BOLD:
            return code
        canvas = self._canvas
        fill = getattr(self, "_fillColorObj", None) or canvas._fillColorObj
        stroke = getattr(self, "_strokeColorObj", None) or canvas._strokeColorObj
        width = fp_str(self._fontsize * STROKE_EM)
        # Stroke colour and line width are graphics state, allowed inside BT…ET: set for the run, then restored
        # to what the canvas believes they are, so lines drawn afterwards are unchanged.
        return f"{_stroke_code(fill)} {width} w 2 Tr {code} 0 Tr {_stroke_code(stroke)} {fp_str(canvas._lineWidth)} w"


class BoldCanvas(Canvas):
    """A canvas whose text in the BOLD font name comes out bold (see the module's docstring)."""

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:  # noqa: N802
        return BoldTextObject(self, x, y, direction=direction)
