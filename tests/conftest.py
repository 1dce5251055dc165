"""Test-wide set-up: offscreen Qt, per-session settings folders, kamdesk's one clock, and an empty run counted as a pass."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest

from kamdesk.collector import loop_that_idles
from kamdesk.domain import clock

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
loop_that_idles()  # Qt's own event loop on Linux, as the app runs it (kamdesk/collector.py)
_TMP = tempfile.mkdtemp(prefix="kamdesk-tests-")
# Tests never touch the real person's settings or team file.
os.environ["KAMDESK_CONFIG_DIR"] = os.path.join(_TMP, "config")
os.environ["KAMDESK_DATA_DIR"] = os.path.join(_TMP, "data")


def pytest_sessionfinish(session, exitstatus):  # noqa: ANN001 - pytest hook signature
    # "No tests collected" (exit 5) is not a failure for this project's CI.
    if exitstatus == 5:
        session.exitstatus = 0


@pytest.fixture
def fixed_clock() -> clock.Clock:
    """kamdesk's one clock, for a test to fix (`fixed_clock.fix(day)`); it follows the system again after."""
    return clock.clock()


@pytest.fixture(autouse=True)
def _clock_follows_the_system_after_each_test() -> Iterator[None]:
    yield
    clock.clock().release()
