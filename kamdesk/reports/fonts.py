"""The fonts kamdesk's PDFs embed: a TrueType CJK face that covers Chinese and Latin text."""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kamdesk.paths import resources_dir

REGULAR = "KamdeskCJK"
BOLD = "KamdeskCJK-Bold"
FONT_FILE = "wqy-microhei.ttc"


def register_fonts() -> tuple[str, str]:
    """Register the embedded font once and return the (regular, bold) names to use."""
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        path = resources_dir() / "fonts" / FONT_FILE
        pdfmetrics.registerFont(TTFont(REGULAR, str(path), subfontIndex=0))
        # The face has no bold cut; headings use the same outlines (set larger instead).
        pdfmetrics.registerFont(TTFont(BOLD, str(path), subfontIndex=0))
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
