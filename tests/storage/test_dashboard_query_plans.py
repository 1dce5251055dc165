"""The dashboard's figures use the narrow indexes of schema 6 (issue 24): on a file server every page read
is a request, and a full scan of the activities (15,750 pages on the large demo) cost 64 MB a refresh.

Each statement the dashboard runs is explained by SQLite on a demo file: none may scan the activities
table, and the contacts only through the narrow (account, rank, stage) index."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event

from kamdesk.domain import clock
from kamdesk.services.demo import load_demo
from kamdesk.services.demo_data import DemoSize
from kamdesk.services.workspace import Workspace, open_workspace

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plans") / "demo.kamdb"
    load_demo(path, DemoSize.SMALL, user_name="测试", today=TODAY)
    return path


def _plans(ws: Workspace, path: Path, figure: Callable[[], object]) -> list[tuple[str, list[str]]]:
    """(statement, its query plan's lines) for every SELECT `figure` runs."""
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
        seen.append((statement, parameters))

    event.listen(ws.db.engine, "before_cursor_execute", record)
    try:
        figure()
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", record)
    raw = sqlite3.connect(path)
    try:
        return [
            (statement, [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)])
            for statement, parameters in seen
            if statement.lstrip().upper().startswith("SELECT")
        ]
    finally:
        raw.close()


@pytest.mark.parametrize("figure", ["pyramid and times", "target heat", "largest gaps"])
def test_no_dashboard_figure_scans_the_activities_or_the_wide_contacts_table(demo_file: Path, figure: str):
    clock.clock().fix(TODAY)
    ws = open_workspace(demo_file, "测试")
    try:
        run = {
            "pyramid and times": ws.accounts.dashboard,
            "target heat": ws.contacts.target_heat,
            "largest gaps": ws.contacts.largest_gaps,
        }[figure]
        plans = _plans(ws, demo_file, run)
    finally:
        ws.close()
    assert plans, "the figure read nothing?"
    for statement, plan in plans:
        first = statement.split("\n")[0][:100]
        assert not [line for line in plan if line.startswith("SCAN activities")], (first, plan)
        contacts = [line for line in plan if line.startswith("SCAN contacts")]
        assert all("COVERING INDEX ix_contacts_account_rank_stage" in line for line in contacts), (first, plan)
    if figure == "pyramid and times":
        used = " ".join(line for _statement, plan in plans for line in plan)
        assert "ix_activities_status_occurred" in used  # the pyramid's time by account, from the narrow index


def test_every_connection_keeps_a_page_cache_large_enough_for_a_screen_of_random_reads(demo_file: Path):
    from sqlalchemy import text

    from kamdesk.storage.database import PAGE_CACHE_KIB

    ws = open_workspace(demo_file, "测试")
    try:
        with ws.db.read() as session:
            assert session.execute(text("PRAGMA cache_size")).scalar() == -PAGE_CACHE_KIB
    finally:
        ws.close()
    assert PAGE_CACHE_KIB >= 16_384  # SQLite's default, 2,000 KiB, made the dashboard read pages up to 3 times
