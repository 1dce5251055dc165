"""Every change is logged in its own transaction, and every editable row carries its version and author."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from sqlalchemy import func, inspect, select

from kamdesk.storage.database import Database
from kamdesk.storage.tables import (
    VERSIONED_TABLES,
    AccountRow,
    Base,
    ChangeLogRow,
    ContactRow,
    SettingRow,
    TeamMemberRow,
)

pytestmark = pytest.mark.both_backends

#: Tables that are appended to or rewritten by kamdesk itself, never edited by a person.
APPEND_ONLY_TABLES = {
    "change_log",
    "presence",
    "account_class_history",
    "contact_stage_history",
    "account_stage_history",
}
#: Kept by triggers from other tables; nobody edits them.
DERIVED_TABLES = {"contact_search"}


def _log(db: Database) -> list[ChangeLogRow]:
    with db.read() as session:
        rows = list(session.scalars(select(ChangeLogRow).order_by(ChangeLogRow.id)))
        session.expunge_all()
        return rows


def _changes(entry: ChangeLogRow) -> dict[str, object]:
    return json.loads(entry.changes_json)


class Boom(Exception):
    pass


# Change log ---------------------------------------------------------------------------------------
def test_an_insert_is_logged_with_who_where_and_what(db: Database):
    with db.write() as session:
        row = AccountRow(name="中国移动", city="北京", value_cents=12_345)
        session.add(row)
        session.flush()
        account_id = row.id
    (entry,) = _log(db)
    assert (entry.by, entry.host, entry.table_name, entry.row_id, entry.action) == (
        "alice",
        db.host,
        "accounts",
        str(account_id),
        "insert",
    )
    changes = _changes(entry)
    assert changes["name"] == "中国移动" and changes["city"] == "北京" and changes["value_cents"] == 12_345
    assert not {"version", "updated_at", "updated_by", "created_at"} & changes.keys()
    assert abs(entry.at - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=1)


def test_an_update_logs_only_the_changed_fields_old_and_new(db: Database, open_as: Callable[..., Database]):
    with db.write() as session:
        session.add(AccountRow(id=7, name="中国移动", city="北京", notes="old"))
    bob = open_as("bob")
    with bob.write() as session:
        row = session.get(AccountRow, 7)
        row.notes = "new"
        row.city = "上海"
        row.name = "中国移动"  # set to the same value: not a change
    entry = _log(db)[-1]
    assert (entry.by, entry.table_name, entry.row_id, entry.action) == ("bob", "accounts", "7", "update")
    assert _changes(entry) == {"city": ["北京", "上海"], "notes": ["old", "new"]}


def test_dates_and_nulls_are_logged_as_text_and_null(db: Database):
    with db.write() as session:
        session.add(ContactRow(id=3, name="曾国藩", last_contact_on=dt.date(2026, 1, 2)))
    with db.write() as session:
        session.get(ContactRow, 3).last_contact_on = None
    entry = _log(db)[-1]
    assert _changes(entry) == {"last_contact_on": ["2026-01-02", None]}


def test_a_delete_is_logged(db: Database):
    with db.write() as session:
        session.add(TeamMemberRow(id=4, name="单雄信"))
    with db.write() as session:
        session.delete(session.get(TeamMemberRow, 4))
    entry = _log(db)[-1]
    assert (entry.table_name, entry.row_id, entry.action, entry.by) == ("team_members", "4", "delete", "alice")


def test_a_save_that_changes_nothing_logs_nothing(db: Database):
    with db.write() as session:
        session.add(AccountRow(id=1, name="中国移动", notes="same"))
    with db.write() as session:
        session.get(AccountRow, 1).notes = "same"
    assert [e.action for e in _log(db)] == ["insert"]
    with db.read() as session:
        assert session.get(AccountRow, 1).version == 1


def test_a_rolled_back_write_leaves_neither_change_nor_log(db: Database):
    with db.write() as session:
        session.add(AccountRow(id=1, name="中国移动", notes="kept"))
    with pytest.raises(Boom), db.write() as session:
        session.get(AccountRow, 1).notes = "lost"
        session.add(AccountRow(id=2, name="华为"))
        session.flush()  # the change-log rows are written by now, in the same transaction
        assert session.scalar(select(func.count()).select_from(ChangeLogRow)) == 3
        raise Boom
    with db.read() as session:
        assert session.get(AccountRow, 1).notes == "kept"
        assert session.get(AccountRow, 2) is None
    assert [e.action for e in _log(db)] == ["insert"]


def test_several_flushes_in_one_unit_of_work_are_all_logged(db: Database):
    with db.write() as session:
        row = AccountRow(name="中国移动")
        session.add(row)
        session.flush()
        row.notes = "after the first flush"
    assert [(e.action, _changes(e).get("notes")) for e in _log(db)] == [
        ("insert", None),
        ("update", ["", "after the first flush"]),
    ]


# Version columns ------------------------------------------------------------------------------------
def test_every_editable_table_is_versioned(db: Database):
    versioned = {cls.__table__.name for cls in VERSIONED_TABLES}
    assert versioned  # the check below must have something to check
    assert versioned | APPEND_ONLY_TABLES | DERIVED_TABLES == set(Base.metadata.tables), (
        "a new table is either editable (inherit Versioned) or added to APPEND_ONLY_TABLES or DERIVED_TABLES here"
    )
    with db.engine.connect() as conn:
        for cls in VERSIONED_TABLES:
            table = cls.__table__.name
            # The live database's columns (not the models'), on SQLite and PostgreSQL alike.
            columns = {c["name"]: c for c in inspect(conn).get_columns(table)}
            for name in ("version", "updated_at", "updated_by"):
                assert name in columns, f"{table}.{name} is missing from the database"
                assert not columns[name]["nullable"], f"{table}.{name} must be NOT NULL"
            assert inspect(cls).version_id_col is cls.__table__.c.version, f"{table} has no version_id_col"


def test_an_insert_starts_at_version_one_by_its_author(db: Database):
    with db.write() as session:
        session.add(SettingRow(key="team", value_json="{}"))
    with db.read() as session:
        row = session.get(SettingRow, "team")
        assert (row.version, row.updated_by) == (1, "alice")
        assert row.created_at == row.updated_at


def test_an_update_bumps_the_version_and_names_the_editor(db: Database, open_as: Callable[..., Database]):
    with db.write() as session:
        session.add(AccountRow(id=1, name="中国移动"))
    with db.read() as session:
        created = session.get(AccountRow, 1)
        created_at, first_update = created.created_at, created.updated_at
    bob = open_as("bob")
    with bob.write() as session:
        session.get(AccountRow, 1).notes = "bob was here"
    with db.write() as session:
        session.get(AccountRow, 1).city = "北京"
    with db.read() as session:
        row = session.get(AccountRow, 1)
        assert (row.version, row.updated_by, row.created_at) == (3, "alice", created_at)
        assert row.updated_at >= first_update
    assert [(e.by, e.action) for e in _log(db)] == [("alice", "insert"), ("bob", "update"), ("alice", "update")]


def test_every_versioned_table_bumps_its_version(db: Database):
    # Generic over the models: insert a row of each table with its required values, then edit it.
    with db.write() as session:
        session.add_all(
            [
                TeamMemberRow(id=1, name="单雄信"),
                AccountRow(id=1, name="中国移动"),
                ContactRow(id=1, name="曾国藩", account_id=1),
            ]
        )
    required = {
        "account_id": 1,
        "member_id": 1,
        "contact_id": 1,
        "key": "k",
        "period": "2026",
        "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2026, 12, 31),
        "role": "sales",
        "kind": "call",
        "item": "茶叶",
        "given_on": dt.date(2026, 2, 1),
        "month": 1,
        "day": 2,
        "name": "x",
        "value_json": "{}",
        "account_class": "A",
        "plan_id": 1,
        "reviewed_on": dt.date(2026, 6, 30),
        "starts_at": dt.datetime(2026, 6, 30, 9, 0),
        "starts_on": dt.date(2026, 6, 30),
    }
    for cls in sorted(VERSIONED_TABLES, key=lambda c: c.__table__.name):
        table = cls.__table__
        if table.name in ("team_members", "accounts", "contacts"):
            key = {"id": 1}
        else:
            values = {
                c.name: required[c.name]
                for c in table.columns
                if c.name == "key" or not (c.nullable or c.default is not None or c.primary_key)
            }
            with db.write() as session:
                row = cls(**values)
                session.add(row)
                session.flush()
                key = {c.name: getattr(row, c.name) for c in table.primary_key}
        text_column = next(
            c.name
            for c in table.columns
            if c.name
            in ("notes", "note", "value_json", "role", "period", "label", "rank_tier", "task", "statement", "purpose")
        )
        with db.write() as session:
            row = session.get(cls, tuple(key.values()))
            setattr(row, text_column, "edited")
        with db.read() as session:
            row = session.get(cls, tuple(key.values()))
            assert (row.version, row.updated_by, getattr(row, text_column)) == (2, "alice", "edited"), table.name
