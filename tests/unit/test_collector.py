"""The app collects cyclic garbage rarely (issue 24): a full collection holds every thread, and with Python's
default thresholds the window froze 0.1-0.2 s again and again while the dashboard read the large demo."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest

from kamdesk.collector import (
    SWITCH_INTERVAL_S,
    THRESHOLDS,
    collect_due,
    collect_rarely,
    keep_start_up,
    on_gui_thread_only,
    switch_often,
)


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


def test_on_the_gui_thread_only_nothing_is_collected_until_the_timer_asks(thresholds: None):
    enabled = gc.isenabled()
    try:
        collect_rarely()
        on_gui_thread_only()
        assert not gc.isenabled()
        assert _collections_while_allocating(200_000) == 0  # no thread collects by itself any more
        gc.set_threshold(700, 10, 10)
        kept = [[None] for _ in range(5_000)]  # alive: counted until a collection
        assert gc.get_count()[0] >= 700
        assert collect_due() in (0, 1, 2)  # counts passed: the caller's thread collects
        assert gc.get_count()[0] < 700
        assert collect_due() == -1  # nothing due right after a collection
        assert len(kept) == 5_000
    finally:
        if enabled:
            gc.enable()


def test_the_interpreter_is_handed_over_every_millisecond_not_every_five():
    before = sys.getswitchinterval()
    try:
        switch_often()
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S) and SWITCH_INTERVAL_S < before
    finally:
        sys.setswitchinterval(before)


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_full_collection_leaves_what_was_alive_at_start_up_alone():
    import weakref

    gc.collect()
    before = _Cycle()
    kept = weakref.ref(before)
    try:
        keep_start_up()
        assert gc.get_freeze_count() > 0
        after = _Cycle()
        gone = weakref.ref(after)
        del before, after
        gc.collect()
        assert gone() is None  # made after start-up: collected as before
        assert kept() is not None  # alive at start-up: no full collection walks it any more
    finally:
        gc.unfreeze()
    gc.collect()
    assert kept() is None
