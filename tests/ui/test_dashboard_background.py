"""The dashboard on a slow file (issue 24): its figures are read off the GUI thread, a line says how far the
read got while it takes a while, and the window keeps turning meanwhile."""

from __future__ import annotations

import threading

from PySide6.QtCore import QElapsedTimer, QTimer

from kamdesk.domain.models import AccountDetail, AccountValue
from kamdesk.ui.tabs.dashboard_tab import READ_STEPS, DashboardTab


def test_a_slow_dashboard_read_shows_its_progress_and_never_freezes(qtbot, workspace, monkeypatch):
    workspace.accounts.save(AccountDetail(name="宁波港务", values=[AccountValue("2026", 500_000, None)]))
    gate = threading.Event()
    real = workspace.accounts.dashboard

    def slow():  # the figures of a large file, far away
        gate.wait(5)
        return real()

    monkeypatch.setattr(workspace.accounts, "dashboard", slow)
    clock, longest, last = QElapsedTimer(), [0], [0]
    clock.start()

    def tick() -> None:
        longest[0] = max(longest[0], clock.elapsed() - last[0])
        last[0] = clock.elapsed()

    beat = QTimer()
    beat.setInterval(10)
    beat.timeout.connect(tick)
    beat.start()
    tab = DashboardTab(workspace, background=True)
    qtbot.addWidget(tab)
    tab.show()
    longest[0], last[0] = 0, clock.elapsed()  # from here on: the read, not the building of the charts
    qtbot.waitUntil(lambda: tab.reading.isVisible(), timeout=3_000)
    # The parts are read side by side: the counts, the targets and the zippers are in, the account figures to come.
    qtbot.waitUntil(lambda: tab.reading.text() == f"Reading the figures… ({READ_STEPS - 1} of {READ_STEPS})")
    gate.set()
    qtbot.waitUntil(lambda: not tab.reading.isVisible(), timeout=10_000)
    assert tab.totals.values["accounts"].text() == "1"
    assert longest[0] < 100
