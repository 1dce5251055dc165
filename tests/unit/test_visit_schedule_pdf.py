"""The visit schedule PDF: by owner, then ISO week, budgets totalled per owner and overall, kinds
translated, Chinese and markup literal, furniture on every page, a clean empty range."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kamdesk.domain.gifts import VisitSchedule, VisitScheduleRow
from kamdesk.reports.visit_schedule import build

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
PRINTED = dt.date(2026, 11, 8)


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _visit(
    when: dt.datetime,
    owner: str,
    budget_cents: int,
    kind: str = "visit",
    account: str = "南京钢铁股份有限公司",
    purpose: str = "季度业务回顾",
    plan: str = "午餐",
    outcome: str = "",
) -> VisitScheduleRow:
    return VisitScheduleRow(
        when, kind, account, "曾国华、陈静", "王芳、张伟", owner, purpose, plan, budget_cents, outcome
    )


def _schedule() -> VisitSchedule:
    rows = [
        _visit(dt.datetime(2026, 11, 18, 14, 30), "张伟", 800_00, "meal"),
        _visit(dt.datetime(2026, 11, 16, 9, 0), "张伟", 0, purpose="<b>答谢</b>"),
        _visit(dt.datetime(2026, 11, 24, 10, 0), "张伟", 12_000_00, "entertainment", plan='=HYPERLINK("x")'),
        _visit(dt.datetime(2026, 12, 30, 19, 0), "王芳", 1_500_00, "meal", outcome="同意试点"),
        _visit(dt.datetime(2027, 1, 2, 8, 0), "王芳", 3_000_00, "trip", account="中国移动通信集团江苏有限公司"),
    ]
    return VisitSchedule("11 月拜访计划", "2026-11-16 to 2027-01-03", rows, "CNY", PRINTED)


def _line(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


def test_visits_are_grouped_by_owner_then_iso_week_with_budget_totals(tmp_path: Path):
    out = tmp_path / "visits.pdf"
    build(_schedule(), out)
    text = "\n".join(_pages(out))
    head = _line(text, "Date and time")
    for column in ("Kind", "Account", "People visited", "Our people", "Purpose", "Plan", "Budget (CNY)", "Outcome"):
        assert column in head
    wang, zhang = text.index("Owner: 王芳 · 2 visits"), text.index("Owner: 张伟 · 3 visits")
    assert wang < zhang  # pinyin order
    # 2026-12-30 and 2027-01-02 are both in ISO week 53 of 2026.
    assert text.count("王芳 · Week 53 · 2026-12-28 to 2027-01-03 · 2 visits") == 1
    week47, week48 = (
        text.index("张伟 · Week 47 · 2026-11-16 to 2026-11-22 · 2 visits"),
        text.index("张伟 · Week 48 · 2026-11-23 to 2026-11-29 · 1 visit"),
    )
    assert zhang < week47 < text.index("2026-11-16 09:00") < text.index("2026-11-18 14:30") < week48
    assert "4,500" in _line(text, "Subtotal, 王芳") and "12,800" in _line(text, "Subtotal, 张伟")
    assert "17,300" in _line(text, "Total · 5 visits")
    meal = _line(text, "2026-11-18 14:30")
    assert "Meal" in meal and "南京钢铁股份有限公司" in meal and "曾国华、陈静" in meal and "800" in meal
    assert "Trip" in _line(text, "2027-01-02 08:00") and "同意试点" in _line(text, "2026-12-30 19:00")
    assert "Entertainment" in _line(text, "2026-11-24 10:00")


def test_user_text_with_markup_or_formulas_prints_literally(tmp_path: Path):
    out = tmp_path / "visits.pdf"
    build(_schedule(), out)
    text = "\n".join(_pages(out))
    assert "<b>答谢</b>" in text and '=HYPERLINK("x")' in text


def test_a_long_schedule_repeats_the_header_and_counts_pages(tmp_path: Path):
    start = dt.datetime(2026, 11, 2, 9, 0)
    rows = [
        _visit(start + dt.timedelta(hours=7 * i), ("王芳", "张伟", "刘洋")[i % 3], 100_00, purpose=f"拜访{i:03d}")
        for i in range(240)
    ]
    out = tmp_path / "long.pdf"
    build(VisitSchedule("拜访计划", "2026-11", rows, "CNY", PRINTED), out)
    pages = _pages(out)
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"page {number} of {len(pages)}\b", page) and "Date and time" in page
        if number > 1:
            assert "拜访计划 · 2026-11" in page
    text = "\n".join(pages)
    assert len(re.findall(r"拜访\d{3}", text)) == 240
    assert "24,000" in _line(text, "Total · 240 visits")


def test_an_empty_range_prints_a_clean_page_saying_so(tmp_path: Path):
    out = tmp_path / "empty.pdf"
    build(VisitSchedule("12 月拜访", "2026-12-01 to 2026-12-31", [], "CNY", PRINTED), out)
    pages = _pages(out)
    assert len(pages) == 1
    assert "No visits are scheduled in this range." in pages[0] and "12 月拜访" in pages[0]
    assert "Total" not in pages[0] and "page 1 of 1" in pages[0]
