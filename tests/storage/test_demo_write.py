"""Writing the demo book into a real file: counts, foreign keys and integrity after reopening."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kamdesk.services.demo import load_demo
from kamdesk.services.demo_data import TABLE_ORDER, DemoSize, generate_demo
from kamdesk.storage.bulk import count_rows, write_demo
from kamdesk.storage.opening import open_database
from kamdesk.storage.tables import AccountRow, ActivityRow, ChangeLogRow, ContactRow, TeamMemberRow

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("demo") / "demo.kamdb"
    seen: list[tuple[str, int]] = []
    counts = load_demo(
        path, DemoSize.SMALL, user_name="测试", today=TODAY, progress=lambda table, n: seen.append((table, n))
    )
    assert {table for table, _n in seen} == set(TABLE_ORDER)
    return path, counts


def test_counts_match_after_reopening(demo_file: tuple[Path, dict[str, int]]):
    path, counts = demo_file
    plans = counts.pop("account_plans")
    assert counts.pop("gift_catalogue") > 5 and counts.pop("visits") > 5
    assert counts.pop("contact_events") >= 2  # sensitive events the notes mention, and a bereavement
    agenda = counts.pop("agenda")  # the weeks ahead, planned by the follow-up planners
    assert agenda > 100
    assert counts == generate_demo(DemoSize.SMALL, today=TODAY).counts()
    assert plans > 0
    db = open_database(path, "someone else")
    try:
        in_file = {table: count_rows(db, table) for table in TABLE_ORDER}
        assert in_file == {**counts, "activities": counts["activities"] + agenda}
        with db.read() as session:
            logged = session.scalars(select(ChangeLogRow).where(ChangeLogRow.table_name == "demo_data")).all()
            assert len(logged) == 1
            assert logged[0].by == "测试" and logged[0].table_name == "demo_data"
            assert json.loads(logged[0].changes_json)["rows"]["accounts"] == counts["accounts"]
            class_a = session.scalar(
                select(func.count())
                .select_from(AccountRow)
                .where(func.coalesce(AccountRow.pinned_class, AccountRow.computed_class) == "A")
            )
            assert plans == class_a  # each class A account has its current plan
            top = session.scalars(select(AccountRow).order_by(AccountRow.value_cents.desc())).first()
            assert top is not None and top.computed_class == "A"
            assert isinstance(top.last_contact_on, dt.date)
            assert top.version == 1 and top.updated_by == "demo"
            shan = session.scalars(select(ContactRow).where(ContactRow.name_pinyin.like("shan%"))).all()
            assert shan
            planned = session.scalar(
                select(func.count())
                .select_from(ActivityRow)
                .where(ActivityRow.status == "planned", ActivityRow.due_on > TODAY)
            )
            assert planned
    finally:
        db.dispose()


def test_foreign_keys_and_integrity_hold(demo_file: tuple[Path, dict[str, int]]):
    path, _counts = demo_file
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        conn.close()


def test_a_file_with_accounts_is_refused_untouched(demo_file: tuple[Path, dict[str, int]]):
    path, _counts = demo_file
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(ValueError, match="already holds"):
        load_demo(path, DemoSize.SMALL)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_an_unknown_size_is_refused_before_a_file_is_made(tmp_path: Path):
    with pytest.raises(ValueError, match="small, large"):
        load_demo(tmp_path / "x.kamdb", "huge")
    assert not (tmp_path / "x.kamdb").exists()


def test_write_demo_takes_flat_rows_and_adds_version_columns(tmp_path: Path):
    db = open_database(tmp_path / "flat.kamdb", "李娜", create=True)
    try:
        rows = [
            {
                "id": i,
                "name": f"测试{i}",
                "name_pinyin": "",
                "name_initials": "",
                "title": "",
                "department": "",
                "rank_tier": None,
                "role": None,
                "email": "",
                "phone": "",
                "active": True,
                "left_on": None,
            }
            for i in range(1, 12_001)
        ]
        written: list[int] = []
        counts = write_demo(db, {"team_members": iter(rows)}, progress=lambda _t, n: written.append(n))
        assert counts == {"team_members": 12_000}
        assert written == [5_000, 10_000, 12_000]
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(ChangeLogRow)) == 1
            member = session.get(TeamMemberRow, 12_000)
            assert member is not None and member.version == 1 and member.updated_by == "李娜"
        with pytest.raises(ValueError, match="not kamdesk tables"):
            write_demo(db, {"songs": []})
    finally:
        db.dispose()
