"""The agenda on a real file: due items, done with outcome, rescheduling, e-mail rules, call-backs, outreach."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kamdesk.domain.contacts import ContactDetail, ContactLink
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.services.followups import FollowUpError
from kamdesk.services.workspace import ConflictError, Workspace, open_workspace

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(tmp_path: Path):
    workspace = open_workspace(tmp_path / "team.kamdb", "王芳", create=True)
    for service in (workspace.accounts, workspace.contacts, workspace.followups):
        service.today = lambda: TODAY
    yield workspace
    workspace.close()


def _people(ws: Workspace) -> tuple[int, int, int]:
    account, _ = ws.accounts.save(AccountDetail(name="中国移动", values=[AccountValue("2026", 1000, None)]))
    member = ws.team.save(TeamMember(0, "王芳", "销售经理", "销售部", "manager", "account_manager", True))
    contact = ws.contacts.save(ContactDetail(name="曾国华", account_id=account, rank_tier="owner", city="兰州",
                                             links=[ContactLink(member, "good_friend")]))
    return account, member, contact


def test_the_agenda_holds_overdue_and_coming_items_for_one_person(ws: Workspace):
    account, member, contact = _people(ws)
    other = ws.team.save(TeamMember(0, "李强", "", "", "staff", "sales", True))
    for days, who in ((-3, member), (0, member), (5, member), (20, member), (1, other)):
        ws.followups.plan(kind="call", due_on=TODAY + dt.timedelta(days=days), contact_id=contact,
                          account_id=account, member_id=who, subject=f"d{days}")
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
    account, member, contact = _people(ws)
    ws.followups.plan(kind="email", due_on=TODAY, contact_id=contact, member_id=member, subject="报价单, 第二版; 请确认",
                      important=True, reply_due_on=TODAY + dt.timedelta(days=3))
    reasons = {(i.kind, i.reason, i.due_on) for i in ws.followups.agenda(member)}
    assert reasons == {("email", "manual", TODAY), ("call", "email_follow_up", TODAY + dt.timedelta(days=1)),
                       ("email", "reply_owed", TODAY + dt.timedelta(days=3))}
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
    ws.followups.save_call_notes(activity, version, {**prep, "their_attitude": "着急"},
                                 {"lessons": "先确认库存", "missed": ""}, "记录")
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
