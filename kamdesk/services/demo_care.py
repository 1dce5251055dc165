"""The demo book's sensitive events: a contact whose notes say a parent is in hospital, and one bereavement, so
the care plan's caring contact and the paused business show in the demo as they would in real use."""

from __future__ import annotations

import datetime as dt

from kamdesk.domain.followups import ContactEvent, suggest_event
from kamdesk.storage import contact_events as event_store
from kamdesk.storage import followups as store
from kamdesk.storage.database import Database


def add_demo_events(db: Database, today: dt.date) -> int:
    """Record the events the demo's notes mention (a parent in hospital), and one bereavement; returns how many."""
    with db.read() as session:
        people = store.people_for_planning(session)
        notes = store.contact_notes(session, [p.contact_id for p in people])
    events: list[ContactEvent] = []
    for person in people:
        found = suggest_event(notes.get(person.contact_id, ""))
        if found is not None and "住院" in found.phrase:
            start = today - dt.timedelta(days=3 + person.contact_id % 7)
            events.append(
                ContactEvent(None, person.contact_id, "illness", start, today + dt.timedelta(days=21), found.phrase)
            )
    bereaved = next(
        (p for p in people if p.account_class == "B" and p.rank == "manager" and not notes.get(p.contact_id)), None
    )
    if bereaved is not None:
        events.append(
            ContactEvent(
                None, bereaved.contact_id, "bereavement", today - dt.timedelta(days=5), None, "母亲病故，家中办丧事"
            )
        )
    with db.write() as session:
        for event in events:
            event_store.save_event(session, event)
    return len(events)
