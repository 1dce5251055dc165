"""Stages with meaning: the file's evidence for a contact's stage and an account's type, the stage history,
and the lessons of earlier calls with a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kamdesk.domain import clock
from kamdesk.domain.call_coaching import Lesson, last_lessons
from kamdesk.domain.contacts import ContactDetail
from kamdesk.domain.stage_evidence import ContactFacts, StageHistoryEntry, TypeFacts, facts_from_card
from kamdesk.storage import accounts as account_store
from kamdesk.storage import stage_facts as store
from kamdesk.storage.database import Database


@dataclass
class StageService:
    db: Database

    #: The person's date, from kamdesk's one clock (fix it there, not here).
    today = staticmethod(clock.today)

    def contact_facts(
        self, card: ContactDetail, touches: tuple[int, dt.date | None, int] | None = None
    ) -> ContactFacts:
        """The card's facts as shown (possibly unsaved) with what the file logged about the person
        (`touches`, when already read)."""
        logged, last, private = 0, None, 0
        if card.id is not None:
            logged, last, private = touches if touches is not None else self.touches(card.id)
        return facts_from_card(card, self.today(), logged, last, private)

    def touches(self, contact_id: int) -> tuple[int, dt.date | None, int]:
        """What the file logged about the person: (touches logged, the last one's day, private touches)."""
        with self.db.read() as session:
            return store.contact_touches(session, contact_id)

    def lessons(self, contact_id: int, this_call: int | None = None) -> list[Lesson]:
        """What earlier reviewed calls with the person taught, newest first (`this_call` left out)."""
        with self.db.read() as session:
            return last_lessons(store.earlier_reviews(session, contact_id, this_call))

    def history(self, account_id: int) -> list[StageHistoryEntry]:
        with self.db.read() as session:
            return account_store.stage_history(session, account_id)

    def type_facts(self, account_id: int) -> TypeFacts:
        with self.db.read() as session:
            return store.type_facts(session, account_id)
