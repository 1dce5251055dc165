"""Account plans: create, copy forward, save with conflict checks, track actions, review, print the pack."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from kamdesk.domain import clock
from kamdesk.domain.enums import RankTier, RelationshipStage, TeamRole
from kamdesk.domain.org_map import MapAnalysis, OrgMapData
from kamdesk.domain.plans import (
    AccountPlan,
    MyAction,
    PackContact,
    PlanError,
    PlanPack,
    PlanSummary,
    RelationshipReview,
    copy_forward,
    normal_period,
    period_dates,
    validate,
    validate_review,
)
from kamdesk.i18n import _
from kamdesk.storage import plans as store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database

__all__ = ["PlanError", "PlanService"]


class PlanService:
    def __init__(self, db: Database) -> None:
        self.db = db

    #: The person's date, from kamdesk's one clock (fix it there, not here).
    today = staticmethod(clock.today)

    def plans(self, account_id: int) -> list[PlanSummary]:
        with self.db.read() as session:
            return store.plans_of_account(session, account_id)

    def get(self, plan_id: int) -> AccountPlan | None:
        with self.db.read() as session:
            return store.load_plan(session, plan_id)

    def find(self, account_id: int, period: str | None = None) -> int | None:
        """The plan of `period`, or the latest plan of the account when no period is given."""
        with self.db.read() as session:
            return store.plan_for_period(session, account_id, period)

    def new(self, account_id: int, period: str) -> AccountPlan:
        """An unsaved plan with the period's dates and the roles taken from the account team."""
        from kamdesk.services.accounts import AccountService

        detail = AccountService(self.db).get(account_id)
        if detail is None:
            raise PlanError(_("The account no longer exists."))
        dates = period_dates(period)
        roles = {t.role: t.member_id for t in detail.team}
        return AccountPlan(
            account_id=account_id,
            period=period.strip(),
            starts_on=dates[0] if dates else None,
            ends_on=dates[1] if dates else None,
            owner_id=roles.get(TeamRole.ACCOUNT_MANAGER.value) or detail.owner_id,
            sponsor_id=roles.get(TeamRole.EXECUTIVE_SPONSOR.value),
            sales_manager_id=roles.get(TeamRole.SALES_MANAGER.value),
            cycle_stage=detail.cycle_stage,
            account_name=detail.name,
            account_class=detail.effective_class.value if detail.effective_class else None,
        )

    def copy_forward(self, plan_id: int, period: str) -> AccountPlan:
        """An unsaved copy of a plan for the next period (see domain.plans.copy_forward)."""
        plan = self.get(plan_id)
        if plan is None:
            raise PlanError(_("The plan no longer exists."))
        return copy_forward(plan, period)

    def save(self, plan: AccountPlan) -> int:
        """Store the plan; problems raise PlanError, someone else's newer save raises ConflictError."""
        plan = replace(plan, period=normal_period(plan.period))
        with self.db.read() as session:
            active = {m.id for m in repo.team_members(session) if m.active}
        problems = validate(plan, active)
        if problems:
            raise PlanError("\n".join(problems))
        with self.db.write() as session:
            # Checked inside the write: a colleague's plan saved since any earlier look is seen here (the
            # write holds the file on SQLite, and the account's row on a server, until it commits).
            if store.period_taken(session, plan.account_id, plan.period, plan.id, lock_account=True):
                raise PlanError(_("This account already has a plan for {period}.").format(period=plan.period))
            return store.save_plan(session, plan, self.db.user_name, self.today())

    def delete(self, plan_id: int, version: int) -> None:
        with self.db.write() as session:
            store.delete_plan(session, plan_id, version)

    def sponsor_review(self, plan: AccountPlan, reviewer: str) -> int:
        """Record that the executive sponsor reviewed the plan (who, today) and save it."""
        return self.save(
            replace(plan, sponsor_reviewed_by=reviewer.strip() or self.db.user_name, sponsor_reviewed_on=self.today())
        )

    # Actions across plans ---------------------------------------------------------------------
    def my_actions(self, member_id: int) -> list[tuple[MyAction, int]]:
        with self.db.read() as session:
            return store.open_actions(session, member_id, self.today())

    def mark_done(self, action_id: int, version: int) -> int:
        """Mark a step done (recording who and when); returns the plan's id."""
        with self.db.write() as session:
            return store.mark_action_done(session, action_id, version, self.db.user_name, self.today())

    # Relationship reviews ---------------------------------------------------------------------
    def add_review(
        self, plan_id: int, scores: dict[str, int], notes: str = "", reviewed_on: dt.date | None = None
    ) -> int:
        problems = validate_review({k: v for k, v in scores.items() if v})
        if problems:
            raise PlanError("\n".join(problems))
        review = RelationshipReview(reviewed_on or self.today(), {k: v for k, v in scores.items() if v}, notes)
        with self.db.write() as session:
            return store.add_review(session, plan_id, review, self.db.user_name)

    def reviews(self, plan_id: int) -> list[RelationshipReview]:
        with self.db.read() as session:
            return store.reviews(session, plan_id)

    # The printed pack -------------------------------------------------------------------------
    def pack(self, plan_id: int) -> PlanPack | None:
        plan = self.get(plan_id)
        return self.pack_of(plan) if plan is not None else None

    def pack_of(self, plan: AccountPlan, worksheet: bool = False) -> PlanPack:
        """The pack of a plan as given (saved or not: an account with no plan prints an empty one). The roles are
        the plan's own where it names them, else the account team's; `worksheet` prints a blank plan to fill in."""
        from kamdesk.services.accounts import AccountService
        from kamdesk.services.contacts import ContactService
        from kamdesk.services.smart import SmartService
        from kamdesk.services.zipper import ZipperService

        plan_id = plan.id
        with self.db.read() as session:
            names = {m.id: m.name for m in repo.team_members(session)}
            settings = repo.load_team_settings(session)
        accounts = AccountService(self.db)
        detail = accounts.get(plan.account_id)
        team = {t.role: t.member_id for t in detail.team} if detail else {}
        contacts: list[PackContact] = []
        found = ContactService(self.db).org_map(plan.account_id)
        if found is not None:
            contacts = _pack_contacts(*found)
        from_team: list[str] = []

        def role(own: int | None, key: TeamRole) -> str:
            # The team's person, unless the plan names someone else (a new plan starts with the team's people).
            member = team.get(key.value)
            if member is not None and own in (None, member):
                from_team.append(key.value)
                return names.get(member, "")
            return names.get(own or 0, "")

        manager_id = team.get(TeamRole.ACCOUNT_MANAGER.value)
        return PlanPack(
            plan,
            names.get(plan.owner_id or 0, ""),
            role(plan.sponsor_id, TeamRole.EXECUTIVE_SPONSOR),
            role(plan.sales_manager_id, TeamRole.SALES_MANAGER),
            contacts,
            self.reviews(plan_id) if plan_id is not None else [],
            self.today(),
            settings.currency,
            ZipperService(self.db).findings(plan.account_id),
            SmartService(self.db).context(plan),
            account_manager=names.get(manager_id or plan.owner_id or 0, ""),
            from_team=tuple(from_team) + ((TeamRole.ACCOUNT_MANAGER.value,) if manager_id else ()),
            values=sorted(detail.values, key=lambda v: v.period) if detail else [],
            class_history=accounts.history(plan.account_id),
            org_map=found,
            printed_by=self.db.user_name,
            confidentiality=settings.confidentiality_mark(),
            worksheet=worksheet,
        )

    def print_pack(self, plan_id: int, out: str | Path) -> bool:
        """Write the plan pack PDF; False when the plan no longer exists."""
        from kamdesk.reports.plan_pack import build

        pack = self.pack(plan_id)
        if pack is None:
            return False
        build(pack, out)
        return True

    def print_empty_pack(self, account_id: int, period: str, out: str | Path) -> None:
        """A worksheet for an account that has no plan for `period` yet: each section's questions with ruled
        space to write in, and empty rows for objectives, actions and the revenue plan by period."""
        from kamdesk.reports.plan_pack import build

        build(self.pack_of(self.new(account_id, period), worksheet=True), out)


def _pack_contacts(data: OrgMapData, analysis: MapAnalysis) -> list[PackContact]:
    """Their people for the pack's contacts page: key people first, then by rank and name."""
    order = list(RankTier)
    people = sorted(data.theirs, key=lambda c: (not c.is_key, order.index(c.rank) if c.rank else 9, c.name))
    stages = list(RelationshipStage)
    contacts = []
    for person in people:
        target = analysis.targets.get(person.id)
        stage = RelationshipStage(person.stage) if person.stage in {s.value for s in stages} else None
        contacts.append(
            PackContact(
                person.name,
                person.title,
                person.rank.label if person.rank else "",
                person.role.label if person.role else "",
                stage.label if stage else "",
                target.label if target else "",
                bool(stage and target and stages.index(stage) < stages.index(target)),
            )
        )
    return contacts
