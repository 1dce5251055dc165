"""Backups as plain values, and the rules for when to make one and which to keep (daily, weekly, monthly)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: An automatic backup is made on the first open of a day, and then at most this often when data changed.
AUTO_BACKUP_EVERY = dt.timedelta(hours=3)


@dataclass(frozen=True)
class BackupInfo:
    """One verified backup file: where it is, when it was made (local time) and its size in bytes."""

    path: Path
    made_at: dt.datetime
    size: int


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the file restored, the backup it came from, and the copy of what it replaced."""

    target: Path
    restored_from: Path
    previous_copy: Path | None


@dataclass(frozen=True)
class LockHolder:
    """Who holds the backup lock of a file: name, computer, process and since when (their local time)."""

    name: str
    host: str
    pid: int
    since: dt.datetime | None
    #: The kamdesk session (one open window) that took it, when known.
    session: str = ""


@dataclass(frozen=True)
class Rotation:
    """How many backups survive: the newest few, then the newest of each of the last days, weeks, months."""

    recent: int = 6
    daily: int = 7
    weekly: int = 5
    monthly: int = 12


DEFAULT_ROTATION = Rotation()


def backups_to_keep(backups: Sequence[BackupInfo], rotation: Rotation = DEFAULT_ROTATION) -> set[Path]:
    """The backups a rotation keeps: the newest `recent`, and the newest one of each recent day, week, month."""
    newest_first = sorted(backups, key=lambda b: b.made_at, reverse=True)
    keep = {b.path for b in newest_first[: rotation.recent]}
    periods: list[tuple[Callable[[dt.datetime], Hashable], int]] = [
        (lambda t: t.date(), rotation.daily),
        (lambda t: t.isocalendar()[:2], rotation.weekly),
        (lambda t: (t.year, t.month), rotation.monthly),
    ]
    for period_of, count in periods:
        seen: set[Hashable] = set()
        for backup in newest_first:
            period = period_of(backup.made_at)
            if period in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(period)
            keep.add(backup.path)
    return keep


def backup_due(
    newest: BackupInfo | None, now: dt.datetime, changed_since_newest: bool, every: dt.timedelta = AUTO_BACKUP_EVERY
) -> bool:
    """Whether an automatic backup is due: none yet today, or `every` has passed and the data changed."""
    if newest is None or newest.made_at.date() != now.date():
        return True
    return changed_since_newest and now - newest.made_at >= every
