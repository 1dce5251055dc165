"""The app collects cyclic garbage rarely (issue 24): a full collection holds every thread, and with Python's
default thresholds the window froze 0.1-0.2 s again and again while the dashboard read the large demo."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from kamdesk.collector import THRESHOLDS, collect_rarely


@pytest.fixture
def thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def _collections_while_allocating(count: int) -> int:
    seen: list[int] = []

    def counted(phase: str, _info: dict) -> None:
        if phase == "start":
            seen.append(1)

    gc.collect()
    gc.callbacks.append(counted)
    try:
        kept = []
        for _ in range(count):  # rows a read holds: containers that could be in cycles
            kept.append([None, None])
    finally:
        gc.callbacks.remove(counted)
    return len(seen)


def test_a_read_of_ten_thousand_rows_runs_no_collection(thresholds: None):
    gc.set_threshold(700, 10, 10)  # Python's default
    assert _collections_while_allocating(10_000) >= 10
    collect_rarely()
    assert gc.get_threshold() == THRESHOLDS
    assert _collections_while_allocating(10_000) == 0
