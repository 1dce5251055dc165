"""Chinese line breaking for kamdesk's PDFs: a Paragraph that keeps the rules of Chinese typesetting.

ReportLab's CJK wrapping ("wordWrap='CJK'") cuts between any two characters. It knows some closing
punctuation that must not start a line, but not the full-width comma, semicolon, colon, question and
exclamation marks or 》, and it lets such a character hang past the right margin; it never checks for an
opening bracket or quote left at the end of a line. This module breaks lines so that
- no line starts with closing punctuation (，。、；：！？）」』》 …): the character before it moves down too;
- no line ends with an opening bracket or quote (（「『《“ …): it moves down with what it opens;
- a run of Latin letters and digits (a word, a model number, an amount) is kept whole unless it is wider
  than the line;
- nothing runs past the right margin.
`Paragraph` here is ReportLab's Paragraph with these rules for every style whose wordWrap is 'CJK'.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.rl_config import _FUZZ

#: Characters that may not begin a line (closing punctuation, stops, and ReportLab's own list).
CANNOT_START = frozenset("，。、；：！？）」』》〉】〕］｝〗〙”’…‥·・％‰℃°" + ",.;:!?)]}%" + ALL_CANNOT_START)
#: Characters that may not end a line (opening brackets and quotes, and prefixes such as ¥ and #).
CANNOT_END = frozenset("（「『《〈【〔［｛〖〘“‘" + "([{" + ALL_CANNOT_END)
#: How many characters a break may move back to keep the rules (more would leave a ragged, half-empty line).
MAX_PULL = 3


def _wordish(ch: str) -> bool:
    """Part of a Latin word or a number: kept together on one line when it fits."""
    return bool(ch) and not ch.isspace() and ord(ch) < 0x2E80 and ch not in "([{"


def allowed_between(before: str, after: str) -> bool:
    """Whether a line may end with `before` and the next begin with `after`."""
    return after not in CANNOT_START and before not in CANNOT_END


def break_index(text: Sequence[str], start: int, over: int) -> int:
    """Where to end a line that starts at `start` and has no room for text[over]: an index b with
    start < b <= over (the line is text[start:b])."""
    b = over
    if _wordish(text[b]) and _wordish(text[b - 1]):
        word = b - 1
        while word > start and _wordish(text[word - 1]):
            word -= 1
        if word > start:  # the word moves down whole; a word wider than the line is cut where it must
            b = word
    if text[b].isspace():
        return b
    candidate = b
    for _ in range(MAX_PULL):
        if allowed_between(text[candidate - 1], text[candidate]) or candidate <= start + 1:
            break
        candidate -= 1
    if candidate > start and allowed_between(text[candidate - 1], text[candidate]):
        return candidate
    return b


def split_runs(
    text: Sequence[str], widths: Sequence[float], max_widths: Sequence[float], hard: Sequence[bool] = ()
) -> list[tuple[int, int, float, float, bool]]:
    """The lines of `text` (one character per item, each `widths` wide): (start, end, used width, the line's
    room, ends with a hard break). Spaces at a soft break are dropped; a hard break ends its line."""
    lines: list[tuple[int, int, float, float, bool]] = []
    count = len(text)
    start = 0
    while start < count:
        room = max_widths[min(len(lines), len(max_widths) - 1)]
        used, i, forced = 0.0, start, False
        while i < count:
            if hard and hard[i]:
                used += widths[i]
                i += 1
                forced = True
                break
            if used + widths[i] > room + _FUZZ and i > start:
                break
            used += widths[i]
            i += 1
        end = i if forced or i >= count else break_index(text, start, i)
        last = end
        while last > start and not forced and text[last - 1].isspace():
            last -= 1  # trailing spaces take no room at the end of a line
        lines.append((start, last, sum(widths[start:last]), room, forced))
        start = end
        while start < count and not forced and text[start].isspace() and not (hard and hard[start]):
            start += 1
    return lines


def word_split(text: str, max_widths: Sequence[float], font: str, size: float) -> list[list[Any]]:
    """ReportLab's wordSplit with the rules above: [[room left, line text], …]."""
    widths = [stringWidth(ch, font, size) for ch in text]
    return [[room - used, text[a:b]] for a, b, used, room, _hard in split_runs(text, widths, max_widths)]


def _unit_width(unit: Any, room: float) -> float:
    width = unit.width
    if hasattr(width, "normalizedValue"):
        width._normalizer = room
        width = width.normalizedValue(room)
    return float(width)


def cjk_frag_split(frags: list[Any], max_widths: Sequence[float], calc_bounds: bool, encoding: str = "utf8") -> Any:
    """ReportLab's cjkFragSplit (a paragraph of several fragments: bold runs, line breaks) with the rules above."""
    units: list[Any] = []
    for frag in frags:
        text = frag.text.decode(encoding) if isinstance(frag.text, bytes) else frag.text
        if text:
            units.extend(rl_paragraph.cjkU(ch, frag, encoding) for ch in text)
        else:
            units.append(rl_paragraph.cjkU(text, frag, encoding))
    chars = [str(u) or "\0" for u in units]
    widths = [_unit_width(u, max_widths[0]) for u in units]
    hard = [hasattr(u.frag, "lineBreak") for u in units]
    lines = [
        rl_paragraph.makeCJKParaLine(units[a:b], room, used, room - used, forced, calc_bounds)
        for a, b, used, room, forced in split_runs(chars, widths, max_widths, hard)
    ]
    return rl_paragraph.ParaLines(kind=1, lines=lines)


class Paragraph(rl_paragraph.Paragraph):
    """ReportLab's Paragraph; with wordWrap='CJK' its lines keep the rules of Chinese typesetting."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803 - ReportLab's names
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        rl_paragraph._handleBulletWidth(self.bulletText, style, maxWidths)
        frags = self.frags
        if len(frags) == 1 and not hasattr(frags[0], "cbDefn") and not style.endDots:
            frag = frags[0]
            if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
                return frag.clone(kind=0, lines=self.blPara.lines)
            text = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
            lines = word_split(text, maxWidths, frag.fontName, frag.fontSize)
            return frag.clone(
                kind=0,
                lines=[(room, [line]) for room, line in lines],
                ascent=frag.fontSize,
                descent=-0.2 * frag.fontSize,
            )
        if not frags:
            return rl_paragraph.ParaLines(
                kind=0,
                fontSize=style.fontSize,
                fontName=style.fontName,
                textColor=style.textColor,
                lines=[],
                ascent=style.fontSize,
                descent=-0.2 * style.fontSize,
            )
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        auto = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return cjk_frag_split(frags, maxWidths, auto not in ("", "off"))


def line_texts(paragraph: rl_paragraph.Paragraph) -> list[str]:
    """The text of each line of a wrapped paragraph (for tests and checks)."""
    result: list[str] = []
    for line in paragraph.blPara.lines:
        if isinstance(line, tuple):
            result.append("".join(line[1]))
        else:
            result.append("".join(getattr(w, "text", "") for w in line.words))
    return result
