"""The visit schedule as a landscape A4 PDF (§13): by owner, then by ISO week, with the budget
totalled per owner and overall; the header row on every page, "page x of y"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm

from kamdesk.domain.gifts import VISIT_KINDS, VisitSchedule, VisitScheduleRow
from kamdesk.i18n import N_, _
from kamdesk.reports import schedule_layout as layout

_FIXED = {"when": 25.0, "kind": 21.0, "budget": 19.0}
_SHARES = {
    "account": 0.15,
    "place": 0.12,
    "theirs": 0.12,
    "ours": 0.09,
    "purpose": 0.15,
    "plan": 0.19,
    "outcome": 0.18,
}
_ORDER = ["when", "kind", "account", "place", "theirs", "ours", "purpose", "plan", "budget", "outcome"]
BUDGET = _ORDER.index("budget")
#: Monday first, as date.weekday() counts.
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def kind_label(code: str) -> str:
    labels = dict(VISIT_KINDS)
    return _(labels[code]) if code in labels else code


def visit_count(count: int) -> str:
    return _("1 visit") if count == 1 else _("{count} visits").format(count=count)


def week_of(when: dt.datetime) -> tuple[int, int]:
    year, week, _day = when.isocalendar()
    return year, week


def week_label(year: int, week: int) -> str:
    monday = dt.date.fromisocalendar(year, week, 1)
    return _("Week {week} · {start} to {end}").format(
        week=week, start=monday.isoformat(), end=(monday + dt.timedelta(days=6)).isoformat()
    )


def grouped(schedule: VisitSchedule) -> list[tuple[str, list[tuple[tuple[int, int], list[VisitScheduleRow]]]]]:
    """Owners in pinyin order; within each, ISO weeks in order; within each week, visits by time."""
    ordered = sorted(schedule.rows, key=lambda r: (layout.group_order(r.owner, True), r.starts_at, r.account))
    result = []
    for owner, rows in groupby(ordered, key=lambda r: r.owner.strip()):
        result.append(
            (owner, [(week, list(visits)) for week, visits in groupby(rows, key=lambda r: week_of(r.starts_at))])
        )
    return result


def column_widths(total: float) -> list[float]:
    rest = total - sum(_FIXED.values()) * mm
    widths = {name: width * mm for name, width in _FIXED.items()}
    widths.update({name: rest * share for name, share in _SHARES.items()})
    return [widths[name] for name in _ORDER]


def when_label(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M")


def weekday_label(when: dt.date) -> str:
    """The day of the week in the print language: Wed, 周三, 週三."""
    return _(WEEKDAYS[when.weekday()])


def _table(schedule: VisitSchedule, cells: layout.Cells, width: float) -> Any:
    widths = column_widths(width)
    heads = [
        _("Date and time"),
        _("Kind"),
        _("Account"),
        _("Place"),
        _("People visited"),
        _("Our people"),
        _("Purpose"),
        _("Plan"),
        _("Budget ({currency})").format(currency=schedule.currency),
        _("Outcome"),
    ]
    rows: list[list[Any]] = [[cells(h, w, bold=True) for h, w in zip(heads, widths, strict=True)]]
    commands: list[tuple[Any, ...]] = [("ALIGN", (BUDGET, 0), (BUDGET, -1), "RIGHT")]
    full: set[int] = set()
    continued: dict[int, tuple[int, str]] = {}
    totals: set[int] = set()
    blank = [""] * (len(_ORDER) - 1)
    label_width = sum(widths[:BUDGET])
    for owner, weeks in grouped(schedule):
        shown = owner or _("(no owner)")
        count = sum(len(visits) for _week, visits in weeks)
        layout.heading_row(commands, full, len(rows), layout.GROUP_FILL)
        heading = _("Owner: {name}").format(name=shown)
        continued[len(rows)] = (0, cells(layout.continued_text(heading), sum(widths), bold=True))
        rows.append([cells(heading + "  ·  " + visit_count(count), sum(widths), bold=True), *blank])
        total = 0
        for (year, week), visits in weeks:
            layout.heading_row(commands, full, len(rows), layout.WEEK_FILL)
            # The owner again: a week that starts a page still says whose visits these are.
            week_heading = shown + "  ·  " + week_label(year, week)
            continued[len(rows)] = (1, cells(layout.continued_text(week_heading), sum(widths), bold=True))
            rows.append([cells(week_heading + "  ·  " + visit_count(len(visits)), sum(widths), bold=True), *blank])
            for r in visits:
                total += r.budget_cents
                rows.append(
                    [
                        when_label(r.starts_at) + "\n" + weekday_label(r.starts_at.date()),
                        cells(kind_label(r.kind), widths[1]),
                        cells(r.account, widths[2]),
                        cells(r.place, widths[3]),
                        cells(r.people_theirs, widths[4]),
                        cells(r.people_ours, widths[5]),
                        cells(r.purpose, widths[6]),
                        cells(r.plan, widths[7]),
                        layout.money(r.budget_cents),
                        cells(r.outcome, widths[9]),
                    ]
                )
        totals.add(len(rows))
        layout.total_row(commands, full, len(rows), BUDGET, grand=False)
        rows.append(
            [
                cells(_("Subtotal, {name}").format(name=shown), label_width, bold=True),
                *[""] * (BUDGET - 1),
                layout.money(total),
                "",
            ]
        )
    totals.add(len(rows))
    layout.total_row(commands, full, len(rows), BUDGET, grand=True)
    rows.append(
        [
            cells(_("Total") + "  ·  " + visit_count(len(schedule.rows)), label_width, bold=True),
            *[""] * (BUDGET - 1),
            layout.money(schedule.total_cents),
            "",
        ]
    )
    return layout.table(rows, widths, commands, full, continued, totals)


def build(schedule: VisitSchedule, out: str | Path) -> None:
    """Write `schedule` to a landscape A4 PDF at `out`."""
    styles = layout.Styles()
    header = layout.running_header(schedule.title, schedule.period)
    doc = layout.document(out, header)
    story: list[Any] = layout.title_block(
        styles, schedule.title, schedule.period, schedule.printed_on, _("By owner and week") if schedule.rows else ""
    )
    if schedule.rows:
        story.append(_table(schedule, layout.Cells(styles), doc.width))
    else:
        story += layout.empty_page(styles, _("No visits are scheduled in this range."), schedule.period)
    layout.build(doc, header, story)


def sorted_rows(schedule: VisitSchedule) -> Iterable[VisitScheduleRow]:
    """The visits in the order the PDF prints them (the XLSX export uses the same order)."""
    for _owner, weeks in grouped(schedule):
        for _week, visits in weeks:
            yield from visits
