"""Account use cases: the list, the editor's load and save, pins, and recomputing classes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from kamdesk.domain import clock
from kamdesk.domain.accounts import validate_account, validate_pin
from kamdesk.domain.cost_to_serve import CostToServe, costliest
from kamdesk.domain.dashboard import AccountTier, DashboardData, ParetoData, build_pyramids
from kamdesk.domain.enums import AccountClass
from kamdesk.domain.merge import RecordStamp, apply_account_fields, merge_accounts
from kamdesk.domain.models import (
    AccountDetail,
    AccountListItem,
    AccountQuery,
    ClassHistoryEntry,
    RecomputeResult,
    TeamMember,
)
from kamdesk.domain.settings import TeamSettings
from kamdesk.domain.strategy import (
    PyramidRule,
    StrategyAdvice,
    StrategyContext,
    advise,
    group_of,
    pyramid_tier,
    strategy,
)
from kamdesk.gui_turns import pause_point
from kamdesk.i18n import _
from kamdesk.services.conflicts import RecordMerge
from kamdesk.storage import account_facts as facts_store
from kamdesk.storage import accounts as store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database
from kamdesk.storage.record_stamps import record_stamp

#: How far back the dashboard counts logged contact time and class moves by default.
DASHBOARD_WINDOW = dt.timedelta(days=365)
MOVES_WINDOW = dt.timedelta(days=90)
#: The stingy customer's effort cap is counted over this many days (a quarter).
EFFORT_WINDOW = dt.timedelta(days=90)
#: Planned time on the pyramid: follow-ups and visits due from today up to this far ahead.
PLANNED_WINDOW = dt.timedelta(days=90)
#: Cost to serve counts time, gifts and hospitality over the last twelve months.
COST_WINDOW = dt.timedelta(days=365)


def pyramid_rule(settings: TeamSettings) -> PyramidRule:
    return PyramidRule.of(settings)


def _count_groups(basics: list[facts_store.AccountBasics], rule: PyramidRule) -> dict[str, int]:
    counts: dict[str, int] = {}
    for b in basics:
        group = group_of(b.facts, rule).value
        counts[group] = counts.get(group, 0) + 1
    return counts


def key_rule_text(rule: PyramidRule) -> str:
    """How the key tier is chosen, in words."""
    if rule.basis == "class_a":
        return _("Key accounts: class A, paying, not stingy and not of low attractiveness.")
    return _("Key accounts: the top {share}% by value, paying, not stingy and not of low attractiveness.").format(
        share=rule.key_share
    )


@dataclass
class AccountService:
    db: Database

    #: The person's date, from kamdesk's one clock (fix it there, not here).
    today = staticmethod(clock.today)

    # The list ---------------------------------------------------------------------------------
    def count(self, query: AccountQuery) -> int:
        with self.db.read() as session:
            return store.count_accounts(session, query)

    def page(self, query: AccountQuery, offset: int, limit: int) -> list[AccountListItem]:
        with self.db.read() as session:
            return store.account_page(session, query, offset, limit)

    def first_page(self, query: AccountQuery, limit: int) -> tuple[list[AccountListItem], int]:
        """The first page and how many accounts match, in one unit of work (on a file server each
        unit pays its lock and journal requests)."""
        with self.db.read() as session:
            return store.account_page(session, query, 0, limit), store.count_accounts(session, query)

    def cities(self) -> list[str]:
        with self.db.read() as session:
            return store.cities(session)

    def filter_choices(self) -> tuple[list[TeamMember], list[str]]:
        """The list's owner and city choices (our team, the accounts' cities) in one unit of work."""
        with self.db.read() as session:
            return repo.team_members(session), store.cities(session)

    # One account ------------------------------------------------------------------------------
    def get(self, account_id: int) -> AccountDetail | None:
        with self.db.read() as session:
            return store.account_detail(session, account_id)

    def history(self, account_id: int) -> list[ClassHistoryEntry]:
        with self.db.read() as session:
            return store.class_history(session, account_id)

    def save(self, detail: AccountDetail) -> tuple[int, RecomputeResult]:
        """Validate and save an account; when its values or potential changed (or it is new), recompute
        every class in the same transaction.

        A save that leaves the inputs of classing alone (notes, stages, team…) does not re-read every
        account's values while holding the write lock: on a file server that is hundreds of requests
        with colleagues waiting. Classes still follow the calendar through the daily recompute.
        """
        validate_account(detail)
        validate_pin(detail.pinned_class, detail.pin_reason)
        with self.db.write() as session:
            before = store.account_detail(session, detail.id) if detail.id is not None else None
            account_id = store.save_account(session, detail, self.db.user_name)
            if before is not None and not _moves_classes(before, detail):
                return account_id, RecomputeResult(ranked=0, unranked=0, moved=[], values_changed=0)
            settings = repo.load_team_settings(session)
            result = store.recompute(session, settings, self.today(), self.db.user_name, self.db.host)
        return account_id, result

    # Saves that met someone else's -------------------------------------------------------------
    def stamp(self, account_id: int) -> RecordStamp | None:
        """The account's version and who changed it last, or who deleted it (cheap; for "changed underneath")."""
        with self.db.read() as session:
            return record_stamp(session, "accounts", account_id)

    def merge(self, base: AccountDetail, mine: AccountDetail) -> RecordMerge[AccountDetail]:
        """Merge my edits (`mine`, made on `base`) with the account as it is now."""
        assert base.id is not None
        with self.db.read() as session:
            current = store.account_detail(session, base.id)
            stamp = record_stamp(session, "accounts", base.id)
        assert stamp is not None
        result = merge_accounts(base, mine, current) if current is not None else None
        return RecordMerge(base, mine, current, stamp, result, apply_account_fields)

    def restore_as_new(self, mine: AccountDetail) -> tuple[int, RecomputeResult]:
        """Save my version of an account someone else deleted as a new account, with its values and team."""
        return self.save(replace(mine, id=None, version=0))

    def delete(self, account_id: int, version: int) -> None:
        with self.db.write() as session:
            store.delete_account(session, account_id, version)
            settings = repo.load_team_settings(session)
            store.recompute(session, settings, self.today(), self.db.user_name, self.db.host)

    def pin(self, account_id: int, version: int, pinned: AccountClass | None, reason: str) -> None:
        """Set a class by hand (a reason is required) or, with None, go back to the computed class."""
        validate_pin(pinned, reason)
        with self.db.write() as session:
            store.set_pin(session, account_id, version, pinned, reason, self.db.user_name)

    def recompute(self) -> RecomputeResult:
        with self.db.write() as session:
            settings = repo.load_team_settings(session)
            return store.recompute(session, settings, self.today(), self.db.user_name, self.db.host)

    def currency(self) -> str:
        with self.db.read() as session:
            return repo.load_team_settings(session).currency

    def class_b_floor(self) -> int | None:
        """The ranking value of the last class-B account: the bar a potential must reach to count as high."""
        with self.db.read() as session:
            return store.class_boundary(session, AccountClass.B)

    # Strategy (kamdesk.domain.strategy) -------------------------------------------------------
    def strategy_context(self, account_id: int | None) -> StrategyContext:
        """An account's rank, the class-B floor, its time in the last 90 days and the team's pyramid rule."""
        with self.db.read() as session:
            settings = repo.load_team_settings(session)
            floor = store.class_boundary(session, AccountClass.B)
            if account_id is None:
                rank, ranked, minutes = None, facts_store.ranks(session)[1], 0
            else:
                rank, ranked = facts_store.rank_of(session, account_id)
                since = self.today() - EFFORT_WINDOW
                minutes = facts_store.logged_by_account(session, since, account_id).get(account_id, 0)
        return StrategyContext(rank, ranked, floor, minutes, pyramid_rule(settings))

    def advice_for(self, detail: AccountDetail) -> StrategyAdvice:
        """The strategy for an account as given (the editor's form), with its stored rank and time."""
        return advise(detail, self.strategy_context(detail.id))

    def advice(self, account_id: int) -> StrategyAdvice | None:
        """The strategy for a stored account, with its reasons (None: no such account)."""
        found = self.strategies(account_id)
        return found[0][2] if found else None

    def strategies(self, account_id: int | None = None) -> list[tuple[int, str, StrategyAdvice]]:
        """(id, name, advice) for every account, or for one."""
        with self.db.read() as session:
            settings = repo.load_team_settings(session)
            floor = store.class_boundary(session, AccountClass.B)
            basics = facts_store.account_basics(session, floor, self.today() - EFFORT_WINDOW, account_id)
        rule = pyramid_rule(settings)
        return [(b.id, b.name, strategy(b.facts, rule)) for b in basics]

    def strategy_counts(self) -> dict[str, int]:
        with self.db.read() as session:
            settings = repo.load_team_settings(session)
            floor = store.class_boundary(session, AccountClass.B)
            basics = facts_store.account_basics(session, floor, self.today() - EFFORT_WINDOW)
        return _count_groups(basics, pyramid_rule(settings))

    # Cost to serve -----------------------------------------------------------------------------
    def costs(self, account_id: int | None = None) -> list[CostToServe]:
        """Cost to serve over the last twelve months, for every account or one."""
        today = self.today()
        since = today - COST_WINDOW
        with self.db.read() as session:
            settings = repo.load_team_settings(session)
            return self._costs(session, settings, today, since, account_id)

    @staticmethod
    def _costs(
        session: Any,
        settings: TeamSettings,
        today: dt.date,
        since: dt.date,
        account_id: int | None,
        basics: list[facts_store.AccountBasics] | None = None,
        logged: dict[int, int] | None = None,
    ) -> list[CostToServe]:
        if logged is None:
            logged = facts_store.logged_by_account(session, since, account_id)
        spend = facts_store.spend_by_account(session, since, today, account_id)
        money = facts_store.revenue_and_profit(session, today, account_id)
        result = []
        if basics is None:  # the minutes logged since `since` are what account_basics would read again
            basics = facts_store.account_basics(session, None, since, account_id, logged)
        for b in basics:
            s = spend.get(b.id)
            revenue, profit = money.get(b.id, (None, None))
            result.append(
                CostToServe(
                    b.id,
                    b.name,
                    logged.get(b.id, 0),
                    settings.hourly_cost_cents,
                    s.gifts if s else 0,
                    s.hospitality if s else 0,
                    revenue,
                    profit,
                    b.facts.account_class.value if b.facts.account_class else "",
                    s.planned_hospitality if s else 0,
                )
            )
        return result

    def cost_to_serve(self, account_id: int) -> tuple[CostToServe, tuple[int, int]] | None:
        """One account's cost to serve and the team's (watch, too costly) marks; None: no such account."""
        with self.db.read() as session:
            settings = repo.load_team_settings(session)
            today = self.today()
            found = self._costs(session, settings, today, today - COST_WINDOW, account_id)
        return (found[0], (settings.cost_watch_pct, settings.cost_alarm_pct)) if found else None

    # Dashboard --------------------------------------------------------------------------------
    def dashboard(self) -> DashboardData:
        today = self.today()
        since = today - DASHBOARD_WINDOW
        moves_since = today - MOVES_WINDOW
        until = today + PLANNED_WINDOW
        with self.db.read() as session:
            settings = repo.load_team_settings(session)
            rule = pyramid_rule(settings)
            floor = store.class_boundary(session, AccountClass.B)
            # The minutes logged over the year, the quarter and the cost window, in one read of their index.
            year, quarter, cost_window = facts_store.logged_windows(
                session, since, today - EFFORT_WINDOW, today - COST_WINDOW
            )
            pause_point()  # between the parts (each tens of ms of Python), the GUI thread first while it is busy
            basics = facts_store.account_basics(
                session, floor, today - EFFORT_WINDOW, minutes=facts_store.per_account(quarter)
            )
            pause_point()
            tiers = [AccountTier(b.id, pyramid_tier(b.facts, rule), b.owner_id) for b in basics]
            spent = facts_store.time_spent(session, since, today, until, logged_since=year)
            pause_point()
            names = {m.id: m.name for m in repo.team_members(session)}
            costs = self._costs(
                session, settings, today, today - COST_WINDOW, None, basics, facts_store.per_account(cost_window)
            )
            pause_point()
            pyramids = build_pyramids(tiers, spent, names, since, until)
            counts = _count_groups(basics, rule)
            return DashboardData(
                pareto=ParetoData(tuple(store.pareto_points(session)), settings.currency),
                pyramid=pyramids[None],
                by_class=store.counts_by(session, "class"),
                by_stage=store.counts_by(session, "sales_stage"),
                by_cycle=store.counts_by(session, "cycle_stage"),
                movements=store.class_movements(session, dt.datetime.combine(moves_since, dt.time())),
                movements_since=moves_since,
                pyramids=pyramids,
                strategy_counts=counts,
                costliest=tuple(costliest(costs)),
                cost_marks=(settings.cost_watch_pct, settings.cost_alarm_pct),
                key_rule=key_rule_text(rule),
            )


def _moves_classes(before: AccountDetail, after: AccountDetail) -> bool:
    """True when a save changes what classing reads: the account's values or its potential."""

    def values(detail: AccountDetail) -> set[tuple[str, int, int | None]]:
        return {(v.period, v.revenue_cents, v.profit_cents) for v in detail.values}

    return values(before) != values(after) or before.potential_cents != after.potential_cents
