"""The idle change poll: one look at the file's size and time while nothing moves, SQLite only when it did."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kamdesk.storage.changes import DataVersionProbe
from kamdesk.storage.database import Database
from kamdesk.storage.tables import AccountRow


class CountingProbe(DataVersionProbe):
    """Counts the questions put to SQLite (each a whole lock sequence on a file server)."""

    asked = 0

    def _ask(self) -> int | None:
        self.asked += 1
        return super()._ask()


def _save(db: Database, name: str) -> None:
    with db.write() as session:
        session.add(AccountRow(name=name))


def test_an_idle_file_is_asked_only_every_few_polls(open_as: Callable[..., Database], db_path: Path):
    alice = open_as("alice")
    probe = CountingProbe(alice)
    first = probe.version(force=True)
    polls = 3 * probe.FULL_CHECK_EVERY
    versions = {probe.version() for _ in range(polls)}
    probe.close()
    assert versions == {first}
    # One confirming question, then one every FULL_CHECK_EVERY polls for lazy file servers.
    assert 1 < probe.asked <= 2 + polls // probe.FULL_CHECK_EVERY
    assert probe.asked < polls // 2


def test_a_commit_by_someone_else_is_seen_at_the_next_poll(open_as: Callable[..., Database]):
    alice, bob = open_as("alice"), open_as("bob")
    probe = DataVersionProbe(alice)
    before = probe.version(force=True)
    for _ in range(probe.FULL_CHECK_EVERY):
        assert probe.version() == before
    _save(bob, "华为")
    assert probe.version() != before
    probe.close()


def test_two_commits_within_one_tick_of_the_file_clock_are_both_seen(
    open_as: Callable[..., Database], monkeypatch: pytest.MonkeyPatch
):
    """A stamp is trusted only after a second question saw it unchanged: the second of two commits in
    one tick of the file system's clock leaves the stamp as the first left it, and is still seen."""
    alice, bob = open_as("alice"), open_as("bob")
    probe = DataVersionProbe(alice)
    stamp = [(1, 4096, 7)]
    monkeypatch.setattr(probe, "_file_stamp", lambda: stamp[0])
    v0 = probe.version(force=True)
    _save(bob, "华为")
    stamp[0] = (2, 4096, 7)
    v1 = probe.version()
    assert v1 != v0
    _save(bob, "中兴")  # same tick: the stamp stays (2, 4096, 7)
    v2 = probe.version()
    assert v2 != v1
    assert [probe.version() for _ in range(probe.FULL_CHECK_EVERY)] == [v2] * probe.FULL_CHECK_EVERY
    probe.close()
