"""Two people editing one record on one file: different fields merge, the same field is a conflict settled
field by field, and a record deleted meanwhile can be restored as new - with the change log to show for it."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable

import pytest

from kamdesk.domain.changes import AuditFilter
from kamdesk.domain.clock import Clock
from kamdesk.domain.contacts import ContactDetail, ContactLink, FamilyMember, StageUpdate
from kamdesk.domain.merge import MINE, THEIRS
from kamdesk.domain.models import AccountDetail, AccountValue, TeamAssignment, TeamMember
from kamdesk.services.accounts import AccountService
from kamdesk.services.changes import AuditService
from kamdesk.services.contacts import ContactService
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database
from kamdesk.storage.errors import ConflictError

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(fixed_clock: Clock) -> None:
    fixed_clock.fix(TODAY)


@pytest.fixture
def alice(open_as: Callable[..., Database]) -> Database:
    return open_as("alice")


@pytest.fixture
def bob(alice: Database, open_as: Callable[..., Database]) -> Database:
    return open_as("bob")


@pytest.fixture
def members(alice: Database) -> list[int]:
    with alice.write() as session:
        return [
            repo.save_team_member(session, TeamMember(0, name, "", "", None, None, True))
            for name in ("王芳", "李强", "陈静")
        ]


@pytest.fixture
def account_id(alice: Database, members: list[int]) -> int:
    detail = AccountDetail(
        name="苏州恒远",
        city="苏州",
        industry="机械",
        owner_id=members[0],
        values=[AccountValue("2025", 100_00, None), AccountValue("2026", 200_00, 20_00)],
        team=[TeamAssignment(members[0], "account_manager")],
    )
    return AccountService(alice).save(detail)[0]


def _services(alice: Database, bob: Database) -> tuple[AccountService, AccountService]:
    return AccountService(alice), AccountService(bob)


def _updates(db: Database, table: str, row_id: int, by: str) -> list[dict]:
    entries = AuditService(db).entries(AuditFilter(person=by, table_name=table, row_id=str(row_id)))
    return [e.changes for e in reversed(entries) if e.action == "update"]


def test_a_child_list_change_moves_the_parent_version(alice: Database, bob: Database, account_id: int):
    mine, theirs = _services(alice, bob)
    base = mine.get(account_id)
    edited = theirs.get(account_id)
    edited.values = [*edited.values, AccountValue("2024", 50_00, None)]
    theirs.save(edited)
    assert mine.stamp(account_id).version > base.version
    base.values = []  # a stale save must not remove bob's values silently
    with pytest.raises(ConflictError):
        mine.save(base)


def test_edits_to_different_fields_merge_without_asking(
    alice: Database, bob: Database, account_id: int, members: list[int]
):
    mine, theirs = _services(alice, bob)
    base = mine.get(account_id)
    bobs = theirs.get(account_id)
    bobs.city = "无锡"
    bobs.values = [*bobs.values, AccountValue("2024", 50_00, None)]
    theirs.save(bobs)

    draft = copy.deepcopy(base)
    draft.notes = "新厂区明年投产"
    draft.team = [*draft.team, TeamAssignment(members[1], "sales")]
    with pytest.raises(ConflictError):
        mine.save(draft)
    merge = mine.merge(base, draft)
    assert not merge.deleted and merge.clean
    assert set(merge.result.mine_only) == {"notes", "team"} and set(merge.result.theirs_only) == {"city", "values"}
    assert merge.stamp.by == "bob"
    mine.save(merge.merged())

    final = theirs.get(account_id)
    assert (final.city, final.notes) == ("无锡", "新厂区明年投产")
    assert {v.period for v in final.values} == {"2024", "2025", "2026"}
    assert {(t.member_id, t.role) for t in final.team} == {(members[0], "account_manager"), (members[1], "sales")}
    assert _updates(alice, "accounts", account_id, "alice")[-1] == {"notes": ["", "新厂区明年投产"]}


@pytest.mark.parametrize(
    ("choice", "city", "alice_logged"),
    [
        (MINE, "上海", {"city": ["无锡", "上海"], "notes": ["", "mine"]}),
        (THEIRS, "无锡", {"notes": ["", "mine"]}),
    ],
)
def test_the_same_field_is_a_conflict_and_each_choice_saves_what_it_says(
    alice: Database, bob: Database, account_id: int, choice, city, alice_logged
):
    mine, theirs = _services(alice, bob)
    base = mine.get(account_id)
    bobs = theirs.get(account_id)
    bobs.city = "无锡"
    theirs.save(bobs)

    draft = copy.deepcopy(base)
    draft.city, draft.notes = "上海", "mine"
    with pytest.raises(ConflictError):
        mine.save(draft)
    merge = mine.merge(base, draft)
    assert [(c.field, c.base, c.mine, c.theirs) for c in merge.result.conflicts] == [("city", "苏州", "上海", "无锡")]
    mine.save(merge.merged({"city": choice}))

    final = theirs.get(account_id)
    assert (final.city, final.notes) == (city, "mine")
    assert _updates(bob, "accounts", account_id, "bob")[-1] == {"city": ["苏州", "无锡"]}
    assert _updates(alice, "accounts", account_id, "alice")[-1] == alice_logged


def test_an_account_deleted_meanwhile_is_restored_as_new_with_its_children(
    alice: Database, bob: Database, account_id: int, members: list[int]
):
    mine, theirs = _services(alice, bob)
    base = mine.get(account_id)
    gone = theirs.get(account_id)
    theirs.delete(account_id, gone.version)

    draft = copy.deepcopy(base)
    draft.notes = "still our customer"
    with pytest.raises(ConflictError) as caught:
        mine.save(draft)
    assert caught.value.deleted
    merge = mine.merge(base, draft)
    assert merge.deleted and (merge.stamp.deleted, merge.stamp.by) == (True, "bob")
    assert mine.stamp(account_id).at is not None
    new_id, _result = mine.restore_as_new(draft)
    restored = theirs.get(new_id)
    assert (restored.name, restored.notes) == ("苏州恒远", "still our customer")
    assert [v.period for v in restored.values] == ["2025", "2026"]
    assert [(t.member_id, t.role) for t in restored.team] == [(members[0], "account_manager")]
    entries = AuditService(bob).entries(AuditFilter(table_name="accounts", row_id=str(new_id)))
    assert ("insert", "alice") in [(e.action, e.by) for e in entries]


def test_contacts_merge_and_conflict_the_same_way(alice: Database, bob: Database, account_id: int, members: list[int]):
    mine, theirs = ContactService(alice), ContactService(bob)
    contact_id = mine.save(
        ContactDetail(
            name="张伟",
            account_id=account_id,
            mobile="13800000000",
            family=[FamilyMember("张小明", "son")],
            links=[ContactLink(members[0], "acquainted")],
        )
    )
    base = mine.get(contact_id)
    assert theirs.add_link(members[1], contact_id)  # from the org map: must count as a change to the contact
    bobs = theirs.get(contact_id)
    bobs.title = "采购总监"
    bobs.mobile = "13900000000"
    theirs.save(bobs)

    draft = copy.deepcopy(base)
    draft.mobile = "13700000000"
    draft.stage_update = StageUpdate("ordinary_friend", TODAY, "dinner")
    with pytest.raises(ConflictError):
        mine.save(draft)
    merge = mine.merge(base, draft)
    assert [c.field for c in merge.result.conflicts] == ["mobile"]
    mine.save(merge.merged({"mobile": THEIRS}))
    final = theirs.get(contact_id)
    assert (final.title, final.mobile, final.relationship_stage) == ("采购总监", "13900000000", "ordinary_friend")
    assert {link.member_id for link in final.links} == {members[0], members[1]}  # bob's link survived

    theirs.delete(contact_id, final.version)
    assert mine.merge(base, draft).deleted
    new_id = mine.restore_as_new(draft)
    restored = theirs.get(new_id)
    assert (restored.name, restored.relationship_stage) == ("张伟", "ordinary_friend")
    assert [f.name for f in restored.family] == ["张小明"]
