"""The app collects cyclic garbage when its event loop has run out of events, not between two of them (issue 24:
a young collection of 20-60 ms between the steps of a tab being filled added to their stall)."""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEventLoop, QTimer

from kamdesk.app import _collect_on_gui_thread
from kamdesk.collector import WAIT_AT_MOST

THRESHOLD = 2_000


@pytest.fixture
def collecting(qapp) -> Iterator[list[bool]]:
    """The app's collections on (a small young threshold); yields, per collection, whether events were waiting."""
    before = gc.get_threshold()
    gc.collect()
    gc.set_threshold(THRESHOLD, 10, 10)
    busy = [False]
    seen: list[bool] = []

    def counted(phase: str, _info: dict) -> None:
        if phase == "start":
            seen.append(busy[0])

    stop = _collect_on_gui_thread(qapp)
    gc.callbacks.append(counted)
    try:
        yield busy, seen  # type: ignore[misc]
    finally:
        gc.callbacks.remove(counted)
        stop()
        gc.set_threshold(*before)


def _run_for(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def _burst(busy: list[bool], steps: int, objects_each: int, seconds: float) -> tuple[list[list[None]], list[int]]:
    """A tab's stream of events: `steps` posted one after another, each 10 ms of work that keeps `objects_each`
    garbage-collectable objects; `busy` is true until the last ends. The loop runs for `seconds`."""
    kept: list[list[None]] = []
    left = [steps]

    def step() -> None:
        kept.extend([None] for _ in range(objects_each))
        time.sleep(0.01)
        left[0] -= 1
        if left[0]:
            QTimer.singleShot(0, step)  # the next event is already waiting when this one ends
        else:
            busy[0] = False

    busy[0] = True
    QTimer.singleShot(0, step)
    _run_for(seconds)
    return kept, left


def test_a_collection_waits_for_a_burst_of_events_to_end(qapp, collecting):
    busy, seen = collecting
    kept, left = _burst(busy, 40, 100, 0.8)  # the burst lasts 0.4 s: longer than the timer's look (0.25 s)
    assert left[0] == 0 and not busy[0]
    assert len(kept) == 4_000 > THRESHOLD  # a collection was due from the burst's 20th step on
    assert seen, "nothing was collected once the loop ran out of events"
    assert not any(seen), "a collection ran between two events of the burst"
    assert gc.get_count()[0] < THRESHOLD


def test_a_loop_that_never_runs_out_of_events_still_collects_once_much_has_built_up(qapp, collecting):
    busy, seen = collecting
    _kept, left = _burst(busy, 60, THRESHOLD * WAIT_AT_MOST // 30, 1.0)
    assert left[0] == 0
    assert True in seen, "the timer never collected in a loop that stayed busy past WAIT_AT_MOST thresholds"


def test_the_tests_run_the_loop_the_app_runs(qapp):
    """On Linux the app asks for Qt's own loop (kamdesk.collector.loop_that_idles), which says aboutToBlock only
    when it has nothing left to do; so does the loop here, or the tests above would prove nothing about it."""
    from PySide6.QtCore import QAbstractEventDispatcher

    from kamdesk.collector import idles_only_when_idle

    dispatcher = QAbstractEventDispatcher.instance(qapp.thread())
    assert idles_only_when_idle(dispatcher.metaObject().className())
    assert not idles_only_when_idle("QPAEventDispatcherGlib")


def test_a_person_who_chose_a_loop_keeps_it(monkeypatch):
    from kamdesk.collector import loop_that_idles

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_NO_GLIB", raising=False)
    assert loop_that_idles()
    assert os.environ["QT_NO_GLIB"] == "1"
    monkeypatch.setenv("QT_NO_GLIB", "0")
    assert not loop_that_idles()
    assert os.environ["QT_NO_GLIB"] == "0"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv("QT_NO_GLIB")
    assert not loop_that_idles()
    assert "QT_NO_GLIB" not in os.environ


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the loop is chosen on Linux only")
def test_the_app_on_linux_runs_qts_own_loop_with_qts_own_file_dialogs():
    """The app's own QApplication, in a process of its own: Qt's loop, and no GTK file dialog waiting on GLib's."""
    import subprocess

    probe = (
        "from PySide6.QtCore import QAbstractEventDispatcher, Qt\n"
        "from kamdesk.app import _application\n"
        "app = _application()\n"
        "print(QAbstractEventDispatcher.instance().metaObject().className())\n"
        "print(app.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "QT_NO_GLIB"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    run = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    dispatcher, no_native = run.stdout.split()
    assert "Glib" not in dispatcher and no_native == "True"
