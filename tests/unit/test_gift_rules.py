"""Gift rules without a database: tiers, taboos and likes, policy limits, irregular dates, the meal guide."""

from __future__ import annotations

import datetime as dt

from kamdesk.domain.chinese_calendar import is_workday
from kamdesk.domain.gifts import (
    GiftPolicy,
    RegisterEntry,
    Visit,
    check_policy,
    everyday_dates,
    festival_dates,
    high_spend_warning,
    meal_guide,
    validate_entry,
    validate_visit,
)

TODAY = dt.date(2026, 11, 23)


def test_the_policy_needs_an_approval_beyond_its_limits():
    policy = GiftPolicy(per_item_cents=500_00, per_person_year_cents=1000_00)
    entry = RegisterEntry("holiday", "茅台酒", 980_00, TODAY)
    over = check_policy(policy, 980_00, 0)
    assert over.over_item and not over.over_year and over.needs_approval
    assert any("needs an approval" in p for p in validate_entry(entry, over, TODAY))
    approved = RegisterEntry("holiday", "茅台酒", 980_00, TODAY, approved_by="李总")
    assert validate_entry(approved, over, TODAY) == []
    yearly = check_policy(policy, 300_00, 800_00)
    assert yearly.over_year and yearly.year_total_cents == 1100_00
    assert GiftPolicy(0, 100).problems() and GiftPolicy(500, 100).problems()


def test_bad_values_and_a_planned_entry_in_the_past_are_refused():
    fine = check_policy(GiftPolicy(), 0, 0)
    assert validate_entry(RegisterEntry("meal", "晚餐", -5, TODAY), fine, TODAY)
    assert validate_entry(RegisterEntry("meal", "晚餐", 10**13, TODAY), fine, TODAY)
    assert validate_entry(RegisterEntry("meal", "", 100, TODAY), fine, TODAY)
    past = RegisterEntry("holiday", "月饼", 100, TODAY - dt.timedelta(days=1), status="planned")
    assert any("planned" in p for p in validate_entry(past, fine, TODAY))


def test_everyday_dates_have_no_pattern_and_skip_weekends_and_holidays():
    dates = everyday_dates(dt.date(2027, 1, 1), dt.date(2027, 12, 31), 8, seed=3)
    assert len(dates) == 8 and dates == sorted(dates)
    assert all(is_workday(d) for d in dates)
    assert all(a.weekday() != b.weekday() for a, b in zip(dates, dates[1:], strict=False))
    gaps = {(b - a).days for a, b in zip(dates, dates[1:], strict=False)}
    assert len(gaps) > 3  # not a fixed rhythm
    assert everyday_dates(TODAY, TODAY, 3, 1) == [] and everyday_dates(TODAY, TODAY + dt.timedelta(days=60), 0, 1) == []


def test_festival_dates_order_and_deliver_ahead():
    dates = festival_dates("spring_festival", dt.date(2027, 2, 6))
    assert (dates.order_by, dates.deliver_by) == (dt.date(2027, 1, 16), dt.date(2027, 1, 30))


def test_the_meal_guide_counts_dishes_as_the_practice_says():
    assert meal_guide(2).dishes == 3 and meal_guide(2, fine_restaurant=True).dishes == 4
    six = meal_guide(6)
    assert six.dishes == 7 and six.spread and six.cold_starters == 2 and "categories" in six.advice
    assert not meal_guide(4).spread and meal_guide(0).dishes == 0


def test_visits_in_the_past_and_high_spend_without_a_relationship():
    now = dt.datetime(2026, 11, 23, 12, 0)
    past = Visit(dt.datetime(2026, 11, 20, 9, 0), account_id=1)
    assert any("past" in p for p in validate_visit(past, now))
    assert validate_visit(Visit(dt.datetime(2026, 11, 20, 9, 0), account_id=1, status="done"), now) == []
    assert validate_visit(Visit(dt.datetime(2026, 12, 1, 9, 0), headcount=-1), now)
    trip = Visit(dt.datetime(2026, 12, 1, 9, 0), "trip", account_id=1, account_class="C")
    assert high_spend_warning(trip, "good_brother", "owner")
    trip.account_class = "A"
    assert high_spend_warning(trip, "acquainted", "owner") and not high_spend_warning(trip, "good_brother", "owner")


def test_entertainment_needs_a_senior_person_and_a_trip_goes_a_step_further():
    """Seed 000: KTV or a bar with the senior or key people of a valuable account once the relationship is close; a
    trip is for the people above them and a relationship one step closer still."""
    day = dt.datetime(2026, 12, 1, 19, 0)
    ktv = Visit(day, "entertainment", account_id=1, account_class="A")
    assert not high_spend_warning(ktv, "good_friend", "manager")  # the purchasing director, a good friend
    assert high_spend_warning(ktv, "good_friend", "clerk")  # not with the assistant
    assert not high_spend_warning(ktv, "good_friend", "staff", "decision_maker")  # the engineer who decides
    assert high_spend_warning(ktv, "ordinary_friend", "owner")  # not before the relationship is close
    trip = Visit(day, "trip", account_id=1, account_class="A")
    assert high_spend_warning(trip, "good_friend", "manager")  # enough for KTV, not for a trip
    assert high_spend_warning(trip, "good_brother", "manager")  # a director: below the trip's level
    assert high_spend_warning(trip, "good_friend", "owner")  # the owner, but not close enough yet
    assert not high_spend_warning(trip, "ordinary_brother", "owner")
    assert "trip" in high_spend_warning(trip, "good_friend", "owner").lower()


def test_a_register_entry_may_be_declined_or_returned_but_not_any_status():
    fine = check_policy(GiftPolicy(), 0, 0)
    for status in ("done", "planned", "declined", "returned"):
        assert validate_entry(RegisterEntry("holiday", "月饼", 100, TODAY, status=status), fine, TODAY) == []
    assert validate_entry(RegisterEntry("holiday", "月饼", 100, TODAY, status="lost"), fine, TODAY)
