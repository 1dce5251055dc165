"""The gift and visit schedules as XLSX workbooks: one sheet, a bold frozen header row, the rows in
the printed order, a totals row; user text stored as text (never a formula), dates as dates and
money as numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kamdesk.domain.gifts import GiftSchedule, VisitSchedule
from kamdesk.i18n import _
from kamdesk.reports import gift_schedule, visit_schedule

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
FORMULA_STARTS = ("=", "+", "-", "@")
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="E8EEF5")


def _text(value: str) -> str:
    """Text without the control characters an XLSX file cannot hold."""
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        text = _text(value)
        if not text:
            return cell  # an empty cell, not an empty string
        cell.value = text
        cell.data_type = "s"  # openpyxl would store "=…" as a formula otherwise
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    elif isinstance(value, dt.datetime):
        cell.value = value
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "\\/*?:[]" or ord(ch) < 32 else ch for ch in title).strip()[:31]
    return cleaned or "Sheet1"


def _write(
    out: str | Path,
    title: str,
    period: str,
    headers: Sequence[str],
    widths: Sequence[float],
    rows: Sequence[Sequence[Any]],
    money_column: int,
    total_label: str,
    total: float,
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_title(title)
    book.properties.title = title
    book.properties.subject = period
    book.properties.creator = "kamdesk"
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(sheet, 1, column, header)
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, number, column, value)
            if column == money_column:
                cell.number_format = MONEY_FORMAT
    last = len(rows) + 2
    _put(sheet, last, 1, total_label).font = _BOLD
    money = _put(sheet, last, money_column, total)
    money.number_format = MONEY_FORMAT
    money.font = _BOLD
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.oddHeader.left.text = " · ".join(p for p in (title, period) if p).replace("&", "&&")
    book.save(str(out))


def gift_schedule_xlsx(schedule: GiftSchedule, out: str | Path) -> None:
    """Write the gift schedule to an XLSX workbook at `out`, grouped as the PDF is."""
    headers = [
        _("Date"),
        _("Account"),
        _("Owner"),
        _("Contact"),
        _("Title"),
        _("Item"),
        _("Value ({currency})").format(currency=schedule.currency),
        _("Delivery"),
        _("Occasion"),
        _("Status"),
    ]
    widths = [12, 32, 12, 12, 16, 30, 14, 22, 30, 10]
    rows = [
        [
            r.date,
            r.account,
            r.owner,
            r.contact,
            r.title,
            r.item,
            r.value_cents / 100,
            gift_schedule.delivery_label(r.delivery),
            r.occasion,
            gift_schedule.status_label(r.status),
        ]
        for r in gift_schedule.sorted_rows(schedule)
    ]
    _write(
        out,
        schedule.title,
        schedule.period,
        headers,
        widths,
        rows,
        7,
        _("Total") + " · " + gift_schedule.gift_count(len(schedule.rows)),
        schedule.total_cents / 100,
    )


def visit_schedule_xlsx(schedule: VisitSchedule, out: str | Path) -> None:
    """Write the visit schedule to an XLSX workbook at `out`, by owner and time as the PDF is."""
    headers = [
        _("Date and time"),
        _("Week"),
        _("Owner"),
        _("Kind"),
        _("Account"),
        _("People visited"),
        _("Our people"),
        _("Purpose"),
        _("Plan"),
        _("Budget ({currency})").format(currency=schedule.currency),
        _("Outcome"),
    ]
    widths = [17, 7, 12, 12, 30, 20, 16, 30, 36, 14, 30]
    rows = [
        [
            r.starts_at,
            r.starts_at.isocalendar()[1],
            r.owner,
            visit_schedule.kind_label(r.kind),
            r.account,
            r.people_theirs,
            r.people_ours,
            r.purpose,
            r.plan,
            r.budget_cents / 100,
            r.outcome,
        ]
        for r in visit_schedule.sorted_rows(schedule)
    ]
    _write(
        out,
        schedule.title,
        schedule.period,
        headers,
        widths,
        rows,
        10,
        _("Total") + " · " + visit_schedule.visit_count(len(schedule.rows)),
        schedule.total_cents / 100,
    )
