"""The agenda on a real file: due items, done with outcome, rescheduling, e-mail rules, call-backs, outreach."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from kamdesk.domain.contacts import (
    Anniversary,
    ContactDetail,
    ContactLink,
    FamilyMember,
    PersonalDate,
    StageUpdate,
)
from kamdesk.domain.followups import detail_text
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.i18n import current_language, set_language
from kamdesk.services.followups import FollowUpError
from kamdesk.services.workspace import ConflictError, Workspace, open_workspace

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(tmp_path: Path):
    workspace = open_workspace(tmp_path / "team.kamdb", "王芳", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def _people(ws: Workspace) -> tuple[int, int, int]:
    account, _ = ws.accounts.save(AccountDetail(name="中国移动", values=[AccountValue("2026", 1000, None)]))
    member = ws.team.save(TeamMember(0, "王芳", "销售经理", "销售部", "manager", "account_manager", True))
    contact = ws.contacts.save(
        ContactDetail(
            name="曾国华",
            account_id=account,
            rank_tier="owner",
            city="兰州",
            links=[ContactLink(member, "good_friend")],
            stage_update=StageUpdate("good_friend", TODAY),
        )
    )
    return account, member, contact


def test_the_agenda_holds_overdue_and_coming_items_for_one_person(ws: Workspace):
    account, member, contact = _people(ws)
    other = ws.team.save(TeamMember(0, "李强", "", "", "staff", "sales", True))
    for days, who in ((-3, member), (0, member), (5, member), (20, member), (1, other)):
        ws.followups.plan(
            kind="call",
            due_on=TODAY + dt.timedelta(days=days),
            contact_id=contact,
            account_id=account,
            member_id=who,
            subject=f"d{days}",
        )
    mine = ws.followups.agenda(member)
    assert [i.subject for i in mine] == ["d-3", "d0", "d5"]
    assert mine[0].contact_name == "曾国华" and mine[0].account_name == "中国移动" and mine[0].member_name == "王芳"
    assert len(ws.followups.agenda(None, days_ahead=31)) == 5


def test_done_records_the_outcome_and_moves_the_last_touch(ws: Workspace):
    account, member, contact = _people(ws)
    activity = ws.followups.plan(kind="call", due_on=TODAY, contact_id=contact, account_id=account, member_id=member)
    item, version = ws.followups.get(activity)
    ws.followups.complete(item.id, version, "同意下周来访 <b>&</b>", dt.datetime(2026, 11, 23, 3, 0))
    assert ws.followups.agenda(member) == []
    card = ws.contacts.get(contact)
    assert card.last_contact_on == TODAY
    assert card.links[0].last_contact_on == TODAY
    assert ws.accounts.get(account).notes == ""  # untouched
    touches = ws.followups.context(contact).touches
    assert [t.id for t in touches] == [activity]
    with pytest.raises(ConflictError):
        ws.followups.complete(item.id, version, "again")


def test_reschedule_and_snooze_never_go_into_the_past(ws: Workspace):
    account, member, contact = _people(ws)
    activity = ws.followups.plan(kind="visit", due_on=TODAY, contact_id=contact, member_id=member)
    item, version = ws.followups.get(activity)
    with pytest.raises(FollowUpError):
        ws.followups.reschedule(item.id, version, TODAY - dt.timedelta(days=1))
    assert ws.followups.snooze(item.id, version, 3) == TODAY + dt.timedelta(days=3)
    item, version = ws.followups.get(activity)
    assert item.due_on == TODAY + dt.timedelta(days=3)
    with pytest.raises(FollowUpError):
        ws.followups.snooze(item.id, version, 0)


def test_an_important_email_gets_a_follow_up_call_and_a_tracked_reply(ws: Workspace):
    """Seed 000: an important or urgent e-mail is followed by a call as soon as it is sent (第一时间), not a day later."""
    account, member, contact = _people(ws)
    ws.followups.plan(
        kind="email",
        due_on=TODAY,
        contact_id=contact,
        member_id=member,
        subject="报价单, 第二版; 请确认",
        important=True,
        reply_due_on=TODAY + dt.timedelta(days=3),
    )
    reasons = {(i.kind, i.reason, i.due_on) for i in ws.followups.agenda(member)}
    assert reasons == {
        ("email", "manual", TODAY),
        ("call", "email_follow_up", TODAY),
        ("email", "reply_owed", TODAY + dt.timedelta(days=3)),
    }
    with pytest.raises(FollowUpError) as caught:
        ws.followups.plan(kind="email", due_on=TODAY, reply_due_on=TODAY - dt.timedelta(days=1))
    assert caught.value.field == "reply_due_on"
    with pytest.raises(FollowUpError):
        ws.followups.plan(kind="call", due_on=TODAY, start_time="25:99")


def test_an_incoming_call_becomes_a_planned_call_back_with_notes(ws: Workspace):
    account, member, contact = _people(ws)
    activity = ws.followups.call_back(contact_id=contact, account_id=account, member_id=member, matter="交货期")
    item, version = ws.followups.get(activity)
    assert (item.kind, item.reason, item.due_on) == ("call", "call_back", TODAY + dt.timedelta(days=1))
    prep, review, _notes = ws.followups.call_notes(activity)
    assert prep == {"matter": "交货期"} and review == {}
    ws.followups.save_call_notes(
        activity, version, {**prep, "their_attitude": "着急"}, {"lessons": "先确认库存", "missed": ""}, "记录"
    )
    prep, review, notes = ws.followups.call_notes(activity)
    assert prep["their_attitude"] == "着急" and review == {"lessons": "先确认库存"} and notes == "记录"


def test_regional_outreach_finds_people_living_in_or_from_a_place(ws: Workspace):
    account, member, contact = _people(ws)
    from_there = ws.contacts.save(ContactDetail(name="单芳", account_id=account, hometown="甘肃兰州"))
    ws.contacts.save(ContactDetail(name="Elsewhere", account_id=account, city="上海"))
    ws.contacts.save(ContactDetail(name="No place", account_id=account))
    found = ws.followups.outreach_candidates("兰州")
    assert {row[1] for row in found} == {"曾国华", "单芳"}
    assert ws.followups.plan_outreach([contact, from_there], "兰州", "洪水") == 2
    assert ws.followups.plan_outreach([contact, from_there], "兰州", "洪水") == 0  # never twice
    items = ws.followups.agenda(None)
    assert {i.reason for i in items} == {"outreach"} and len(items) == 2
    with pytest.raises(FollowUpError):
        ws.followups.outreach_candidates("  ")
    with pytest.raises(FollowUpError):
        ws.followups.plan_outreach([contact], "兰州", "")


def test_the_rules_plan_each_persons_next_contact_and_completing_it_plans_the_one_after(ws: Workspace):
    account, member, contact = _people(ws)
    steps: list[tuple[int, int]] = []
    added = ws.followups.generate(
        TODAY, TODAY + dt.timedelta(days=365), lambda done, total: steps.append((done, total)) or True
    )
    items = ws.followups.agenda(None, days_ahead=366)
    assert added == 2 and steps[-1] == (1, 1)
    assert sorted(i.reason for i in items) == ["cadence", "care"]
    business = next(i for i in items if i.reason == "cadence")
    care = next(i for i in items if i.reason == "care")
    assert business.due_on == TODAY  # never touched: regular contact is due now
    english = detail_text(business.reason_detail)
    assert "class A" in english and care.due_on.weekday() < 5
    # Stored as the message and its values: a colleague using kamdesk in Chinese reads it in Chinese.
    before = current_language()
    set_language("zh_CN")
    try:
        chinese = detail_text(business.reason_detail)
    finally:
        set_language(before)
    assert chinese != english and "class" not in chinese and "A" in chinese
    assert ws.followups.generate(TODAY, TODAY + dt.timedelta(days=365)) == 0  # nothing twice
    # Doing the care greeting restarts the rhythm from that touch: the next one is planned at once.
    found = ws.followups.get(care.id)
    ws.followups.complete(care.id, found[1], "问候了", dt.datetime.combine(care.due_on, dt.time(2)))
    following = [i for i in ws.followups.agenda(None, days_ahead=400) if i.reason == "care"]
    assert len(following) == 1
    gap = (following[0].due_on - care.due_on).days
    assert 20 <= gap <= 45 + 7 and following[0].due_on.weekday() != care.due_on.weekday()


def test_birthdays_and_anniversaries_in_the_next_weeks_become_greetings_with_their_reason(ws: Workspace):
    account, member, contact = _people(ws)
    card = ws.contacts.get(contact)
    ws.contacts.save(
        replace(
            card,
            birthday=PersonalDate("lunar", 1970, 11, 15),  # 2026-12-23 by the lunar calendar (LunarCalendar agrees)
            family=[
                FamilyMember("林美", "妻子", PersonalDate("solar", None, 12, 1)),
                FamilyMember("曾小明", "儿子", PersonalDate("solar", 2001, 3, 9)),
            ],  # too far ahead to plan yet
            anniversaries=[Anniversary("入职 <纪念日> & 🎉", PersonalDate("solar", 2010, 12, 20))],
        )
    )
    ws.followups.generate(TODAY, TODAY + dt.timedelta(days=365))
    dated = sorted(
        (i.due_on, i.reason, i.subject)
        for i in ws.followups.agenda(None, days_ahead=366)
        if i.reason in ("birthday", "anniversary")
    )
    assert [(d, r) for d, r, _ in dated] == [
        (dt.date(2026, 12, 1), "birthday"),
        (dt.date(2026, 12, 20), "anniversary"),
        (dt.date(2026, 12, 23), "birthday"),
    ]
    assert "林美" in dated[0][2] and "入职 <纪念日> & 🎉" in dated[1][2]
    assert ws.followups.generate(TODAY, TODAY + dt.timedelta(days=365)) == 0  # each date planned once


def test_a_birthday_planned_in_english_reads_in_chinese_for_a_chinese_colleague(ws: Workspace):
    """The detail of a planned birthday (whose, which lunar day, why the day moved) is stored as messages and
    values: planned by someone using kamdesk in English, a colleague using it in Chinese reads it in Chinese."""
    account, member, contact = _people(ws)
    card = ws.contacts.get(contact)
    ws.contacts.save(
        replace(
            card,
            birthday=PersonalDate("lunar", 1970, 11, 15),  # 2026-12-23
            # A leap tenth month, which lunar 2026 does not have: marked in the ordinary one, with a note.
            family=[FamilyMember("林美 <b>&</b>", "妻子", PersonalDate("lunar", None, 10, 15, True))],
        )
    )
    before = current_language()
    set_language("en")
    try:
        ws.followups.generate(TODAY, TODAY + dt.timedelta(days=365))
        items = {i.reason_detail: i for i in ws.followups.agenda(None, days_ahead=366) if i.reason == "birthday"}
        english = sorted(detail_text(d) for d in items)
        set_language("zh_CN")
        chinese = sorted(detail_text(d) for d in items)
    finally:
        set_language(before)
    assert len(items) == 2 and all(d.startswith("tr:") for d in items)
    assert english == [
        "Birthday of 妻子 林美 <b>&</b> (lunar 10/15) — Lunar year 2026 has no leap month 10; marked in the ordinary month.",
        "lunar 11/15",
    ]
    for text in chinese:
        assert not any(word in text for word in ("lunar", "Birthday", "Lunar", "month", "marked")), text
    assert any("11" in t and "15" in t and "林美" not in t for t in chinese)
    wife = next(t for t in chinese if "林美" in t)
    assert "妻子 林美 <b>&</b>" in wife and "2026" in wife and "10" in wife


def test_festival_greetings_are_tiered_by_class_and_rank_and_planned_once(ws: Workspace):
    _account, member, contact = _people(ws)
    ws.clock.fix(dt.date(2027, 9, 1))  # Mid-Autumn 2027 is on 15 September
    plan = ws.followups.plan_greetings("mid_autumn", 2027)
    assert [(p.contact, p.extra["channel"]) for p in plan.proposals] == [("曾国华", "visit")]  # class A owner
    assert ws.followups.confirm(plan.proposals) == 1
    assert ws.followups.confirm(plan.proposals) == 0
    (item,) = [i for i in ws.followups.agenda(None, days_ahead=20) if i.reason == "festival"]
    assert item.kind == "visit" and item.member_id == member and item.contact_id == contact
    assert dt.date(2027, 9, 1) <= item.due_on < dt.date(2027, 9, 15)  # type: ignore[operator]


def test_calendar_export_keeps_its_uids_and_escapes_text(ws: Workspace, tmp_path: Path):
    from kamdesk.domain.ics import parse_uids

    account, member, contact = _people(ws)
    ws.followups.plan(
        kind="visit",
        due_on=TODAY + dt.timedelta(days=2),
        contact_id=contact,
        account_id=account,
        member_id=member,
        subject="拜访, 带样品; 见总经理",
        start_time="14:30",
        duration_minutes=90,
    )
    ws.followups.plan(kind="greeting", due_on=TODAY, contact_id=contact, member_id=member)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert ws.followups.export_ics(first) == 1
    ws.followups.export_ics(second)
    text = first.read_bytes().decode("utf-8")
    assert parse_uids(text) == parse_uids(second.read_text(encoding="utf-8")) and len(parse_uids(text)) == 1
    assert "拜访\\, 带样品\\; 见总经理" in text.replace("\r\n ", "")
    assert "DTSTART;TZID=Asia/Shanghai:20261125T143000" in text
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    ro = open_workspace(ws.path, "viewer", read_only=True)
    try:
        ro.clock.fix(TODAY)
        ro.followups.export_ics(tmp_path / "c.ics")
        assert parse_uids((tmp_path / "c.ics").read_text(encoding="utf-8")) == parse_uids(text)
    finally:
        ro.close()
