"""Contact use cases: the list and card, stage changes, links, and the zipper org map of an account."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kamdesk.domain import clock
from kamdesk.domain.contacts import (
    ContactDetail,
    ContactListItem,
    ContactQuery,
    StageUpdate,
    validate_contact,
)
from kamdesk.domain.enums import AccountClass, RankTier, RelationshipStage
from kamdesk.domain.merge import RecordStamp, apply_contact_fields, merge_contacts
from kamdesk.domain.org_map import MapAnalysis, OrgMapData, analyse_map, target_stage
from kamdesk.domain.printing import Progress
from kamdesk.domain.settings import TeamSettings
from kamdesk.services.conflicts import RecordMerge
from kamdesk.services.contact_search import ContactRowCache, ContactSearchIndex
from kamdesk.storage import contacts as store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database
from kamdesk.storage.record_stamps import record_stamp


@dataclass
class ContactService:
    db: Database

    #: The person's date, from kamdesk's one clock (fix it there, not here).
    today = staticmethod(clock.today)

    # The list ---------------------------------------------------------------------------------
    def __post_init__(self) -> None:
        #: The search lines in memory: a keystroke reads only the rows it shows (services/contact_search.py).
        self.search_index = ContactSearchIndex(self.db)
        #: The rows a search shows, kept while the file does not change: a keystroke then costs one request.
        self.row_cache = ContactRowCache(self.db, on_change=self.search_index.mark_stale)

    def prepare_search(self) -> None:
        """Read the search lines, then every contact's list row, ahead of the first keystroke (off the GUI
        thread; once per file, and the rows again after a change)."""
        if self.db.is_sqlite:
            self.row_cache.check()  # first: a commit after it is seen at the next keystroke
            self.search_index.prepare()
            self.row_cache.read_all(self.search_index.contact_ids())

    def contacts_changed(self) -> None:
        """Contacts or accounts changed (here or by a colleague): the next search reads what changed first."""
        self.search_index.mark_stale()

    def count(self, query: ContactQuery) -> int:
        with self.db.read() as session:
            return store.count_contacts(session, query, repo.load_team_settings(session))

    def page(self, query: ContactQuery, offset: int, limit: int, total: int | None = None) -> list[ContactListItem]:
        """A page of the list; passing the count from `count` lets a broad search page faster."""
        found, counter = self._found(query)
        if found is not None and store.only_search(query) and query.sort_key == "name":
            return self.row_cache.rows(found[offset : offset + limit], counter)
        with self.db.read() as session:
            return store.contact_page(session, query, repo.load_team_settings(session), offset, limit, total, found)

    def first_page(self, query: ContactQuery, limit: int) -> tuple[list[ContactListItem], int]:
        """The first page and the number of matches, in one read.

        A search finds its matches in memory; sorted by name with no other filter, the page's rows come
        from memory too (those not read yet are read by key), and the count is the matches' number;
        else the matches go to SQL as ids and spare it the search scan."""
        found, counter = self._found(query)
        if found is not None and store.only_search(query) and query.sort_key == "name":
            return self.row_cache.rows(found[:limit], counter), len(found)
        with self.db.read() as session:
            settings = repo.load_team_settings(session)
            text = query.search.strip()
            if text and not self.db.is_sqlite:  # on a server: a narrow search fetches its few matches once
                hits = store.search_ids(session, text, store.MANY_MATCHES + 1)
                found = hits if len(hits) <= store.MANY_MATCHES else None
            total = store.count_contacts(session, query, settings, found)
            return store.contact_page(session, query, settings, 0, limit, total, found), total

    def _found(self, query: ContactQuery) -> tuple[list[int] | None, int | None]:
        """Every match of the search text in the list's name order (everyone for no text, once the lines are
        in memory; None: left to SQL, or too many for ids), and the file's change counter as the rows kept in
        memory are checked against (one request)."""
        if not self.db.is_sqlite:
            # A database server searches near its data, and its change-log ids may commit out of order
            # (services/changes.py), which the memory's catch-up by id would miss: it keeps the SQL search.
            return None, None
        if not query.search.strip() and not (
            self.search_index.loaded() and store.only_search(query) and query.sort_key == "name"
        ):
            return None, None  # everyone, filtered or sorted otherwise (or before the lines are in): SQL's work
        counter = self.row_cache.check()  # first: a commit since it moved is caught up by the matching
        found = self.search_index.matches(query.search, query.descending and query.sort_key == "name")
        if store.only_search(query) and query.sort_key == "name":
            return found, counter
        return (found if len(found) <= store.MANY_MATCHES else None), counter

    # The card ---------------------------------------------------------------------------------
    def get(self, contact_id: int) -> ContactDetail | None:
        with self.db.read() as session:
            return store.contact_detail(session, contact_id)

    def target(self, detail: ContactDetail, settings: TeamSettings | None = None) -> RelationshipStage | None:
        """The stage the team aims for with this person, from the account's class and their rank
        (under the team's `settings`, read here when not given)."""
        if settings is None:
            with self.db.read() as session:
                settings = repo.load_team_settings(session)
        rank = RankTier(detail.rank_tier) if detail.rank_tier in {r.value for r in RankTier} else None
        return target_stage(settings, detail.account_class, rank)

    def account_class(self, account_id: int) -> AccountClass | None:
        with self.db.read() as session:
            return store.account_class(session, account_id)

    def colleagues(self, account_id: int) -> list[tuple[int, str, str]]:
        with self.db.read() as session:
            return store.colleagues(session, account_id)

    def account_choices(self) -> list[tuple[int, str]]:
        with self.db.read() as session:
            return store.account_choices(session)

    def duplicates(self, detail: ContactDetail) -> list[str]:
        """Contacts that may be the same person (same name at the account, same phone, e-mail or WeChat)."""
        with self.db.read() as session:
            return store.possible_duplicates(session, detail)

    def save(self, detail: ContactDetail) -> int:
        """Validate and save a contact in one unit of work; the reports-to chain is checked inside it."""
        with self.db.read() as session:
            chain = store.reports_chain(session, detail.account_id)
        validate_contact(detail, chain, self.today())
        with self.db.write() as session:
            # Someone may have changed the chain since: check again under the write lock.
            validate_contact(detail, store.reports_chain(session, detail.account_id), self.today())
            saved = store.save_contact(session, detail, self.db.user_name)
        self.contacts_changed()
        return saved

    # Saves that met someone else's -------------------------------------------------------------
    def stamp(self, contact_id: int) -> RecordStamp | None:
        """The contact's version and who changed it last, or who deleted it (cheap; for "changed underneath")."""
        with self.db.read() as session:
            return record_stamp(session, "contacts", contact_id)

    def merge(self, base: ContactDetail, mine: ContactDetail) -> RecordMerge[ContactDetail]:
        """Merge my edits (`mine`, made on `base`) with the contact as it is now."""
        assert base.id is not None
        with self.db.read() as session:
            current = store.contact_detail(session, base.id)
            stamp = record_stamp(session, "contacts", base.id)
        assert stamp is not None
        result = merge_contacts(base, mine, current) if current is not None else None

        def apply(now: ContactDetail, values: Any) -> ContactDetail:
            return apply_contact_fields(now, values, mine.stage_update)

        return RecordMerge(base, mine, current, stamp, result, apply)

    def restore_as_new(self, mine: ContactDetail) -> int:
        """Save my version of a contact someone else deleted as a new contact, with family, dates and links."""
        update = mine.stage_update
        stage = update.stage if update is not None else mine.relationship_stage
        if update is None and stage != RelationshipStage.STRANGER.value:
            update = StageUpdate(stage, self.today())  # a new row starts as a stranger; keep the stage I saw
        return self.save(replace(mine, id=None, version=0, stage_update=update, relationship_stage="stranger"))

    def delete(self, contact_id: int, version: int) -> None:
        with self.db.write() as session:
            store.delete_contact(session, contact_id, version)
        self.contacts_changed()

    def add_link(self, member_id: int, contact_id: int, stage: str = "acquainted") -> bool:
        with self.db.write() as session:
            return store.add_link(session, member_id, contact_id, stage)

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

    def print_org_map(
        self, account_id: int, out: str | Path, title_date: str = "", progress: Progress | None = None
    ) -> bool:
        """Write the account's org map as a PDF; False when the account no longer exists. `progress` is told per
        map page; when it says stop, PrintCancelled is raised and `out` is left as it was."""
        from kamdesk.reports.org_map import build
        from kamdesk.services.printing import write_safely

        result = self.org_map(account_id)
        if result is None:
            return False
        data, analysis = result
        when = title_date or self.today().isoformat()
        write_safely(out, lambda path: build(data, analysis, path, title_date=when, progress=progress))
        return True

    # Dashboard --------------------------------------------------------------------------------
    def target_heat(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(class, rank) → (contacts with a target, how many are at or above it)."""
        with self.db.read() as session:
            return store.target_heat(session, repo.load_team_settings(session))

    def largest_gaps(self, limit: int = 10) -> list[tuple[int, str, str, int, int]]:
        with self.db.read() as session:
            return store.largest_gaps(session, repo.load_team_settings(session), limit)
