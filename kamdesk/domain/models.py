"""Plain domain objects handed from storage to services and the UI (never ORM rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kamdesk.domain.enums import AccountClass


@dataclass(frozen=True)
class AccountListItem:
    """One row of the account list."""

    id: int
    name: str
    computed_class: AccountClass | None
    pinned_class: AccountClass | None
    value_cents: int | None
    sales_stage: str | None
    relationship_type: str | None
    cycle_stage: str | None
    personality_type: str | None
    owner_name: str
    city: str
    last_contact_on: dt.date | None

    @property
    def effective_class(self) -> AccountClass | None:
        return self.pinned_class or self.computed_class


@dataclass(frozen=True)
class AccountQuery:
    """What the account list asks for: search text, filters and a sort, all applied in SQL."""

    search: str = ""
    account_class: AccountClass | None = None
    sort_key: str = "value"
    descending: bool = True
    sales_stage: str | None = None
    relationship_type: str | None = None
    cycle_stage: str | None = None
    owner_id: int | None = None
    city: str | None = None


@dataclass(frozen=True)
class AccountValue:
    """Revenue and profit of one period ("2026" or "2026-Q3"); profit may be unknown or a loss."""

    period: str
    revenue_cents: int
    profit_cents: int | None


@dataclass(frozen=True)
class TeamAssignment:
    """One of our people on an account's team, in a role (TeamRole value)."""

    member_id: int
    role: str
    member_name: str = ""


@dataclass(frozen=True)
class ClassHistoryEntry:
    old_class: AccountClass | None
    new_class: AccountClass | None
    at: dt.datetime
    by: str
    reason: str


@dataclass
class AccountDetail:
    """Everything the account editor shows and saves. `id` None: a new account; `version` guards saves."""

    id: int | None = None
    version: int = 0
    name: str = ""
    industry: str = ""
    city: str = ""
    province: str = ""
    notes: str = ""
    sales_stage: str | None = None
    relationship_type: str | None = None
    cycle_stage: str | None = None
    personality_type: str | None = None
    attractiveness: str | None = None
    relationship_state: str | None = None
    potential_cents: int | None = None
    potential_margin_pct: int | None = None
    owner_id: int | None = None
    values: list[AccountValue] = field(default_factory=list)
    team: list[TeamAssignment] = field(default_factory=list)
    # Read-only in the editor: worked out by classing, or set through pinning.
    value_cents: int | None = None
    computed_class: AccountClass | None = None
    pinned_class: AccountClass | None = None
    pin_reason: str = ""
    pinned_by: str = ""
    pinned_at: dt.datetime | None = None
    updated_by: str = ""
    updated_at: dt.datetime | None = None

    @property
    def effective_class(self) -> AccountClass | None:
        return self.pinned_class or self.computed_class


@dataclass(frozen=True)
class RecomputeResult:
    """What a recompute of classes did: how many accounts it ranked and which moved class."""

    ranked: int
    unranked: int
    moved: list[tuple[int, AccountClass | None, AccountClass | None]]  # (account id, old, new)
    values_changed: int


@dataclass(frozen=True)
class TeamMember:
    id: int
    name: str
    title: str
    department: str
    rank_tier: str | None
    role: str | None
    active: bool


@dataclass(frozen=True)
class PresenceEntry:
    session_id: str
    user_name: str
    host: str
    opened_at: dt.datetime
    heartbeat_at: dt.datetime
    #: Bumped by every heartbeat: what an observer watches (clocks on two machines may disagree).
    heartbeat_count: int = 0


@dataclass(frozen=True)
class DatabaseSummary:
    """Counts shown on the dashboard and checked by tests."""

    accounts: int
    contacts: int
    team_members: int
    activities: int
    gifts: int
    accounts_by_class: dict[str, int]
