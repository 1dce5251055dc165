"""Contact search from memory (issue 24): the same people in the same order as the SQL search, kept fresh
by the change log, and a keystroke that no longer scans the search table."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import event

from kamdesk.domain import clock
from kamdesk.domain.contacts import ContactQuery
from kamdesk.services.demo import load_demo
from kamdesk.services.demo_data import DemoSize
from kamdesk.services.workspace import Workspace, open_workspace
from kamdesk.storage import contacts as store
from kamdesk.storage import repositories as repo

TODAY = dt.date(2026, 11, 23)
TEXTS = [
    "王",
    "王建",
    "w",
    "wang",
    "zh",
    "zhangwei",
    "zw",
    "经理",
    "采购",
    "苏州",
    "shanghai",
    "中国",
    "zgyd",
    "-",
    "138",
    "xyzq",
]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "demo.kamdb"
    load_demo(path, DemoSize.SMALL, user_name="测试", today=TODAY)
    return path


@pytest.fixture
def ws(demo_file: Path, tmp_path: Path) -> Iterator[Workspace]:
    copy = tmp_path / "demo.kamdb"
    copy.write_bytes(demo_file.read_bytes())
    clock.clock().fix(TODAY)
    workspace = open_workspace(copy, "测试")
    yield workspace
    workspace.close()


def _sql_page(ws: Workspace, query: ContactQuery, limit: int) -> tuple[list[str], int]:
    """The list as the SQL search alone finds and sorts it (the way every keystroke read it before)."""
    with ws.db.read() as session:
        settings = repo.load_team_settings(session)
        total = store.count_contacts(session, query, settings)
        items = store.contact_page(session, query, settings, 0, limit, total)
    return [f"{i.name}|{i.account_name}" for i in items], total


@pytest.mark.parametrize("descending", [False, True])
def test_memory_search_finds_what_the_sql_search_finds_in_the_same_order(ws: Workspace, descending: bool):
    found_any = 0
    for text in TEXTS:
        query = ContactQuery(search=text, descending=descending)
        items, total = ws.contacts.first_page(query, 40)
        assert ([f"{i.name}|{i.account_name}" for i in items], total) == _sql_page(ws, query, 40), text
        found_any += bool(total)
        if total > 40:  # the next page continues where the first stopped
            more = ws.contacts.page(query, 40, 40, total)
            with ws.db.read() as session:
                sql_more = store.contact_page(session, query, repo.load_team_settings(session), 40, 40, total)
            assert [i.id for i in more] == [i.id for i in sql_more], text
    assert found_any >= 10  # the texts are ones a salesperson types, most of them find someone


def test_search_with_a_filter_or_another_sort_agrees_with_sql(ws: Workspace):
    for query in (
        ContactQuery(search="王", rank_tier="top"),
        ContactQuery(search="经理", sort_key="city"),
        ContactQuery(search="zh", gap="below", sort_key="gap", descending=True),
    ):
        items, total = ws.contacts.first_page(query, 30)
        assert ([f"{i.name}|{i.account_name}" for i in items], total) == _sql_page(ws, query, 30), query


def test_a_keystroke_reads_no_search_table_once_the_lines_are_in_memory(ws: Workspace):
    ws.contacts.prepare_search()
    statements: list[str] = []
    event.listen(ws.db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    items, total = ws.contacts.first_page(ContactQuery(search="wang"), 50)
    assert total > 0 and items
    assert not [s for s in statements if "contact_search" in s]
    assert not [s for s in statements if "count(" in s.lower()]  # the count is known from memory
    assert statements == []  # the rows too were read ahead: no unit of work at all


def test_a_keystroke_costs_one_look_at_the_change_counter_and_reads_only_rows_not_yet_read(ws: Workspace, monkeypatch):
    ws.contacts.search_index.prepare()  # the lines only: no row read ahead yet
    looks: list[int | None] = []
    real_counter = ws.db.change_counter
    monkeypatch.setattr(ws.db, "change_counter", lambda: looks.append(real_counter()) or looks[-1])
    statements: list[str] = []
    event.listen(ws.db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    first, total = ws.contacts.first_page(ContactQuery(search="wang"), 20)
    assert total > 20 and len(first) == 20 and len(looks) == 1 and looks[0] is not None
    assert len([s for s in statements if s.startswith("BEGIN")]) == 1  # the 20 rows by key, in one read
    statements.clear()
    again, _total = ws.contacts.first_page(ContactQuery(search="wan"), 10)  # wang's people are among wan's
    assert len(looks) == 2
    if {i.id for i in again} <= {i.id for i in first}:
        assert statements == []
    else:
        assert len([s for s in statements if s.startswith("BEGIN")]) == 1
    assert again == _first_page_by_sql(ws, "wan", 10)[0]
    ws.contacts.page(ContactQuery(search="wang"), 20, 20, total)
    statements.clear()
    forty = ws.contacts.page(ContactQuery(search="wang"), 0, 40, total)
    assert statements == [] and len(looks) == 4  # the first 40 were all read: memory only
    assert forty == _first_page_by_sql(ws, "wang", 40)[0]


def test_rows_kept_in_memory_follow_a_colleagues_save_without_being_told(ws: Workspace):
    ws.contacts.prepare_search()
    before, _total = ws.contacts.first_page(ContactQuery(search="王"), 5)
    colleague = open_workspace(ws.db.path, "同事")
    try:
        detail = colleague.contacts.get(before[0].id)
        assert detail is not None
        colleague.contacts.save(replace(detail, title="采购总监（新）", city="拉萨"))
    finally:
        colleague.close()
    after, _total = ws.contacts.first_page(ContactQuery(search="王"), 5)  # the change counter moved
    assert (after[0].id, after[0].title, after[0].city) == (before[0].id, "采购总监（新）", "拉萨")
    assert after == _first_page_by_sql(ws, "王", 5)[0]


def test_a_colleagues_changes_are_found_after_the_change_notice(ws: Workspace):
    ws.contacts.prepare_search()
    colleague = open_workspace(ws.db.path, "同事")
    try:
        first = colleague.contacts.page(ContactQuery(search="王"), 0, 1)[0]
        detail = colleague.contacts.get(first.id)
        assert detail is not None
        colleague.contacts.save(replace(detail, name="欧阳修远"))
        gone = colleague.contacts.page(ContactQuery(search="王"), 1, 1)[0]
        gone_detail = colleague.contacts.get(gone.id)
        assert gone_detail is not None
        colleague.contacts.delete(gone.id, gone_detail.version)
    finally:
        colleague.close()
    # Not told: the file's change counter moved, so the next keystroke reads the change log first.
    items, total = ws.contacts.first_page(ContactQuery(search="ouyangxiuyuan"), 10)
    assert [i.id for i in items] == [first.id] and total == 1
    assert gone.id not in ws.contacts.search_index.matches("王")
    assert ws.contacts.first_page(ContactQuery(search="王"), 500) == _first_page_by_sql(ws, "王", 500)


def _first_page_by_sql(ws: Workspace, text: str, limit: int) -> tuple[list[object], int]:
    query = ContactQuery(search=text)
    with ws.db.read() as session:
        settings = repo.load_team_settings(session)
        total = store.count_contacts(session, query, settings)
        return store.contact_page(session, query, settings, 0, limit, total), total


def test_own_save_is_found_at_once_and_a_renamed_company_finds_its_people(ws: Workspace):
    ws.contacts.prepare_search()
    some = ws.contacts.page(ContactQuery(), 0, 1)[0]
    detail = ws.contacts.get(some.id)
    assert detail is not None and detail.account_id is not None
    ws.contacts.save(replace(detail, title="首席品酒师"))
    assert [i.id for i in ws.contacts.first_page(ContactQuery(search="品酒"), 5)[0]] == [some.id]
    account = ws.accounts.get(detail.account_id)
    account.name = "青藏高原牦牛乳业"
    ws.accounts.save(account)
    ws.contacts.contacts_changed()
    found = ws.contacts.search_index.matches("牦牛乳业")
    assert some.id in found and len(found) == ws.contacts.count(ContactQuery(account_id=detail.account_id))


def test_a_file_in_small_pages_reads_no_rows_ahead_and_keeps_those_a_keystroke_read(ws: Workspace, tmp_path: Path):
    small = tmp_path / "small-pages.kamdb"
    small.write_bytes(Path(ws.db.path).read_bytes())
    with sqlite3.connect(small) as plain:  # the file as older kamdesk made it: 4 KB pages
        plain.execute("PRAGMA page_size = 4096")
        plain.execute("VACUUM")
    plain.close()
    workspace = open_workspace(small, "测试")
    try:
        workspace.contacts.prepare_search()
        assert workspace.contacts.row_cache._items == {}  # some 3,300 requests on the large demo: not read ahead
        statements: list[str] = []
        event.listen(workspace.db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        first = workspace.contacts.first_page(ContactQuery(search="wang"), 30)
        assert len([s for s in statements if s.startswith("BEGIN")]) == 1  # the page's own rows
        statements.clear()
        assert workspace.contacts.first_page(ContactQuery(search="wang"), 30) == first
        assert statements == []  # read once, kept while the file does not change
        assert first == _first_page_by_sql(workspace, "wang", 30)
    finally:
        workspace.close()


@pytest.mark.parametrize("descending", [False, True])
def test_the_whole_list_by_name_comes_from_memory_once_the_lines_are_in(ws: Workspace, descending: bool):
    statements: list[str] = []
    event.listen(ws.db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    everyone = ContactQuery(descending=descending)
    before = ws.contacts.first_page(everyone, 40)  # the lines are not in memory yet: SQL, as before
    assert [s for s in statements if "count(" in s.lower()]
    ws.contacts.prepare_search()
    statements.clear()
    items, total = ws.contacts.first_page(everyone, 40)
    assert statements == []  # the search box emptied: no read at all
    assert (items, total) == before
    more = ws.contacts.page(everyone, 40, 40, total)
    with ws.db.read() as session:
        assert more == store.contact_page(session, everyone, repo.load_team_settings(session), 40, 40, total)
    filtered = ws.contacts.first_page(ContactQuery(rank_tier="top", descending=descending), 40)
    assert filtered == _sql_page_items(ws, ContactQuery(rank_tier="top", descending=descending), 40)


def _sql_page_items(ws: Workspace, query: ContactQuery, limit: int) -> tuple[list[object], int]:
    with ws.db.read() as session:
        settings = repo.load_team_settings(session)
        total = store.count_contacts(session, query, settings)
        return store.contact_page(session, query, settings, 0, limit, total), total


def test_reading_the_lines_and_rows_ahead_leaves_the_gui_thread_a_turn_between_batches(ws: Workspace, monkeypatch):
    """Turning 30,000 lines and rows into Python objects holds Python's lock: between batches the work pauses,
    so a window painting meanwhile (its every cell a call into Python) is not kept waiting behind it all."""
    import math

    from kamdesk.services import contact_search

    pauses: list[float] = []
    real_sleep = contact_search.time.sleep
    monkeypatch.setattr(contact_search.time, "sleep", lambda s: pauses.append(s) or real_sleep(s))
    ws.contacts.prepare_search()
    contacts = len(ws.contacts.search_index.contact_ids())
    assert contacts > 250 and len(ws.contacts.row_cache._items) == contacts
    assert len(pauses) >= math.ceil(contacts / 2_000) + math.ceil(contacts / 250)
    assert all(0 < s <= 0.005 for s in pauses)  # short: the read ahead still ends soon
