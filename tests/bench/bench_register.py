"""Benchmark: the gift and hospitality register for one year of the large demo (budget: 200 ms).

python tests/bench/bench_register.py            # builds the large demo in a temporary folder
python tests/bench/bench_register.py FILE.kamdb # or measures a copy of an existing large file
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kamdesk.services.demo import load_demo  # noqa: E402 - after making the checkout importable
from kamdesk.services.workspace import open_workspace  # noqa: E402


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
            years = {}
            for year in range(ws.gifts.today().year - 10, ws.gifts.today().year + 1):
                years[year] = len(ws.gifts.register(year))
            busiest = max(years, key=lambda y: years[y])
            times, totals = [], []
            for _ in range(7):
                started = time.perf_counter()
                entries = ws.gifts.register(busiest)
                times.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                ws.gifts.totals(busiest, "contact")
                totals.append((time.perf_counter() - started) * 1000)
            print(
                f"register of {busiest} ({len(entries):,} entries): median {statistics.median(times):.1f} ms, "
                f"worst {max(times):.1f} ms (budget 200 ms)"
            )
            print(f"top people by value that year: median {statistics.median(totals):.1f} ms")
        finally:
            ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
