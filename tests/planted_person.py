"""A contact with a unique string planted in every kind of their data, for the personal-data tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kamdesk.domain import clock
from kamdesk.domain.contacts import (
    Anniversary,
    ContactDetail,
    ContactLink,
    FamilyMember,
    PersonalDate,
    StageUpdate,
)
from kamdesk.domain.models import TeamMember
from kamdesk.services.contacts import ContactService
from kamdesk.storage.database import Database
from kamdesk.storage.tables import AccountRow, ActivityRow, GiftRow, VisitRow

#: Found nowhere else in a team file; ASCII, Chinese and digits so no encoding hides it.
MARK = "ZQXJ-唯一-7731"
TODAY = dt.date(2026, 1, 5)


@dataclass
class Planted:
    contact_id: int
    bystander_id: int
    account_id: int
    activity_id: int
    gift_id: int
    visit_id: int
    other_activity_id: int


def plant(db: Database) -> Planted:
    """An account with two contacts; the first carries MARK in name, notes, family, a date label and records."""
    from kamdesk.storage import repositories as repo

    with db.write() as session:
        member_id = repo.save_team_member(session, TeamMember(0, "周销售", "", "", None, None, True))
        account = AccountRow(name="华南电子", name_pinyin="huanandianzi", name_initials="hndz")
        session.add(account)
        session.flush()
        account_id = account.id
    contacts = ContactService(db)
    clock.clock().fix(TODAY)  # released again after the test (tests/conftest.py)
    name = f"王{MARK}"
    contact_id = contacts.save(
        ContactDetail(
            name=name,
            account_id=account_id,
            title="采购经理",
            mobile="13800138000",
            email="wang@example.com",
            wechat="wang-7731",
            notes=f"喜欢茶 {MARK} notes",
            birthday=PersonalDate("lunar", 1980, 8, 15),
            family=[FamilyMember(f"女儿{MARK}", "daughter", PersonalDate("solar", 2010, 6, 1), "钢琴")],
            anniversaries=[Anniversary(f"结婚纪念日 {MARK}", PersonalDate("solar", 2005, 10, 1))],
            links=[ContactLink(member_id, "good_friend")],
            stage_update=StageUpdate("good_friend", TODAY, f"一起吃饭 {MARK}"),
        )
    )
    # Saved again with a changed family: the first family row lives on only in the change log.
    detail = contacts.get(contact_id)
    assert detail is not None
    detail.family = [FamilyMember(f"儿子{MARK}", "son")]
    contacts.save(detail)
    bystander_id = contacts.save(
        ContactDetail(name="李娜", account_id=account_id, title="工程师", notes="reports to the manager")
    )
    from kamdesk.domain.followups import ContactEvent
    from kamdesk.services.followups import FollowUpService

    FollowUpService(db).save_event(ContactEvent(None, contact_id, "illness", TODAY, None, f"父亲住院 {MARK}"))
    with db.write() as session:
        activity = ActivityRow(
            kind="call",
            status="done",
            account_id=account_id,
            contact_id=contact_id,
            member_id=member_id,
            due_on=TODAY,
            subject=f"给{name}打电话",
            notes="约在 13800138000 回电",
        )
        gift = GiftRow(
            kind="holiday",
            item="月饼",
            value_cents=30000,
            given_on=TODAY,
            account_id=account_id,
            contact_id=contact_id,
            member_id=member_id,
            occasion="中秋",
            people_theirs=f"{name}, 李娜",
        )
        visit = VisitRow(
            kind="meal",
            starts_at=dt.datetime(2026, 1, 6, 18, 0),
            account_id=account_id,
            contact_id=bystander_id,
            people_theirs=f"李娜, {name}",
            purpose="年度回顾",
        )
        other = ActivityRow(
            kind="visit",
            status="planned",
            account_id=account_id,
            contact_id=bystander_id,
            due_on=TODAY,
            subject="拜访李娜",
        )
        session.add_all([activity, gift, visit, other])
        session.flush()
        ids = activity.id, gift.id, visit.id, other.id
    return Planted(contact_id, bystander_id, account_id, *ids)


def file_bytes(path: Path) -> bytes:
    """The database file's bytes and those of any journal beside it."""
    data = path.read_bytes()
    for suffix in ("-journal", "-wal"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            data += extra.read_bytes()
    return data


def occurs(mark: str, data: bytes) -> bool:
    """Whether the mark is in the bytes in any encoding SQLite or JSON could have stored it."""
    forms = {
        mark.encode("utf-8"),
        mark.encode("utf-16-le"),
        mark.encode("utf-16-be"),
        mark.encode("ascii", "backslashreplace"),
        mark.encode("unicode_escape"),
    }
    forms |= {mark.encode("ascii", "backslashreplace").replace(b"\\u", b"\\\\u")}
    return any(f in data for f in forms) or b"ZQXJ" in data
