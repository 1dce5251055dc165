"""Mailing labels: 3 × 8 labels of 70 × 37 mm to an A4 sheet, Chinese text, long addresses shrunk or
shortened so that nothing leaves its label, an empty list gives a page saying so."""

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
            f"江苏省南京市玄武区中山路 {100 + i} 号" + ROOM * (i % 4),
            f"138 0000 {1000 + i}",
        )
        for i in range(count)
    ]


def test_labels_fill_a_3_by_8_sheet_then_the_next(tmp_path: Path):
    out = tmp_path / "labels.pdf"
    build(_labels(30), out)
    pages = _text(out)
    assert len(pages) == 2
    text = "\n".join(pages)
    for i in range(30):
        assert f"曾国华{i:02d}" in text and f"138 0000 {1000 + i}" in text
    assert pages[0].count("中国移动通信集团江苏有限公司") == 24 and pages[1].count("中国移动通信集团江苏有限公司") == 6
    assert "总经理" in text and "Tel. 138 0000 1000" in text
    # Reading order: the first three names share a row, the fourth starts the next.
    first = [line for line in pages[0].splitlines() if "曾国华00" in line][0]
    assert "曾国华01" in first and "曾国华02" in first and "曾国华03" not in first


def test_every_word_stays_inside_its_own_label(tmp_path: Path):
    labels = _labels(24)
    labels[4] = MailingLabel(
        "欧阳明" * 8, "设备部部长兼总工程师" * 3, "无锡先导智能装备股份有限公司" * 4, ROOM * 40, "1" * 60
    )
    out = tmp_path / "labels.pdf"
    build(labels, out)
    words = _words(out)
    assert words
    for _page, x0, y0, x1, y1, word in words:
        column, row = int((x0 + x1) / 2 // (70 * MM)), int(((y0 + y1) / 2 - 0.5 * MM) // (37 * MM))
        left, top = column * 70 * MM, 0.5 * MM + row * 37 * MM
        assert left + 3 * MM <= x0 and x1 <= left + 67 * MM, word
        assert top + 2 * MM <= y0 and y1 <= top + 35 * MM, word
    text = "\n".join(_text(out))
    assert "…" in text  # the absurd address is shortened, not spilled into the next label
    assert "江苏省南京市玄武区中山路 107 号" + ROOM[:10] in text.replace("\n", "")  # a long one is shrunk, kept whole


def test_an_empty_list_gives_a_page_saying_there_is_nothing_to_label(tmp_path: Path):
    out = tmp_path / "labels.pdf"
    build([], out)
    pages = _text(out)
    assert len(pages) == 1 and "There are no couriered gifts to print labels for." in pages[0]


def test_markup_in_a_label_prints_literally(tmp_path: Path):
    out = tmp_path / "labels.pdf"
    build([MailingLabel("<b>陈静</b>", "采购", "A & B <font size=40>公司</font>", "上海市", "")], out)
    text = _text(out)[0]
    assert "<b>陈静</b>" in text and "A & B <font size=40>公司</font>" in text and "Tel." not in text
