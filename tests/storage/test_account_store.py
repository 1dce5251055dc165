"""Accounts on a real team file: save and load, conflicts, recompute and moves, pins, filters, dashboard."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from storage_helpers import raw_sql

from kamdesk.domain.accounts import AccountValidationError
from kamdesk.domain.enums import AccountClass, SalesStage, TeamRole
from kamdesk.domain.models import AccountDetail, AccountQuery, AccountValue, TeamAssignment
from kamdesk.domain.settings import TeamSettings
from kamdesk.services.accounts import AccountService
from kamdesk.services.demo import load_demo
from kamdesk.services.workspace import (
    ConflictError,
    DatabaseBusyError,
    ReadOnlyError,
    Workspace,
    open_workspace,
)
from kamdesk.storage.opening import open_database

pytestmark = pytest.mark.both_backends

TODAY = dt.date(2026, 11, 23)
A, B, C, D = AccountClass.A, AccountClass.B, AccountClass.C, AccountClass.D


@pytest.fixture
def ws(db_target: str | Path):
    workspace = open_workspace(db_target, "alice", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def _account(name: str, revenue_yuan: int | None, **fields) -> AccountDetail:
    values = [AccountValue("2026", revenue_yuan * 100, None)] if revenue_yuan is not None else []
    return AccountDetail(name=name, values=values, **fields)


def _seed(ws: Workspace, values: dict[str, int | None]) -> dict[str, int]:
    ids = {}
    for name, revenue in values.items():
        ids[name], _result = ws.accounts.save(_account(name, revenue))
    return ids


def _classes(service: AccountService, ids: dict[str, int]) -> dict[str, AccountClass | None]:
    return {name: service.get(i).computed_class for name, i in ids.items()}


def test_an_account_saves_and_loads_with_values_team_and_search_keys(ws: Workspace):
    member_id = _add_member(ws, "王芳")
    detail = _account(
        "中国移动通信集团江苏有限公司",
        1_000_000,
        city="南京",
        sales_stage="formal",
        potential_cents=300_000_000,
        owner_id=member_id,
    )
    detail.values.append(AccountValue("2026-Q3", 25_000_000, -1_000_000))
    detail.team = [TeamAssignment(member_id, TeamRole.ACCOUNT_MANAGER.value)]
    account_id, _result = ws.accounts.save(detail)
    loaded = ws.accounts.get(account_id)
    assert loaded.name == detail.name and loaded.city == "南京" and loaded.owner_id == member_id
    assert loaded.values == [AccountValue("2026", 100_000_000, None), AccountValue("2026-Q3", 25_000_000, -1_000_000)]
    assert loaded.team == [TeamAssignment(member_id, "account_manager", "王芳")]
    assert loaded.computed_class is A and loaded.version == 1 and loaded.updated_by == "alice"
    assert [i.name for i in ws.accounts.page(AccountQuery(search="zgyd"), 0, 10)] == [detail.name]


def test_values_and_team_are_replaced_not_appended(ws: Workspace):
    member_id = _add_member(ws, "李强")
    account_id, _ = ws.accounts.save(_account("Acme", 10, team=[TeamAssignment(member_id, "sales")]))
    detail = ws.accounts.get(account_id)
    detail.values = [AccountValue("2025", 700, 100)]
    detail.team = [TeamAssignment(member_id, "executive_sponsor")]
    ws.accounts.save(detail)
    again = ws.accounts.get(account_id)
    assert again.values == [AccountValue("2025", 700, 100)]
    assert [t.role for t in again.team] == ["executive_sponsor"]


def test_a_stale_save_is_a_conflict_and_changes_nothing(ws: Workspace, db_target: str | Path):
    account_id, _ = ws.accounts.save(_account("Acme", 10))
    mine = ws.accounts.get(account_id)
    bob = open_workspace(db_target, "bob")
    try:
        theirs = bob.accounts.get(account_id)
        theirs.city = "苏州"
        bob.accounts.save(theirs)
    finally:
        bob.close()
    mine.city = "上海"
    with pytest.raises(ConflictError) as caught:
        ws.accounts.save(mine)
    assert "bob" in str(caught.value)
    assert ws.accounts.get(account_id).city == "苏州"


def test_an_invalid_account_writes_nothing(ws: Workspace):
    with pytest.raises(AccountValidationError):
        ws.accounts.save(AccountDetail(name="  ", potential_cents=-5))
    assert ws.accounts.count(AccountQuery()) == 0


def test_recompute_classes_every_account_and_lists_the_moves(ws: Workspace):
    ids = _seed(
        ws,
        {
            "a": 1000,
            "b": 900,
            "c": 800,
            "d": 700,
            "e": 600,
            "f": 500,
            "g": 400,
            "h": 300,
            "i": 200,
            "j": 100,
            "prospect": None,
        },
    )
    assert _classes(ws.accounts, ids) == {
        "a": A,
        "b": A,
        "c": B,
        "d": B,
        "e": C,
        "f": C,
        "g": C,
        "h": C,
        "i": D,
        "j": D,
        "prospect": None,
    }
    assert ws.accounts.recompute().moved == []  # nothing changed, nothing moves
    j = ws.accounts.get(ids["j"])
    j.values = [AccountValue("2026", 2_000 * 100, None)]
    _id, result = ws.accounts.save(j)
    moved = {(ws.accounts.get(i).name, old, new) for i, old, new in result.moved}
    assert ("j", D, A) in moved and ("b", A, B) in moved and ("d", B, C) in moved and ("h", C, D) in moved
    history = ws.accounts.history(ids["j"])
    assert (history[0].old_class, history[0].new_class, history[0].reason, history[0].by) == (
        D,
        A,
        "recomputed",
        "alice",
    )
    movements = ws.accounts.dashboard().movements
    assert {(m.name, m.old, m.new) for m in movements} >= moved


def test_a_pin_needs_a_reason_shows_distinctly_and_is_kept_in_history(ws: Workspace):
    ids = _seed(ws, {"big": 1000, "small": 10})
    small = ws.accounts.get(ids["small"])
    with pytest.raises(AccountValidationError):
        ws.accounts.pin(small.id, small.version, A, "")
    ws.accounts.pin(small.id, small.version, A, "集团指定的战略伙伴")
    pinned = ws.accounts.get(ids["small"])
    assert (pinned.computed_class, pinned.pinned_class, pinned.effective_class) == (C, A, A)
    assert pinned.pinned_by == "alice" and pinned.pin_reason == "集团指定的战略伙伴"
    item = ws.accounts.page(AccountQuery(account_class=A), 0, 10)
    assert {i.name for i in item} == {"big", "small"}
    assert ws.accounts.history(ids["small"])[0].reason.startswith("pinned")
    ws.accounts.pin(pinned.id, pinned.version, None, "")
    assert ws.accounts.get(ids["small"]).effective_class is C


def test_changing_the_measure_and_thresholds_recomputes(ws: Workspace):
    ids = {}
    for name, revenue, profit, potential in (("volume", 1000, 10, 100), ("margin", 500, 400, 9_000)):
        detail = AccountDetail(
            name=name, values=[AccountValue("2026", revenue * 100, profit * 100)], potential_cents=potential * 100
        )
        ids[name], _ = ws.accounts.save(detail)
    assert _classes(ws.accounts, ids) == {"volume": A, "margin": C}
    result = ws.settings.save(TeamSettings(value_measure="profit"))
    assert _classes(ws.accounts, ids) == {"volume": C, "margin": A}
    assert len(result.moved) == 2
    ws.settings.save(TeamSettings(value_window="potential"))
    assert ws.accounts.get(ids["margin"]).value_cents == 900_000
    ws.settings.save(TeamSettings(class_thresholds={"A": 50, "B": 60, "C": 99, "D": 100}))
    # Back on revenue: two accounts, the second has 50% ahead of it, which is now still class B.
    assert _classes(ws.accounts, ids) == {"volume": A, "margin": B}


def test_filters_combine_in_sql(ws: Workspace):
    owner = _add_member(ws, "张伟")
    ws.accounts.save(_account("上海甲", 10, city="上海", sales_stage="formal", owner_id=owner))
    ws.accounts.save(_account("上海乙", 20, city="上海", sales_stage="trial"))
    ws.accounts.save(
        _account("苏州丙", 30, city="苏州", sales_stage="formal", cycle_stage="growth", relationship_type="partner")
    )

    def names(**filters) -> set[str]:
        return {i.name for i in ws.accounts.page(AccountQuery(**filters), 0, 50)}

    assert names(city="上海") == {"上海甲", "上海乙"}
    assert names(city="上海", sales_stage="formal") == {"上海甲"}
    assert names(owner_id=owner) == {"上海甲"}
    assert names(cycle_stage="growth", relationship_type="partner") == {"苏州丙"}
    assert names(search="sh", sales_stage="trial") == {"上海乙"}
    assert ws.accounts.count(AccountQuery(city="上海")) == 2
    assert ws.accounts.cities() == ["上海", "苏州"]


def test_a_busy_file_is_a_clear_error_and_saves_nothing(tmp_path: Path):
    path = tmp_path / "team.kamdb"
    open_workspace(path, "alice", create=True).close()
    ws = Workspace(open_database(path, "alice", busy_timeout_ms=100))
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusyError):
            ws.accounts.save(_account("Acme", 10))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert ws.accounts.count(AccountQuery()) == 0
    ws.close()


def test_a_read_only_file_refuses_saves(tmp_path: Path):
    path = tmp_path / "team.kamdb"
    open_workspace(path, "alice", create=True).close()
    ws = open_workspace(path, "alice", read_only=True)
    with pytest.raises(ReadOnlyError):
        ws.accounts.save(_account("Acme", 10))
    ws.close()


def test_recompute_writes_the_change_log(ws: Workspace, db_log: Callable[[Workspace], list[dict]]):
    ids = _seed(ws, {"x": 10, "y": 20})
    entries = [e for e in db_log(ws) if e["table_name"] == "accounts" and e["row_id"] == str(ids["x"])]
    assert any(json.loads(e["changes_json"]).get("computed_class") == "C" for e in entries)


def test_the_demo_file_needs_no_recompute_and_feeds_the_dashboard(tmp_path: Path):
    path = tmp_path / "demo.kamdb"
    load_demo(path, "small", today=TODAY)
    ws = open_workspace(path, "alice")
    ws.clock.fix(TODAY)
    try:
        result = ws.accounts.recompute()
        assert (result.moved, result.values_changed) == ([], 0)
        data = ws.accounts.dashboard()
        shares = data.pareto.class_shares()
        assert abs(sum(shares.values()) - 100) < 1e-6 and shares["A"] > shares["B"] > shares["D"]
        assert sum(r.accounts for r in data.pyramid.rows) == 60
        assert sum(r.minutes for r in data.pyramid.rows) > 0
        assert sum(data.by_stage.values()) == 60 and sum(data.by_class.values()) == 60
        assert data.by_class.get(SalesStage.FORMAL.value) is None  # keys are classes, not stages
    finally:
        ws.close()


def _add_member(ws: Workspace, name: str) -> int:
    rows = raw_sql(
        ws.db,
        "INSERT INTO team_members (name, name_pinyin, name_initials, title, department, email, phone, active,"
        " version, created_at, updated_at, updated_by) VALUES (:name, '', '', '', '', '', '', TRUE, 1, :at, :at,"
        " 'test') RETURNING id",
        name=name,
        at=dt.datetime(2026, 1, 1),
    )
    return int(rows[0]["id"])


@pytest.fixture
def db_log() -> Callable[[Workspace], list[dict]]:
    def read(ws: Workspace) -> list[dict]:
        return raw_sql(ws.db, "SELECT * FROM change_log ORDER BY id")

    return read


def test_a_search_of_only_punctuation_finds_it_literally(ws: Workspace):
    _seed(ws, {"100% Quality Co": 10, "Plain": 20})
    assert [i.name for i in ws.accounts.page(AccountQuery(search="%"), 0, 10)] == ["100% Quality Co"]
    assert ws.accounts.page(AccountQuery(search="_"), 0, 10) == []


def test_a_save_that_leaves_values_alone_does_not_reclass_every_account(ws: Workspace, monkeypatch: pytest.MonkeyPatch):
    """On a file server re-reading every account's values under the write lock costs hundreds of requests."""
    from kamdesk.storage import accounts as account_store

    ids = _seed(ws, {"华为": 1000, "中兴": 500, "小米": 100})
    calls: list[int] = []
    real = account_store.recompute
    monkeypatch.setattr(account_store, "recompute", lambda *a, **k: calls.append(1) or real(*a, **k))
    detail = ws.accounts.get(ids["小米"])
    detail.notes = "只改备注 <b>&</b> 🚀"
    ws.accounts.save(detail)
    assert calls == []
    detail = ws.accounts.get(ids["小米"])
    detail.values = [AccountValue("2026", 2_000 * 100, None)]  # now the biggest: classes move
    _id, result = ws.accounts.save(detail)
    assert calls == [1] and result.moved
    assert _classes(ws.accounts, ids)["小米"] == A
    ws.accounts.save(_account("新客户", 50))
    assert calls == [1, 1]
