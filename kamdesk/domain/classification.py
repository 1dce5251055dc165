"""A/B/C/D classes by share of value (the 80/20 rule, domain.md §2): pure ranking rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.settings import DEFAULT_CLASS_THRESHOLDS


@dataclass(frozen=True)
class ClassResult:
    account_id: int
    rank: int | None  # 1-based position by value; tied accounts share the best position
    computed: AccountClass | None  # None: no value recorded yet, so not ranked
    reason: str  # a short machine-readable note: "ranked", "tie", "no_value"


def class_for_share(share_before_pct: float, thresholds: Mapping[str, int] = DEFAULT_CLASS_THRESHOLDS) -> AccountClass:
    """The class of an account with `share_before_pct` percent of ranked accounts above it."""
    for cls in AccountClass:
        if share_before_pct < thresholds[cls.value]:
            return cls
    return AccountClass.D


def classify(
    values: Sequence[tuple[int, int | None]], thresholds: Mapping[str, int] = DEFAULT_CLASS_THRESHOLDS
) -> dict[int, ClassResult]:
    """Class each (account id, value) pair by its rank among accounts that have a value.

    The position of an account is the share of ranked accounts ahead of it, so one account alone
    is A and five accounts split 1/1/2/1. Tied values share the class of the first of them: a
    tie never splits equal accounts across classes. Accounts without a value stay unclassed.
    """
    with_value: list[tuple[int, int]] = [(v, i) for i, v in values if v is not None]
    ranked = sorted(with_value, key=lambda p: (-p[0], p[1]))
    total = len(ranked)
    results: dict[int, ClassResult] = {}
    previous_value: int | None = None
    group_rank = 0
    group_class = AccountClass.A
    for position, (value, account_id) in enumerate(ranked):
        tie = value == previous_value
        if not tie:
            group_rank = position + 1
            group_class = class_for_share(position * 100 / total, thresholds)
        results[account_id] = ClassResult(account_id, group_rank, group_class, "tie" if tie else "ranked")
        previous_value = value
    for account_id, maybe_value in values:
        if maybe_value is None:
            results[account_id] = ClassResult(account_id, None, None, "no_value")
    return results


def effective_class(computed: AccountClass | None, pinned: AccountClass | None) -> AccountClass | None:
    """The class the team works with: a manager's pin wins over the computed class."""
    return pinned or computed
