"""The three-way merge behind stale saves: one-sided changes merge, clashes are listed per field."""

from __future__ import annotations

import datetime as dt

import pytest

from kamdesk.domain.contacts import (
    Anniversary,
    ContactDetail,
    ContactLink,
    FamilyMember,
    PersonalDate,
    StageUpdate,
)
from kamdesk.domain.enums import AccountClass
from kamdesk.domain.merge import (
    MINE,
    THEIRS,
    FieldConflict,
    apply_account_fields,
    apply_contact_fields,
    merge_accounts,
    merge_contacts,
    merge_items,
    three_way_merge,
)
from kamdesk.domain.models import AccountDetail, AccountValue, TeamAssignment

BASE = {"name": "Acme", "city": "Suzhou", "notes": "", "owner_id": 1}


def test_fields_changed_on_one_side_take_that_side():
    result = three_way_merge(BASE, {**BASE, "city": "上海"}, {**BASE, "notes": "new plant"})
    assert result.clean
    assert result.merged == {"name": "Acme", "city": "上海", "notes": "new plant", "owner_id": 1}
    assert (result.mine_only, result.theirs_only, result.both_same) == (("city",), ("notes",), ())


def test_the_same_change_on_both_sides_is_no_conflict():
    result = three_way_merge(BASE, {**BASE, "owner_id": 2}, {**BASE, "owner_id": 2})
    assert result.clean and result.merged["owner_id"] == 2 and result.both_same == ("owner_id",)


def test_different_changes_to_one_field_are_a_conflict_settled_per_field():
    result = three_way_merge(BASE, {**BASE, "city": "上海", "notes": "mine"}, {**BASE, "city": "北京", "name": "X"})
    assert result.conflicts == (FieldConflict("city", "Suzhou", "上海", "北京"),)
    assert result.merged["name"] == "X" and result.merged["notes"] == "mine"
    assert result.resolve({"city": MINE})["city"] == "上海"
    assert result.resolve({"city": THEIRS})["city"] == "北京"
    with pytest.raises(ValueError):
        result.resolve({})


def test_nothing_changed_anywhere_merges_to_the_same():
    result = three_way_merge(BASE, BASE, BASE)
    assert result.clean and result.merged == BASE and not (result.mine_only or result.theirs_only)


def test_list_items_added_or_changed_on_different_sides_merge():
    base = [("2025", 1), ("2026", 2)]
    mine = [("2025", 1), ("2026", 5)]  # I changed 2026
    theirs = [("2025", 1), ("2026", 2), ("2027", 3)]  # they added 2027
    assert merge_items(base, mine, theirs, key=lambda v: v[0]) == (("2025", 1), ("2026", 5), ("2027", 3))
    # an item I removed and they left alone stays removed
    assert merge_items(base, [("2026", 2)], theirs, key=lambda v: v[0]) == (("2026", 2), ("2027", 3))


def _account(**changes) -> AccountDetail:
    detail = AccountDetail(
        id=7,
        version=3,
        name="恒远",
        city="苏州",
        owner_id=1,
        values=[AccountValue("2025", 100, None), AccountValue("2026", 200, 20)],
        team=[TeamAssignment(1, "account_manager", "王")],
    )
    for key, value in changes.items():
        setattr(detail, key, value)
    return detail


def test_accounts_merge_values_per_period_and_the_team_as_a_set():
    base = _account()
    mine = _account(
        values=[AccountValue("2025", 100, None), AccountValue("2026", 250, 20)],
        team=[TeamAssignment(1, "account_manager"), TeamAssignment(2, "sales")],
    )  # no names in a form
    theirs = _account(
        version=4,
        city="无锡",
        values=[*base.values, AccountValue("2027", 50, None)],
        team=[TeamAssignment(1, "account_manager", "王"), TeamAssignment(3, "service", "李")],
    )
    result = merge_accounts(base, mine, theirs)
    assert result.clean, result.conflicts
    merged = apply_account_fields(theirs, result.merged)
    assert merged.version == 4 and merged.city == "无锡"
    assert merged.values == [
        AccountValue("2025", 100, None),
        AccountValue("2026", 250, 20),
        AccountValue("2027", 50, None),
    ]
    assert {(t.member_id, t.role) for t in merged.team} == {(1, "account_manager"), (2, "sales"), (3, "service")}


def test_the_same_period_changed_differently_makes_the_values_one_conflicting_field():
    base = _account()
    mine = _account(values=[AccountValue("2025", 100, None), AccountValue("2026", 250, 20)])
    theirs = _account(values=[AccountValue("2025", 100, None), AccountValue("2026", 300, 20)])
    result = merge_accounts(base, mine, theirs)
    assert [c.field for c in result.conflicts] == ["values"]
    assert apply_account_fields(theirs, result.resolve({"values": MINE})).values[1].revenue_cents == 250


def test_a_pin_is_one_field_with_its_reason():
    base = _account()
    mine = _account(pinned_class=AccountClass.A, pin_reason="集团战略")
    theirs = _account(pinned_class=AccountClass.B, pin_reason="other")
    result = merge_accounts(base, mine, theirs)
    assert [c.field for c in result.conflicts] == ["pin"]
    merged = apply_account_fields(theirs, result.resolve({"pin": MINE}))
    assert (merged.pinned_class, merged.pin_reason) == (AccountClass.A, "集团战略")


def _contact(**changes) -> ContactDetail:
    detail = ContactDetail(
        id=5,
        version=2,
        name="张伟",
        mobile="138",
        relationship_stage="acquainted",
        family=[FamilyMember("张小明", "son", PersonalDate("solar", None, 5, 1), "likes Lego")],
        anniversaries=[Anniversary("wedding", PersonalDate("solar", None, 6, 8))],
        links=[ContactLink(1, "acquainted", None, "王", True)],
    )
    for key, value in changes.items():
        setattr(detail, key, value)
    return detail


def test_contacts_merge_family_dates_and_links_and_keep_unshown_family_notes():
    base = _contact()
    mine = _contact(
        mobile="139 ",
        family=[FamilyMember("张小明", "son", PersonalDate("solar", None, 5, 2))],
        links=[ContactLink(1, "acquainted"), ContactLink(2, "good_friend")],
    )
    theirs = _contact(version=3, anniversaries=[], links=[ContactLink(1, "ordinary_friend", None, "王", True)])
    result = merge_contacts(base, mine, theirs)
    assert result.clean, result.conflicts
    merged = apply_contact_fields(theirs, result.merged)
    assert merged.mobile == "139" and merged.anniversaries == []
    assert merged.family == [FamilyMember("张小明", "son", PersonalDate("solar", None, 5, 2), "likes Lego")]
    assert [(link.member_id, link.stage) for link in merged.links] == [(1, "ordinary_friend"), (2, "good_friend")]


def test_a_stage_change_is_kept_only_when_my_stage_wins():
    base = _contact()
    update = StageUpdate("good_friend", dt.date(2026, 11, 20), "dinner")
    mine = _contact(stage_update=update)
    theirs = _contact(relationship_stage="ordinary_friend")
    result = merge_contacts(base, mine, theirs)
    assert [c.field for c in result.conflicts] == ["relationship_stage"]
    assert apply_contact_fields(theirs, result.resolve({"relationship_stage": MINE}), update).stage_update == update
    assert apply_contact_fields(theirs, result.resolve({"relationship_stage": THEIRS}), update).stage_update is None
