"""Contacts in the database: the list in SQL, the card, stage history, links, and org-map data."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.org_map import MapContact, MapLink, MapMember, OrgMapData
from kamdesk.storage.tables import AccountRow, AccountTeamRow, ContactRow, LinkRow, TeamMemberRow


def find_account_ids(session: Session, name: str) -> list[int]:
    """Accounts whose name is `name` exactly, else those containing it (for the command line)."""
    exact = list(session.scalars(select(AccountRow.id).where(AccountRow.name == name)))
    if exact:
        return exact
    pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(session.scalars(select(AccountRow.id).where(AccountRow.name.like(pattern, escape="\\"))
                                .order_by(AccountRow.name).limit(20)))


def org_map_data(session: Session, account_id: int) -> OrgMapData | None:
    """Their people at the account, ours on its team or linked to them, and the links between."""
    account = session.get(AccountRow, account_id)
    if account is None:
        return None
    theirs = [MapContact(c.id, c.name, c.title, c.rank_tier, c.buying_role, c.reports_to_id, c.relationship_stage)
              for c in session.scalars(select(ContactRow).where(ContactRow.account_id == account_id)
                                       .order_by(ContactRow.rank_tier, ContactRow.name_pinyin, ContactRow.id))]
    contact_ids = [c.id for c in theirs]
    links = [MapLink(r.member_id, r.contact_id, r.relationship_stage, r.id)
             for r in session.scalars(select(LinkRow).where(LinkRow.contact_id.in_(contact_ids)).order_by(LinkRow.id))]
    roles = dict(session.execute(select(AccountTeamRow.member_id, AccountTeamRow.role)
                                 .where(AccountTeamRow.account_id == account_id)).all())
    member_ids = set(roles) | {link.member_id for link in links}
    ours = [MapMember(m.id, m.name, m.title, m.rank_tier, roles.get(m.id))
            for m in session.scalars(select(TeamMemberRow).where(
                or_(TeamMemberRow.id.in_(member_ids))).order_by(TeamMemberRow.rank_tier, TeamMemberRow.name_pinyin))]
    cls = account.pinned_class or account.computed_class
    return OrgMapData(account.id, account.name, AccountClass(cls) if cls else None, tuple(theirs), tuple(ours),
                      tuple(links))
