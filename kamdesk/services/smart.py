"""SMART objectives checked against their plan: its period, its revenue plan and last year's actual revenue."""

from __future__ import annotations

from dataclasses import dataclass

from kamdesk.domain.plans import AccountPlan, SmartContext, SmartFinding, smart_findings
from kamdesk.storage.database import Database
from kamdesk.storage.revenue_facts import revenue_in_year


@dataclass
class SmartService:
    db: Database

    def context(self, plan: AccountPlan) -> SmartContext:
        """What the plan's objectives are judged against; last year is the calendar year before the plan starts."""
        base = SmartContext.of(plan)
        if base.starts_on is None:
            return base
        year = base.starts_on.year - 1
        return SmartContext.of(plan, self.actual_revenue(plan.account_id, year), str(year))

    def actual_revenue(self, account_id: int, year: int) -> int | None:
        """The account's revenue in a calendar year, in cents (None when none was recorded)."""
        with self.db.read() as session:
            return revenue_in_year(session, account_id, year)

    def findings(self, plan: AccountPlan) -> list[list[SmartFinding]]:
        """The SMART findings of each objective of the plan, in the plan's order."""
        context = self.context(plan)
        return [smart_findings(objective, context) for objective in plan.objectives]
