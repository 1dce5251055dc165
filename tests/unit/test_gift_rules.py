"""Gift rules without a database: tiers, taboos and likes, policy limits, irregular dates, the meal guide."""

from __future__ import annotations

import datetime as dt

import pytest

from kamdesk.domain.chinese_calendar import is_workday
from kamdesk.domain.gifts import (
    DEFAULT_TIER_BUDGETS,
    DEFAULT_TIERS,
    CatalogueItem,
    GiftError,
    GiftPolicy,
    Recipient,
    RegisterEntry,
    Visit,
    budget_view,
    check_policy,
    choose_item,
    everyday_dates,
    festival_dates,
    high_spend_warning,
    meal_guide,
    plan_everyday,
    plan_festival,
    plan_special,
    tabooed,
    validate_entry,
    validate_visit,
)

TODAY = dt.date(2026, 11, 23)
ITEMS = [
    CatalogueItem("杏花楼月饼礼盒", "holiday", 188_00, id=1),
    CatalogueItem("西湖龙井", "holiday", 480_00, id=2),
    CatalogueItem("茅台酒", "holiday", 980_00, id=3),
    CatalogueItem("五常大米", "holiday", 298_00, id=4),
    CatalogueItem("新疆干果", "everyday", 98_00, id=5),
    CatalogueItem("紫砂壶", "special", 1600_00, "", "宜兴 茶具", id=6),
]


def _person(
    cid: int,
    cls: str | None,
    rank: str | None,
    likes: str = "",
    taboos: str = "",
    role: str | None = None,
    city: str = "上海",
) -> Recipient:
    return Recipient(cid, f"人{cid}", 1, "中国移动", cls, rank, 7, "王芳", city, "", likes, taboos, role)


def test_festival_tiers_follow_class_and_rank_and_spring_festival_is_narrower():
    people = [
        _person(1, "A", "owner"),
        _person(2, "A", "staff"),
        _person(3, "C", "staff"),
        _person(4, None, "owner"),
        _person(5, "B", "clerk"),
    ]
    autumn = plan_festival("mid_autumn", people, ITEMS, DEFAULT_TIERS["mid_autumn"], DEFAULT_TIER_BUDGETS)
    spring = plan_festival("spring_festival", people, ITEMS, DEFAULT_TIERS["spring_festival"], DEFAULT_TIER_BUDGETS)
    assert {p.recipient.contact_id: p.tier for p in autumn} == {1: 3, 2: 1}
    assert {p.recipient.contact_id: p.tier for p in spring} == {1: 3}
    premium = next(p for p in autumn if p.tier == 3)
    assert premium.item is not None and premium.item.item == "茅台酒" and premium.delivery.endswith("card")


def test_a_tabooed_item_is_never_proposed_and_the_warning_says_why():
    teetotal = _person(1, "A", "owner", taboos="不喝酒，不收茅台")
    item, warning = choose_item(ITEMS, 1000_00, teetotal)
    assert item is not None and item.item == "西湖龙井" and "茅台酒" in warning
    tea_lover = _person(2, "A", "owner", likes="爱喝龙井")
    item, _w = choose_item(ITEMS, 1000_00, tea_lover)
    assert item is not None and item.item == "西湖龙井"  # liked beats dearer
    assert tabooed("茅台酒", "不收茅台") and not tabooed("五常大米", "不喝酒")
    nothing, warning = choose_item(ITEMS, 100_00, _person(3, "A", "staff"))
    assert nothing is None and "budget" in warning


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
    staff = plan_everyday(
        [_person(1, "B", "staff"), _person(2, "B", "owner")],
        ITEMS,
        dt.date(2027, 1, 1),
        dt.date(2027, 12, 31),
        per_year=3,
        seed=1,
    )
    assert {p.recipient.contact_id for p in staff} == {1} and len(staff) == 3 and all(p.reason for p in staff)


def test_special_gifts_follow_recorded_tastes_of_senior_people():
    proposals = plan_special(
        [
            _person(1, "A", "owner", likes="喜欢喝茶，收藏宜兴紫砂"),
            _person(2, "A", "staff", likes="喝茶"),
            _person(3, "A", "owner"),
        ],
        ITEMS,
    )
    assert [(p.recipient.contact_id, p.item.item if p.item else None) for p in proposals] == [(1, "紫砂壶")]
    assert "宜兴" in proposals[0].reason


def test_budget_view_and_a_zero_budget():
    people = [_person(1, "A", "owner"), _person(2, "A", "manager")]
    proposals = plan_festival("mid_autumn", people, ITEMS, DEFAULT_TIERS["mid_autumn"], DEFAULT_TIER_BUDGETS)
    view = budget_view(proposals, 1000_00)
    assert view.total_cents == 980_00 + 480_00 and view.over and view.remaining_cents == -460_00
    with pytest.raises(GiftError):
        budget_view(proposals, 0)
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
    assert high_spend_warning(trip, "good_brother")
    trip.account_class = "A"
    assert high_spend_warning(trip, "acquainted") and not high_spend_warning(trip, "good_brother")
