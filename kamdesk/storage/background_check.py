"""SQLite's integrity check of a copy on this computer's disk, in a child process that yields to the window.

A backup checks its copy of the team file before keeping it: for the large demo that is about two seconds of one
processor core. Run on a thread of the window's own process it competes with the window for the processor, and on
a two-core laptop (with the copy's own work and a file server's client beside it) the window stood still for over
100 ms at a time while it ran. A child process can ask the operating system to run it behind everything else: it
lowers its own priority (nice 10 on macOS and Linux), or is started below normal priority (Windows).

`python -m kamdesk --integrity-check FILE` (or the frozen kamdesk with the same arguments) prints SQLite's verdict,
"ok" or what is wrong, as one JSON string on its last line. Only the standard library is imported: the child starts
in a fraction of a second.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kamdesk.storage import snapshot as snapshots

CHILD_FLAG = "--integrity-check"
#: How far the child lowers its priority on macOS and Linux (0 normal, 19 lowest).
NICENESS = 10
#: What `wait` returns when the caller asked the check to stop (SQLite's own word for an interrupted statement).
INTERRUPTED = "interrupted"
#: Set in the child's environment by `start`: the parent holds the child's stdin open for as long as it lives.
PARENT_PIPE_ENV = "KAMDESK_CHECK_PARENT_PIPE"
#: A test makes the child wait this many seconds, its priority already lowered, before it checks.
PAUSE_ENV = "KAMDESK_TEST_CHECK_PAUSE"
FAILED_EXIT = 4


class CheckNotRunError(OSError):
    """The child could not run the check (it did not start, or ended without a verdict): check another way."""


def check(path: Path, stopped: Callable[[], bool] = lambda: False) -> str:
    """SQLite's full integrity check of `path` (a file on this computer's disk that nobody writes meanwhile):
    "ok", what is wrong, or INTERRUPTED when `stopped()` (asked every 50 ms) said yes. Raises CheckNotRunError
    when the child could not give a verdict."""
    return wait(start(path), stopped)


def start(path: Path) -> subprocess.Popen[str]:
    """Start the check's child process; `wait` gives its verdict. When this process ends, the child stops."""
    try:
        below_normal = getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0)  # Windows; elsewhere the child nices
        return snapshots.start_child([CHILD_FLAG, str(path)], PARENT_PIPE_ENV, below_normal)
    except OSError as exc:
        raise CheckNotRunError(f"the check's process did not start: {exc}") from exc


def wait(child: subprocess.Popen[str], stopped: Callable[[], bool] = lambda: False) -> str:
    """The verdict of a child `start` started; the child is ended at once when `stopped()` says yes."""
    while child.poll() is None:
        if stopped():
            child.kill()
            child.communicate()
            return INTERRUPTED
        time.sleep(0.05)  # not Event.wait(timeout): that never returns under libfaketime (CI runs a year ahead)
    out, err = child.communicate()
    lines = out.strip().splitlines()
    if child.returncode == 0 and lines:
        try:
            verdict = json.loads(lines[-1])
        except ValueError:
            verdict = None
        if isinstance(verdict, str):
            return verdict
    detail = (err or out).strip().splitlines()
    raise CheckNotRunError(detail[-1] if detail else f"the check's process ended with exit code {child.returncode}")


def lower_priority() -> None:
    """Ask the scheduler to run this process behind the others (no-op where it cannot, or on Windows, where
    `start` chose the priority class)."""
    if hasattr(os, "nice"):
        try:
            os.nice(NICENESS)
        except OSError:
            pass


def child_main(argv: list[str]) -> int:
    """`--integrity-check FILE`: lower this process's priority, check FILE, print the verdict as JSON."""
    lower_priority()
    path = Path(argv[0])
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5, check_same_thread=False)
    except sqlite3.Error as exc:
        print(json.dumps(str(exc)))
        return 0
    orphaned = threading.Event()
    if os.environ.get(PARENT_PIPE_ENV):
        threading.Thread(target=_stop_when_orphaned, args=(conn, orphaned), daemon=True).start()
    try:
        _pause_for_tests(orphaned)
        # The file is on this computer's disk and nobody writes it: read through memory mapping, the check takes
        # well under half the processor time (the large demo: 1.9 s against 5.2 s).
        conn.execute(f"PRAGMA mmap_size = {path.stat().st_size}").fetchall()
        verdict = "; ".join(str(row[0]) for row in conn.execute("PRAGMA integrity_check").fetchall())
    except sqlite3.DatabaseError as exc:
        verdict = str(exc)
    except OSError as exc:
        print(exc, file=sys.stderr)
        return FAILED_EXIT
    finally:
        conn.close()
    if orphaned.is_set():
        return FAILED_EXIT  # nobody reads the verdict, and an interrupted check has none
    print(json.dumps(verdict))
    return 0


def _stop_when_orphaned(conn: sqlite3.Connection, orphaned: threading.Event) -> None:
    snapshots.watch_parent(orphaned)
    conn.interrupt()


def _pause_for_tests(orphaned: threading.Event) -> None:
    pause = float(os.environ.get(PAUSE_ENV) or 0)
    ends = time.monotonic() + pause
    while time.monotonic() < ends and not orphaned.is_set():
        time.sleep(0.02)
