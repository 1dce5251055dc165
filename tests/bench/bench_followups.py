"""Benchmark: a person's agenda and a year of rule-planned contact for the large demo's 30,000 people.

Budgets (issue 6): agenda for a person opens <= 200 ms; a year of cadence items <= 5 s.

    python tests/bench/bench_followups.py            # builds the large demo in a temporary folder
    python tests/bench/bench_followups.py FILE.kamdb # or measures a copy of an existing large file
"""

from __future__ import annotations

import datetime as dt
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
            members = [m for m in ws.team.members() if m.active]
            busiest = None
            for member in members:
                count = len(ws.followups.agenda(member.id))
                busiest = max(busiest or (count, member), (count, member), key=lambda p: p[0])
            assert busiest is not None
            times = []
            for _ in range(10):
                started = time.perf_counter()
                items = ws.followups.agenda(busiest[1].id)
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"agenda of the busiest person ({len(items)} items this week): median "
                f"{statistics.median(times):5.1f} ms  max {max(times):5.1f} ms"
            )
            if items and items[0].contact_id is not None:
                started = time.perf_counter()
                ws.followups.context(items[0].contact_id)
                print(f"context panel for one person: {(time.perf_counter() - started) * 1000:5.1f} ms")
            today = ws.followups.today()
            steps = []
            started = time.perf_counter()
            added = ws.followups.generate(
                today, today + dt.timedelta(days=365), lambda done, total: steps.append(done) or True
            )
            seconds = time.perf_counter() - started
            print(
                f"a year of rule-planned contact for {steps[-1]:,} people: {added:,} items in {seconds:.1f} s "
                f"({len(steps)} progress reports)"
            )
            started = time.perf_counter()
            again = ws.followups.generate(today, today + dt.timedelta(days=365))
            print(f"running the rules again: {again} new items in {time.perf_counter() - started:.1f} s")
            times = []
            for _ in range(5):
                started = time.perf_counter()
                items = ws.followups.agenda(busiest[1].id)
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"agenda of the same person afterwards ({len(items)} items): median {statistics.median(times):5.1f} ms"
            )
        finally:
            ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
