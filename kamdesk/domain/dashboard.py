"""What the dashboard shows: the Pareto curve of value, the effort pyramid, counts and class moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kamdesk.domain.enums import AccountClass, SalesStage
from kamdesk.i18n import N_, _

#: The share of value each class typically holds (domain.md §2), in percent.
TYPICAL_CLASS_SHARES: dict[str, float] = {"A": 60.0, "B": 25.0, "C": 10.0, "D": 5.0}

#: The customer pyramid (domain.md §2): share of accounts and of selling time per group, in percent.
PYRAMID_GROUPS: tuple[str, ...] = ("key", "ordinary", "prospect")
PYRAMID_GUIDE_ACCOUNTS: dict[str, float] = {"key": 10.0, "ordinary": 30.0, "prospect": 60.0}
PYRAMID_GUIDE_TIME: dict[str, float] = {"key": 60.0, "ordinary": 30.0, "prospect": 10.0}
_GROUP_LABELS = {"key": N_("Key accounts"), "ordinary": N_("Ordinary accounts"), "prospect": N_("Prospects")}

#: Stages before an account pays: on the pyramid these are prospects whatever their class.
PROSPECT_STAGES = frozenset({SalesStage.POTENTIAL, SalesStage.TRIAL, SalesStage.INTENT})


def group_label(group: str) -> str:
    return _(_GROUP_LABELS[group])


def pyramid_group(account_class: AccountClass | None, sales_stage: SalesStage | None) -> str:
    """Key = class A; prospect = not yet paying (or never valued); ordinary = every other customer."""
    if account_class is None or sales_stage in PROSPECT_STAGES:
        return "prospect"
    if account_class is AccountClass.A:
        return "key"
    return "ordinary"


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
    minutes: int

    @property
    def label(self) -> str:
        return group_label(self.group)


@dataclass(frozen=True)
class PyramidData:
    """Accounts and logged contact time per pyramid group, with the 10/30/60 and 60/30/10 guide."""

    rows: tuple[PyramidRow, ...]
    since: dt.date | None = None  # contact time counted from this day on

    def _total(self, attr: str) -> int:
        return sum(getattr(r, attr) for r in self.rows)

    def account_share(self, group: str) -> float:
        total = self._total("accounts")
        return 100.0 * sum(r.accounts for r in self.rows if r.group == group) / total if total else 0.0

    def time_share(self, group: str) -> float:
        total = self._total("minutes")
        return 100.0 * sum(r.minutes for r in self.rows if r.group == group) / total if total else 0.0


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
