"""How the app's process collects cyclic garbage: rarely, because each full collection stops every thread."""

from __future__ import annotations

import gc

#: Python's default, (700, 10, 10), runs a full collection every few hundred thousand new objects, and each walks
#: every object alive while holding the interpreter: with the large demo's dashboard read in the background, 90-220
#: ms each, the window frozen meanwhile (issue 24; measured through slowshare, the longest stall equalled the
#: longest collection). Collecting the youngest objects every 50,000 instead of every 700 leaves the full
#: collections rare (1 instead of 17 over four dashboard reads) and the stalls under 60 ms; garbage without cycles
#: is freed at once as before, so memory barely moves.
THRESHOLDS = (50_000, 20, 100)


def collect_rarely() -> None:
    """The thresholds above, for the whole process (the app sets them once, before its event loop runs)."""
    gc.set_threshold(*THRESHOLDS)
