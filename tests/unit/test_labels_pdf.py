"""Mailing labels: a cover sheet listing the gifts without an address, then 3 × 8 labels of 70 × 37 mm to an A4
sheet with postcode, sender and gift reference, Chinese text, long addresses shrunk or shortened so that nothing
leaves its label or the printable area, an empty list gives a page saying so."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kamdesk.domain.gifts import MailingLabel
from kamdesk.reports.labels import build

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
MM = 72 / 25.4
ROOM = "紫金大厦 18 楼 1806 室（请在工作日送达，前台代收）"


def _text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) in points from the top left, as pdftotext -bbox sees them."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for page, body in enumerate(html.split("<page ")[1:], start=1):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', body
        ):
            found.append((page, *(float(m.group(i)) for i in range(1, 5)), m.group(5)))
    return found


def _labels(count: int) -> list[MailingLabel]:
    return [
        MailingLabel(
            f"曾国华{i:02d}",
            "总经理",
            "中国移动通信集团江苏有限公司",
            f"江苏省南京市玄武区中山路 {100 + i} 号" + ROOM * (i % 4) + (" 210008" if i % 2 else ""),
            f"138 0000 {1000 + i}",
            "210008" if i % 2 else "",
            f"G{i:05d}",
            "中秋月饼",
        )
        for i in range(count)
    ]


SENDER = "王芳 江苏省南京市建邺区江东中路 311 号 15 楼 210019 025-8888 1234"


def test_a_cover_sheet_then_labels_filling_3_by_8_sheets(tmp_path: Path):
    out = tmp_path / "labels.pdf"
    build(_labels(30), out, sender=SENDER)
    pages = _text(out)
    assert len(pages) == 3  # the cover, 24 labels, 6 labels
    assert "Labels: 30, on sheets: 2 of 3 × 8" in pages[0] and "王芳 江苏省南京市" in pages[0]
    assert "Gifts without an address (0)" in pages[0] and "every couriered gift has an address" in pages[0]
    text = "\n".join(pages[1:])
    for i in range(30):
        assert f"曾国华{i:02d}" in text and f"138 0000 {1000 + i}" in text and f"G{i:05d}" in text
    assert pages[1].count("中国移动通信集团江苏有限公司") == 24 and pages[2].count("中国移动通信集团江苏有限公司") == 6
    assert "总经理" in text and "Tel. 138 0000 1000" in text
    # The postcode when the address has one, else "none"; the sender on every label.
    assert pages[1].count("Postcode 210008") == 12 and pages[1].count("Postcode: none") == 12
    assert pages[1].count("From:") == 24
    # Reading order: the first three names share a row, the fourth starts the next.
    first = [line for line in pages[1].splitlines() if "曾国华00" in line][0]
    assert "曾国华01" in first and "曾国华02" in first and "曾国华03" not in first


def test_gifts_without_an_address_get_no_label_and_are_listed_on_the_cover(tmp_path: Path):
    labels = _labels(6)
    for i in (1, 4):
        labels[i] = MailingLabel(
            f"无地址{i}", "采购", "苏宁易购集团", "  ", "139 1111 2222", "", f"G9999{i}", "西湖龙井"
        )
    out = tmp_path / "labels.pdf"
    build(labels, out)
    pages = _text(out)
    assert len(pages) == 2
    cover, sheet = pages
    assert "Gifts without an address (2)" in cover and "contact card" in cover
    for i in (1, 4):
        row = [line for line in cover.splitlines() if f"G9999{i}" in line][0]
        assert f"无地址{i}" in row and "苏宁易购集团" in row and "139 1111 2222" in row and "西湖龙井" in row
        assert f"无地址{i}" not in sheet
    assert "Labels: 4, on sheets: 1" in cover and sheet.count("中国移动通信集团江苏有限公司") == 4
    assert "No sender is set" in cover and "From:" not in sheet  # the empty state says where to set it


def test_every_word_stays_inside_its_label_and_the_printable_area(tmp_path: Path):
    labels = _labels(24)
    labels[4] = MailingLabel(
        "欧阳明" * 8, "设备部部长兼总工程师" * 3, "无锡先导智能装备股份有限公司" * 4, ROOM * 40, "1" * 60, "", "G" * 40
    )
    out = tmp_path / "labels.pdf"
    build(labels, out, sender=SENDER * 3)
    words = [w for w in _words(out) if w[0] > 1]  # the label sheets (page 1 is the cover)
    assert words
    page_w, page_h = 210 * MM, 297 * MM
    for _page, x0, y0, x1, y1, word in words:
        column, row = int((x0 + x1) / 2 // (70 * MM)), int(((y0 + y1) / 2 - 0.5 * MM) // (37 * MM))
        left, top = column * 70 * MM, 0.5 * MM + row * 37 * MM
        assert left + 3 * MM <= x0 and x1 <= left + 67 * MM, word
        assert top + 2 * MM <= y0 and y1 <= top + 35 * MM, word
        # An office printer's unprintable edge: 5 mm all round.
        assert x0 >= 5 * MM - 0.5 and x1 <= page_w - 5 * MM + 0.5, word
        assert y0 >= 5 * MM - 0.5 and y1 <= page_h - 5 * MM + 0.5, word
    text = "\n".join(_text(out))
    assert "…" in text  # the absurd address is shortened, not spilled into the next label
    assert "江苏省南京市玄武区中山路 107 号" + ROOM[:10] in text.replace("\n", "")  # a long one is shrunk, kept whole


def test_postcodes_are_read_from_the_address():
    from kamdesk.domain.gift_logistics import postcode

    assert postcode("江苏省南京市玄武区中山路 100 号 210008") == "210008"
    assert postcode("邮编：100083 北京市海淀区学院路 30 号") == "100083"
    assert postcode("上海市浦东新区世纪大道 88 号 2806 室") == ""  # four digits: a room, not a postcode
    assert postcode("电话 13800001000，深圳市南山区") == ""  # a phone number is no postcode
    assert postcode("") == ""


def test_an_empty_list_gives_a_page_saying_there_is_nothing_to_label(tmp_path: Path):
    out = tmp_path / "labels.pdf"
    build([], out)
    pages = _text(out)
    assert len(pages) == 1 and "There are no couriered gifts to print labels for." in pages[0]


def test_markup_in_a_label_prints_literally(tmp_path: Path):
    out = tmp_path / "labels.pdf"
    build([MailingLabel("<b>陈静</b>", "采购", "A & B <font size=40>公司</font>", "上海市", "")], out)
    text = _text(out)[1]
    assert "<b>陈静</b>" in text and "A & B <font size=40>公司</font>" in text and "Tel." not in text


def test_a_long_list_of_gifts_without_an_address_runs_on_over_cover_pages(tmp_path: Path):
    labels = [
        MailingLabel(f"无地址{i:03d}", "采购", "苏宁易购集团", "", "", "", f"G{i:05d}", "月饼") for i in range(120)
    ]
    labels += _labels(3)
    out = tmp_path / "labels.pdf"
    build(labels, out)
    pages = _text(out)
    covers = [p for p in pages if "无地址" in p]
    assert len(covers) >= 3 and "Gifts without an address (120)" in covers[0]
    assert sum(p.count("无地址") for p in covers) == 120  # every one listed once, none lost at a page break
    assert pages[0].count("无地址") > 20  # the first page is filled, not left with its heading alone
    assert "曾国华00" in pages[-1] and "无地址" not in pages[-1]
