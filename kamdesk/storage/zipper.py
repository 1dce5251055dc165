"""What the zipper checks read: people, team roles and ties of one account or of all, in one set of queries."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kamdesk.domain.enums import AccountClass, TeamRole
from kamdesk.domain.org_map import MapContact, MapLink, MapMember, OrgMapData
from kamdesk.storage.tables import AccountRow, AccountTeamRow, ContactRow, LinkRow, TeamMemberRow

#: When a colleague holds several roles on one account, the one shown first.
_ROLE_ORDER = [r.value for r in TeamRole]


def _main_role(roles: set[str]) -> str | None:
    if not roles:
        return None
    return min(roles, key=lambda r: _ROLE_ORDER.index(r) if r in _ROLE_ORDER else len(_ROLE_ORDER))


def _class(value: str | None) -> AccountClass | None:
    try:
        return AccountClass(value) if value else None
    except ValueError:
        return None


def zipper_maps(session: Session, account_ids: Collection[int] | None = None) -> list[OrgMapData]:
    """The people, team roles and ties of the given accounts (all when None), read in four queries
    whatever the number of accounts; ours are the account's team and anyone tied to its people."""
    wanted = None if account_ids is None else list(account_ids)
    accounts = select(
        AccountRow.id, AccountRow.name, func.coalesce(AccountRow.pinned_class, AccountRow.computed_class)
    ).order_by(AccountRow.name_pinyin, AccountRow.id)
    contacts = select(
        ContactRow.id,
        ContactRow.account_id,
        ContactRow.name,
        ContactRow.title,
        ContactRow.rank_tier,
        ContactRow.buying_role,
        ContactRow.reports_to_id,
        ContactRow.relationship_stage,
    ).order_by(ContactRow.rank_tier, ContactRow.name_pinyin, ContactRow.id)
    links = (
        select(ContactRow.account_id, LinkRow.member_id, LinkRow.contact_id, LinkRow.relationship_stage, LinkRow.id)
        .join(ContactRow, ContactRow.id == LinkRow.contact_id)
        .order_by(LinkRow.id)
    )
    team = select(AccountTeamRow.account_id, AccountTeamRow.member_id, AccountTeamRow.role)
    if wanted is not None:
        accounts = accounts.where(AccountRow.id.in_(wanted))
        contacts = contacts.where(ContactRow.account_id.in_(wanted))
        links = links.where(ContactRow.account_id.in_(wanted))
        team = team.where(AccountTeamRow.account_id.in_(wanted))
    theirs: dict[int | None, list[MapContact]] = {}
    ties: dict[int | None, list[MapLink]] = {}
    if wanted is None:
        # Every account: read the contacts and the links in table order and sort here. Walking the rank
        # index (or joining each link to its contact) reads the table's pages in random order, again and
        # again once they no longer fit SQLite's cache: on a file server 12,600 requests instead of 3,600.
        # Each account's few people are sorted apart: one sort of every contact compares tuples in C for ~0.1 s
        # without letting the GUI thread run (Python switches threads only between its own steps).
        by_account: dict[int | None, list[tuple[Any, ...]]] = {}
        account_of = {}
        for row in session.execute(contacts.order_by(None).add_columns(ContactRow.name_pinyin)):
            by_account.setdefault(row[1], []).append(tuple(row))
            account_of[row[0]] = row[1]
        for account_id, people in by_account.items():
            people.sort(key=lambda r: (r[4] is not None, r[4] or "", r[8] is not None, r[8] or "", r[0]))
            theirs[account_id] = [MapContact(r[0], *r[2:8]) for r in people]
        plain_links = select(LinkRow.member_id, LinkRow.contact_id, LinkRow.relationship_stage, LinkRow.id)
        for member_id, contact_id, stage, link_id in session.execute(plain_links.order_by(LinkRow.id)):
            if contact_id in account_of:
                ties.setdefault(account_of[contact_id], []).append(MapLink(member_id, contact_id, stage, link_id))
    else:
        for cid, account_id, name, title, rank, role, boss, stage in session.execute(contacts):
            theirs.setdefault(account_id, []).append(MapContact(cid, name, title, rank, role, boss, stage))
        for account_id, member_id, contact_id, stage, link_id in session.execute(links):
            ties.setdefault(account_id, []).append(MapLink(member_id, contact_id, stage, link_id))
    roles: dict[int, dict[int, set[str]]] = {}
    for account_id, member_id, role in session.execute(team):
        roles.setdefault(account_id, {}).setdefault(member_id, set()).add(role)
    members = all_members(session)
    maps = []
    for account_id, name, cls in session.execute(accounts):
        held = roles.get(account_id, {})
        linked = {t.member_id for t in ties.get(account_id, [])}
        ours = tuple(
            MapMember(
                m.id,
                m.name,
                m.title,
                m.rank_tier,
                _main_role(held.get(m.id, set())),
                tuple(sorted(held.get(m.id, set()))),
                m.active,
            )
            for m in members
            if m.id in held or m.id in linked
        )
        maps.append(
            OrgMapData(
                account_id, name, _class(cls), tuple(theirs.get(account_id, [])), ours, tuple(ties.get(account_id, []))
            )
        )
    return maps


def all_members(session: Session) -> list[MapMember]:
    """Every colleague, by rank then name, with no account role (the bench a suggestion draws on)."""
    rows = session.execute(
        select(
            TeamMemberRow.id, TeamMemberRow.name, TeamMemberRow.title, TeamMemberRow.rank_tier, TeamMemberRow.active
        ).order_by(TeamMemberRow.rank_tier, TeamMemberRow.name_pinyin, TeamMemberRow.id)
    )
    return [MapMember(i, name, title, rank, active=bool(active)) for i, name, title, rank, active in rows]
