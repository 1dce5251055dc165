"""Account rules beside classing: value periods, the value measure, approaches by customer type (the strategy
groups live in kamdesk.domain.strategy)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kamdesk.domain import clock
from kamdesk.domain.enums import (
    AccountClass,
    PersonalityType,
)
from kamdesk.domain.models import AccountDetail, AccountValue
from kamdesk.i18n import N_, _

_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


class AccountRuleError(ValueError):
    """Input an account cannot take; the message names the field's problem for a person."""


class AccountValidationError(ValueError):
    """Every problem found in an account before saving, keyed by field ("name", "values", "pin_reason"…)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


NAME_MAX = 300
#: Money beyond this (a trillion yuan) is a typing slip, not an account.
MONEY_MAX_CENTS = 10**14
_MONEY_SCALE = {
    "万": Decimal(10_000),
    "萬": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "億": Decimal(100_000_000),
    "k": Decimal(1_000),
    "m": Decimal(1_000_000),
}


def parse_money(text: str, *, allow_negative: bool = False, allow_empty: bool = False) -> int | None:
    """Read an amount a person typed ("1,234.50", "１２万", "3.5m") as integer cents.

    Full-width digits, thousands separators and a 万/亿/k/m multiplier are accepted; anything else
    is refused with a message that says what is expected.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if not cleaned:
        if allow_empty:
            return None
        raise AccountRuleError(_("Enter an amount."))
    scale = Decimal(1)
    suffix = cleaned[-1].lower()
    if suffix in _MONEY_SCALE:
        scale, cleaned = _MONEY_SCALE[suffix], cleaned[:-1]
    try:
        amount = Decimal(cleaned) * scale
    except InvalidOperation:
        raise AccountRuleError(
            _("“{text}” is not an amount; type digits such as 125000 or 12.5万.").format(text=text.strip()[:40])
        ) from None
    if not amount.is_finite():
        raise AccountRuleError(
            _("“{text}” is not an amount; type digits such as 125000 or 12.5万.").format(text=text.strip()[:40])
        )
    if amount < 0 and not allow_negative:
        raise AccountRuleError(_("The amount cannot be negative."))
    cents = int((amount * 100).to_integral_value())
    if abs(cents) >= MONEY_MAX_CENTS:
        raise AccountRuleError(_("The amount is too large to be right; check the number of digits."))
    return cents


def parse_value_rows(rows: list[tuple[str, str, str]], today: dt.date) -> list[AccountValue]:
    """Turn the editor's (period, revenue, profit) texts into values, or raise with every problem.

    Revenue cannot be negative; profit may be (a loss) but not above revenue; a period appears once.
    """
    problems: list[str] = []
    values: list[AccountValue] = []
    seen: set[str] = set()
    for number, (period_text, revenue_text, profit_text) in enumerate(rows, start=1):
        if not (period_text.strip() or revenue_text.strip() or profit_text.strip()):
            continue  # an empty row the person added and left
        try:
            period = parse_period(period_text, today)
            if period.key in seen:
                raise AccountRuleError(_("{period} appears twice.").format(period=period.key))
            seen.add(period.key)
            revenue = parse_money(revenue_text)
            profit = parse_money(profit_text, allow_negative=True, allow_empty=True)
            assert revenue is not None
            if profit is not None and profit > revenue:
                raise AccountRuleError(_("Profit cannot be larger than revenue."))
        except AccountRuleError as exc:
            problems.append(_("Row {number}: {problem}").format(number=number, problem=str(exc)))
            continue
        values.append(AccountValue(period.key, revenue, profit))
    if problems:
        raise AccountValidationError({"values": "\n".join(problems)})
    return sorted(values, key=lambda v: v.period)


def validate_account(detail: AccountDetail) -> None:
    """Check an account before it is saved; raise AccountValidationError naming every bad field."""
    errors: dict[str, str] = {}
    name = detail.name.strip()
    if not name:
        errors["name"] = _("An account needs a name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("The name is longer than {limit} characters.").format(limit=NAME_MAX)
    elif any(unicodedata.category(ch) == "Cc" for ch in name):
        errors["name"] = _("The name contains control characters; retype it.")
    if detail.potential_cents is not None and detail.potential_cents < 0:
        errors["potential"] = _("Potential cannot be negative.")
    margin = detail.potential_margin_pct
    if margin is not None and not -100 <= margin <= 100:
        errors["potential_margin"] = _("A margin is a percentage between -100 and 100.")
    for field_name, text in (("city", detail.city), ("province", detail.province), ("industry", detail.industry)):
        if len(text) > 200:
            errors[field_name] = _("This field is longer than {limit} characters.").format(limit=200)
    if errors:
        raise AccountValidationError(errors)


def validate_pin(pinned: AccountClass | None, reason: str) -> None:
    """A class set by hand must say why, so the team can judge it later."""
    if pinned is not None and not reason.strip():
        raise AccountValidationError({"pin_reason": _("Say why this class is set by hand.")})


@dataclass(frozen=True)
class Period:
    """A year ("2026") or a quarter ("2026-Q3") with its first and last day."""

    key: str
    start: dt.date
    end: dt.date

    @property
    def is_quarter(self) -> bool:
        return "-Q" in self.key


def parse_period(text: str, today: dt.date | None = None) -> Period:
    """Parse a period key; a period that has not started yet is refused."""
    match = _PERIOD.match(text.strip().upper())
    if not match:
        raise AccountRuleError(_("A period is a year such as 2026 or a quarter such as 2026-Q3."))
    year = int(match.group(1))
    if not 1900 <= year <= 2200:
        raise AccountRuleError(_("The year {year} is out of range.").format(year=year))
    if match.group(2):
        quarter = int(match.group(2))
        start = dt.date(year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
        end = dt.date(year + (end_month == 12), end_month % 12 + 1, 1) - dt.timedelta(days=1)
        key = f"{year}-Q{quarter}"
    else:
        start, end, key = dt.date(year, 1, 1), dt.date(year, 12, 31), str(year)
    if start > (today or clock.today()):
        raise AccountRuleError(
            _("The period {period} has not started yet; values are recorded for past or current periods.").format(
                period=key
            )
        )
    return Period(key, start, end)


@dataclass(frozen=True)
class PeriodValue:
    period: Period
    revenue_cents: int
    profit_cents: int | None


def measured_value(
    values: list[PeriodValue], measure: str, window: str, potential_cents: int | None, today: dt.date
) -> int | None:
    """The value an account is ranked by: revenue or profit, of the latest period, the last 12 months,
    or its potential. In the 12-month window every year or quarter counts pro rata to its overlap."""
    if window == "potential":
        return potential_cents
    usable = [v for v in values if (v.revenue_cents if measure == "revenue" else v.profit_cents) is not None]
    if not usable:
        return None

    def amount(v: PeriodValue) -> int:
        return int(v.revenue_cents if measure == "revenue" else (v.profit_cents or 0))

    if window == "latest_period":
        latest = max(usable, key=lambda v: (v.period.end, v.period.is_quarter))
        return amount(latest)
    window_start = today - dt.timedelta(days=365)
    quarters = [v for v in usable if v.period.is_quarter]
    years = [v for v in usable if not v.period.is_quarter]
    total = 0.0
    for v in quarters:
        total += amount(v) * _window_fraction(v.period, window_start, today, ())
    for v in years:
        # Days of a year that its own quarters already cover are not counted twice.
        covered = [q.period for q in quarters if q.period.start.year == v.period.start.year]
        total += amount(v) * _window_fraction(v.period, window_start, today, covered)
    return round(total)


def _window_fraction(
    period: Period, window_start: dt.date, today: dt.date, covered: tuple[Period, ...] | list[Period]
) -> float:
    """The part of a period's amount that falls inside [window_start, today], pro rata by day.

    A period still running counts in full for the days it has had so far, so this year's
    booked-to-date revenue is not scaled down.
    """
    start, end = max(period.start, window_start), min(period.end, today)
    if end < start:
        return 0.0
    days = (end - start).days + 1
    for other in covered:
        overlap = (min(other.end, end) - max(other.start, start)).days + 1
        days -= max(0, overlap)
    if days <= 0:
        return 0.0
    length = (min(period.end, today) - period.start).days + 1
    return days / length


# Personality approaches (domain.md §8), in our own words -----------------------------------------
_APPROACHES: dict[PersonalityType, str] = {
    PersonalityType.RATIONAL: N_(
        "Bring facts and comparisons; be open about where we are weaker; skip flattery and never use gifts "
        "as leverage; deliver exactly what was promised."
    ),
    PersonalityType.TASK_DRIVEN: N_(
        "They carry out a task from above: make it easy for them, do the analysis for them, commit firmly, "
        "make the first meeting count and follow up without being asked."
    ),
    PersonalityType.DEMANDING: N_(
        "Be discreet and give them a sense of safety, but hold firm limits on price and terms; keep every "
        "courtesy on the record and within our policy."
    ),
    PersonalityType.OWNER_MINDED: N_(
        "Lead with a clear price, then show quality and service; visit and call back often."
    ),
    PersonalityType.CREDIT_SEEKING: N_(
        "Help them shine in front of their bosses and protect their standing; keep light, regular contact "
        "and holiday greetings — they may be a key contact tomorrow."
    ),
    PersonalityType.STINGY: N_(
        "Keep the time spent in proportion, compete only where we are strong, and do not treat them as a "
        "key-account candidate."
    ),
    PersonalityType.DIFFICULT: N_(
        "Get everything agreed and confirmed in writing before work starts; make no loose promises on dates."
    ),
    PersonalityType.RELATIONSHIP: N_(
        "The friendship came first: keep favours and paid work clearly apart and settle money terms up front."
    ),
    PersonalityType.COMPOSITE: N_(
        "Experienced and hard to read: watch, take your time and respond to the situation in front of you."
    ),
}


def personality_approach(personality: PersonalityType) -> str:
    return _(_APPROACHES[personality])
