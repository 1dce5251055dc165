"""Account use cases: the list, the editor's load and save, pins, and recomputing classes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from kamdesk.domain import clock
from kamdesk.domain.accounts import Strategy, account_strategy, validate_account, validate_pin
from kamdesk.domain.dashboard import DashboardData, ParetoData, PyramidData
from kamdesk.domain.enums import AccountClass
from kamdesk.domain.merge import RecordStamp, apply_account_fields, merge_accounts
from kamdesk.domain.models import (
    AccountDetail,
    AccountListItem,
    AccountQuery,
    ClassHistoryEntry,
    RecomputeResult,
)
from kamdesk.services.conflicts import RecordMerge
from kamdesk.storage import accounts as store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database
from kamdesk.storage.record_stamps import record_stamp

#: How far back the dashboard counts logged contact time and class moves by default.
DASHBOARD_WINDOW = dt.timedelta(days=365)
MOVES_WINDOW = dt.timedelta(days=90)


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

    def cities(self) -> list[str]:
        with self.db.read() as session:
            return store.cities(session)

    # One account ------------------------------------------------------------------------------
    def get(self, account_id: int) -> AccountDetail | None:
        with self.db.read() as session:
            return store.account_detail(session, account_id)

    def history(self, account_id: int) -> list[ClassHistoryEntry]:
        with self.db.read() as session:
            return store.class_history(session, account_id)

    def save(self, detail: AccountDetail) -> tuple[int, RecomputeResult]:
        """Validate and save an account, then recompute every class in the same transaction."""
        validate_account(detail)
        validate_pin(detail.pinned_class, detail.pin_reason)
        with self.db.write() as session:
            account_id = store.save_account(session, detail, self.db.user_name)
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

    def strategy(self, detail: AccountDetail) -> Strategy:
        return account_strategy(detail, self.class_b_floor())

    # Dashboard --------------------------------------------------------------------------------
    def dashboard(self) -> DashboardData:
        today = self.today()
        since = today - DASHBOARD_WINDOW
        moves_since = today - MOVES_WINDOW
        with self.db.read() as session:
            settings = repo.load_team_settings(session)
            return DashboardData(
                pareto=ParetoData(tuple(store.pareto_points(session)), settings.currency),
                pyramid=PyramidData(tuple(store.pyramid_rows(session, since)), since),
                by_class=store.counts_by(session, "class"),
                by_stage=store.counts_by(session, "sales_stage"),
                by_cycle=store.counts_by(session, "cycle_stage"),
                movements=store.class_movements(session, dt.datetime.combine(moves_since, dt.time())),
                movements_since=moves_since,
            )
