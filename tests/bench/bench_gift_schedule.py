"""Benchmark: the gift schedule PDF with kamdesk's builder against plain ReportLab: one Table of the same rows
with the same text in every cell, the same font, page and grid, repeated header row (the floor). Budget:
kamdesk within 1.5 × the plain figure, and a year of the large demo in at most 4 s.

    python tests/bench/bench_gift_schedule.py                     # 1,000 synthetic rows
    python tests/bench/bench_gift_schedule.py LARGE.kamdb [YEAR]  # and a year of a team file (kamdesk demo --size large)

Figures on record (2-core machine shared with other work, so wall times vary; CPU times are steadier):
  before issue 22 (one ReportLab table split page by page, re-measuring every row still to come at each break):
    large demo, 2026: 4,621 gifts, 220 pages: 12 min wall, 5 min CPU (the issue reported 16-18 s for the same
    year before the continued-heading table); 1,000 synthetic rows: 8.9 s (plain ReportLab 0.6 s)
  after (reports/paged_table: each row measured once, one table per page, 13 columns, 377 pages):
    large demo, 2026: 3.4-4.1 s wall, 2.5-3.2 s CPU; 1,000 synthetic rows: 0.99 s against 1.14 s plain (0.87 ×)
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle  # noqa: E402

from kamdesk.domain.gifts import GiftSchedule, GiftScheduleRow  # noqa: E402
from kamdesk.reports import gift_schedule  # noqa: E402
from kamdesk.reports import schedule_layout as layout  # noqa: E402
from kamdesk.reports.fonts import register_fonts  # noqa: E402

RUNS = 5
BUDGET = 1.5
YEAR_BUDGET = 4.0  # seconds for a year of the large demo, read and printed
ACCOUNTS = [
    "中国移动通信集团江苏有限公司",
    "南京钢铁股份有限公司",
    "苏宁易购集团",
    "江苏省人民医院",
    "无锡先导智能装备股份有限公司",
    "扬子江药业集团有限公司",
    "徐工集团工程机械股份有限公司",
    "常州天合光能有限公司",
    "恒瑞医药",
    "江苏银行股份有限公司",
]
PEOPLE = [
    ("曾国华", "总经理"),
    ("王芳", "采购经理"),
    ("李建军", "副总裁"),
    ("陈静", "采购专员"),
    ("单丽", "行政主管"),
    ("欧阳明", "设备部部长"),
]
ITEMS = [
    ("中秋月饼礼盒（广式双黄白莲蓉）", 388_00),
    ("西湖龙井明前特级 250g", 1_280_00),
    ("阳澄湖大闸蟹礼券", 598_00),
    ("五粮液 普五 500ml×2", 2_398_00),
    ("水果篮", 200_00),
    ("本地特产：盐水鸭", 168_00),
]
OCCASIONS = ["中秋节", "中秋节问候，感谢一年来对新产线项目的支持与配合", "国庆节", "项目验收", ""]
ADDRESSES = ["", "江苏省南京市玄武区中山路 100 号 紫金大厦 18 楼 1806 室 210008", "上海市浦东新区世纪大道 88 号"]


def schedule(rows: int = 1000) -> GiftSchedule:
    rng = random.Random(7)
    result = []
    for number in range(rows):
        name, title = rng.choice(PEOPLE)
        item, value = rng.choice(ITEMS)
        result.append(
            GiftScheduleRow(
                dt.date(2027, 9, 1) + dt.timedelta(days=rng.randrange(30)),
                rng.choice(ACCOUNTS),
                name,
                title,
                item,
                value,
                rng.choice(["in_person", "courier", "courier_card", ""]),
                rng.choice(["王芳", "张伟", "刘洋", "陈晨"]),
                rng.choice(OCCASIONS),
                rng.choice(["planned", "done"]),
                rng.choice(ADDRESSES),
                phone=f"138 {rng.randrange(10_000):04d} {rng.randrange(10_000):04d}",
                approved_by=rng.choice(["", "", "李总"]),
                notes=rng.choice(["", "贺卡：感谢您一年来的支持，祝中秋快乐！"]),
                supplier="杭州茶叶公司",
                gift_id=number + 1,
            )
        )
    return GiftSchedule(
        "2027 中秋节礼品计划", "2027-09-01 至 2027-09-30", "account", result, "CNY", dt.date(2027, 8, 20), 500_00
    )


def plain_reportlab(data: GiftSchedule, out: Path) -> None:
    """The floor: ReportLab's own Table of the same rows, with the same text in every cell (the schedule's
    strings, already broken into lines), the same font, page and grid, repeated header row; no groups kept
    together, no "continued" headings, no per-page layout."""
    regular, bold = register_fonts()
    doc = SimpleDocTemplate(
        str(out),
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=14 * mm,
        bottomMargin=13 * mm,
    )
    header, rows, widths = gift_schedule.table_rows(data, layout.Cells(layout.Styles()), doc.width)
    table = Table([header] + [row.cells for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, 8, 10),
                ("FONT", (0, 0), (-1, 0), bold, 8, 10),
                ("GRID", (0, 0), (-1, -1), 0.4, "#b0b0b0"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    doc.build([table])


def timed(make: Callable[[Path], None], folder: Path, name: str, runs: int = RUNS) -> list[float]:
    times = []
    for run in range(runs):
        out = folder / f"{name}{run}.pdf"
        started = time.perf_counter()
        make(out)
        times.append(time.perf_counter() - started)
    return times


def team_year(path: str, year: int) -> GiftSchedule:
    from kamdesk.services.workspace import open_workspace

    workspace = open_workspace(path, "bench", read_only=True)
    try:
        return workspace.gifts.gift_schedule(dt.date(year, 1, 1), dt.date(year, 12, 31))
    finally:
        workspace.close()


def compare(data: GiftSchedule, runs: int, label: str) -> float:
    with tempfile.TemporaryDirectory(prefix="kamdesk-bench-") as name:
        folder = Path(name)
        plain_reportlab(data, folder / "warm.pdf")  # warm both paths once (imports, glyph caches)
        gift_schedule.build(data, folder / "warm2.pdf")
        ours = timed(lambda out: gift_schedule.build(data, out), folder, "kamdesk", runs)
        floor = timed(lambda out: plain_reportlab(data, out), folder, "plain", runs)
    ratio = statistics.median(ours) / statistics.median(floor)
    print(f"gift schedule, {label}, {len(data.rows)} rows, {runs} runs:")
    print(f"  kamdesk builder: median {statistics.median(ours) * 1000:.0f} ms, worst {max(ours) * 1000:.0f} ms")
    print(f"  plain ReportLab: median {statistics.median(floor) * 1000:.0f} ms, worst {max(floor) * 1000:.0f} ms")
    print(f"  ratio (medians): {ratio:.2f}×  (budget ≤ {BUDGET}×) {'OK' if ratio <= BUDGET else 'OVER BUDGET'}")
    return ratio


def main() -> int:
    register_fonts()  # font loading is the same one-off cost for both; keep it out of the figures
    ok = compare(schedule(), RUNS, "synthetic") <= BUDGET
    if len(sys.argv) > 1:
        year = int(sys.argv[2]) if len(sys.argv) > 2 else 2026
        started, cpu = time.perf_counter(), time.process_time()
        data = team_year(sys.argv[1], year)
        with tempfile.TemporaryDirectory(prefix="kamdesk-bench-") as name:
            gift_schedule.build(data, Path(name) / "year.pdf")
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        verdict = "OK" if wall <= YEAR_BUDGET else "OVER BUDGET"
        print(f"a year ({year}) of {sys.argv[1]}: {len(data.rows)} gifts, read and printed in {wall:.2f} s wall, ")
        print(f"  {cpu:.2f} s CPU (budget ≤ {YEAR_BUDGET:.0f} s) {verdict}")
        ok = compare(data, 1, f"{year} of the team file") <= BUDGET and ok and wall <= YEAR_BUDGET
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
