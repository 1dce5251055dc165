"""Team settings and their defaults: class thresholds, value measure, target matrix, currency."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kamdesk.domain.enums import AccountClass, RankTier, RelationshipStage
from kamdesk.i18n import _

#: Upper bound of each class as a cumulative share of ranked accounts, in percent.
DEFAULT_CLASS_THRESHOLDS: dict[str, int] = {"A": 20, "B": 40, "C": 80, "D": 100}

#: Target stage per account class and contact rank: seed 000's chart (客户等级与关系组合) on its four levels only,
#: 好朋友 / 普通兄弟 / 好兄弟 / 死党, deeper for a higher class and a higher rank (domain.md §7).
DEFAULT_TARGET_MATRIX: dict[str, dict[str, str]] = {
    "A": {"owner": "best_friend", "manager": "good_brother", "staff": "ordinary_brother", "clerk": "good_friend"},
    "B": {"owner": "good_brother", "manager": "ordinary_brother", "staff": "good_friend", "clerk": "good_friend"},
    "C": {"owner": "ordinary_brother", "manager": "good_friend", "staff": "good_friend", "clerk": "good_friend"},
    "D": {"owner": "good_friend", "manager": "good_friend", "staff": "good_friend", "clerk": "good_friend"},
}

#: The default kamdesk shipped before issue 20: 6 of its 16 cells aimed at 认识 or 普通朋友, which seed 000's chart
#: never uses. A file whose stored matrix is exactly this was never edited by its team, so it is read as the
#: current default (see TeamSettings.from_values); a matrix the team changed is kept as it is.
OLD_DEFAULT_TARGET_MATRIX: dict[str, dict[str, str]] = {
    "A": {"owner": "best_friend", "manager": "good_brother", "staff": "ordinary_brother", "clerk": "good_friend"},
    "B": {"owner": "good_brother", "manager": "ordinary_brother", "staff": "good_friend", "clerk": "ordinary_friend"},
    "C": {"owner": "ordinary_brother", "manager": "good_friend", "staff": "ordinary_friend", "clerk": "acquainted"},
    "D": {"owner": "good_friend", "manager": "ordinary_friend", "staff": "acquainted", "clerk": "acquainted"},
}

#: The customer pyramid's key tier: the top share of accounts by value ("top_share") or class A ("class_a").
PYRAMID_KEY_BASES = ("top_share", "class_a")
DEFAULT_PYRAMID_KEY_SHARE = 10
#: Cost to serve: an hour of our people's time (cents), and the marks (percent of the account's revenue) above
#: which an account costs a lot ("watch") or too much ("too costly") to serve.
DEFAULT_HOURLY_COST_CENTS = 20_000
DEFAULT_COST_WATCH_PCT = 3
DEFAULT_COST_ALARM_PCT = 8
#: The stingy customer's effort cap (seed 004: limit the time spent), in hours a quarter.
DEFAULT_STINGY_CAP_HOURS = 6

#: The zipper check's concentration marks (share of an account's ties held by one of ours): over the first
#: a warning, at the second a bow-tie.
DEFAULT_ZIPPER_WARN_SHARE = 0.5
DEFAULT_ZIPPER_BOW_TIE_SHARE = 1.0

VALUE_MEASURES = ("revenue", "profit")
VALUE_WINDOWS = ("latest_period", "trailing_12_months", "potential")


class SettingsError(ValueError):
    """A settings value that cannot be accepted; `field` names the setting, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


CONFIDENTIALITY_MAX = 120  # characters: one footer line
SENDER_MAX = 200  # characters: a name and an address on a label's last lines


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
    zipper_warn_share: float = DEFAULT_ZIPPER_WARN_SHARE
    zipper_bow_tie_share: float = DEFAULT_ZIPPER_BOW_TIE_SHARE
    pyramid_key_basis: str = "top_share"
    pyramid_key_share: int = DEFAULT_PYRAMID_KEY_SHARE
    hourly_cost_cents: int = DEFAULT_HOURLY_COST_CENTS
    cost_watch_pct: int = DEFAULT_COST_WATCH_PCT
    cost_alarm_pct: int = DEFAULT_COST_ALARM_PCT
    stingy_cap_hours: int = DEFAULT_STINGY_CAP_HOURS
    #: The mark in the footer of every page of a printed plan pack ("" prints the default, in the print language).
    confidentiality: str = ""
    #: The team's return address, printed as the sender on gift labels ("" until the team sets it).
    sender_address: str = ""

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
        zipper_problem = zipper_threshold_problem(self.zipper_warn_share, self.zipper_bow_tie_share)
        if zipper_problem:
            problems["zipper_thresholds"] = zipper_problem
        problems.update(self._strategy_problems())
        if not isinstance(self.confidentiality, str) or len(self.confidentiality) > CONFIDENTIALITY_MAX:
            problems["confidentiality"] = _("The confidentiality mark is a line of at most {most} characters.").format(
                most=CONFIDENTIALITY_MAX
            )
        if not isinstance(self.sender_address, str) or len(self.sender_address) > SENDER_MAX:
            problems["sender_address"] = _("The sender's address is at most {most} characters.").format(most=SENDER_MAX)
        return problems

    def confidentiality_mark(self) -> str:
        """The footer mark printed on every page of a plan pack: the team's wording, else the default."""
        text = " ".join(self.confidentiality.split()) if isinstance(self.confidentiality, str) else ""
        return text or _("Confidential — for internal use only; not to be shown to the customer")

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
                problem = target_cell_problem(cls, rank, row.get(rank.value))
                if problem:
                    return problem
        return ""

    def _strategy_problems(self) -> dict[str, str]:
        """The pyramid's key tier, the cost-to-serve figures and the stingy customer's effort cap."""
        problems: dict[str, str] = {}
        if self.pyramid_key_basis not in PYRAMID_KEY_BASES:
            problems["pyramid"] = _("Key accounts are either the top share by value or class A.")
        elif not _whole(self.pyramid_key_share) or not 1 <= self.pyramid_key_share <= 50:
            problems["pyramid"] = _("The key accounts' share is a whole percentage from 1 to 50 (the guide says 10).")
        cost = cost_problem(self.hourly_cost_cents, self.cost_watch_pct, self.cost_alarm_pct)
        if cost:
            problems["cost_to_serve"] = cost
        if not _whole(self.stingy_cap_hours) or not 0 <= self.stingy_cap_hours <= 500:
            problems["stingy_cap_hours"] = _("The stingy customer's cap is a whole number of hours from 0 to 500.")
        return problems

    def target_stage(self, account_class: AccountClass, rank: RankTier) -> RelationshipStage:
        return RelationshipStage(self.target_matrix[account_class.value][rank.value])

    def to_values(self) -> dict[str, Any]:
        return {
            "value_measure": self.value_measure,
            "value_window": self.value_window,
            "class_thresholds": dict(self.class_thresholds),
            "target_matrix": {k: dict(v) for k, v in self.target_matrix.items()},
            "currency": self.currency,
            "zipper_warn_share": self.zipper_warn_share,
            "zipper_bow_tie_share": self.zipper_bow_tie_share,
            "pyramid_key_basis": self.pyramid_key_basis,
            "pyramid_key_share": self.pyramid_key_share,
            "hourly_cost_cents": self.hourly_cost_cents,
            "cost_watch_pct": self.cost_watch_pct,
            "cost_alarm_pct": self.cost_alarm_pct,
            "stingy_cap_hours": self.stingy_cap_hours,
            "confidentiality": self.confidentiality,
            "sender_address": self.sender_address,
        }

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> TeamSettings:
        """Settings as stored. A stored target matrix equal to OLD_DEFAULT_TARGET_MATRIX (the default before issue
        20, never edited by the team) is read as the current DEFAULT_TARGET_MATRIX; an edited one is kept."""
        settings = cls()
        for key in settings.to_values():
            if key in values:
                setattr(settings, key, values[key])
        if settings.target_matrix == OLD_DEFAULT_TARGET_MATRIX:
            settings.target_matrix = {k: dict(v) for k, v in DEFAULT_TARGET_MATRIX.items()}
        return settings


def zipper_threshold_problem(warn_share: object, bow_tie_share: object) -> str:
    """Why the zipper's concentration marks cannot be used ("" when they can): 0 < warning ≤ bow-tie ≤ 1."""
    shares = (warn_share, bow_tie_share)
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in shares):
        return _("The zipper's warning and bow-tie marks are shares between 0 and 1, such as 0.5 and 1.0.")
    warn, bow_tie = float(warn_share), float(bow_tie_share)  # type: ignore[arg-type]
    if not 0 < warn <= 1 or not 0 < bow_tie <= 1:
        return _(
            "The zipper's marks must lie above 0% and at most 100% (warning {warn:.0%}, bow-tie {bow_tie:.0%})."
        ).format(warn=warn, bow_tie=bow_tie)
    if warn > bow_tie:
        return _(
            "The zipper's warning mark ({warn:.0%}) is above its bow-tie mark ({bow_tie:.0%}); the warning must "
            "come first."
        ).format(warn=warn, bow_tie=bow_tie)
    return ""


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def target_cell_problem(account_class: AccountClass, rank: RankTier, value: object) -> str:
    """Why one cell of the target matrix cannot be used ("" when it can): empty, or not one of the seven stages
    from 陌生 (stranger) up to 死党 (best friend)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return _("The target for class {cls}, {rank} is empty: choose a stage from Stranger to Best friend.").format(
            cls=account_class.value, rank=rank.label
        )
    try:
        RelationshipStage(value if isinstance(value, str) else "")
    except ValueError:
        return _(
            "The target for class {cls}, {rank} is “{value}”, which is not a stage: choose one from Stranger "
            "(the lowest) to Best friend."
        ).format(cls=account_class.value, rank=rank.label, value=str(value)[:40])
    return ""


def cost_problem(hourly_cost_cents: object, watch_pct: object, alarm_pct: object) -> str:
    """Why the cost-to-serve settings cannot be used ("" when they can): no negative cost, 0 < watch < alarm."""
    if not _whole(hourly_cost_cents):
        return _("The hourly cost is an amount of money.")
    assert isinstance(hourly_cost_cents, int)
    if hourly_cost_cents < 0:
        return _("The hourly cost cannot be negative.")
    if not _whole(watch_pct) or not _whole(alarm_pct):
        return _("The cost marks are whole percentages of the account's revenue.")
    assert isinstance(watch_pct, int) and isinstance(alarm_pct, int)
    if watch_pct <= 0 or alarm_pct <= 0 or alarm_pct > 100:
        return _(
            "The cost marks must lie above 0% and at most 100% of revenue (watch {watch}%, too costly {alarm}%)."
        ).format(watch=watch_pct, alarm=alarm_pct)
    if watch_pct >= alarm_pct:
        return _(
            "The cost marks are out of order: “watch” at {watch}% must come below “too costly” at {alarm}%."
        ).format(watch=watch_pct, alarm=alarm_pct)
    return ""


def target_changes(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> dict[str, object]:
    """The cells of the target matrix that changed, as "A × owner" → [old, new] (for the change log)."""
    changes: dict[str, object] = {}
    for cls in AccountClass:
        old_row = before.get(cls.value, {}) if isinstance(before, dict) else {}
        new_row = after.get(cls.value, {}) if isinstance(after, dict) else {}
        for rank in RankTier:
            old, new = old_row.get(rank.value, ""), new_row.get(rank.value, "")
            if old != new:
                changes[f"{cls.value} × {rank.value}"] = [old, new]
    return changes
