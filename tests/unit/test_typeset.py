"""Typography of kamdesk's PDFs: Chinese line breaking measured on wrapped paragraphs and schedule cells,
the drawn bold, and schedules that repeat their group heading after a page break and keep totals with rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus import paragraph as rl_paragraph

from kamdesk.domain.gifts import VisitSchedule, VisitScheduleRow
from kamdesk.reports.fonts import BOLD, STROKE_EM, register_fonts
from kamdesk.reports.pages import numbered_canvas
from kamdesk.reports.schedule_layout import PAD, Cells, Styles
from kamdesk.reports.typeset import CANNOT_END, CANNOT_START, Paragraph, line_texts
from kamdesk.reports.visit_schedule import build as build_visits

# Questions a salesperson writes into a plan, with the punctuation that trips naive wrapping.
TEXT = (
    "我们与客户过去的关系如何（曾提供过哪些产品或服务）？客户调换供应商要付出多大代价；"
    "在客户企业中我们认识谁，谁对我们比较偏爱，原因是什么？“技术部经理”和《采购管理办法》都要写清楚。"
    "Model KX-2200 的报价为 1,200万元，交期 45 天。"
)


def _style(size: float = 9.5) -> ParagraphStyle:
    return ParagraphStyle("body", fontName=register_fonts()[0], fontSize=size, leading=size * 1.4, wordWrap="CJK")


def _lines(text: str, width: float, style: ParagraphStyle, cls: type = Paragraph) -> list[str]:
    paragraph = cls(text, style)
    paragraph.wrap(width, 10_000)
    return line_texts(paragraph)


@pytest.mark.parametrize("markup", [False, True])
def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_bracket(markup: bool):
    style = _style()
    text = TEXT.replace("技术部经理", "<b>技术部经理</b>") if markup else TEXT
    checked = 0
    for width in range(50, 330, 3):
        lines = _lines(text, width, style)
        assert "".join(lines).replace(" ", "") == re.sub(r"</?b>", "", text).replace(" ", "")
        for line in lines:
            assert line[:1] not in CANNOT_START, (width, line)
            assert line[-1:] not in CANNOT_END, (width, line)
            # Nothing hangs past the margin (the drawn bold's outline aside).
            assert stringWidth(line, style.fontName, style.fontSize) <= width + 0.01, (width, line)
            checked += 1
    assert checked > 500


def test_reportlab_alone_breaks_these_rules_so_the_fix_is_needed():
    style = _style()
    bad = []
    for width in range(50, 330, 3):
        bad += [
            line
            for line in _lines(TEXT, width, style, rl_paragraph.Paragraph)
            if line[:1] in "，；？：" or line[-1:] in "（“《"
        ]
    assert bad  # e.g. a line starting with "，" or ending with "（"


def test_latin_words_and_amounts_are_not_cut_when_they_fit():
    style = _style()
    for width in range(90, 300, 5):
        lines = _lines(TEXT, width, style)
        joined = "\n".join(lines)
        assert "KX-2200" in joined.replace("\n", "") and "KX-\n2200" not in joined and "KX-22\n00" not in joined
        assert "1,200" in joined  # the amount is never split across lines


def test_schedule_cells_keep_an_opening_bracket_with_what_it_opens():
    styles = Styles()
    cells = Cells(styles)
    text = "金陵饭店（中山东路店）午餐，预订“牡丹厅”包间（十人）。" * 3
    for mm in range(20, 60):
        width = mm * 72 / 25.4
        lines = cells(text, width).split("\n")
        assert "".join(lines) == text
        for line in lines:
            assert line[:1] not in CANNOT_START and line[-1:] not in CANNOT_END, (mm, line)
            assert stringWidth(line, styles.regular, 8) <= width - 2 * PAD, (mm, line)


def _page_streams(pdf: Path) -> str:
    """The page content of an uncompressed PDF (the text operators, not the embedded font)."""
    data = pdf.read_bytes().decode("latin-1")
    return "\n".join(part for part in re.findall(r"stream\r?\n(.*?)endstream", data, re.S) if " Tf " in part)


def test_bold_is_drawn_filled_and_stroked_in_the_text_colour_and_regular_text_is_not(tmp_path: Path):
    regular, bold = register_fonts()
    assert bold == BOLD
    out = tmp_path / "bold.pdf"
    doc = SimpleDocTemplate(str(out), pageCompression=0)
    heading = ParagraphStyle("h", fontName=bold, fontSize=20, leading=26, textColor="#0b3d6b")
    body = ParagraphStyle("b", fontName=regular, fontSize=10, leading=14)
    doc.build([Paragraph("年度合计", heading), Paragraph("正文", body)], canvasmaker=numbered_canvas("头"))
    code = _page_streams(out)
    # The heading: stroke colour = its fill colour (#0b3d6b), a line 0.035 em wide, render mode 2, then back.
    match = re.search(r"([\d.]+) ([\d.]+) ([\d.]+) RG ([\d.]+) w 2 Tr (.*?) 0 Tr", code, re.S)
    assert match, "no bold run in the page"
    red, green, blue = (float(v) for v in match.group(1, 2, 3))
    assert (round(red * 255), round(green * 255), round(blue * 255)) == (0x0B, 0x3D, 0x6B)
    assert float(match.group(4)) == pytest.approx(20 * STROKE_EM, abs=0.01)
    assert code.count(" 2 Tr ") == 1  # only the heading; the body and the page furniture are regular


def _visits(count: int, owners: int = 1) -> VisitSchedule:
    start = dt.datetime(2026, 11, 2, 9, 0)
    rows = [
        VisitScheduleRow(
            start + dt.timedelta(hours=11 * i),
            "meal",
            "南京钢铁股份有限公司",
            "曾国华",
            "王芳",
            ["张伟", "王芳", "李强"][i % owners],
            "季度业务回顾",
            "午餐",
            500_00,
            "",
            place="金陵饭店",
        )
        for i in range(count)
    ]
    return VisitSchedule("拜访计划", "2026-11", rows, "CNY", dt.date(2026, 11, 1))


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _body_lines(page: str) -> list[str]:
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Date and time"))
    return [line for line in lines[start + 1 :] if not line.startswith("page ")]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_a_page_that_continues_a_group_starts_with_its_heading_and_totals_never_start_a_page(tmp_path: Path):
    seen_total_cases = 0
    for count in range(30, 80, 3):
        out = tmp_path / f"visits{count}.pdf"
        build_visits(_visits(count, owners=2), out)
        pages = _pages(out)
        assert len(pages) >= 2
        for page in pages[1:]:
            body = _body_lines(page)
            first = body[0]
            assert not first.startswith(("Total", "Subtotal")), (count, first)
            if not first.startswith("Owner:") and "Week" not in first:
                pytest.fail(f"{count} visits: a page starts inside a group without its heading: {first}")
            if "(continued)" in first:
                assert re.match(r"(张伟|王芳) · Week \d+ · \S+ to \S+ \(continued\)", first), first
        last = _body_lines(pages[-1])
        assert last[-1].startswith("Total · ") and len(last) >= 3  # the grand total has company
        seen_total_cases += 1
        # No page ends with a heading whose rows are all on the next page.
        for page in pages[:-1]:
            last_line = _body_lines(page)[-1]
            assert not last_line.startswith("Owner:") and " · Week " not in last_line, (count, last_line)
    assert seen_total_cases > 10


def test_a_row_taller_than_a_page_still_prints_split_inside_the_row(tmp_path: Path):
    schedule = _visits(3)
    schedule.rows[1] = dataclasses.replace(schedule.rows[1], outcome="客户同意试点，下一步安排技术交流。" * 300)
    out = tmp_path / "tall.pdf"
    build_visits(schedule, out)
    text = "".join(_pages(out)).replace(" ", "").replace("\n", "")
    # (a few repeats are cut by a page break or a line end, so they do not count as whole)
    assert len(_pages(out)) >= 3 and text.count("下一步安排技术交流") >= 290


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_visit_schedule_shows_the_place_and_the_weekday(tmp_path: Path):
    out = tmp_path / "visits.pdf"
    build_visits(_visits(3), out)
    text = "\n".join(_pages(out))
    assert "Place" in text and "金陵饭店" in text
    # 2026-11-02 was a Monday; the second visit 11 hours later is the same day, the third on Tuesday.
    assert re.search(r"2026-11-02 09:00.*\n\s*Mon", text) and re.search(r"2026-11-03 07:00.*\n\s*Tue", text)


def test_a_long_footer_mark_shrinks_then_is_cut_short_never_running_into_the_page_number():
    from kamdesk.reports.pages import fitted

    font = register_fonts()[0]
    room = 400.0
    assert fitted("内部资料", room) == (8, "内部资料")
    size, text = fitted("机密 — 仅供内部使用，请勿给客户查看 · " * 3, room)
    assert 6.5 <= size < 8 and stringWidth(text, font, size) <= room and not text.endswith("…")
    size, text = fitted("机密 — 仅供内部使用，请勿给客户查看 · " * 8, room)
    assert size == 6.5 and text.endswith("…") and stringWidth(text, font, size) <= room
