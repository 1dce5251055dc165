"""Account plans on a real file: save and reload every section, conflicts, my actions, reviews, the command."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kamdesk.domain.contacts import ContactDetail, StageUpdate
from kamdesk.domain.models import AccountDetail, AccountValue, TeamAssignment, TeamMember
from kamdesk.domain.plans import (
    ActionStep,
    Competitor,
    IntelNote,
    Objective,
    PlanError,
    RevenueLine,
    Swot,
)
from kamdesk.services.workspace import ConflictError, Workspace, open_workspace

TODAY = dt.date(2026, 11, 23)
ODD = "报价 <b>&amp;</b> & 🎉 =1+1"


@pytest.fixture
def ws(tmp_path: Path):
    workspace = open_workspace(tmp_path / "team.kamdb", "王芳", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def _account(ws: Workspace) -> tuple[int, int, int]:
    me = ws.team.save(TeamMember(0, "王芳", "客户经理", "销售部", "manager", "account_manager", True))
    boss = ws.team.save(TeamMember(0, "李总", "副总", "", "owner", "executive_sponsor", True))
    account, _ = ws.accounts.save(
        AccountDetail(
            name="中国移动",
            values=[AccountValue("2026", 1000, None)],
            team=[TeamAssignment(me, "account_manager"), TeamAssignment(boss, "executive_sponsor")],
        )
    )
    return account, me, boss


def _full_plan(ws: Workspace, account: int, me: int):
    plan = ws.plans.new(account, "FY2027")
    plan.summary = ODD
    plan.customer = {"business": "通信运营", "buying_process": "招标"}
    plan.customer_swot = Swot("品牌", "流程慢", "5G", "价格战")
    plan.competitors = [Competitor("华为", "长期合作", preference=4)]
    plan.situation = {"who_favours_us": "采购主管"}
    plan.share_of_spend_pct = 35.5
    plan.our_swot = Swot(threats="低价竞品")
    plan.vision = "首选伙伴"
    plan.objectives = [Objective("份额提高到 40%", "采购份额", "40%", dt.date(2027, 12, 31), me)]
    plan.actions = [
        ActionStep("拜访采购总监", me, deadline=dt.date(2027, 1, 10), objective=0),
        ActionStep("提交方案", me, deadline=dt.date(2027, 3, 1), status="in_progress", progress=40),
    ]
    plan.revenue = [RevenueLine("2027-Q1", 100_000_00, None, 20.0, None)]
    plan.intel = [IntelNote(4, "预算 500 万", "总经理", TODAY)]
    return plan


def test_a_plan_takes_its_roles_from_the_account_team_and_keeps_every_section(ws: Workspace):
    account, me, boss = _account(ws)
    plan = _full_plan(ws, account, me)
    assert (plan.owner_id, plan.sponsor_id, plan.starts_on) == (me, boss, dt.date(2027, 1, 1))
    plan_id = ws.plans.save(plan)
    loaded = ws.plans.get(plan_id)
    assert loaded is not None
    assert loaded.summary == ODD and loaded.customer["buying_process"] == "招标"
    assert loaded.customer_swot.opportunities == "5G" and loaded.competitors[0].preference == 4
    assert loaded.share_of_spend_pct == 35.5 and loaded.our_swot.threats == "低价竞品"
    assert loaded.objectives[0].owner_name == "王芳" and loaded.actions[0].objective == 0
    assert loaded.revenue[0].target_cents == 100_000_00 and loaded.intel[0].noted_on == TODAY
    assert loaded.account_name == "中国移动" and loaded.version == 1
    assert [p.period for p in ws.plans.plans(account)] == ["FY2027"]


def test_a_second_plan_for_the_same_period_is_refused(ws: Workspace):
    account, me, _boss = _account(ws)
    ws.plans.save(_full_plan(ws, account, me))
    with pytest.raises(PlanError, match="already has a plan for fy2027|already has a plan for FY2027"):
        ws.plans.save(replace(ws.plans.new(account, "fy2027")))


def test_a_colleagues_plan_saved_after_the_first_look_is_refused_by_the_check_inside_the_write(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
):
    # Issue 18: the duplicate check ran in its own read before the write; a plan a colleague saved in
    # between reached the person as a raw IntegrityError.
    account, me, _boss = _account(ws)
    colleague = open_workspace(ws.path, "李明")
    try:
        own_write = ws.db.write

        @contextmanager
        def write_after_the_colleague() -> Iterator[Any]:
            colleague.plans.save(colleague.plans.new(account, "FY2027"))  # lands just before this save's write
            with own_write() as session:
                yield session

        monkeypatch.setattr(ws.db, "write", write_after_the_colleague)
        with pytest.raises(PlanError, match="already has a plan for FY2027"):
            ws.plans.save(_full_plan(ws, account, me))
        monkeypatch.undo()
        assert [p.period for p in ws.plans.plans(account)] == ["FY2027"]
        kept = ws.plans.get(ws.plans.plans(account)[0].id)
        assert kept is not None and kept.vision == ""  # the colleague's plan, untouched
    finally:
        colleague.close()


def test_a_duplicate_the_check_could_not_see_is_a_plan_error_and_case_does_not_make_a_second_period(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
):
    # The period is stored one way however it was typed, so the unique constraint agrees with a person
    # ("fy2027" is FY2027); a duplicate only the constraint catches (a server's concurrent insert) is a
    # PlanError saying what happened, never an IntegrityError.
    account, me, _boss = _account(ws)
    ws.plans.save(_full_plan(ws, account, me))
    monkeypatch.setattr("kamdesk.storage.plans.period_taken", lambda *_args, **_kwargs: False)
    with pytest.raises(PlanError, match="someone else saved it a moment ago"):
        ws.plans.save(ws.plans.new(account, " fy2027 "))
    monkeypatch.undo()
    assert [p.period for p in ws.plans.plans(account)] == ["FY2027"]
    saved = ws.plans.save(ws.plans.new(account, "2027q3"))
    plan = ws.plans.get(saved)
    assert plan is not None and plan.period == "2027-Q3"
    with pytest.raises(PlanError, match="already has a plan for 2027-Q3"):
        ws.plans.save(ws.plans.new(account, "2027-q3"))


def test_someone_elses_save_in_between_is_a_conflict_and_nothing_is_lost(ws: Workspace):
    account, me, _boss = _account(ws)
    plan_id = ws.plans.save(_full_plan(ws, account, me))
    mine, theirs = ws.plans.get(plan_id), ws.plans.get(plan_id)
    assert mine is not None and theirs is not None
    theirs.actions[0].progress = 50
    ws.plans.save(theirs)
    mine.vision = "我的新愿景"
    with pytest.raises(ConflictError):
        ws.plans.save(mine)
    kept = ws.plans.get(plan_id)
    assert kept is not None and kept.actions[0].progress == 50 and kept.vision == "首选伙伴"


def test_my_actions_lists_open_steps_by_deadline_and_done_records_who_and_when(ws: Workspace):
    account, me, boss = _account(ws)
    plan = _full_plan(ws, account, me)
    plan.starts_on = dt.date(2026, 1, 1)
    plan.actions.append(ActionStep("逾期的一步", me, deadline=dt.date(2026, 11, 1)))
    plan.actions.append(ActionStep("别人的", boss, deadline=dt.date(2026, 11, 1)))
    plan_id = ws.plans.save(plan)
    mine = ws.plans.my_actions(me)
    assert [a.task for a, _v in mine] == ["逾期的一步", "拜访采购总监", "提交方案"]
    assert [a.overdue for a, _v in mine] == [True, False, False]
    action, version = mine[0]
    before = ws.plans.get(plan_id)
    assert before is not None
    assert ws.plans.mark_done(action.id, version) == plan_id
    after = ws.plans.get(plan_id)
    assert after is not None and after.version > before.version  # an open editor of the plan sees the change
    done = next(a for a in after.actions if a.id == action.id)
    assert (done.status, done.done_by, done.done_on, done.progress) == ("done", "王芳", TODAY, 100)
    assert [a.task for a, _v in ws.plans.my_actions(me)] == ["拜访采购总监", "提交方案"]
    with pytest.raises(ConflictError):
        ws.plans.mark_done(action.id, version)


def test_a_deadline_before_the_start_and_an_owner_who_left_are_refused(ws: Workspace):
    account, me, _boss = _account(ws)
    gone = ws.team.save(TeamMember(0, "张三", "", "", "staff", "sales", False))
    plan = _full_plan(ws, account, me)
    plan.actions.append(ActionStep("太早", me, deadline=dt.date(2026, 12, 1)))
    plan.actions.append(ActionStep("没人做", gone, owner_name="张三"))
    with pytest.raises(PlanError) as raised:
        ws.plans.save(plan)
    assert "Action 3: the deadline 2026-12-01" in str(raised.value) and "Action 4: 张三 has left" in str(raised.value)
    assert ws.plans.plans(account) == []  # nothing written


def test_reviews_build_a_trend_across_plans_and_copy_forward_starts_the_next_period(ws: Workspace):
    account, me, _boss = _account(ws)
    plan_id = ws.plans.save(_full_plan(ws, account, me))
    ws.plans.add_review(plan_id, {"doing": 3, "needs": 4}, "一般", dt.date(2026, 6, 30))
    ws.plans.add_review(plan_id, {"doing": 4, "needs": 5, "people": 5}, ODD)
    with pytest.raises(PlanError):
        ws.plans.add_review(plan_id, {"doing": 9})
    following = ws.plans.copy_forward(plan_id, "FY2028")
    following_id = ws.plans.save(following)
    trend = ws.plans.reviews(following_id)
    assert [r.average for r in trend] == [3.5, 4.67] and trend[1].notes == ODD and trend[1].reviewed_by == "王芳"
    copied = ws.plans.get(following_id)
    assert copied is not None and copied.summary == ODD and copied.revenue == []
    assert [a.task for a in copied.actions] == ["拜访采购总监", "提交方案"]
    assert copied.actions[0].objective == 0 and copied.objectives[0].id is not None
    assert copied.actions[0].deadline is None  # 2027-01-10 is before FY2028: the step needs a new date


def test_the_sponsor_review_is_recorded(ws: Workspace):
    account, me, _boss = _account(ws)
    plan_id = ws.plans.save(_full_plan(ws, account, me))
    plan = ws.plans.get(plan_id)
    assert plan is not None
    ws.plans.sponsor_review(plan, "李总")
    reviewed = ws.plans.get(plan_id)
    assert reviewed is not None and (reviewed.sponsor_reviewed_by, reviewed.sponsor_reviewed_on) == ("李总", TODAY)


def test_print_account_plan_command_writes_the_pack(ws: Workspace, tmp_path: Path):
    account, me, _boss = _account(ws)
    ws.contacts.save(
        ContactDetail(
            name="曾国华",
            account_id=account,
            rank_tier="owner",
            buying_role="decision_maker",
            stage_update=StageUpdate("acquainted", TODAY),
        )
    )
    ws.plans.save(_full_plan(ws, account, me))
    path = ws.path
    ws.close()
    out = tmp_path / "plan.pdf"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "kamdesk",
            "print",
            str(path),
            "account-plan",
            "--account",
            "移动",
            "--period",
            "FY2027",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF")
    empty = tmp_path / "empty.pdf"
    missing = subprocess.run(
        [
            sys.executable,
            "-m",
            "kamdesk",
            "print",
            str(path),
            "account-plan",
            "--account",
            "移动",
            "--period",
            "FY2030",
            "-o",
            str(empty),
        ],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 0 and "FY2030" in missing.stderr and "plan worksheet" in missing.stderr
    # The empty pack is a worksheet to fill in by hand (issue 22): its pages say so.
    assert empty.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(empty), "-"], capture_output=True, text=True, check=True).stdout
        assert "Account plan — worksheet" in text and "Nothing written yet." not in text
