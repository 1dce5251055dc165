"""Benchmark: build the zipper map's scene and render it once to a 1600×1000 image.

It also prints the same accounts' org-map PDF (time, paper, pages, smallest text: never under 7 pt).

Budget: building the scene for 150 of theirs, 30 of ours and ~300 links, and rendering it once,
<= 100 ms together. This prints figures (median of 10 runs); it does not pass or fail.

    python tests/bench/bench_zipper_map.py            # the synthetic account only
    python tests/bench/bench_zipper_map.py FILE.kamdb # and the largest account of that file
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kamdesk.domain.enums import AccountClass, BuyingRole, RankTier, RelationshipStage  # noqa: E402
from kamdesk.domain.org_map import (  # noqa: E402
    MapAnalysis,
    MapContact,
    MapLink,
    MapMember,
    OrgMapData,
    analyse_map,
)
from kamdesk.domain.settings import TeamSettings  # noqa: E402

RUNS = 10
FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志"
TITLES = {
    RankTier.OWNER: "副总经理",
    RankTier.MANAGER: "采购部经理",
    RankTier.STAFF: "高级工艺工程师",
    RankTier.CLERK: "采购助理",
}


def synthetic(theirs: int = 150, ours: int = 30, links: int = 300, seed: int = 7) -> OrgMapData:
    """An account the size of a large customer: ranks like a real firm, bosses, roles, stages."""
    rng = random.Random(seed)
    tiers = [RankTier.OWNER] * 6 + [RankTier.MANAGER] * 24 + [RankTier.STAFF] * 80 + [RankTier.CLERK] * 40
    contacts: list[MapContact] = []
    by_tier: dict[RankTier, list[int]] = {t: [] for t in RankTier}
    for index in range(theirs):
        tier = tiers[index % len(tiers)]
        above = by_tier[RankTier.OWNER] if tier is RankTier.MANAGER else by_tier[RankTier.MANAGER]
        boss = rng.choice(above) if above and tier is not RankTier.OWNER else None
        name = rng.choice(FAMILY) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 9))))
        role = rng.choice(list(BuyingRole) + [None])
        contacts.append(
            MapContact(
                index + 1,
                name,
                TITLES[tier],
                tier.value,
                role.value if role else None,
                boss,
                rng.choice(list(RelationshipStage)).value,
            )
        )
        by_tier[tier].append(index + 1)
    members = [
        MapMember(
            1000 + index,
            rng.choice(FAMILY) + rng.choice(GIVEN),
            "客户经理",
            rng.choice(list(RankTier)).value,
            "account_manager",
        )
        for index in range(ours)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < links:
        pairs.add((rng.choice(members).id, rng.choice(contacts).id))
    map_links = tuple(MapLink(m, c, rng.choice(list(RelationshipStage)[1:]).value) for m, c in sorted(pairs))
    return OrgMapData(1, "苏州恒源精密机械股份有限公司", AccountClass.A, tuple(contacts), tuple(members), map_links)


def measure(label: str, data: OrgMapData, analysis: MapAnalysis) -> None:
    from kamdesk.ui.widgets.zipper_map import ZipperMapView

    view = ZipperMapView()
    view.resize(1600, 1000)
    builds, renders, totals = [], [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        view.set_map(data, analysis)
        built = time.perf_counter()
        view.render_image(1600, 1000)
        done = time.perf_counter()
        builds.append((built - started) * 1000)
        renders.append((done - built) * 1000)
        totals.append((done - started) * 1000)
    print(
        f"{label}: {len(data.theirs)} theirs, {len(data.ours)} ours, {len(data.links)} links, "
        f"{len(view.scene().items())} items"
    )
    print(f"  build scene  median {statistics.median(builds):6.1f} ms  max {max(builds):6.1f} ms")
    print(f"  render 1600×1000 median {statistics.median(renders):6.1f} ms  max {max(renders):6.1f} ms")
    print(f"  together     median {statistics.median(totals):6.1f} ms  max {max(totals):6.1f} ms  (budget 100 ms)")
    view.deleteLater()


def measure_pdf(label: str, data: OrgMapData, analysis: MapAnalysis) -> None:
    """The printed org map of the same account: time, paper, pages and the smallest text size on the map."""
    import re
    import tempfile

    from kamdesk.reports import org_map

    sizes: set[float] = set()
    original = org_map.MapFlowable.draw

    def draw(self: org_map.MapFlowable) -> None:
        original(self)
        sizes.update(self.sizes)

    org_map.MapFlowable.draw = draw  # type: ignore[method-assign]
    try:
        with tempfile.TemporaryDirectory(prefix="kamdesk-bench-") as folder:
            out = Path(folder) / "map.pdf"
            times = []
            for _ in range(3):
                started = time.perf_counter()
                org_map.build(data, analysis, out)
                times.append((time.perf_counter() - started) * 1000)
            body = out.read_bytes()
            pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", body))
            paper = "A3" if re.search(rb"/MediaBox\s*\[\s*0 0 1190", body) else "A4"
    finally:
        org_map.MapFlowable.draw = original  # type: ignore[method-assign]
    print(f"{label}, printed: median {statistics.median(times):.0f} ms, {paper}, {pages} pages,")
    print(f"  smallest text on the map {min(sizes):.2f} pt (floor {org_map.MIN_TEXT} pt)")


def largest_account(path: str) -> tuple[OrgMapData, MapAnalysis]:
    from kamdesk.domain.models import AccountQuery
    from kamdesk.services.workspace import open_workspace

    ws = open_workspace(path, "bench", read_only=True)
    try:
        best: tuple[OrgMapData, MapAnalysis] | None = None
        offset = 0
        while True:
            page = ws.accounts.page(AccountQuery(), offset, 500)
            if not page:
                break
            for item in page:
                result = ws.contacts.org_map(item.id)
                if result and (
                    best is None
                    or len(result[0].theirs) + len(result[0].links) > len(best[0].theirs) + len(best[0].links)
                ):
                    best = result
            offset += len(page)
        if best is None:
            raise SystemExit(f"{path} has no accounts")
        return best
    finally:
        ws.close()


def main(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    data = synthetic()
    measure("synthetic account", data, analyse_map(data, TeamSettings()))
    measure_pdf("synthetic account", data, analyse_map(data, TeamSettings()))
    if len(argv) > 1:
        real, analysis = largest_account(argv[1])
        measure(f"largest account in {Path(argv[1]).name} ({real.account_name})", real, analysis)
        measure_pdf(f"largest account in {Path(argv[1]).name}", real, analysis)
    assert app is not None
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
