"""How the plans pages read and write: through kamdesk.ui.ops, off the GUI thread, failures said and logged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from kamdesk.domain.models import TeamMember
from kamdesk.domain.plans import AccountPlan, PlanSummary, RelationshipReview, SmartContext
from kamdesk.services.plans import PlanService
from kamdesk.services.workspace import Workspace
from kamdesk.ui.errors import expected, log, report
from kamdesk.ui.ops import Op

T = TypeVar("T")

#: The change-log tables a write on the plans pages touches.
PLAN_WRITES = frozenset({"account_plans", "plan_objectives", "plan_actions", "plan_reviews"})


def read(
    owner: QWidget,
    background: bool,
    work: Callable[[], T],
    then: Callable[[T], None],
    show_problem: Callable[[str], None],
    title: str,
) -> None:
    """Run `work` off the GUI thread and hand its result to `then`.

    In the window (`background`) the result arrives later and the window stays free meanwhile; otherwise
    (a page used on its own, as tests do) this returns once `then` ran, a busy window showing if the
    file keeps it waiting. A failure people meet in normal work (a busy file) goes to `show_problem`
    and the log; anything else is reported.
    """

    def failed(exc: Exception) -> None:
        if expected(exc):
            log.warning("%s: %s", title, exc)
            show_problem(str(exc))
        else:
            report(owner, exc, title)

    op = Op(owner, work, title).failure(failed)
    if background:
        op.success(then).run()
        return
    try:
        result = op.wait()
    except Exception as exc:  # noqa: BLE001 - handed to `failed`, which shows and logs it
        failed(exc)
        return
    then(result)


def write(owner: QWidget, work: Callable[[], T], title: str) -> T:
    """Run a write off the GUI thread behind a busy window and return its result (or raise its error);
    every tab that shows the plans' tables is told once it went through."""
    return Op(owner, work, title).changes(PLAN_WRITES).wait()


@dataclass
class Reading:
    """What choosing an account or a plan reads: the account's plans, the chosen one and its reviews."""

    account_id: int | None
    summaries: list[PlanSummary] | None  # None: the period list stays as it is
    plan: AccountPlan | None = None
    reviews: list[RelationshipReview] = field(default_factory=list)
    #: Last year's revenue the SMART check compares with, read with the plan: {(account, year): cents}.
    actuals: dict[tuple[int, int], int | None] = field(default_factory=dict)
    #: The team for the editor's choosers, read with a plan when the tab's own read of it is not in yet.
    team: list[TeamMember] | None = None


def read_choice(service: PlanService, account: int | None, plan_id: int | None, keep_periods: bool) -> Reading:
    """What choosing (`account`, `plan_id`) shows: the account's plans and `plan_id` (else the first) with
    its reviews. With no account the plan names it; with `keep_periods` only the plan is read. Runs off
    the GUI thread, as one unit of work (on a file server each costs its lock requests)."""
    with service.db.read_together():
        found = None
        if account is None and plan_id is not None:  # opened from My actions
            found = service.get(plan_id)
            if found is None:
                return Reading(None, None)
            account = found.account_id
        summaries = None if keep_periods else service.plans(account) if account is not None else []
        ids = [s.id for s in summaries] if summaries is not None else [plan_id]
        chosen = plan_id if plan_id in ids else ids[0] if ids else None
        plan = found if found is not None and chosen == plan_id else service.get(chosen) if chosen is not None else None
        return Reading(account, summaries, plan, service.reviews(chosen) if plan is not None and chosen else [])


def read_plan(
    workspace: Workspace, account: int | None, plan_id: int | None, keep_periods: bool, with_team: bool
) -> Reading:
    """`read_choice`, with last year's revenue the plan's SMART check needs and (`with_team`) the team its
    choosers offer: one unit of work, off the GUI thread."""
    service = workspace.plans
    with service.db.read_together():
        reading = read_choice(service, account, plan_id, keep_periods)
        reading.actuals = read_actuals(workspace, reading.plan)
        if with_team and reading.plan is not None:
            reading.team = workspace.team.members()
    return reading


def smart_key(plan: AccountPlan) -> tuple[int, int] | None:
    """(account, year) of the revenue the SMART check compares `plan` with: the year before it starts."""
    start = SmartContext.of(plan).starts_on
    return None if start is None else (plan.account_id, start.year - 1)


def read_actuals(workspace: Workspace, plan: AccountPlan | None) -> dict[tuple[int, int], int | None]:
    """Last year's revenue for the SMART check of `plan`, read ahead (off the GUI thread) with the plan."""
    key = smart_key(plan) if plan is not None else None
    return {} if key is None else {key: workspace.smart.actual_revenue(*key)}
