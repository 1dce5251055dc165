"""The demo book's agenda for the weeks ahead, planned by kamdesk's own planners as a team using it would have.

Rule-made calls and care greetings, birthdays (solar and lunar) and anniversaries come from the contact
rules (FollowUpService.generate); festival greetings from the festival planner; e-mails with a reply owed
and call-backs from the planner a salesperson uses; the account plans' next steps and the planned visits
from the plans and the Visits page. So every item says why it is there, as it would in real use.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from kamdesk.domain.chinese_calendar import Festival, festivals
from kamdesk.services.demo_plans import AHEAD, PlanStep
from kamdesk.services.followups import FollowUpService
from kamdesk.storage import followups as store
from kamdesk.storage.database import Database

#: What the demo's salespeople wrote to key people, waiting for an answer (subject, days until the reply is due).
EMAILS = (
    ("明年框架合同报价及付款条件", 5),
    ("新产线设备技术方案（第二版）", 7),
    ("年度服务回顾与改进建议", 4),
)
#: Calls that came in when nobody was ready, to be returned.
CALL_BACKS = ("询问备件交期", "对上月发票有疑问", "想了解新产品的试用安排")
#: Kinds of step that mean going there in person.
IN_PERSON = ("拜访", "互访", "参观", "回访", "培训")

Person = tuple[int, str, int | None, str, str | None, str | None, int | None]


def add_demo_agenda(db: Database, today: dt.date, seed: int, steps: Sequence[PlanStep]) -> None:
    """Plan the next 60 days' follow-ups through the planners."""
    rng = random.Random(seed + 21)
    followups = FollowUpService(db)
    end = today + AHEAD
    with db.read() as session:
        people = store.contacts_for_greetings(session)
    key_people = [p for p in people if p[4] == "A" and p[6] is not None]
    ruled = {p[0] for p in people if p[4] in ("A", "B")}
    followups.generate(today, end, seed=seed, contact_ids=ruled)
    for festival in _coming_festivals(today, end):
        plan = followups.plan_greetings(festival.key, festival.date.year)
        followups.confirm([p for p in plan.proposals if p.account_class == "A" and p.date and p.date <= end])
    chosen = rng.sample(key_people, min(len(key_people), len(EMAILS) + len(CALL_BACKS)))
    for (subject, days), person in zip(EMAILS, chosen, strict=False):
        followups.plan(
            kind="email",
            due_on=today + dt.timedelta(days=1),
            contact_id=person[0],
            account_id=person[2],
            member_id=person[6],
            subject=subject,
            important=True,
            reply_due_on=today + dt.timedelta(days=1 + days),
        )
    for offset, (matter, person) in enumerate(zip(CALL_BACKS, chosen[len(EMAILS) :], strict=False)):
        followups.call_back(
            contact_id=person[0],
            account_id=person[2],
            member_id=person[6],
            matter=matter,
            due_on=today + dt.timedelta(days=1 + offset),
        )
    _plan_steps(followups, steps, today, end)


def _coming_festivals(today: dt.date, end: dt.date) -> list[Festival]:
    """The business festivals whose greetings fall in the weeks ahead (greeted up to two days before)."""
    return [
        f
        for year in (today.year, today.year + 1)
        for f in festivals(year)
        if f.business and today <= f.date <= end + dt.timedelta(days=2)
    ]


def _plan_steps(followups: FollowUpService, steps: Sequence[PlanStep], today: dt.date, end: dt.date) -> None:
    for step in steps:
        if not today <= step.deadline <= end:
            continue
        followups.plan(
            kind="visit" if any(word in step.task for word in IN_PERSON) else "call",
            due_on=step.deadline,
            account_id=step.account_id,
            member_id=step.owner_id,
            subject=step.task,
            reason="plan_action",
            reason_detail=f"{step.period}: {step.objective}" if step.objective else step.period,
        )
