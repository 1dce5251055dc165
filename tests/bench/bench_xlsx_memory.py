"""Benchmark: peak memory of reading a 50 MB XLSX workbook of ordinary contact rows for import.

The workbook is written once (openpyxl, as kamdesk's own export writes it), then read in a fresh
subprocess by `load_table` (the import's reading step, rows kept for the preview) and, separately, with
every row checked as an import does; each prints its peak resident memory (ru_maxrss). The issue asks
for reading under 500 MB. Figures only: nothing here passes or fails.
Usage: python tests/bench/bench_xlsx_memory.py [MEGABYTES] [--keep DIR]
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉玲建国志文斌宇浩凯"
CITIES = ["深圳", "广州", "上海", "北京", "成都", "西安", "兰州", "杭州", "南京", "武汉"]
HEADERS = [
    "公司名称",
    "姓名",
    "职务",
    "职务等级",
    "采购角色",
    "关系阶段",
    "生日",
    "城市",
    "籍贯",
    "手机",
    "邮箱",
    "微信",
    "备注",
]

READER = """
import resource, sys, time
from kamdesk.services.transfer import load_table, read_import
started = time.perf_counter()
if sys.argv[2] == "read":
    rows = len(load_table("contacts", sys.argv[1]).rows)
else:
    rows = len(read_import("contacts", sys.argv[1]).rows)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
print(f"{sys.argv[2]}: {rows} rows in {elapsed:.1f} s, peak memory {peak / 1e6:.0f} MB")
"""


def make_workbook(path: Path, megabytes: float, seed: int = 7) -> int:
    """Rows in batches until the saved workbook passes `megabytes`; returns the row count."""
    import datetime as dt

    from openpyxl import Workbook

    rng = random.Random(seed)
    rows_per_mb = 9_000  # measured for these rows; refined after a first small workbook
    target = int(megabytes * rows_per_mb)
    while True:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("contacts")
        sheet.append(HEADERS)
        for n in range(target):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            sheet.append(
                [
                    f"客户公司{n // 10:05d}",
                    name,
                    "采购经理",
                    "经理",
                    "决策者",
                    "认识",
                    dt.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28)),
                    rng.choice(CITIES),
                    rng.choice(CITIES),
                    f"1{n:010d}",
                    f"p{n}@example.com",
                    f"wx{n}",
                    "喜欢普洱茶，不喝酒" if n % 3 == 0 else None,
                ]
            )
        book.save(str(path))
        size = path.stat().st_size / 1e6
        if size >= megabytes * 0.98:
            return target
        target = int(target * megabytes / size * 1.02)


def main() -> None:
    args = sys.argv[1:]
    keep = Path(args[args.index("--keep") + 1]) if "--keep" in args else None
    numbers = [a for a in args if a.replace(".", "", 1).isdigit() and (keep is None or a != str(keep))]
    megabytes = float(numbers[0]) if numbers else 50
    with tempfile.TemporaryDirectory() as folder:
        path = (keep or Path(folder)) / f"contacts-{megabytes:g}mb.xlsx"
        if not path.exists():
            started = time.perf_counter()
            rows = make_workbook(path, megabytes)
            print(f"wrote {rows} rows in {time.perf_counter() - started:.0f} s")
        print(f"workbook: {path.stat().st_size / 1e6:.1f} MB")
        for mode in ("read", "check"):
            subprocess.run([sys.executable, "-c", READER, str(path), mode], check=False)


if __name__ == "__main__":
    main()
