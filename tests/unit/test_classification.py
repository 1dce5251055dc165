"""A/B/C/D classing by rank (domain.md §2): shares, ties, missing values, pins, other thresholds."""

from __future__ import annotations

from collections import Counter

import pytest

from kamdesk.domain.classification import class_for_share, classify, effective_class
from kamdesk.domain.enums import AccountClass
from kamdesk.domain.settings import DEFAULT_CLASS_THRESHOLDS

A, B, C, D = AccountClass.A, AccountClass.B, AccountClass.C, AccountClass.D


def _classes(
    values: list[tuple[int, int | None]], thresholds: dict[str, int] | None = None
) -> dict[int, AccountClass | None]:
    results = classify(values, thresholds or DEFAULT_CLASS_THRESHOLDS)
    return {account_id: result.computed for account_id, result in results.items()}


def _counts(classes: dict[int, AccountClass | None]) -> tuple[int, int, int, int]:
    counter = Counter(classes.values())
    return counter[A], counter[B], counter[C], counter[D]


def test_ten_accounts_split_two_two_four_two():
    # Ids are given in a shuffled order: the class follows the value, never the input order.
    values = [(7, 400), (1, 1000), (9, 200), (3, 800), (10, 100), (2, 900), (5, 600), (4, 700), (8, 300), (6, 500)]
    classes = _classes(values)
    assert classes == {1: A, 2: A, 3: B, 4: B, 5: C, 6: C, 7: C, 8: C, 9: D, 10: D}
    results = classify(values)
    assert [results[i].rank for i in range(1, 11)] == list(range(1, 11))
    assert {r.reason for r in results.values()} == {"ranked"}


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, (1, 0, 0, 0)),
        (2, (1, 0, 1, 0)),  # the second of two has half the accounts ahead of it
        (4, (1, 1, 2, 0)),  # the last of four has 75% ahead of it: still C
        (5, (1, 1, 2, 1)),
        (20, (4, 4, 8, 4)),
        (100, (20, 20, 40, 20)),
    ],
)
def test_class_sizes_follow_the_thresholds(count: int, expected: tuple[int, int, int, int]):
    classes = _classes([(i, 10_000 - i) for i in range(count)])
    assert _counts(classes) == expected


def test_a_single_account_is_a():
    (result,) = classify([(42, 5)]).values()
    assert (result.account_id, result.rank, result.computed, result.reason) == (42, 1, A, "ranked")


def test_ties_share_the_class_and_rank_of_the_first_of_them():
    # 10 accounts; the 2nd to 4th are equal: all three are A with rank 2, though positions 3 and 4
    # alone would be B. The next distinct value takes its own position (5th: C).
    values = [(1, 100), (2, 90), (3, 90), (4, 90), (5, 50), (6, 40), (7, 30), (8, 20), (9, 10), (10, 5)]
    results = classify(values)
    assert {i: results[i].computed for i in (2, 3, 4)} == {2: A, 3: A, 4: A}
    assert {results[i].rank for i in (2, 3, 4)} == {2}
    assert (results[2].reason, results[3].reason, results[4].reason) == ("ranked", "tie", "tie")
    assert (results[5].rank, results[5].computed) == (5, C)


def test_a_tie_across_a_boundary_is_never_split():
    # Positions 2 and 3 (shares 20% and 30%) would be B; with the 1st tied to them all are A.
    classes = _classes([(1, 70), (2, 70), (3, 70), (4, 60), (5, 50), (6, 40), (7, 30), (8, 20), (9, 10), (10, 0)])
    assert {classes[1], classes[2], classes[3]} == {A}
    assert classes[4] == B


def test_all_equal_accounts_are_all_a():
    assert set(_classes([(i, 500) for i in range(1, 8)]).values()) == {A}


def test_accounts_without_value_stay_unclassed_and_do_not_count():
    values = [(1, None), (2, 100), (3, 90), (4, 80), (5, 70), (6, 60), (7, None)]
    results = classify(values)
    for i in (1, 7):
        assert (results[i].computed, results[i].rank, results[i].reason) == (None, None, "no_value")
    # Five ranked accounts split 1/1/2/1, as if the unvalued ones were not there.
    assert [results[i].computed for i in (2, 3, 4, 5, 6)] == [A, B, C, C, D]
    assert set(results) == {1, 2, 3, 4, 5, 6, 7}


def test_zero_and_negative_values_are_values():
    # A loss-making account is ranked (last), unlike one with no value recorded at all.
    classes = _classes([(1, 0), (2, -50), (3, None), (4, 10)])
    assert classes == {4: A, 1: B, 2: C, 3: None}  # shares 0%, 33%, 67% of three ranked accounts


def test_no_accounts_no_classes():
    assert classify([]) == {}
    assert classify([(1, None)])[1].computed is None


def test_changed_thresholds():
    thresholds = {"A": 10, "B": 30, "C": 70, "D": 100}
    classes = _classes([(i, 100 - i) for i in range(1, 11)], thresholds)
    assert _counts(classes) == (1, 2, 4, 3)
    assert _classes([(i, 100 - i) for i in range(1, 11)], {"A": 50, "B": 60, "C": 70, "D": 100}) == {
        1: A,
        2: A,
        3: A,
        4: A,
        5: A,
        6: B,
        7: C,
        8: D,
        9: D,
        10: D,
    }


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0, A),
        (19.99, A),
        (20, B),
        (39.99, B),
        (40, C),
        (79.99, C),
        (80, D),
        (99.99, D),
        (100, D),
    ],
)
def test_class_for_share_boundaries_belong_to_the_lower_class(share: float, expected: AccountClass):
    assert class_for_share(share) is expected


def test_effective_class_prefers_the_pin():
    assert effective_class(D, A) is A
    assert effective_class(A, D) is D
    assert effective_class(B, None) is B
    assert effective_class(None, C) is C
    assert effective_class(None, None) is None
