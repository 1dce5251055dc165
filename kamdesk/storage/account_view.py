"""Reads for the account workspace and the plans list: a handful of set-based queries, never one per row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, aliased

from kamdesk.domain.account_view import (
    TIMELINE_ACTIVITY,
    TIMELINE_GIFT,
    TIMELINE_VISIT,
    PlanListRow,
    TimelineEntry,
    plan_status,
)
from kamdesk.domain.followups import AgendaItem
from kamdesk.domain.names import fold, has_han
from kamdesk.storage.contacts import _like
from kamdesk.storage.followups import _items, _named_select
from kamdesk.storage.tables import (
    AccountPlanRow,
    AccountRow,
    ActivityRow,
    ContactRow,
    ContactSearchRow,
    GiftRow,
    PlanActionRow,
    TeamMemberRow,
    VisitRow,
)

OPEN_ACTION = PlanActionRow.status.not_in(("done",))


def value_rank(session: Session, value_cents: int | None) -> tuple[int | None, int]:
    """(rank, ranked): where an account of this ranking value stands among the ranked accounts (1 = first)."""
    ranked = int(session.scalar(select(func.count(AccountRow.id)).where(AccountRow.computed_class.is_not(None))) or 0)
    if value_cents is None:
        return None, ranked
    above = session.scalar(
        select(func.count(AccountRow.id)).where(
            AccountRow.computed_class.is_not(None), AccountRow.value_cents > value_cents
        )
    )
    return int(above or 0) + 1, ranked


def timeline(session: Session, account_id: int, limit: int = 300) -> list[TimelineEntry]:
    """Activities done, gifts and visits of the account, newest first (three queries)."""
    member = aliased(TeamMemberRow)
    entries: list[TimelineEntry] = []
    done = session.execute(
        select(ActivityRow, ContactRow.name, member.name)
        .outerjoin(ContactRow, ContactRow.id == ActivityRow.contact_id)
        .outerjoin(member, member.id == ActivityRow.member_id)
        .where(ActivityRow.account_id == account_id, ActivityRow.status == "done")
        .order_by(ActivityRow.occurred_at.desc())
        .limit(limit)
    )
    for row, contact, ours in done:
        when = row.occurred_at.date() if row.occurred_at else row.due_on
        if when is None:
            continue
        entries.append(
            TimelineEntry(
                when, TIMELINE_ACTIVITY, row.kind, row.status, row.subject, contact or "", ours or "",
                row.outcome or row.notes, row.id,
            )
        )  # fmt: skip
    gifts = session.execute(
        select(GiftRow, ContactRow.name, member.name)
        .outerjoin(ContactRow, ContactRow.id == GiftRow.contact_id)
        .outerjoin(member, member.id == GiftRow.member_id)
        .where(GiftRow.account_id == account_id)
        .order_by(GiftRow.given_on.desc())
        .limit(limit)
    )
    for gift, contact, ours in gifts:
        entries.append(
            TimelineEntry(
                gift.given_on, TIMELINE_GIFT, gift.kind, gift.status, gift.item, contact or "", ours or "",
                gift.occasion, gift.id,
            )
        )  # fmt: skip
    visits = session.execute(
        select(VisitRow, ContactRow.name, member.name)
        .outerjoin(ContactRow, ContactRow.id == VisitRow.contact_id)
        .outerjoin(member, member.id == VisitRow.member_id)
        .where(VisitRow.account_id == account_id)
        .order_by(VisitRow.starts_at.desc())
        .limit(limit)
    )
    for visit, contact, ours in visits:
        entries.append(
            TimelineEntry(
                visit.starts_at.date(), TIMELINE_VISIT, visit.kind, visit.status, visit.purpose or visit.place,
                contact or visit.people_theirs, ours or visit.people_ours, visit.outcome, visit.id,
            )
        )  # fmt: skip
    entries.sort(key=lambda e: (e.on, e.category), reverse=True)
    return entries[:limit]


def open_followups(session: Session, account_id: int, limit: int = 200) -> list[AgendaItem]:
    """The account's planned items, soonest first (overdue ones included)."""
    stmt = (
        _named_select()
        .where(ActivityRow.account_id == account_id, ActivityRow.status == "planned")
        .order_by(ActivityRow.due_on, ActivityRow.start_time, ActivityRow.id)
        .limit(limit)
    )
    return _items(session, stmt)


def plan_list(session: Session, today: dt.date, owner_id: int | None = None) -> list[PlanListRow]:
    """Every plan (or one owner's) with its account, owner, open and overdue actions: one query."""
    owner = aliased(TeamMemberRow)
    counts = (
        select(
            PlanActionRow.plan_id.label("plan_id"),
            func.count(PlanActionRow.id).label("open"),
            func.sum(case((PlanActionRow.deadline < today, 1), else_=0)).label("overdue"),
        )
        .where(OPEN_ACTION)
        .group_by(PlanActionRow.plan_id)
        .subquery()
    )
    stmt = (
        select(
            AccountPlanRow.id,
            AccountPlanRow.account_id,
            AccountRow.name,
            AccountPlanRow.period,
            AccountPlanRow.starts_on,
            AccountPlanRow.ends_on,
            AccountPlanRow.owner_id,
            owner.name,
            func.coalesce(counts.c.open, 0),
            func.coalesce(counts.c.overdue, 0),
            AccountPlanRow.updated_at,
            AccountPlanRow.updated_by,
            AccountPlanRow.sponsor_reviewed_on,
        )
        .join(AccountRow, AccountRow.id == AccountPlanRow.account_id)
        .outerjoin(owner, owner.id == AccountPlanRow.owner_id)
        .outerjoin(counts, counts.c.plan_id == AccountPlanRow.id)
        .order_by(AccountPlanRow.updated_at.desc(), AccountPlanRow.id.desc())
    )
    if owner_id is not None:
        stmt = stmt.where(or_(AccountPlanRow.owner_id == owner_id, AccountRow.owner_id == owner_id))
    return [
        PlanListRow(
            plan_id, account_id, account, period, starts, ends, plan_owner, owner_name or "",
            plan_status(starts, ends, today), int(open_count), int(overdue), updated_at, updated_by or "",
            reviewed is not None,
        )
        for (
            plan_id, account_id, account, period, starts, ends, plan_owner, owner_name, open_count, overdue,
            updated_at, updated_by, reviewed,
        ) in session.execute(stmt)
    ]  # fmt: skip


def find_contacts(session: Session, text: str, limit: int) -> list[tuple[int, str, str, int | None, str]]:
    """(id, name, title, account id, account name) of contacts whose own name, pinyin or initials match."""
    pattern = _like(text if has_han(text) else (fold(text) or text.lower()))
    rows = session.execute(
        select(ContactRow.id, ContactRow.name, ContactRow.title, ContactRow.account_id, AccountRow.name)
        .join(ContactSearchRow, ContactSearchRow.contact_id == ContactRow.id)
        .outerjoin(AccountRow, AccountRow.id == ContactRow.account_id)
        .where(ContactSearchRow.text.like(pattern, escape="\\"))
        .order_by(ContactRow.name_pinyin, ContactRow.id)
        .limit(limit)
    )
    return [(cid, name, title, account_id, account or "") for cid, name, title, account_id, account in rows]
