"""The day an account reached each stage is kept: editor saves, imports, merges; and earlier calls' lessons."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from kamdesk.domain.contacts import ContactDetail, StageUpdate
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.domain.plans import Competitor, IntelNote, RevenueLine
from kamdesk.services.stages import StageService
from kamdesk.services.workspace import Workspace, open_workspace

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(tmp_path: Path):
    workspace = open_workspace(tmp_path / "team.kamdesk", "alice", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def _changes(ws: Workspace, account_id: int) -> list[tuple[str, str | None, str | None, dt.date, str]]:
    return [(e.field, e.old_value, e.new_value, e.at.date(), e.by) for e in StageService(ws.db).history(account_id)]


def test_each_stage_change_is_kept_with_its_day_and_an_unchanged_stage_adds_nothing(ws: Workspace):
    account, _ = ws.accounts.save(
        AccountDetail(
            name="中国移动", sales_stage="trial", cycle_stage="breakthrough", values=[AccountValue("2026", 100, None)]
        )
    )
    assert sorted(_changes(ws, account)) == [
        ("cycle_stage", None, "breakthrough", TODAY, "alice"),
        ("sales_stage", None, "trial", TODAY, "alice"),
    ]
    # Another field changes, the stages do not: no entry.
    detail = ws.accounts.get(account)
    ws.accounts.save(replace(detail, city="兰州"))
    assert len(_changes(ws, account)) == 2
    ws.clock.fix(TODAY + dt.timedelta(days=30))
    detail = ws.accounts.get(account)
    ws.accounts.save(replace(detail, sales_stage="intent", relationship_type="vendor"))
    history = _changes(ws, account)
    assert history[:2] == [
        ("relationship_type", None, "vendor", TODAY + dt.timedelta(days=30), "alice"),
        ("sales_stage", "trial", "intent", TODAY + dt.timedelta(days=30), "alice"),
    ] or history[:2] == [
        ("sales_stage", "trial", "intent", TODAY + dt.timedelta(days=30), "alice"),
        ("relationship_type", None, "vendor", TODAY + dt.timedelta(days=30), "alice"),
    ]
    assert len(history) == 4
    # Clearing a stage is a change too.
    detail = ws.accounts.get(account)
    ws.accounts.save(replace(detail, cycle_stage=None))
    assert _changes(ws, account)[0][:3] == ("cycle_stage", "breakthrough", None)


def test_a_merged_save_records_only_what_it_changed(ws: Workspace):
    account, _ = ws.accounts.save(AccountDetail(name="美的", sales_stage="potential"))
    base = ws.accounts.get(account)
    theirs = replace(base, cycle_stage="growth")
    ws.accounts.save(theirs)  # someone else moves the cycle stage
    mine = replace(base, sales_stage="trial")
    merged = ws.accounts.merge(base, mine)
    assert merged.clean
    ws.accounts.save(merged.merged())
    fields = [(f, old, new) for f, old, new, _d, _b in _changes(ws, account)]
    assert fields.count(("sales_stage", "potential", "trial")) == 1
    assert fields.count(("cycle_stage", None, "growth")) == 1
    assert len(fields) == 3


def test_an_import_records_the_stages_it_brings(ws: Workspace, tmp_path: Path):
    source = tmp_path / "accounts.csv"
    source.write_text("name,销售阶段,关系周期\n格力,意向客户,成长期\n海尔,,\n", encoding="utf-8")
    result = ws.transfer.import_file("accounts", source)
    assert result.imported == 2, result
    ids = {a.name: a.id for a in ws.accounts.page(ws_query(), 0, 10)}
    assert sorted((f, new, note) for f, _o, new, _d, _b, note in _full(ws, ids["格力"])) == [
        ("cycle_stage", "growth", "import"),
        ("sales_stage", "intent", "import"),
    ]
    assert _changes(ws, ids["海尔"]) == []


def ws_query():
    from kamdesk.domain.models import AccountQuery

    return AccountQuery()


def _full(ws: Workspace, account_id: int):
    return [
        (e.field, e.old_value, e.new_value, e.at.date(), e.by, e.note) for e in StageService(ws.db).history(account_id)
    ]


def test_lessons_of_earlier_calls_with_the_same_person(ws: Workspace):
    account, _ = ws.accounts.save(AccountDetail(name="中国移动"))
    member = ws.team.save(TeamMember(0, "alice", "", "", None, None, True))
    zeng = ws.contacts.save(ContactDetail(name="曾国华", account_id=account))
    other = ws.contacts.save(ContactDetail(name="李强", account_id=account))
    first = ws.followups.plan(kind="call", due_on=TODAY, contact_id=zeng, member_id=member, subject="报价")
    ws.followups.save_call_notes(first, 1, {}, {"lessons": "先问预算再报价", "their_attitude": "很忙"}, "")
    elsewhere = ws.followups.plan(kind="call", due_on=TODAY, contact_id=other, member_id=member, subject="别人")
    ws.followups.save_call_notes(elsewhere, 1, {}, {"lessons": "不相关"}, "")
    nxt = ws.followups.plan(kind="call", due_on=TODAY + dt.timedelta(days=7), contact_id=zeng, member_id=member)
    lessons = StageService(ws.db).lessons(zeng, nxt)
    assert [(x.subject, x.lessons, x.their_attitude, x.member_name) for x in lessons] == [
        ("报价", "先问预算再报价", "很忙", "alice")
    ]
    assert StageService(ws.db).lessons(zeng, first) == []  # a call's own review is not its "earlier" lesson


def test_type_facts_read_the_latest_plan_and_the_contacts(ws: Workspace):
    ids = {}
    for name, margin in (("甲", 10.0), ("乙", 12.0), ("丙", 14.0), ("丁", 30.0)):
        ids[name], _ = ws.accounts.save(AccountDetail(name=name))
        plan = ws.plans.new(ids[name], "FY2026")
        plan.revenue = [RevenueLine("2026", 100_00, None, margin)]
        if name == "丁":
            plan.competitors = [Competitor("华为")]
            plan.intel = [IntelNote(3, "预算 500 万"), IntelNote(1, "年报")]
        ws.plans.save(plan)
    ws.contacts.save(
        ContactDetail(
            name="老板", account_id=ids["丁"], rank_tier="owner", stage_update=StageUpdate("good_brother", TODAY)
        )
    )
    ws.contacts.save(
        ContactDetail(
            name="经理", account_id=ids["丁"], rank_tier="manager", stage_update=StageUpdate("good_friend", TODAY)
        )
    )
    facts = StageService(ws.db).type_facts(ids["丁"])
    assert facts.plan_period == "FY2026" and facts.grades == frozenset({1, 3}) and facts.competitors == 1
    assert facts.margin_pct == 30.0 and sorted(facts.team_margins) == [10.0, 12.0, 14.0]
    assert facts.close_key_people == 2 and facts.top_tie
    assert StageService(ws.db).type_facts(ids["甲"]).close_key_people == 0
