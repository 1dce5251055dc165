"""The pick list PDF: what to buy for the planned gifts, by order-by date, with the suppliers and totals."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from kamdesk.domain.gifts import GiftSchedule, GiftScheduleRow
from kamdesk.reports.pick_list import build

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


def _row(day: int, item: str, cents: int, supplier: str, status: str = "planned", delivery: str = "courier"):  # noqa: ANN202
    return GiftScheduleRow(
        dt.date(2027, 9, day), "苏宁易购集团", "曾国华", "总经理", item, cents, delivery, "王芳", "中秋节", status,
        supplier=supplier,
    )  # fmt: skip


def _text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def test_items_are_added_up_per_order_by_date_with_suppliers_and_totals(tmp_path: Path):
    rows = [
        _row(12, "中秋月饼礼盒", 388_00, "广州酒家"),  # courier: order by 09-02
        _row(12, "中秋月饼礼盒", 388_00, "广州酒家"),
        _row(12, "西湖龙井", 1_280_00, "", delivery="in_person"),  # in person: 09-05, a Sunday, so 09-03
        _row(5, "五粮液", 2_398_00, "宜宾酒业", status="done"),  # already given: not on the list
    ]
    out = tmp_path / "pick.pdf"
    build(GiftSchedule("Gifts", "2027-09-01 – 2027-09-30", "account", rows, "CNY", dt.date(2027, 8, 20)), out)
    pages = _text(out)
    text = "\n".join(pages)
    assert len(pages) == 1 and "Pick list" in text and "3 planned gifts" in text and "1 already given" in text
    line = next(x for x in text.splitlines() if "中秋月饼礼盒" in x)
    assert "广州酒家" in line and " 2 " in line and "776" in line
    assert "(no supplier in the catalogue)" in next(x for x in text.splitlines() if "西湖龙井" in x)
    assert (
        text.index("Order by 2027-09-02 (Thu)") < text.index("中秋月饼礼盒") < text.index("Order by 2027-09-03 (Fri)")
    )
    assert "776" in next(x for x in text.splitlines() if "Total to order by 2027-09-02" in x)
    total = next(x for x in text.splitlines() if x.strip().startswith("Total ") and "order" not in x)
    assert "2,056" in total and " 3 " in total
    assert "五粮液" not in text


def test_nothing_planned_says_so(tmp_path: Path):
    out = tmp_path / "pick.pdf"
    rows = [_row(5, "五粮液", 2_398_00, "宜宾酒业", status="done")]
    build(GiftSchedule("Gifts", "2027-09", "account", rows, "CNY", dt.date(2027, 8, 20)), out)
    assert "No planned gifts to order in this range." in _text(out)[0]
