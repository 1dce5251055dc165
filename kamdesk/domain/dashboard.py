"""What the dashboard shows: the Pareto curve of value, the effort pyramid, counts and class moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kamdesk.domain.cost_to_serve import CostToServe
from kamdesk.domain.enums import AccountClass
from kamdesk.domain.strategy import TIERS
from kamdesk.i18n import N_, _

#: The share of value each class typically holds (domain.md §2), in percent.
TYPICAL_CLASS_SHARES: dict[str, float] = {"A": 60.0, "B": 25.0, "C": 10.0, "D": 5.0}

#: The customer pyramid (domain.md §2, seed 003): share of accounts and of selling time per tier, in percent.
#: Which account sits in which tier is decided once, by kamdesk.domain.strategy.pyramid_tier.
PYRAMID_GROUPS: tuple[str, ...] = TIERS
PYRAMID_GUIDE_ACCOUNTS: dict[str, float] = {"key": 10.0, "ordinary": 30.0, "prospect": 60.0}
PYRAMID_GUIDE_TIME: dict[str, float] = {"key": 60.0, "ordinary": 30.0, "prospect": 10.0}
_GROUP_LABELS = {"key": N_("Key accounts"), "ordinary": N_("Ordinary accounts"), "prospect": N_("Prospects")}


def group_label(group: str) -> str:
    return _(_GROUP_LABELS[group])


@dataclass(frozen=True)
class ParetoPoint:
    """One ranked account: its value and the class it was computed into."""

    account_id: int
    name: str
    value_cents: int
    account_class: AccountClass


@dataclass(frozen=True)
class ParetoData:
    """Ranked accounts, largest value first, and the share of total value each class holds."""

    points: tuple[ParetoPoint, ...]
    currency: str = "CNY"

    @property
    def total_cents(self) -> int:
        return sum(max(p.value_cents, 0) for p in self.points)

    def cumulative_shares(self) -> list[float]:
        """Running share of total value after each point, in percent (0–100)."""
        total = self.total_cents
        running = 0
        shares = []
        for point in self.points:
            running += max(point.value_cents, 0)
            shares.append(100.0 * running / total if total else 0.0)
        return shares

    def class_shares(self) -> dict[str, float]:
        """Share of total value held by each class, in percent (classes with no account hold 0)."""
        total = self.total_cents
        shares = {cls.value: 0.0 for cls in AccountClass}
        for point in self.points:
            shares[point.account_class.value] += max(point.value_cents, 0)
        return {k: (100.0 * v / total if total else 0.0) for k, v in shares.items()}

    def class_counts(self) -> dict[str, int]:
        counts = {cls.value: 0 for cls in AccountClass}
        for point in self.points:
            counts[point.account_class.value] += 1
        return counts


@dataclass(frozen=True)
class PyramidRow:
    group: str
    accounts: int
    minutes: int  # contact time logged
    planned_minutes: int = 0  # planned follow-ups and visits, at their durations or estimates

    @property
    def label(self) -> str:
        return group_label(self.group)


@dataclass(frozen=True)
class PyramidData:
    """Accounts, logged and planned contact time per pyramid tier, with the 10/30/60 and 60/30/10 guide.

    `owner_id` None is the whole team; otherwise the accounts that salesperson owns and the time they logged or
    planned themselves."""

    rows: tuple[PyramidRow, ...]
    since: dt.date | None = None  # contact time counted from this day on
    planned_until: dt.date | None = None  # planned time counted up to this day
    owner_id: int | None = None
    owner_name: str = ""

    def _total(self, attr: str) -> int:
        return sum(getattr(r, attr) for r in self.rows)

    def _share(self, attr: str, group: str) -> float:
        total = self._total(attr)
        return 100.0 * sum(getattr(r, attr) for r in self.rows if r.group == group) / total if total else 0.0

    def account_share(self, group: str) -> float:
        return self._share("accounts", group)

    def time_share(self, group: str) -> float:
        return self._share("minutes", group)

    def planned_share(self, group: str) -> float:
        return self._share("planned_minutes", group)


@dataclass(frozen=True)
class AccountTier:
    """One account's place on the pyramid and its owner."""

    account_id: int
    tier: str
    owner_id: int | None


@dataclass(frozen=True)
class TimeSpent:
    """Minutes one of our people logged or planned on one account."""

    account_id: int
    member_id: int | None
    logged: int = 0
    planned: int = 0


def build_pyramids(
    tiers: Sequence[AccountTier],
    time: Sequence[TimeSpent],
    names: Mapping[int, str],
    since: dt.date | None = None,
    planned_until: dt.date | None = None,
) -> dict[int | None, PyramidData]:
    """The team's pyramid (key None) and one per salesperson who owns an account or spent time on one.

    A salesperson's pyramid counts the accounts they own and the time they themselves logged or planned, split
    by the tier of the account the time went to."""
    tier_of = {t.account_id: t.tier for t in tiers}
    counts: dict[int | None, dict[str, list[int]]] = {}

    def cell(owner: int | None, tier: str) -> list[int]:
        return counts.setdefault(owner, {g: [0, 0, 0] for g in PYRAMID_GROUPS})[tier]

    for t in tiers:
        cell(None, t.tier)[0] += 1
        if t.owner_id is not None:
            cell(t.owner_id, t.tier)[0] += 1
    for spent in time:
        tier = tier_of.get(spent.account_id)
        if tier is None:
            continue
        for owner in (None, spent.member_id) if spent.member_id is not None else (None,):
            row = cell(owner, tier)
            row[1] += spent.logged
            row[2] += spent.planned
    cell(None, PYRAMID_GROUPS[0])  # the team's pyramid exists even with no account
    return {
        owner: PyramidData(
            tuple(PyramidRow(g, *by_group[g]) for g in PYRAMID_GROUPS),
            since,
            planned_until,
            owner,
            names.get(owner, "") if owner is not None else "",
        )
        for owner, by_group in counts.items()
    }


@dataclass(frozen=True)
class ClassMovement:
    """An account whose class changed: from `old` to `new` at `at`, by recompute or by a pin."""

    account_id: int
    name: str
    old: AccountClass | None
    new: AccountClass | None
    at: dt.datetime
    by: str
    reason: str


@dataclass(frozen=True)
class DashboardData:
    pareto: ParetoData
    pyramid: PyramidData
    by_class: Mapping[str, int] = field(default_factory=dict)  # "A".."D", "Z" for unclassed
    by_stage: Mapping[str, int] = field(default_factory=dict)  # SalesStage value (or "" for unset)
    by_cycle: Mapping[str, int] = field(default_factory=dict)  # CycleStage value (or "" for unset)
    movements: Sequence[ClassMovement] = ()
    movements_since: dt.date | None = None
    #: The pyramid per salesperson (owner id) beside the team's (key None).
    pyramids: Mapping[int | None, PyramidData] = field(default_factory=dict)
    #: Accounts by strategy group (StrategyGroup values).
    strategy_counts: Mapping[str, int] = field(default_factory=dict)
    #: The accounts costing most to serve relative to their revenue, and the marks they are graded by.
    costliest: Sequence[CostToServe] = ()
    cost_marks: tuple[int, int] = (3, 8)
    #: How the key tier is chosen, in words (shown under the pyramid).
    key_rule: str = ""
