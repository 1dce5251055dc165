"""The one source of "today" and "now" for the whole of kamdesk: services, widgets, reports, the CLI.

Nothing else in the code asks the system for the date (tests/unit/test_architecture.py checks), so
fixing this clock fixes the date everywhere at once: in a test, in a demo made "as of" a day, or in
a screenshot. The system clock is read only here.

Local time is the person's wall clock (what a date picker shows, what a backup is named after);
UTC is what the database stores. A fixed clock stands still at the moment it was given, so a run
that crosses midnight cannot change the day under a test.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Clock", "clock", "fixed", "today", "now", "utc_now"]

#: When a clock is fixed to a bare date, the moment it stands at: mid-morning, well clear of midnight
#: in every time zone kamdesk's users work in, so local and UTC dates agree.
FIXED_TIME_OF_DAY = dt.time(10, 0)


class Clock:
    """Today and now: the system's, or a fixed local moment (set with `fix`, undone with `release`)."""

    def __init__(self, fixed_at: dt.date | dt.datetime | None = None) -> None:
        self._fixed: dt.datetime | None = None
        if fixed_at is not None:
            self.fix(fixed_at)

    @property
    def is_fixed(self) -> bool:
        return self._fixed is not None

    def fix(self, when: dt.date | dt.datetime) -> None:
        """Stand still at `when` (local time; a date means that day at FIXED_TIME_OF_DAY)."""
        if isinstance(when, dt.datetime):
            self._fixed = when.replace(tzinfo=None) if when.tzinfo is None else _to_local_naive(when)
        else:
            self._fixed = dt.datetime.combine(when, FIXED_TIME_OF_DAY)

    def advance(self, delta: dt.timedelta) -> None:
        """Move a fixed clock on by `delta` (a test's way of letting time pass)."""
        if self._fixed is None:
            raise RuntimeError("only a fixed clock can be moved on")
        self._fixed += delta

    def release(self) -> None:
        """Follow the system clock again."""
        self._fixed = None

    def now(self) -> dt.datetime:
        """Local wall-clock time, naive."""
        if self._fixed is not None:
            return self._fixed
        return dt.datetime.now()

    def utc_now(self) -> dt.datetime:
        """The current moment in UTC, naive (as the database stores times)."""
        if self._fixed is not None:
            return _to_utc_naive(self._fixed)
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def today(self) -> dt.date:
        """The person's local date."""
        return self.now().date()

    def timestamp(self) -> float:
        """Seconds since the epoch, for comparing with file times."""
        if self._fixed is not None:
            return self._fixed.timestamp()
        return time.time()


def _to_utc_naive(local: dt.datetime) -> dt.datetime:
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _to_local_naive(aware: dt.datetime) -> dt.datetime:
    return aware.astimezone().replace(tzinfo=None)


_CLOCK = Clock()


def clock() -> Clock:
    """The process's clock (the workspace's, the CLI's, the reports')."""
    return _CLOCK


def today() -> dt.date:
    return _CLOCK.today()


def now() -> dt.datetime:
    return _CLOCK.now()


def utc_now() -> dt.datetime:
    return _CLOCK.utc_now()


@contextmanager
def fixed(when: dt.date | dt.datetime) -> Iterator[Clock]:
    """Fix the process's clock at `when` for the duration of a `with` block, then put it back."""
    previous = _CLOCK._fixed
    _CLOCK.fix(when)
    try:
        yield _CLOCK
    finally:
        _CLOCK._fixed = previous
