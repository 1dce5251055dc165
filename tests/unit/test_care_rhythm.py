"""Contact rhythm: regular business contact, and care greetings that never settle into a pattern."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from kamdesk.domain.cadence import (
    DEFAULT_RULES,
    next_business_contact,
    next_care_greeting,
    plan_care_dates,
    rule_for,
    validate_rule,
)
from kamdesk.domain.chinese_calendar import is_workday, public_holidays
from kamdesk.domain.followups import CadenceRule

START, END = dt.date(2027, 1, 1), dt.date(2027, 12, 31)
RULE = CadenceRule("A", None, 14, 20, 45)


def test_care_greetings_over_a_year_have_no_rhythm():
    dates = plan_care_dates(dt.date(2026, 12, 20), RULE, START, END, random.Random(7))
    assert len(dates) >= 6
    gaps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
    assert len(set(gaps)) > 1  # a fixed rhythm would repeat one interval
    assert all(a.weekday() != b.weekday() for a, b in zip(dates, dates[1:], strict=False))
    assert all(20 <= g <= 45 + 7 for g in gaps)  # inside the window, give or take a holiday week
    assert all(is_workday(d) for d in dates)


def test_many_people_spread_over_the_working_week():
    weekdays = Counter(
        d.weekday() for seed in range(50) for d in plan_care_dates(None, RULE, START, END, random.Random(seed))
    )
    assert set(weekdays) == {0, 1, 2, 3, 4}
    assert max(weekdays.values()) < 2 * min(weekdays.values())


def test_never_on_weekends_or_public_holidays():
    holidays = public_holidays(2027)
    for seed in range(30):
        for day in plan_care_dates(None, CadenceRule("B", None, None, 1, 3), START, END, random.Random(seed)):
            assert day.weekday() < 5 and day not in holidays


def test_the_window_restarts_from_the_last_real_touch_and_a_past_window_starts_today():
    today = dt.date(2027, 3, 1)
    day = next_care_greeting(dt.date(2027, 2, 25), RULE, today, random.Random(1))
    assert dt.date(2027, 2, 25) + dt.timedelta(days=20) <= day <= dt.date(2027, 2, 25) + dt.timedelta(days=45 + 4)
    late = next_care_greeting(dt.date(2026, 1, 1), RULE, today, random.Random(1))
    assert today <= late <= today + dt.timedelta(days=25 + 4)


def test_the_same_seed_gives_the_same_plan():
    first = plan_care_dates(None, RULE, START, END, random.Random(3))
    assert first == plan_care_dates(None, RULE, START, END, random.Random(3))
    assert first != plan_care_dates(None, RULE, START, END, random.Random(4))


def test_business_contact_follows_the_interval_on_workdays():
    assert next_business_contact(dt.date(2027, 9, 20), RULE, dt.date(2027, 9, 21)) == dt.date(2027, 10, 8)
    assert next_business_contact(None, RULE, dt.date(2027, 11, 27)) == dt.date(2027, 11, 29)  # Saturday → Monday
    assert next_business_contact(None, CadenceRule("D", None, None, None, None), START) is None


def test_bad_rules_are_explained():
    assert "starts at 60 days" in validate_rule(CadenceRule("A", None, 14, 60, 30))["care_min_days"]
    assert "between 1 and 366" in validate_rule(CadenceRule("A", None, 0, 20, 30))["business_days"]
    assert "both ends" in validate_rule(CadenceRule("A", None, 14, 20, None))["care_max_days"]
    assert "class" in validate_rule(CadenceRule("E"))["account_class"]
    assert "Unknown rank" in validate_rule(CadenceRule("A", "emperor"))["rank_tier"]
    assert all(validate_rule(rule) == {} for rule in DEFAULT_RULES)


def test_the_most_specific_rule_wins():
    owners = CadenceRule("A", "owner", 7, 10, 20)
    rules = [*DEFAULT_RULES, owners]
    assert rule_for(rules, "A", "owner") is owners
    assert rule_for(rules, "A", "clerk").rank_tier is None
    assert rule_for(rules, None, "owner") is None
