"""The demo book: deterministic, near its targets, and true to the domain's rules and vocabularies."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from enum import StrEnum
from typing import Any

import pytest

from kamdesk.domain import enums
from kamdesk.domain.classification import classify
from kamdesk.domain.names import has_han, search_keys
from kamdesk.services.demo_data import SPECS, TABLE_ORDER, DemoSize, demo_rows, generate_demo
from kamdesk.storage.tables import Base

TODAY = dt.date(2026, 11, 23)
Rows = dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="module")
def rows() -> Rows:
    return demo_rows(DemoSize.SMALL, today=TODAY)


def _by_id(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {r["id"]: r for r in rows}


def test_same_seed_gives_the_same_book_and_another_seed_another(rows: Rows):
    assert demo_rows(DemoSize.SMALL, today=TODAY) == rows
    other = demo_rows(DemoSize.SMALL, seed=7, today=TODAY)
    assert [a["name"] for a in other["accounts"]] != [a["name"] for a in rows["accounts"]]


def test_small_counts_are_near_their_targets(rows: Rows):
    spec = SPECS[DemoSize.SMALL]
    counts = {name: len(table) for name, table in rows.items()}
    assert counts == generate_demo(DemoSize.SMALL, today=TODAY).counts()
    assert counts["team_members"] == 8
    assert counts["accounts"] == spec.accounts
    assert abs(counts["contacts"] - spec.contacts) <= spec.contacts * 0.1
    assert abs(counts["activities"] - spec.activities) <= spec.activities * 0.1
    assert abs(counts["gifts"] - spec.gifts) <= spec.gifts * 0.15
    assert counts["account_values"] >= 2 * spec.accounts
    for name in ("family_members", "personal_dates", "links", "contact_stage_history", "account_team"):
        assert counts[name] > 0, name


def test_large_plan_is_near_its_targets():
    spec = SPECS[DemoSize.LARGE]
    counts = generate_demo(DemoSize.LARGE, today=TODAY).counts()
    assert counts["accounts"] == spec.accounts
    assert counts["team_members"] == 15
    for table, target in (("contacts", spec.contacts), ("activities", spec.activities), ("gifts", spec.gifts)):
        assert abs(counts[table] - target) <= target * 0.05, table


def test_rows_match_the_table_columns(rows: Rows):
    assert list(rows) == list(TABLE_ORDER)
    for name, table_rows in rows.items():
        columns = set(Base.metadata.tables[name].columns.keys())
        keys = set(table_rows[0])
        assert keys <= columns, (name, keys - columns)
        assert all(set(r) == keys for r in table_rows), name
        ids = [r["id"] for r in table_rows]
        assert len(set(ids)) == len(ids), name


def test_foreign_keys_point_at_rows_that_exist(rows: Rows):
    ids = {name: {r["id"] for r in table_rows} for name, table_rows in rows.items()}
    for name, table_rows in rows.items():
        for fk in Base.metadata.tables[name].foreign_keys:
            column, target = fk.parent.name, fk.column.table.name
            for row in table_rows:
                assert row[column] is None or row[column] in ids[target], (name, column, row[column])


def test_classes_follow_the_80_20_rule(rows: Rows):
    accounts = rows["accounts"]
    ranked = sorted((a for a in accounts if a["value_cents"] is not None), key=lambda a: -a["value_cents"])
    total = sum(a["value_cents"] for a in ranked)
    a_class = [a for a in ranked if a["computed_class"] == "A"]
    assert abs(len(a_class) - 0.2 * len(ranked)) <= 1
    assert sum(a["value_cents"] for a in a_class) >= 0.5 * total
    d_share = sum(a["value_cents"] for a in ranked if a["computed_class"] == "D") / total
    assert d_share <= 0.1
    expected = classify([(a["id"], a["value_cents"]) for a in accounts])
    for account in accounts:
        computed = expected[account["id"]].computed
        assert account["computed_class"] == (computed.value if computed else None)
    prospects = [a for a in accounts if a["value_cents"] is None]
    assert prospects and all(a["computed_class"] is None for a in prospects)
    assert all(a["sales_stage"] != "formal" for a in prospects)
    pinned = [a for a in accounts if a["pinned_class"]]
    assert len(pinned) == 2
    assert all(a["pin_reason"] and a["pinned_by"] and a["pinned_at"] for a in pinned)


def test_values_cover_three_years_with_profit(rows: Rows):
    periods = {v["period"] for v in rows["account_values"]}
    assert periods == {"2024", "2025", "2026"}
    for value in rows["account_values"]:
        year = int(value["period"])
        assert value["period_start"] == dt.date(year, 1, 1)
        assert value["period_end"] == dt.date(year, 12, 31)
        assert value["revenue_cents"] >= 0 and value["profit_cents"] is not None
    pairs = [(v["account_id"], v["period"]) for v in rows["account_values"]]
    assert len(set(pairs)) == len(pairs)


def test_every_birthday_and_date_is_valid(rows: Rows):
    try:
        from lunardate import LunarDate
    except ImportError:
        LunarDate = None  # noqa: N806 - optional cross-check with a lunar calendar library
    people = rows["contacts"] + rows["family_members"]
    lunar = 0
    for person in people:
        calendar, year = person["birthday_calendar"], person["birthday_year"]
        month, day = person["birthday_month"], person["birthday_day"]
        if calendar is None:
            assert month is None and day is None
            continue
        assert not person["birthday_leap_month"]
        if calendar == "lunar":
            lunar += 1
            assert 1 <= month <= 12 and 1 <= day <= 29
            if LunarDate is not None and year is not None:
                LunarDate(year, month, day)
        else:
            assert calendar == "solar"
            dt.date(year or 2000, month, day)
    assert lunar > 10
    for date in rows["personal_dates"]:
        if date["calendar"] == "lunar":
            assert 1 <= date["month"] <= 12 and 1 <= date["day"] <= 29
        else:
            dt.date(date["year"] or 2000, date["month"], date["day"])


def test_reports_to_stays_in_the_account_and_has_no_cycles(rows: Rows):
    contacts = _by_id(rows["contacts"])
    order = {"owner": 0, "manager": 1, "staff": 2, "clerk": 3}
    for contact in contacts.values():
        seen = {contact["id"]}
        boss_id = contact["reports_to_id"]
        if boss_id is not None:
            boss = contacts[boss_id]
            assert boss["account_id"] == contact["account_id"]
            assert order[boss["rank_tier"]] <= order[contact["rank_tier"]]
            assert boss_id < contact["id"]
        while boss_id is not None:
            assert boss_id not in seen
            seen.add(boss_id)
            boss_id = contacts[boss_id]["reports_to_id"]


def test_enum_columns_use_the_domain_vocabularies(rows: Rows):
    def values(enum: type[StrEnum]) -> set[str | None]:
        return {m.value for m in enum} | {None}

    columns: dict[tuple[str, str], type[StrEnum]] = {
        ("team_members", "rank_tier"): enums.RankTier,
        ("team_members", "role"): enums.TeamRole,
        ("accounts", "personality_type"): enums.PersonalityType,
        ("accounts", "sales_stage"): enums.SalesStage,
        ("accounts", "relationship_type"): enums.RelationshipType,
        ("accounts", "cycle_stage"): enums.CycleStage,
        ("accounts", "attractiveness"): enums.Attractiveness,
        ("accounts", "relationship_state"): enums.RelationshipState,
        ("accounts", "computed_class"): enums.AccountClass,
        ("accounts", "pinned_class"): enums.AccountClass,
        ("account_team", "role"): enums.TeamRole,
        ("contacts", "rank_tier"): enums.RankTier,
        ("contacts", "buying_role"): enums.BuyingRole,
        ("contacts", "relationship_stage"): enums.RelationshipStage,
        ("contacts", "birthday_calendar"): enums.CalendarKind,
        ("contacts", "personality_type"): enums.PersonalityType,
        ("contact_stage_history", "stage"): enums.RelationshipStage,
        ("family_members", "birthday_calendar"): enums.CalendarKind,
        ("personal_dates", "calendar"): enums.CalendarKind,
        ("links", "relationship_stage"): enums.RelationshipStage,
        ("activities", "kind"): enums.ActivityKind,
        ("activities", "status"): enums.ActivityStatus,
        ("gifts", "kind"): enums.GiftKind,
        ("gifts", "direction"): enums.GiftDirection,
    }
    for (table, column), enum in columns.items():
        allowed = values(enum)
        used = {row[column] for row in rows[table]}
        assert used <= allowed, (table, column, used - allowed)


def test_our_team_has_the_roles_of_an_account_team(rows: Rows):
    team = rows["team_members"]
    roles = [m["role"] for m in team]
    assert roles.count("executive_sponsor") == 1
    assert roles.count("sales_manager") == 1
    assert roles.count("account_manager") >= 2
    assert {"research", "finance"} <= set(roles)
    assert all(has_han(m["name"]) and m["title"] and m["department"] for m in team)
    owners = {a["owner_id"] for a in rows["accounts"]}
    assert owners <= {m["id"] for m in team if m["role"] == "account_manager"}


def test_links_pair_people_and_include_a_bow_tie(rows: Rows):
    contacts = _by_id(rows["contacts"])
    members: dict[int, set[int]] = defaultdict(set)
    theirs: dict[int, set[int]] = defaultdict(set)
    for link in rows["links"]:
        account_id = contacts[link["contact_id"]]["account_id"]
        members[account_id].add(link["member_id"])
        theirs[account_id].add(link["contact_id"])
    bow_ties = [a for a in members if len(members[a]) == 1 and len(theirs[a]) == 1]
    assert bow_ties
    zippers = [a for a in members if len(members[a]) >= 3]
    assert zippers
    ranks = {m["id"]: m["rank_tier"] for m in rows["team_members"]}
    sponsor_links = [
        contacts[lk["contact_id"]]["rank_tier"] for lk in rows["links"] if ranks[lk["member_id"]] == "owner"
    ]
    assert sponsor_links.count("owner") > len(sponsor_links) / 2
    pairs = [(lk["member_id"], lk["contact_id"]) for lk in rows["links"]]
    assert len(set(pairs)) == len(pairs)


def test_relationships_are_better_on_a_accounts(rows: Rows):
    order = {s.value: i for i, s in enumerate(enums.RelationshipStage)}
    classes = {a["id"]: a["pinned_class"] or a["computed_class"] for a in rows["accounts"]}
    by_class: dict[str, list[int]] = defaultdict(list)
    for contact in rows["contacts"]:
        by_class[classes[contact["account_id"]] or "-"].append(order[contact["relationship_stage"]])
    mean = {cls: sum(v) / len(v) for cls, v in by_class.items()}
    assert mean["A"] > mean["B"] > mean["C"] > mean["D"]


def test_last_contact_dates_come_from_the_activities(rows: Rows):
    last_by_contact: dict[int, dt.date] = {}
    last_by_account: dict[int, dt.date] = {}
    last_by_link: dict[tuple[int, int], dt.date] = {}
    for activity in rows["activities"]:
        if activity["status"] != "done":
            assert activity["occurred_at"] is None and activity["due_on"] is not None
            continue
        day = activity["occurred_at"].date()
        assert day < TODAY
        for store, key in (
            (last_by_contact, activity["contact_id"]),
            (last_by_account, activity["account_id"]),
            (last_by_link, (activity["member_id"], activity["contact_id"])),
        ):
            store[key] = max(day, store.get(key, day))
    for contact in rows["contacts"]:
        assert contact["last_contact_on"] == last_by_contact.get(contact["id"])
    for account in rows["accounts"]:
        assert account["last_contact_on"] == last_by_account.get(account["id"])
    links = {(lk["member_id"], lk["contact_id"]): lk["last_contact_on"] for lk in rows["links"]}
    assert links == last_by_link
    planned = [a for a in rows["activities"] if a["status"] == "planned"]
    assert sum(a["due_on"] > TODAY for a in planned) > len(planned) * 0.7
    assert all(a["due_on"] <= TODAY + dt.timedelta(weeks=6) for a in planned)


def test_activities_span_a_few_years_with_durations(rows: Rows):
    done = [a for a in rows["activities"] if a["status"] == "done"]
    years = {a["occurred_at"].year for a in done}
    assert years == {2024, 2025, 2026}
    kinds = {a["kind"] for a in done}
    assert kinds == {k.value for k in enums.ActivityKind}
    assert all(a["duration_minutes"] >= 45 for a in done if a["kind"] in ("visit", "meeting"))
    greetings = {a["subject"] for a in done if a["kind"] == "greeting"}
    assert {"春节问候", "中秋节问候"} <= greetings


def test_gifts_are_recorded_with_occasions_and_approvals(rows: Rows):
    gifts = rows["gifts"]
    assert {g["kind"] for g in gifts} >= {"everyday", "holiday", "special", "meal"}
    assert {"中秋节", "春节"} <= {g["occasion"] for g in gifts}
    for gift in gifts:
        assert gift["given_on"] < TODAY and gift["value_cents"] > 0
        if gift["direction"] == "given" and gift["value_cents"] >= 100_000:
            assert gift["approved_by"]
        if gift["value_cents"] < 100_000:
            assert not gift["approved_by"]


def test_names_are_chinese_with_surname_readings(rows: Rows):
    contacts = rows["contacts"]
    assert sum(has_han(c["name"]) for c in contacts) >= 0.9 * len(contacts)
    for contact in contacts:
        assert (contact["name_pinyin"], contact["name_initials"]) == search_keys(contact["name"], person=True)
    for surname, reading in (
        ("单", "shan"),
        ("曾", "zeng"),
        ("解", "xie"),
        ("仇", "qiu"),
        ("区", "ou"),
        ("朴", "piao"),
    ):
        found = [c for c in contacts if c["name"].startswith(surname)]
        assert found, surname
        assert all(c["name_pinyin"].startswith(reading) for c in found)
    accounts = [a["name"] for a in rows["accounts"]]
    assert any(not has_han(n) for n in accounts)
    assert sum(has_han(n) for n in accounts) >= 0.7 * len(accounts)
    assert any(n.endswith("有限公司") for n in accounts)
    for account in rows["accounts"]:
        assert (account["name_pinyin"], account["name_initials"]) == search_keys(account["name"])
    cities = {c["city"] for c in contacts} | {c["hometown"] for c in contacts}
    assert "兰州" in cities
    assert all(c["mobile"].replace(" ", "").isdigit() and c["mobile"].startswith("1") for c in contacts if c["mobile"])
