"""The agenda in the window (issue 24): its lines are worded off the GUI thread with the read (dates, kinds,
reasons for up to 2,000 items took the GUI thread over 100 ms on a loaded machine), and so are the list's
rows; the GUI thread only inserts them, and the list says what the items say."""

from __future__ import annotations

import datetime as dt
import threading

from kamdesk.domain.followups import reason_label
from kamdesk.services.workspace import Workspace
from kamdesk.ui import formatting
from kamdesk.ui.tabs import followups_tab
from kamdesk.ui.tabs.followups_tab import FollowUpsTab

TODAY = dt.date(2026, 11, 23)


def test_agenda_lines_are_worded_off_the_gui_thread_and_read_as_the_items_say(ws: Workspace, qtbot, monkeypatch):
    gui = threading.get_ident()
    worded_on: set[int] = set()
    real_reason = followups_tab.reason_label

    def watched(reason):  # noqa: ANN001, ANN202
        worded_on.add(threading.get_ident())
        return real_reason(reason)

    monkeypatch.setattr(followups_tab, "reason_label", watched)
    made_on: set[int] = set()
    real_row = followups_tab.agenda_row

    def made(*args):  # noqa: ANN002, ANN202
        made_on.add(threading.get_ident())
        return real_row(*args)

    monkeypatch.setattr(followups_tab, "agenda_row", made)
    tab = FollowUpsTab(ws, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.owner_combo.count() > 1 and bool(tab._items()), timeout=20_000)
    worded_on.clear()
    made_on.clear()
    tab.horizon_combo.setCurrentIndex(2)  # 30 days: a longer list, read and worded again
    horizon = int(tab.horizon_combo.currentData())
    expected = ws.followups.agenda(tab.owner_combo.currentData(), horizon)
    qtbot.waitUntil(lambda: len(tab._items()) == len(expected), timeout=20_000)
    assert worded_on and gui not in worded_on
    assert made_on and gui not in made_on  # the rows too: the GUI thread only inserts them
    shown = {item.data(0, followups_tab.ID_ROLE): item for _group, item in tab._items()}
    overdue = [i for i in expected if i.due_on and i.due_on < TODAY]
    assert overdue  # the demo has calls not made yet
    for agenda_item in expected[:50]:
        row = shown[agenda_item.id]
        due = formatting.date(agenda_item.due_on)
        assert row.text(0) == due or row.text(0).startswith(due + " ")
        assert row.text(4).startswith(reason_label(agenda_item.reason))
        assert row.text(3) == agenda_item.account_name and row.toolTip(4) == row.text(4)
        assert (row.foreground(0).color() == followups_tab.OVERDUE) == (agenda_item in overdue)
    titles = [tab.tree.topLevelItem(i).text(0) for i in range(tab.tree.topLevelItemCount())]
    assert titles[0] == f"Overdue ({len(overdue)})"
