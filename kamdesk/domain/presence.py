"""Who else has the file open, judged without trusting anyone's clock but the observer's own.

Each client writes a heartbeat now and then: its time (by its own clock) and a counter it bumps.
Comparing another machine's heartbeat time with ours would call a live client "gone" whenever the
two clocks disagree by more than the stale window, which shared office PCs often do. So the
observer watches the counter instead: a session whose counter has moved within the stale window,
measured on the observer's own steady clock, is live; one whose counter has stood still for the
whole window is gone. A session seen for the first time is taken as live, unless its heartbeat is
so old (half a day) that no clock error explains it: then it is a leftover of a crash long ago.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

from kamdesk.domain.models import PresenceEntry

#: A first-seen heartbeat older than this by the observer's clock is a leftover, not a skewed clock.
LEFTOVER_AFTER = dt.timedelta(hours=12)
#: How often an open window beats (ui/main_window.py HEARTBEAT_MS).
HEARTBEAT_EVERY = dt.timedelta(minutes=1)
#: A session whose counter has not moved for this long, on the observer's steady clock, is gone.
PRESENCE_STALE_AFTER = dt.timedelta(minutes=3)
#: A session whose last heartbeat is this old by the observer's clock is cleared by `kamdesk check` without
#: watching: no clock is that far off, and no window goes a week without a beat.
ABANDONED_AFTER = dt.timedelta(days=7)


@dataclass
class PresenceTracker:
    """Remembers, per session, the last counter seen and when (observer's steady clock) it moved."""

    stale_after: dt.timedelta
    leftover_after: dt.timedelta = LEFTOVER_AFTER
    _seen: dict[str, tuple[int, float]] = field(default_factory=dict)
    #: The window's presence poll and a worker's busy message may ask at the same moment.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def live(self, entries: list[PresenceEntry], steady_now: float, wall_now: dt.datetime) -> list[PresenceEntry]:
        """The entries that are live now. `steady_now` is a monotonic reading in seconds; `wall_now`
        (naive UTC) is only used to tell a long-dead leftover from a skewed clock at first sight."""
        with self._lock:
            return self._live(entries, steady_now, wall_now)

    def _live(self, entries: list[PresenceEntry], steady_now: float, wall_now: dt.datetime) -> list[PresenceEntry]:
        window = self.stale_after.total_seconds()
        live: list[PresenceEntry] = []
        present = set()
        for entry in entries:
            present.add(entry.session_id)
            seen = self._seen.get(entry.session_id)
            if seen is None:
                if wall_now - entry.heartbeat_at > self.leftover_after:
                    # Never moves again: remember it as already stale so it never shows.
                    self._seen[entry.session_id] = (entry.heartbeat_count, steady_now - window - 1)
                    continue
                self._seen[entry.session_id] = (entry.heartbeat_count, steady_now)
                live.append(entry)
                continue
            count, since = seen
            if entry.heartbeat_count != count:
                self._seen[entry.session_id] = (entry.heartbeat_count, steady_now)
                live.append(entry)
            elif steady_now - since <= window:
                live.append(entry)
        for gone in set(self._seen) - present:
            del self._seen[gone]  # closed cleanly (its row was removed)
        return live
