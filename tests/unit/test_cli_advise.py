"""`kamdesk advise` on the small demo, run as a person would from a terminal: JSON and text, name matching, and
an account with no value, no contacts and no team."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kamdesk.domain.models import AccountDetail


def _kamdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="en_US.UTF-8", LANGUAGE="en")
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("advise") / "demo.kamdb"
    result = _kamdesk("demo", str(path))
    assert result.returncode == 0, result.stderr
    return path


def _top_accounts(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return list(
            conn.execute(
                "SELECT name, coalesce(pinned_class, computed_class) FROM accounts WHERE value_cents IS NOT NULL "
                "ORDER BY value_cents DESC"
            )
        )


def test_json_for_the_largest_account(demo: Path) -> None:
    name, cls = _top_accounts(demo)[0]
    result = _kamdesk("advise", str(demo), "--account", name, "--format", "json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["account"]["name"] == name
    assert record["class"]["class"] == cls == "A" and record["class"]["rank"] == 1
    assert "ranks 1 of" in record["class"]["explanation"] and record["class"]["thresholds"]["A"] == 20
    strategy = record["strategy"]
    assert strategy["group"] in ("key", "maintain")  # the largest account is key unless its type rules it out
    facts = {r["fact"] for r in strategy["reasons"]}
    assert {"class", "attractiveness", "potential", "relationship", "customer_type", "sales_stage"} <= facts
    assert any(r["decisive"] for r in strategy["reasons"])
    people = record["contacts"]
    assert people and all({"stage", "target", "gap"} <= set(p) for p in people)
    gaps = [p["gap"] for p in people if p["gap"] is not None]
    assert gaps == sorted(gaps, reverse=True)
    assert isinstance(record["zipper"]["findings"], list)
    assert record["smart"]["plan"] is not None  # the demo's A accounts have plans
    letters = [x["letter"] for o in record["smart"]["objectives"] for x in o["letters"]]
    assert letters and set(letters) <= {"S", "M", "A", "T"}
    assert all(f["kind"] and f["message"] for f in record["zipper"]["findings"])
    assert record["cost_to_serve"]["total"] >= record["cost_to_serve"]["time_cost"] > 0
    assert record["problems"] == []


def test_text_reads_in_sections(demo: Path) -> None:
    name, _cls = _top_accounts(demo)[1]
    result = _kamdesk("advise", str(demo), "--account", name)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for heading in ("Class: A", "Strategy: ", "Because", "People against target", "Zipper", "SMART (latest plan)"):
        assert heading in text, heading
    assert "→ target" in text


def test_a_part_of_a_name_matching_several_lists_them(demo: Path) -> None:
    result = _kamdesk("advise", str(demo), "--account", "有限公司")
    assert result.returncode == 1
    assert "several accounts match" in result.stderr
    assert result.stderr.count("有限公司") >= 3
    missing = _kamdesk("advise", str(demo), "--account", "不存在的客户")
    assert missing.returncode == 1 and "no account is called" in missing.stderr


def test_an_account_with_no_value_contacts_or_team_gets_a_partial_answer(demo: Path, tmp_path: Path) -> None:
    from kamdesk.services.workspace import open_workspace

    copy = tmp_path / "copy.kamdb"
    copy.write_bytes(demo.read_bytes())
    workspace = open_workspace(copy, "测试")
    try:
        workspace.accounts.save(AccountDetail(name="宁波新起点贸易有限公司", sales_stage="potential"))
    finally:
        workspace.close()
    result = _kamdesk("advise", str(copy), "--account", "新起点贸易", "--format", "json")
    assert result.returncode == 0, result.stderr
    for words in ("no value recorded", "no contacts", "no account team"):
        assert words in result.stderr, words
    record = json.loads(result.stdout)
    assert record["class"]["class"] is None and "Not ranked" in record["class"]["explanation"]
    assert record["strategy"]["group"] == "prospect"
    assert record["contacts"] == [] and len(record["problems"]) == 3


def test_an_account_being_reduced_gets_no_call_for_new_ties(demo: Path) -> None:
    """A class-D account whose strategy is to reduce it: the zipper section asks for no introductions."""
    with sqlite3.connect(demo) as conn:
        names = [
            n
            for (n,) in conn.execute(
                "SELECT name FROM accounts WHERE coalesce(pinned_class, computed_class) = 'D' ORDER BY value_cents"
            )
        ]
    checked = 0
    for name in names:
        record = json.loads(_kamdesk("advise", str(demo), "--account", name, "--format", "json").stdout)
        if record["strategy"]["group"] != "reduce":
            continue
        checked += 1
        for finding in record["zipper"]["findings"]:
            assert finding["kind"] not in ("sponsor_no_tie", "unpaired_tier", "their_single_point"), name
            assert finding["severity"] != "problem" or finding["kind"] in ("no_ties", "no_team", "no_contacts")
            assert "Introduce" not in finding["suggestion"] and "Arrange for" not in finding["suggestion"]
        if checked >= 3:
            break
    assert checked


def test_a_stingy_customer_is_not_told_to_close_relationship_gaps(demo: Path) -> None:
    """Seed 004: a stingy customer (吝啬型) does not stay for the relationship and gets little time; the targets its
    class sets are shown with a word that they are no call to invest."""
    with sqlite3.connect(demo) as conn:
        stingy = [n for (n,) in conn.execute("SELECT name FROM accounts WHERE personality_type = 'stingy' LIMIT 2")]
        other = conn.execute("SELECT name FROM accounts WHERE personality_type = 'rational' LIMIT 1").fetchone()[0]
    assert stingy
    for name in stingy:
        result = _kamdesk("advise", str(demo), "--account", name, "--format", "text")
        assert result.returncode == 0, result.stderr
        people = result.stdout.split("People against target", 1)[1].split("Zipper", 1)[0]
        assert "not won by the relationship" in people
    record = json.loads(_kamdesk("advise", str(demo), "--account", other, "--format", "json").stdout)
    assert record["contacts_note"] == ""
