"""The gift schedule as a landscape A4 PDF (§12), ready for whoever buys, packs and ships: per gift the
recipient, company, address, phone, item, quantity, cost, order-by and deliver-by dates, delivery method,
card text, approver and status; rows grouped by account or by owner, a heading and a subtotal per group
(the heading repeated, marked "continued", on a page that carries a group on), a grand total, the header
row on every page, "page x of y". How the dates are set is explained under the table
(kamdesk.domain.gift_logistics). Laid out page by page (reports.paged_table) so a year of a large team's
gifts prints in seconds, with progress."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from kamdesk.domain.gift_logistics import card_text, gift_dates, rule_text
from kamdesk.domain.gifts import DELIVERY, REGISTER_STATUSES, GiftSchedule, GiftScheduleRow
from kamdesk.i18n import N_, _
from kamdesk.reports import schedule_layout as layout
from kamdesk.reports.paged_table import PagedTable, Progress, Row, binary_streams

#: The register's statuses as the schedule prints them.
GIFT_STATUSES = REGISTER_STATUSES
#: Delivery methods in the schedule's narrow column (the register's long labels wrap to three lines).
SHORT_DELIVERY = (
    ("in_person", N_("In person")),
    ("courier", N_("Courier")),
    ("courier_card", N_("Courier + card")),
    ("in_person_card", N_("In person + card")),
)
DEFAULT_CARD = colors.HexColor("#6b6b6b")
MISSING = colors.HexColor("#C62828")

#: Column widths in mm for the narrow columns; the others share what is left of the page.
_FIXED = {"phone": 23.0, "quantity": 9.0, "cost": 15.0, "order_by": 18.5, "deliver_by": 18.5}
_FIXED.update({"approver": 15.0, "status": 13.0})
_SHARES = {"recipient": 0.15, "company": 0.16, "address": 0.22, "item": 0.17, "delivery": 0.12, "card": 0.18}
ORDER = (
    "recipient",
    "company",
    "address",
    "phone",
    "item",
    "quantity",
    "cost",
    "order_by",
    "deliver_by",
    "delivery",
    "card",
    "approver",
    "status",
)
COST = ORDER.index("cost")


def delivery_label(code: str) -> str:
    labels = dict(DELIVERY)
    return _(labels[code]) if code in labels else code


def short_delivery_label(code: str) -> str:
    labels = dict(SHORT_DELIVERY)
    return _(labels[code]) if code in labels else code


def status_label(code: str) -> str:
    labels = dict(GIFT_STATUSES)
    return _(labels[code]) if code in labels else code


def contact_label(name: str, title: str) -> str:
    if name.strip() and title.strip():
        return _("{name} ({title})").format(name=name.strip(), title=title.strip())
    return name.strip() or title.strip()


def gift_count(count: int) -> str:
    return _("1 gift") if count == 1 else _("{count} gifts").format(count=count)


def group_key(schedule: GiftSchedule) -> str:
    return "owner" if schedule.group_by == "owner" else "account"


def grouped(schedule: GiftSchedule) -> list[tuple[str, list[GiftScheduleRow]]]:
    """The rows in groups (accounts or owners, in pinyin order), each group's rows by date."""
    key = group_key(schedule)
    person = key == "owner"
    ordered = sorted(
        schedule.rows, key=lambda r: (layout.group_order(getattr(r, key), person), r.date, r.account, r.contact)
    )
    return [(name, list(rows)) for name, rows in groupby(ordered, key=lambda r: getattr(r, key).strip())]


def column_widths(total: float) -> dict[str, float]:
    rest = total - sum(_FIXED.values()) * mm
    widths = {name: width * mm for name, width in _FIXED.items()}
    widths.update({name: rest * share for name, share in _SHARES.items()})
    return widths


def headers(currency: str) -> list[str]:
    return [
        _("Recipient"),
        _("Company"),
        _("Address"),
        _("Phone"),
        _("Item"),
        _("Qty"),
        _("Cost ({currency})").format(currency=currency),
        _("Order by"),
        _("Deliver by"),
        _("Delivery"),
        _("Card text"),
        _("Approver"),
        _("Status"),
    ]


class _Maker:
    """Turns the schedule's gifts into table rows (strings broken to their columns)."""

    def __init__(self, schedule: GiftSchedule, cells: layout.Cells, widths: list[float]) -> None:
        self.schedule, self.cells, self.widths = schedule, cells, widths
        self.blank = [""] * (len(ORDER) - 1)

    def gift(self, r: GiftScheduleRow) -> Row:
        cells, w = self.cells, self.widths
        dates = gift_dates(r.date, r.delivery)
        card, default = card_text(r.notes, r.occasion, r.date)
        approver = r.approved_by.strip()
        missing = not approver and 0 < self.schedule.per_item_limit_cents < r.value_cents
        if missing:
            approver = _("Approval missing")
        item = r.item + ("\n" + r.reference if r.reference else "")
        extra: list[tuple[Any, ...]] = []
        if default:
            extra.append(("TEXTCOLOR", (10, 0), (10, 0), DEFAULT_CARD))
        if missing:
            extra.append(("TEXTCOLOR", (11, 0), (11, 0), MISSING))
        return Row(
            [
                cells(contact_label(r.contact, r.title), w[0]),
                cells(r.account, w[1]),
                cells(r.address, w[2]),
                cells(r.phone, w[3]),
                cells(item, w[4]),
                str(r.quantity),
                layout.money(r.value_cents),
                dates.order_by.isoformat(),
                dates.deliver_by.isoformat(),
                cells(short_delivery_label(r.delivery), w[9]),
                cells(card, w[10]),
                cells(approver, w[11]),
                cells(status_label(r.status), w[12]),
            ],
            extra=extra,
        )

    def heading(self, text: str, count: int) -> Row:
        width = sum(self.widths)
        return Row(
            [self.cells(text + "  ·  " + gift_count(count), width, bold=True), *self.blank],
            kind="heading",
            again=self.cells(layout.continued_text(text), width, bold=True),
        )

    def total(self, label: str, cents: int, grand: bool) -> Row:
        cells = [self.cells(label, sum(self.widths[:COST]), bold=True), *[""] * (COST - 1), layout.money(cents)]
        return Row(cells + [""] * (len(ORDER) - COST - 1), kind="grand" if grand else "total")


def table_rows(schedule: GiftSchedule, cells: layout.Cells, width: float) -> tuple[list[str], list[Row], list[float]]:
    """The header, the rows (group headings, gifts, subtotals, the total) and the column widths."""
    w = column_widths(width)
    widths = [w[name] for name in ORDER]
    key = group_key(schedule)
    heading = _("Account: {name}") if key == "account" else _("Owner: {name}")
    unnamed = _("(no account)") if key == "account" else _("(no owner)")
    make = _Maker(schedule, cells, widths)
    rows: list[Row] = []
    for name, group in grouped(schedule):
        shown = name or unnamed
        rows.append(make.heading(heading.format(name=shown), len(group)))
        rows += [make.gift(r) for r in group]
        rows.append(make.total(_("Subtotal, {name}").format(name=shown), sum(r.value_cents for r in group), False))
    rows.append(make.total(_("Total") + "  ·  " + gift_count(len(schedule.rows)), schedule.total_cents, True))
    header = [cells(h, w_, bold=True) for h, w_ in zip(headers(schedule.currency), widths, strict=True)]
    return header, rows, widths


def table(schedule: GiftSchedule, cells: layout.Cells, width: float, progress: Progress | None = None) -> PagedTable:
    header, rows, widths = table_rows(schedule, cells, width)
    right = [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in (ORDER.index("quantity"), COST)]
    return PagedTable(header, rows, widths, right, COST, progress)


def notes(rules: Iterable[str], styles: layout.Styles) -> list[Any]:
    """How this schedule's dates were set, and where card text comes from."""
    text = _("Order-by and deliver-by dates count back from the gift's date: {rules}.").format(
        rules="; ".join(rule_text(key) for key in sorted(rules))
    )
    card = _(
        "Card text in grey is the default greeting for the occasion; write your own on a line of the gift's "
        "notes starting with “Card:”."
    )
    text += " " + _("An order-by date on a weekend or public holiday moves back to the workday before.")
    return [Spacer(1, 3 * mm), Paragraph(escape(text), styles.meta), Paragraph(escape(card), styles.meta)]


def build(schedule: GiftSchedule, out: str | Path, progress: Progress | None = None) -> None:
    """Write `schedule` to a landscape A4 PDF at `out`. `progress(rows_done, rows_total)` is told at every
    page; when it returns False the print stops (reports.paged_table.Cancelled) and nothing is written."""
    styles = layout.Styles()
    header = layout.running_header(schedule.title, schedule.period)
    doc = layout.document(out, header)
    grouping = _("Grouped by account") if group_key(schedule) == "account" else _("Grouped by owner")
    story: list[Any] = layout.title_block(
        styles, schedule.title, schedule.period, schedule.printed_on, grouping if schedule.rows else ""
    )
    if schedule.rows:
        story.append(table(schedule, layout.Cells(styles), doc.width, progress))
        story += notes({gift_dates(r.date, r.delivery).rule for r in schedule.rows}, styles)
    else:
        story += layout.empty_page(styles, _("No gifts are scheduled in this range."), schedule.period)
    with binary_streams():
        layout.build(doc, header, story)


def sorted_rows(schedule: GiftSchedule) -> Iterable[GiftScheduleRow]:
    """The rows in the order the PDF prints them (the XLSX export uses the same order)."""
    for _name, group in grouped(schedule):
        yield from group
