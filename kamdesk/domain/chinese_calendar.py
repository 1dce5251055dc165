"""Chinese festivals, public holidays and recurring personal dates, solar or lunar (lunar-python, MIT)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lunar_python import Lunar, LunarYear, Solar

from kamdesk.domain.contacts import PersonalDate
from kamdesk.i18n import N_, _


@dataclass(frozen=True)
class Festival:
    key: str
    label: str  # English, marked for translation; `name` gives it in the person's language
    date: dt.date
    lunar: bool
    business: bool = True  # False: personal days (Qixi, Double Ninth) that are no occasion for business greetings

    @property
    def name(self) -> str:
        return _(self.label)


#: (key, label, lunar?, month, day, suits business greetings?)
_FIXED: tuple[tuple[str, str, bool, int, int, bool], ...] = (
    ("new_year", N_("New Year's Day"), False, 1, 1, True),
    ("spring_festival", N_("Spring Festival"), True, 1, 1, True),
    ("lantern", N_("Lantern Festival"), True, 1, 15, True),
    ("labour_day", N_("Labour Day"), False, 5, 1, True),
    ("dragon_boat", N_("Dragon Boat Festival"), True, 5, 5, True),
    ("qixi", N_("Qixi Festival"), True, 7, 7, False),
    ("mid_autumn", N_("Mid-Autumn Festival"), True, 8, 15, True),
    ("double_ninth", N_("Double Ninth Festival"), True, 9, 9, False),
    ("national_day", N_("National Day"), False, 10, 1, True),
)


@lru_cache(maxsize=512)
def _lunar_months(year: int) -> dict[tuple[int, bool], tuple[dt.date, int]]:
    """(month, leap) → (first solar day, number of days) for each month of lunar year `year`.

    Building a lunar year is the expensive step (it works out the new moons and solar terms), so
    it is done once per year and every date in that year is then a day count from its month start.
    """
    months = {}
    for m in LunarYear.fromYear(year).getMonths():
        if m.getYear() == year:
            first = Solar.fromJulianDay(m.getFirstJulianDay())
            months[(abs(m.getMonth()), m.getMonth() < 0)] = (
                dt.date(first.getYear(), first.getMonth(), first.getDay()),
                int(m.getDayCount()),
            )
    return months


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> dt.date:
    """The solar date of a lunar date (leap: the intercalary month after `month`)."""
    found = _lunar_months(year).get((month, leap))
    if found is None or not 1 <= day <= found[1]:
        raise ValueError(f"lunar {year}-{'leap ' if leap else ''}{month}-{day} does not exist")
    return found[0] + dt.timedelta(days=day - 1)


@lru_cache(maxsize=4096)
def solar_to_lunar(date: dt.date) -> tuple[int, int, int, bool]:
    """(lunar year, month, day, is leap month) of a solar date."""
    lunar = Solar.fromYmd(date.year, date.month, date.day).getLunar()
    month = lunar.getMonth()
    return lunar.getYear(), abs(month), lunar.getDay(), month < 0


def _qingming(year: int) -> dt.date:
    # The solar term 清明 always falls in early April; take it from the year's term table.
    table = Lunar.fromYmd(year, 3, 1).getJieQiTable()
    solar = table["清明"]
    if solar.getYear() != year:
        solar = Lunar.fromYmd(year, 2, 1).getJieQiTable()["清明"]
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=512)
def festivals(year: int) -> tuple[Festival, ...]:
    """The festivals of solar year `year`, in date order."""
    found = []
    for key, label, lunar, month, day, business in _FIXED:
        date = lunar_to_solar(year, month, day) if lunar else dt.date(year, month, day)
        found.append(Festival(key, label, date, lunar, business))
    found.append(Festival("qingming", N_("Qingming Festival"), _qingming(year), False, False))
    return tuple(sorted(found, key=lambda f: f.date))


@lru_cache(maxsize=512)
def public_holidays(year: int) -> frozenset[dt.date]:
    """Days off in mainland China on which nobody wants a business call.

    An approximation: the State Council publishes the exact days (and weekend make-up days) each
    year; these are the holidays themselves, which is what matters for not planning a call.
    """
    days: set[dt.date] = {dt.date(year, 1, 1)}
    by_key = {f.key: f.date for f in festivals(year)}
    spring = by_key["spring_festival"]
    days |= {spring + dt.timedelta(days=n) for n in range(-1, 7)}  # the eve to the sixth day
    days |= {by_key["qingming"], by_key["dragon_boat"], by_key["mid_autumn"]}
    days |= {dt.date(year, 5, d) for d in range(1, 6)}
    days |= {dt.date(year, 10, d) for d in range(1, 8)}
    return frozenset(days)


def is_workday(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


@dataclass(frozen=True)
class Occurrence:
    date: dt.date
    #: Why the date had to be marked on another day, each reason a message and its values ({"m": ..., "v": ...},
    #: as domain.followups.deferred makes): kept untranslated so that what is stored reads in each reader's language.
    notes: tuple[dict[str, Any], ...] = ()

    @property
    def note(self) -> str:
        """The explanation, in the current language (empty when the date is the day itself)."""
        return " ".join(_(str(n["m"])).format(**n["v"]) for n in self.notes)


def next_occurrence(date: PersonalDate, after: dt.date) -> Occurrence | None:
    """The first day on or after `after` that the personal date falls on, with a note when moved."""
    if date.calendar == "lunar":
        return _next_lunar(date, after)
    for year in (after.year, after.year + 1):
        found = _solar_in(date, year)
        if found.date >= after:
            return found
    return None


def _solar_in(date: PersonalDate, year: int) -> Occurrence:
    if date.month == 2 and date.day == 29 and not calendar.isleap(year):
        return Occurrence(
            dt.date(year, 2, 28), ({"m": N_("29 February falls on 28 February in years without it."), "v": {}},)
        )
    days = calendar.monthrange(year, date.month)[1]
    return Occurrence(dt.date(year, date.month, min(date.day, days)))


def _leap_month(year: int) -> int:
    return next((month for month, leap in _lunar_months(year) if leap), 0)


def _lunar_month_days(year: int, month: int, leap: bool) -> int | None:
    found = _lunar_months(year).get((month, leap))
    return found[1] if found else None


def _lunar_in(date: PersonalDate, year: int) -> Occurrence:
    notes: list[dict[str, Any]] = []
    leap = date.leap_month
    if leap and _leap_month(year) != date.month:
        notes.append(
            {
                "m": N_("Lunar year {year} has no leap month {month}; marked in the ordinary month."),
                "v": {"year": year, "month": date.month},
            }
        )
        leap = False
    days = _lunar_month_days(year, date.month, leap) or 29
    day = date.day
    if day > days:
        notes.append(
            {
                "m": N_(
                    "Month {month} of lunar year {year} has {days} days, so the {day}th is marked on the {days}th."
                ),
                "v": {"month": date.month, "year": year, "days": days, "day": day},
            }
        )
        day = days
    return Occurrence(lunar_to_solar(year, date.month, day, leap), tuple(notes))


def _next_lunar(date: PersonalDate, after: dt.date) -> Occurrence | None:
    lunar_year = solar_to_lunar(after)[0]
    for year in (lunar_year - 1, lunar_year, lunar_year + 1):
        found = _lunar_in(date, year)
        if found.date >= after:
            return found
    return None


def age_on(date: PersonalDate, on: dt.date) -> int | None:
    """Completed years on `on` (by the solar calendar), or None when the birth year is unknown."""
    if date.year is None:
        return None
    born = _lunar_in(date, date.year).date if date.calendar == "lunar" else _solar_in(date, date.year).date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
