"""The account editor's fields as text: money, labels, and values for the conflict table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale

from kamdesk.domain.enums import (
    AccountClass,
    Attractiveness,
    CycleStage,
    LabelledEnum,
    PersonalityType,
    RelationshipState,
    RelationshipType,
    SalesStage,
    TeamRole,
)
from kamdesk.i18n import _


def money_text(cents: int | None) -> str:
    return "" if cents is None else QLocale().toString(cents / 100, "f", 2).rstrip("0").rstrip(QLocale().decimalPoint())


def account_field_labels() -> dict[str, str]:
    """The account editor's fields by name, as a stale save's conflict table lists them."""
    return {
        "name": _("Account name"),
        "industry": _("Industry"),
        "city": _("City"),
        "province": _("Province"),
        "owner_id": _("Owner"),
        "sales_stage": _("Sales stage"),
        "relationship_type": _("Relationship type"),
        "cycle_stage": _("Cycle stage"),
        "attractiveness": _("Attractiveness"),
        "relationship_state": _("Relationship state"),
        "potential_cents": _("Potential (yearly)"),
        "potential_margin_pct": _("Potential margin %"),
        "personality_type": _("Personality type"),
        "notes": _("Notes"),
        "pin": _("Pinned class"),
        "values": _("Values"),
        "team": _("Account team"),
    }


def describe_account_field(name: str, value: Any, members: dict[int, str]) -> str:
    """A field's value as the form shows it (labels, our people's names, money)."""
    if value is None or value == "" or value == ():
        return _("(empty)")
    kinds: dict[str, type[LabelledEnum]] = {
        "sales_stage": SalesStage,
        "relationship_type": RelationshipType,
        "cycle_stage": CycleStage,
        "attractiveness": Attractiveness,
        "relationship_state": RelationshipState,
        "personality_type": PersonalityType,
    }
    if name in kinds:
        try:
            return kinds[name](value).label
        except ValueError:
            return str(value)
    if name == "owner_id":
        return members.get(value, "?")
    if name == "potential_cents":
        return money_text(value)
    if name == "potential_margin_pct":
        return f"{value}%"
    if name == "pin":
        return _("{cls} — {reason}").format(cls=AccountClass(value[0]).label, reason=value[1])
    if name == "values":
        return "\n".join(
            _("{period}: revenue {revenue}, profit {profit}").format(
                period=v.period, revenue=money_text(v.revenue_cents), profit=money_text(v.profit_cents) or "—"
            )
            for v in value
        )
    if name == "team":
        return "\n".join(f"{members.get(m, '?')} ({TeamRole(r).label})" for m, r in value)
    return str(value)
