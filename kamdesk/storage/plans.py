"""Account plans in the database: load and save a whole plan, one person's open actions, reviews."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kamdesk.domain.plans import (
    AccountPlan,
    ActionStep,
    Competitor,
    IntelNote,
    MyAction,
    Objective,
    PlanError,
    PlanSummary,
    RelationshipReview,
    RevenueLine,
    Swot,
)
from kamdesk.i18n import _
from kamdesk.storage.database import check_version
from kamdesk.storage.record_stamps import touch
from kamdesk.storage.tables import (
    AccountPlanRow,
    AccountRow,
    ContactRow,
    PlanActionRow,
    PlanObjectiveRow,
    PlanReviewRow,
    TeamMemberRow,
)


def plans_of_account(session: Session, account_id: int) -> list[PlanSummary]:
    rows = session.execute(
        select(
            AccountPlanRow.id,
            AccountPlanRow.period,
            AccountPlanRow.starts_on,
            AccountPlanRow.ends_on,
            AccountPlanRow.updated_by,
            AccountPlanRow.updated_at,
        )
        .where(AccountPlanRow.account_id == account_id)
        .order_by(AccountPlanRow.starts_on.desc(), AccountPlanRow.period.desc())
    )
    return [PlanSummary(*row) for row in rows]


def _member_names(session: Session) -> dict[int, str]:
    return {member_id: name for member_id, name in session.execute(select(TeamMemberRow.id, TeamMemberRow.name))}


def load_plan(session: Session, plan_id: int) -> AccountPlan | None:
    row = session.get(AccountPlanRow, plan_id)
    if row is None:
        return None
    account = session.get(AccountRow, row.account_id)
    names = _member_names(session)
    content: dict[str, Any] = json.loads(row.content_json or "{}")
    objective_rows = list(
        session.scalars(
            select(PlanObjectiveRow)
            .where(PlanObjectiveRow.plan_id == plan_id)
            .order_by(PlanObjectiveRow.position, PlanObjectiveRow.id)
        )
    )
    index_of = {o.id: i for i, o in enumerate(objective_rows)}
    objectives = [
        Objective(
            o.statement,
            o.measure,
            o.target_value,
            o.due_on,
            o.owner_id,
            names.get(o.owner_id, "") if o.owner_id else "",
            o.id,
        )
        for o in objective_rows
    ]
    actions = [
        ActionStep(
            a.task,
            a.owner_id,
            names.get(a.owner_id, "") if a.owner_id else "",
            a.deadline,
            a.status,
            a.progress,
            index_of.get(a.objective_id) if a.objective_id else None,
            a.done_by,
            a.done_on,
            a.id,
        )
        for a in session.scalars(
            select(PlanActionRow)
            .where(PlanActionRow.plan_id == plan_id)
            .order_by(PlanActionRow.position, PlanActionRow.id)
        )
    ]
    return AccountPlan(
        account_id=row.account_id,
        period=row.period,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        summary=content.get("summary", ""),
        customer=dict(content.get("customer", {})),
        customer_swot=Swot(**content.get("customer_swot", {})),
        competitors=[Competitor(**c) for c in content.get("competitors", [])],
        situation=dict(content.get("situation", {})),
        share_of_spend_pct=content.get("share_of_spend_pct"),
        cycle_stage=content.get("cycle_stage"),
        our_swot=Swot(**content.get("our_swot", {})),
        vision=content.get("vision", ""),
        objectives=objectives,
        actions=actions,
        revenue=[RevenueLine(**r) for r in content.get("revenue", [])],
        intel=[
            IntelNote(
                n["grade"],
                n["note"],
                n.get("source", ""),
                dt.date.fromisoformat(n["noted_on"]) if n.get("noted_on") else None,
            )
            for n in content.get("intel", [])
        ],
        owner_id=row.owner_id,
        sponsor_id=row.sponsor_id,
        sales_manager_id=row.sales_manager_id,
        sponsor_reviewed_by=row.sponsor_reviewed_by,
        sponsor_reviewed_on=row.sponsor_reviewed_on,
        id=row.id,
        version=row.version,
        account_name=account.name if account else "",
        account_class=(account.pinned_class or account.computed_class) if account else None,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


def _content(plan: AccountPlan) -> str:
    return json.dumps(
        {
            "summary": plan.summary,
            "customer": plan.customer,
            "customer_swot": asdict(plan.customer_swot),
            "competitors": [asdict(c) for c in plan.competitors],
            "situation": plan.situation,
            "share_of_spend_pct": plan.share_of_spend_pct,
            "cycle_stage": plan.cycle_stage,
            "our_swot": asdict(plan.our_swot),
            "vision": plan.vision,
            "revenue": [asdict(r) for r in plan.revenue],
            "intel": [
                {
                    "grade": n.grade,
                    "note": n.note,
                    "source": n.source,
                    "noted_on": n.noted_on.isoformat() if n.noted_on else None,
                }
                for n in plan.intel
            ],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def period_taken(
    session: Session, account_id: int, period: str, plan_id: int | None, *, lock_account: bool = False
) -> bool:
    """Whether another plan of the account has this period (ignoring case). `lock_account`, inside a write,
    first locks the account's row on a server, so two saves of one account's plans take turns (on SQLite
    the write already holds the whole file)."""
    if lock_account:
        session.execute(select(AccountRow.id).where(AccountRow.id == account_id).with_for_update())
    stmt = (
        select(func.count())
        .select_from(AccountPlanRow)
        .where(AccountPlanRow.account_id == account_id, func.lower(AccountPlanRow.period) == period.strip().lower())
    )
    if plan_id is not None:
        stmt = stmt.where(AccountPlanRow.id != plan_id)
    return bool(session.scalar(stmt))


def save_plan(session: Session, plan: AccountPlan, by: str, today: dt.date) -> int:
    """Insert or update a whole plan; a stale version raises ConflictError. Children keep their ids."""
    if plan.id is None:
        row = AccountPlanRow(account_id=plan.account_id, period=plan.period.strip())
        session.add(row)
    else:
        found = session.get(AccountPlanRow, plan.id)
        check_version(found, plan.version, table="account_plans", row_id=plan.id)
        assert found is not None
        row = found
    wanted = {
        "period": plan.period.strip(),
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "content_json": _content(plan),
        "owner_id": plan.owner_id,
        "sponsor_id": plan.sponsor_id,
        "sales_manager_id": plan.sales_manager_id,
        "sponsor_reviewed_by": plan.sponsor_reviewed_by,
        "sponsor_reviewed_on": plan.sponsor_reviewed_on,
    }
    changed = False
    for name, value in wanted.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    try:
        session.flush()
    except IntegrityError as exc:
        if not _is_duplicate_period(exc):
            raise
        # Someone else's plan for this period was committed after the check in this transaction looked
        # (possible on a server, where that check cannot see a save still under way).
        raise PlanError(
            _(
                "This account already has a plan for {period}: someone else saved it a moment ago, so "
                "this one was not saved. Choose another period, or open theirs."
            ).format(period=plan.period.strip())
        ) from exc
    children_changed = _save_children(session, row.id, plan, by, today)
    if plan.id is not None and children_changed and not changed:
        touch(row)  # a change to an objective or action moves the plan's version too
    session.flush()
    return row.id


def _is_duplicate_period(exc: IntegrityError) -> bool:
    """Whether the error is the account-and-period uniqueness of account plans (SQLite or PostgreSQL wording)."""
    text = str(exc.orig).lower()
    return ("unique" in text or "duplicate key" in text) and (
        "account_plans.period" in text or "uq_account_plans_account_id" in text
    )


def _save_children(session: Session, plan_id: int, plan: AccountPlan, by: str, today: dt.date) -> bool:
    changed = False
    existing_objectives = {
        o.id: o for o in session.scalars(select(PlanObjectiveRow).where(PlanObjectiveRow.plan_id == plan_id))
    }
    objective_ids: list[int] = []
    for position, objective in enumerate(plan.objectives):
        found = existing_objectives.pop(objective.id, None) if objective.id is not None else None
        target = found or PlanObjectiveRow(plan_id=plan_id)
        values = {
            "position": position,
            "statement": objective.statement,
            "measure": objective.measure,
            "target_value": objective.target_value[:200],
            "due_on": objective.due_on,
            "owner_id": objective.owner_id,
        }
        changed |= _assign(target, values)
        if found is None:
            session.add(target)
            changed = True
        session.flush()
        objective_ids.append(target.id)
    existing_actions = {a.id: a for a in session.scalars(select(PlanActionRow).where(PlanActionRow.plan_id == plan_id))}
    for position, action in enumerate(plan.actions):
        found_action = existing_actions.pop(action.id, None) if action.id is not None else None
        target_action = found_action or PlanActionRow(plan_id=plan_id)
        done_by, done_on = action.done_by, action.done_on
        if action.status == "done" and not done_on:
            done_by, done_on = by, today  # marking done records who and when
        elif action.status != "done":
            done_by, done_on = "", None
        values = {
            "position": position,
            "task": action.task,
            "owner_id": action.owner_id,
            "deadline": action.deadline,
            "status": action.status,
            "progress": 100 if action.status == "done" else action.progress,
            "objective_id": objective_ids[action.objective]
            if action.objective is not None and 0 <= action.objective < len(objective_ids)
            else None,
            "done_by": done_by,
            "done_on": done_on,
        }
        changed |= _assign(target_action, values)
        if found_action is None:
            session.add(target_action)
            changed = True
    for gone_action in existing_actions.values():
        session.delete(gone_action)
        changed = True
    session.flush()
    for gone in existing_objectives.values():
        session.delete(gone)
        changed = True
    return changed


def _assign(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def delete_plan(session: Session, plan_id: int, expected_version: int) -> None:
    row = session.get(AccountPlanRow, plan_id)
    check_version(row, expected_version, table="account_plans", row_id=plan_id)
    session.delete(row)


def touch_plan(session: Session, plan_id: int) -> None:
    """Move the plan's version: an open editor of it then knows it changed underneath."""
    touch(session.get(AccountPlanRow, plan_id))


def mark_action_done(session: Session, action_id: int, expected_version: int, by: str, today: dt.date) -> int:
    row = session.get(PlanActionRow, action_id)
    check_version(row, expected_version, table="plan_actions", row_id=action_id)
    assert row is not None
    row.status, row.progress, row.done_by, row.done_on = "done", 100, by, today
    touch_plan(session, row.plan_id)
    return row.plan_id


def open_actions(session: Session, member_id: int, today: dt.date, limit: int = 2000) -> list[tuple[MyAction, int]]:
    """(action, version) of one person's unfinished steps across every plan, by deadline."""
    rows = session.execute(
        select(
            PlanActionRow.id,
            PlanActionRow.plan_id,
            AccountRow.name,
            AccountPlanRow.period,
            PlanActionRow.task,
            PlanActionRow.deadline,
            PlanActionRow.status,
            PlanActionRow.progress,
            PlanActionRow.version,
        )
        .join(AccountPlanRow, AccountPlanRow.id == PlanActionRow.plan_id)
        .join(AccountRow, AccountRow.id == AccountPlanRow.account_id)
        .where(PlanActionRow.owner_id == member_id, PlanActionRow.status != "done")
        .order_by(PlanActionRow.deadline.is_(None), PlanActionRow.deadline, PlanActionRow.id)
        .limit(limit)
    )
    return [
        (MyAction(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[5] is not None and r[5] < today), r[8])
        for r in rows
    ]


def open_actions_for_contact(session: Session, contact_id: int, today: dt.date, limit: int = 10) -> list[MyAction]:
    """Unfinished steps of the plans of the contact's account, soonest first (the follow-up context)."""
    account_id = select(ContactRow.account_id).where(ContactRow.id == contact_id).scalar_subquery()
    rows = session.execute(
        select(
            PlanActionRow.id,
            PlanActionRow.plan_id,
            AccountRow.name,
            AccountPlanRow.period,
            PlanActionRow.task,
            PlanActionRow.deadline,
            PlanActionRow.status,
            PlanActionRow.progress,
        )
        .join(AccountPlanRow, AccountPlanRow.id == PlanActionRow.plan_id)
        .join(AccountRow, AccountRow.id == AccountPlanRow.account_id)
        .where(AccountPlanRow.account_id == account_id, PlanActionRow.status != "done")
        .order_by(PlanActionRow.deadline.is_(None), PlanActionRow.deadline)
        .limit(limit)
    )
    return [MyAction(*r, r[5] is not None and r[5] < today) for r in rows]


def add_review(session: Session, plan_id: int, review: RelationshipReview, by: str) -> int:
    row = PlanReviewRow(
        plan_id=plan_id,
        reviewed_on=review.reviewed_on,
        scores_json=json.dumps(review.scores, sort_keys=True),
        notes=review.notes,
        reviewed_by=by,
    )
    session.add(row)
    session.flush()
    return row.id


def reviews(session: Session, plan_id: int) -> list[RelationshipReview]:
    """The plan account's reviews over all its plans, oldest first (the trend spans periods)."""
    account_id = select(AccountPlanRow.account_id).where(AccountPlanRow.id == plan_id).scalar_subquery()
    rows = session.scalars(
        select(PlanReviewRow)
        .join(AccountPlanRow, AccountPlanRow.id == PlanReviewRow.plan_id)
        .where(AccountPlanRow.account_id == account_id)
        .order_by(PlanReviewRow.reviewed_on, PlanReviewRow.id)
    )
    return [
        RelationshipReview(
            r.reviewed_on, {k: int(v) for k, v in json.loads(r.scores_json).items()}, r.notes, r.reviewed_by, r.id
        )
        for r in rows
    ]


def plan_for_period(session: Session, account_id: int, period: str | None) -> int | None:
    stmt = select(AccountPlanRow.id).where(AccountPlanRow.account_id == account_id)
    if period:
        stmt = stmt.where(func.lower(AccountPlanRow.period) == period.strip().lower())
    return session.scalar(stmt.order_by(AccountPlanRow.starts_on.desc(), AccountPlanRow.id.desc()).limit(1))


def accounts_of_class(session: Session, account_class: str, limit: int) -> list[tuple[int, str | None]]:
    """(id, cycle stage) of the accounts of one class, largest value first."""
    cls = func.coalesce(AccountRow.pinned_class, AccountRow.computed_class)
    return [
        (r[0], r[1])
        for r in session.execute(
            select(AccountRow.id, AccountRow.cycle_stage)
            .where(cls == account_class)
            .order_by(AccountRow.value_cents.desc())
            .limit(limit)
        )
    ]
