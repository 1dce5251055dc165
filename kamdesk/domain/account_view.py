"""What the account workspace shows of one account, and one line of the plans list: plain data, no rules of storage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.followups import AgendaItem
from kamdesk.domain.org_map import MapAnalysis, OrgMapData
from kamdesk.domain.plans import ActionStep, Objective
from kamdesk.domain.strategy import StrategyAdvice

#: The kinds of thing the account's timeline holds, for its filter.
TIMELINE_ACTIVITY = "activity"
TIMELINE_GIFT = "gift"
TIMELINE_VISIT = "visit"


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened (or is planned) with the account: an activity, a gift or a visit."""

    on: dt.date
    category: str  # TIMELINE_ACTIVITY, TIMELINE_GIFT or TIMELINE_VISIT
    kind: str  # the activity's, gift's or visit's own kind code
    status: str  # done, planned (or cancelled)
    title: str
    contact_name: str = ""
    member_name: str = ""
    detail: str = ""
    record_id: int = 0


@dataclass(frozen=True)
class ContactStanding:
    """One of their people: where our relationship stands against the stage the team aims for."""

    id: int
    name: str
    title: str
    rank: str  # RankTier value or ""
    buying_role: str  # BuyingRole value or ""
    stage: str  # RelationshipStage value
    target: str | None  # RelationshipStage value, None when the person has no target
    gap: int | None  # stages short of target (positive), None without a target


@dataclass(frozen=True)
class ClassReason:
    """Why the account has its class: its value and rank among the ranked accounts, or a pin and its reason."""

    account_class: AccountClass | None
    value_cents: int | None
    rank: int | None  # 1 = the most valuable account
    ranked: int  # how many accounts are ranked
    pinned: bool
    pin_reason: str = ""
    pinned_by: str = ""


@dataclass
class AccountView:
    """Everything the account workspace shows, read in one go."""

    account_id: int
    name: str
    city: str
    industry: str
    sales_stage: str | None
    class_reason: ClassReason
    values: list[tuple[str, int]]  # (period, revenue cents), oldest first
    strategy: StrategyAdvice
    owner_name: str
    team: list[tuple[str, str]]  # (member name, TeamRole value)
    contacts: list[ContactStanding]
    org_map: tuple[OrgMapData, MapAnalysis] | None
    plan_id: int | None
    plan_period: str
    objectives: list[Objective]
    open_actions: list[ActionStep]
    timeline: list[TimelineEntry]
    open_followups: list[AgendaItem]
    today: dt.date
    currency: str = "CNY"
    notes: str = ""
    queries: int = 0  # how many statements the read took (for the record; measured by the service)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def next_followup(self) -> AgendaItem | None:
        return self.open_followups[0] if self.open_followups else None


@dataclass(frozen=True)
class PlanListRow:
    """One plan in the plans list."""

    plan_id: int
    account_id: int
    account_name: str
    period: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    owner_id: int | None
    owner_name: str
    status: str  # "current", "upcoming", "ended" or "undated"
    open_actions: int
    overdue_actions: int
    updated_at: dt.datetime | None
    updated_by: str
    sponsor_reviewed: bool


def plan_status(starts_on: dt.date | None, ends_on: dt.date | None, today: dt.date) -> str:
    """Where a plan's period stands today: running, still to come, or over (undated: a free-text period)."""
    if starts_on is None or ends_on is None:
        return "undated"
    if today < starts_on:
        return "upcoming"
    if today > ends_on:
        return "ended"
    return "current"
