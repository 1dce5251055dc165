"""The gift schedule as a landscape A4 PDF (§12): rows grouped by account or by owner, a heading
and a subtotal per group, a grand total, the header row on every page, "page x of y"."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm

from kamdesk.domain.gifts import DELIVERY, GiftSchedule, GiftScheduleRow
from kamdesk.i18n import N_, _
from kamdesk.reports import schedule_layout as layout

#: The register's statuses as the schedule prints them.
GIFT_STATUSES = (("planned", N_("Planned")), ("done", N_("Done")))

#: Column widths in mm for the fixed columns; the rest share what is left of the page.
_FIXED = {"date": 19.0, "value": 20.0, "delivery": 30.0, "status": 15.0}
_SHARES = {"other": 0.25, "contact": 0.23, "item": 0.28, "occasion": 0.24}


def delivery_label(code: str) -> str:
    labels = dict(DELIVERY)
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


def _headers(schedule: GiftSchedule) -> list[str]:
    other = _("Owner") if group_key(schedule) == "account" else _("Account")
    return [
        _("Date"),
        other,
        _("Contact"),
        _("Item"),
        _("Value ({currency})").format(currency=schedule.currency),
        _("Delivery"),
        _("Occasion"),
        _("Status"),
    ]


def _table(schedule: GiftSchedule, cells: layout.Cells, width: float) -> Any:
    w = column_widths(width)
    order = ["date", "other", "contact", "item", "value", "delivery", "occasion", "status"]
    widths = [w[name] for name in order]
    key = group_key(schedule)
    other = "owner" if key == "account" else "account"
    heading = _("Account: {name}") if key == "account" else _("Owner: {name}")
    unnamed = _("(no account)") if key == "account" else _("(no owner)")
    label_width = sum(widths[:4])
    rows: list[list[Any]] = [[cells(h, w_, bold=True) for h, w_ in zip(_headers(schedule), widths, strict=True)]]
    commands: list[tuple[Any, ...]] = [("ALIGN", (4, 0), (4, -1), "RIGHT")]
    full: set[int] = set()
    blank = [""] * (len(order) - 1)
    for name, group in grouped(schedule):
        shown = name or unnamed
        layout.heading_row(commands, full, len(rows), layout.GROUP_FILL)
        rows.append(
            [cells(heading.format(name=shown) + "  ·  " + gift_count(len(group)), sum(widths), bold=True), *blank]
        )
        for r in group:
            rows.append(
                [
                    r.date.isoformat(),
                    cells(getattr(r, other), widths[1]),
                    cells(contact_label(r.contact, r.title), widths[2]),
                    cells(r.item, widths[3]),
                    layout.money(r.value_cents),
                    cells(delivery_label(r.delivery), widths[5]),
                    cells(r.occasion, widths[6]),
                    cells(status_label(r.status), widths[7]),
                ]
            )
        layout.total_row(commands, full, len(rows), 4, grand=False)
        rows.append(
            [
                cells(_("Subtotal, {name}").format(name=shown), label_width, bold=True),
                "",
                "",
                "",
                layout.money(sum(r.value_cents for r in group)),
                "",
                "",
                "",
            ]
        )
    layout.total_row(commands, full, len(rows), 4, grand=True)
    rows.append(
        [
            cells(_("Total") + "  ·  " + gift_count(len(schedule.rows)), label_width, bold=True),
            "",
            "",
            "",
            layout.money(schedule.total_cents),
            "",
            "",
            "",
        ]
    )
    return layout.table(rows, widths, commands, full)


def build(schedule: GiftSchedule, out: str | Path) -> None:
    """Write `schedule` to a landscape A4 PDF at `out`."""
    styles = layout.Styles()
    header = layout.running_header(schedule.title, schedule.period)
    doc = layout.document(out, header)
    grouping = _("Grouped by account") if group_key(schedule) == "account" else _("Grouped by owner")
    story: list[Any] = layout.title_block(
        styles, schedule.title, schedule.period, schedule.printed_on, grouping if schedule.rows else ""
    )
    if schedule.rows:
        story.append(_table(schedule, layout.Cells(styles), doc.width))
    else:
        story += layout.empty_page(styles, _("No gifts are scheduled in this range."), schedule.period)
    layout.build(doc, header, story)


def sorted_rows(schedule: GiftSchedule) -> Iterable[GiftScheduleRow]:
    """The rows in the order the PDF prints them (the XLSX export uses the same order)."""
    for _name, group in grouped(schedule):
        yield from group
