"""Cost to serve an account: our people's logged time at the team's hourly cost, plus gifts, plus hospitality,
set against the account's revenue and profit over the same twelve months."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kamdesk.i18n import N_, _

#: Register kinds that are hospitality (§13) rather than gifts (§12).
HOSPITALITY_KINDS = frozenset({"meal", "entertainment", "trip"})
GIFT_KINDS = frozenset({"everyday", "holiday", "special"})

#: Estimated minutes of a planned follow-up that has no duration of its own, by activity kind.
ESTIMATED_ACTIVITY_MINUTES: dict[str, int] = {
    "call": 15,
    "email": 10,
    "visit": 120,
    "meeting": 60,
    "greeting": 5,
    "note": 0,
}
#: Estimated minutes of a planned visit (visits have no duration field), by visit kind, travel included.
ESTIMATED_VISIT_MINUTES: dict[str, int] = {"visit": 120, "meal": 150, "entertainment": 180, "trip": 480}

GRADES = ("ok", "watch", "too_costly", "no_revenue")
_GRADE_LABELS = {
    "ok": N_("in proportion"),
    "watch": N_("watch"),
    "too_costly": N_("too costly"),
    "no_revenue": N_("no revenue"),
}


def grade_label(grade: str) -> str:
    return _(_GRADE_LABELS[grade])


def planned_activity_minutes(kind: str, duration_minutes: int | None) -> int:
    """A planned follow-up's time: its own duration when set, else the estimate for its kind."""
    if duration_minutes:
        return int(duration_minutes)
    return ESTIMATED_ACTIVITY_MINUTES.get(kind, 30)


def planned_visit_minutes(kind: str) -> int:
    return ESTIMATED_VISIT_MINUTES.get(kind, 120)


@dataclass(frozen=True)
class CostToServe:
    """One account's cost to serve over the last twelve months (all money in cents)."""

    account_id: int
    name: str
    logged_minutes: int
    hourly_cost_cents: int
    gifts_cents: int
    hospitality_cents: int
    revenue_cents: int | None
    profit_cents: int | None
    account_class: str = ""
    planned_hospitality_cents: int = 0

    @property
    def time_cents(self) -> int:
        return round(self.logged_minutes * self.hourly_cost_cents / 60)

    @property
    def total_cents(self) -> int:
        return self.time_cents + self.gifts_cents + self.hospitality_cents

    @property
    def share_of_revenue(self) -> float | None:
        """Cost to serve as a percentage of revenue (None without revenue)."""
        if not self.revenue_cents or self.revenue_cents <= 0:
            return None
        return 100.0 * self.total_cents / self.revenue_cents

    @property
    def profit_after_serving_cents(self) -> int | None:
        return None if self.profit_cents is None else self.profit_cents - self.total_cents

    def grade(self, watch_pct: int, alarm_pct: int) -> str:
        share = self.share_of_revenue
        if share is None:
            return "no_revenue" if self.total_cents > 0 else "ok"
        if share >= alarm_pct:
            return "too_costly"
        if share >= watch_pct:
            return "watch"
        return "ok"

    def as_record(self, watch_pct: int, alarm_pct: int) -> dict[str, Any]:
        share = self.share_of_revenue
        return {
            "logged_hours": round(self.logged_minutes / 60, 1),
            "hourly_cost": self.hourly_cost_cents / 100,
            "time_cost": self.time_cents / 100,
            "gifts": self.gifts_cents / 100,
            "hospitality": self.hospitality_cents / 100,
            "total": self.total_cents / 100,
            "revenue": None if self.revenue_cents is None else self.revenue_cents / 100,
            "profit": None if self.profit_cents is None else self.profit_cents / 100,
            "share_of_revenue_pct": None if share is None else round(share, 1),
            "profit_after_serving": (
                None if self.profit_after_serving_cents is None else self.profit_after_serving_cents / 100
            ),
            "planned_hospitality": self.planned_hospitality_cents / 100,
            "grade": self.grade(watch_pct, alarm_pct),
        }


def costliest(costs: list[CostToServe], limit: int = 10) -> list[CostToServe]:
    """The accounts costing most relative to their revenue, highest share first. Accounts with cost but no revenue
    (mostly prospects, whose first order is still to come) follow, largest cost first, when room is left."""
    with_cost = [c for c in costs if c.total_cents > 0]
    return sorted(
        with_cost,
        key=lambda c: (c.share_of_revenue is None, -(c.share_of_revenue or 0.0), -c.total_cents, c.name),
    )[:limit]
