"""The gift schedule PDF: what a shipper needs per gift (address, phone, order-by and deliver-by, card text,
approver), groups with headings and subtotals, a grand total, Chinese and markup text literal, the header row,
running header and "(continued)" group headings on every page, page x of y, a clean empty range, progress
and a stop that leaves no file."""

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
    **more: object,
) -> GiftScheduleRow:
    return GiftScheduleRow(
        dt.date(2027, 9, day), account, contact, title, item, value_cents, delivery, owner, occasion, status, **more
    )


def _schedule(group_by: str = "account") -> GiftSchedule:
    rows = [
        _row(
            12,
            "中国移动通信集团江苏有限公司",
            "曾国华",
            "中秋月饼",
            1_234_00,
            delivery="in_person_card",
            approved_by="李总",
            gift_id=7,
            address="南京市中山路 100 号 210008",
            phone="138 0000 1000",
        ),
        _row(3, "中国移动通信集团江苏有限公司", "李建军", '=HYPERLINK("x")', 100_00, owner="张伟", status="done"),
        _row(5, "阿里巴巴（中国）有限公司", "陈静", "<b>不是粗体</b>", 50_00, title="采购专员", gift_id=8),
        _row(
            7,
            "阿里巴巴（中国）有限公司",
            "单丽",
            "西湖龙井",
            2_000_00,
            owner="张伟",
            occasion=LONG_MARKUP,
            notes="按礼品政策登记\n贺卡：感谢一路支持",
            supplier="杭州龙井茶业",
            gift_id=9,
        ),
    ]
    return GiftSchedule("2027 中秋节礼品计划", "2027-09-01 to 2027-09-30", group_by, rows, "CNY", PRINTED, 500_00)


def _line(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


def test_rows_are_grouped_by_account_with_headings_subtotals_and_a_grand_total(tmp_path: Path):
    out = tmp_path / "gifts.pdf"
    build(_schedule(), out)
    pages = _pages(out)
    text = "\n".join(pages)
    assert len(pages) == 1
    assert "2027 中秋节礼品计划" in text and "2027-09-01 to 2027-09-30" in text and "Printed 2027-08-20" in text
    head = _line(text, "Recipient")
    for column in ("Company", "Address", "Phone", "Item", "Qty", "Cost", "Order by", "Deliver by", "Delivery"):
        assert column in head, column
    for column in ("Card text", "Approver", "Status"):
        assert column in head, column
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
    assert "Grouped by account" in text and re.search(r"page 1 of 1", text)


def test_each_gift_has_what_the_shipper_needs(tmp_path: Path):
    out = tmp_path / "gifts.pdf"
    build(_schedule(), out)
    text = "\n".join(_pages(out))
    # In person with a card on 09-12: ordered 9 days before, handed over on the day; the approver, phone, address.
    mooncake = _line(text, "中秋月饼")
    assert "2027-09-03" in mooncake and "2027-09-12" in mooncake and "1,234" in mooncake
    assert "138 0000 1000" in mooncake and "李总" in mooncake and "In person +" in mooncake and "Planned" in mooncake
    assert "G00007" in text and "210008" in text
    # Courier on 09-07: ordered 10 days before, delivered 2 days before; its card text is the notes' "贺卡：" line.
    tea = _line(text, "西湖龙井")
    assert (
        "2027-08-27" in tea and "2027-09-05" in tea
    )  # 08-28 is a Saturday: the Friday before and "感谢一路支持" in tea and "Courier" in tea
    assert "按礼品政策登记" not in text  # the rest of the notes is not card text
    # Over the team's limit per item (500) with nobody named: flagged; under it, nothing.
    assert "Approval" in tea and "missing" in text
    assert "Approval" not in _line(text, "不是粗体")
    # No card line: the default greeting for the occasion; the dates are explained under the table.
    assert "Happy Mid-Autumn" in _line(text, "不是粗体") and "Festival!" in text
    assert "courier: order 10 days before, delivered 2 days before" in text.replace("\n", " ")
    assert "Done" in _line(text, "李建军")


def test_grouped_by_owner_the_headings_name_the_owner(tmp_path: Path):
    out = tmp_path / "gifts.pdf"
    build(_schedule("owner"), out)
    text = "\n".join(_pages(out))
    assert text.index("Owner: 王芳 · 2 gifts") < text.index("Owner: 张伟 · 2 gifts")  # wang before zhang
    assert "1,284" in _line(text, "Subtotal, 王芳") and "2,100" in _line(text, "Subtotal, 张伟")
    assert "3,384" in _line(text, "Total · 4 gifts")


def test_user_text_with_markup_or_formulas_prints_literally(tmp_path: Path):
    out = tmp_path / "gifts.pdf"
    build(_schedule(), out)
    text = "\n".join(_pages(out))
    assert "<b>不是粗体</b>" in text
    assert '=HYPERLINK("x")' in text


def test_a_long_schedule_repeats_headers_and_continued_groups_on_every_page(tmp_path: Path):
    rows = [
        _row(1 + i % 30, f"客户{i % 7}", "曾国华", f"礼品{i:03d} 中秋月饼", 100_00 + i, owner="王芳", gift_id=i)
        for i in range(300)
    ]
    out = tmp_path / "long.pdf"
    build(GiftSchedule("中秋礼品", "2027-09", "account", rows, "CNY", PRINTED), out)
    pages = _pages(out)
    assert len(pages) >= 6
    continued = 0
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"page {number} of {len(pages)}\b", page)
        assert "Recipient" in page and "Deliver by" in page  # the header row
        body = [line for line in page.splitlines()[3:] if line.strip() and "Recipient" not in line]
        assert not body[0].strip().startswith("Subtotal")  # a total never starts a page
        if number > 1:
            assert "中秋礼品 · 2027-09" in page  # the running header
            continued += "(continued)" in page
    assert continued >= len(pages) - 8  # most pages carry a group on, and say so at their top
    text = "\n".join(pages)
    assert len(re.findall(r"礼品\d{3} 中秋月饼", text)) == 300  # every row once, none lost at a page break
    assert len(re.findall(r"Subtotal, 客户\d", text)) == 7
    total = sum(100_00 + i for i in range(300))
    assert f"{total / 100:,.0f}" in _line(text, "Total · 300 gifts")


def test_a_stopped_print_raises_and_leaves_no_file(tmp_path: Path):
    from kamdesk.domain.printing import PrintCancelled
    from kamdesk.services.printing import write_safely

    rows = [_row(1 + i % 30, f"客户{i % 7}", "曾国华", f"礼品{i:03d}", 100_00, gift_id=i) for i in range(400)]
    schedule = GiftSchedule("中秋礼品", "2027-09", "account", rows, "CNY", PRINTED)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return len(seen) < 3  # Stop pressed while the third page is laid out

    out = tmp_path / "stopped.pdf"
    with pytest.raises(PrintCancelled):
        write_safely(out, lambda path: build(schedule, path, progress))
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert len(seen) == 3 and seen[0][1] == seen[-1][1] > 400 and 0 < seen[0][0] < seen[1][0] < seen[2][0]
    # Unstopped, progress climbs to the end and the file is there.
    seen.clear()
    write_safely(out, lambda path: build(schedule, path, lambda d, t: seen.append((d, t)) is None))
    assert out.exists() and seen[-1][0] == seen[-1][1] and [d for d, _t in seen] == sorted(d for d, _t in seen)


def test_an_empty_range_prints_a_clean_page_saying_so(tmp_path: Path):
    out = tmp_path / "empty.pdf"
    build(GiftSchedule("2028 春节礼品", "2028-01-01 to 2028-01-31", "account", [], "CNY", PRINTED), out)
    pages = _pages(out)
    assert len(pages) == 1
    assert "No gifts are scheduled in this range." in pages[0]
    assert "2028 春节礼品" in pages[0] and "2028-01-01 to 2028-01-31" in pages[0]
    assert "Total" not in pages[0] and "Subtotal" not in pages[0] and "page 1 of 1" in pages[0]
