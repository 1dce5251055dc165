"""Team settings: sane defaults, thresholds that partition 0–100 %, the §7 target matrix."""

from __future__ import annotations

from typing import Any

import pytest

from kamdesk.domain.enums import AccountClass, RankTier, RelationshipStage
from kamdesk.domain.settings import (
    DEFAULT_CLASS_THRESHOLDS,
    DEFAULT_TARGET_MATRIX,
    SettingsError,
    TeamSettings,
)

# domain.md §7, "Target relationship matrix", as printed there (rows: class; columns: rank): seed 000's chart
# on its four levels only.
DOMAIN_MD_MATRIX = """
A | best friend      | good brother     | ordinary brother | good friend
B | good brother     | ordinary brother | good friend      | good friend
C | ordinary brother | good friend      | good friend      | good friend
D | good friend      | good friend      | good friend      | good friend
"""
RANK_COLUMNS = (RankTier.OWNER, RankTier.MANAGER, RankTier.STAFF, RankTier.CLERK)


def _domain_md_targets() -> dict[tuple[AccountClass, RankTier], RelationshipStage]:
    targets = {}
    for line in DOMAIN_MD_MATRIX.strip().splitlines():
        cls, *cells = (cell.strip() for cell in line.split("|"))
        for rank, cell in zip(RANK_COLUMNS, cells, strict=True):
            targets[AccountClass(cls), rank] = RelationshipStage(cell.replace(" ", "_"))
    return targets


def test_defaults_validate():
    settings = TeamSettings()
    settings.validate()
    assert settings.class_thresholds == {"A": 20, "B": 40, "C": 80, "D": 100}
    assert (settings.value_measure, settings.currency) == ("revenue", "CNY")


def test_defaults_are_copies_not_shared_module_state():
    settings = TeamSettings()
    settings.class_thresholds["A"] = 10
    settings.target_matrix["A"]["owner"] = "stranger"
    assert DEFAULT_CLASS_THRESHOLDS["A"] == 20
    assert DEFAULT_TARGET_MATRIX["A"]["owner"] == "best_friend"
    assert TeamSettings().class_thresholds["A"] == 20


def test_target_matrix_matches_domain_md():
    settings = TeamSettings()
    expected = _domain_md_targets()
    assert len(expected) == len(AccountClass) * len(RankTier) == 16
    for (cls, rank), stage in expected.items():
        assert settings.target_stage(cls, rank) is stage, (cls, rank)


def test_an_edited_target_is_looked_up():
    settings = TeamSettings()
    settings.target_matrix["C"]["clerk"] = "stranger"
    settings.validate()
    assert settings.target_stage(AccountClass.C, RankTier.CLERK) is RelationshipStage.STRANGER


@pytest.mark.parametrize(
    "thresholds",
    [
        {"A": 10, "B": 30, "C": 70, "D": 100},
        {"A": 1, "B": 2, "C": 3, "D": 100},
        {"A": 97, "B": 98, "C": 99, "D": 100},
    ],
)
def test_other_thresholds_that_partition_0_to_100_are_accepted(thresholds: dict[str, int]):
    TeamSettings(class_thresholds=thresholds).validate()


@pytest.mark.parametrize(
    ("thresholds", "reason"),
    [
        ({"A": 20, "B": 40, "C": 80}, "needs a threshold"),
        ({"A": 20, "B": 40, "C": 80, "D": 90}, "end at 100%"),
        ({"A": 0, "B": 40, "C": 80, "D": 100}, "Class A ends at 0%; it must end above 0%"),
        ({"A": 40, "B": 20, "C": 80, "D": 100}, "Class B ends at 20%, which is not above class A's 40%"),
        ({"A": 20, "B": 20, "C": 80, "D": 100}, "Class B ends at 20%, which is not above class A's 20%"),
        ({"A": 20, "B": 40, "C": 80, "D": 120}, "Class D ends at 120%, but no class can end above 100%"),
        ({"A": -10, "B": 40, "C": 80, "D": 100}, "must end above 0%"),
        ({"A": "20", "B": 40, "C": 80, "D": 100}, "whole percentages"),
        ({"A": 20.5, "B": 40, "C": 80, "D": 100}, "whole percentages"),
        ({"A": True, "B": 40, "C": 80, "D": 100}, "whole percentages"),
    ],
)
def test_thresholds_that_do_not_partition_0_to_100_are_rejected(thresholds: dict[str, Any], reason: str):
    with pytest.raises(SettingsError, match=reason) as caught:
        TeamSettings(class_thresholds=thresholds).validate()
    assert caught.value.field == "class_thresholds"


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"value_measure": "turnover"}, "value_measure", "value measure"),
        ({"value_window": "forever"}, "value_window", "value window"),
        ({"currency": "cny"}, "currency", "currency"),
        ({"currency": "RMB¥"}, "currency", "currency"),
        ({"currency": "人民币"}, "currency", "currency"),
        (
            {"target_matrix": {**DEFAULT_TARGET_MATRIX, "B": {**DEFAULT_TARGET_MATRIX["B"], "staff": "soulmate"}}},
            "target_matrix",
            "class B, Engineer",
        ),
        ({"target_matrix": {k: v for k, v in DEFAULT_TARGET_MATRIX.items() if k != "D"}}, "target_matrix", "class D"),
        ({"target_matrix": {**DEFAULT_TARGET_MATRIX, "A": ["best_friend"]}}, "target_matrix", "class A"),
    ],
)
def test_other_invalid_settings_are_rejected(change: dict[str, Any], field: str, reason: str):
    settings = TeamSettings.from_values(change)
    with pytest.raises(SettingsError, match=reason) as caught:
        settings.validate()
    assert caught.value.field == field
    assert list(settings.validate_all()) == [field]


def test_every_problem_is_reported_per_field():
    settings = TeamSettings(value_measure="x", class_thresholds={"A": 50, "B": 40, "C": 80, "D": 100}, currency="u")
    problems = settings.validate_all()
    assert list(problems) == ["value_measure", "class_thresholds", "currency"]
    assert problems["class_thresholds"] == "Class B ends at 40%, which is not above class A's 50%."
    assert TeamSettings().validate_all() == {}
    # validate() raises the first of those, with the same words.
    with pytest.raises(SettingsError) as caught:
        settings.validate()
    assert (caught.value.field, str(caught.value)) == ("value_measure", problems["value_measure"])


def test_thresholds_that_are_not_a_mapping_are_a_threshold_problem():
    settings = TeamSettings.from_values({"class_thresholds": [20, 40, 80, 100]})
    assert settings.validate_all() == {"class_thresholds": "Every class from A to D needs a threshold."}


def test_messages_are_translated_before_the_numbers_go_in(monkeypatch: pytest.MonkeyPatch):
    from kamdesk import i18n

    monkeypatch.setattr(
        i18n,
        "_catalog",
        {
            "Class {cls} ends at {bound}%, which is not above class {before}'s {previous}%.": "{cls} 级止于 {bound}%，没有高于 {before} 级的 {previous}%。",
            "The last class must end at 100% so that every account gets a class.": "最后一级必须止于 100%。",
        },
    )
    problems = TeamSettings(class_thresholds={"A": 20, "B": 15, "C": 80, "D": 100}).validate_all()
    assert problems == {"class_thresholds": "B 级止于 15%，没有高于 A 级的 20%。"}
    with pytest.raises(SettingsError, match="最后一级") as caught:
        TeamSettings(class_thresholds={"A": 20, "B": 40, "C": 80, "D": 90}).validate()
    assert caught.value.field == "class_thresholds"


def test_values_round_trip():
    settings = TeamSettings(
        value_measure="profit",
        value_window="potential",
        currency="USD",
        class_thresholds={"A": 10, "B": 30, "C": 70, "D": 100},
    )
    again = TeamSettings.from_values(settings.to_values())
    assert again == settings
    again.validate()
    # Unknown keys from a newer kamdesk are ignored; missing ones keep their defaults.
    partial = TeamSettings.from_values({"currency": "EUR", "colour_scheme": "dark"})
    assert partial.currency == "EUR" and partial.class_thresholds == DEFAULT_CLASS_THRESHOLDS


def test_the_default_targets_use_only_the_four_levels_of_seed_000_and_deepen_with_class_and_rank():
    order = [RelationshipStage(v).order for row in DEFAULT_TARGET_MATRIX.values() for v in row.values()]
    assert {RelationshipStage(v) for row in DEFAULT_TARGET_MATRIX.values() for v in row.values()} <= {
        RelationshipStage.GOOD_FRIEND,
        RelationshipStage.ORDINARY_BROTHER,
        RelationshipStage.GOOD_BROTHER,
        RelationshipStage.BEST_FRIEND,
    }
    assert order  # 16 cells
    for cls, lower in zip("ABC", "BCD", strict=True):
        for rank in RankTier:
            upper = RelationshipStage(DEFAULT_TARGET_MATRIX[cls][rank.value]).order
            assert upper >= RelationshipStage(DEFAULT_TARGET_MATRIX[lower][rank.value]).order
    for row in DEFAULT_TARGET_MATRIX.values():
        stages = [RelationshipStage(row[r.value]).order for r in RankTier]
        assert stages == sorted(stages, reverse=True)


def test_a_file_holding_the_old_default_matrix_reads_the_new_one_but_an_edited_matrix_is_kept():
    from kamdesk.domain.settings import OLD_DEFAULT_TARGET_MATRIX

    old = TeamSettings.from_values({"target_matrix": {k: dict(v) for k, v in OLD_DEFAULT_TARGET_MATRIX.items()}})
    assert old.target_matrix == DEFAULT_TARGET_MATRIX
    edited = {k: dict(v) for k, v in OLD_DEFAULT_TARGET_MATRIX.items()}
    edited["D"]["clerk"] = "stranger"  # a team that chose this keeps it
    assert TeamSettings.from_values({"target_matrix": edited}).target_matrix == edited


@pytest.mark.parametrize(
    ("cell", "words"),
    [("", "is empty"), ("   ", "is empty"), (None, "is empty"), ("below_stranger", "not a stage"), (-1, "not a stage")],
)
def test_a_matrix_cell_left_empty_or_below_stranger_is_refused_by_name(cell, words):
    settings = TeamSettings()
    settings.target_matrix["C"]["manager"] = cell
    problems = settings.validate_all()
    assert words in problems["target_matrix"] and "class C, Manager / director" in problems["target_matrix"]


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"hourly_cost_cents": -100}, "cannot be negative"),
        ({"cost_watch_pct": 8, "cost_alarm_pct": 3}, "out of order"),
        ({"cost_watch_pct": 5, "cost_alarm_pct": 5}, "out of order"),
        ({"cost_watch_pct": 0}, "above 0%"),
        ({"pyramid_key_share": 0}, "from 1 to 50"),
        ({"pyramid_key_basis": "class_b"}, "class A"),
        ({"stingy_cap_hours": -2}, "0 to 500"),
    ],
)
def test_cost_pyramid_and_cap_settings_are_checked(values, words):
    problems = TeamSettings.from_values(values).validate_all()
    assert any(words in message for message in problems.values()), problems
    TeamSettings.from_values({"hourly_cost_cents": 0, "cost_watch_pct": 1, "cost_alarm_pct": 100}).validate()
