"""Account rules beside classing: value periods, the value measure, strategy groups, approaches."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kamdesk.domain.enums import (
    AccountClass,
    Attractiveness,
    PersonalityType,
    RelationshipState,
    SalesStage,
)
from kamdesk.i18n import N_, _

_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


class AccountRuleError(ValueError):
    """Input an account cannot take; the message names the field's problem for a person."""


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
        end = (dt.date(year + (end_month == 12), end_month % 12 + 1, 1) - dt.timedelta(days=1))
        key = f"{year}-Q{quarter}"
    else:
        start, end, key = dt.date(year, 1, 1), dt.date(year, 12, 31), str(year)
    if start > (today or dt.date.today()):
        raise AccountRuleError(_("The period {period} has not started yet; values are recorded for past or current periods.").format(period=key))
    return Period(key, start, end)


@dataclass(frozen=True)
class PeriodValue:
    period: Period
    revenue_cents: int
    profit_cents: int | None


def measured_value(values: list[PeriodValue], measure: str, window: str, potential_cents: int | None,
                   today: dt.date) -> int | None:
    """The value an account is ranked by: revenue or profit, of the latest period, the last 12 months,
    or its potential. Quarters inside the window are summed; a year counts pro rata to its overlap."""
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
    covered: set[tuple[dt.date, dt.date]] = set()
    for v in quarters:
        if v.period.end >= window_start and v.period.start <= today:
            total += amount(v)
            covered.add((v.period.start, v.period.end))
    for v in years:
        overlap_start = max(v.period.start, window_start)
        overlap_end = min(v.period.end, today)
        if overlap_end < overlap_start:
            continue
        # Skip the part of a year that quarters of the same year already cover.
        quarter_days = sum((min(e, overlap_end) - max(s, overlap_start)).days + 1 for s, e in covered
                           if s.year == v.period.start.year and min(e, overlap_end) >= max(s, overlap_start))
        days = (overlap_end - overlap_start).days + 1 - quarter_days
        if days > 0:
            year_days = (v.period.end - v.period.start).days + 1
            # A year still running counts in full for the days it has had so far.
            elapsed = (min(v.period.end, today) - v.period.start).days + 1
            total += amount(v) * days / (elapsed if v.period.end > today else year_days)
    return round(total)


# Strategy groups (domain.md §2) ------------------------------------------------------------------
@dataclass(frozen=True)
class Strategy:
    group: str
    title: str
    advice: str


_STRATEGIES = {
    "key": (N_("Key account"), N_(
        "Widen the relationship beyond the buyer to their whole senior team, and work toward a partnership "
        "or an alliance with shared plans.")),
    "potential": (N_("High potential, not yet attractive"), N_(
        "Worth the pursuit: invest selectively, learn what would make the business attractive, and build "
        "the relationship ahead of the volume.")),
    "prospect": (N_("Prospect"), N_(
        "Aim for a first order: a small, safe trial that proves us, then follow it up quickly.")),
    "ordinary": (N_("Ordinary account"), N_(
        "Stand out from other suppliers, reach the people who really decide, and grow the account toward "
        "key-account status.")),
}


def strategy_for(account_class: AccountClass | None, attractiveness: Attractiveness | None,
                 potential_high: bool, relationship_state: RelationshipState | None,
                 sales_stage: SalesStage | None) -> Strategy:
    """Pick one of the four strategy groups from class, attractiveness, potential and relationship."""
    if sales_stage in (SalesStage.POTENTIAL, SalesStage.TRIAL) or account_class is None:
        group = "prospect"
    elif account_class in (AccountClass.A, AccountClass.B) and attractiveness is not Attractiveness.LOW:
        group = "key"
    elif potential_high and (attractiveness in (Attractiveness.LOW, Attractiveness.MEDIUM, None)):
        group = "potential"
    else:
        group = "ordinary"
    title, advice = _STRATEGIES[group]
    text = _(advice)
    if relationship_state in (RelationshipState.DECLINING, RelationshipState.DEFENDING):
        text += " " + _("The relationship is under pressure: find out why before pressing for more business.")
    return Strategy(group, _(title), text)


# Personality approaches (domain.md §8), in our own words -----------------------------------------
_APPROACHES: dict[PersonalityType, str] = {
    PersonalityType.RATIONAL: N_(
        "Bring facts and comparisons; be open about where we are weaker; skip flattery and never use gifts "
        "as leverage; deliver exactly what was promised."),
    PersonalityType.TASK_DRIVEN: N_(
        "They carry out a task from above: make it easy for them, do the analysis for them, commit firmly, "
        "make the first meeting count and follow up without being asked."),
    PersonalityType.DEMANDING: N_(
        "Be discreet and give them a sense of safety, but hold firm limits on price and terms; keep every "
        "courtesy on the record and within our policy."),
    PersonalityType.OWNER_MINDED: N_(
        "Lead with a clear price, then show quality and service; visit and call back often."),
    PersonalityType.CREDIT_SEEKING: N_(
        "Help them shine in front of their bosses and protect their standing; keep light, regular contact "
        "and holiday greetings — they may be a key contact tomorrow."),
    PersonalityType.STINGY: N_(
        "Keep the time spent in proportion, compete only where we are strong, and do not treat them as a "
        "key-account candidate."),
    PersonalityType.DIFFICULT: N_(
        "Get everything agreed and confirmed in writing before work starts; make no loose promises on "
        "dates."),
    PersonalityType.RELATIONSHIP: N_(
        "The friendship came first: keep favours and paid work clearly apart and settle money terms up "
        "front."),
    PersonalityType.COMPOSITE: N_(
        "Experienced and hard to read: watch, take your time and respond to the situation in front of you."),
}


def personality_approach(personality: PersonalityType) -> str:
    return _(_APPROACHES[personality])
