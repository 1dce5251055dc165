"""`kamdesk propose FILE festival-gifts|everyday-gifts|special-gifts`: JSON and CSV from the same engine as the
window, nothing written, and clear refusals for bad input."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest

from kamdesk.cli import run
from kamdesk.cli_propose import CSV_COLUMNS
from kamdesk.domain import clock
from kamdesk.services.demo import load_demo
from kamdesk.services.demo_data import DemoSize
from kamdesk.services.workspace import open_workspace

TODAY = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.kamdb"
    load_demo(path, DemoSize.SMALL, user_name="测试", today=TODAY)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _propose(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    clock.clock().fix(TODAY)
    code = run(["propose", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_festival_gifts_as_json_fit_the_budget_and_write_nothing(demo: Path, capsys: pytest.CaptureFixture[str]):
    before = _digest(demo)
    args = ("festival-gifts", "--festival", "spring-festival", "--year", "2027", "--budget", "20000")
    code, out, err = _propose(capsys, str(demo), *args)
    assert code == 0, err
    plan = json.loads(out)
    assert plan["kind"] == "festival_gifts" and plan["budget"] == 20000 and 0 < plan["total"] <= 20000
    assert len(plan["proposals"]) >= 20
    for record in plan["proposals"]:
        assert {"contact", "account", "account_class", "rank", "date", "item", "cost", "reason", "warnings"} <= set(
            record
        )
        assert record["reason"] and isinstance(record["warnings"], list) and record["account_class"] in "ABC"
        assert "月饼" not in record["item"]
    assert any("Spring Festival falls on 2027-02-06" in n for n in plan["notes"])
    assert _digest(demo) == before


def test_the_three_gift_kinds_as_csv(demo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path):
    for args in (
        ("festival-gifts", "--festival", "dragon-boat", "--year", "2027"),
        ("festival-gifts", "--festival", "mid-autumn", "--year", "2027"),
        ("everyday-gifts", "--from", "2026-12-05", "--to", "2027-06-05"),
        ("special-gifts",),
    ):
        out_path = tmp_path / f"{args[0]}.csv"
        code, out, err = _propose(capsys, str(demo), *args, "--format", "csv", "-o", str(out_path))
        assert code == 0, (args, err)
        rows = list(csv.reader(io.StringIO(out_path.read_text(encoding="utf-8-sig"))))
        assert tuple(rows[0]) == CSV_COLUMNS and len(rows) > 1, args
        kinds = {r[0] for r in rows[1:]}
        assert kinds == {args[0].replace("-gifts", "_gift")}, kinds
        assert all(r[CSV_COLUMNS.index("reason")] for r in rows[1:])


def test_bad_input_gets_a_clear_message(demo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path):
    with pytest.raises(SystemExit) as stop:
        _propose(capsys, str(demo), "festival-gifts", "--festival", "qingming", "--year", "2027")
    assert stop.value.code == 2 and "invalid choice" in capsys.readouterr().err
    code, _out, err = _propose(
        capsys, str(demo), "festival-gifts", "--festival", "spring-festival", "--year", "2027", "--budget", "0"
    )
    assert code == 2 and "budget" in err
    empty = tmp_path / "empty.kamdb"
    open_workspace(empty, "测试", create=True).close()
    code, out, err = _propose(capsys, str(empty), "festival-gifts", "--festival", "mid-autumn", "--year", "2027")
    assert code == 2 and "catalogue is empty" in err and out == ""
    code, _out, err = _propose(capsys, str(empty), "everyday-gifts", "--from", "2027-01-10", "--to", "2027-01-01")
    assert code == 2 and "--to" in err


def test_dash_as_the_output_means_the_screen(
    demo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """`-o -` prints, as command-line tools do, instead of writing a file named "-" where the command runs."""
    monkeypatch.chdir(tmp_path)
    code, out, err = _propose(capsys, str(demo), "outreach", "--place", "甘肃", "-o", "-")
    assert code == 0, err
    assert json.loads(out)["kind"] == "outreach" and not (tmp_path / "-").exists()
    clock.clock().fix(TODAY)
    assert run(["advise", str(demo), "--account", "中国移动通信集团上海有限公司", "-o", "-"]) == 0
    assert "中国移动通信集团上海有限公司" in capsys.readouterr().out and not (tmp_path / "-").exists()
