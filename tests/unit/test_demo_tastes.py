"""The demo's catalogue covers every festival and kind, and its people's tastes agree with their taboos."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kamdesk.domain.gift_vocabulary import (
    like_conflicts,
    parse_tags,
    suggest_contact_tags,
    suggest_item_tags,
    suggest_like_tags,
    suggest_taboo_tags,
)
from kamdesk.services.demo_data import DemoSize, demo_rows
from kamdesk.services.demo_gifts import CATALOGUE

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def contacts() -> list[dict[str, Any]]:
    return demo_rows(DemoSize.SMALL, today=TODAY)["contacts"]


def test_no_demo_contact_likes_what_their_taboos_forbid(contacts: list[dict[str, Any]]):
    with_taboos = [c for c in contacts if c["taboo_tags"]]
    assert len(with_taboos) > 20  # enough people with taboos for the check to mean something
    clashes = []
    for c in contacts:
        likes, taboos = parse_tags(c["like_tags"]), parse_tags(c["taboo_tags"])
        if like_conflicts(likes, taboos):
            clashes.append((c["name"], c["preferences"], c["taboos"]))
        # and read back from the text alone, each taste agrees with the taboo too
        refused = suggest_taboo_tags(c["taboos"], bare_means_taboo=True)
        for taste in [*c["interests"].split("、"), *c["preferences"].split("；")]:
            if taste and like_conflicts(suggest_like_tags(taste), refused):
                clashes.append((c["name"], taste, c["taboos"]))
    assert clashes == []


def test_demo_tags_are_the_texts_reading(contacts: list[dict[str, Any]]):
    for c in contacts:
        likes, taboos = suggest_contact_tags(c["interests"], c["preferences"], c["taboos"])
        assert (parse_tags(c["like_tags"]), parse_tags(c["taboo_tags"])) == (likes, taboos), c["name"]
    by_text = {c["taboos"]: parse_tags(c["taboo_tags"]) for c in contacts if c["taboos"]}
    assert by_text.get("不喝酒") == {"alcohol"}
    assert by_text.get("回族，饮食清真") == {"pork", "alcohol"}
    assert by_text.get("素食") == {"vegetarian"}
    sichuan = [c for c in contacts if "川菜" in c["preferences"]]
    assert sichuan and all("spicy" not in parse_tags(c["taboo_tags"]) for c in sichuan)


def test_the_catalogue_covers_every_festival_and_kind_with_local_specialities():
    occasions = {o for item in CATALOGUE for o in item.occasions}
    assert {"mid_autumn", "spring_festival", "dragon_boat", "any_festival", "everyday", "special"} <= occasions
    assert {item.kind for item in CATALOGUE} == {"everyday", "holiday", "special"}
    for festival in ("mid_autumn", "spring_festival", "dragon_boat"):
        items = [i for i in CATALOGUE if festival in i.occasions]
        assert len(items) >= 2, festival
        # a festival's list has something for a person who eats no pork and drinks no alcohol
        assert any(not ({"pork", "alcohol"} & i.attributes) for i in items), festival
    mooncakes = [i for i in CATALOGUE if "月饼" in i.item]
    assert mooncakes and all(i.occasions == {"mid_autumn"} for i in mooncakes)
    specialities = [i for i in CATALOGUE if i.origin and i.notes]
    assert len(specialities) >= 8
    by_name = {i.item: i for i in CATALOGUE}
    assert by_name["兰州百合"].origin == "甘肃兰州" and by_name["兰州百合"].category == "speciality"
    assert {"pork", "meat"} <= by_name["金华火腿礼盒"].attributes
    assert by_name["茅台飞天 53°"].category == "liquor" and "alcohol" in by_name["茅台飞天 53°"].attributes
    assert (
        by_name["嘉兴五芳斋粽子礼盒"].occasions == {"dragon_boat"}
        and "pork" in by_name["嘉兴五芳斋粽子礼盒"].attributes
    )
    for item in CATALOGUE:  # tagged through the vocabulary: its category and attributes are the suggestion
        suggestion = suggest_item_tags(item.item, item.notes, cost_cents=item.unit_cost_cents)
        assert item.attributes == suggestion.attributes, item.item
        assert item.category in (suggestion.category, "speciality"), item.item


def test_a_loaded_demo_keeps_the_tags(tmp_path: Path, fixed_clock):
    from kamdesk.services.demo import load_demo
    from kamdesk.services.workspace import open_workspace

    path = tmp_path / "demo.kamdb"
    load_demo(path, "small", today=TODAY)
    ws = open_workspace(path, "王芳")
    try:
        fixed_clock.fix(TODAY)
        stored = {i.item: i for i in ws.gifts.catalogue()}
        assert set(stored) == {i.item for i in CATALOGUE}
        for item in CATALOGUE:
            copy = stored[item.item]
            assert (copy.occasions, copy.category, copy.attributes, copy.origin) == (
                item.occasions,
                item.category,
                item.attributes,
                item.origin,
            )
    finally:
        ws.close()
