"""Contacts on a real team file: the card, dates, stage history, targets and gaps, search, bad input."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from storage_helpers import raw_sql

from kamdesk.domain.contacts import (
    Anniversary,
    ContactDetail,
    ContactLink,
    ContactQuery,
    ContactValidationError,
    FamilyMember,
    PersonalDate,
    StageUpdate,
    check_date,
)
from kamdesk.domain.enums import AccountClass
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.domain.settings import TeamSettings
from kamdesk.services.workspace import StorageError, Workspace, open_workspace

pytestmark = pytest.mark.both_backends

TODAY = dt.date(2026, 11, 23)
SAVED = Path(__file__).parent / "saved_files"


@pytest.fixture
def ws(db_target: str | Path):
    workspace = open_workspace(db_target, "alice", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def _account(ws: Workspace, name: str, revenue: int) -> int:
    account_id, _ = ws.accounts.save(AccountDetail(name=name, values=[AccountValue("2026", revenue, None)]))
    return account_id


def _member(ws: Workspace, name: str, rank: str = "manager") -> int:
    return ws.team.save(TeamMember(0, name, "销售经理", "销售部", rank, "account_manager", True))


def _contact(ws: Workspace, name: str, account_id: int | None, **fields) -> int:
    return ws.contacts.save(ContactDetail(name=name, account_id=account_id, **fields))


def test_a_card_saves_and_loads_with_personal_file_links_and_history(ws: Workspace):
    account = _account(ws, "中国移动通信集团江苏有限公司", 1000)
    member = _member(ws, "王芳")
    detail = ContactDetail(
        name="曾国华",
        account_id=account,
        title="采购总监",
        rank_tier="manager",
        buying_role="decision_maker",
        mobile="13800000000",
        email="zeng@example.com",
        wechat="zgh_1970",
        birthday=PersonalDate("lunar", 1970, 8, 15),
        city="南京",
        hometown="长沙",
        interests="钓鱼 🎣",
        preferences="普洱茶",
        taboos="不喝白酒",
        personality_type="rational",
        notes="<b>重要</b> & 细心",
        family=[FamilyMember("李梅", "妻子", PersonalDate("solar", None, 2, 29))],
        anniversaries=[Anniversary("结婚纪念日", PersonalDate("solar", 1996, 10, 1))],
        links=[ContactLink(member, "good_friend", dt.date(2026, 11, 1))],
        stage_update=StageUpdate("good_friend", dt.date(2026, 10, 20), "一起参加了行业年会"),
    )
    contact_id = ws.contacts.save(detail)
    card = ws.contacts.get(contact_id)
    assert (card.name, card.account_name, card.account_class, card.relationship_stage) == (
        "曾国华",
        "中国移动通信集团江苏有限公司",
        AccountClass.A,
        "good_friend",
    )
    assert card.birthday == PersonalDate("lunar", 1970, 8, 15)
    assert card.family == [FamilyMember("李梅", "妻子", PersonalDate("solar", None, 2, 29))]
    assert card.anniversaries == [Anniversary("结婚纪念日", PersonalDate("solar", 1996, 10, 1))]
    assert [(link.member_name, link.stage) for link in card.links] == [("王芳", "good_friend")]
    assert [(h.stage, h.changed_on, h.reason, h.by) for h in card.history] == [
        ("good_friend", dt.date(2026, 10, 20), "一起参加了行业年会", "alice")
    ]
    assert card.notes == "<b>重要</b> & 细心" and card.interests == "钓鱼 🎣"
    assert ws.contacts.target(card).value == "good_brother"  # class A × manager


def test_targets_and_gaps_follow_class_rank_and_the_edited_matrix(ws: Workspace):
    big = _account(ws, "Big", 1000)
    small = _account(ws, "Small", 10)
    _contact(ws, "Owner A", big, rank_tier="owner")
    _contact(ws, "Clerk D", small, rank_tier="clerk", stage_update=StageUpdate("good_friend", TODAY))
    _contact(ws, "No rank", big)
    rows = {i.name: (i.target, i.gap) for i in ws.contacts.page(ContactQuery(), 0, 50)}
    # Two accounts: Big is A, Small (50% ahead of it) is C.
    assert rows == {"Owner A": ("best_friend", 6), "Clerk D": ("good_friend", 0), "No rank": (None, None)}
    assert {i.name for i in ws.contacts.page(ContactQuery(gap="below"), 0, 50)} == {"Owner A"}
    assert {i.name for i in ws.contacts.page(ContactQuery(gap="met"), 0, 50)} == {"Clerk D"}
    assert {i.name for i in ws.contacts.page(ContactQuery(gap="none"), 0, 50)} == {"No rank"}
    assert [i.name for i in ws.contacts.page(ContactQuery(sort_key="gap", descending=True), 0, 50)][0] == "Owner A"
    matrix = TeamSettings().target_matrix
    matrix["A"]["owner"] = "acquainted"
    ws.settings.save(TeamSettings(target_matrix=matrix))
    rows = {i.name: i.gap for i in ws.contacts.page(ContactQuery(), 0, 50)}
    assert rows["Owner A"] == 1
    assert ws.contacts.count(ContactQuery(gap="below")) == 1


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("曾国华", True),
        ("zengguohua", True),
        ("zgh", True),
        ("zeng", True),
        ("国华", True),
        ("单", False),
        ("shanfang", False),
        ("中国移动", True),
        ("zgyd", True),
        ("采购", True),
        ("caigou", False),
        ("长沙", True),
        ("南京", True),
        ("%", False),
        ("_", False),
        ("'; DROP TABLE contacts; --", False),
    ],
)
def test_search_by_name_pinyin_initials_company_title_city_hometown(ws: Workspace, text: str, found: bool):
    account = _account(ws, "中国移动", 10)
    _contact(ws, "曾国华", account, title="采购总监", city="南京", hometown="长沙")
    _contact(ws, "单芳", None)
    names = {i.name for i in ws.contacts.page(ContactQuery(search=text), 0, 50)}
    assert ("曾国华" in names) is found
    assert ws.contacts.count(ContactQuery(search=text)) == len(names)
    items, total = ws.contacts.first_page(ContactQuery(search=text), 50)
    assert {i.name for i in items} == names and total == len(names)


def test_surnames_read_their_own_way(ws: Workspace):
    _contact(ws, "单雄信", None)
    _contact(ws, "区志明", None)
    _contact(ws, "仇英", None)
    for text, name in (("shanxiongxin", "单雄信"), ("sxx", "单雄信"), ("ouzhiming", "区志明"), ("qiuying", "仇英")):
        assert [i.name for i in ws.contacts.page(ContactQuery(search=text), 0, 5)] == [name]


def test_a_reports_to_cycle_is_refused(ws: Workspace):
    account = _account(ws, "Acme", 10)
    boss = _contact(ws, "Boss", account)
    mid = _contact(ws, "Mid", account, reports_to_id=boss)
    low = _contact(ws, "Low", account, reports_to_id=mid)
    card = ws.contacts.get(boss)
    card.reports_to_id = low
    with pytest.raises(ContactValidationError) as caught:
        ws.contacts.save(card)
    assert "circle" in caught.value.errors["reports_to"]
    card.reports_to_id = boss
    with pytest.raises(ContactValidationError, match="themselves"):
        ws.contacts.save(card)
    assert ws.contacts.get(boss).reports_to_id is None


@pytest.mark.parametrize(
    ("date", "words"),
    [
        (PersonalDate("solar", 2024, 2, 30), "only 29 days"),
        (PersonalDate("solar", 2023, 2, 29), "not a leap year"),
        (PersonalDate("solar", None, 4, 31), "only 30 days"),
        (PersonalDate("lunar", None, 13, 1), "no month 13"),
        (PersonalDate("lunar", 2023, 1, 30), "only 29 days"),  # lunar 2023 month 1 is short
        (PersonalDate("lunar", 2023, 3, 1, leap_month=True), "after month 2"),
        (PersonalDate("lunar", 2024, 3, 1, leap_month=True), "no leap month"),
        (PersonalDate("lunar", None, 5, 31), "no day 31"),
        (PersonalDate("solar", 1800, 1, 1), "out of range"),
    ],
)
def test_impossible_dates_are_explained(ws: Workspace, date: PersonalDate, words: str):
    assert words in check_date(date)
    with pytest.raises(ContactValidationError) as caught:
        ws.contacts.save(ContactDetail(name="Someone", birthday=date))
    assert words in caught.value.errors["birthday"]
    assert ws.contacts.count(ContactQuery()) == 0


@pytest.mark.parametrize(
    "date",
    [
        PersonalDate("solar", None, 2, 29),
        PersonalDate("lunar", None, 1, 30),
        PersonalDate("lunar", 2023, 2, 30),
        PersonalDate("lunar", 2023, 2, 29, True),
    ],
)
def test_real_dates_pass(date: PersonalDate):
    assert check_date(date) == ""


def test_a_link_to_a_colleague_removed_meanwhile_is_a_clear_error(ws: Workspace):
    member = _member(ws, "李强")
    contact_id = _contact(ws, "客户甲", None)
    raw_sql(ws.db, "DELETE FROM team_members WHERE id = :id", id=member)
    card = ws.contacts.get(contact_id)
    card.links = [ContactLink(member, "acquainted")]
    with pytest.raises(StorageError, match="removed from the team file"):
        ws.contacts.save(card)
    assert ws.contacts.get(contact_id).links == []


def test_possible_duplicates_are_found(ws: Workspace):
    account = _account(ws, "Acme", 10)
    _contact(ws, "张伟", account, mobile="13900001111")
    assert ws.contacts.duplicates(ContactDetail(name="张伟", account_id=account)) == ["张伟 (Acme)"]
    assert ws.contacts.duplicates(ContactDetail(name="Zhang Wei", mobile="13900001111")) == ["张伟 (Acme)"]
    assert ws.contacts.duplicates(ContactDetail(name="张伟", account_id=None)) == []


def test_a_future_stage_change_is_refused(ws: Workspace):
    with pytest.raises(ContactValidationError) as caught:
        ws.contacts.save(ContactDetail(name="X", stage_update=StageUpdate("good_friend", TODAY + dt.timedelta(1))))
    assert "future" in caught.value.errors["stage"]


def test_the_map_adds_links_once(ws: Workspace):
    account = _account(ws, "Acme", 10)
    member = _member(ws, "王芳")
    contact = _contact(ws, "客户乙", account, rank_tier="owner", buying_role="decision_maker")
    assert ws.contacts.add_link(member, contact)
    assert not ws.contacts.add_link(member, contact)
    data, analysis = ws.contacts.org_map(account)
    assert [(link.member_id, link.contact_id) for link in data.links] == [(member, contact)]
    assert analysis.bow_tie is not None and analysis.bow_tie.side == "both"


def test_an_older_file_gets_its_search_table_filled(tmp_path: Path):
    path = tmp_path / "old.kamdb"
    shutil.copyfile(SAVED / "schema-1.kamdb", path)
    ws = open_workspace(path, "alice")
    try:
        assert [i.name for i in ws.contacts.page(ContactQuery(search="zgf"), 0, 5)] == ["曾国藩"]
        assert ws.contacts.count(ContactQuery(search="中国移动")) == 1  # through the company
    finally:
        ws.close()


def test_an_account_deleted_keeps_its_people_without_a_company_and_findable(ws: Workspace):
    account = _account(ws, "杭州西湖电子有限公司", 500)
    other = _account(ws, "苏州园林建材有限公司", 300)
    zhang = _contact(ws, "张伟", account, title="采购经理", city="杭州")
    _contact(ws, "李娜", other)
    before = ws.contacts.get(zhang)
    ws.accounts.delete(account, ws.accounts.get(account).version)  # failed on the search table's trigger before
    assert ws.accounts.get(account) is None
    card = ws.contacts.get(zhang)
    assert card is not None and card.account_id is None and card.title == "采购经理"
    assert before is not None and card.version > before.version  # a card still open on the old company is stale
    found = ws.contacts.page(ContactQuery(search="zhangwei"), 0, 10)
    assert [(c.name, c.account_name) for c in found] == [("张伟", "")]
    assert raw_sql(ws.db, "SELECT account_id FROM contact_search WHERE contact_id = :id", id=zhang) == [
        {"account_id": None}
    ]
