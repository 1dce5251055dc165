"""The blank plan pack as a worksheet: each section's questions (domain.plan_prompts) with ruled lines to
write the answers on."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from kamdesk.domain.plan_prompts import prompts
from kamdesk.i18n import _
from kamdesk.reports.typeset import Paragraph

RULE = colors.HexColor("#9aa5b1")
#: The distance between two ruled lines: room for a line of handwriting.
LINE_PITCH = 8 * mm
#: Ruled lines under each question unless a section says otherwise.
LINES_PER_PROMPT = 4


class Ruled(Flowable):
    """`count` ruled lines, `width` wide, LINE_PITCH apart: space to write in by hand."""

    def __init__(self, width: float, count: int) -> None:
        super().__init__()
        self.width, self.count = width, count
        self.height = count * LINE_PITCH

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        for line in range(self.count):
            y = self.height - (line + 1) * LINE_PITCH
            canvas.line(0, y, self.width, y)
        canvas.restoreState()


def ruled(width: float, count: int) -> Ruled:
    return Ruled(width, count)


def worksheet_section(key: str, label: str, styles: Any, width: float, lines: int = LINES_PER_PROMPT) -> list[Flowable]:
    """The questions of section `key` (under the heading `label`, if any), each followed by `lines` ruled lines;
    with lines=0 the questions only (a table of empty rows follows)."""
    story: list[Flowable] = []
    for number, question in enumerate(prompts(key)):
        block: list[Flowable] = [Paragraph(escape(label), styles.h2)] if label and not number else []
        block.append(Paragraph(escape(_(question)), styles.prompt))
        if lines:
            block.append(Ruled(width, lines))
        block.append(Spacer(1, 3 if lines else 4))
        # A question stays with its lines (questions alone are laid out by the caller, often kept with a table).
        story += [KeepTogether(block)] if lines else block
    return story
