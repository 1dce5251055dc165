"""Gifts and visits on a real file: the register with its limits, festival plans, visits, schedules."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from kamdesk.domain.contacts import ContactDetail, StageUpdate
from kamdesk.domain.gifts import CatalogueItem, GiftError, GiftPolicy, RegisterEntry, Visit
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.services.workspace import ConflictError, Workspace, open_workspace

TODAY = dt.date(2027, 8, 20)
ODD = '=HYPERLINK("x") <b>&</b> 🥮'


@pytest.fixture
def ws(tmp_path: Path):
    workspace = open_workspace(tmp_path / "team.kamdb", "王芳", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def _book(ws: Workspace) -> tuple[int, int, int, int]:
    me = ws.team.save(TeamMember(0, "王芳", "客户经理", "销售部", "manager", "account_manager", True))
    account, _ = ws.accounts.save(
        AccountDetail(name="中国移动", owner_id=me, values=[AccountValue("2026", 1000, None)])
    )
    boss = ws.contacts.save(
        ContactDetail(
            name="曾国华",
            account_id=account,
            rank_tier="owner",
            title="总经理",
            taboos="不喝酒，不收茅台",
            preferences="爱喝龙井",
            address="兰州市城关区 1 号",
            mobile="13900000000",
        )
    )
    clerk = ws.contacts.save(ContactDetail(name="单芳", account_id=account, rank_tier="staff"))
    for item in (
        CatalogueItem("茅台酒", "holiday", 980_00),
        CatalogueItem("西湖龙井", "holiday", 480_00),
        CatalogueItem("杏花楼月饼 " + ODD, "holiday", 188_00),
        CatalogueItem("新疆干果", "everyday", 98_00),
    ):
        ws.gifts.save_item(item)
    return account, me, boss, clerk


def test_the_register_refuses_an_over_limit_entry_without_an_approval_and_keeps_totals(ws: Workspace):
    account, me, boss, _clerk = _book(ws)
    ws.gifts.save_policy(GiftPolicy(per_item_cents=500_00, per_person_year_cents=800_00))
    dinner = RegisterEntry(
        "meal",
        "答谢晚宴",
        600_00,
        TODAY - dt.timedelta(days=3),
        contact_id=boss,
        member_id=me,
        people_ours="王芳、李强",
        people_theirs="曾国华",
        occasion="项目验收",
    )
    with pytest.raises(GiftError, match="needs an approval"):
        ws.gifts.record(dinner)
    entry_id = ws.gifts.record(replace(dinner, approved_by="李总"))
    saved = ws.gifts.get(entry_id)
    assert saved is not None and saved.approved_on == TODAY and saved.account_id == account  # filled in
    tea = RegisterEntry("special", "龙井", 300_00, TODAY - dt.timedelta(days=1), contact_id=boss)
    with pytest.raises(GiftError, match="total for the year"):  # 600 + 300 > 800 for the year
        ws.gifts.record(tea)
    ws.gifts.record(RegisterEntry("everyday", "水果", 100_00, TODAY, contact_id=boss, direction="received"))
    assert ws.gifts.totals(2027, "contact") == [("曾国华", 1, 600_00)]  # received gifts are not in "given"
    assert [e.item for e in ws.gifts.register(2027)] == ["水果", "答谢晚宴"]
    assert "Alcohol" in ws.gifts.taboo_warning(RegisterEntry("holiday", "茅台酒", 1, TODAY, contact_id=boss))
    assert "Alcohol" in ws.gifts.taboo_warning(RegisterEntry("holiday", "五粮液", 1, TODAY, contact_id=boss))
    assert ws.gifts.taboo_warning(RegisterEntry("holiday", "五常大米", 1, TODAY, contact_id=boss)) == ""


def test_a_stale_register_edit_is_a_conflict(ws: Workspace):
    _account, _me, boss, _clerk = _book(ws)
    entry_id = ws.gifts.record(RegisterEntry("everyday", "水果", 80_00, TODAY, contact_id=boss))
    first, second = ws.gifts.get(entry_id), ws.gifts.get(entry_id)
    assert first is not None and second is not None
    ws.gifts.record(replace(first, notes="改了"))
    with pytest.raises(ConflictError):
        ws.gifts.record(replace(second, value_cents=90_00))


def test_a_festival_plan_respects_taboos_then_lands_in_register_and_agenda_once(ws: Workspace):
    _account, me, boss, clerk = _book(ws)
    for contact_id in (boss, clerk):
        detail = ws.contacts.get(contact_id)
        assert detail is not None
        ws.contacts.save(
            replace(detail, stage_update=StageUpdate("acquainted", TODAY))
        )  # not strangers: those get none
    plan = ws.gifts.plan_festival_gifts("mid_autumn", 2027)
    assert plan.notes[0].endswith("2027-09-15.")
    by_person = {p.contact_id: p for p in plan.proposals}
    assert by_person[boss].item == "西湖龙井"  # liked; 茅台 is against their taboo
    assert by_person[boss].date == dt.date(2027, 9, 10)  # in person: the workday before the delivery Sunday
    assert "茅台酒" in by_person[boss].reason
    assert by_person[clerk].item.startswith("杏花楼月饼")
    assert ws.gifts.register(2027) == []  # proposing writes nothing
    assert ws.gifts.confirm(plan.proposals, "中秋节", "mid_autumn:2027") == 2
    assert ws.gifts.confirm(plan.proposals, "中秋节", "mid_autumn:2027") == 0  # confirming again adds nothing
    planned = ws.gifts.register(2027)
    assert {e.status for e in planned} == {"planned"}
    assert {e.given_on for e in planned} == {dt.date(2027, 9, 10), dt.date(2027, 9, 12)}  # courier: the delivery date
    agenda = [i for i in ws.followups.agenda(me, days_ahead=40) if i.reason == "gift"]
    assert len(agenda) == 2 and any("西湖龙井" in i.subject for i in agenda)
    labels = ws.gifts.labels(dt.date(2027, 9, 1), dt.date(2027, 9, 30))
    assert [label.name for label in labels] == ["单芳"]  # the clerk's gift goes by courier; the owner's in person
    schedule = ws.gifts.gift_schedule(dt.date(2027, 9, 1), dt.date(2027, 9, 30), occasion="中秋节")
    assert len(schedule.rows) == 2 and schedule.total_cents == 480_00 + 188_00
    assert any(ODD in r.item for r in schedule.rows)


def test_visits_plan_ahead_show_tastes_and_land_on_the_agenda(ws: Workspace):
    account, me, boss, _clerk = _book(ws)
    past = Visit(dt.datetime(2027, 8, 1, 10, 0), "visit", account, boss, member_id=me, purpose="回访")
    with pytest.raises(GiftError, match="past"):
        ws.gifts.save_visit(past)
    dinner = Visit(
        dt.datetime(2027, 8, 25, 18, 30),
        "meal",
        account,
        boss,
        "采购部 2 人",
        me,
        "李强",
        "答谢 " + ODD,
        True,
        "龙井",
        "",
        4,
        1_200_00,
        place="兰州饭店",
    )
    visit_id = ws.gifts.save_visit(dinner)
    notes = ws.gifts.visit_warnings(dinner)
    assert any("爱喝龙井" in n for n in notes) and any("不喝酒" in n for n in notes)
    assert ws.gifts.meal_guide(4).dishes == 5
    agenda = [i for i in ws.followups.agenda(me, days_ahead=10) if i.reason == "visit"]
    assert len(agenda) == 1 and agenda[0].due_on == dt.date(2027, 8, 25)
    schedule = ws.gifts.visit_schedule(dt.date(2027, 8, 23), dt.date(2027, 8, 29))
    assert [(r.account, r.budget_cents) for r in schedule.rows] == [("中国移动", 1_200_00)]
    assert "曾国华" in schedule.rows[0].people_theirs and ODD in schedule.rows[0].purpose
    assert ws.gifts.visit_schedule(dt.date(2027, 10, 1), dt.date(2027, 10, 7)).rows == []
    saved = ws.gifts.get_visit(visit_id)
    assert saved is not None
    ws.gifts.save_visit(replace(saved, status="done", outcome="顺利"))


def test_tiers_policy_and_a_customer_policy_are_kept_in_the_file(ws: Workspace):
    account, *_ = _book(ws)
    matrix, budgets = ws.gifts.tiers()
    matrix["mid_autumn"]["C"]["staff"] = 1
    budgets[3] = 1_500_00
    ws.gifts.save_tiers(matrix, budgets)
    assert ws.gifts.tiers() == (matrix, budgets)
    with pytest.raises(GiftError):
        ws.gifts.save_tiers(matrix, {1: 0, 2: 1, 3: 1})
    with pytest.raises(GiftError):
        ws.gifts.save_policy(GiftPolicy(0, 0))
    ws.gifts.save_customer_policy(account, "客户规定：单件礼品不超过 200 元")
    assert ws.gifts.customer_policy(account).endswith("200 元")
    with pytest.raises(GiftError):
        ws.gifts.gift_schedule(TODAY, TODAY - dt.timedelta(days=1))


def test_the_register_is_read_as_plain_rows_with_every_field(ws: Workspace):
    """No ORM object is made for an entry (issue 24: a year's entries as objects were walked by the garbage
    collector on the GUI thread while the read held them); ids, versions, fields and names all arrive."""
    account, me, boss, _clerk = _book(ws)
    entry = RegisterEntry(
        "everyday", "水果 " + ODD, 90_00, TODAY, contact_id=boss, member_id=me, occasion="中秋", people_ours="2"
    )
    entry_id = ws.gifts.record(entry)
    from test_agenda_reads import orm_loads

    from kamdesk.storage import gifts as gift_store

    with ws.db.read() as session, orm_loads() as loaded:
        read = gift_store.register(session, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
        one = gift_store.get_entry(session, entry_id)
    assert loaded == []
    assert [e.id for e in read] == [entry_id] and one == read[0]
    got = read[0]
    assert (got.item, got.value_cents, got.given_on, got.occasion, got.people_ours) == (
        "水果 " + ODD,
        90_00,
        TODAY,
        "中秋",
        "2",
    )
    assert (got.account_name, got.contact_name, got.member_name) == ("中国移动", "曾国华", "王芳")
    assert got.version >= 1
