"""Imports into a real team file: one transaction, duplicates, skip or abort; exports that import back the same."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kamdesk.domain.clock import Clock
from kamdesk.domain.contacts import ContactDetail, PersonalDate
from kamdesk.domain.tabular import TableError, read_table, write_xlsx
from kamdesk.services.contacts import ContactService
from kamdesk.services.transfer import TransferService
from kamdesk.storage.database import Database

TODAY = dt.date(2026, 1, 5)
INJECTIONS = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(1)"]

CHINESE_EXCEL_CONTACTS = (
    "\r\n".join(
        [
            "公司名称,姓名,职务,职务等级,采购角色,关系阶段,生日,生日历法,城市,籍贯,手机,邮箱,微信",
            "华为技术,张伟,采购经理,经理,决策者,好朋友,1985/3/12,公历,深圳,湖南长沙,13800138000,zw@example.com,zhangwei85",
            "华为技术,李娜,工程师,工程师,使用者,认识,1990年7月1日,,深圳,四川成都,13900139000,,",
            "中兴通讯,欧阳娜娜,总经理,老板,决策者,死党,04-30,农历,西安,陕西,,ouyang@example.com,",
            "中兴通讯,王芳,助理,文员,把关者,陌生,2026-02-30,,西安,,,,",
            "中兴通讯,赵强,采购,采购员,boss,认识,,,西安,,,,",
        ]
    )
    + "\r\n"
)


@pytest.fixture(autouse=True)
def _today(fixed_clock: Clock) -> None:
    fixed_clock.fix(TODAY)


def service(db: Database) -> TransferService:
    return TransferService(db)


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
            for t in (
                "accounts",
                "contacts",
                "team_members",
                "activities",
                "gifts",
                "change_log",
                "contact_search",
                "contact_stage_history",
                "account_values",
            )
        }


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_gbk_contact_list_imports_good_rows_and_lists_the_rest(db: Database, db_path: Path, tmp_path: Path):
    source = write(tmp_path, "联系人.csv", CHINESE_EXCEL_CONTACTS, "gbk")
    progress: list[tuple[str, int, int]] = []
    result = service(db).import_file("contacts", source, progress=lambda *a: progress.append(a))
    assert (result.read, result.imported, result.encoding) == (5, 3, "gb18030")
    assert [row for row, _reason in result.skipped] == [5, 6]
    assert "birthday" in result.skipped[0][1] and "buying_role" in result.skipped[1][1]
    assert result.new_accounts == ["中兴通讯", "华为技术"]
    assert ("writing", 3, 3) in progress and progress[0][0] == "reading"
    assert counts(db_path)["contacts"] == 3 and counts(db_path)["contact_search"] == 3
    contacts = ContactService(db)
    found = contacts.find_accounts("华为技术")
    (zhang,) = [c for c in contacts.colleagues(found[0]) if c[1] == "张伟"]
    detail = contacts.get(zhang[0])
    assert detail is not None
    assert (detail.title, detail.rank_tier, detail.buying_role, detail.relationship_stage) == (
        "采购经理",
        "manager",
        "decision_maker",
        "good_friend",
    )
    assert detail.birthday == PersonalDate("solar", 1985, 3, 12)
    assert (detail.city, detail.hometown, detail.mobile, detail.wechat) == (
        "深圳",
        "湖南长沙",
        "13800138000",
        "zhangwei85",
    )
    assert detail.history and detail.history[0].stage == "good_friend"
    # Found by pinyin like any contact saved on the card.
    from kamdesk.domain.contacts import ContactQuery

    assert contacts.count(ContactQuery(search="zhangwei")) == 1


def test_abort_writes_nothing_when_any_row_is_wrong(db: Database, db_path: Path, tmp_path: Path):
    source = write(tmp_path, "c.csv", CHINESE_EXCEL_CONTACTS, "gbk")
    before = counts(db_path)
    result = service(db).import_file("contacts", source, on_error="abort")
    assert result.aborted and result.imported == 0 and result.problem_rows == 2
    assert counts(db_path) == before


def test_a_failure_while_writing_rolls_the_whole_import_back(
    db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from kamdesk.services import transfer

    source = write(tmp_path, "c.csv", CHINESE_EXCEL_CONTACTS, "gbk")
    before = counts(db_path)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(transfer.store, "log_import", broken)
    with pytest.raises(RuntimeError):
        service(db).import_file("contacts", source)
    assert counts(db_path) == before


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        ("姓名,公司\r\n".encode("gbk"), "no data rows"),
        (bytes(range(256)) * 50, "not a text file"),
        ("公司,职务\n华为,经理\n".encode(), "no column for: name"),
    ],
)
def test_bad_files_write_nothing(db: Database, db_path: Path, tmp_path: Path, data: bytes, words: str):
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    before = counts(db_path)
    with pytest.raises(TableError, match=words):
        service(db).import_file("contacts", path)
    assert counts(db_path) == before


def test_duplicates_of_saved_contacts_and_of_earlier_rows_are_left_out_and_named(db: Database, tmp_path: Path):
    contacts = ContactService(db)
    source = write(tmp_path, "first.csv", "account,name,mobile\n美的,周杰,13700137000\n")
    service(db).import_file("contacts", source)
    account_id = contacts.find_accounts("美的")[0]
    contacts.save(ContactDetail(name="陈静", account_id=account_id, email="Chen@Example.com"))
    source = write(
        tmp_path,
        "second.csv",
        "\n".join(
            [
                "account,name,mobile,email",
                "美的,周杰,,",  # same name at the same company
                "格力,周杰伦,+86 137-0013-7000,",  # same mobile, written differently
                "格力,陈晨,,chen@example.com",  # same e-mail, other case
                "格力,孙丽,13600136000,",
                "格力,孙丽,,",  # same as the row above
                "美的,周杰,,,",
            ]
        )
        + "\n",
    )
    preview = service(db).preview("contacts", source)
    assert [r.row for r in preview.duplicate_rows] == [2, 3, 4, 6, 7]
    assert "周杰 (美的)" in preview.duplicate_rows[0].duplicate_of
    assert "phone" in preview.duplicate_rows[1].duplicate_of and "e-mail" in preview.duplicate_rows[2].duplicate_of
    assert "row 5" in preview.duplicate_rows[3].duplicate_of
    result = service(db).import_file("contacts", source)
    assert result.imported == 1 and len(result.skipped) == 5 and result.new_accounts == ["格力"]


def test_activities_and_gifts_need_known_contacts_and_an_unknown_value_is_a_problem(db: Database, tmp_path: Path):
    service(db).import_file("contacts", write(tmp_path, "c.csv", "account,name\n美的,周杰\n格力,周杰\n"))
    source = write(
        tmp_path,
        "a.csv",
        "\n".join(
            [
                "kind,account,contact,member,due_on,subject",
                "拜访,美的,周杰,刘洋,2026/1/8,季度回访",
                "电话,,周杰,刘洋,2026-01-09,两个周杰",
                "call,美的,李四,刘洋,2026-01-09,没有这个人",
                "fax,美的,周杰,刘洋,2026-01-09,未知类型",
                "visit,美的,周杰,刘洋,2026-02-30,不存在的日子",
            ]
        )
        + "\n",
    )
    result = service(db).import_file("activities", source)
    assert result.imported == 1 and result.new_members == ["刘洋"]
    reasons = dict(result.skipped)
    assert "2 people are called 周杰" in reasons[3] and "nobody called 李四" in reasons[4]
    assert "“fax” is not one of" in reasons[5] and "not a real date" in reasons[6]
    gifts = write(
        tmp_path,
        "g.csv",
        "类型,礼品,金额,日期,公司名称,联系人\n节日礼品,月饼,¥300,2026-09-20,美的,周杰\n"
        "节日礼品,月饼,300,2026-09-20,格力,周杰\n",
    )
    result = service(db).import_file("gifts", gifts)
    assert result.imported == 1 and "amount" in result.skipped[0][1]  # "¥300" is not an amount


# Round trips ------------------------------------------------------------------------------------
def _exported_rows(svc: TransferService, kind: str, fmt: str, out: Path) -> list[list[str]]:
    svc.export(kind, fmt, out)
    table = read_table(out)
    return [table.headers] + [cells for _n, cells in table.rows]


@pytest.fixture
def book(db: Database, tmp_path: Path) -> Database:
    """A small book made by importing: colleagues, accounts with values, contacts, activities, gifts."""
    svc = service(db)
    files = {
        "team": "name,title,department,rank_tier,role,email,phone\n刘洋,销售总监,销售部,manager,sales_manager,ly@us.com,"
        "1\n王磊,客户经理,销售部,staff,account_manager,,\n",
        "accounts": "name,value,value_period,profit,city,province,industry,personality_type,sales_stage,"
        "relationship_type,cycle_stage,owner,notes\n"
        "华为技术,1200万,2025,300万,深圳,广东,通信,rational,formal,partner,growth,刘洋,=1+1\n"
        "中兴通讯,500万,2025,-20万,深圳,广东,通信,demanding,quasi,vendor,defense,王磊,\"+cmd|' /C calc'!A0\"\n"
        "美的集团,80万,2025,,佛山,广东,家电,,trial,,,王磊,@SUM(1)\n"
        "格力电器,,,,珠海,广东,家电,,potential,,,,\n",
        "contacts": "account,name,title,rank_tier,buying_role,relationship_stage,birthday,birthday_calendar,"
        "birthday_leap_month,city,hometown,mobile,phone,email,wechat,notes\n"
        "华为技术,张伟,=1+1,manager,decision_maker,good_friend,1985-03-12,solar,,深圳,湖南长沙,13800138000,"
        '0755-1234,zw@example.com,zw85,"多行\n备注, 带逗号"\n'
        "华为技术,李娜,工程师,staff,user,acquainted,2020-04-02,lunar,yes,深圳,,+86 139 0013 9000,,,,@SUM(1)\n"
        "中兴通讯,欧阳娜娜,总经理,owner,supporter,best_friend,04-30,lunar,,西安,陕西,,,,,"
        "\"+cmd|' /C calc'!A0\"\n",
        "activities": "kind,status,account,contact,member,due_on,start_time,occurred_at,duration_minutes,subject,"
        "location,notes,outcome,important\n"
        "visit,planned,华为技术,张伟,刘洋,2026-01-20,09:30,,60,季度回访,深圳坂田,=1+1,,yes\n"
        "call,done,中兴通讯,欧阳娜娜,王磊,2026-01-02,,2026-01-02 15:00,20,新年问候,,,很满意,\n"
        "visit,done,美的集团,,王磊,,,2025-12-01 10:00,90,@SUM(1),,,,\n",
        "gifts": "direction,kind,item,value,given_on,account,contact,member,occasion,approved_by,notes\n"
        "given,holiday,月饼,300,2025-09-20,华为技术,张伟,刘洋,中秋,刘洋,=1+1\n"
        "received,everyday,茶叶,150.5,2025-10-01,中兴通讯,欧阳娜娜,王磊,国庆,,\n",
    }
    for kind in ("team", "accounts", "contacts", "activities", "gifts"):
        result = svc.import_file(kind, write(tmp_path, f"{kind}.csv", files[kind]), on_error="abort")
        assert not result.aborted and not result.skipped, (kind, result.skipped)
    return db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_records(
    book: Database, open_as: Callable[..., Database], tmp_path: Path, fmt: str
):
    from kamdesk.storage.opening import open_database

    first = service(book)
    other = open_database(tmp_path / "other.kamdb", "bob", create=True)
    try:
        second = service(other)
        for kind in ("accounts", "contacts", "activities", "gifts"):
            out = tmp_path / f"{kind}.{fmt}"
            before = _exported_rows(first, kind, fmt, out)
            result = second.import_file(kind, out, on_error="abort")
            assert not result.aborted and result.imported == len(before) - 1, (kind, result.skipped)
            after = _exported_rows(second, kind, fmt, tmp_path / f"again-{kind}.{fmt}")
            assert after == before, kind
        visits = _exported_rows(first, "visits", fmt, tmp_path / f"visits.{fmt}")
        assert [row[0] for row in visits[1:]] == ["visit", "visit"]
    finally:
        other.dispose()
    accounts = _exported_rows(first, "accounts", fmt, tmp_path / f"classes.{fmt}")
    header = accounts[0]
    classes = {row[header.index("name")]: row[header.index("class")] for row in accounts[1:]}
    assert classes["华为技术"] == "A" and classes["格力电器"] == ""
    notes = {row[header.index("name")]: row[header.index("notes")] for row in accounts[1:]}
    assert [notes["华为技术"], notes["中兴通讯"], notes["美的集团"]] == INJECTIONS


def test_csv_export_is_excel_safe_and_xlsx_has_no_formulas(book: Database, tmp_path: Path):
    import zipfile

    svc = service(book)
    svc.export("contacts", "csv", tmp_path / "c.csv")
    data = (tmp_path / "c.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]
    assert "'=1+1" in cells and "'@SUM(1)" in cells and "'+cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    svc.export("activities", "xlsx", tmp_path / "a.xlsx")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_contacts_round_trip_through_vcard(book: Database, tmp_path: Path):
    from kamdesk.storage.opening import open_database

    first = service(book)
    first.export("contacts", "vcf", tmp_path / "c.vcf")
    other = open_database(tmp_path / "phone.kamdb", "bob", create=True)
    try:
        second = service(other)
        result = second.import_file("contacts", tmp_path / "c.vcf", on_error="abort")
        assert result.imported == 3 and not result.skipped
        fields = [
            "account",
            "name",
            "title",
            "birthday",
            "birthday_calendar",
            "birthday_leap_month",
            "city",
            "mobile",
            "phone",
            "email",
            "wechat",
            "notes",
        ]

        def picked(svc: TransferService, out: Path) -> list[list[str]]:
            rows = _exported_rows(svc, "contacts", "csv", out)
            return [[row[rows[0].index(f)] for f in fields] for row in rows[1:]]

        assert picked(second, tmp_path / "b.csv") == picked(first, tmp_path / "a.csv")
        again = second.import_file("contacts", tmp_path / "c.vcf")
        assert again.imported == 0 and len(again.skipped) == 3  # all duplicates now
    finally:
        other.dispose()


def test_an_xlsx_workbook_imports_like_a_csv(db: Database, tmp_path: Path):
    path = tmp_path / "accounts.xlsx"
    write_xlsx(
        path,
        ["客户名称", "销售额", "年度", "城市"],
        [["华为技术", "1200万", "2025", "深圳"], ["美的", 800000, 2025, "佛山"]],
    )
    result = service(db).import_file("accounts", path)
    assert result.imported == 2 and result.encoding == "xlsx"
    rows = _exported_rows(service(db), "accounts", "csv", tmp_path / "out.csv")
    assert [r[:5] for r in rows[1:]] == [
        ["华为技术", "A", "12000000.00", "2025", ""],
        ["美的", rows[2][1], "800000.00", "2025", ""],
    ]
    assert rows[2][1] in ("B", "C", "D")  # classed by the team's thresholds, below the top account
