"""Benchmark: write the large demo book to a temporary file and report time, rows and file size."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kamdesk.services.demo import load_demo  # noqa: E402 - after making the checkout importable


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="kamdesk-bench-") as folder:
        path = Path(folder) / "large.kamdb"
        started = time.perf_counter()
        counts = load_demo(path, "large")
        seconds = time.perf_counter() - started
        size_mb = path.stat().st_size / 1_000_000
    print(f"large demo written in {seconds:.1f} s, file size {size_mb:.1f} MB")
    for table, count in counts.items():
        print(f"  {table:<22} {count:>9,}")
    print(f"  {'total':<22} {sum(counts.values()):>9,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
