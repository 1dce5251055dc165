"""Queries and writes behind the services; every function takes a Session and returns domain objects."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from kamdesk.domain.models import (
    DatabaseSummary,
    PresenceEntry,
    TeamMember,
)
from kamdesk.domain.names import search_keys
from kamdesk.domain.settings import TeamSettings
from kamdesk.storage.accounts import CLASS_ORDER
from kamdesk.storage.tables import (
    AccountRow,
    ActivityRow,
    ChangeLogRow,
    ContactRow,
    GiftRow,
    PresenceRow,
    SettingRow,
    TeamMemberRow,
    utcnow,
)


def team_members(session: Session) -> list[TeamMember]:
    rows = session.scalars(select(TeamMemberRow).order_by(TeamMemberRow.name_pinyin, TeamMemberRow.id))
    return [TeamMember(r.id, r.name, r.title, r.department, r.rank_tier, r.role, r.active) for r in rows]


def save_team_member(session: Session, member: TeamMember) -> int:
    """Add (id 0) or update one of our people; names get their pinyin search keys."""
    row = session.get(TeamMemberRow, member.id) if member.id else None
    if row is None:
        row = TeamMemberRow(name=member.name)
        session.add(row)
    pinyin, initials = search_keys(member.name, person=True)
    values = {
        "name": member.name,
        "name_pinyin": pinyin,
        "name_initials": initials,
        "title": member.title,
        "department": member.department,
        "rank_tier": member.rank_tier,
        "role": member.role,
        "active": member.active,
    }
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
    session.flush()
    return row.id


#: True of every activity (of every gift). They steer SQLite's count to the narrowest index of the table, the one on
#: its mostly NULL generated key: on the large demo 1,170 pages of 4 KB instead of the 3,040 of the contact/date
#: index it picks by itself (gifts 68 instead of 145). On a file server each page is one request.
_EVERY_ACTIVITY = or_(ActivityRow.generated_key.is_(None), ActivityRow.generated_key.is_not(None))
_EVERY_GIFT = or_(GiftRow.planned_key.is_(None), GiftRow.planned_key.is_not(None))


def summary(session: Session) -> DatabaseSummary:
    by_class = dict(session.execute(select(CLASS_ORDER, func.count(AccountRow.id)).group_by(CLASS_ORDER)).all())
    return DatabaseSummary(
        accounts=int(session.scalar(select(func.count(AccountRow.id))) or 0),
        contacts=int(session.scalar(select(func.count(ContactRow.id))) or 0),
        team_members=int(session.scalar(select(func.count(TeamMemberRow.id))) or 0),
        activities=int(session.scalar(select(func.count(ActivityRow.id)).where(_EVERY_ACTIVITY)) or 0),
        gifts=int(session.scalar(select(func.count(GiftRow.id)).where(_EVERY_GIFT)) or 0),
        accounts_by_class={str(k): int(v) for k, v in by_class.items()},
    )


# Settings -------------------------------------------------------------------------------------
TEAM_SETTINGS_KEY = "team"


def load_team_settings(session: Session) -> TeamSettings:
    row = session.get(SettingRow, TEAM_SETTINGS_KEY)
    if row is None:
        return TeamSettings()
    return TeamSettings.from_values(json.loads(row.value_json))


def save_team_settings(session: Session, settings: TeamSettings) -> None:
    settings.validate()
    payload = json.dumps(settings.to_values(), ensure_ascii=False, sort_keys=True)
    row = session.get(SettingRow, TEAM_SETTINGS_KEY)
    if row is None:
        session.add(SettingRow(key=TEAM_SETTINGS_KEY, value_json=payload))
    else:
        row.value_json = payload


FILE_ID_KEY = "file_id"


def file_id(session: Session, create: bool = False) -> str | None:
    """The team file's own lasting id (for calendar UIDs); made once, on first need, when allowed."""
    row = session.get(SettingRow, FILE_ID_KEY)
    if row is not None:
        return str(json.loads(row.value_json))
    if not create:
        return None
    value = uuid.uuid4().hex
    session.add(SettingRow(key=FILE_ID_KEY, value_json=json.dumps(value)))
    return value


# Presence -------------------------------------------------------------------------------------
def register_presence(
    session: Session, session_id: str, user_name: str, host: str, pid: int, now: dt.datetime | None = None
) -> None:
    now = now or utcnow()
    session.add(
        PresenceRow(
            session_id=session_id,
            user_name=user_name,
            host=host,
            pid=pid,
            opened_at=now,
            heartbeat_at=now,
            heartbeat_count=0,
        )
    )


def heartbeat(session: Session, session_id: str, now: dt.datetime | None = None) -> None:
    session.execute(
        update(PresenceRow)
        .where(PresenceRow.session_id == session_id)
        .values(heartbeat_at=now or utcnow(), heartbeat_count=PresenceRow.heartbeat_count + 1)
    )


def unregister_presence(session: Session, session_id: str) -> None:
    session.execute(delete(PresenceRow).where(PresenceRow.session_id == session_id))


def remove_presence(session: Session, session_ids: list[str]) -> int:
    """Remove presence entries (of clients a person judged crashed); how many were there."""
    result = session.execute(delete(PresenceRow).where(PresenceRow.session_id.in_(session_ids)))
    return int(getattr(result, "rowcount", 0) or 0)


def log_event(
    session: Session, by: str, host: str, table_name: str, row_id: str, action: str, changes: dict[str, object]
) -> None:
    """A change-log row for something that is not a record edit (a lock broken, a session cleared)."""
    session.add(
        ChangeLogRow(
            at=utcnow(),
            by=by,
            host=host,
            table_name=table_name,
            row_id=row_id,
            action=action,
            changes_json=json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str),
        )
    )


def presence_entries(session: Session, newer_than: dt.datetime | None = None) -> list[PresenceEntry]:
    stmt = select(PresenceRow).order_by(PresenceRow.opened_at)
    if newer_than is not None:
        stmt = stmt.where(PresenceRow.heartbeat_at >= newer_than)
    return [
        PresenceEntry(r.session_id, r.user_name, r.host, r.opened_at, r.heartbeat_at, r.heartbeat_count)
        for r in session.scalars(stmt)
    ]
