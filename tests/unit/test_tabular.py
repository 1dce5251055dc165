"""Reading spreadsheets as people save them, checking every cell, and writing cells no spreadsheet will run."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from kamdesk.domain.contacts import PersonalDate
from kamdesk.domain.enums import BuyingRole, CalendarKind, RankTier, RelationshipStage
from kamdesk.domain.tabular import (
    TableError,
    csv_bytes,
    neutralise,
    read_csv_bytes,
    read_table,
    read_xlsx_bytes,
    restore,
    write_xlsx,
)
from kamdesk.domain.transfer import (
    ValueProblem,
    check_table,
    map_headers,
    parse_birthday,
    parse_date,
    parse_enum,
)

TODAY = dt.date(2026, 1, 5)
INJECTIONS = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", '=HYPERLINK("http://x","y")', "\t=1", "\r=1"]

#: A contact list as Chinese Excel saves "CSV (逗号分隔)": GBK, CRLF, no BOM, Chinese headers.
CHINESE_EXCEL_ROWS = [
    "公司名称,姓名,职务,职务等级,采购角色,关系阶段,生日,生日历法,城市,籍贯,手机,邮箱,微信",
    "华为技术,张伟,采购经理,经理,决策者,好朋友,1985/3/12,公历,深圳,湖南长沙,13800138000,zw@example.com,zhangwei85",
    "华为技术,李娜,工程师,工程师,使用者,认识,1990年7月1日,,深圳,四川成都,13900139000,,",
    "中兴通讯,欧阳娜娜,总经理,老板,决策者,死党,04-30,农历,西安,陕西,,ouyang@example.com,",
]


def chinese_excel_csv() -> bytes:
    return ("\r\n".join(CHINESE_EXCEL_ROWS) + "\r\n").encode("gbk")


def test_a_gbk_csv_as_chinese_excel_saves_it_is_read():
    table = read_csv_bytes(chinese_excel_csv())
    assert table.encoding == "gb18030"
    header, rows = check_table("contacts", table, TODAY)
    assert not header.unused
    assert [r.problems for r in rows] == [[], [], []]
    first, second, third = (r.values for r in rows)
    assert first["account"] == "华为技术" and first["name"] == "张伟" and first["rank_tier"] == RankTier.MANAGER
    assert first["buying_role"] == BuyingRole.DECISION_MAKER
    assert first["relationship_stage"] == RelationshipStage.GOOD_FRIEND
    assert first["birthday"] == PersonalDate("solar", 1985, 3, 12)
    assert first["hometown"] == "湖南长沙" and first["mobile"] == "13800138000" and first["wechat"] == "zhangwei85"
    assert second["birthday"] == PersonalDate("solar", 1990, 7, 1)
    assert third["rank_tier"] == "owner" and third["birthday"] == PersonalDate("lunar", None, 4, 30)
    assert [r.row for r in rows] == [2, 3, 4]


def test_a_utf8_csv_with_bom_is_read_without_the_bom_in_the_first_header():
    data = codecs.BOM_UTF8 + "姓名,公司\n王芳,美的\n".encode()
    table = read_csv_bytes(data)
    assert table.encoding == "utf-8-sig" and table.headers == ["姓名", "公司"]
    assert table.rows == [(2, ["王芳", "美的"])]


def test_utf8_without_bom_semicolons_and_tabs_are_read():
    assert read_csv_bytes("name;account\n王芳;美的\n".encode()).rows == [(2, ["王芳", "美的"])]
    assert read_csv_bytes("name\taccount\n王芳\t美的\n".encode()).rows == [(2, ["王芳", "美的"])]
    utf16 = codecs.BOM_UTF16_LE + "name\taccount\r\n王芳\t美的\r\n".encode("utf-16-le")
    assert read_csv_bytes(utf16).rows == [(2, ["王芳", "美的"])]


def test_an_encoding_can_be_forced_and_a_wrong_one_says_where():
    gbk = chinese_excel_csv()
    assert read_csv_bytes(gbk, encoding="GBK").rows[0][1][1] == "张伟"
    with pytest.raises(TableError, match="line 1"):
        read_csv_bytes(gbk, encoding="utf-8")
    with pytest.raises(ValueError, match="Unknown encoding"):
        read_csv_bytes(gbk, encoding="klingon")


def test_a_file_mixing_utf8_and_gbk_lines_is_refused_with_its_line_numbers():
    data = "姓名,城市\n张伟,深圳\n".encode() + "李娜,成都\n王芳,西安\n".encode("gbk")
    with pytest.raises(TableError) as caught:
        read_csv_bytes(data)
    assert "1–2" in str(caught.value) and "3–4" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        ("姓名,城市\r\n".encode("gbk"), "no data rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4, "not a text file"),
    ],
)
def test_bad_files_get_a_clear_message(data: bytes, words: str):
    with pytest.raises(TableError, match=words):
        read_csv_bytes(data)


def test_a_binary_file_named_csv_and_an_old_xls_are_named(tmp_path: Path):
    binary = tmp_path / "contacts.csv"
    binary.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(TableError, match="not a text file"):
        read_table(binary)
    xls = tmp_path / "old.csv"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(TableError, match="97"):
        read_table(xls)


def test_a_row_longer_than_the_header_is_a_problem_of_that_row_but_trailing_empty_cells_are_not():
    table = read_csv_bytes("name,city\n张伟,深圳,,\n李娜,成都,四川,\n".encode())
    _header, rows = check_table("contacts", table, TODAY)
    assert rows[0].ok
    assert rows[1].row == 3 and "四川" in rows[1].problems[0] and "2 columns" in rows[1].problems[0]


def test_a_missing_required_column_names_it():
    with pytest.raises(TableError, match="no column for: name"):
        map_headers("contacts", ["公司名称", "职务", "手机"])
    with pytest.raises(TableError, match="kind, item, given_on"):
        map_headers("gifts", ["金额"])


def test_headers_in_english_chinese_and_with_decorations_map_to_fields():
    mapped = map_headers(
        "contacts", ["Name", "公司名称", "手机号码", "E-mail", "生日(农历)", "Rank_Tier", "爱好", "备用"]
    )
    assert list(mapped.fields.values()) == ["name", "account", "mobile", "email", "birthday", "rank_tier", "interests"]
    assert mapped.unused == ["备用"]
    accounts = map_headers("accounts", ["客户名称", "销售额", "年度", "负责人", "客户发展阶段"])
    assert list(accounts.fields.values()) == ["name", "value", "value_period", "owner", "sales_stage"]


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-05",
        "2026/1/5",
        "2026.1.5",
        "2026年1月5日",
        "20260105",
        " 2026-01-05 ",
        "2026-01-05 00:00:00",
        "２０２６年１月５日",
    ],
)
def test_dates_in_the_ways_people_write_them(text: str):
    assert parse_date(text) == dt.date(2026, 1, 5)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-02-30", "not a real date"),
        ("2026-13-01", "not a real date"),
        ("05/01/2026", "year first"),
        ("next Tuesday", "not a date"),
    ],
)
def test_wrong_dates_are_refused_with_a_reason(text: str, words: str):
    with pytest.raises(ValueProblem, match=words):
        parse_date(text)


def test_birthdays_with_and_without_year_lunar_and_leap():
    assert parse_birthday("--0312") == PersonalDate("solar", None, 3, 12)
    assert parse_birthday("3月12日") == PersonalDate("solar", None, 3, 12)
    assert parse_birthday("02-29") == PersonalDate("solar", None, 2, 29)
    assert parse_birthday("农历 1985-04-12") == PersonalDate("lunar", 1985, 4, 12)
    assert parse_birthday("2020年闰4月2日", "lunar") == PersonalDate("lunar", 2020, 4, 2, True)
    with pytest.raises(ValueProblem, match="leap"):
        parse_birthday("2019-02-29")
    with pytest.raises(ValueProblem, match="30"):
        parse_birthday("1985-04-30", "lunar")  # lunar month 4 of 1985 has 29 days


@pytest.mark.parametrize(
    ("enum", "text", "value"),
    [
        (BuyingRole, "决策者", "decision_maker"),
        (BuyingRole, "Decision maker", "decision_maker"),
        (BuyingRole, "decision-maker", "decision_maker"),
        (BuyingRole, "教练", "supporter"),
        (RelationshipStage, "好朋友", "good_friend"),
        (RelationshipStage, "死党", "best_friend"),
        (RelationshipStage, "GOOD_FRIEND", "good_friend"),
        (CalendarKind, "农历", "lunar"),
        (CalendarKind, "農曆", "lunar"),
        (CalendarKind, "阳历", "solar"),
        (RankTier, "老板", "owner"),
        (RankTier, "staff", "staff"),
        (RankTier, "采购员", "staff"),
        (RankTier, "文员", "clerk"),
    ],
)
def test_enumerations_accept_values_labels_and_chinese(enum, text: str, value: str):
    assert parse_enum(enum, text) == value


def test_an_unknown_enumeration_value_lists_the_choices():
    table = read_csv_bytes("name,buying_role,relationship_stage\n张伟,boss,好朋友\n".encode())
    _header, rows = check_table("contacts", table, TODAY)
    assert rows[0].problems == [
        "buying_role: “boss” is not one of: decision_maker, user, advisor, gatekeeper, outsider, supporter."
    ]


def test_every_problem_of_a_row_is_reported_at_once():
    table = read_csv_bytes(b"name,email,birthday,rank_tier\n,no-at-sign,2026-02-30,chief\n")
    _header, rows = check_table("contacts", table, TODAY)
    fields = sorted(p.split(":", 1)[0] for p in rows[0].problems)
    assert fields == ["birthday", "email", "name", "rank_tier"]


# Writing -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", INJECTIONS + ["'=1", "''=1", "'hello", "-12.5", "+86 138 0013 8000", "plain", "", "'", "=", "@", "it's"]
)
def test_neutralising_is_undone_exactly(text: str):
    assert restore(neutralise(text)) == text


def test_cells_a_spreadsheet_would_run_get_an_apostrophe_numbers_do_not():
    for text in INJECTIONS:
        assert neutralise(text).startswith("'")
    assert neutralise("-12.5") == "-12.5" and neutralise("张伟") == "张伟"


def test_csv_is_utf8_with_bom_and_injections_come_back_as_literal_text():
    data = csv_bytes(["name", "title"], [[text, "销售"] for text in INJECTIONS])
    assert data.startswith(codecs.BOM_UTF8)
    lines = data.decode("utf-8-sig").split("\r\n")
    assert all(line.startswith(("'", "\"'")) for line in lines[1:] if line)
    table = read_csv_bytes(data)
    assert [cells[0] for _n, cells in table.rows] == INJECTIONS


def test_xlsx_stores_text_as_text_never_as_formula(tmp_path: Path):
    out = tmp_path / "x.xlsx"
    texts = [t for t in INJECTIONS if "\r" not in t]  # XML turns a carriage return into a line feed
    write_xlsx(out, ["name", "when", "amount"], [[text, dt.date(2026, 1, 5), 12] for text in texts])
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    table = read_xlsx_bytes(out.read_bytes())
    assert [cells[0] for _n, cells in table.rows] == texts
    assert table.rows[0][1][1:] == ["2026-01-05", "12"]


def test_an_xlsx_typed_by_hand_is_read_with_numbers_and_dates_as_text():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机", "生日", "公司名称"])
    sheet.append(["张伟", 13800138000, dt.datetime(1985, 3, 12), "华为"])
    sheet.append([None, None, None, None])
    sheet.append(["李娜", "139 0013 9000", "1990/7/1", "华为"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_xlsx_bytes(buffer.getvalue())
    assert table.rows == [
        (2, ["张伟", "13800138000", "1985-03-12", "华为"]),
        (4, ["李娜", "139 0013 9000", "1990/7/1", "华为"]),
    ]


def test_a_workbook_named_csv_is_read_as_a_workbook(tmp_path: Path):
    path = tmp_path / "contacts.csv"
    write_xlsx(path, ["name"], [["张伟"]])
    table = read_table(path)
    assert table.rows == [(2, ["张伟"])] and table.notes


def test_the_fast_lunar_check_agrees_with_the_card_check():
    import random

    from kamdesk.domain.contacts import check_date
    from kamdesk.domain.transfer import checked_date

    rng = random.Random(4)
    dates = [
        PersonalDate("lunar", rng.randint(1899, 2101), rng.randint(1, 12), rng.randint(1, 31), rng.random() < 0.2)
        for _ in range(400)
    ]
    assert [checked_date(d) for d in dates] == [check_date(d) for d in dates]
    assert any(checked_date(d) for d in dates) and any(not checked_date(d) for d in dates)


# Broken quoting and text the editors would refuse -----------------------------------------------
def test_a_quote_never_closed_refuses_its_row_and_reads_the_rows_after_it():
    table = read_csv_bytes(b'name,value,value_period\n"Open quote Co,1000,2026\nNext Co,2000,2026')
    _header, rows = check_table("accounts", table, TODAY)
    assert [r.row for r in rows] == [2, 3]
    assert not rows[0].ok and "line 2" in rows[0].problems[0] and "never closed" in rows[0].problems[0]
    assert rows[1].ok and rows[1].values["name"] == "Next Co"


def test_a_quote_closed_rows_later_is_refused_with_its_lines_but_a_many_line_note_is_kept():
    text = 'name,notes\n"Open Co,x\nNext Co,y\n"Third Co",z\nGood Co,"first line\nsecond line"\n'
    _header, rows = check_table("accounts", read_csv_bytes(text.encode()), TODAY)
    spread, good = rows
    assert not spread.ok
    assert any("name: holds a line break" in p for p in spread.problems)
    assert any("lines 2–4" in p for p in spread.problems)
    assert good.ok and good.values["notes"] == "first line\nsecond line"


@pytest.mark.parametrize(
    ("kind", "csv_text", "field"),
    [
        ("accounts", 'name\n"Line\nbreak Co"\n', "name"),
        ("accounts", "name,city\nBell Co,Shen\x07zhen\n", "city"),
        ("contacts", 'name,title\n张伟,"采购\n经理"\n', "title"),
        ("team", "name\nNul\x00Person\n", "name"),
    ],
)
def test_text_the_editors_would_refuse_is_refused_per_row(kind: str, csv_text: str, field: str):
    table = read_csv_bytes(csv_text.encode(), "utf-8")
    _header, rows = check_table(kind, table, TODAY)
    assert not rows[0].ok
    assert any(p.startswith(f"{field}: holds") for p in rows[0].problems), rows[0].problems


def test_text_longer_than_its_field_is_refused_with_the_lengths_and_a_line_break_names_the_one_line_field():
    table = read_csv_bytes(("name,city\n" + "Long Co," + "深" * 201 + '\nBreak Co,"Shen\nzhen"\n').encode(), "utf-8")
    _header, rows = check_table("accounts", table, TODAY)
    assert rows[0].problems == ["city: too long (201 characters; at most 200)."]
    assert rows[1].problems[0] == "city: holds a line break, but this field is one line in kamdesk."


# Wrong encodings -----------------------------------------------------------------------------------
def test_a_gbk_file_read_as_big5_or_a_big5_file_read_as_gbk_is_warned_about():
    gbk = "公司名称,姓名,城市\n华为技术,张伟,深圳\n中兴通讯,李娜,西安\n美的集团,王芳,佛山\n".encode("gbk")
    assert read_csv_bytes(gbk).notes == []
    notes = read_csv_bytes(gbk, "big5").notes
    assert len(notes) == 1 and "Big5" in notes[0] and "GBK" in notes[0]
    big5 = "公司名稱,姓名\n臺灣積體電路,張偉\n鴻海精密,陳美玲\n".encode("big5")
    assert read_csv_bytes(big5, "big5").notes == []
    assert "Big5" in read_csv_bytes(big5).notes[0]


# Workbooks that would take unbounded memory ----------------------------------------------------------
def _workbook(sheet_xml: str, shared: list[str] | None = None) -> bytes:
    """A minimal XLSX written by hand, so that it can hold what no spreadsheet program would write."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        strings_type = (
            (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sharedStrings+xml"/>'
            )
            if shared is not None
            else ""
        )
        book.writestr(
            "[Content_Types].xml",
            (
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
                f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{strings_type}</Types>'
            ),
        )
        book.writestr(
            "_rels/.rels",
            (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                'Target="xl/workbook.xml"/></Relationships>'
            ),
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} {rel}><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                'Target="worksheets/sheet1.xml"/></Relationships>'
            ),
        )
        book.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}>{sheet_xml}</worksheet>")
        if shared is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in shared)
            book.writestr("xl/sharedStrings.xml", f'<sst {ns} count="{len(shared)}">{items}</sst>')
    return out.getvalue()


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_a_huge_cell_refuses_its_row_with_a_reason_and_the_others_import():
    huge = "A" * 5_000_000  # compresses to a few kilobytes, as in the reported 2.5 MB bomb
    data = _workbook(
        '<dimension ref="A1:B4"/><sheetData>'
        f'<row r="1">{_inline("A1", "name")}{_inline("B1", "notes")}</row>'
        f'<row r="2">{_inline("A2", "Huge Co")}{_inline("B2", huge)}</row>'
        f'<row r="3">{_inline("A3", "Shared Co")}<c r="B3" t="s"><v>0</v></c></row>'
        f'<row r="4">{_inline("A4", "Fine Co")}{_inline("B4", "ok")}</row></sheetData>',
        [huge],
    )
    assert len(data) < 100_000
    _header, rows = check_table("accounts", read_xlsx_bytes(data), TODAY)
    assert [r.row for r in rows] == [2, 3, 4]
    assert not rows[0].ok and "cell B2" in rows[0].problems[0] and "characters" in rows[0].problems[0]
    assert not rows[1].ok and "cell B3" in rows[1].problems[0]
    assert rows[2].ok and rows[2].values == {"name": "Fine Co", "notes": "ok"}


def test_rows_stream_without_being_widened_to_the_widest_column():
    # The sheet claims every column and a stray cell sits in the last one: rows must stay as wide as
    # their header, not 16,384 cells each (the reported 664 MB from a 310 KB workbook).
    rows = "".join(f'<row r="{n}">{_inline(f"A{n}", f"Co {n}")}</row>' for n in range(2, 2002))
    data = _workbook(
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        f'<row r="1">{_inline("A1", "name")}<c r="XFD1"/></row>{rows}'
        f'<row r="2002">{_inline("A2002", "Last Co")}{_inline("XFD2002", "stray")}</row>'
        "</sheetData>"
    )
    table = read_xlsx_bytes(data)
    assert table.headers == ["name"] and len(table.rows) == 2001
    assert max(len(cells) for _n, cells in table.rows) == 1
    assert "XFD2002" in table.problems[2002][0]


def test_each_kind_of_cell_is_read_as_excel_shows_it_and_a_cell_without_a_reference_is_the_next_one():
    # Hand-written parts reach what openpyxl never writes: ISO dates, errors, cached formula text,
    # phonetic guides, cells and rows without references, a shared-string index past the table.
    data = _workbook(
        "<sheetData>"
        f'<row r="1">{_inline("A1", "a")}{_inline("B1", "b")}{_inline("C1", "c")}{_inline("D1", "d")}</row>'
        '<row r="2"><c r="A2" t="b"><v>1</v></c><c t="b"><v>0</v></c>'
        '<c t="d"><v>2026-01-05T00:00:00</v></c><c t="d"><v>2026-01-05T10:30:00</v></c></row>'
        '<row><c r="A3" t="d"><v>not a date</v></c><c r="B3" t="e"><v>#DIV/0!</v></c>'
        '<c r="C3" t="str"><f>A1&amp;"x"</f><v>ax</v></c><c r="D3" t="s"><v>7</v></c></row>'
        '<row r="5"><c r="A5" t="inlineStr"><is><r><t>東京</t></r><rPh sb="0" eb="2"><t>とうきょう</t></rPh></is></c>'
        '<c r="B5"><v>0.1</v></c><c r="C5"><v>1.5E3</v></c><c r="D5"><v>12abc</v></c></row>'
        f'<row r="6">{_inline("A6", "x")}{_inline("ALM6", "far")}<c r="ALN6" s="1"/>{_inline("ALN6", " ")}</row>'
        "</sheetData>",
        ["zero"],
    )
    table = read_xlsx_bytes(data)
    assert table.rows == [
        (2, ["true", "false", "2026-01-05", "2026-01-05 10:30"]),
        (3, ["not a date", "#DIV/0!", "ax", ""]),
        (5, ["東京", "0.1", "1500", "12abc"]),
        (6, ["x", "", "", ""]),
    ]
    assert list(table.problems) == [6] and "ALM6" in table.problems[6][0] and len(table.problems[6]) == 1
