"""Team settings and their defaults: class thresholds, value measure, target matrix, currency."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kamdesk.domain.enums import AccountClass, RankTier, RelationshipStage

#: Upper bound of each class as a cumulative share of ranked accounts, in percent.
DEFAULT_CLASS_THRESHOLDS: dict[str, int] = {"A": 20, "B": 40, "C": 80, "D": 100}

#: Target stage per account class and contact rank (domain.md §7).
DEFAULT_TARGET_MATRIX: dict[str, dict[str, str]] = {
    "A": {"owner": "best_friend", "manager": "good_brother", "staff": "ordinary_brother", "clerk": "good_friend"},
    "B": {"owner": "good_brother", "manager": "ordinary_brother", "staff": "good_friend", "clerk": "ordinary_friend"},
    "C": {"owner": "ordinary_brother", "manager": "good_friend", "staff": "ordinary_friend", "clerk": "acquainted"},
    "D": {"owner": "good_friend", "manager": "ordinary_friend", "staff": "acquainted", "clerk": "acquainted"},
}

VALUE_MEASURES = ("revenue", "profit")
VALUE_WINDOWS = ("latest_period", "trailing_12_months", "potential")


class SettingsError(ValueError):
    """A settings value that cannot be accepted; the message says which and why."""


@dataclass
class TeamSettings:
    """The settings a team shares inside its database file."""

    value_measure: str = "revenue"
    value_window: str = "trailing_12_months"
    class_thresholds: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_CLASS_THRESHOLDS))
    target_matrix: dict[str, dict[str, str]] = field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_TARGET_MATRIX.items()}
    )
    currency: str = "CNY"

    def validate(self) -> None:
        if self.value_measure not in VALUE_MEASURES:
            raise SettingsError(f"value measure must be one of {', '.join(VALUE_MEASURES)}")
        if self.value_window not in VALUE_WINDOWS:
            raise SettingsError(f"value window must be one of {', '.join(VALUE_WINDOWS)}")
        bounds = [self.class_thresholds.get(c.value) for c in AccountClass]
        if any(b is None for b in bounds):
            raise SettingsError("every class A–D needs a threshold")
        if any(isinstance(b, bool) or not isinstance(b, int) for b in bounds):
            raise SettingsError("class thresholds must be whole percentages")
        previous = 0
        for cls, bound in zip(AccountClass, bounds, strict=True):
            assert bound is not None
            if not previous < bound <= 100:
                raise SettingsError(f"class {cls.value} threshold {bound}% must be above {previous}% and at most 100%")
            previous = bound
        if previous != 100:
            raise SettingsError("class thresholds must end at 100% so every account gets a class")
        for cls in AccountClass:
            row = self.target_matrix.get(cls.value, {})
            if not isinstance(row, dict):
                raise SettingsError(f"targets for class {cls.value} must map each rank to a stage")
            for rank in RankTier:
                try:
                    RelationshipStage(row.get(rank.value, ""))
                except ValueError as exc:
                    raise SettingsError(f"target for class {cls.value}, rank {rank.value} is not a stage") from exc
        if not (len(self.currency) == 3 and self.currency.isalpha() and self.currency.isupper()):
            raise SettingsError("currency must be a three-letter ISO code such as CNY")

    def target_stage(self, account_class: AccountClass, rank: RankTier) -> RelationshipStage:
        return RelationshipStage(self.target_matrix[account_class.value][rank.value])

    def to_values(self) -> dict[str, Any]:
        return {
            "value_measure": self.value_measure,
            "value_window": self.value_window,
            "class_thresholds": dict(self.class_thresholds),
            "target_matrix": {k: dict(v) for k, v in self.target_matrix.items()},
            "currency": self.currency,
        }

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> TeamSettings:
        settings = cls()
        for key in settings.to_values():
            if key in values:
                setattr(settings, key, values[key])
        return settings
