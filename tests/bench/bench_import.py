"""Benchmark: import a 50,000-row contacts CSV (GBK, as Chinese Excel saves it) into a new team file.

Prints rows per second for reading and checking, writing, and the whole import.
Usage: python tests/bench/bench_import.py [ROWS]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from kamdesk.services.transfer import TransferService, read_import
from kamdesk.storage.opening import open_database

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉玲建国志文斌宇浩凯"
CITIES = ["深圳", "广州", "上海", "北京", "成都", "西安", "兰州", "杭州", "南京", "武汉"]
ROLES = ["决策者", "使用者", "顾问", "把关者", "外部人士", "支持者", ""]
STAGES = ["陌生", "认识", "普通朋友", "好朋友", "普通兄弟", "好兄弟", "死党"]
RANKS = ["老板", "经理", "工程师", "文员"]


def make_csv(path: Path, rows: int, seed: int = 9) -> None:
    rng = random.Random(seed)
    lines = ["公司名称,姓名,职务,职务等级,采购角色,关系阶段,生日,生日历法,城市,籍贯,手机,邮箱,微信"]
    for n in range(rows):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        birthday = f"{rng.randint(1960, 2000)}/{rng.randint(1, 12)}/{rng.randint(1, 28)}"
        lines.append(
            ",".join(
                [
                    f"客户公司{n // 10:05d}",
                    name,
                    "采购经理",
                    rng.choice(RANKS),
                    rng.choice(ROLES),
                    rng.choice(STAGES),
                    birthday,
                    rng.choice(["公历", "农历"]),
                    rng.choice(CITIES),
                    rng.choice(CITIES),
                    f"1{n:010d}",
                    f"p{n}@example.com",
                    f"wx{n}",
                ]
            )
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "contacts.csv"
        make_csv(source, rows)
        print(f"{rows} rows, {source.stat().st_size / 1e6:.1f} MB (GBK CSV)")
        db = open_database(Path(folder) / "team.kamdb", "bench", create=True)
        try:
            started = time.perf_counter()
            read = read_import("contacts", source)
            checked = time.perf_counter()
            result = TransferService(db).import_file("contacts", read)
            done = time.perf_counter()
        finally:
            db.dispose()
        print(f"read and checked: {checked - started:.2f} s ({rows / (checked - started):,.0f} rows/s)")
        print(f"look-ups, keys and write (one transaction): {done - checked:.2f} s")
        print(f"imported {result.imported}, skipped {len(result.skipped)}, new accounts {len(result.new_accounts)}")
        print(f"whole import: {done - started:.2f} s = {rows / (done - started):,.0f} rows/s")


if __name__ == "__main__":
    main()
