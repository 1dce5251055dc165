"""The zipper checks on small accounts a salesperson would recognise (domain.md §10, seed 003)."""

from __future__ import annotations

import pytest

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.org_map import MapContact, MapLink, MapMember, OrgMapData
from kamdesk.domain.settings import TeamSettings
from kamdesk.domain.zipper_checks import (
    ZipperThresholds,
    check_zipper,
    zipper_points,
)
from kamdesk.services.zipper import usable_thresholds

# Our side: a GM, a sales director, an account manager (director rank), an engineer, a salesperson.
WANG = MapMember(1, "王建国", "销售总监", "owner")
LI = MapMember(2, "李娜", "销售经理", "manager")
LIU = MapMember(3, "刘洋", "大客户经理", "manager")
ZHOU = MapMember(4, "周杰", "技术支持", "staff")
ZENG = MapMember(5, "曾晓燕", "客户经理", "staff")
BENCH = (WANG, LI, LIU, ZHOU, ZENG)

# Their side.
FANG = MapContact(11, "方德华", "总经理", "owner", "decision_maker")
ZHAO = MapContact(12, "赵志明", "采购总监", "manager", "gatekeeper", reports_to_id=11)
CUI = MapContact(13, "崔建华", "设备工程师", "staff", "user", reports_to_id=12)
MA = MapContact(14, "马明", "采购员", "staff", "gatekeeper", reports_to_id=12)


def on_team(member: MapMember, *roles: str) -> MapMember:
    return MapMember(member.id, member.name, member.title, member.rank_tier, roles[0], tuple(roles))


def account(
    theirs: list[MapContact], ours: list[MapMember], ties: list[tuple[MapMember, MapContact, str]]
) -> OrgMapData:
    links = tuple(MapLink(m.id, c.id, stage) for m, c, stage in ties)
    return OrgMapData(7, "苏州精工机械有限公司", AccountClass.A, tuple(theirs), tuple(ours), links)


def kinds(findings: list) -> list[str]:
    return [f.kind for f in findings]


def test_a_bow_tie_where_only_our_salesperson_knows_their_buyer() -> None:
    data = account([MA], [on_team(ZENG, "account_manager")], [(ZENG, MA, "good_friend")])
    findings = check_zipper(data, bench=BENCH)
    bow_tie = next(f for f in findings if f.kind == "bow_tie")
    assert bow_tie.severity == "problem"
    assert bow_tie.share == 1.0
    assert "曾晓燕" in bow_tie.message and "马明" in bow_tie.message
    # Their buyer is paired at his own rank (our salesperson is an engineer-level person too): no tier finding.
    assert "unpaired_tier" not in kinds(findings)


def test_the_bow_tie_suggests_a_second_person_of_the_buyers_rank_through_the_salesperson() -> None:
    data = account(
        [MA, CUI], [on_team(ZENG, "account_manager")], [(ZENG, MA, "good_friend"), (ZENG, CUI, "acquainted")]
    )
    bow_tie = next(f for f in check_zipper(data, bench=BENCH) if f.kind == "bow_tie")
    assert "All 2 ties" in bow_tie.message
    # Introduce another engineer-level colleague (周杰, not yet tied here) to each, through 曾晓燕.
    assert bow_tie.suggestion == (
        "Ask 曾晓燕 to introduce colleagues to the people only 曾晓燕 knows: 周杰 to 崔建华, 周杰 to 马明."
    )
    assert set(bow_tie.member_ids) >= {ZENG.id, ZHOU.id}


def test_our_gm_knowing_their_boss_pairs_the_top_tier() -> None:
    team = [on_team(WANG, "executive_sponsor"), on_team(LIU, "account_manager"), on_team(ZHOU, "research")]
    ties = [
        (WANG, FANG, "good_brother"),
        (LIU, FANG, "good_friend"),
        (LIU, ZHAO, "ordinary_brother"),
        (ZHOU, CUI, "good_friend"),
    ]
    findings = check_zipper(account([FANG, ZHAO, CUI], team, ties), bench=BENCH)
    assert not [f for f in findings if f.kind == "unpaired_tier"]
    assert "sponsor_no_tie" not in kinds(findings)
    # 刘洋 holds 2 of 4 ties: 50% is not over the 50% mark.
    assert "concentration" not in kinds(findings)


def test_their_boss_known_only_to_our_account_manager_is_an_unpaired_top_tier() -> None:
    team = [on_team(LIU, "account_manager"), on_team(ZHOU, "research")]
    ties = [(LIU, FANG, "ordinary_brother"), (LIU, ZHAO, "good_friend"), (ZHOU, CUI, "good_friend")]
    findings = check_zipper(account([FANG, ZHAO, CUI], team, ties), bench=BENCH)
    tiers = {f.tier: f for f in findings if f.kind == "unpaired_tier"}
    assert set(tiers) == {"owner"}
    owner = tiers["owner"]
    assert owner.severity == "problem"  # nobody at the top of their company is paired at that rank
    assert "方德华 (only 刘洋)" in owner.message
    # Our GM is not on this account's team, but he is the one of our people at their boss's rank.
    assert owner.suggestion == "Introduce 王建国 to 方德华; 刘洋 knows them and can make the introduction."
    assert owner.people == ("方德华", "王建国", "刘洋")


def test_a_tier_half_paired_is_a_warning_naming_the_unpaired_people() -> None:
    team = [on_team(LI, "sales_manager"), on_team(LIU, "sales"), on_team(ZENG, "account_manager")]
    other = MapContact(15, "王涛", "技术总监", "manager", "advisor")
    ties = [(LI, ZHAO, "good_brother"), (ZENG, other, "good_friend")]
    findings = check_zipper(account([ZHAO, other], team, ties), bench=BENCH)
    tier = next(f for f in findings if f.kind == "unpaired_tier")
    assert (tier.severity, tier.tier) == ("warning", "manager")
    assert "(1 of 2)" in tier.message and "王涛 (only 曾晓燕)" in tier.message
    assert "赵志明" not in tier.message
    # Both directors are on the team; 李娜 already holds a tie here, so 刘洋 (holding none) spreads the load.
    assert tier.suggestion.startswith("Introduce 刘洋 to 王涛; 曾晓燕 knows them")


def test_a_colleague_on_the_account_team_comes_before_one_who_is_not() -> None:
    team = [on_team(LI, "sales_manager"), on_team(ZENG, "account_manager")]
    other = MapContact(15, "王涛", "技术总监", "manager", "advisor")
    findings = check_zipper(
        account([other], team, [(LI, ZHAO, "good_brother"), (ZENG, other, "good_friend")]), bench=BENCH
    )
    tier = next(f for f in findings if f.kind == "unpaired_tier")
    assert tier.suggestion.startswith("Introduce 李娜 to 王涛")


def test_nobody_tied_to_a_person_is_unpaired_too() -> None:
    team = [on_team(WANG, "executive_sponsor"), on_team(LIU, "account_manager")]
    findings = check_zipper(account([FANG, ZHAO], team, [(WANG, FANG, "good_friend")]), bench=BENCH)
    tier = next(f for f in findings if f.kind == "unpaired_tier")
    assert "赵志明 (no tie)" in tier.message
    assert "Introduce 刘洋 to 赵志明." in tier.suggestion


def test_an_executive_sponsor_with_no_tie_is_told_whom_to_meet() -> None:
    team = [on_team(WANG, "executive_sponsor"), on_team(LIU, "account_manager"), on_team(ZHOU, "research")]
    ties = [
        (LIU, FANG, "ordinary_brother"),
        (LIU, ZHAO, "good_friend"),
        (ZHOU, CUI, "good_friend"),
        (ZHOU, MA, "good_friend"),
    ]
    findings = check_zipper(account([FANG, ZHAO, CUI, MA], team, ties), bench=BENCH)
    sponsor = next(f for f in findings if f.kind == "sponsor_no_tie")
    assert sponsor.severity == "problem"
    assert "王建国" in sponsor.message
    assert sponsor.suggestion.startswith("Arrange for 王建国 to meet 方德华 (Owner / GM / VP); 刘洋 knows them")
    assert sponsor.contact_ids == (FANG.id,)


def test_the_sponsor_is_pointed_at_the_decision_maker_when_two_share_the_top_rank() -> None:
    deputy = MapContact(16, "罗国栋", "副总经理", "owner", "advisor")
    team = [on_team(WANG, "executive_sponsor"), on_team(LIU, "account_manager")]
    findings = check_zipper(account([deputy, FANG], team, [(LIU, deputy, "good_friend")]), bench=BENCH)
    sponsor = next(f for f in findings if f.kind == "sponsor_no_tie")
    assert "meet 方德华" in sponsor.suggestion


def test_concentration_is_graded_by_the_teams_marks() -> None:
    team = [on_team(LIU, "account_manager"), on_team(ZHOU, "research")]
    ties = [
        (LIU, FANG, "good_friend"),
        (LIU, ZHAO, "good_friend"),
        (LIU, CUI, "good_friend"),
        (ZHOU, MA, "good_friend"),
        (ZHOU, CUI, "acquainted"),
    ]
    data = account([FANG, ZHAO, CUI, MA], team, ties)
    default = next(f for f in check_zipper(data, bench=BENCH) if f.kind == "concentration")
    assert default.severity == "warning" and default.share == pytest.approx(0.6)
    assert "刘洋 holds 60% of the ties to this customer (3 of 5), over the warning mark of 50%." == default.message
    # 方德华 and 赵志明 are known only to 刘洋: the suggestion introduces colleagues of their rank to them.
    assert default.suggestion == (
        "Ask 刘洋 to introduce colleagues to the people only 刘洋 knows: 王建国 to 方德华, 李娜 to 赵志明."
    )
    assert "concentration" not in kinds(check_zipper(data, ZipperThresholds(0.7, 1.0), BENCH))
    strict = check_zipper(data, ZipperThresholds(0.4, 0.6), BENCH)
    assert "bow_tie" in kinds(strict) and "concentration" not in kinds(strict)
    assert "at or above the bow-tie mark of 60%" in next(f for f in strict if f.kind == "bow_tie").message


def test_a_colleague_who_has_left_pairs_nobody() -> None:
    gone = MapMember(WANG.id, WANG.name, WANG.title, "owner", "executive_sponsor", ("executive_sponsor",), active=False)
    team = [gone, on_team(LIU, "account_manager")]
    findings = check_zipper(account([FANG], team, [(gone, FANG, "best_friend"), (LIU, FANG, "good_friend")]), bench=())
    owner = next(f for f in findings if f.kind == "unpaired_tier")
    assert "方德华 (only 刘洋)" in owner.message
    # Nobody left at owner rank on our side: the suggestion says so rather than naming someone who left.
    assert "Nobody on our side is at Owner / GM / VP rank" in owner.suggestion
    assert "sponsor_no_tie" not in kinds(findings)


def test_every_tie_running_to_one_of_their_people_is_flagged() -> None:
    team = [on_team(LIU, "account_manager"), on_team(ZHOU, "research")]
    ties = [(LIU, ZHAO, "good_brother"), (ZHOU, ZHAO, "good_friend")]
    finding = next(
        f for f in check_zipper(account([FANG, ZHAO, CUI], team, ties), bench=BENCH) if f.kind == "their_single_point"
    )
    assert "赵志明" in finding.message
    assert finding.suggestion == "Ask 赵志明 to introduce 王建国 to their colleague 方德华."


def test_an_account_with_no_contacts_no_ties_or_no_team_gets_a_clear_finding() -> None:
    assert kinds(check_zipper(account([], [on_team(LIU, "account_manager")], []))) == ["no_contacts"]
    untied = check_zipper(account([FANG, MA], [on_team(LIU, "account_manager")], []), bench=BENCH)
    assert kinds(untied) == ["no_ties"]
    assert untied[0].suggestion == "Introduce 王建国 to 方德华."
    assert "no_team" in kinds(check_zipper(account([FANG], [], []), bench=BENCH))


def test_thresholds_out_of_order_are_refused_with_a_message_and_the_service_falls_back() -> None:
    data = account([FANG], [on_team(LIU, "account_manager")], [(LIU, FANG, "good_friend")])
    with pytest.raises(ValueError, match="warning mark \\(80%\\) is above its bow-tie mark \\(60%\\)"):
        check_zipper(data, ZipperThresholds(0.8, 0.6))
    with pytest.raises(ValueError, match="above 0%"):
        check_zipper(data, ZipperThresholds(0.0, 1.0))
    marks, notes = usable_thresholds(0.8, 0.6, 7)
    assert marks == ZipperThresholds() and [n.kind for n in notes] == ["thresholds"]
    assert "defaults are used (50% and 100%)" in notes[0].suggestion
    problems = TeamSettings(zipper_warn_share=1.2).validate_all()
    assert "zipper_thresholds" in problems


def test_problems_come_first_and_class_weighs_the_points() -> None:
    team = [on_team(WANG, "executive_sponsor"), on_team(LIU, "account_manager")]
    findings = check_zipper(
        account([FANG, ZHAO, MA], team, [(LIU, FANG, "good_friend"), (LIU, MA, "good_friend")]), bench=BENCH
    )
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: s != "problem")
    assert zipper_points(findings, "A") == 3 * zipper_points(findings, "D")


def test_an_account_being_reduced_is_not_asked_for_new_ties() -> None:
    """Seed 000 drops class D (淘汰) and the strategy says cut time there: the zipper of a key account is no goal. A
    class-D customer where only our salesperson knows their GM and buyer, with a sponsor named on paper: no
    introductions, no sponsor meeting; the one-person risk stays, as a warning with a handover."""
    ours = [on_team(ZENG, "account_manager"), on_team(WANG, "executive_sponsor")]
    ties = [(ZENG, FANG, "ordinary_friend"), (ZENG, MA, "good_friend")]
    data = account([FANG, ZHAO, MA], ours, ties)
    full = check_zipper(data, bench=BENCH)
    assert {"bow_tie", "sponsor_no_tie", "unpaired_tier"} <= set(kinds(full))
    reduced = check_zipper(data, bench=BENCH, reduced=True)
    assert kinds(reduced) == ["bow_tie"]
    assert reduced[0].severity == "warning" and "曾晓燕" in reduced[0].suggestion
    assert "introduce" not in reduced[0].suggestion.lower() and "take over" in reduced[0].suggestion


def _counterpart_by_definition(acct, contact: MapContact, exclude: tuple[int, ...] = ()) -> MapMember | None:
    """Who should meet `contact`, straight from the rule: someone at their rank or the nearest above (never an
    unranked one), the account's team first, then fewest ties here, then by name."""
    from kamdesk.domain.zipper_checks import _UNRANKED, _order

    mark = _order(contact.rank_tier)
    people = [m for m in acct.everyone if m.id not in exclude and _order(m.rank_tier) <= min(mark, _UNRANKED - 1)]
    key = lambda m: (mark - _order(m.rank_tier), not m.on_team, len(acct.ties_of_member.get(m.id, [])), m.name)  # noqa: E731
    return min(people, key=key) if people else None


def test_the_counterpart_chosen_is_the_rule_s_on_many_random_accounts() -> None:
    """`counterpart` walks a list ordered once per account (the dashboard checks 3,000 accounts); on random
    teams, ranks, ties and exclusions it picks exactly whom the rule picks."""
    import random

    from kamdesk.domain.zipper_checks import _Account

    ranks = ["owner", "manager", "staff", None, "unknown"]
    stages = ["acquainted", "ordinary_friend", "good_friend", "good_brother"]
    chooser = random.Random(2026)
    for _round in range(300):
        bench = [
            MapMember(
                n, chooser.choice(["王芳", "李娜", "刘洋", "Anna", "周杰"]) + str(n % 3), "", chooser.choice(ranks)
            )
            for n in range(1, chooser.randint(1, 9))
        ]
        team = [on_team(m, "account_manager") for m in bench if chooser.random() < 0.5]
        theirs = [
            MapContact(100 + n, f"客户{n}", "", chooser.choice(ranks), "user") for n in range(chooser.randint(1, 6))
        ]
        ties = [(chooser.choice(team), c, chooser.choice(stages)) for c in theirs if team and chooser.random() < 0.6]
        acct = _Account(account(theirs, team, ties), bench)
        for contact in theirs:
            exclude = tuple(m.id for m in bench if chooser.random() < 0.2)
            assert acct.counterpart(contact, exclude) == _counterpart_by_definition(acct, contact, exclude)


def test_a_tier_with_many_unpaired_people_names_the_first_few_and_counts_the_rest() -> None:
    staff = [MapContact(20 + n, f"员工{n}", "工程师", "staff", "user") for n in range(6)]
    ties = [(ZENG, staff[0], "good_friend"), (ZHOU, staff[0], "acquainted")]
    findings = check_zipper(account(staff, [on_team(ZENG, "account_manager")], ties), bench=(ZENG,))
    tier = next(f for f in findings if f.kind == "unpaired_tier")
    assert tier.message.endswith("(5 of 6): 员工1 (no tie), 员工2 (no tie), 员工3 (no tie) and 2 more.")
    assert tier.contact_ids == tuple(c.id for c in staff[1:])
