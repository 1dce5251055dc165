"""Catalogue items keep what they are on a real file: occasions, category, attributes, origin and story."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from kamdesk.domain.gifts import CatalogueItem
from kamdesk.services.workspace import Workspace, open_workspace

TODAY = dt.date(2027, 8, 20)


@pytest.fixture
def ws(tmp_path: Path):
    workspace = open_workspace(tmp_path / "team.kamdb", "王芳", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def test_occasions_category_attributes_and_origin_survive_a_save_and_an_edit(ws: Workspace):
    ham = CatalogueItem(
        "金华火腿礼盒",
        "holiday",
        368_00,
        "金华火腿厂",
        "三年陈腿，切片真空包装",
        occasions=frozenset({"spring_festival", "any_festival"}),
        category="food",
        attributes=frozenset({"pork", "meat"}),
        origin="浙江金华",
    )
    item_id = ws.gifts.save_item(ham)
    (stored,) = ws.gifts.catalogue()
    assert stored.id == item_id
    assert stored.occasions == {"spring_festival", "any_festival"}
    assert stored.category == "food"
    assert stored.attributes == {"pork", "meat"}
    assert (stored.origin, stored.notes) == ("浙江金华", "三年陈腿，切片真空包装")

    ws.gifts.save_item(replace(stored, occasions=frozenset({"spring_festival"}), attributes=frozenset({"pork"})))
    (edited,) = ws.gifts.catalogue()
    assert edited.occasions == {"spring_festival"}
    assert edited.attributes == {"pork"}
    assert edited.version == stored.version + 1


def test_unknown_codes_are_not_written_and_an_untagged_item_is_tagged_for_planning(ws: Workspace):
    ws.gifts.save_item(
        CatalogueItem(
            "茅台飞天 53°",
            "holiday",
            980_00,
            occasions=frozenset({"mid_autumn", "halloween"}),
            category="rocket",
            attributes=frozenset({"alcohol", "radioactive"}),
        )
    )
    ws.gifts.save_item(CatalogueItem("广式月饼礼盒", "holiday", 188_00))
    by_name = {item.item: item for item in ws.gifts.catalogue()}
    moutai, mooncakes = by_name["茅台飞天 53°"], by_name["广式月饼礼盒"]
    assert (moutai.occasions, moutai.category, moutai.attributes) == ({"mid_autumn"}, "", {"alcohol"})
    # stored as it was given: empty stays empty …
    assert (mooncakes.occasions, mooncakes.category, mooncakes.attributes) == (set(), "", set())
    # … and a planner reading it gets the vocabulary's suggestion (a mooncake is for Mid-Autumn only)
    planned = mooncakes.planning_tags()
    assert planned.occasions == {"mid_autumn"}
    assert planned.category == "sweets" and "sugar" in planned.attributes
    assert moutai.planning_tags().category == "liquor"
    assert moutai.planning_tags().occasions == {"mid_autumn"}  # what a person set is kept
