"""The zipper rules (domain.md §7, §10): targets, gaps, link colours, weak points, coverage, layout."""

from __future__ import annotations

import pytest

from kamdesk.domain.enums import AccountClass, BuyingRole, RankTier, RelationshipStage
from kamdesk.domain.org_map import (
    BAND_ORDER,
    KEY_ROLES,
    MapContact,
    MapLink,
    MapMember,
    OrgMapData,
    analyse_map,
    layout_org_map,
    link_status,
    stage_gap,
    target_stage,
)
from kamdesk.domain.settings import TeamSettings

S = RelationshipStage


def _data(theirs=(), ours=(), links=(), account_class: AccountClass | None = AccountClass.A) -> OrgMapData:
    return OrgMapData(1, "恒源精密", account_class, tuple(theirs), tuple(ours), tuple(links))


def _contact(
    cid: int, rank: str | None = "staff", role: str | None = "user", boss: int | None = None, name: str = ""
) -> MapContact:
    return MapContact(cid, name or f"联系人{cid}", "工程师", rank, role, boss, "acquainted")


def _member(mid: int, rank: str | None = "manager", name: str = "") -> MapMember:
    return MapMember(mid, name or f"同事{mid}", "客户经理", rank, "account_manager")


# Targets, gaps, colours -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "rank", "expected"),
    [
        (AccountClass.A, RankTier.OWNER, S.BEST_FRIEND),
        (AccountClass.A, RankTier.CLERK, S.GOOD_FRIEND),
        (AccountClass.B, RankTier.MANAGER, S.ORDINARY_BROTHER),
        (AccountClass.C, RankTier.STAFF, S.GOOD_FRIEND),
        (AccountClass.D, RankTier.OWNER, S.GOOD_FRIEND),
        (AccountClass.D, RankTier.CLERK, S.GOOD_FRIEND),
    ],
)
def test_target_comes_from_class_and_rank_through_the_default_matrix(cls, rank, expected):
    assert target_stage(TeamSettings(), cls, rank) is expected


def test_an_edited_matrix_changes_the_target():
    settings = TeamSettings()
    settings.target_matrix["C"]["staff"] = "good_brother"
    assert target_stage(settings, AccountClass.C, RankTier.STAFF) is S.GOOD_BROTHER
    assert target_stage(TeamSettings(), AccountClass.C, RankTier.STAFF) is S.GOOD_FRIEND
    # And analyse_map follows the edited matrix, not the default.
    data = _data([_contact(1, "staff")], [_member(9)], [MapLink(9, 1, "ordinary_brother")], AccountClass.C)
    assert analyse_map(data, TeamSettings()).targets[1] is S.GOOD_FRIEND
    assert analyse_map(data, TeamSettings()).link_status[(9, 1)] == "above"
    assert analyse_map(data, settings).targets[1] is S.GOOD_BROTHER
    assert analyse_map(data, settings).link_status[(9, 1)] == "below"


def test_no_target_for_an_unclassed_account_or_a_contact_without_rank():
    assert target_stage(TeamSettings(), None, RankTier.OWNER) is None
    assert target_stage(TeamSettings(), AccountClass.A, None) is None
    unclassed = _data([_contact(1, "owner")], account_class=None)
    assert analyse_map(unclassed, TeamSettings()).targets == {1: None}
    no_rank = _data([_contact(1, None), _contact(2, ""), _contact(3, "not-a-rank"), _contact(4, "owner")])
    targets = analyse_map(no_rank, TeamSettings()).targets
    assert targets == {1: None, 2: None, 3: None, 4: S.BEST_FRIEND}


def test_gap_is_positive_when_short_zero_at_target_negative_beyond():
    assert stage_gap(S.ACQUAINTED, S.GOOD_FRIEND) == 2
    assert stage_gap(S.GOOD_FRIEND, S.GOOD_FRIEND) == 0
    assert stage_gap(S.BEST_FRIEND, S.GOOD_FRIEND) == -3
    assert stage_gap(None, S.ACQUAINTED) == 1  # nobody has met them: counted from stranger
    assert stage_gap(S.GOOD_FRIEND, None) is None


@pytest.mark.parametrize(
    ("stage", "target", "expected"),
    [
        (S.ORDINARY_FRIEND, S.GOOD_BROTHER, "below"),
        (S.GOOD_BROTHER, S.GOOD_BROTHER, "at"),
        (S.BEST_FRIEND, S.GOOD_BROTHER, "above"),
        (S.BEST_FRIEND, None, "none"),
    ],
)
def test_link_status(stage, target, expected):
    assert link_status(stage, target) == expected


def test_link_colours_per_pair_in_the_analysis():
    # Class A: staff target ordinary brother, manager good brother, clerk good friend.
    theirs = [_contact(1, "staff"), _contact(2, "manager"), _contact(3, "clerk"), _contact(4, None)]
    links = [
        MapLink(9, 1, "good_friend"),
        MapLink(9, 2, "good_brother"),
        MapLink(8, 3, "best_friend"),
        MapLink(8, 4, "acquainted"),
        MapLink(8, 1, "best_friend"),
    ]
    analysis = analyse_map(_data(theirs, [_member(8), _member(9)], links), TeamSettings())
    assert analysis.link_status == {(9, 1): "below", (9, 2): "at", (8, 3): "above", (8, 4): "none", (8, 1): "above"}
    assert analysis.links_below_target == ((9, 1),)


def test_a_link_to_someone_not_on_the_map_is_ignored():
    data = _data([_contact(1)], [_member(9)], [MapLink(9, 1), MapLink(77, 1), MapLink(9, 55)])
    analysis = analyse_map(data, TeamSettings())
    assert set(analysis.link_status) == {(9, 1)}
    assert analysis.bow_tie is not None and analysis.bow_tie.side == "both"


# Accounts with few ties ---------------------------------------------------------------------------


def test_an_account_with_no_contacts():
    analysis = analyse_map(_data(ours=[_member(9)]), TeamSettings())
    assert analysis.targets == {}
    assert analysis.link_status == {}
    assert analysis.uncovered_key_people == ()
    assert analysis.bow_tie is None and analysis.single_points == ()
    assert analysis.coverage == () and analysis.coverage_share is None
    layout = layout_org_map(_data(ours=[_member(9)]))
    assert layout.cells == {("ours", 9): (1, 0)} and layout.columns_theirs == 0


def test_contacts_but_no_links_no_bow_tie_and_key_people_uncovered():
    theirs = [
        _contact(1, "owner", "decision_maker"),
        _contact(2, "staff", "user"),
        _contact(3, "clerk", "outsider"),
        _contact(4, "clerk", None),
    ]
    analysis = analyse_map(_data(theirs, [_member(9)]), TeamSettings())
    assert analysis.bow_tie is None and analysis.single_points == ()
    assert analysis.uncovered_key_people == (1, 2)  # outsiders and people with no role are not key
    assert analysis.coverage_share == 0


def test_only_one_link_is_a_bow_tie_on_both_sides():
    theirs = [_contact(1, "staff", "user", name="张采购"), _contact(2, "owner", "decision_maker")]
    ours = [_member(9, name="刘洋"), _member(8, "owner")]
    analysis = analyse_map(_data(theirs, ours, [MapLink(9, 1, "good_friend")]), TeamSettings())
    assert analysis.bow_tie is not None
    assert analysis.bow_tie.side == "both"
    assert "刘洋" in analysis.bow_tie.explanation and "张采购" in analysis.bow_tie.explanation
    assert set(analysis.single_points) == {("ours", 9), ("theirs", 1)}
    assert analysis.uncovered_key_people == (2,)


def test_every_tie_through_one_of_ours():
    theirs = [_contact(1, name="甲"), _contact(2, name="乙"), _contact(3, name="丙")]
    links = [MapLink(9, 1), MapLink(9, 2), MapLink(9, 3)]
    analysis = analyse_map(_data(theirs, [_member(9, name="刘洋"), _member(8)], links), TeamSettings())
    assert analysis.bow_tie is not None and analysis.bow_tie.side == "ours"
    assert analysis.single_points == (("ours", 9),)
    assert "刘洋" in analysis.bow_tie.explanation
    assert not any(name in analysis.bow_tie.explanation for name in "甲乙丙")


def test_every_tie_through_one_of_theirs():
    theirs = [_contact(1, name="王采购"), _contact(2)]
    links = [MapLink(9, 1), MapLink(8, 1), MapLink(7, 1)]
    ours = [_member(9, name="刘洋"), _member(8), _member(7)]
    analysis = analyse_map(_data(theirs, ours, links), TeamSettings())
    assert analysis.bow_tie is not None and analysis.bow_tie.side == "theirs"
    assert analysis.single_points == (("theirs", 1),)
    assert "王采购" in analysis.bow_tie.explanation and "刘洋" not in analysis.bow_tie.explanation


def test_a_real_zipper_has_no_bow_tie():
    theirs = [_contact(1, "owner"), _contact(2, "staff")]
    links = [MapLink(8, 1, "best_friend"), MapLink(9, 2, "ordinary_brother")]
    analysis = analyse_map(_data(theirs, [_member(8, "owner"), _member(9, "staff")], links), TeamSettings())
    assert analysis.bow_tie is None and analysis.single_points == ()
    assert analysis.coverage_share == 100


# Coverage -----------------------------------------------------------------------------------------


def test_key_roles_are_the_five_named_in_the_domain():
    assert KEY_ROLES == {
        BuyingRole.DECISION_MAKER,
        BuyingRole.USER,
        BuyingRole.ADVISOR,
        BuyingRole.GATEKEEPER,
        BuyingRole.SUPPORTER,
    }


def test_coverage_counts_only_key_people_and_only_links_at_or_above_target():
    theirs = [
        _contact(1, "owner", "decision_maker"),  # best friend: at target → covered
        _contact(2, "owner", "outsider"),  # not key: not counted at all, linked or not
        _contact(3, "manager", "advisor"),  # best link good brother: at target → covered
        _contact(4, "manager", "gatekeeper"),  # only below target → not covered
        _contact(5, "manager", "supporter"),  # no link → not covered
        _contact(6, "staff", "user"),  # best friend beats ordinary brother: above → covered
        _contact(7, "clerk", None),  # no role: not counted
    ]
    links = [
        MapLink(9, 1, "best_friend"),
        MapLink(9, 2, "best_friend"),
        MapLink(9, 3, "acquainted"),
        MapLink(8, 3, "good_brother"),
        MapLink(9, 4, "good_friend"),
        MapLink(9, 6, "best_friend"),
        MapLink(9, 7, "best_friend"),
    ]
    analysis = analyse_map(_data(theirs, [_member(8), _member(9)], links), TeamSettings())
    rows = {(c.rank_tier, c.key_people, c.covered) for c in analysis.coverage}
    assert rows == {("owner", 1, 1), ("manager", 3, 1), ("staff", 1, 1)}
    assert [c.rank_tier for c in analysis.coverage] == ["owner", "manager", "staff"]  # top band first
    assert analysis.coverage_share == pytest.approx(100 * 3 / 5)
    manager = next(c for c in analysis.coverage if c.rank_tier == "manager")
    assert manager.share == pytest.approx(100 / 3)


def test_key_people_without_rank_have_their_own_coverage_row():
    theirs = [_contact(1, None, "user"), _contact(2, "", "advisor"), _contact(3, "not-a-rank", "supporter")]
    analysis = analyse_map(_data(theirs, [_member(9)], [MapLink(9, 1, "good_friend")]), TeamSettings())
    # With no rank there is no target to fall short of: a linked key person counts as covered.
    assert [(c.rank_tier, c.key_people, c.covered) for c in analysis.coverage] == [("", 3, 1)]


# Layout -------------------------------------------------------------------------------------------


def test_layout_puts_theirs_left_ours_right_and_owners_in_the_top_band():
    theirs = [_contact(1, "clerk"), _contact(2, "owner"), _contact(3, "staff"), _contact(4, None)]
    ours = [_member(8, "staff"), _member(9, "owner")]
    layout = layout_org_map(_data(theirs, ours))
    assert all(column < 0 for (side, _id), (column, _row) in layout.cells.items() if side == "theirs")
    assert all(column > 0 for (side, _id), (column, _row) in layout.cells.items() if side == "ours")
    assert set(layout.cells) == {("theirs", 1), ("theirs", 2), ("theirs", 3), ("theirs", 4), ("ours", 8), ("ours", 9)}
    assert [b.rank_tier for b in layout.bands] == ["owner", "staff", "clerk", ""]
    assert layout.bands[0].top == 0
    assert layout.cells[("theirs", 2)][1] == 0 and layout.cells[("ours", 9)][1] == 0
    assert layout.cells[("theirs", 2)][1] < layout.cells[("theirs", 3)][1] < layout.cells[("theirs", 1)][1]
    assert layout.cells[("theirs", 4)][1] == layout.rows - 1  # no rank: the last band
    assert BAND_ORDER[0] == "owner" and BAND_ORDER[-1] == ""


def test_an_unknown_rank_is_laid_out_with_the_people_without_rank():
    theirs = [_contact(1, "not-a-rank"), _contact(2, "owner")]
    ours = [_member(9, "vice-chair")]
    layout = layout_org_map(_data(theirs, ours))
    assert ("theirs", 1) in layout.cells and ("ours", 9) in layout.cells
    assert [b.rank_tier for b in layout.bands] == ["owner", ""]
    assert layout.cells[("theirs", 1)][1] == layout.cells[("ours", 9)][1] == 1


def test_layout_respects_max_rows_and_grows_outward():
    theirs = [_contact(i, "staff") for i in range(1, 12)]
    ours = [_member(100 + i, "staff") for i in range(5)]
    layout = layout_org_map(_data(theirs, ours), max_rows=4)
    assert layout.rows == 4 and layout.bands[0].rows == 4
    assert all(0 <= row < 4 for _column, row in layout.cells.values())
    assert layout.columns_theirs == 3 and layout.columns_ours == 2
    assert {column for (side, _id), (column, _row) in layout.cells.items() if side == "theirs"} == {-1, -2, -3}
    assert {column for (side, _id), (column, _row) in layout.cells.items() if side == "ours"} == {1, 2}
    assert len(set(layout.cells.values())) == len(layout.cells)  # no two people in one cell
    bands = layout_org_map(_data([_contact(1, "owner"), *theirs]), max_rows=4).bands
    assert [(b.rank_tier, b.top, b.rows) for b in bands] == [("owner", 0, 1), ("staff", 1, 4)]


def test_colleagues_sharing_a_boss_sit_together():
    # Bosses 1 and 2 (managers); their staff interleaved by id.
    theirs = [
        _contact(1, "manager"),
        _contact(2, "manager"),
        _contact(10, "staff", boss=2),
        _contact(11, "staff", boss=1),
        _contact(12, "staff", boss=2),
        _contact(13, "staff", boss=1),
        _contact(14, "staff", boss=2),
        _contact(15, "staff"),
    ]
    layout = layout_org_map(_data(theirs), max_rows=10)
    order = sorted((layout.cells[("theirs", c.id)][1], c.id) for c in theirs if c.rank_tier == "staff")
    bosses = [{c.id: c.reports_to_id for c in theirs}[cid] for _row, cid in order]
    runs = [boss for index, boss in enumerate(bosses) if index == 0 or bosses[index - 1] != boss]
    assert len(runs) == len(set(runs)), bosses  # each boss's people form one unbroken run


def test_colleagues_sharing_a_boss_in_the_same_band_follow_the_boss():
    theirs = [
        _contact(3, "staff", boss=None),
        _contact(4, "staff", boss=5),
        _contact(5, "staff"),
        _contact(6, "staff", boss=5),
    ]
    layout = layout_org_map(_data(theirs), max_rows=10)
    rows = {cid: layout.cells[("theirs", cid)][1] for cid in (3, 4, 5, 6)}
    assert abs(rows[4] - rows[6]) == 1
    assert rows[5] < rows[4] and rows[5] < rows[6]
