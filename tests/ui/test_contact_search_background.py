"""The contact list reads off the GUI thread (issue 24): a slow search on a file server never freezes the
window, says it is searching, and the newest keystroke's rows are the ones shown."""

from __future__ import annotations

import datetime as dt
import threading
import time

from PySide6.QtCore import QElapsedTimer, QTimer

from kamdesk.domain.contacts import ContactQuery
from kamdesk.ui.tabs.contacts_tab import ContactsTab

TODAY = dt.date(2026, 11, 23)


class Heartbeat:
    """A 10 ms timer on the GUI thread, and the longest it went without firing."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = 0
        self.longest = 0
        self.ticks = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now
        self.ticks += 1


def _names(tab: ContactsTab) -> list[str]:
    model = tab.contacts_page.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_a_slow_search_keeps_the_window_turning_and_the_newest_keystroke_wins(ws, qtbot, monkeypatch):
    tab = ContactsTab(ws, background=True)
    qtbot.addWidget(tab)
    page = tab.contacts_page
    qtbot.waitUntil(lambda: not page.model.busy and page.model.rowCount() > 0, timeout=20_000)
    size = page.model.first_page_size
    expected_wang, total_wang = ws.contacts.first_page(ContactQuery(search="王"), size)
    expected_zhang, total_zhang = ws.contacts.first_page(ContactQuery(search="张"), size)
    assert total_wang and total_zhang and {i.id for i in expected_wang} != {i.id for i in expected_zhang}

    real = ws.contacts.first_page
    started: list[str] = []
    release_wang = threading.Event()

    def slow(query: ContactQuery, limit: int):  # a file server far away: 王's read ends after 张's
        started.append(query.search)
        if query.search == "王":
            release_wang.wait(5)
        else:
            time.sleep(0.3)
        return real(query, limit)

    monkeypatch.setattr(ws.contacts, "first_page", slow)
    beat = Heartbeat()
    page.search.setText("王")
    qtbot.waitUntil(lambda: started == ["王"], timeout=5_000)
    assert page.model.busy and page.count_label.text() == "Searching…"
    page.search.setText("张")
    qtbot.waitUntil(lambda: started == ["王", "张"], timeout=5_000)
    qtbot.waitUntil(lambda: not page.model.busy, timeout=10_000)
    assert _names(tab) == [i.name for i in expected_zhang]
    assert page.count_label.text() == f"{total_zhang} contacts"
    release_wang.set()  # the older keystroke's rows arrive last: they are dropped
    qtbot.wait(300)
    assert _names(tab) == [i.name for i in expected_zhang]
    assert beat.ticks >= 25  # the event loop went on turning through both reads
    assert beat.longest < 100, f"the window stood still for {beat.longest} ms"


def test_keystrokes_typed_quickly_make_one_read(ws, qtbot, monkeypatch):
    tab = ContactsTab(ws, background=True)
    qtbot.addWidget(tab)
    page = tab.contacts_page
    qtbot.waitUntil(lambda: not page.model.busy and page.model.rowCount() > 0, timeout=20_000)
    real = ws.contacts.first_page
    asked: list[str] = []
    monkeypatch.setattr(ws.contacts, "first_page", lambda q, n: asked.append(q.search) or real(q, n))
    for text in ("w", "wa", "wan", "wang"):
        page.search.setText(text)
        qtbot.wait(20)
    qtbot.waitUntil(lambda: bool(asked) and not page.model.busy, timeout=10_000)
    assert asked == ["wang"]


def test_the_background_model_passes_the_model_tester_and_pages_on(ws, qtbot, qtmodeltester):
    tab = ContactsTab(ws, background=True)
    qtbot.addWidget(tab)
    model = tab.contacts_page.model
    qtbot.waitUntil(lambda: not model.busy and model.rowCount() > 0, timeout=20_000)
    assert model.total() > model.rowCount()  # the small demo has more people than one page
    qtmodeltester.check(model)
    first = model.rowCount()
    model.fetchMore()
    assert not model.canFetchMore()  # one page at a time, while it is on its way
    qtbot.waitUntil(lambda: model.rowCount() > first, timeout=10_000)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        i.name for i in ws.contacts.page(ContactQuery(), 0, model.rowCount())
    ]


def test_a_keystroke_reads_two_screenfuls_and_scrolling_reads_on(ws, qtbot, monkeypatch):
    asked: list[int] = []
    real = ws.contacts.first_page

    def watched(query: ContactQuery, limit: int):
        asked.append(limit)
        return real(query, limit)

    monkeypatch.setattr(ws.contacts, "first_page", watched)
    tab = ContactsTab(ws, background=True)
    qtbot.addWidget(tab)
    page = tab.contacts_page
    qtbot.waitUntil(lambda: not page.model.busy and page.model.rowCount() > 0, timeout=20_000)
    page.search.setText("王")
    qtbot.waitUntil(lambda: len(asked) == 2 and not page.model.busy, timeout=10_000)
    assert asked == [60, 60]  # on a file in small pages, each row not read yet is a request of its own
    page.search.setText("")
    qtbot.waitUntil(lambda: len(asked) == 3 and not page.model.busy, timeout=10_000)
    total = page.model.total()
    assert total > 60 and page.model.rowCount() == 60
    page.table.scrollToBottom()  # the person scrolls down: the next page is read and joins the list
    qtbot.waitUntil(lambda: page.model.rowCount() > 60, timeout=10_000)
    everyone = ws.contacts.page(ContactQuery(), 0, page.model.rowCount())
    assert _names(tab) == [i.name for i in everyone]
