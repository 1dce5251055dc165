"""How the app's process shares the interpreter with its GUI thread: cyclic garbage collected rarely, and only
there (each full collection stops every thread), and the interpreter handed over often."""

from __future__ import annotations

import gc
import os
import sys

#: Python's default, (700, 10, 10), runs a full collection every few hundred thousand new objects, and each walks
#: every object alive while holding the interpreter: with the large demo's dashboard read in the background, 90-220
#: ms each, the window frozen meanwhile (issue 24; measured through slowshare, the longest stall equalled the
#: longest collection). Collecting the youngest objects every 50,000 instead of every 700 leaves the full
#: collections rare (1 instead of 17 over four dashboard reads) and the stalls under 60 ms; garbage without cycles
#: is freed at once as before, so memory barely moves. Since collections wait for the GUI thread's loop to run out
#: of events (kamdesk/app.py), each one is a stall of its own: a young collection of 50,000 objects took 20-84 ms
#: there, of 20,000 objects at most 27 ms, and the four bench walks' worst steps fell from 52-85 ms to 33-47 ms. The
#: middle generation's threshold went up as the youngest's came down (20 x 50,000 = 50 x 20,000 objects).
THRESHOLDS = (20_000, 50, 100)


def collect_rarely() -> None:
    """The thresholds above, for the whole process (the app sets them once, before its event loop runs)."""
    gc.set_threshold(*THRESHOLDS)


def on_gui_thread_only() -> None:
    """Stop Python collecting by itself: from now on cyclic garbage is collected only where `collect_due` is
    called, on the GUI thread. A collection runs in whichever thread happens to allocate when a threshold
    is passed, and destroys what it frees there: a window's Qt object freed on a worker thread crashes the
    process (seen as a segmentation fault in a worker's read while the GUI thread waited on it)."""
    gc.disable()


def keep_start_up() -> None:
    """Once the window is shown: every object alive now (the code, the window's widgets, the settings) leaves the
    collector's sight for good (gc.freeze), so a full collection no longer walks them. Full collections are rare
    (THRESHOLDS: after some 100 million young objects), but each holds the GUI thread: on the large demo, after
    every tab was shown, 118-135 ms, and 36-67 ms with the 153,000 start-up objects kept out. What the start-up
    left as cyclic garbage stays with them: a few objects, once."""
    gc.freeze()


#: A collection waits for the GUI thread to run out of events (`kamdesk.app._collect_on_gui_thread`) until this
#: many times its threshold of young objects has built up; then the timer's look collects wherever the loop is.
WAIT_AT_MOST = 4


def collect_due(idle: bool = True) -> int:
    """Python's own schedule (the thresholds above), one step, on the calling thread: the oldest generation
    whose count has passed its threshold is collected. The generation collected, or -1 when none was due.

    Not `idle` (the event loop is between two events, with more to come): nothing is collected until
    WAIT_AT_MOST times the threshold has built up."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] < thresholds[0] * (1 if idle else WAIT_AT_MOST):
        return -1
    generation = 0
    while generation < 2 and counts[generation + 1] >= thresholds[generation + 1]:
        generation += 1
    gc.collect(generation)
    return generation


#: How long a thread may hold the interpreter before another that waits for it gets a turn (seconds). Python's
#: default, 5 ms, let the background reads (each turning rows into Python objects) keep the GUI thread waiting
#: 5 ms at a time, again at every hand-back: building a tab while the others read, through slowshare's LAN
#: setting, the longest stall was 111-337 ms over three runs with 5 ms and 73-95 ms with 1 ms (issue 24). The GUI
#: thread takes the interpreter back many times while Qt builds and paints a tab (each Python object's first
#: virtual call, each event filter): with the zipper checks computing in a worker, the Accounts tab's first
#: showing stalled 113-331 ms with 1 ms and 64-124 ms with 0.2 ms (four runs each; 50 us did no better).
SWITCH_INTERVAL_S = 0.0002


def switch_often() -> None:
    """The interval above, for the whole process (the app sets it once, before its event loop runs)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def loop_that_idles() -> bool:
    """Before the QApplication is made: on Linux, Qt's own event loop instead of GLib's. The app collects when
    its loop runs out of events (the dispatcher's aboutToBlock, kamdesk/app.py). Windows' and macOS' loops say
    that only when nothing is left to do, and so does Qt's own; GLib's says it at every turn, even in the middle
    of a burst. Linux is where the tests, CI and the benchmarks run: they then run the loop as the installers'
    platforms do. A person who sets QT_NO_GLIB themselves keeps their choice.

    Whether Qt's own loop runs on Linux: then GTK's file dialogs, which need GLib's loop, must not be used."""
    if not sys.platform.startswith("linux"):
        return False
    return os.environ.setdefault("QT_NO_GLIB", "1") not in ("", "0")


def idles_only_when_idle(dispatcher_class: str) -> bool:
    """Whether an event dispatcher of this class says aboutToBlock only once it has nothing left to do."""
    return "Glib" not in dispatcher_class
