"""Plan rules without a database: SMART completeness, overdue steps, revenue totals, copy-forward, checks."""

from __future__ import annotations

import datetime as dt

from kamdesk.domain.plans import (
    AccountPlan,
    ActionStep,
    Competitor,
    IntelNote,
    Objective,
    RevenueLine,
    copy_forward,
    is_overdue,
    next_period,
    period_dates,
    revenue_totals,
    smart_missing,
    validate,
    validate_review,
)

TODAY = dt.date(2026, 11, 23)


def test_smart_names_each_missing_part_and_nothing_once_complete():
    bare = Objective("more")
    missing = smart_missing(bare)
    assert [m.split(":")[0] for m in missing] == ["specific", "measurable", "measurable", "achievable", "timely"]
    done = Objective("进入第二条产品线的供应商名单", "供应商名单", "通过审核", dt.date(2027, 6, 30), 3)
    assert smart_missing(done) == []


def test_overdue_is_an_unfinished_step_past_its_deadline():
    assert is_overdue(ActionStep("a", deadline=TODAY - dt.timedelta(days=1)), TODAY)
    assert not is_overdue(ActionStep("a", deadline=TODAY), TODAY)
    assert not is_overdue(ActionStep("a", deadline=TODAY - dt.timedelta(days=9), status="done"), TODAY)
    assert not is_overdue(ActionStep("a"), TODAY)


def test_revenue_totals_and_variance_leave_periods_without_actuals_out():
    lines = [
        RevenueLine("Q1", 100_00, 120_00, 20.0, 24_00),
        RevenueLine("Q2", 100_00, 70_00, 20.0, 14_00),
        RevenueLine("Q3", 100_00, None),
    ]
    totals = revenue_totals(lines)
    assert (totals.target_cents, totals.actual_cents, totals.profit_cents) == (300_00, 190_00, 38_00)
    assert totals.variance_cents == -10_00 and totals.variance_pct == -5.0
    assert totals.margin_pct == 20.0
    assert revenue_totals([]).variance_pct is None


def test_periods_and_the_next_one():
    assert period_dates("FY2027") == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert period_dates("2027-H2") == (dt.date(2027, 7, 1), dt.date(2027, 12, 31))
    assert period_dates("2027-q4") == (dt.date(2027, 10, 1), dt.date(2027, 12, 31))
    assert period_dates("明年") is None
    assert [next_period(p) for p in ("FY2026", "2026-Q4", "2026-H1", "明年")] == [
        "FY2027",
        "2027-Q1",
        "2026-H2",
        "明年",
    ]


def test_copy_forward_keeps_the_profiles_and_open_work_but_not_figures_or_sign_off():
    plan = AccountPlan(
        account_id=1,
        period="FY2026",
        summary="稳住份额",
        vision="首选伙伴",
        id=5,
        version=3,
        objectives=[Objective("目标一", id=11), Objective("目标二", id=12)],
        actions=[
            ActionStep("已完成", status="done", objective=0, id=21, done_by="王芳", done_on=TODAY),
            ActionStep("进行中", status="in_progress", objective=1, id=22, deadline=dt.date(2026, 12, 1)),
            ActionStep("明年的", deadline=dt.date(2027, 2, 1)),
        ],
        revenue=[RevenueLine("2026", 1, 1)],
        sponsor_reviewed_by="李总",
        sponsor_reviewed_on=TODAY,
    )
    new = copy_forward(plan, "FY2027")
    assert (new.id, new.version, new.period, new.starts_on) == (None, 0, "FY2027", dt.date(2027, 1, 1))
    assert new.summary == "稳住份额" and new.vision == "首选伙伴"
    assert [a.task for a in new.actions] == ["进行中", "明年的"] and new.actions[0].objective == 1
    assert [a.deadline for a in new.actions] == [None, dt.date(2027, 2, 1)]  # a lapsed deadline needs a new date
    assert all(o.id is None for o in new.objectives) and all(a.id is None for a in new.actions)
    assert new.revenue == [] and new.sponsor_reviewed_on is None
    assert plan.actions[0].id == 21  # the old plan is untouched


def test_validation_names_rows_deadlines_before_the_start_and_people_who_left():
    plan = AccountPlan(
        account_id=1,
        period="FY2027",
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        objectives=[Objective("目标", owner_id=9, owner_name="离职者")],
        actions=[
            ActionStep("早了", deadline=dt.date(2026, 12, 1), owner_id=1),
            ActionStep("", owner_id=1, progress=120, objective=4),
        ],
    )
    problems = validate(plan, {1})
    text = "\n".join(problems)
    assert "Objective 1: 离职者 has left the team" in text
    assert "Action 1: the deadline 2026-12-01 is before the plan starts (2027-01-01)" in text
    assert "Action 2 has no task" in text and "Action 2: progress" in text and "Action 2 points at an objective" in text
    assert validate(AccountPlan(account_id=1, period="FY2027", summary="x" * 20_001), set())  # a pasted file
    assert validate(AccountPlan(account_id=1, period="FY2027"), set()) == []  # an empty plan is fine


def test_validation_checks_the_period_dates_scores_and_owners_in_the_order_of_the_form():
    plan = AccountPlan(
        account_id=1,
        period="F" * 41,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        objectives=[Objective(" ")],
        actions=[
            ActionStep("done by someone who left", owner_id=9, status="done"),
            ActionStep("open, owner left", owner_id=9, owner_name="离职者", status="someday"),
        ],
        intel=[IntelNote(5, "rumour")],
        competitors=[Competitor(name="友商", preference=6)],
        share_of_spend_pct=101,
    )
    assert validate(plan, {1}) == [
        "A period label has at most 40 characters.",
        "The plan ends before it starts.",
        "Objective 1 has no statement.",
        "Action 2: 离职者 has left the team; choose another owner.",
        "Action 2 has an unknown status.",
        "Intelligence note 1: the grade is 1, 2, 3 or 4.",
        "友商: the customer's preference is scored 1 to 5.",
        "Our share of their spend is a percentage from 0 to 100.",
    ]
    assert validate(AccountPlan(account_id=1, period="  "), set()) == ["Give the plan a period, such as FY2027."]


def test_a_review_scores_known_questions_from_one_to_five():
    assert validate_review({"doing": 4, "needs": 5}) == []
    assert validate_review({"doing": 6}) and validate_review({"bogus": 3}) and validate_review({})
