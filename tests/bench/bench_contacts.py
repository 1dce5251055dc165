"""Benchmark: contact search keystrokes over the large demo's 30,000 contacts (budget: p95 <= 30 ms).

python tests/bench/bench_contacts.py            # builds the large demo in a temporary folder
python tests/bench/bench_contacts.py FILE.kamdb # or measures a copy of an existing large file
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kamdesk.domain.contacts import ContactQuery  # noqa: E402 - after making the checkout importable
from kamdesk.services.demo import load_demo  # noqa: E402
from kamdesk.services.workspace import open_workspace  # noqa: E402

#: What people type: Chinese names and parts, full pinyin, initials, companies, titles, cities.
QUERIES = [
    "zhangwei",
    "张伟",
    "zw",
    "wangfang",
    "王",
    "lijun",
    "单",
    "shan",
    "zeng",
    "曾",
    "liuyang",
    "chen",
    "采购",
    "caigou",
    "经理",
    "苏州",
    "suzhou",
    "长沙",
    "zhongche",
    "zgyd",
    "hans",
    "müller",
    "qiu",
    "区",
]


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="kamdesk-bench-") as folder:
        path = Path(folder) / "large.kamdb"
        if len(argv) > 1:
            shutil.copyfile(argv[1], path)
        else:
            print("building the large demo (about 15 s)…")
            load_demo(path, "large")
        ws = open_workspace(path, "bench")
        try:
            total = ws.contacts.count(ContactQuery())
            samples: list[float] = []
            worst: tuple[float, str] = (0.0, "")
            for query in QUERIES:
                for end in range(1, len(query) + 1):  # every keystroke of typing the query
                    text = query[:end]
                    for _ in range(3):
                        started = time.perf_counter()
                        ws.contacts.first_page(ContactQuery(search=text), 200)
                        elapsed = (time.perf_counter() - started) * 1000
                        samples.append(elapsed)
                        worst = max(worst, (elapsed, text))
            p95 = statistics.quantiles(samples, n=20)[-1]
            print(f"contacts: {total:,}")
            print(
                f"search keystroke, first page + count ({len(samples)} samples): median "
                f"{statistics.median(samples):5.1f} ms  p95 {p95:5.1f} ms  max {worst[0]:5.1f} ms ({worst[1]!r})"
            )
            for label, query in (
                ("no search, by name", ContactQuery()),
                ("below target, by gap", ContactQuery(gap="below", sort_key="gap", descending=True)),
                ("class A owners", ContactQuery(rank_tier="owner", account_class=None)),
            ):
                times = []
                for _ in range(10):
                    started = time.perf_counter()
                    ws.contacts.first_page(query, 200)
                    times.append((time.perf_counter() - started) * 1000)
                print(f"first page, {label:<22} median {statistics.median(times):5.1f} ms")
        finally:
            ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
