"""Sensitive events on a contact (illness, bereavement) and the team's greeting and care settings, in the database."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kamdesk.domain.followups import CareSettings, ContactEvent
from kamdesk.storage.database import check_version
from kamdesk.storage.tables import ContactEventRow, ContactRow, SettingRow

CARE_SETTINGS_KEY = "care_settings"


def _event(row: ContactEventRow, name: str = "") -> ContactEvent:
    return ContactEvent(row.id, row.contact_id, row.kind, row.starts_on, row.ends_on, row.note, row.version, name)


def events_for(session: Session, contact_id: int) -> list[ContactEvent]:
    """A contact's events, the latest first."""
    rows = session.scalars(
        select(ContactEventRow)
        .where(ContactEventRow.contact_id == contact_id)
        .order_by(ContactEventRow.starts_on.desc(), ContactEventRow.id.desc())
    )
    return [_event(r) for r in rows]


def events_between(session: Session, start: dt.date, end: dt.date) -> list[ContactEvent]:
    """Every event active on some day of [start, end], with the contact's name."""
    rows = session.execute(
        select(ContactEventRow, ContactRow.name)
        .join(ContactRow, ContactRow.id == ContactEventRow.contact_id)
        .where(
            ContactEventRow.starts_on <= end,
            or_(ContactEventRow.ends_on.is_(None), ContactEventRow.ends_on >= start),
        )
        .order_by(ContactEventRow.starts_on, ContactEventRow.id)
    )
    return [_event(r, n) for r, n in rows]


def save_event(session: Session, event: ContactEvent) -> int:
    """Add an event, or change one at the version the editor read."""
    if event.id is None:
        if session.get(ContactRow, event.contact_id) is None:
            raise LookupError(event.contact_id)
        row = ContactEventRow(contact_id=event.contact_id)
        session.add(row)
    else:
        found = session.get(ContactEventRow, event.id)
        check_version(found, event.version, table="contact_events", row_id=event.id)
        assert found is not None
        row = found
    for attr in ("kind", "starts_on", "ends_on", "note"):
        if getattr(row, attr) != getattr(event, attr):
            setattr(row, attr, getattr(event, attr))
    session.flush()
    return row.id


def delete_event(session: Session, event_id: int, version: int) -> None:
    row = session.get(ContactEventRow, event_id)
    check_version(row, version, table="contact_events", row_id=event_id)
    session.delete(row)


def load_care_settings(session: Session) -> CareSettings:
    row = session.get(SettingRow, CARE_SETTINGS_KEY)
    if row is None:
        return CareSettings()
    try:
        return CareSettings.from_values(json.loads(row.value_json))
    except ValueError:
        return CareSettings()


def save_care_settings(session: Session, settings: CareSettings) -> None:
    payload = json.dumps(settings.to_values(), ensure_ascii=False, sort_keys=True)
    row = session.get(SettingRow, CARE_SETTINGS_KEY)
    if row is None:
        session.add(SettingRow(key=CARE_SETTINGS_KEY, value_json=payload))
    elif row.value_json != payload:
        row.value_json = payload
