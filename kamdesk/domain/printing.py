"""What long prints share across the layers: how they report progress, and how they stop when asked."""

from __future__ import annotations

from collections.abc import Callable

#: progress(done, total) -> False when the person pressed Stop. Called per page or group of a print.
Progress = Callable[[int, int], bool]


class PrintCancelled(Exception):
    """The person stopped a print part-way; nothing was written (no half-finished file is left behind)."""
