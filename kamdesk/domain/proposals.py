"""One shape for everything a planner proposes (gifts, greetings, care, outreach), so the window,
`kamdesk propose` and the tests read every proposal the same way and none can hide its reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ProposalRecord:
    """One proposed item for one person: what, when, what it costs, why, and what to watch.

    `item` is the gift (catalogue item name) or, for greetings and care, the channel
    ("handwritten card with the gift", "call", "personal message"…). `reason` is a plain sentence a
    salesperson can read; `warnings` lists everything that needs a person's judgement before
    confirming (over a limit, data too thin to judge, a sensitive event…). Nothing is written to the
    team file until a person confirms.
    """

    kind: str  # festival_gift, everyday_gift, special_gift, greeting, care, outreach
    contact_id: int | None
    contact: str
    account: str
    account_class: str | None
    rank: str | None
    date: dt.date | None
    item: str
    cost_cents: int = 0
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_record(self) -> dict[str, Any]:
        """A JSON- and CSV-friendly dict (date as ISO text, cost in currency units)."""
        record = asdict(self)
        record["date"] = self.date.isoformat() if self.date else ""
        record["cost"] = round(self.cost_cents / 100, 2)
        del record["cost_cents"]
        return record


@dataclass
class ProposalPlan:
    """A whole plan: its proposals, and for gift plans the total against the budget."""

    kind: str
    proposals: list[ProposalRecord]
    budget_cents: int | None = None
    notes: list[str] = field(default_factory=list)  # plan-level messages: why empty, how far over budget

    @property
    def total_cents(self) -> int:
        return sum(p.cost_cents for p in self.proposals)

    def as_record(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "total": round(self.total_cents / 100, 2),
            "budget": None if self.budget_cents is None else round(self.budget_cents / 100, 2),
            "notes": list(self.notes),
            "proposals": [p.as_record() for p in self.proposals],
        }
