"""A long schedule table laid out one page at a time, in time proportional to its rows.

ReportLab splits a long Table by building a new Table of all the rows still to come at every page break
and measuring them again, so a 4,600-row schedule of 220 pages measured about a million rows. PagedTable
measures each row once (its cells are plain strings already broken into lines by schedule_layout.Cells,
so a row is `lines × leading + padding` high, exactly as ReportLab computes it), then at each page break
builds a Table of just the rows that fit that page, styled like schedule_layout.table: the header row on
every page, group headings and (sub)totals across the row, a page never ending with a heading nor starting
with a total, and a group that continues on a new page starting with its heading marked "(continued)".
A row taller than a page is split between its lines.

It can report progress: `on_page(rows_done, rows_total)` is called at each page; when it returns False the
layout stops by raising Cancelled (nothing has been written: the canvas saves only at the end).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from reportlab import rl_config
from reportlab.platypus import Flowable

from kamdesk.domain.printing import PrintCancelled, Progress
from kamdesk.reports import schedule_layout as layout

#: A row's height beyond its lines: the cell padding above and below (schedule_layout.table's TOP/BOTTOMPADDING).
PADDING = 2 + 2.5
#: A row is only split between its lines when it is at least this tall (points); shorter rows move whole.
TALL = 120.0

Cancelled = PrintCancelled


@contextmanager
def binary_streams() -> Iterator[None]:
    """Page streams zlib-compressed without ReportLab's extra ASCII85 layer while a long document is written: a
    smaller file, and no pure-Python encoding of every page (a quarter of a second per 100 pages)."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


@dataclass
class Row:
    """One table row: its cells (strings, broken into lines), what it is, and style commands of its own,
    written for row 0 (they are moved to the row's place on its page)."""

    cells: list[str]
    kind: str = "row"  # "row", "heading", "total" or "grand"
    level: int = 0  # nesting of a heading: 0 the outer group
    again: str = ""  # a heading's text when it is repeated on the next page ("… (continued)")
    fill: Any = None  # a heading's background
    extra: list[tuple[Any, ...]] = field(default_factory=list)
    height: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.height = max(cell.count("\n") + 1 for cell in self.cells) * layout.CELL_LEADING + PADDING


class PagedTable(Flowable):
    def __init__(
        self,
        header: list[str],
        rows: Sequence[Row],
        widths: list[float],
        base: list[tuple[Any, ...]] | None = None,
        amount_column: int = 0,
        on_page: Progress | None = None,
        *,
        _done: int = 0,
        _total: int | None = None,
        _heights: list[float] | None = None,
    ) -> None:
        super().__init__()
        self.header, self.rows, self.widths = header, list(rows), widths
        self.base = base or []
        self.amount_column = amount_column
        self.on_page = on_page
        self.done, self.total = _done, len(self.rows) if _total is None else _total
        self.header_height = Row(header).height
        self.heights = _heights if _heights is not None else [row.height for row in self.rows]
        self.full_height = self.header_height + sum(self.heights)
        self.width = sum(widths)

    # Flowable protocol -----------------------------------------------------------------------
    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - ReportLab's names
        return self.width, self.full_height

    def draw(self) -> None:
        self._tell(len(self.rows))
        table = self.page(self.rows)
        table.wrapOn(self.canv, self.width, self.full_height + 1)
        table.drawOn(self.canv, 0, 0)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        room = availHeight - self.header_height + 1e-6
        fits, used = 0, 0.0
        while fits < len(self.rows) and used + self.heights[fits] <= room:
            used += self.heights[fits]
            fits += 1
        cut = self.cut_before(fits)
        rows = self.rows
        if cut == 0:
            body = next((i for i, row in enumerate(rows) if row.kind != "heading"), len(rows) - 1)
            if self.heights[body] < TALL or body < fits:
                return []  # the rows go to the next page together
            first, rest = self._split_row(rows[body], room - sum(self.heights[:body]))
            if first is None:
                return []
            rows = [*rows[:body], first, rest, *rows[body + 1 :]]
            cut = body + 1
        self._tell(cut)
        return [self.page(rows[:cut]), self._rest(rows, cut)]

    # Pages -----------------------------------------------------------------------------------
    def cut_before(self, fits: int) -> int:
        """The first row of the next page when `fits` rows fit on this one (0: none go here)."""
        cut = fits
        if cut >= len(self.rows):
            return cut
        while cut > 0 and (self.rows[cut].kind in ("total", "grand") or self.rows[cut - 1].kind == "heading"):
            cut -= 1
        return cut

    def page(self, rows: Sequence[Row]) -> Flowable:
        """One page's table: the header row, then `rows`."""
        cells: list[list[Any]] = [self.header]
        commands = list(self.base)
        full: set[int] = set()
        for number, row in enumerate(rows, start=1):
            cells.append(row.cells)
            if row.kind == "heading":
                layout.heading_row(commands, full, number, row.fill or layout.GROUP_FILL)
            elif row.kind in ("total", "grand"):
                layout.total_row(commands, full, number, self.amount_column, grand=row.kind == "grand")
            for op, (c0, _r0), (c1, _r1), *rest in row.extra:
                commands.append((op, (c0, number), (c1, number), *rest))
        table = layout.table(cells, self.widths, commands, full)
        table.__class__ = PageTable  # the same table, drawn with the quicker cell painter below
        return table

    def _rest(self, rows: list[Row], cut: int) -> PagedTable:
        following = rows[cut:]
        # The heights still to come, taken along (measuring them again at every page would cost time per page).
        heights = self.heights[cut:] if rows is self.rows else [row.height for row in following]
        if following and following[0].kind != "heading":
            heading = _open_heading(rows[:cut])
            if heading is not None:
                again = replace(heading, cells=[heading.again] + [""] * (len(heading.cells) - 1))
                following, heights = [again, *following], [again.height, *heights]
        return PagedTable(
            self.header,
            following,
            self.widths,
            self.base,
            self.amount_column,
            self.on_page,
            _done=self.done + cut,
            _total=self.total,
            _heights=heights,
        )

    def _split_row(self, row: Row, room: float) -> tuple[Row | None, Row]:
        """The row cut between its lines so that the first part fills `room` points."""
        lines = int((room - PADDING) // layout.CELL_LEADING)
        if lines < 2:
            return None, row
        split = [cell.split("\n") for cell in row.cells]
        first = replace(row, cells=["\n".join(parts[:lines]) for parts in split])
        second = replace(row, cells=["\n".join(parts[lines:]) for parts in split])
        return first, second

    def _tell(self, rows: int) -> None:
        if self.on_page is not None and not self.on_page(min(self.done + rows, self.total), self.total):
            raise Cancelled


def _open_heading(rows: Sequence[Row]) -> Row | None:
    """The innermost group heading still open after `rows` (a total closes its group)."""
    active: list[Row] = []
    for row in rows:
        if row.kind == "heading":
            active = [a for a in active if a.level < row.level] + [row]
        elif row.kind in ("total", "grand"):
            active = active[:-1] if active and active[-1].level > 0 else []
    return active[-1] if active else None


class PageTable(layout.GroupedTable):
    """One page of a PagedTable. It fits its page, so it never splits; its string cells are painted quickly:
    an empty cell draws nothing (ReportLab draws an empty string), and a left-aligned cell's lines go into one
    PDF text object instead of one each."""

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # noqa: N802 - ReportLab's name
        if not isinstance(cellval, str) or cellstyle.href or cellstyle.destination or cellstyle.direction:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if not cellval:
            return
        if cellstyle.alignment != "LEFT" or cellstyle.valign != "TOP" or "\n" not in cellval:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        canvas = self.canv
        current: Any = getattr(self, "_curcellstyle", None)
        if current is not cellstyle:  # the colour and font the canvas is told, as ReportLab does
            canvas.setFillColor(cellstyle.color)
            canvas.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        x = pos[0] + cellstyle.leftPadding
        y = pos[1] + size[1] - cellstyle.topPadding - cellstyle.fontsize
        text = canvas.beginText(x, y)
        text.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
        text.setFillColor(cellstyle.color)
        text.textLines(cellval, trim=0)
        canvas.drawText(text)
