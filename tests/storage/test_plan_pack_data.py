"""What the printed plan pack is given, read from a real file: the roles from the account team unless the plan
names its own, the account's class and revenue history, the org map, the team's confidentiality mark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kamdesk.domain.models import AccountDetail, AccountValue, TeamAssignment, TeamMember
from kamdesk.domain.settings import TeamSettings
from kamdesk.i18n import set_language
from kamdesk.services.workspace import Workspace, open_workspace

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(tmp_path: Path):
    workspace = open_workspace(tmp_path / "team.kamdb", "陈静", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def _team(ws: Workspace) -> tuple[int, dict[str, int]]:
    people = {
        role: ws.team.save(TeamMember(0, name, title, "销售部", rank, role, True))
        for name, title, rank, role in (
            ("王芳", "客户经理", "manager", "account_manager"),
            ("李总", "副总经理", "owner", "executive_sponsor"),
            ("张伟", "销售经理", "manager", "sales_manager"),
            ("孙丽", "销售代表", "staff", "sales"),
        )
    }
    account, _ = ws.accounts.save(
        AccountDetail(
            name="南京钢铁股份有限公司",
            values=[AccountValue("2024", 4_000_000_00, None), AccountValue("2025", 5_000_000_00, None)],
            team=[TeamAssignment(people[r], r) for r in ("account_manager", "executive_sponsor", "sales_manager")],
        )
    )
    return account, people


def test_roles_come_from_the_account_team_and_a_plan_that_names_its_own_keeps_it(ws: Workspace):
    account, people = _team(ws)
    plan = ws.plans.new(account, "FY2027")
    # As the demo's plans are: an owner who is not the account manager, and no sponsor or sales manager named.
    plan.owner_id, plan.sponsor_id, plan.sales_manager_id = people["sales"], None, None
    pack = ws.plans.pack_of(plan)
    assert (pack.account_manager, pack.sponsor, pack.sales_manager) == ("王芳", "李总", "张伟")
    assert set(pack.from_team) == {"account_manager", "executive_sponsor", "sales_manager"}
    assert pack.owner == "孙丽"  # the plan's owner is still said, as such
    # A plan that names another sales manager keeps its own choice.
    plan.sales_manager_id = people["sales"]
    pack = ws.plans.pack_of(plan)
    assert pack.sales_manager == "孙丽" and "sales_manager" not in pack.from_team
    assert [v.period for v in pack.values] == ["2024", "2025"] and pack.printed_by == "陈静"


def test_the_confidentiality_mark_is_the_teams_wording_or_a_translated_default(ws: Workspace):
    account, _people = _team(ws)
    plan = ws.plans.new(account, "FY2027")
    assert (
        ws.plans.pack_of(plan).confidentiality
        == "Confidential — for internal use only; not to be shown to the customer"
    )
    set_language("zh_CN")
    try:
        assert ws.plans.pack_of(plan).confidentiality == "机密 — 仅供内部使用，请勿给客户查看"
    finally:
        set_language("en")
    settings = ws.settings.load()
    settings.confidentiality = "内部资料 — 严禁外传"
    ws.settings.save(settings)
    assert ws.plans.pack_of(plan).confidentiality == "内部资料 — 严禁外传"  # the team's wording, saved in the file
    assert TeamSettings(confidentiality="  内部资料\n严禁外传 ").confidentiality_mark() == "内部资料 严禁外传"
    assert "confidentiality" in TeamSettings(confidentiality="x" * 121).validate_all()
    assert TeamSettings.from_values(TeamSettings(confidentiality="内部资料").to_values()).confidentiality == "内部资料"


def test_an_account_without_a_plan_prints_a_worksheet(ws: Workspace, tmp_path: Path):
    account, _people = _team(ws)
    out = tmp_path / "worksheet.pdf"
    ws.plans.print_empty_pack(account, "FY2027", out)
    assert out.read_bytes().startswith(b"%PDF")
    pack = ws.plans.pack_of(ws.plans.new(account, "FY2027"), worksheet=True)
    assert pack.worksheet and pack.sponsor == "李总"
