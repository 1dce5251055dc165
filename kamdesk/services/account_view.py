"""The account workspace's read: one account's header, people against target, plan, timeline and follow-ups,
in one read transaction and a fixed handful of queries; and the list of plans."""

from __future__ import annotations

from dataclasses import dataclass

from kamdesk.domain import clock
from kamdesk.domain.account_view import AccountView, ClassReason, ContactStanding, PlanListRow
from kamdesk.domain.enums import AccountClass, RelationshipStage
from kamdesk.domain.models import AccountQuery
from kamdesk.domain.org_map import analyse_map, stage_gap
from kamdesk.domain.strategy import PyramidRule, StrategyContext, advise
from kamdesk.services.accounts import EFFORT_WINDOW
from kamdesk.storage import account_facts as facts_store
from kamdesk.storage import account_view as store
from kamdesk.storage import accounts as account_store
from kamdesk.storage import contacts as contact_store
from kamdesk.storage import plans as plan_store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database


def _stage(value: str) -> RelationshipStage:
    try:
        return RelationshipStage(value)
    except ValueError:
        return RelationshipStage.STRANGER


@dataclass(frozen=True)
class FinderResult:
    accounts: list[tuple[int, str, str]]  # (id, name, class)
    contacts: list[tuple[int, str, str, int | None, str]]  # (id, name, title, account id, account name)


@dataclass
class AccountViewService:
    db: Database

    #: The person's date, from kamdesk's one clock (fix it there, not here).
    today = staticmethod(clock.today)

    def load(self, account_id: int) -> AccountView | None:
        """Everything the workspace shows of one account; None when it no longer exists."""
        today = self.today()
        with self.db.read() as session:
            detail = account_store.account_detail(session, account_id)
            if detail is None:
                return None
            settings = repo.load_team_settings(session)
            members = {m.id: m.name for m in repo.team_members(session)}
            rank, ranked = store.value_rank(session, detail.value_cents)
            b_floor = account_store.class_boundary(session, AccountClass.B)
            # Time spent on it lately: the strategy warns when a small account takes more than its share.
            minutes = facts_store.logged_by_account(session, today - EFFORT_WINDOW, account_id).get(account_id, 0)
            data = contact_store.org_map_data(session, account_id)
            plan_id = plan_store.plan_for_period(session, account_id, None)
            plan = plan_store.load_plan(session, plan_id) if plan_id is not None else None
            timeline = store.timeline(session, account_id)
            followups = store.open_followups(session, account_id)
        analysis = analyse_map(data, settings) if data is not None else None
        owner = members.get(detail.owner_id or 0, "")
        contacts = []
        if data is not None and analysis is not None:
            for person in data.theirs:
                target = analysis.targets.get(person.id)
                contacts.append(
                    ContactStanding(
                        person.id,
                        person.name,
                        person.title,
                        person.rank_tier or "",
                        person.buying_role or "",
                        person.stage,
                        target.value if target else None,
                        stage_gap(_stage(person.stage), target),
                    )
                )
        contacts.sort(key=lambda c: (-(c.gap or 0), c.name))
        return AccountView(
            account_id=account_id,
            name=detail.name,
            city=detail.city,
            industry=detail.industry,
            sales_stage=detail.sales_stage,
            class_reason=ClassReason(
                detail.effective_class,
                detail.value_cents,
                rank if detail.computed_class is not None else None,
                ranked,
                detail.pinned_class is not None,
                detail.pin_reason,
                detail.pinned_by,
            ),
            values=[(v.period, v.revenue_cents) for v in detail.values],
            strategy=advise(
                detail,
                StrategyContext(
                    rank if detail.computed_class is not None else None,
                    ranked,
                    b_floor,
                    minutes,
                    PyramidRule.of(settings),
                ),
            ),
            owner_name=owner,
            team=[(m.member_name, m.role) for m in detail.team],
            contacts=contacts,
            org_map=(data, analysis) if data is not None and analysis is not None else None,
            plan_id=plan.id if plan is not None else None,
            plan_period=plan.period if plan is not None else "",
            objectives=list(plan.objectives) if plan is not None else [],
            open_actions=[a for a in plan.actions if a.status != "done"] if plan is not None else [],
            timeline=timeline,
            open_followups=followups,
            today=today,
            currency=settings.currency,
            notes=detail.notes,
        )

    def find(self, text: str, limit: int = 8) -> FinderResult:
        """Accounts and contacts whose name, pinyin or initials match `text` (the quick finder, Ctrl+F)."""
        text = text.strip()
        if not text:
            return FinderResult([], [])
        with self.db.read() as session:
            accounts = account_store.account_page(session, AccountQuery(search=text), 0, limit)
            contacts = store.find_contacts(session, text, limit)
        return FinderResult(
            [(a.id, a.name, a.effective_class.value if a.effective_class else "") for a in accounts], contacts
        )

    def plans(self, owner_id: int | None = None) -> list[PlanListRow]:
        """Every plan (or those `owner_id` owns, by the plan or its account), most recently changed first."""
        with self.db.read() as session:
            return store.plan_list(session, self.today(), owner_id)
