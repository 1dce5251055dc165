"""Benchmark: print the plan pack of a plan with 40 objectives and 200 action steps (budget: 1 s).

python tests/bench/bench_plan_pack.py
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember  # noqa: E402
from kamdesk.domain.plans import ActionStep, Competitor, IntelNote, Objective, RevenueLine, Swot  # noqa: E402
from kamdesk.services.workspace import open_workspace  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="kamdesk-bench-") as folder:
        ws = open_workspace(Path(folder) / "plan.kamdb", "bench", create=True)
        try:
            me = ws.team.save(TeamMember(0, "王芳", "客户经理", "销售部", "manager", "account_manager", True))
            account, _ = ws.accounts.save(
                AccountDetail(name="中国移动通信集团江苏有限公司", values=[AccountValue("2026", 1000, None)])
            )
            plan = ws.plans.new(account, "FY2027")
            plan.summary = "巩固主力供应商地位，扩大在新产线的份额。" * 10
            plan.customer = {"business": "区域龙头企业。" * 20, "buying_process": "技术部提需求，采购比价。" * 10}
            plan.customer_swot = plan.our_swot = Swot("品牌好" * 10, "决策慢" * 10, "新产线" * 10, "价格战" * 10)
            plan.competitors = [Competitor(f"竞争者{i}", "长期合作" * 5, preference=3) for i in range(5)]
            plan.objectives = [
                Objective(f"目标{i}：份额提高到 40%", "采购份额", "40%", dt.date(2027, 12, 31), me) for i in range(40)
            ]
            plan.actions = [
                ActionStep(
                    f"第{i:03d}步：拜访采购总监并提交第二版技术方案",
                    me,
                    deadline=dt.date(2027, 3, 1),
                    status="in_progress",
                    progress=30,
                    objective=i % 40,
                )
                for i in range(200)
            ]
            plan.revenue = [RevenueLine(f"2027-Q{q}", 100_000_00, 90_000_00, 20.0, 18_000_00) for q in range(1, 5)]
            plan.intel = [IntelNote(1 + i % 4, "预算信息" * 5, "总经理") for i in range(20)]
            plan_id = ws.plans.save(plan)
            times = []
            for run in range(5):
                out = Path(folder) / f"pack{run}.pdf"
                started = time.perf_counter()
                ws.plans.print_pack(plan_id, out)
                times.append(time.perf_counter() - started)
            size = out.stat().st_size
            print(
                f"plan pack, 40 objectives and 200 action steps: median {statistics.median(times) * 1000:.0f} ms, "
                f"worst {max(times) * 1000:.0f} ms (first {times[0] * 1000:.0f} ms, font loading included); "
                f"{size / 1024:.0f} KB  (budget 1000 ms)"
            )
        finally:
            ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
