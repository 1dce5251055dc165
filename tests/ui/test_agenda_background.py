"""The agenda in the window (issue 24): its first screen is one unit of work off the GUI thread (the team
and my agenda together), and the person beside an item is read off the GUI thread too."""

from __future__ import annotations

import datetime as dt
import threading

from PySide6.QtCore import QElapsedTimer, QTimer
from sqlalchemy import event

from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.followups_tab import FollowUpsTab

TODAY = dt.date(2026, 11, 23)


def _begins(ws: Workspace) -> list[str]:
    """Every BEGIN on the file from now on (one per unit of work), from whichever thread."""
    seen: list[str] = []
    event.listen(ws.db.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_the_first_agenda_screen_is_one_read_and_the_context_another(ws: Workspace, qtbot):
    statements = _begins(ws)
    on_gui: list[str] = []
    gui = threading.get_ident()
    event.listen(
        ws.db.engine,
        "before_cursor_execute",
        lambda *args: on_gui.append(args[2]) if threading.get_ident() == gui else None,
    )
    tab = FollowUpsTab(ws, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.owner_combo.count() > 1 and bool(tab.rows()), timeout=20_000)
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN"]  # team + agenda + paused events
    assert tab.owner_combo.itemText(0) == "Everyone" and tab.count_label.text().endswith("items")
    first = tab._items()[0][1]
    tab.tree.setCurrentItem(first)
    qtbot.waitUntil(lambda: first.text(2) in tab.context_text(), timeout=10_000)
    assert "Last touches" in tab.context_text()
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN", "BEGIN"]
    assert on_gui == []  # nothing of it read on the GUI thread


def test_a_slow_context_read_does_not_hold_up_the_window_and_the_last_selection_wins(ws, qtbot, monkeypatch):
    tab = FollowUpsTab(ws, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: len(tab._items()) >= 2, timeout=20_000)
    (_g1, one), (_g2, two) = tab._items()[:2]
    one_id, two_id = one.data(1, 0x0101), two.data(1, 0x0101)
    real = tab.service.context
    gate = threading.Event()

    def slow(contact_id: int):
        if contact_id == one_id and one_id != two_id:
            gate.wait(5)  # the first person's card comes back last, over a slow line
        return real(contact_id)

    monkeypatch.setattr(tab.service, "context", slow)
    clock_ms, longest, last = QElapsedTimer(), [0], [0]
    clock_ms.start()
    beat = QTimer()
    beat.setInterval(10)
    beat.timeout.connect(
        lambda: (
            longest.__setitem__(0, max(longest[0], clock_ms.elapsed() - last[0])),
            last.__setitem__(0, clock_ms.elapsed()),
        )
    )
    beat.start()
    tab.tree.setCurrentItem(one)
    tab.tree.setCurrentItem(two)
    qtbot.waitUntil(lambda: two.text(2) in tab.context_text(), timeout=10_000)
    gate.set()
    qtbot.wait(200)
    assert two.text(2) in tab.context_text()
    if one.text(2) != two.text(2):
        assert one.text(2) not in tab.context_text().splitlines()[0]
    assert longest[0] < 100
