"""The gift catalogue imports and exports like the other kinds: CSV or XLSX, English or Chinese headers."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kamdesk.domain.gifts import CatalogueItem
from kamdesk.domain.tabular import read_table, write_xlsx
from kamdesk.services.transfer import TransferService
from kamdesk.services.workspace import Workspace, open_workspace

TODAY = dt.date(2027, 3, 1)

CHINESE_CSV = "\n".join(
    [
        "名称,类型,场合,类别,属性,单价,供应商,产地,来历",
        "兰州百合,节假日礼品,春节、中秋节,食品,,168,兰州七里河合作社,甘肃兰州,七里河的甜百合，入口无渣",
        "金华火腿,节日,春節；任意节日,食品,猪肉、肉,368.00,金华火腿厂,浙江金华,三年陈腿",
        "嘉兴粽子,,端午,食品,猪肉,58,五芳斋,浙江嘉兴,鲜肉粽",
        "火星月饼,节日,火星节,甜食,糖,88,,,",
        "退货茶叶,日常,日常,茶,咖啡因,-20,,,",
        "茅台,宴请,,白酒,酒精,980,,,",
        "兰州百合,节日,春节,食品,,168,,,",
    ]
)


def _kamdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C")
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture
def ws(tmp_path: Path):
    workspace = open_workspace(tmp_path / "team.kamdb", "王芳", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def _by_name(ws: Workspace) -> dict[str, CatalogueItem]:
    return {item.item: item for item in ws.gifts.catalogue(include_inactive=True)}


def test_the_command_line_imports_chinese_headers_and_names_each_bad_row(tmp_path: Path):
    source = tmp_path / "礼品目录.csv"
    source.write_text(CHINESE_CSV, encoding="utf-8")
    team = tmp_path / "team.kamdb"
    result = _kamdesk("import", str(team), "catalogue", str(source))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Read 7 rows" in out and "Imported 3 catalogue" in out, out
    assert "row 5: occasions: unknown occasion: “火星节”" in out
    assert "row 6: cost:" in out and "negative" in out.split("row 6:")[1].split("\n")[0]
    assert "row 7: kind: a catalogue item is an everyday, holiday or special gift" in out
    assert "row 8: duplicate: same item as row 2" in out

    exported = tmp_path / "catalogue.xlsx"
    result = _kamdesk("export", str(team), "catalogue", "-o", str(exported))
    assert result.returncode == 0, result.stderr
    table = read_table(exported)
    assert table.headers[:9] == [
        "name",
        "kind",
        "occasions",
        "category",
        "attributes",
        "cost",
        "supplier",
        "origin",
        "story",
    ]
    rows = {cells[0]: cells for _number, cells in table.rows}
    ham = rows["金华火腿"]
    assert ham[2:5] == ["spring_festival, any_festival", "food", "pork, meat"]
    assert float(ham[5]) == 368.0
    assert rows["嘉兴粽子"][1] == "holiday"  # no kind given: a Dragon Boat item is a holiday gift
    assert rows["兰州百合"][7:9] == ["甘肃兰州", "七里河的甜百合，入口无渣"]


ITEMS = [
    CatalogueItem(
        "兰州百合",
        "holiday",
        168_00,
        "兰州七里河合作社",
        "七里河的甜百合，入口无渣",
        occasions=frozenset({"spring_festival", "mid_autumn"}),
        category="speciality",
        attributes=frozenset(),
        origin="甘肃兰州",
    ),
    CatalogueItem(
        "茅台飞天 53°",
        "special",
        980_00,
        "贵州茅台专卖店",
        '只送喝酒的人 =HYPERLINK("x") <b>&</b> 🥮',
        occasions=frozenset({"special", "any_festival"}),
        category="liquor",
        attributes=frozenset({"alcohol"}),
        origin="贵州仁怀",
    ),
    CatalogueItem("旧款台历", "everyday", 25_00, active=False, occasions=frozenset({"everyday"})),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_catalogue(ws: Workspace, tmp_path: Path, fmt: str):
    for item in ITEMS:
        ws.gifts.save_item(item)
    out = tmp_path / f"catalogue.{fmt}"
    assert TransferService(ws.db).export("catalogue", fmt, out) == 3

    other = open_workspace(tmp_path / "other.kamdb", "李强", create=True)
    try:
        result = TransferService(other.db).import_file("catalogue", out)
        assert (result.imported, result.skipped) == (3, [])
        before, after = _by_name(ws), _by_name(other)
        assert set(before) == set(after)
        for name, item in before.items():
            copy = after[name]
            fields = ("kind", "unit_cost_cents", "supplier", "notes", "active", "occasions", "category")
            assert [getattr(copy, f) for f in fields] == [getattr(item, f) for f in fields], name
            assert (copy.attributes, copy.origin) == (item.attributes, item.origin)
        # the same file again: every row is already there
        again = TransferService(other.db).import_file("catalogue", out)
        assert again.imported == 0 and len(again.skipped) == 3
    finally:
        other.close()


def test_an_xlsx_with_chinese_headers_and_labels_in_both_scripts(ws: Workspace, tmp_path: Path):
    source = tmp_path / "目錄.xlsx"
    write_xlsx(
        source,
        ["名稱", "類型", "場合", "類別", "屬性", "單價", "供應商", "產地", "來歷"],
        [
            ["西湖龍井", "節日", "春節、中秋節", "茶", "咖啡因", "480", "龍井村合作社", "浙江杭州", "明前頭採"],
            ["宁夏枸杞", "日常礼品", "日常", "保健品", "", "68", "", "宁夏中宁", ""],
            ["紫砂壺", "特殊", "特殊", "工藝品", "", "1600", "", "江苏宜兴", "名家手作"],
        ],
        title="目錄",
    )
    result = TransferService(ws.db).import_file("catalogue", source)
    assert (result.imported, result.skipped) == (3, [])
    items = _by_name(ws)
    tea = items["西湖龍井"]
    assert (tea.kind, tea.occasions, tea.category, tea.attributes) == (
        "holiday",
        {"spring_festival", "mid_autumn"},
        "tea",
        {"caffeine"},
    )
    assert (tea.unit_cost_cents, tea.origin, tea.notes) == (480_00, "浙江杭州", "明前頭採")
    assert items["宁夏枸杞"].category == "health" and items["宁夏枸杞"].kind == "everyday"
    assert items["紫砂壺"].category == "craft" and items["紫砂壺"].occasions == {"special"}


def test_bad_cells_get_clear_messages_and_write_nothing_on_abort(ws: Workspace, tmp_path: Path):
    source = tmp_path / "bad.csv"
    huge = "很长的来历" * 2_000
    source.write_text(
        "\n".join(
            [
                "name,occasions,category,attributes,cost,story",
                f"长故事,everyday,tea,,10,{huge}",
                "两类,everyday,tea、wine,,10,",
                "怪属性,everyday,tea,radioactive,10,",
                "天价,special,craft,,99999999999,",
                ",everyday,tea,,10,",
                '🥮 <b>月饼</b> =SUM(A1),mid_autumn,sweets,sugar,88,"<script>alert(1)</script>"',
            ]
        ),
        encoding="utf-8",
    )
    preview = TransferService(ws.db).preview("catalogue", source)
    problems = {row.row: "; ".join(row.problems) for row in preview.rows}
    assert "story: too long (10000 characters; at most 5000)" in problems[2]
    assert "category: give one category, not 2" in problems[3]
    assert "attributes: unknown attribute: “radioactive”" in problems[4]
    assert "cost:" in problems[5]
    assert "name: this column must not be empty" in problems[6]
    assert problems[7] == ""  # odd characters are text, kept as they are
    aborted = TransferService(ws.db).import_file("catalogue", source, on_error="abort")
    assert aborted.aborted and aborted.imported == 0 and ws.gifts.catalogue() == []
    TransferService(ws.db).import_file("catalogue", source)
    (odd,) = ws.gifts.catalogue()
    assert odd.item == "🥮 <b>月饼</b> =SUM(A1)" and odd.notes == "<script>alert(1)</script>"
    assert odd.occasions == {"mid_autumn"}
