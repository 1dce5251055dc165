"""Contact use cases: the list and card, stage changes, links, and the zipper org map of an account."""

from __future__ import annotations

from dataclasses import dataclass

from kamdesk.domain.org_map import MapAnalysis, OrgMapData, analyse_map
from kamdesk.storage import contacts as store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database


@dataclass
class ContactService:
    db: Database

    def find_accounts(self, name: str) -> list[int]:
        with self.db.read() as session:
            return store.find_account_ids(session, name)

    def org_map(self, account_id: int) -> tuple[OrgMapData, MapAnalysis] | None:
        """The zipper map of one account and what it reveals (targets from the team's matrix)."""
        with self.db.read() as session:
            data = store.org_map_data(session, account_id)
            settings = repo.load_team_settings(session)
        if data is None:
            return None
        return data, analyse_map(data, settings)
