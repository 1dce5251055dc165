"""The schedules as XLSX: bold frozen header, rows in the printed order, a totals row, user text as
text (a formula-looking gift name stays a string), dates as dates, money as formatted numbers."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from kamdesk.domain.gifts import GiftSchedule, GiftScheduleRow, VisitSchedule, VisitScheduleRow
from kamdesk.reports.schedules_xlsx import gift_schedule_xlsx, visit_schedule_xlsx

FORMULA = '=HYPERLINK("x")'


def _gifts() -> GiftSchedule:
    rows = [
        GiftScheduleRow(
            dt.date(2027, 9, 12),
            "中国移动通信集团江苏有限公司",
            "曾国华",
            "总经理",
            "中秋月饼",
            1_234_50,
            "courier_card",
            "王芳",
            "中秋节",
            "planned",
        ),
        GiftScheduleRow(
            dt.date(2027, 9, 5),
            "阿里巴巴（中国）有限公司",
            "陈静",
            "采购专员",
            FORMULA,
            100_00,
            "in_person",
            "张伟",
            "+86 致谢",
            "done",
        ),
        GiftScheduleRow(
            dt.date(2027, 9, 3),
            "中国移动通信集团江苏有限公司",
            "李建军",
            "",
            "<b>不是粗体</b>",
            50_00,
            "courier",
            "王芳",
            "-",
            "planned",
        ),
    ]
    return GiftSchedule("2027 中秋节礼品计划", "2027-09", "account", rows, "CNY", dt.date(2027, 8, 20))


def test_gift_schedule_rows_totals_and_types(tmp_path: Path):
    out = tmp_path / "gifts.xlsx"
    gift_schedule_xlsx(_gifts(), out)
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header == [
        "Date",
        "Account",
        "Owner",
        "Contact",
        "Title",
        "Item",
        "Value (CNY)",
        "Delivery",
        "Occasion",
        "Status",
    ]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["B"].width >= 30
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 4
    # The printed order: 阿里巴巴 (a) before 中国移动 (zhong); by date within the account.
    assert [v[1] for v in values[:3]] == [
        "阿里巴巴（中国）有限公司",
        "中国移动通信集团江苏有限公司",
        "中国移动通信集团江苏有限公司",
    ]
    assert [v[0].date() for v in values[:3]] == [dt.date(2027, 9, 5), dt.date(2027, 9, 3), dt.date(2027, 9, 12)]
    mooncake = values[2]
    assert mooncake[3:7] == ["曾国华", "总经理", "中秋月饼", 1234.5]
    assert mooncake[7] == "Courier, with a handwritten card" and mooncake[9] == "Planned"
    assert sheet.cell(row=4, column=7).number_format == "#,##0.00"
    assert sheet.cell(row=4, column=1).is_date and sheet.cell(row=4, column=1).number_format == "yyyy-mm-dd"
    total = values[3]
    assert total[0] == "Total · 3 gifts" and total[6] == 1384.5 and sheet.cell(row=5, column=1).font.bold


def test_formula_like_and_markup_text_stays_literal_text(tmp_path: Path):
    out = tmp_path / "gifts.xlsx"
    gift_schedule_xlsx(_gifts(), out)
    sheet = load_workbook(out).active
    assert sheet is not None
    item = sheet.cell(row=2, column=6)
    assert item.value == FORMULA and item.data_type == "s"
    assert sheet.cell(row=2, column=9).value == "+86 致谢" and sheet.cell(row=2, column=9).data_type == "s"
    assert sheet.cell(row=3, column=6).value == "<b>不是粗体</b>" and sheet.cell(row=3, column=9).value == "-"
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula anywhere in the sheet
    # Read back as Excel's cached values would be, it is still the same string.
    cached = load_workbook(out, data_only=True).active
    assert cached is not None and cached.cell(row=2, column=6).value == FORMULA


def test_visit_schedule_rows_totals_and_types(tmp_path: Path):
    rows = [
        VisitScheduleRow(
            dt.datetime(2026, 11, 18, 14, 30),
            "meal",
            "南京钢铁股份有限公司",
            "曾国华",
            "王芳、张伟",
            "张伟",
            "季度业务回顾",
            "午餐：6 人，8 个菜",
            800_00,
            "",
        ),
        VisitScheduleRow(
            dt.datetime(2026, 11, 16, 9, 0),
            "visit",
            "苏宁易购集团",
            "陈静",
            "王芳",
            "王芳",
            FORMULA,
            "@送茶叶",
            0,
            "同意试点",
        ),
    ]
    out = tmp_path / "visits.xlsx"
    visit_schedule_xlsx(VisitSchedule("拜访计划", "2026-11", rows, "CNY", dt.date(2026, 11, 8)), out)
    sheet = load_workbook(out).active
    assert sheet is not None and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == [
        "Date and time",
        "Week",
        "Owner",
        "Kind",
        "Account",
        "People visited",
        "Our people",
        "Purpose",
        "Plan",
        "Budget (CNY)",
        "Outcome",
    ]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 3
    first, second, total = values
    assert first[0] == dt.datetime(2026, 11, 16, 9, 0) and first[1] == 47 and first[2] == "王芳"
    assert first[3] == "Visit" and first[7] == FORMULA and first[8] == "@送茶叶" and first[10] == "同意试点"
    assert second[3] == "Meal" and second[9] == 800 and second[6] == "王芳、张伟"
    assert sheet.cell(row=2, column=1).number_format == "yyyy-mm-dd hh:mm"
    assert sheet.cell(row=3, column=10).number_format == "#,##0.00"
    assert sheet.cell(row=2, column=8).data_type == "s"
    assert total[0] == "Total · 2 visits" and total[9] == 800


def test_empty_schedules_give_a_header_and_a_zero_total(tmp_path: Path):
    out = tmp_path / "empty.xlsx"
    gift_schedule_xlsx(GiftSchedule("空", "2028-01", "owner"), out)
    sheet = load_workbook(out).active
    assert sheet is not None
    assert [[c.value for c in row][0] for row in sheet.iter_rows()] == ["Date", "Total · 0 gifts"]
