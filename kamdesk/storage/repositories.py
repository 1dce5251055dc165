"""Queries and writes behind the services; every function takes a Session and returns domain objects."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.models import (
    AccountListItem,
    AccountQuery,
    DatabaseSummary,
    PresenceEntry,
    TeamMember,
)
from kamdesk.domain.names import fold, has_han
from kamdesk.domain.settings import TeamSettings
from kamdesk.storage.tables import (
    AccountRow,
    ActivityRow,
    ContactRow,
    GiftRow,
    PresenceRow,
    SettingRow,
    TeamMemberRow,
    utcnow,
)

_CLASS_ORDER = func.coalesce(AccountRow.pinned_class, AccountRow.computed_class, "Z")
ACCOUNT_SORT_COLUMNS: dict[str, Any] = {
    "name": AccountRow.name_pinyin,
    "class": _CLASS_ORDER,
    "value": func.coalesce(AccountRow.value_cents, -1),
    "sales_stage": AccountRow.sales_stage,
    "relationship_type": AccountRow.relationship_type,
    "cycle_stage": AccountRow.cycle_stage,
    "personality_type": AccountRow.personality_type,
    "owner": TeamMemberRow.name_pinyin,
    "city": AccountRow.city,
    "last_contact": AccountRow.last_contact_on,
}


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _account_filter(stmt: Any, query: AccountQuery) -> Any:
    """Add the search and class filter of `query` to a SELECT over accounts."""
    text = query.search.strip()
    if text:
        if has_han(text):
            stmt = stmt.where(AccountRow.name.like(f"%{_like_escape(text)}%", escape="\\"))
        else:
            folded = _like_escape(fold(text))
            stmt = stmt.where(
                or_(
                    AccountRow.name_pinyin.like(f"{folded}%", escape="\\"),
                    AccountRow.name_initials.like(f"{folded}%", escape="\\"),
                    AccountRow.name_pinyin.like(f"%{folded}%", escape="\\"),
                )
            )
    if query.account_class is not None:
        stmt = stmt.where(_CLASS_ORDER == query.account_class.value)
    return stmt


def count_accounts(session: Session, query: AccountQuery) -> int:
    stmt = _account_filter(select(func.count(AccountRow.id)), query)
    return int(session.scalar(stmt) or 0)


def account_page(session: Session, query: AccountQuery, offset: int, limit: int) -> list[AccountListItem]:
    sort = ACCOUNT_SORT_COLUMNS.get(query.sort_key, ACCOUNT_SORT_COLUMNS["value"])
    order = [sort.desc() if query.descending else sort.asc(), AccountRow.id.asc()]
    stmt = (
        select(AccountRow, TeamMemberRow.name)
        .outerjoin(TeamMemberRow, AccountRow.owner_id == TeamMemberRow.id)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    stmt = _account_filter(stmt, query)
    items = []
    for result in session.execute(stmt):
        row: AccountRow = result[0]
        owner: str | None = result[1]
        items.append(
            AccountListItem(
                id=row.id,
                name=row.name,
                computed_class=AccountClass(row.computed_class) if row.computed_class else None,
                pinned_class=AccountClass(row.pinned_class) if row.pinned_class else None,
                value_cents=row.value_cents,
                sales_stage=row.sales_stage,
                relationship_type=row.relationship_type,
                cycle_stage=row.cycle_stage,
                personality_type=row.personality_type,
                owner_name=owner or "",
                city=row.city,
                last_contact_on=row.last_contact_on,
            )
        )
    return items


def team_members(session: Session) -> list[TeamMember]:
    rows = session.scalars(select(TeamMemberRow).order_by(TeamMemberRow.name_pinyin, TeamMemberRow.id))
    return [
        TeamMember(r.id, r.name, r.title, r.department, r.rank_tier, r.role, r.active) for r in rows
    ]


def summary(session: Session) -> DatabaseSummary:
    by_class = dict(
        session.execute(select(_CLASS_ORDER, func.count(AccountRow.id)).group_by(_CLASS_ORDER)).all()
    )
    return DatabaseSummary(
        accounts=int(session.scalar(select(func.count(AccountRow.id))) or 0),
        contacts=int(session.scalar(select(func.count(ContactRow.id))) or 0),
        team_members=int(session.scalar(select(func.count(TeamMemberRow.id))) or 0),
        activities=int(session.scalar(select(func.count(ActivityRow.id))) or 0),
        gifts=int(session.scalar(select(func.count(GiftRow.id))) or 0),
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


# Presence -------------------------------------------------------------------------------------
def register_presence(session: Session, session_id: str, user_name: str, host: str, pid: int) -> None:
    now = utcnow()
    session.add(PresenceRow(session_id=session_id, user_name=user_name, host=host, pid=pid, opened_at=now,
                            heartbeat_at=now, heartbeat_count=0))


def heartbeat(session: Session, session_id: str) -> None:
    session.execute(
        update(PresenceRow)
        .where(PresenceRow.session_id == session_id)
        .values(heartbeat_at=utcnow(), heartbeat_count=PresenceRow.heartbeat_count + 1)
    )


def unregister_presence(session: Session, session_id: str) -> None:
    session.execute(delete(PresenceRow).where(PresenceRow.session_id == session_id))


def presence_entries(session: Session, newer_than: dt.datetime | None = None) -> list[PresenceEntry]:
    stmt = select(PresenceRow).order_by(PresenceRow.opened_at)
    if newer_than is not None:
        stmt = stmt.where(PresenceRow.heartbeat_at >= newer_than)
    return [
        PresenceEntry(r.session_id, r.user_name, r.host, r.opened_at, r.heartbeat_at)
        for r in session.scalars(stmt)
    ]
