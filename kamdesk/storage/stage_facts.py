"""The facts the stage checks and call coaching read from the file: touches, meetings, plans, earlier reviews."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kamdesk.domain.call_coaching import EarlierReview
from kamdesk.domain.enums import RelationshipStage
from kamdesk.domain.stage_evidence import PRIVATE_KINDS, TOUCH_KINDS, TypeFacts
from kamdesk.storage.tables import (
    AccountPlanRow,
    ActivityRow,
    ContactRow,
    GiftRow,
    TeamMemberRow,
    VisitRow,
)


def contact_touches(session: Session, contact_id: int) -> tuple[int, dt.date | None, int]:
    """(contacts logged, day of the last one, meetings away from work on record) for one person."""
    count, last = session.execute(
        select(func.count(ActivityRow.id), func.max(ActivityRow.occurred_at)).where(
            ActivityRow.contact_id == contact_id,
            ActivityRow.status == "done",
            ActivityRow.kind.in_(TOUCH_KINDS),
        )
    ).one()
    gifts = session.scalar(
        select(func.count(GiftRow.id)).where(
            GiftRow.contact_id == contact_id, GiftRow.kind.in_(PRIVATE_KINDS), GiftRow.status == "done"
        )
    )
    visits = session.scalar(
        select(func.count(VisitRow.id)).where(
            VisitRow.contact_id == contact_id, VisitRow.kind.in_(PRIVATE_KINDS), VisitRow.status == "done"
        )
    )
    last_day = last.date() if isinstance(last, dt.datetime) else last
    return int(count or 0), last_day, int(gifts or 0) + int(visits or 0)


def earlier_reviews(
    session: Session, contact_id: int, before_activity: int | None, limit: int = 20
) -> list[EarlierReview]:
    """Reviewed calls with the person other than `before_activity`, newest first."""
    a = ActivityRow
    stmt = (
        select(a.id, a.occurred_at, a.due_on, a.subject, a.review_json, TeamMemberRow.name)
        .outerjoin(TeamMemberRow, TeamMemberRow.id == a.member_id)
        .where(a.contact_id == contact_id, a.kind == "call", a.review_json != "")
        .order_by(func.coalesce(a.occurred_at, a.due_on).desc(), a.id.desc())
        .limit(limit)
    )
    if before_activity is not None:
        stmt = stmt.where(a.id != before_activity)
    out = []
    for activity_id, occurred, due, subject, review_json, member in session.execute(stmt):
        try:
            review = json.loads(review_json)
        except ValueError:
            continue
        if not isinstance(review, dict):
            continue
        day = occurred.date() if occurred is not None else due
        out.append(EarlierReview(activity_id, day, subject, member or "", {k: str(v) for k, v in review.items()}))
    return out


def _latest_plan_content(session: Session, account_id: int) -> tuple[str, dict[str, Any]] | None:
    row = session.execute(
        select(AccountPlanRow.period, AccountPlanRow.content_json)
        .where(AccountPlanRow.account_id == account_id)
        .order_by(AccountPlanRow.starts_on.desc(), AccountPlanRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    try:
        content = json.loads(row[1] or "{}")
    except ValueError:
        content = {}
    return row[0], content if isinstance(content, dict) else {}


def _latest_margin(content: dict[str, Any]) -> float | None:
    margins = [r.get("margin_pct") for r in content.get("revenue", []) if isinstance(r, dict)]
    known = [float(m) for m in margins if isinstance(m, int | float)]
    return known[-1] if known else None


def _team_margins(session: Session, account_id: int) -> tuple[float, ...]:
    """The latest plan margin of every other account that has one."""
    latest: dict[int, tuple[dt.date, str]] = {}
    for other, starts, content_json in session.execute(
        select(AccountPlanRow.account_id, AccountPlanRow.starts_on, AccountPlanRow.content_json).where(
            AccountPlanRow.account_id != account_id
        )
    ):
        day = starts or dt.date.min
        if other not in latest or day > latest[other][0]:
            latest[other] = (day, content_json)
    out = []
    for _day, content_json in latest.values():
        try:
            margin = _latest_margin(json.loads(content_json or "{}"))
        except ValueError:
            continue
        if margin is not None:
            out.append(margin)
    return tuple(out)


def type_facts(session: Session, account_id: int) -> TypeFacts:
    """What the latest plan and the contacts say about the company-level relationship."""
    close = RelationshipStage.GOOD_FRIEND.order
    brother = RelationshipStage.ORDINARY_BROTHER.order
    close_key, top_tie = 0, False
    for rank, stage in session.execute(
        select(ContactRow.rank_tier, ContactRow.relationship_stage).where(
            ContactRow.account_id == account_id, ContactRow.rank_tier.in_(("owner", "manager"))
        )
    ):
        try:
            order = RelationshipStage(stage).order
        except ValueError:
            continue
        close_key += order >= close
        top_tie = top_tie or (rank == "owner" and order >= brother)
    plan = _latest_plan_content(session, account_id)
    if plan is None:
        return TypeFacts(close_key_people=close_key, top_tie=top_tie)
    period, content = plan
    grades = frozenset(
        int(n["grade"]) for n in content.get("intel", []) if isinstance(n, dict) and str(n.get("grade", "")).isdigit()
    )
    return TypeFacts(
        plan_period=period,
        grades=grades,
        competitors=len(content.get("competitors", [])),
        margin_pct=_latest_margin(content),
        team_margins=_team_margins(session, account_id),
        close_key_people=close_key,
        top_tie=top_tie,
    )
