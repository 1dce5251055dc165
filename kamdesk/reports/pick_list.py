"""The pick list: what to buy for the planned gifts of a period, as a portrait A4 PDF. Per order-by date
(kamdesk.domain.gift_logistics: the gift's date and delivery method set it) each item with its supplier
(from the gift catalogue), how many and what they cost, a total per date and a grand total."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from kamdesk.domain.gift_logistics import PickLine, PickSource, gift_dates, pick_lines
from kamdesk.domain.gifts import GiftSchedule
from kamdesk.domain.printing import Progress
from kamdesk.i18n import _
from kamdesk.reports import schedule_layout as layout
from kamdesk.reports.paged_table import PagedTable, Row, binary_streams
from kamdesk.reports.pages import GridDocTemplate
from kamdesk.reports.visit_schedule import weekday_label

QUANTITY, COST = 2, 3


def lines(schedule: GiftSchedule) -> list[PickLine]:
    """The planned gifts of the schedule added up by order-by date, item and supplier."""
    return pick_lines(
        PickSource(gift_dates(r.date, r.delivery).order_by, r.item, r.supplier, r.quantity, r.value_cents)
        for r in schedule.rows
        if r.status == "planned"
    )


def _day(day: dt.date) -> str:
    return f"{day.isoformat()} ({weekday_label(day)})"


def _table(found: list[PickLine], currency: str, cells: layout.Cells, width: float, progress: Progress | None) -> Any:
    widths = [width - 40 * mm - (width - 40 * mm) * 0.4, (width - 40 * mm) * 0.4, 16 * mm, 24 * mm]
    header = [
        cells(h, w, bold=True)
        for h, w in zip(
            (_("Item"), _("Supplier"), _("Quantity"), _("Cost ({currency})").format(currency=currency)),
            widths,
            strict=True,
        )
    ]
    rows: list[Row] = []
    blank = [""] * 3
    for day, group in groupby(found, key=lambda line: line.order_by):
        items = list(group)
        heading = _("Order by {date}").format(date=_day(day))
        rows.append(
            Row(
                [cells(heading, width, bold=True), *blank],
                kind="heading",
                again=cells(layout.continued_text(heading), width, bold=True),
            )
        )
        for line in items:
            supplier = line.supplier or _("(no supplier in the catalogue)")
            rows.append(
                Row(
                    [
                        cells(line.item, widths[0]),
                        cells(supplier, widths[1]),
                        str(line.quantity),
                        layout.money(line.cost_cents),
                    ]
                )
            )
        label = cells(_("Total to order by {date}").format(date=day.isoformat()), widths[0] + widths[1], bold=True)
        quantity = str(sum(line.quantity for line in items))
        rows.append(Row([label, "", quantity, layout.money(sum(line.cost_cents for line in items))], kind="total"))
    total = cells(_("Total"), widths[0] + widths[1], bold=True)
    quantity = str(sum(line.quantity for line in found))
    rows.append(Row([total, "", quantity, layout.money(sum(line.cost_cents for line in found))], kind="grand"))
    right = [("ALIGN", (QUANTITY, 0), (COST, -1), "RIGHT")]
    return PagedTable(header, rows, widths, right, COST, progress)


def build(schedule: GiftSchedule, out: str | Path, progress: Progress | None = None) -> None:
    """Write the pick list of the schedule's planned gifts to a portrait A4 PDF at `out`."""
    styles = layout.Styles()
    title = _("Pick list")
    header = layout.running_header(title, schedule.period)
    doc = GridDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=14 * mm,
        title=header,
        author="kamdesk",
    )
    found = lines(schedule)
    planned = sum(1 for r in schedule.rows if r.status == "planned")
    left_out = len(schedule.rows) - planned
    extra = _("{count} planned gifts").format(count=planned)
    story: list[Any] = layout.title_block(styles, title, schedule.period, schedule.printed_on, extra)
    if left_out:
        story.append(
            Paragraph(
                escape(
                    _(
                        "Only gifts still planned are on the list: {count} already given, declined or returned are "
                        "left out."
                    ).format(count=left_out)
                ),
                styles.meta,
            )
        )
    if found:
        story.append(_table(found, schedule.currency, layout.Cells(styles), doc.width, progress))
    else:
        story += layout.empty_page(styles, _("No planned gifts to order in this range."), schedule.period)
    with binary_streams():
        layout.build(doc, header, story)
