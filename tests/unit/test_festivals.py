"""Festival dates, public holidays and recurring personal dates in the solar and lunar calendars."""

from __future__ import annotations

import datetime as dt

import pytest

from kamdesk.domain.chinese_calendar import (
    age_on,
    festivals,
    is_workday,
    lunar_to_solar,
    next_occurrence,
    public_holidays,
    solar_to_lunar,
)
from kamdesk.domain.contacts import PersonalDate


def _dates(year: int) -> dict[str, dt.date]:
    return {f.key: f.date for f in festivals(year)}


@pytest.mark.parametrize(
    ("year", "key", "expected"),
    [
        (2027, "spring_festival", dt.date(2027, 2, 6)),
        (2027, "mid_autumn", dt.date(2027, 9, 15)),
        (2024, "spring_festival", dt.date(2024, 2, 10)),
        (2025, "dragon_boat", dt.date(2025, 5, 31)),
        (2025, "mid_autumn", dt.date(2025, 10, 6)),
        (2026, "qingming", dt.date(2026, 4, 5)),
        (2026, "lantern", dt.date(2026, 3, 3)),
        (2000, "spring_festival", dt.date(2000, 2, 5)),
        (1990, "mid_autumn", dt.date(1990, 10, 3)),
    ],
)
def test_known_festival_dates(year: int, key: str, expected: dt.date):
    assert _dates(year)[key] == expected


def test_festivals_agree_with_a_second_library_from_1950_to_2099():
    import lunarcalendar as second  # a test extra: missing is a failure, not a skip

    converter, lunar = second.Converter, second.Lunar
    festivals_by_lunar_day = {
        "spring_festival": (1, 1),
        "lantern": (1, 15),
        "dragon_boat": (5, 5),
        "qixi": (7, 7),
        "mid_autumn": (8, 15),
        "double_ninth": (9, 9),
    }
    differ = set()
    for year in range(1950, 2100):
        ours = _dates(year)
        for key, (month, day) in festivals_by_lunar_day.items():
            theirs = converter.Lunar2Solar(lunar(year, month, day))
            if ours[key] != dt.date(theirs.year, theirs.month, theirs.day):
                differ.add((year, key))
    # Two far-future month starts fall within minutes of midnight in Beijing, where the two
    # libraries' astronomy parts ways by a day; any other difference would be a real fault.
    assert differ == {(2089, "mid_autumn"), (2097, "qixi")}


def test_personal_days_are_not_proposed_for_business_greetings():
    business = {f.key for f in festivals(2027) if f.business}
    assert {"spring_festival", "mid_autumn", "national_day", "dragon_boat"} <= business
    assert not {"qixi", "double_ninth", "qingming"} & business


def test_public_holidays_cover_the_golden_weeks():
    days = public_holidays(2027)
    assert {dt.date(2027, 10, d) for d in range(1, 8)} <= days
    assert {dt.date(2027, 2, 5) + dt.timedelta(days=n) for n in range(8)} <= days  # eve to the sixth day
    assert not is_workday(dt.date(2027, 10, 4)) and not is_workday(dt.date(2027, 11, 27))  # holiday, Saturday
    assert is_workday(dt.date(2027, 11, 24))


def test_lunar_solar_round_trip():
    assert lunar_to_solar(2027, 1, 1) == dt.date(2027, 2, 6)
    assert solar_to_lunar(dt.date(2027, 9, 15)) == (2027, 8, 15, False)
    assert solar_to_lunar(lunar_to_solar(2023, 2, 10, leap=True)) == (2023, 2, 10, True)


def test_a_lunar_birthday_comes_round_each_year():
    moon = PersonalDate("lunar", 1970, 8, 15)
    assert next_occurrence(moon, dt.date(2027, 1, 1)).date == dt.date(2027, 9, 15)
    assert next_occurrence(moon, dt.date(2027, 9, 16)).date == lunar_to_solar(2028, 8, 15)


def test_day_30_of_a_short_lunar_month_is_marked_on_the_29th_and_says_so():
    # Month 1 of lunar 2023 has 29 days.
    found = next_occurrence(PersonalDate("lunar", None, 1, 30), dt.date(2023, 1, 1))
    assert found.date == lunar_to_solar(2023, 1, 29)
    assert "has 29 days" in found.note


def test_a_leap_month_birthday_in_a_year_without_that_leap_month_uses_the_ordinary_month():
    found = next_occurrence(PersonalDate("lunar", 2023, 2, 10, leap_month=True), dt.date(2024, 1, 1))
    assert found.date == lunar_to_solar(2024, 2, 10)
    assert "no leap month 2" in found.note
    same_year = next_occurrence(PersonalDate("lunar", 2023, 2, 10, leap_month=True), dt.date(2023, 1, 1))
    assert same_year.date == lunar_to_solar(2023, 2, 10, leap=True) and same_year.note == ""


def test_29_february_outside_leap_years():
    found = next_occurrence(PersonalDate("solar", None, 2, 29), dt.date(2027, 1, 1))
    assert found.date == dt.date(2027, 2, 28) and "28 February" in found.note
    assert next_occurrence(PersonalDate("solar", None, 2, 29), dt.date(2028, 1, 1)).date == dt.date(2028, 2, 29)


def test_age():
    assert age_on(PersonalDate("solar", 1980, 6, 1), dt.date(2026, 5, 31)) == 45
    assert age_on(PersonalDate("solar", 1980, 6, 1), dt.date(2026, 6, 1)) == 46
    assert age_on(PersonalDate("lunar", None, 6, 1), dt.date(2026, 6, 1)) is None
