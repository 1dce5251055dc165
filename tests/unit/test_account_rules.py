"""Account input rules: amounts, value periods, names, pins, strategy groups and the dashboard sums."""

from __future__ import annotations

import datetime as dt

import pytest

from kamdesk.domain.accounts import (
    AccountRuleError,
    AccountValidationError,
    PeriodValue,
    measured_value,
    parse_money,
    parse_period,
    parse_value_rows,
    personality_approach,
    validate_account,
    validate_pin,
)
from kamdesk.domain.dashboard import (
    AccountTier,
    ParetoData,
    ParetoPoint,
    PyramidData,
    PyramidRow,
    TimeSpent,
    build_pyramids,
)
from kamdesk.domain.enums import (
    AccountClass,
    PersonalityType,
)
from kamdesk.domain.models import AccountDetail, AccountValue
from kamdesk.i18n import set_language

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("125000", 12_500_000),
        ("1,234.56", 123_456),
        ("１２３４", 123_400),  # full-width digits from a Chinese input method
        ("12万", 12_000_000),
        ("1.5亿", 15_000_000_000),
        ("3萬", 3_000_000),  # traditional characters from a Taiwan or Hong Kong keyboard
        ("3.5m", 350_000_000),
        ("  80k ", 8_000_000),
        ("0", 0),
    ],
)
def test_amounts_people_type_are_read_as_cents(text: str, cents: int):
    assert parse_money(text) == cents


@pytest.mark.parametrize("text", ["abc", "12..5", "nan", "inf", "一百", "<b>5</b>", "💰100"])
def test_non_numbers_are_refused_with_a_message(text: str):
    with pytest.raises(AccountRuleError, match="not an amount"):
        parse_money(text)


def test_negative_and_absurd_amounts_are_refused():
    with pytest.raises(AccountRuleError, match="negative"):
        parse_money("-5")
    assert parse_money("-5", allow_negative=True) == -500
    for absurd in ("9" * 16, "1e400000"):
        with pytest.raises(AccountRuleError, match="too large"):
            parse_money(absurd)
    with pytest.raises(AccountRuleError, match="Enter an amount"):
        parse_money("  ")
    assert parse_money("", allow_empty=True) is None


def test_periods_are_years_or_quarters_and_never_in_the_future():
    assert parse_period("2026-q3", TODAY).start == dt.date(2026, 7, 1)
    assert parse_period("2026-Q4", TODAY).end == dt.date(2026, 12, 31)
    assert parse_period("2025", TODAY).end == dt.date(2025, 12, 31)
    with pytest.raises(AccountRuleError, match="has not started"):
        parse_period("2027", TODAY)
    with pytest.raises(AccountRuleError, match="year such as"):
        parse_period("2026-Q5", TODAY)
    with pytest.raises(AccountRuleError, match="out of range"):
        parse_period("1066", TODAY)


def test_value_rows_report_every_bad_row_and_keep_nothing():
    rows = [
        ("2025", "100万", "20万"),
        ("2026-Q9", "1", ""),
        ("2025", "5", ""),
        ("2024", "-3", ""),
        ("2023", "10", "11"),
        ("2030", "1", ""),
    ]
    with pytest.raises(AccountValidationError) as caught:
        parse_value_rows(rows, TODAY)
    message = caught.value.errors["values"]
    for number in (2, 3, 4, 5, 6):
        assert f"Row {number}:" in message
    assert "Row 1:" not in message
    assert "appears twice" in message and "negative" in message and "larger than revenue" in message


def test_value_rows_allow_a_loss_and_skip_blank_rows():
    values = parse_value_rows([("2026-Q1", "1,000", "-200"), ("", "", ""), ("2025", "5000", "")], TODAY)
    assert values == [AccountValue("2025", 500_000, None), AccountValue("2026-Q1", 100_000, -20_000)]


def test_trailing_twelve_months_sum_quarters_and_prorate_years():
    def pv(key: str, revenue: int) -> PeriodValue:
        return PeriodValue(parse_period(key, TODAY), revenue, revenue // 10)

    # The window is 2025-11-23 … 2026-11-23: 39 of the 92 days of 2025-Q4 fall inside it.
    quarters = [
        pv("2025-Q4", 9_200),
        pv("2026-Q1", 100),
        pv("2026-Q2", 100),
        pv("2026-Q3", 100),
        pv("2025-Q3", 999),
        pv("2026-Q4", 50),
    ]
    assert measured_value(quarters, "revenue", "trailing_12_months", None, TODAY) == 3_900 + 300 + 50
    assert measured_value(quarters, "profit", "trailing_12_months", None, TODAY) == 390 + 30 + 5
    # A finished year counts for the part of it inside the window: 39 of 365 days of 2025.
    assert measured_value([pv("2025", 36_500)], "revenue", "trailing_12_months", None, TODAY) == 3_900
    # A year whose quarters are also recorded counts only for the days its quarters leave out.
    assert measured_value([pv("2025", 36_500), pv("2025-Q4", 0)], "revenue", "trailing_12_months", None, TODAY) == 0
    assert measured_value([pv("2024", 5), pv("2025", 7)], "revenue", "latest_period", None, TODAY) == 7
    assert measured_value([], "revenue", "potential", 1234, TODAY) == 1234
    assert measured_value([], "revenue", "trailing_12_months", None, TODAY) is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 301, "Acme\x00Corp"])
def test_bad_names_are_refused_on_the_name_field(name: str):
    with pytest.raises(AccountValidationError) as caught:
        validate_account(AccountDetail(name=name))
    assert set(caught.value.errors) == {"name"}


@pytest.mark.parametrize("name", ["中国移动通信集团江苏有限公司", "Café <b>&amp;</b> 🚀", "x" * 300])
def test_odd_but_real_names_are_accepted(name: str):
    validate_account(AccountDetail(name=name))


def test_negative_potential_and_impossible_margin_are_refused():
    with pytest.raises(AccountValidationError) as caught:
        validate_account(AccountDetail(name="A", potential_cents=-1, potential_margin_pct=140))
    assert set(caught.value.errors) == {"potential", "potential_margin"}


def test_a_pin_needs_a_reason_but_unpinning_does_not():
    with pytest.raises(AccountValidationError) as caught:
        validate_pin(AccountClass.A, "  ")
    assert "pin_reason" in caught.value.errors
    validate_pin(AccountClass.A, "集团总部指定的战略伙伴")
    validate_pin(None, "")


def test_every_personality_has_an_approach_in_english_and_chinese():
    english = {p: personality_approach(p) for p in PersonalityType}
    try:
        set_language("zh_CN")
        chinese = {p: personality_approach(p) for p in PersonalityType}
    finally:
        set_language("en")
    for personality in PersonalityType:
        assert english[personality] and chinese[personality] != english[personality]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese[personality])


def test_pyramids_per_salesperson_count_their_accounts_and_their_own_time():
    # 刘洋 (1) owns the key account 1 and the ordinary account 2; 陈志强 (2) owns the prospect 3 but also
    # visits account 1 for 刘洋. The team's pyramid holds everything; each salesperson's holds the accounts
    # they own and the time they spent themselves, by the tier of the account the time went to.
    tiers = [AccountTier(1, "key", 1), AccountTier(2, "ordinary", 1), AccountTier(3, "prospect", 2)]
    time = [
        TimeSpent(1, 1, logged=600, planned=120),
        TimeSpent(2, 1, logged=300),
        TimeSpent(1, 2, logged=60, planned=90),
        TimeSpent(3, 2, logged=40, planned=30),
        TimeSpent(99, 2, logged=500),  # an account no longer there: not counted
    ]
    pyramids = build_pyramids(tiers, time, {1: "刘洋", 2: "陈志强"})
    team, liu, chen = pyramids[None], pyramids[1], pyramids[2]
    assert [(r.group, r.accounts, r.minutes, r.planned_minutes) for r in team.rows] == [
        ("key", 1, 660, 210),
        ("ordinary", 1, 300, 0),
        ("prospect", 1, 40, 30),
    ]
    assert [(r.accounts, r.minutes) for r in liu.rows] == [(1, 600), (1, 300), (0, 0)] and liu.owner_name == "刘洋"
    assert [(r.accounts, r.minutes, r.planned_minutes) for r in chen.rows] == [(0, 60, 90), (0, 0, 0), (1, 40, 30)]
    assert round(chen.planned_share("key")) == 75
    assert build_pyramids([], [], {})[None].account_share("key") == 0.0


def test_pareto_shares_and_pyramid_shares():
    points = tuple(
        ParetoPoint(i, f"#{i}", v, c)
        for i, (v, c) in enumerate(
            [(600, AccountClass.A), (250, AccountClass.B), (100, AccountClass.C), (50, AccountClass.D)]
        )
    )
    data = ParetoData(points)
    assert data.class_shares() == {"A": 60.0, "B": 25.0, "C": 10.0, "D": 5.0}
    assert data.cumulative_shares() == [60.0, 85.0, 95.0, 100.0]
    assert ParetoData(()).class_shares() == {"A": 0.0, "B": 0.0, "C": 0.0, "D": 0.0}
    pyramid = PyramidData((PyramidRow("key", 1, 600), PyramidRow("ordinary", 3, 300), PyramidRow("prospect", 6, 100)))
    assert (pyramid.account_share("key"), pyramid.time_share("key")) == (10.0, 60.0)
    assert PyramidData(()).time_share("key") == 0.0
