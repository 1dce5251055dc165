"""Presence with real processes: a killed client is gone within the stale window, and a colleague
whose PC clock is hours off is never shown as gone while it is running. Each test prints its figures.

The clients beat fast here (every 0.2 s, stale after 2 s) so the test takes seconds; the window
beats every minute and calls a client gone after three, by the same rule.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from figures import report

from kamdesk.domain.models import PresenceEntry
from kamdesk.domain.presence import PresenceTracker
from kamdesk.services.backups import live_sessions
from kamdesk.services.workspace import PresenceService
from kamdesk.storage.database import Database
from kamdesk.storage.opening import open_database

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the process tests fork (POSIX)")
FORK = multiprocessing.get_context("fork") if hasattr(os, "fork") else None

BEAT_S = 0.2
STALE = dt.timedelta(seconds=2)
POLL_S = 0.1


def _client(path: str, user: str, skew_s: float, ready: Any) -> None:
    """Another PC with the file open: its clock is `skew_s` seconds off; it beats until killed."""
    db = open_database(path, user)

    def skewed() -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=skew_s)

    presence = PresenceService(db, wall_clock=skewed)
    presence.register()
    ready.set()
    while True:
        time.sleep(BEAT_S)
        presence.heartbeat()


def _start(db_path: Path, user: str, skew_s: float) -> Any:
    assert FORK is not None
    ready = FORK.Event()
    process = FORK.Process(target=_client, args=(str(db_path), user, skew_s, ready), daemon=True)
    process.start()
    assert ready.wait(timeout=30), f"{user} never opened the file"
    return process


def _names(entries: list[PresenceEntry]) -> set[str]:
    return {e.user_name for e in entries}


def test_clock_skew_never_marks_a_live_client_gone(db: Database, db_path: Path, request: pytest.FixtureRequest):
    skews = {"behind_10min": -600.0, "ahead_10min": 600.0, "behind_9h": -9 * 3600.0, "on_time": 0.0}
    clients = [_start(db_path, user, skew) for user, skew in skews.items()]
    observer = PresenceService(db, stale_after=STALE)
    try:
        polls = misses = 0
        naive_misses = 0  # the old rule (their heartbeat time against our clock) on the same readings
        began = time.monotonic()
        while time.monotonic() - began < STALE.total_seconds() * 3:
            seen = _names(observer.others())
            naive = _names(live_sessions(db_path, STALE, exclude=db.session_id))
            polls += 1
            misses += len(set(skews) - seen)
            naive_misses += len(set(skews) - naive)
            time.sleep(POLL_S)
        report(
            request,
            "presence with skewed clocks",
            clients=len(skews),
            skews="-9h,-10min,+10min,0",
            polls=polls,
            seconds=f"{time.monotonic() - began:.1f}",
            live_shown_as_gone=misses,
            naive_clock_rule_misses=naive_misses,
        )
        assert misses == 0
        assert naive_misses > 0, "the control (comparing clocks) should miss the clients that are behind"
    finally:
        for client in clients:
            client.kill()
            client.join(timeout=10)


def test_a_killed_client_is_gone_within_the_stale_window(db: Database, db_path: Path, request: pytest.FixtureRequest):
    victim = _start(db_path, "killed", -600.0)  # its clock is behind too: the rule must not rely on it
    survivor = _start(db_path, "survivor", 0.0)
    observer = PresenceService(db, stale_after=STALE)
    try:
        deadline = time.monotonic() + 5
        while _names(observer.others()) != {"killed", "survivor"}:
            assert time.monotonic() < deadline, "the two clients never both showed"
            time.sleep(POLL_S)
        time.sleep(1.0)  # a few beats seen
        assert victim.pid is not None
        os.kill(victim.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        victim.join(timeout=10)
        gone_after = None
        survivor_missed = 0
        while time.monotonic() - killed_at < STALE.total_seconds() * 3:
            seen = _names(observer.others())
            survivor_missed += "survivor" not in seen
            if "killed" not in seen:
                gone_after = time.monotonic() - killed_at
                break
            time.sleep(POLL_S)
        report(
            request,
            "presence of a killed client",
            stale_window_s=STALE.total_seconds(),
            beat_s=BEAT_S,
            gone_after_s=f"{gone_after:.2f}" if gone_after is not None else "never",
            survivor_shown_as_gone=survivor_missed,
        )
        assert gone_after is not None, "the killed client was never shown as gone"
        # Gone once its counter stood still for the window: within the window plus one poll of the kill.
        assert gone_after <= STALE.total_seconds() + POLL_S + 0.5
        assert gone_after >= STALE.total_seconds() - BEAT_S - 0.5, "gone too early: the rule is not watching beats"
        assert survivor_missed == 0
    finally:
        survivor.kill()
        survivor.join(timeout=10)


def test_tracker_rules_on_a_fake_clock():
    tracker = PresenceTracker(dt.timedelta(seconds=10))
    wall = dt.datetime(2026, 11, 23, 9, 0)

    def entry(session: str, count: int, heartbeat: dt.datetime) -> PresenceEntry:
        return PresenceEntry(session, session, "pc", heartbeat, heartbeat, count)

    # First sight: a heartbeat an hour "old" is a skewed clock, live; two days old is a leftover.
    assert _names(
        tracker.live(
            [entry("skewed", 5, wall - dt.timedelta(hours=1)), entry("leftover", 9, wall - dt.timedelta(days=2))],
            0.0,
            wall,
        )
    ) == {"skewed"}
    # The counter stands still: live through the window, gone after it.
    assert _names(tracker.live([entry("skewed", 5, wall)], 9.9, wall)) == {"skewed"}
    assert _names(tracker.live([entry("skewed", 5, wall)], 10.1, wall)) == set()
    # It moves again (the PC woke from sleep): live again, whatever its clock says.
    assert _names(tracker.live([entry("skewed", 6, wall - dt.timedelta(hours=3))], 11.0, wall)) == {"skewed"}
    # The leftover never shows, even much later; a row that went away is forgotten.
    assert _names(tracker.live([entry("leftover", 9, wall - dt.timedelta(days=2))], 12.0, wall)) == set()
    assert tracker.live([], 13.0, wall) == []
    assert _names(tracker.live([entry("leftover", 10, wall)], 14.0, wall)) == {"leftover"}
