"""Locale-aware display of money, dates and empty values in widgets."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale

#: Columns are sized to the contents of this many rows (Qt's default, a thousand, is slow on large lists).
SIZE_SAMPLE_ROWS = 20


def money(cents: int | None, locale: QLocale | None = None) -> str:
    if cents is None:
        return "—"
    return (locale or QLocale()).toString(cents / 100, "f", 0)


def date(value: dt.date | None, locale: QLocale | None = None) -> str:
    if value is None:
        return "—"
    return (locale or QLocale()).toString(QDate(value.year, value.month, value.day), QLocale.FormatType.ShortFormat)
