"""The plan pack PDF: sections in order, Chinese and markup text literal, repeated table headers, page x of y."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

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
from kamdesk.reports.plan_pack import build

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
TODAY = dt.date(2026, 11, 23)
MARKUP = "<b>不是粗体</b> & <font size=40>大</font> 🎉"


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


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
        revenue=[RevenueLine("2027-Q1", 100_000_00, 120_000_00, 20.0, 24_000_00), RevenueLine("2027-Q2", 100_000_00)],
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
    )


def test_the_pack_has_a_cover_every_section_in_order_and_the_contacts_page(tmp_path: Path):
    out = tmp_path / "plan.pdf"
    build(_pack(), out)
    pages = _pages(out)
    text = "\n".join(pages)
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
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "11. Contacts" in pages[-1] and "曾国华" in pages[-1] and "Good brother" in pages[-1]
    assert "overdue" in text  # the first step's deadline has passed
    assert "20,000" in text and "Total" in text  # the variance of Q1 and the totals row
    assert all(re.search(rf"page {n} of {len(pages)}", page) for n, page in enumerate(pages, start=1))


def test_user_text_with_markup_prints_literally(tmp_path: Path):
    out = tmp_path / "plan.pdf"
    build(_pack(), out)
    text = "".join(_pages(out))
    assert "<b>不是粗体</b> & <font size=40>大</font>" in text


def test_long_action_tables_repeat_their_header_and_carry_the_running_header(tmp_path: Path):
    out = tmp_path / "plan.pdf"
    build(_pack(actions=200, objectives=40), out)
    pages = _pages(out)
    action_pages = [p for p in pages if "第1" in p and "步：" in p]
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
