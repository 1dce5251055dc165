"""The plan pack PDF: the front page, sections in order, revenue to date and for the full year, the team's roles,
the sign-off, the confidentiality mark on every page, the worksheet, tables on the text margin; Chinese and markup
text literal, repeated table headers, page x of y."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Table

from kamdesk.domain.plans import (
    AccountPlan,
    ActionStep,
    Competitor,
    IntelNote,
    Objective,
    PackContact,
    PlanPack,
    RelationshipReview,
    RevenueLine,
    Swot,
)
from kamdesk.reports.plan_pack import build, compose, document
from kamdesk.reports.plan_worksheet import Ruled
from kamdesk.reports.typeset import CANNOT_END, CANNOT_START, Paragraph, line_texts

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
TODAY = dt.date(2026, 11, 23)
MARKUP = "<b>不是粗体</b> & <font size=40>大</font> 🎉"


def _pages(pdf: Path, layout: bool = True) -> list[str]:
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _column(pdf: Path, left: bool, page: int = 1) -> str:
    """The text of the left or right half of a page, with line breaks and spaces folded to one space."""
    x = "0" if left else "298"
    args = ["pdftotext", "-f", str(page), "-l", str(page), "-x", x, "-y", "0", "-W", "297", "-H", "842"]
    text = subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def _pack(actions: int = 6, objectives: int = 3) -> PlanPack:
    plan = AccountPlan(
        account_id=1,
        period="FY2027",
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        summary="巩固主力供应商地位 " + MARKUP,
        customer={"business": "区域龙头企业，主营通信设备"},
        customer_swot=Swot("品牌好", "决策慢", "新产线", "价格战"),
        competitors=[Competitor("华为技术", "长期合作", customer_view="性价比高", preference=4)],
        situation={"who_favours_us": "采购主管"},
        share_of_spend_pct=35.0,
        cycle_stage="growth",
        our_swot=Swot("方案强", "价格高", "招标", "低价竞品"),
        vision="成为首选伙伴",
        objectives=[
            Objective(f"目标{i}：份额提高到 40%", "采购份额", "40%", dt.date(2027, 12, 31), 1, "王芳")
            for i in range(objectives)
        ],
        actions=[
            ActionStep(
                f"第{i:03d}步：拜访采购总监并提交方案" + ("，细节很多" * 30 if i == 3 else ""),
                1,
                "王芳",
                TODAY - dt.timedelta(days=5) if i == 0 else dt.date(2027, 3, 1),
                "in_progress" if i else "not_started",
                30,
                0,
            )
            for i in range(actions)
        ],
        revenue=[
            RevenueLine("2027-Q1", 100_000_00, 120_000_00, 20.0, 24_000_00),
            RevenueLine("2027-Q2", 100_000_00, 90_000_00, 20.0, 18_000_00),
            RevenueLine("2027-Q3", 100_000_00),
            RevenueLine("2027-Q4", 100_000_00),
        ],
        intel=[IntelNote(4, "预算 500 万", "总经理", TODAY)],
        account_name="中国移动通信集团江苏有限公司",
        account_class="A",
        sponsor_reviewed_by="李总",
        sponsor_reviewed_on=TODAY,
    )
    return PlanPack(
        plan,
        "王芳",
        "李总",
        "张伟",
        [PackContact("曾国华", "总经理", "Owner / GM / VP", "Decision maker", "Acquainted", "Good brother", True)],
        [RelationshipReview(TODAY, {"doing": 4, "needs": 5}, "满意", "王芳")],
        TODAY,
        account_manager="王芳",
        from_team=("account_manager", "executive_sponsor"),
        printed_by="张伟",
        confidentiality="内部资料 — 严禁外传",
    )


def test_the_pack_has_a_front_page_every_section_in_order_and_the_contacts_page(tmp_path: Path):
    out = tmp_path / "plan.pdf"
    build(_pack(), out)
    pages = _pages(out)
    text = "\n".join(pages)
    assert "Account plan — executive summary" in pages[0]
    assert "中国移动通信集团江苏有限公司" in pages[0] and "FY2027" in pages[0] and "王芳" in pages[0]
    assert "李总 on 2026-11-23" in pages[0]
    headings = [
        "1. Plan summary",
        "2. Customer profile",
        "3. Competitor profiles",
        "4. Situation assessment",
        "5. Vision",
        "6. Objectives",
        "7. Action plan",
        "8. Revenue plan",
        "9. Intelligence",
        "10. Relationship reviews",
        "11. Contacts",
        "12. Zipper",
        "13. Governance and sign-off",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    contacts = next(p for p in pages if "11. Contacts" in p)
    assert "曾国华" in contacts and "Good brother" in contacts
    assert "overdue" in text  # the first step's deadline has passed
    assert all(re.search(rf"page {n} of {len(pages)}", page) for n, page in enumerate(pages, start=1))


def _row(text: str, label: str) -> list[str]:
    """The figures on the line of a table row that starts with `label` (wrapped labels aside)."""
    line = next(line for line in text.splitlines() if line.strip().startswith(label))
    return re.findall(r"[+-]?[\d,]+(?:\.\d+)?%?|\([+-][\d.]+%\)", line[len(label) + line.index(label) :])


def test_revenue_is_read_as_year_to_date_and_full_year_each_with_its_variance(tmp_path: Path):
    out = tmp_path / "plan.pdf"
    build(_pack(), out)
    text = "\n".join(_pages(out)).split("8. Revenue plan")[1].split("9. Intelligence")[0]
    # Q1 120,000 against 100,000 and Q2 90,000 against 100,000: the year to date is Q1–Q2, 210,000 against 200,000.
    assert _row(text, "2027-Q1")[:3] == ["100,000", "120,000", "+20,000"]
    assert _row(text, "2027-Q2")[:3] == ["100,000", "90,000", "-10,000"]
    assert _row(text, "Year to date (2027-Q1 –")[:4] == ["200,000", "210,000", "+10,000", "(+5%)"]
    # The full year sets the whole target (400,000) against what is won so far: 190,000 still to win.
    assert _row(text, "Full year (target for all")[:4] == ["400,000", "210,000", "-190,000", "(-47.5%)"]
    assert "52.5% of the target so far" in text.replace("\n", " ")
    front = _pages(out)[0]
    assert "+5%" in front and "YTD 210,000 of 200,000" in front and "52.5% of the full year's 400,000" in front
    assert "Total" not in text


def test_the_team_roles_come_from_the_account_team_unless_the_plan_names_its_own(tmp_path: Path):
    pack = _pack()
    out = tmp_path / "plan.pdf"
    build(pack, out)
    front = _pages(out)[0]
    assert re.search(r"Account manager\s+王芳 \(account team\)", front)
    assert re.search(r"Executive sponsor\s+李总 \(account team\)", front)
    assert re.search(r"Sales manager\s+张伟 \(named in the plan\)", front)


def test_the_governance_page_has_a_sign_off_block_prepared_by_version_and_date(tmp_path: Path):
    pack = _pack()
    pack.plan.version, pack.plan.updated_by = 7, "王芳"
    pack.plan.updated_at = dt.datetime(2026, 11, 20, 9, 30)
    out = tmp_path / "plan.pdf"
    build(pack, out)
    pages = _pages(out)
    last = pages[-1]
    assert "13. Governance and sign-off" in last and "Sign-off" in last
    assert re.search(r"Prepared by\s+王芳", last) and re.search(r"Version\s+7, saved 2026-11-20 by 王芳", last)
    assert re.search(r"Printed\s+2026-11-23 by 张伟", last)
    heading = next(line for line in last.splitlines() if "Signature" in line)
    assert "Role" in heading and "Name" in heading and "Date" in heading
    for role, name in (("Account manager", "王芳"), ("Executive sponsor", "李总"), ("Sales manager", "张伟")):
        assert re.search(rf"{role}\s+{name}", last), role
    # The confidentiality mark, the version and its date in the footer of every page.
    for page in pages:
        footer = [line for line in page.splitlines() if "page " in line][-1]
        assert "内部资料 — 严禁外传" in footer and "version 7 of 2026-11-20" in footer


def test_the_front_page_lists_overdue_actions_risks_and_asks_from_the_plan(tmp_path: Path):
    pack = _pack()
    out = tmp_path / "plan.pdf"
    build(pack, out)
    assert "第000步：拜访采购总监并提交方案 — 王芳, due 2026-11-18, 5 days late" in _column(out, left=True)
    front = _pages(out)[0]
    assert "No risks recorded." in front and "No asks of the executive sponsor recorded." in front
    assert "35%" in front  # the share of spend
    pack.plan.situation["risks"] = "竞争对手低价切入（华为技术）\n- 采购总监明年退休"
    pack.plan.situation["asks"] = "请李总在 3 月前拜访对方总经理"
    build(pack, out)
    front = _column(out, left=False)
    assert "竞争对手低价切入（华为技术）" in front and "采购总监明年退休" in front
    assert "请李总在 3 月前拜访对方总经理" in front and "No risks recorded." not in front
    # The risks and asks are front-page matter: section 4 does not print them again.
    text = "\n".join(_pages(out)[1:])
    assert "采购总监明年退休" not in text


def test_user_text_with_markup_prints_literally(tmp_path: Path):
    out = tmp_path / "plan.pdf"
    build(_pack(), out)
    text = "".join(_pages(out))
    assert "<b>不是粗体</b> & <font size=40>大</font>" in text


def test_long_action_tables_repeat_their_header_and_carry_the_running_header(tmp_path: Path):
    out = tmp_path / "plan.pdf"
    build(_pack(actions=200, objectives=40), out)
    pages = _pages(out)
    action_pages = [p for p in pages[1:] if re.search(r"第\d{3}步：", p)]  # (the front page lists the late ones)
    assert len(action_pages) >= 4
    assert all("Task" in p and "Deadline" in p for p in action_pages)  # the header row on every page
    assert all("中国移动通信集团江苏有限公司 — account plan FY2027" in p for p in pages[1:])
    assert "第199步" in "".join(pages)


def test_an_empty_plan_prints_a_clean_pack_with_empty_state_lines(tmp_path: Path):
    out = tmp_path / "empty.pdf"
    build(PlanPack(AccountPlan(account_id=1, period="FY2027", account_name="空客户"), "", "", "", [], [], TODAY), out)
    text = "".join(_pages(out))
    for line in (
        "Nothing written yet.",
        "No competitors recorded.",
        "No objectives yet.",
        "No action steps yet.",
        "No revenue plan yet.",
        "No relationship review yet.",
        "No contacts at this account yet.",
    ):
        assert line in text


def _worksheet() -> PlanPack:
    plan = AccountPlan(account_id=1, period="FY2027", account_name="南京钢铁股份有限公司", account_class="A")
    return PlanPack(plan, "王芳", "李总", "张伟", [], [], TODAY, worksheet=True, confidentiality="内部资料")


def _flowables(items: list) -> list:
    """Every flowable of a story, with those inside KeepTogether groups and table cells."""
    found = []
    for item in items:
        found.append(item)
        if isinstance(item, KeepTogether):
            found += _flowables(item._content)
        if isinstance(item, Table):
            for row in item._cellvalues:
                for cell in row:
                    found += _flowables(cell if isinstance(cell, list) else [cell])
    return found


def test_the_worksheet_has_the_practices_questions_ruled_space_and_empty_rows(tmp_path: Path):
    pack = _worksheet()
    out = tmp_path / "worksheet.pdf"
    build(pack, out)
    pages = _pages(out)
    text = "\n".join(pages)
    assert "Account plan — worksheet" in pages[0]
    assert "Nothing written yet." not in text and "No objectives yet." not in text
    flat = " ".join(text.split())
    for question in (
        "Who decides? Who influences the decision: users, advisers, gatekeepers, outsiders?",
        "How do they usually buy what we sell, and how do they settle on the need and the specification?",
        "What would changing supplier cost them?",
        "What could lose us this account or this period's target, and what are we doing about it?",
    ):
        assert question in flat, question
    # The revenue plan by period: a row per quarter of FY2027, then the year to date and the full year, empty.
    revenue = text.split("8. Revenue plan")[1].split("9. Intelligence")[0]
    rows = [line.strip() for line in revenue.splitlines() if line.strip()]
    assert [r for r in rows if r.startswith(("2027-Q", "Year to date", "Full year"))] == [
        "2027-Q1",
        "2027-Q2",
        "2027-Q3",
        "2027-Q4",
        "Year to date",
        "Full year",
    ]
    # Structure: ruled lines under every question; five empty objective rows and eight empty action rows.
    doc = document(tmp_path / "x.pdf", "x")
    story = _flowables(compose(pack, doc))
    questions = [f for f in story if isinstance(f, Paragraph) and f.style.name == "prompt"]
    ruled = [f for f in story if isinstance(f, Ruled)]
    assert len(questions) >= 30 and sum(r.count for r in ruled) >= 4 * 25
    tables = [f for f in story if isinstance(f, Table)]
    objectives = next(t for t in tables if _cell_text(t, 0, 1) == "Objective")
    actions = next(t for t in tables if _cell_text(t, 0, 1) == "Task")
    assert len(objectives._cellvalues) == 1 + 5 and len(actions._cellvalues) == 1 + 8
    assert all(cell == "" for row in actions._cellvalues[1:] for cell in row[1:])
    # Each empty row leaves room for a line of handwriting.
    objectives.wrap(doc.width, doc.height)
    assert min(objectives._rowHeights[1:]) >= 7 * mm


def _cell_text(table: Table, row: int, column: int) -> str:
    cell = table._cellvalues[row][column]
    return cell.getPlainText() if isinstance(cell, Paragraph) else str(cell)


@pytest.mark.parametrize("which", ["full", "worksheet"])
def test_every_table_stays_within_the_text_margin(tmp_path: Path, which: str):
    pack = _pack(actions=30) if which == "full" else _worksheet()
    doc = document(tmp_path / "x.pdf", "x")
    frames = [frame for template in doc.pageTemplates for frame in template.frames]
    # The frames have no padding: text and tables share the margins.
    assert all(f._leftPadding == f._rightPadding == 0 for f in frames)
    assert frames[0]._x1 == doc.leftMargin and frames[0]._width == pytest.approx(doc.width)
    checked = 0
    for flowable in _flowables(compose(pack, doc)):
        if isinstance(flowable, Table):
            width, _height = flowable.wrap(doc.width, doc.height)
            assert width <= doc.width + 0.01, (width, doc.width, _cell_text(flowable, 0, 0))
            assert flowable.hAlign == "LEFT" or width >= doc.width - 0.01
            checked += 1
    assert checked >= 8


def test_chinese_lines_of_the_pack_keep_the_line_breaking_rules(tmp_path: Path):
    pack = _pack()
    long = "客户调换供应商所需付出的代价有多大（包括认证、试产和停线风险）？我们现在的销售占客户份额的多少，“技术部经理”怎么看？"
    pack.plan.summary = long * 4
    pack.plan.situation["risks"] = long
    doc = document(tmp_path / "x.pdf", "x")
    lines = [
        line
        for f in _flowables(compose(pack, doc))
        if isinstance(f, Paragraph) and f.style.wordWrap == "CJK" and "代价" in f.getPlainText()
        for _w in [f.wrap(doc.width if f.style.name == "body" else doc.width / 2 - 10, doc.height)]
        for line in line_texts(f)
    ]
    assert len(lines) >= 6
    assert not [line for line in lines if line[:1] in CANNOT_START or line[-1:] in CANNOT_END]


@pytest.mark.parametrize("theirs", [12, 60])
def test_the_packs_org_map_never_prints_text_under_7_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theirs: int
):
    """A large account's map splits over landscape pages by rank band, as the org-map print does, instead of
    shrinking onto one page below 7 pt."""
    from dataclasses import replace

    from kamdesk.domain.enums import AccountClass
    from kamdesk.domain.org_map import MapContact, MapLink, MapMember, OrgMapData, analyse_map
    from kamdesk.domain.settings import TeamSettings
    from kamdesk.reports import org_map

    people = [MapContact(1, "曾国华", "采购总监", "owner", "decision_maker", None, "good_friend")]
    people += [MapContact(100 + i, f"员工{i:03d}", "文员", "clerk", None, 1, "stranger") for i in range(theirs - 1)]
    ours = (MapMember(10, "王芳", "销售经理", "manager", "account_manager"),)
    data = OrgMapData(
        1, "中国移动通信集团江苏有限公司", AccountClass.A, tuple(people), ours, (MapLink(10, 1, "good_friend"),)
    )
    drawn: list[org_map.MapFlowable] = []
    real = org_map.MapFlowable

    class Recorded(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            drawn.append(self)

    monkeypatch.setattr(org_map, "MapFlowable", Recorded)
    out = tmp_path / "pack.pdf"
    build(replace(_pack(), org_map=(data, analyse_map(data, TeamSettings()))), out)
    assert drawn and all(flowable.sizes and min(flowable.sizes) >= 6.95 for flowable in drawn)
    on_maps = {p.name for flowable in drawn for p in flowable.data.theirs}
    assert on_maps == {p.name for p in people}  # nobody lost between the parts
    assert (len(drawn) > 1) == (theirs > 12)
