"""Team settings and their defaults: class thresholds, value measure, target matrix, currency."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kamdesk.domain.enums import AccountClass, RankTier, RelationshipStage
from kamdesk.i18n import _

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
    """A settings value that cannot be accepted; `field` names the setting, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


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
        """Raise SettingsError for the first setting that cannot be accepted."""
        problems = self.validate_all()
        if problems:
            key, message = next(iter(problems.items()))
            raise SettingsError(key, message)

    def validate_all(self) -> dict[str, str]:
        """Every setting's first problem, keyed by setting name; empty when all are fine."""
        problems: dict[str, str] = {}
        if self.value_measure not in VALUE_MEASURES:
            problems["value_measure"] = _("The value measure must be revenue or profit.")
        if self.value_window not in VALUE_WINDOWS:
            problems["value_window"] = _(
                "The value window must be the latest period, the last 12 months, or potential."
            )
        threshold_problem = self._threshold_problem()
        if threshold_problem:
            problems["class_thresholds"] = threshold_problem
        matrix_problem = self._matrix_problem()
        if matrix_problem:
            problems["target_matrix"] = matrix_problem
        if not (
            isinstance(self.currency, str)
            and len(self.currency) == 3
            and self.currency.isascii()
            and self.currency.isalpha()
            and self.currency.isupper()
        ):
            problems["currency"] = _("The currency must be a three-letter code such as CNY, HKD or USD.")
        return problems

    def _threshold_problem(self) -> str:
        thresholds = self.class_thresholds if isinstance(self.class_thresholds, dict) else {}
        bounds = [thresholds.get(c.value) for c in AccountClass]
        if any(b is None for b in bounds):
            return _("Every class from A to D needs a threshold.")
        if any(isinstance(b, bool) or not isinstance(b, int) for b in bounds):
            return _("Class thresholds are whole percentages.")
        previous, previous_class = 0, ""
        for cls, bound in zip(AccountClass, bounds, strict=True):
            assert bound is not None
            if bound > 100:
                return _("Class {cls} ends at {bound}%, but no class can end above 100%.").format(
                    cls=cls.value, bound=bound
                )
            if bound <= previous:
                if not previous_class:
                    return _("Class {cls} ends at {bound}%; it must end above 0%.").format(cls=cls.value, bound=bound)
                return _("Class {cls} ends at {bound}%, which is not above class {before}'s {previous}%.").format(
                    cls=cls.value, bound=bound, before=previous_class, previous=previous
                )
            previous, previous_class = bound, cls.value
        if previous != 100:
            return _("The last class must end at 100% so that every account gets a class.")
        return ""

    def _matrix_problem(self) -> str:
        for cls in AccountClass:
            row = self.target_matrix.get(cls.value) if isinstance(self.target_matrix, dict) else None
            if not isinstance(row, dict):
                return _("The relationship targets for class {cls} are missing.").format(cls=cls.value)
            for rank in RankTier:
                try:
                    RelationshipStage(row.get(rank.value, ""))
                except ValueError:
                    return _("The relationship target for class {cls}, rank {rank} is not a known stage.").format(
                        cls=cls.value, rank=rank.label
                    )
        return ""

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
