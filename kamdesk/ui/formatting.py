"""Locale-aware display of numbers, money, dates and times: the one place widgets turn values into text.

Stored values are exact (cents, ISO dates, naive UTC times); what a person reads follows the UI's locale
(QLocale(), which the app sets to the chosen language): local time in the locale's format, grouped
digits, and in Chinese the units a Chinese reader counts in (万 and 亿: 1 332 500 → 133.25万).
"""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime

#: Columns are sized to the contents of this many rows (Qt's default, a thousand, is slow on large lists).
SIZE_SAMPLE_ROWS = 20

#: How numbers and money sit in a table cell: right-aligned, so digits line up (the flag for items, the int
#: for a model's TextAlignmentRole).
NUMBER_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
NUMBER_ALIGNMENT = int(NUMBER_ALIGN)

EMPTY = "—"

_WAN = 10_000
_YI = 100_000_000


def is_chinese(locale: QLocale | None = None) -> bool:
    return (locale or QLocale()).language() == QLocale.Language.Chinese


def _trimmed(value: float, decimals: int, locale: QLocale) -> str:
    """`value` with at most `decimals` decimals, trailing zeros dropped (133.20 → 133.2, 400.00 → 400)."""
    text = locale.toString(value, "f", decimals)
    point = locale.decimalPoint()
    if decimals > 0 and point in text:
        text = text.rstrip("0").rstrip(point)
    return text


def number(value: float | int | None, decimals: int = 0, locale: QLocale | None = None) -> str:
    """A plain number with the locale's grouping (1,332,500), or — for nothing."""
    if value is None:
        return EMPTY
    loc = locale or QLocale()
    return loc.toString(value, "f", decimals) if decimals else loc.toString(round(value))


def chinese_units(value: float, locale: QLocale, decimals: int = 2) -> str:
    """A figure counted in 万 or 亿 (10⁴, 10⁸) as Chinese readers do; small figures stay as they are."""
    size = abs(value)
    if size >= _YI:
        return _trimmed(value / _YI, decimals, locale) + "亿"
    if size >= _WAN:
        return _trimmed(value / _WAN, decimals, locale) + "万"
    return _trimmed(value, 0, locale)


def money(cents: int | None, locale: QLocale | None = None) -> str:
    """An amount in whole yuan for lists and summaries: 133.25万 in Chinese, 1,332,500 otherwise."""
    if cents is None:
        return EMPTY
    loc = locale or QLocale()
    if is_chinese(loc):
        return chinese_units(cents / 100, loc)
    return loc.toString(round(cents / 100))


def money_exact(cents: int | None, locale: QLocale | None = None) -> str:
    """The amount to the fen, with grouping (1,452,079.16): for tooltips beside a rounded figure."""
    if cents is None:
        return EMPTY
    loc = locale or QLocale()
    return loc.toString(cents / 100, "f", 2 if cents % 100 else 0)


def compact_money(cents: float, locale: QLocale | None = None) -> str:
    """A short axis label: 400万 or 1.5亿 in Chinese, 4M or 250K otherwise."""
    loc = locale or QLocale()
    value = cents / 100
    if is_chinese(loc):
        return chinese_units(value, loc, 1)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return _trimmed(value / size, 1, loc) + suffix
    return _trimmed(value, 1, loc)


def percent(value: float, locale: QLocale | None = None) -> str:
    """A whole percentage (62.5 → 63%: halves round up, as people expect, not to even as round() does)."""
    loc = locale or QLocale()
    return loc.toString(math.floor(value + 0.5)) + loc.percent()


def date(value: dt.date | None, locale: QLocale | None = None) -> str:
    if value is None:
        return EMPTY
    return (locale or QLocale()).toString(QDate(value.year, value.month, value.day), QLocale.FormatType.ShortFormat)


def local_time(utc: dt.datetime) -> dt.datetime:
    """A stored (naive UTC, or aware) moment as the person's local wall-clock time, naive."""
    aware = utc if utc.tzinfo is not None else utc.replace(tzinfo=dt.UTC)
    return aware.astimezone().replace(tzinfo=None)


def date_time(utc: dt.datetime | None, locale: QLocale | None = None) -> str:
    """A stored UTC moment in local time and the locale's short date and time format."""
    if utc is None:
        return EMPTY
    local = local_time(utc)
    moment = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second))
    return (locale or QLocale()).toString(moment, QLocale.FormatType.ShortFormat)


def wall_time(local: dt.datetime | None, locale: QLocale | None = None) -> str:
    """A moment already in local time (a planned visit's start) in the locale's short date and time format."""
    if local is None:
        return EMPTY
    moment = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    return (locale or QLocale()).toString(moment, QLocale.FormatType.ShortFormat)


def time_of_day(utc: dt.datetime | None, locale: QLocale | None = None) -> str:
    """Only the local time of a stored UTC moment (14:30), for lists within one day."""
    if utc is None:
        return EMPTY
    local = local_time(utc)
    return (locale or QLocale()).toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)
