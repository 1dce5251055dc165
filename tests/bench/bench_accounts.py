"""Benchmark: class recompute, first page of the account list and search keystrokes on the large demo.

Budgets (issue 3): recompute all classes <= 200 ms; first page <= 50 ms; a search keystroke <= 30 ms
at the 95th percentile. This prints figures; it does not pass or fail.

    python tests/bench/bench_accounts.py            # builds the large demo in a temporary folder
    python tests/bench/bench_accounts.py FILE.kamdb # or measures a copy of an existing large file
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kamdesk.domain.models import AccountQuery  # noqa: E402 - after making the checkout importable
from kamdesk.domain.settings import TeamSettings  # noqa: E402
from kamdesk.services.demo import load_demo  # noqa: E402
from kamdesk.services.workspace import Workspace, open_workspace  # noqa: E402

QUERIES = [
    "zgyd",
    "zhongguo",
    "中国",
    "中",
    "苏州",
    "suzhou",
    "shanghai",
    "siemens",
    "hengyuan",
    "bosch",
    "hy",
    "jingmi",
    "精密",
    "dz",
    "电子科技",
]


def ms(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def first_page(ws: Workspace, query: AccountQuery) -> None:
    ws.accounts.count(query)
    ws.accounts.page(query, 0, 200)


def bench_recompute(ws: Workspace, path: Path) -> None:
    steady = ms(ws.accounts.recompute, 5)
    print(f"recompute, nothing moved        median {statistics.median(steady):6.1f} ms  max {max(steady):6.1f} ms")
    with sqlite3.connect(path) as conn:  # forget every stored value so recompute rewrites them all
        conn.execute("UPDATE accounts SET value_cents = NULL, computed_class = NULL")
    result = None

    def full() -> None:
        nonlocal result
        result = ws.accounts.recompute()

    every = ms(full)
    assert result is not None
    print(
        f"recompute, every account stored {every[0]:6.1f} ms  ({result.ranked} ranked, "
        f"{result.unranked} without value, {len(result.moved)} classed)"
    )
    switch = ms(lambda: ws.settings.save(TeamSettings(value_measure="profit")))
    back = ms(lambda: ws.settings.save(TeamSettings()))
    print(f"settings saved + recompute      revenue→profit {switch[0]:6.1f} ms, back {back[0]:6.1f} ms")


def bench_list(ws: Workspace) -> None:
    cold = ms(lambda: first_page(ws, AccountQuery()))
    warm = ms(lambda: first_page(ws, AccountQuery()), 20)
    print(f"first page (200 rows by value)  first {cold[0]:6.1f} ms  then median {statistics.median(warm):5.1f} ms")
    for label, query in (
        ("by name", AccountQuery(sort_key="name", descending=False)),
        ("by owner", AccountQuery(sort_key="owner", descending=False)),
        ("by last contact", AccountQuery(sort_key="last_contact")),
        ("city 上海", AccountQuery(city="上海")),
        ("formal, growth", AccountQuery(sales_stage="formal", cycle_stage="growth")),
    ):
        samples = ms(lambda q=query: first_page(ws, q), 10)
        print(f"first page {label:<20} median {statistics.median(samples):5.1f} ms  max {max(samples):5.1f} ms")


def bench_search(ws: Workspace) -> None:
    samples: list[float] = []
    for query in QUERIES:
        for end in range(1, len(query) + 1):  # every keystroke of typing the query
            samples += ms(lambda t=query[:end]: first_page(ws, AccountQuery(search=t)), 3)
    print(
        f"search keystroke ({len(samples)} samples)   median {statistics.median(samples):5.1f} ms  "
        f"p95 {p95(samples):5.1f} ms  max {max(samples):5.1f} ms"
    )


def bench_model(ws: Workspace) -> None:
    from PySide6.QtWidgets import QApplication

    from kamdesk.ui.models.accounts_model import AccountsModel

    app = QApplication.instance() or QApplication([])
    model_ms = ms(lambda: AccountsModel(ws.accounts), 10)
    print(f"AccountsModel built (count + first page) median {statistics.median(model_ms):5.1f} ms")
    assert app is not None


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
            print(f"accounts: {ws.summary().accounts:,}")
            bench_list(ws)
            bench_search(ws)
            bench_model(ws)
            bench_recompute(ws, path)
        finally:
            ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
