"""Plain domain objects handed from storage to services and the UI (never ORM rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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


@dataclass(frozen=True)
class DatabaseSummary:
    """Counts shown on the dashboard and checked by tests."""

    accounts: int
    contacts: int
    team_members: int
    activities: int
    gifts: int
    accounts_by_class: dict[str, int]
