"""Background work steps aside while the GUI thread is busy.

Python runs one thread at a time. While the GUI thread builds a tab or lays out a list it calls into Python at
every turn (each slot, each first call of a Python object's virtual), and each call waits for the interpreter
if a worker is turning rows into objects meanwhile; on a two-core machine that also runs a backup or a file
server's client, those waits added up to stalls of 100-330 ms (issue 24: the Accounts tab's first showing while
the zipper checks were computed). So the GUI thread beats (`turned()`, from a timer that runs only while
background work is under way), and long loops in workers call `pause_point()`: while the GUI thread has not
turned for a moment it is busy, and the worker sleeps in short steps, letting it have the interpreter alone.

A GUI thread that has not turned for long is not building anything (it waits, say, for the work to end as the
window closes): then nothing pauses. Without a beat (the command line, most tests) `pause_point()` does nothing.
"""

from __future__ import annotations

import threading
import time

#: The GUI thread counts as busy once it has not turned for this long (seconds; its beat comes every 10 ms).
BUSY_AFTER_S = 0.015
#: ... and as blocked, not busy, once it has not turned for this long: then nothing pauses for it.
BLOCKED_AFTER_S = 0.3
#: A pause point sleeps in steps of this long (seconds), at most MOST_STEPS of them.
STEP_S = 0.002
MOST_STEPS = 50

#: When the GUI thread last turned (time.monotonic()); 0.0 while nobody beats.
_last_turn = 0.0
_gui_thread: int | None = None


def turned() -> None:
    """The GUI thread's beat: its event loop has just turned."""
    global _last_turn, _gui_thread
    _gui_thread = threading.get_ident()
    _last_turn = time.monotonic()


def stop_beating() -> None:
    """No background work under way (or the window is closing): pause points no longer wait."""
    global _last_turn
    _last_turn = 0.0


def gui_busy() -> bool:
    """Whether the GUI thread is busy now (beating, and not turned for a moment, nor blocked)."""
    last = _last_turn
    if not last:
        return False
    quiet = time.monotonic() - last
    return BUSY_AFTER_S < quiet < BLOCKED_AFTER_S


def pause_point() -> None:
    """In a worker's long loop: while the GUI thread is busy, sleep in short steps (at most MOST_STEPS)."""
    if not _last_turn or threading.get_ident() == _gui_thread:
        return
    steps = 0
    while steps < MOST_STEPS and gui_busy():
        time.sleep(STEP_S)  # not an Event wait: that never returns under libfaketime (CI runs a year ahead)
        steps += 1
