"""Background work steps aside while the GUI thread is busy (kamdesk.gui_turns; issue 24)."""

from __future__ import annotations

import threading
import time

import pytest

from kamdesk import gui_turns


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The sleeps of pause points (the fourth one makes the GUI thread turn, ending a busy spell)."""
    taken: list[float] = []

    def sleep(seconds: float) -> None:
        taken.append(seconds)
        if len(taken) == 4:
            gui_turns.turned()

    monkeypatch.setattr(gui_turns.time, "sleep", sleep)
    yield taken
    gui_turns.stop_beating()


def _in_worker(work) -> None:  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    assert not thread.is_alive()


def test_without_a_beat_nothing_pauses(sleeps: list[float]):
    gui_turns.stop_beating()
    _in_worker(gui_turns.pause_point)
    assert sleeps == [] and not gui_turns.gui_busy()


def test_a_worker_waits_while_the_gui_thread_is_busy_and_goes_on_once_it_turns(sleeps: list[float]):
    gui_turns.turned()  # this thread beats: it is the GUI thread here
    gui_turns._last_turn = time.monotonic() - 0.05  # and has not turned for 50 ms: busy
    assert gui_turns.gui_busy()
    _in_worker(gui_turns.pause_point)
    assert sleeps == [gui_turns.STEP_S] * 4  # until the beat came back
    gui_turns.pause_point()  # the GUI thread itself never waits for itself
    assert len(sleeps) == 4


def test_a_gui_thread_blocked_for_long_holds_nobody_back(sleeps: list[float]):
    gui_turns.turned()
    gui_turns._last_turn = time.monotonic() - 1.0  # waiting for the work itself, say, as the window closes
    assert not gui_turns.gui_busy()
    _in_worker(gui_turns.pause_point)
    assert sleeps == []


def test_a_pause_is_short_however_long_the_gui_thread_stays_busy(monkeypatch: pytest.MonkeyPatch):
    taken: list[float] = []
    monkeypatch.setattr(gui_turns.time, "sleep", taken.append)
    monkeypatch.setattr(gui_turns, "gui_busy", lambda: True)
    gui_turns.turned()
    try:
        _in_worker(gui_turns.pause_point)
    finally:
        gui_turns.stop_beating()
    assert len(taken) == gui_turns.MOST_STEPS and sum(taken) <= 0.1 + 1e-9
