"""Benchmark: time and peak memory of importing a 50 MB XLSX workbook of ordinary contact rows (issue 23).

The workbook is written once (openpyxl, as kamdesk's own export writes it), then each step runs in a fresh
subprocess that prints its wall time and peak resident memory (ru_maxrss):
  read          the rows streamed by kamdesk's reader (tabular.stream_xlsx, expat), nothing kept
  read-openpyxl the same rows streamed by openpyxl's read-only mode (reset_dimensions, iter_rows(values_only)),
                for comparison: why the reader is not openpyxl is in kamdesk/domain/tabular.py's docstring
  read-kept     load_table: the rows kept (compactly), as the window's column-mapping step did before it read only
                a sample and the row count (tests/bench/bench_import_dialog.py measures the window's whole path)
  check         read_import: read and every row checked, the checked rows spooled to disk
  import        the whole import (read, check, duplicates, write) into a new team file
The issue asks for the whole import under 500 MB. Figures only: nothing here passes or fails.
Usage: python tests/bench/bench_xlsx_memory.py [MEGABYTES] [--keep DIR] [--steps read,check,...]
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
import resource, sys, tempfile, time, warnings
from pathlib import Path
path, step = sys.argv[1], sys.argv[2]
started = time.perf_counter()
if step == "read":
    from kamdesk.domain.tabular import stream_xlsx
    rows = sum(1 for _row in stream_xlsx(path).rows)
elif step == "read-openpyxl":
    from openpyxl import load_workbook
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        rows = sum(1 for values in sheet.iter_rows(values_only=True) if any(v is not None for v in values)) - 1
        book.close()
elif step == "read-kept":
    from kamdesk.services.transfer import load_table
    rows = len(load_table("contacts", path).rows)
elif step == "check":
    from kamdesk.services.transfer import read_import
    rows = len(read_import("contacts", path).rows)
else:
    from kamdesk.services.transfer import TransferService, read_import
    from kamdesk.storage.opening import open_database
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "team.kamdb", "bench", create=True)
        try:
            result = TransferService(db).import_file("contacts", read_import("contacts", path))
        finally:
            db.dispose()
    rows = result.read
    print(f"  imported {result.imported}, skipped {len(result.skipped)}, new accounts {len(result.new_accounts)}")
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
print(f"{step}: {rows} rows in {elapsed:.1f} s, peak memory {peak / 1e6:.0f} MB", flush=True)
"""
STEPS = ("read", "read-openpyxl", "read-kept", "check", "import")


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
    steps = args[args.index("--steps") + 1].split(",") if "--steps" in args else list(STEPS)
    numbers = [a for a in args if a.replace(".", "", 1).isdigit() and (keep is None or a != str(keep))]
    megabytes = float(numbers[0]) if numbers else 50
    with tempfile.TemporaryDirectory() as folder:
        path = (keep or Path(folder)) / f"contacts-{megabytes:g}mb.xlsx"
        if not path.exists():
            started = time.perf_counter()
            rows = make_workbook(path, megabytes)
            print(f"wrote {rows} rows in {time.perf_counter() - started:.0f} s")
        print(f"workbook: {path.stat().st_size / 1e6:.1f} MB")
        for step in steps:
            subprocess.run([sys.executable, "-c", READER, str(path), step], check=False)


if __name__ == "__main__":
    main()
