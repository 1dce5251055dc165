"""Stopping a long SQLite statement from outside, without a progress handler.

A progress handler is a call into Python every few thousand of SQLite's steps: some 5,000 a second for each
busy connection on a local copy, each one taking the interpreter from whichever thread holds it. The GUI thread
then waits its turn at every Qt call it makes, and a tab's first showing froze the window for longer than the
100 ms the speed issue allows (issue 24). A watcher that looks 20 times a second and interrupts the connection
stops the statement as soon, and costs the interpreter 20 brief wakes a second instead.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: How often the watcher asks whether to stop (seconds).
LOOK_EVERY_S = 0.05


@contextmanager
def interrupted_when(conn: sqlite3.Connection, stopped: Callable[[], bool]) -> Iterator[None]:
    """While the block runs, `conn` is interrupted (its statement ends with "interrupted") once `stopped()`
    says yes, and again at every look after that (a statement started later stops too)."""
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            time.sleep(LOOK_EVERY_S)  # a sleep loop: under libfaketime a wait with a timeout never ends
            if not done.is_set() and stopped():
                conn.interrupt()

    watcher = threading.Thread(target=watch, name="kamdesk-stop-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
