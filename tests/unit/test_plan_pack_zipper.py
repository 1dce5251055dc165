"""The plan pack's Zipper section and its SMART column, printed from a real demo file in Chinese."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamdesk.i18n import set_language
from kamdesk.services.demo import load_demo
from kamdesk.services.plans import PlanService
from kamdesk.services.zipper import ZipperService
from kamdesk.storage.opening import open_database

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
TODAY = dt.date(2026, 11, 16)


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())  # wrapped cells join up again


@pytest.fixture
def english_afterwards() -> Iterator[None]:
    yield
    set_language("en")


def test_the_pack_lists_the_zipper_findings_and_flags_an_objective_above_the_revenue_plan(
    tmp_path: Path,
    fixed_clock,
    english_afterwards,  # noqa: ANN001 - fixtures
) -> None:
    fixed_clock.fix(TODAY)
    path = tmp_path / "demo.kamdesk"
    load_demo(path, "small", today=TODAY)
    db = open_database(path, "测试")
    try:
        plans, zipper = PlanService(db), ZipperService(db)
        # A class A account with a plan whose sponsor knows nobody there (the demo has some; not hard-coded).
        silent = {a.account_id for a in zipper.all_accounts() if any(f.kind == "sponsor_no_tie" for f in a.findings)}
        with_plans = [pid for pid in (plans.find(a) for a in sorted(silent)) if pid is not None]
        # Prefer one whose 1,200万 objective sits above its revenue plan, as the issue describes.
        loaded = [plans.get(pid) for pid in with_plans]
        over = [
            p.id
            for p in loaded
            if p is not None
            and any(o.target_value == "1200" for o in p.objectives)
            and 1_200_000_000 > 1.25 * sum(line.target_cents or 0 for line in p.revenue)
        ]
        plan_id = (over or with_plans)[0]
        pack = plans.pack(plan_id)
        assert pack is not None
        assert pack.zipper == zipper.findings(pack.plan.account_id)
        sponsor = next(f for f in pack.zipper if f.kind == "sponsor_no_tie")
        set_language("zh_CN")
        out = tmp_path / "pack.pdf"
        assert plans.print_pack(plan_id, out)
    finally:
        db.dispose()
    text = _text(out)
    assert "12." in text and text.index("12.") > text.index("11.")
    # The finding's people and its suggestion reach the page.
    for name in sponsor.people:
        assert name in text
    # The demo's 1,200万 objective beside a smaller revenue plan is flagged with both figures.
    assert over, "no demo plan with an objective above its revenue plan"
    revenue = sum(line.target_cents or 0 for line in pack.plan.revenue)
    assert "1,200万" in text and f"{round(revenue / 1_000_000):,}万" in text
