"""An account's actual revenue in a calendar year, from its value rows (for the SMART achievability check)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kamdesk.storage.tables import AccountValueRow


def revenue_in_year(session: Session, account_id: int, year: int) -> int | None:
    """Revenue in cents booked for `year`: its annual row if there is one, else the sum of its quarters
    (None when nothing was recorded for that year)."""
    rows = session.execute(
        select(AccountValueRow.period, AccountValueRow.revenue_cents).where(
            AccountValueRow.account_id == account_id, AccountValueRow.period.like(f"{year}%")
        )
    ).all()
    annual = [cents for period, cents in rows if period == str(year)]
    if annual:
        return int(annual[0])
    quarters = [cents for period, cents in rows if period.startswith(f"{year}-Q")]
    return int(sum(quarters)) if quarters else None
