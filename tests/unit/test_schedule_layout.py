"""Table cells of the printed schedules: plain strings broken into lines that fit their column."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from kamdesk.reports.schedule_layout import CELL_SIZE, PAD, Cells, Styles, money

WIDTH = 40 * 72 / 25.4  # a 40 mm column


def _fits(line: str, font: str) -> bool:
    return stringWidth(line, font, CELL_SIZE) <= WIDTH - 2 * PAD


def test_short_text_is_kept_as_it_is():
    cells = Cells(Styles())
    assert cells("中秋月饼", WIDTH) == "中秋月饼"
    assert cells("<b>不是粗体</b>", WIDTH) == "<b>不是粗体</b>"
    assert cells("  \x07 ", WIDTH) == "" and cells(None or "", WIDTH) == ""


def test_long_chinese_text_breaks_into_lines_that_fit_never_before_closing_punctuation():
    styles = Styles()
    cells = Cells(styles)
    text = "中秋节问候，感谢一年来对新产线项目的支持与配合。" * 5
    lines = cells(text, WIDTH).split("\n")
    assert len(lines) >= 5 and "".join(lines) == text
    assert all(_fits(line, styles.regular) for line in lines)
    assert not any(line[0] in "，。" for line in lines)


def test_latin_words_break_at_spaces_and_an_overlong_word_only_where_it_must():
    styles = Styles()
    cells = Cells(styles)
    lines = cells("Courier, with a handwritten card and a long note for reception", WIDTH).split("\n")
    assert all(_fits(line, styles.regular) for line in lines)
    assert " ".join(lines) == "Courier, with a handwritten card and a long note for reception"
    long = cells("x" * 200, WIDTH).split("\n")
    assert "".join(long) == "x" * 200 and all(_fits(line, styles.regular) for line in long)
    kept = cells("第一行\n第二行", WIDTH)
    assert kept == "第一行\n第二行"


def test_money_is_whole_units_with_thousands_separators():
    assert money(1_234_00) == "1,234" and money(0) == "0" and money(123_456_789_00) == "123,456,789"
