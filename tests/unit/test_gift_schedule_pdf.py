"""The gift schedule PDF: groups with headings and subtotals, a grand total, Chinese and markup text
literal, the header row and running header on every page, page x of y, a clean empty range."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kamdesk.domain.gifts import GiftSchedule, GiftScheduleRow
from kamdesk.reports.gift_schedule import build

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
PRINTED = dt.date(2027, 8, 20)
LONG_MARKUP = "<b>粗体</b> & <font size=40>大</font> " + "中秋节问候，感谢一年来对新产线项目的支持与配合。" * 4


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _row(
    day: int,
    account: str,
    contact: str,
    item: str,
    value_cents: int,
    owner: str = "王芳",
    delivery: str = "courier",
    occasion: str = "中秋节",
    status: str = "planned",
    title: str = "总经理",
) -> GiftScheduleRow:
    return GiftScheduleRow(
        dt.date(2027, 9, day), account, contact, title, item, value_cents, delivery, owner, occasion, status
    )


def _schedule(group_by: str = "account") -> GiftSchedule:
    rows = [
        _row(12, "中国移动通信集团江苏有限公司", "曾国华", "中秋月饼", 1_234_00, delivery="in_person_card"),
        _row(3, "中国移动通信集团江苏有限公司", "李建军", '=HYPERLINK("x")', 100_00, owner="张伟", status="done"),
        _row(5, "阿里巴巴（中国）有限公司", "陈静", "<b>不是粗体</b>", 50_00, title="采购专员"),
        _row(7, "阿里巴巴（中国）有限公司", "单丽", "西湖龙井", 2_000_00, owner="张伟", occasion=LONG_MARKUP),
    ]
    return GiftSchedule("2027 中秋节礼品计划", "2027-09-01 to 2027-09-30", group_by, rows, "CNY", PRINTED)


def _line(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


def test_rows_are_grouped_by_account_with_headings_subtotals_and_a_grand_total(tmp_path: Path):
    out = tmp_path / "gifts.pdf"
    build(_schedule(), out)
    pages = _pages(out)
    text = "\n".join(pages)
    assert len(pages) == 1
    assert "2027 中秋节礼品计划" in text and "2027-09-01 to 2027-09-30" in text and "Printed 2027-08-20" in text
    head = _line(text, "Date")
    for column in ("Owner", "Contact", "Item", "Value (CNY)", "Delivery", "Occasion", "Status"):
        assert column in head
    # Groups in pinyin order (阿 a before 中 zhong, although 中 comes first by code point).
    first, second = (
        text.index("Account: 阿里巴巴（中国）有限公司 · 2 gifts"),
        text.index("Account: 中国移动通信集团江苏有限公司 · 2 gifts"),
    )
    assert first < second
    assert "1,334" in _line(text, "Subtotal, 中国移动通信集团江苏有限公司")
    assert "2,050" in _line(text, "Subtotal, 阿里巴巴（中国）有限公司")
    assert "3,384" in _line(text, "Total · 4 gifts")
    assert text.index("Subtotal, 阿里巴巴") < second < text.index("Subtotal, 中国移动") < text.index("Total · 4 gifts")
    # Within a group, by date; the contact with their title; delivery and status translated labels.
    mooncake = _line(text, "中秋月饼")
    assert "2027-09-12" in mooncake and "曾国华 (总经理)" in mooncake and "1,234" in mooncake
    assert "In person, with a" in mooncake and "Planned" in mooncake
    assert text.index("2027-09-03") < text.index("2027-09-12")
    assert "Done" in _line(text, "李建军") and "Courier" in _line(text, "李建军")
    assert "Grouped by account" in text and re.search(r"page 1 of 1", text)


def test_grouped_by_owner_the_account_takes_the_owners_column(tmp_path: Path):
    out = tmp_path / "gifts.pdf"
    build(_schedule("owner"), out)
    text = "\n".join(_pages(out))
    assert "Account" in _line(text, "Date") and "Owner" not in _line(text, "Date")
    assert text.index("Owner: 王芳 · 2 gifts") < text.index("Owner: 张伟 · 2 gifts")  # wang before zhang
    assert "1,284" in _line(text, "Subtotal, 王芳") and "2,100" in _line(text, "Subtotal, 张伟")
    assert "中国移动通信集团江苏有限公司" in _line(text, "中秋月饼")
    assert "3,384" in _line(text, "Total · 4 gifts")


def test_user_text_with_markup_or_formulas_prints_literally(tmp_path: Path):
    out = tmp_path / "gifts.pdf"
    build(_schedule(), out)
    text = "\n".join(_pages(out))
    assert "<b>不是粗体</b>" in text
    assert '=HYPERLINK("x")' in text
    # A long occasion wraps inside its column (a Paragraph) and still shows its markup literally.
    assert "<b>粗体</b> & <font" in text
    assert len([line for line in text.splitlines() if "感谢一年来" in line or "新产线" in line]) >= 3


def test_a_long_schedule_repeats_the_header_row_and_running_header_on_every_page(tmp_path: Path):
    rows = [
        _row(1 + i % 30, f"客户{i % 7}", "曾国华", f"礼品{i:03d} 中秋月饼", 100_00 + i, owner="王芳")
        for i in range(300)
    ]
    out = tmp_path / "long.pdf"
    build(GiftSchedule("中秋礼品", "2027-09", "account", rows, "CNY", PRINTED), out)
    pages = _pages(out)
    assert len(pages) >= 6
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"page {number} of {len(pages)}\b", page)
        assert "Value (CNY)" in page and "Occasion" in page  # the header row
        if number > 1:
            assert "中秋礼品 · 2027-09" in page  # the running header
    text = "\n".join(pages)
    assert len(re.findall(r"礼品\d{3} 中秋月饼", text)) == 300  # every row once, none lost at a page break
    assert len(re.findall(r"Subtotal, 客户\d", text)) == 7
    total = sum(100_00 + i for i in range(300))
    assert f"{total / 100:,.0f}" in _line(text, "Total · 300 gifts")


def test_an_empty_range_prints_a_clean_page_saying_so(tmp_path: Path):
    out = tmp_path / "empty.pdf"
    build(GiftSchedule("2028 春节礼品", "2028-01-01 to 2028-01-31", "account", [], "CNY", PRINTED), out)
    pages = _pages(out)
    assert len(pages) == 1
    assert "No gifts are scheduled in this range." in pages[0]
    assert "2028 春节礼品" in pages[0] and "2028-01-01 to 2028-01-31" in pages[0]
    assert "Total" not in pages[0] and "Subtotal" not in pages[0] and "page 1 of 1" in pages[0]
