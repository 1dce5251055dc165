"""Contact rhythm (domain.md §11): regular business contact, and care greetings kept irregular on purpose."""

from __future__ import annotations

import datetime as dt
import random

from kamdesk.domain.chinese_calendar import is_workday
from kamdesk.domain.enums import AccountClass, RankTier
from kamdesk.domain.followups import CadenceRule
from kamdesk.i18n import _

#: Defaults by class. The better the account, the closer the contact: class A is seen every two
#: weeks and greeted every three to six weeks; class D gets business contact only, as §2 advises
#: spending little on accounts being dropped.
DEFAULT_RULES: tuple[CadenceRule, ...] = (
    CadenceRule("A", None, 14, 20, 45),
    CadenceRule("B", None, 30, 30, 60),
    CadenceRule("C", None, 60, 60, 120),
    CadenceRule("D", None, 90, None, None),
)


def validate_rule(rule: CadenceRule) -> dict[str, str]:
    """Every problem with a rule, keyed by field; empty when it is fine."""
    problems: dict[str, str] = {}
    if rule.account_class not in {c.value for c in AccountClass}:
        problems["account_class"] = _("A rule needs a class from A to D.")
    if rule.rank_tier is not None and rule.rank_tier not in {r.value for r in RankTier}:
        problems["rank_tier"] = _("Unknown rank {rank}.").format(rank=rule.rank_tier)
    for key, value in (
        ("business_days", rule.business_days),
        ("care_min_days", rule.care_min_days),
        ("care_max_days", rule.care_max_days),
    ):
        if value is not None and not 1 <= value <= 366:
            problems[key] = _("Days must be between 1 and 366.")
    low, high = rule.care_min_days, rule.care_max_days
    if (low is None) != (high is None):
        problems["care_max_days"] = _("Give both ends of the care window, or neither.")
    elif low is not None and high is not None and low > high:
        problems["care_min_days"] = _(
            "Class {cls}: the care window starts at {low} days, after it ends at {high}."
        ).format(cls=rule.account_class, low=low, high=high)
    return problems


def rule_for(
    rules: list[CadenceRule] | tuple[CadenceRule, ...], account_class: str | None, rank_tier: str | None
) -> CadenceRule | None:
    """The most specific rule for a person: class and rank beats class alone; no class, no rule."""
    if account_class is None:
        return None
    general = None
    for rule in rules:
        if rule.account_class != account_class:
            continue
        if rule.rank_tier is not None and rule.rank_tier == rank_tier:
            return rule
        if rule.rank_tier is None:
            general = rule
    return general


def next_workday(day: dt.date) -> dt.date:
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def next_business_contact(last_touch: dt.date | None, rule: CadenceRule, today: dt.date) -> dt.date | None:
    """When regular contact is next due: the interval after the last touch, never before `today`."""
    if not rule.business_days:
        return None
    due = today if last_touch is None else max(today, last_touch + dt.timedelta(days=rule.business_days))
    return next_workday(due)


def next_care_greeting(
    last_touch: dt.date | None,
    rule: CadenceRule,
    today: dt.date,
    rng: random.Random,
    previous_weekday: int | None = None,
) -> dt.date | None:
    """A day at random in the care window after the last touch: a workday, never the weekday of the
    previous greeting, so no rhythm shows. A window already past moves up to start today."""
    low, high = rule.care_min_days, rule.care_max_days
    if low is None or high is None:
        return None
    start = (last_touch or today) + dt.timedelta(days=low)
    end = (last_touch or today) + dt.timedelta(days=high)
    if end < today:
        start, end = today, today + dt.timedelta(days=high - low)
    start = max(start, today)
    candidates = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    fitting = [d for d in candidates if is_workday(d) and d.weekday() != previous_weekday]
    if not fitting:  # a narrow window full of holidays: take the first workday after it
        day = next_workday(end + dt.timedelta(days=1))
        return day if day.weekday() != previous_weekday else next_workday(day + dt.timedelta(days=1))
    return rng.choice(fitting)


def plan_care_dates(
    last_touch: dt.date | None, rule: CadenceRule, start: dt.date, end: dt.date, rng: random.Random
) -> list[dt.date]:
    """The care greetings in [start, end], each restarting from the one before as a real touch would."""
    dates: list[dt.date] = []
    touch, weekday = last_touch, None
    while True:
        day = next_care_greeting(touch, rule, start if not dates else dates[-1] + dt.timedelta(days=1), rng, weekday)
        if day is None or day > end:
            return dates
        dates.append(day)
        touch, weekday = day, day.weekday()
