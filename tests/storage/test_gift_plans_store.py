"""The gift planners on real files: every proposal of every planner on the demo read against every taboo tag of
its person (0 violations, and the check catches a planted one), limits enforced when a plan is confirmed as
when a hand entry is recorded, and a declined gift never proposed again."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from kamdesk.domain.contacts import ContactDetail, StageUpdate
from kamdesk.domain.gift_vocabulary import breaks_taboo, parse_tags, suggest_contact_tags, suggest_item_tags
from kamdesk.domain.gifts import CatalogueItem, GiftError, GiftPolicy, RegisterEntry
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.domain.proposals import ProposalPlan, ProposalRecord
from kamdesk.services.demo import load_demo
from kamdesk.services.demo_data import DemoSize
from kamdesk.services.workspace import Workspace, open_workspace

TODAY = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.kamdb"
    load_demo(path, DemoSize.SMALL, user_name="测试", today=TODAY)
    return path


@pytest.fixture(scope="module")
def demo_plans(demo: Path) -> dict[str, ProposalPlan]:
    ws = open_workspace(demo, "测试", read_only=True)
    ws.clock.fix(TODAY)
    try:
        plans = {
            f"festival:{festival}": ws.gifts.plan_festival_gifts(festival, 2027, None)
            for festival in ("mid_autumn", "spring_festival", "dragon_boat")
        }
        plans["everyday"] = ws.gifts.plan_everyday_gifts(TODAY, TODAY + dt.timedelta(days=182))
        plans["special"] = ws.gifts.plan_special_gifts()
    finally:
        ws.close()
    return plans


def test_rational_customers_get_no_courting_gifts_in_the_demo(demo: Path, demo_plans: dict[str, ProposalPlan]) -> None:
    """Seed 004's rational customer (理智型: the person's type, else the account's) gets no everyday or special gift
    and at most a modest festival gift, on a real file."""
    with sqlite3.connect(demo) as db:
        rational = {
            cid
            for (cid,) in db.execute(
                "SELECT c.id FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id "
                "WHERE coalesce(nullif(c.personality_type, ''), a.personality_type) = 'rational'"
            )
        }
    assert rational
    for kind in ("everyday", "special"):
        assert not [p.contact for p in demo_plans[kind].proposals if p.contact_id in rational]
    festival = [p for k, plan in demo_plans.items() if k.startswith("festival:") for p in plan.proposals]
    assert any(p.contact_id in rational for p in festival)
    assert all(p.extra["tier"] <= 1 for p in festival if p.contact_id in rational)


def taboo_violations(path: Path, proposals: list[ProposalRecord]) -> list[tuple[str, str, str]]:
    """(person, item, broken tag) for every proposal whose item breaks one of its person's taboo tags: the
    person's tags straight from the file (or read from their taboo text when none are kept), the item's tags
    from the catalogue row (or, untagged, from its name), and the item's own name read as well."""
    with sqlite3.connect(path) as db:
        people = {
            cid: (tags, interests, preferences, taboos)
            for cid, tags, interests, preferences, taboos in db.execute(
                "SELECT id, taboo_tags, interests, preferences, taboos FROM contacts"
            )
        }
        items = {
            name: (category, attributes, notes)
            for name, category, attributes, notes in db.execute(
                "SELECT item, category, attributes, notes FROM gift_catalogue"
            )
        }
    found = []
    for p in proposals:
        if not p.item or p.contact_id is None:
            continue
        tags, interests, preferences, taboo_text = people[p.contact_id]
        taboos = parse_tags(tags) or suggest_contact_tags(interests or "", preferences or "", taboo_text or "")[1]
        category, attributes, notes = items[p.item]
        item_tags = parse_tags(attributes) | ({category} if category else set())
        item_tags |= suggest_item_tags(p.item).all_tags()
        if not (category or attributes):
            item_tags |= suggest_item_tags(p.item, notes or "").all_tags()
        found.extend((p.contact, p.item, tag) for tag in sorted(breaks_taboo(item_tags, taboos)))
    return found


def test_no_proposal_of_any_planner_breaks_a_taboo_on_the_demo(demo: Path, demo_plans: dict[str, ProposalPlan]):
    sizes = {name: sum(1 for p in plan.proposals if p.item) for name, plan in demo_plans.items()}
    assert all(n >= 10 for name, n in sizes.items() if name != "special"), sizes  # not vacuous
    assert sizes["special"] >= 1, sizes
    with sqlite3.connect(demo) as db:
        tabooed = db.execute("SELECT count(*) FROM contacts WHERE taboos != '' OR taboo_tags != ''").fetchone()[0]
    assert tabooed >= 10
    for name, plan in demo_plans.items():
        assert taboo_violations(demo, plan.proposals) == [], name


def test_the_taboo_check_catches_a_planted_violation(demo: Path, demo_plans: dict[str, ProposalPlan]):
    with sqlite3.connect(demo) as db:
        teetotal = db.execute("SELECT id, name FROM contacts WHERE taboos LIKE '%不喝酒%' LIMIT 1").fetchone()
        liquor = [name for (name,) in db.execute("SELECT item FROM gift_catalogue") if "茅台" in name]
    assert teetotal is not None and liquor
    planted = ProposalRecord("festival_gift", teetotal[0], teetotal[1], "", "A", "owner", TODAY, liquor[0], 980_00)
    proposals = [*demo_plans["festival:spring_festival"].proposals, planted]
    assert taboo_violations(demo, proposals) == [(teetotal[1], liquor[0], "alcohol")]


def test_the_spring_festival_plan_on_the_demo_fits_its_budget_and_names_its_cuts(demo: Path):
    ws = open_workspace(demo, "测试", read_only=True)
    ws.clock.fix(TODAY)
    try:
        plan = ws.gifts.plan_festival_gifts("spring_festival", 2027, 20_000_00)
        free = ws.gifts.plan_festival_gifts("spring_festival", 2027, None)
        with pytest.raises(GiftError, match="above zero"):
            ws.gifts.plan_festival_gifts("spring_festival", 2027, 0)
        with pytest.raises(GiftError, match="Dragon Boat"):
            ws.gifts.plan_festival_gifts("qingming", 2027, None)
    finally:
        ws.close()
    assert plan.total_cents <= 20_000_00 < free.total_cents
    assert any("lower tier" in n or "left out" in n for n in plan.notes)
    assert {p.account_class for p in plan.proposals} <= {"A", "B", "C"}  # class D is left out by default
    assert not any("月饼" in p.item or "粽" in p.item for p in free.proposals)


# Confirming, limits and declined gifts on a small file -----------------------------------------------------------
@pytest.fixture
def ws(tmp_path: Path):
    workspace = open_workspace(tmp_path / "team.kamdb", "王芳", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def _book(ws: Workspace) -> tuple[int, int]:
    me = ws.team.save(TeamMember(0, "王芳", "客户经理", "销售部", "manager", "account_manager", True))
    account, _ = ws.accounts.save(
        AccountDetail(name="中国移动", owner_id=me, values=[AccountValue("2026", 1000, None)])
    )
    known = StageUpdate("ordinary_friend", TODAY)
    boss = ws.contacts.save(
        ContactDetail(name="曾国华", account_id=account, rank_tier="owner", preferences="喜欢白酒", stage_update=known)
    )
    manager = ws.contacts.save(
        ContactDetail(name="单芳", account_id=account, rank_tier="manager", preferences="爱喝龙井", stage_update=known)
    )
    for item in (
        CatalogueItem("茅台飞天 53°", "holiday", 980_00, occasions=frozenset({"any_festival"}), category="liquor"),
        CatalogueItem("西湖龙井", "holiday", 480_00, occasions=frozenset({"any_festival"}), category="tea"),
        CatalogueItem("五常大米", "holiday", 198_00, occasions=frozenset({"spring_festival"}), category="food"),
    ):
        ws.gifts.save_item(item)
    ws.gifts.save_policy(GiftPolicy(per_item_cents=500_00, per_person_year_cents=2_000_00))
    return boss, manager


def test_an_over_limit_plan_cannot_be_confirmed_without_an_approver(ws: Workspace):
    boss, manager = _book(ws)
    plan = ws.gifts.plan_festival_gifts("spring_festival", 2027, None)
    by_person = {p.contact_id: p for p in plan.proposals}
    assert by_person[boss].item == "茅台飞天 53°" and by_person[boss].extra["needs_approval"]
    assert any("limit per item" in w for w in by_person[boss].warnings)
    assert not by_person[manager].extra["needs_approval"]
    with pytest.raises(GiftError, match="approved"):
        ws.gifts.confirm(plan.proposals, "春节 2027", "spring_festival:2027")
    assert ws.gifts.register(2027) == []  # refused as a whole: nothing written
    # the warnings on the records are not trusted: the service checks the limits itself
    stripped = [replace(p, warnings=[], extra={**p.extra, "needs_approval": False}) for p in plan.proposals]
    with pytest.raises(GiftError, match="approved"):
        ws.gifts.confirm(stripped, "春节 2027", "spring_festival:2027")
    # only the ticked (passed) proposals are written
    assert ws.gifts.confirm([by_person[manager]], "春节 2027", "spring_festival:2027") == 1
    assert ws.gifts.confirm(plan.proposals, "春节 2027", "spring_festival:2027", approved_by="李总") == 1
    entries = {e.contact_id: e for e in ws.gifts.register(2027)}
    assert entries[boss].approved_by == "李总" and entries[boss].approved_on == TODAY
    assert entries[manager].approved_by == ""  # within the limits: no approval recorded
    hand = RegisterEntry("holiday", "茅台飞天 53°", 980_00, TODAY, contact_id=manager)
    with pytest.raises(GiftError, match="needs an approval"):  # the same rule for a hand entry
        ws.gifts.record(hand)


def test_a_plan_that_takes_a_person_over_the_year_needs_an_approver(ws: Workspace):
    _boss, manager = _book(ws)
    ws.gifts.record(
        RegisterEntry("everyday", "茶叶", 450_00, dt.date(2027, 1, 4), contact_id=manager, status="planned")
    )
    ws.gifts.record(
        RegisterEntry("meal", "答谢晚宴", 450_00, dt.date(2027, 1, 5), contact_id=manager, status="planned")
    )
    ws.gifts.record(
        RegisterEntry("meal", "答谢晚宴", 450_00, dt.date(2027, 1, 8), contact_id=manager, status="planned")
    )
    ws.gifts.record(RegisterEntry("meal", "晚宴", 450_00, dt.date(2027, 1, 10), contact_id=manager, status="planned"))
    plan = ws.gifts.plan_festival_gifts("spring_festival", 2027, None)
    tea = next(p for p in plan.proposals if p.contact_id == manager)
    assert any("total for 2027" in w for w in tea.warnings)
    with pytest.raises(GiftError, match="单芳"):
        ws.gifts.confirm([tea], "春节 2027", "spring_festival:2027")


def test_a_declined_gift_is_marked_in_the_register_and_never_proposed_again(ws: Workspace):
    _boss, manager = _book(ws)
    first = ws.gifts.plan_festival_gifts("spring_festival", 2027, None)
    tea = next(p for p in first.proposals if p.contact_id == manager)
    assert tea.item == "西湖龙井"
    ws.gifts.confirm([tea], "春节 2027", "spring_festival:2027")
    (entry,) = ws.gifts.register(2027)
    assert entry.id is not None
    ws.gifts.set_status(entry.id, entry.version, "declined")
    assert ws.gifts.get(entry.id).status == "declined"  # type: ignore[union-attr]
    with pytest.raises(GiftError):
        ws.gifts.set_status(entry.id, entry.version, "lost")
    again = ws.gifts.plan_festival_gifts("mid_autumn", 2027, None)
    assert all(p.item != "西湖龙井" for p in again.proposals if p.contact_id == manager)


def test_an_empty_catalogue_is_a_clear_message(ws: Workspace):
    with pytest.raises(GiftError, match="catalogue is empty"):
        ws.gifts.plan_festival_gifts("mid_autumn", 2027, 10_000_00)
    with pytest.raises(GiftError, match="catalogue is empty"):
        ws.gifts.plan_special_gifts()


def test_no_gift_is_proposed_while_a_sensitive_event_is_open_for_the_person(ws: Workspace):
    """Business pauses during an illness or bereavement (domain.md §11): the plan leaves the person out and
    says why; once the event has ended the person is proposed again."""
    from kamdesk.domain.followups import ContactEvent

    boss, manager = _book(ws)
    before = ws.gifts.plan_festival_gifts("spring_festival", 2027, None)
    assert boss in {p.contact_id for p in before.proposals}
    ws.followups.save_event(ContactEvent(None, boss, "bereavement", TODAY, TODAY + dt.timedelta(days=90)))
    during = ws.gifts.plan_festival_gifts("spring_festival", 2027, None)
    assert boss not in {p.contact_id for p in during.proposals}
    assert manager in {p.contact_id for p in during.proposals}
    assert any("曾国华" in n and "sensitive event" in n for n in during.notes)
    ws.clock.fix(TODAY + dt.timedelta(days=91))
    after = ws.gifts.plan_festival_gifts("spring_festival", 2028, None)
    assert boss in {p.contact_id for p in after.proposals}


def test_a_confirmed_festival_gift_and_the_merged_greeting_are_one_agenda_item(ws: Workspace):
    """The greeting plan merges a person's gift ("a card with the gift"): confirming the gift plan and then the
    greetings must not put two items for that person and festival on the agenda."""
    boss, _manager = _book(ws)
    gifts = ws.gifts.plan_festival_gifts("spring_festival", 2027, None)
    mine = [p for p in gifts.proposals if p.contact_id == boss]
    assert mine
    ws.gifts.confirm(mine, "春节 2027", "spring_festival:2027", approved_by="李总")
    greetings = ws.followups.plan_greetings("spring_festival", 2027)
    ws.followups.confirm([p for p in greetings.proposals if p.contact_id == boss])
    items = [a for a in ws.followups.agenda(None, days_ahead=120) if a.contact_id == boss]
    assert len(items) == 1, [(a.subject, a.due_on) for a in items]


def test_a_gift_of_ill_omen_is_never_proposed_even_to_someone_without_taboos(ws: Workspace):
    """A clock (送钟 sounds like 送终) or pears (梨: parting) are not given, whoever the person is."""
    boss, _manager = _book(ws)
    account = ws.contacts.get(boss).account_id
    ws.contacts.save(  # nothing known about their tastes: the cheap items are all that fit their modest tier
        ContactDetail(name="小李", account_id=account, rank_tier="staff", stage_update=StageUpdate("acquainted", TODAY))
    )
    for item in (
        CatalogueItem("欧式座钟", "holiday", 150_00, occasions=frozenset({"any_festival"})),
        CatalogueItem("库尔勒香梨礼盒", "holiday", 120_00, occasions=frozenset({"any_festival"})),
    ):
        ws.gifts.save_item(item)
    plans = [ws.gifts.plan_festival_gifts(f, 2027, None) for f in ("spring_festival", "mid_autumn")]
    proposed = {p.item for plan in plans for p in plan.proposals}
    assert proposed and not proposed & {"欧式座钟", "库尔勒香梨礼盒"}


def test_a_festival_already_past_is_refused_with_the_year_to_plan_for(ws: Workspace):
    _book(ws)
    with pytest.raises(GiftError, match="2026-09-25.*plan for 2027"):
        ws.gifts.plan_festival_gifts("mid_autumn", 2026, None)  # today is 2026-12-05
    from kamdesk.services.followups import FollowUpError

    with pytest.raises(FollowUpError, match="plan for 2027"):
        ws.followups.plan_greetings("mid_autumn", 2026)
    assert ws.gifts.plan_festival_gifts("mid_autumn", 2027, None).proposals
