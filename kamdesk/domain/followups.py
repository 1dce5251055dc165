"""The follow-up planner's vocabulary (domain.md §11): agenda items, why they exist, cadence rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kamdesk.i18n import N_, _

#: Why an agenda item exists; shown beside it so a person knows what put it there.
REASONS: dict[str, str] = {
    "manual": N_("Planned by hand"),
    "cadence": N_("Regular contact rule"),
    "care": N_("Care greeting (irregular rhythm)"),
    "festival": N_("Festival greeting"),
    "birthday": N_("Birthday"),
    "anniversary": N_("Anniversary"),
    "reply_owed": N_("Reply owed"),
    "email_follow_up": N_("Follow-up call after an important email"),
    "call_back": N_("Call back"),
    "plan_action": N_("Account plan action"),
    "outreach": N_("Outreach after a regional event"),
    "gift": N_("Gift to deliver"),
    "visit": N_("Planned visit"),
}


def reason_label(reason: str) -> str:
    return _(REASONS.get(reason, reason))


@dataclass(frozen=True)
class AgendaItem:
    """One planned (or done) activity as the agenda and the calendar export see it."""

    id: int
    kind: str  # ActivityKind value
    status: str  # ActivityStatus value
    due_on: dt.date | None
    subject: str
    reason: str = "manual"  # a key of REASONS
    reason_detail: str = ""  # e.g. the festival's name, or "every 30 days for class A"
    contact_id: int | None = None
    contact_name: str = ""
    account_id: int | None = None
    account_name: str = ""
    member_id: int | None = None
    member_name: str = ""
    notes: str = ""
    duration_minutes: int = 0
    start_time: dt.time | None = None  # local time of day, when one was set
    location: str = ""
    updated_at: dt.datetime | None = None  # UTC; the calendar export's last-modified stamp
    occurred_at: dt.datetime | None = None  # UTC; when a done item happened


@dataclass(frozen=True)
class CadenceRule:
    """How often the team touches people at accounts of one class (optionally one rank).

    Business contact every `business_days`; care greetings at an irregular interval between
    `care_min_days` and `care_max_days` after the last real touch with the person.
    """

    account_class: str
    rank_tier: str | None = None
    business_days: int | None = 30
    care_min_days: int | None = 45
    care_max_days: int | None = 90


@dataclass(frozen=True)
class FestivalGreeting:
    """A proposed greeting before a festival, tiered by the account's class (§11)."""

    festival: str  # key, e.g. "spring_festival"
    festival_name: str
    festival_date: dt.date
    contact_id: int
    contact_name: str
    account_name: str
    account_class: str | None
    tier: str  # "message", "personal", "premium"
    suggestion: str
    extra: dict[str, str] = field(default_factory=dict)
