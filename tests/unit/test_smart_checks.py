"""SMART that checks: objectives as salespeople write them, in Chinese and English, judged letter by letter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kamdesk.domain.amounts import chinese_number, money_cents, quantities, wan
from kamdesk.domain.plans import (
    AccountPlan,
    Objective,
    RevenueLine,
    SmartContext,
    smart_findings,
    smart_summary,
)

DUE = dt.date(2026, 9, 30)


def _plan(revenue_wan: int = 533) -> AccountPlan:
    quarter = revenue_wan * 1_000_000 // 4  # cents: 1万 = 1,000,000 cents
    return AccountPlan(
        7,
        "FY2026",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        revenue=[RevenueLine(f"2026-Q{q}", quarter) for q in range(1, 5)],
    )


def letters(objective: Objective, plan: AccountPlan | SmartContext | None = None) -> dict[str, bool]:
    return {f.letter: f.ok for f in smart_findings(objective, plan)}


def reason(objective: Objective, letter: str, plan: AccountPlan | SmartContext | None = None) -> str:
    return next(f.reason for f in smart_findings(objective, plan) if f.letter == letter)


def test_a_vague_wish_felt_to_be_better_fails_specific_and_measurable() -> None:
    wish = Objective("提高客户满意度", "感觉", "更好", DUE, 3)
    assert letters(wish, _plan()) == {"S": False, "M": False, "A": True, "T": True}
    assert "提高客户满意度" in reason(wish, "S") and "name the product, project" in reason(wish, "S")
    assert "“感觉” is a feeling" in reason(wish, "M")
    better = Objective("提高客户满意度", "满意度", "更好", DUE, 3)
    assert "“更好” is not a figure" in reason(better, "M")
    summary = smart_summary(smart_findings(wish, _plan()))
    assert summary.startswith("S (specific): ") and "\nM (measurable): " in summary


def test_the_same_wish_with_a_survey_score_passes() -> None:
    survey = Objective("提高客户满意度", "年度满意度调查得分", "≥ 90 分", DUE, 3)
    assert all(letters(survey, _plan()).values())
    assert smart_summary(smart_findings(survey, _plan())) == "complete"


@pytest.mark.parametrize(
    ("statement", "measure", "target"),
    [
        ("新增 3 个项目的设备订单", "中标项目数", "3 个项目"),
        ("新增三个改造项目", "项目", "三个项目"),
        ("签下二期框架合同", "合同金额", "500万元"),
        ("进入第二条产品线的合格供应商名单", "供应商名单", "通过审核"),
        ("提升决策层关系至好朋友", "关系阶段", "好朋友"),
        ("份额提高到采购总额的 35%", "采购份额", "35%"),
        ("Win the framework contract for line 2", "contract", "signed"),
        ("Raise the Suzhou plant's on-time delivery score", "delivery score", "95 points"),
    ],
)
def test_figures_with_units_and_results_one_can_check_are_measurable(statement: str, measure: str, target: str) -> None:
    objective = Objective(statement, measure, target, DUE, 3)
    assert letters(objective, _plan(2_000))["M"], reason(objective, "M")
    assert letters(objective, _plan(2_000))["S"], reason(objective, "S")


def test_a_bare_number_needs_its_unit_somewhere() -> None:
    bare = Objective("扩大在新产线的采购", "采购", "40", DUE, 3)
    assert not letters(bare)["M"]
    assert "“40” has no unit" in reason(bare, "M")
    # The same number measured as a share is fine: the unit is in the measure.
    assert letters(Objective("扩大在新产线的采购", "采购份额", "40", DUE, 3))["M"]


def test_english_vague_objectives_fail_with_reasons() -> None:
    vague = Objective("Improve customer satisfaction", "feeling", "better", None, None)
    assert letters(vague) == {"S": False, "M": False, "A": False, "T": False}
    assert reason(vague, "A") == "Name the owner who will make it happen."
    assert reason(vague, "T") == "Give the due date."


def test_a_target_far_above_the_revenue_plan_is_flagged_with_both_figures() -> None:
    # The demo's objective: 签约金额 measured in 万元, target 1200, beside a revenue plan of 533万.
    big = Objective("年度销售额达到目标", "签约金额（万元）", "1200", dt.date(2026, 12, 28), 3)
    assert not letters(big, _plan(533))["A"]
    assert reason(big, "A", _plan(533)) == "1,200万 is 2.3 times the revenue plan of 533万 for FY2026."
    # In line with a plan of 1,100万: fine.
    assert letters(big, _plan(1_100))["A"]
    assert "in line with the revenue plan (1,100万)" in reason(big, "A", _plan(1_100))


def test_a_target_far_above_last_years_actual_revenue_is_flagged() -> None:
    context = SmartContext.of(_plan(1_100), 361_032_600, "2025")
    big = Objective("Grow sales at the Qingdao site", "revenue (CNY)", "RMB 12m", DUE, 3)
    assert reason(big, "A", context) == "1,200万 is more than twice last year's actual revenue of 361万 (2025)."
    fair = Objective("Grow sales at the Qingdao site", "revenue (CNY)", "RMB 6.5m", DUE, 3)
    assert letters(fair, context)["A"]


def test_the_due_date_must_fall_inside_the_plan_period() -> None:
    plan = _plan()
    late = Objective("提升决策层关系至好朋友", "关系阶段", "好朋友", dt.date(2027, 3, 28), 3)
    assert reason(late, "T", plan).startswith("Due 2027-03-28, after the plan ends (2026-12-31)")
    early = Objective("提升决策层关系至好朋友", "关系阶段", "好朋友", dt.date(2025, 12, 1), 3)
    assert reason(early, "T", plan) == "Due 2025-12-01, before the plan starts (2026-01-01)."
    assert letters(Objective("提升决策层关系至好朋友", "关系阶段", "好朋友", DUE, 3), plan)["T"]
    # A plan known only by its period label: FY2026 still means the calendar year.
    label_only = AccountPlan(7, "FY2026")
    assert not letters(late, label_only)["T"]


def test_chinese_numbers_units_and_amounts_are_read() -> None:
    assert chinese_number("三") == 3 and chinese_number("十二") == 12 and chinese_number("三千五百") == 3500
    assert chinese_number("两百") == 200 and chinese_number("万") is None
    assert money_cents("1,200万", "签约金额") == 1_200_000_000
    assert money_cents("1200", "签约金额（万元）") == 1_200_000_000
    assert money_cents("1.2亿元") == 12_000_000_000
    assert money_cents("五百万元") == 500_000_000
    assert money_cents("¥12,000,000") == 1_200_000_000
    assert money_cents("35%", "采购份额") is None and money_cents("3 个项目", "合同金额") is None
    # 十分 is "very", 进一步 "further": no numbers there.
    assert quantities("十分满意，进一步提高") == []
    assert [q.value for q in quantities("≥ 90 分")] == [Decimal(90)]
    assert wan(533_000_000) == "533万" and wan(12_000_000_000) == "1.2亿"
