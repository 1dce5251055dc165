"""The dashboard on a file far away (issue 24): the figures of the last read, kept on this computer, are on screen
at once and said to be old until the file's own arrive; a damaged, foreign or newer kept file is ignored; and a
colleague's save re-reads only the parts it touches, and nothing while the tab is hidden, until it is shown."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import threading
from pathlib import Path

import pytest
from test_tab_contract import bob, window  # noqa: F401 - the window and a colleague on the same file

from kamdesk.domain.contacts import ContactDetail
from kamdesk.domain.models import AccountDetail, AccountValue
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import formatting, tasks
from kamdesk.ui.main_window import MainWindow
from kamdesk.ui.tabs import dashboard_tab
from kamdesk.ui.tabs.dashboard_figures import (
    CACHE_FORMAT,
    PARTS,
    CachedFigures,
    cache_identity,
    cache_path,
    load_cache,
    parts_for,
    read_part,
    save_cache,
)
from kamdesk.ui.tabs.dashboard_tab import DashboardTab

MORNING = dt.datetime(2026, 11, 23, 9, 40)


def _account(ws: Workspace, name: str, cents: int = 500_000) -> int:
    account_id, _ = ws.accounts.save(AccountDetail(name=name, values=[AccountValue("2026", cents, None)]))
    return account_id


def _kept_by_a_first_start(qtbot, ws: Workspace) -> None:  # noqa: ANN001
    first = DashboardTab(ws, background=True)
    qtbot.addWidget(first)
    with qtbot.waitSignal(first.figures_kept, timeout=10_000):
        pass
    assert first.totals.values["accounts"].text() == "1"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every part the dashboard reads from the file, in order."""
    seen: list[str] = []

    def counted(ws: Workspace, part: str):  # noqa: ANN202
        seen.append(part)
        return read_part(ws, part)

    monkeypatch.setattr(dashboard_tab, "read_part", counted)
    return seen


def test_the_last_figures_show_at_once_marked_old_and_give_way_to_the_files(qtbot, workspace, monkeypatch):  # noqa: ANN001
    workspace.clock.fix(MORNING)
    _account(workspace, "宁波港务")
    _kept_by_a_first_start(qtbot, workspace)
    _account(workspace, "苏州恒远")  # a colleague's save while this window was closed
    workspace.clock.fix(MORNING + dt.timedelta(hours=2))  # the next start, later that morning
    gate = threading.Event()

    def far_away(ws: Workspace, part: str):  # noqa: ANN202 - the file on a slow share: every part takes a while
        gate.wait(10)
        return read_part(ws, part)

    monkeypatch.setattr(dashboard_tab, "read_part", far_away)
    tab = DashboardTab(workspace, background=True)
    qtbot.addWidget(tab)
    tab.show()
    with qtbot.waitSignal(tab.part_shown, timeout=5_000, check_params_cb=lambda part: part == "kept"):
        pass
    assert tab.totals.values["accounts"].text() == "1"  # the kept count, while the file's is on its way
    assert tab.data is not None and len(tab.data.pareto.points) == 1
    when = formatting.time_of_day(workspace.clock.utc_now() - dt.timedelta(hours=2))
    assert tab.reading.isVisible()
    assert tab.reading.text() == f"Figures from {when}; updating… (0 of 4)"
    gate.set()
    with qtbot.waitSignal(tab.refreshed, timeout=10_000):
        pass
    assert tab.totals.values["accounts"].text() == "2"
    assert len(tab.data.pareto.points) == 2
    assert not tab.reading.isVisible()


def test_figures_kept_on_another_day_say_their_date(qtbot, workspace, monkeypatch):  # noqa: ANN001
    workspace.clock.fix(MORNING)
    _account(workspace, "宁波港务")
    _kept_by_a_first_start(qtbot, workspace)
    workspace.clock.fix(MORNING + dt.timedelta(days=1))
    gate = threading.Event()
    monkeypatch.setattr(dashboard_tab, "read_part", lambda ws, part: (gate.wait(10), read_part(ws, part))[1])
    tab = DashboardTab(workspace, background=True)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.part_shown, timeout=5_000, check_params_cb=lambda part: part == "kept"):
        pass
    kept_at = workspace.clock.utc_now() - dt.timedelta(days=1)
    assert tab.reading.text() == f"Figures from {formatting.date_time(kept_at)}; updating… (0 of 4)"
    gate.set()
    with qtbot.waitSignal(tab.refreshed, timeout=10_000):
        pass


def test_kept_figures_that_cannot_be_updated_still_say_how_old_they_are(qtbot, workspace, monkeypatch):  # noqa: ANN001
    workspace.clock.fix(MORNING)
    _account(workspace, "宁波港务")
    _kept_by_a_first_start(qtbot, workspace)
    workspace.clock.fix(MORNING + dt.timedelta(minutes=30))

    def busy(ws: Workspace, part: str):  # noqa: ANN202
        if part == "summary":
            raise StorageError("The team file is busy: Bob is saving.")
        return read_part(ws, part)

    monkeypatch.setattr(dashboard_tab, "read_part", busy)
    tab = DashboardTab(workspace, background=True)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.problem.isVisible(), timeout=10_000)
    assert "The team file is busy: Bob is saving." in tab.problem.text()
    assert tab.totals.values["accounts"].text() == "1"  # the kept count stays
    assert tab.reading.isVisible()
    assert (
        tab.reading.text()
        == f"Figures from {formatting.time_of_day(workspace.clock.utc_now() - dt.timedelta(minutes=30))}."
    )


def _kept_file(workspace: Workspace) -> Path:
    return cache_path(cache_identity(workspace))


@pytest.mark.parametrize("damage", ["not json", "truncated", "newer kamdesk", "another file", "foreign class", "empty"])
def test_a_damaged_foreign_or_newer_kept_file_is_ignored(qtbot, workspace, damage):  # noqa: ANN001
    workspace.clock.fix(MORNING)
    _account(workspace, "宁波港务")
    _kept_by_a_first_start(qtbot, workspace)
    path = _kept_file(workspace)
    good = json.loads(path.read_text(encoding="utf-8"))
    assert load_cache(cache_identity(workspace)) is not None  # the undamaged file is taken
    text = {
        "not json": "\x00\xff garbage",
        "truncated": path.read_text(encoding="utf-8")[:200],
        "newer kamdesk": json.dumps({**good, "format": CACHE_FORMAT + 1}),
        "another file": json.dumps({**good, "file": "/elsewhere/other.kamdb"}),
        "foreign class": json.dumps({**good, "figures": {"$map": [["summary", {"$data": "os:system", "v": {}}]]}}),
        "empty": "",
    }[damage]
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    assert load_cache(cache_identity(workspace)) is None
    tab = DashboardTab(workspace, background=True)
    qtbot.addWidget(tab)
    shown: list[str] = []
    tab.part_shown.connect(shown.append)
    with qtbot.waitSignal(tab.refreshed, timeout=10_000):
        pass
    assert "kept" not in shown and sorted(shown) == sorted(PARTS)
    assert tab.totals.values["accounts"].text() == "1"
    with qtbot.waitSignal(tab.figures_kept, timeout=5_000):
        pass
    assert load_cache(cache_identity(workspace)) is not None  # and replaced by a good one


def test_kept_figures_round_trip_exactly(workspace: Workspace, tmp_path: Path):
    workspace.clock.fix(MORNING)
    account = _account(workspace, "宁波港务")
    workspace.contacts.save(ContactDetail(name="王建国", account_id=account, rank_tier="director"))
    figures = {part: read_part(workspace, part) for part in PARTS}
    kept = CachedFigures(workspace.clock.utc_now(), workspace.clock.today(), figures)
    path = save_cache("team", kept, tmp_path)
    assert load_cache("team", tmp_path) == kept
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it names accounts and people: the person's only
    assert load_cache("another team", tmp_path) is None


def test_each_change_touches_only_the_parts_that_show_it():
    assert parts_for({"links"}) == ("zippers",)
    assert parts_for({"account_values"}) == ("accounts",)
    assert parts_for({"contacts"}) == ("summary", "targets", "zippers")
    assert parts_for({"plan_actions"}) == ()
    assert parts_for({"*"}) == PARTS


def test_a_colleagues_save_rereads_only_what_it_touched(qtbot, window: MainWindow, workspace, bob, reads):  # noqa: ANN001, F811
    account = _account(workspace, "宁波港务")
    tab = window.dashboard_tab
    window.refresh()  # F5
    qtbot.waitUntil(lambda: tab.totals.values["accounts"].text() == "1", timeout=10_000)
    qtbot.waitUntil(lambda: not tab._queue and not tasks.pending(), timeout=10_000)
    workspace.changes.reset()
    reads.clear()
    bob.contacts.save(ContactDetail(name="王建国", account_id=account, rank_tier="director"))
    with qtbot.waitSignal(tab.refreshed, timeout=10_000):
        assert window.shared_file.poll_changes()
    assert sorted(reads) == ["summary", "targets", "zippers"]  # a new contact: no account figure moved
    assert tab.totals.values["contacts"].text() == "1"


def test_a_hidden_dashboard_reads_nothing_until_it_is_shown(qtbot, window: MainWindow, workspace, bob, reads):  # noqa: ANN001, F811
    tab = window.dashboard_tab
    # the first read is done (its kept figures, then the file's: each read starts when the event loop turns)
    qtbot.waitUntil(lambda: "accounts" in reads and not tab._queue and not tasks.pending(), timeout=10_000)
    window.tabs.setCurrentWidget(window.accounts_tab)
    workspace.changes.reset()
    reads.clear()
    _account(bob, "宁波港务")
    _account(bob, "苏州恒远")
    assert window.shared_file.poll_changes()
    qtbot.wait(300)
    assert reads == []  # nobody is looking
    assert tab.totals.values["accounts"].text() == "0"
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.totals.values["accounts"].text() == "2", timeout=10_000)
    qtbot.waitUntil(lambda: not tab._queue, timeout=10_000)
    assert "accounts" in reads and reads.count("summary") == 1  # read once, when shown


def test_a_burst_of_changes_is_read_once_after_the_read_on_its_way(qtbot, workspace, reads, monkeypatch):  # noqa: ANN001
    tab = DashboardTab(workspace, background=True)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.refreshed, timeout=10_000):
        pass
    reads.clear()
    gate = threading.Event()
    real = workspace.summary
    monkeypatch.setattr(workspace, "summary", lambda: (gate.wait(10), real())[1])
    tab.refresh()
    qtbot.waitUntil(lambda: "summary" in reads and "zippers" not in tab._queue, timeout=5_000)  # on its way, slowly
    for name in ("宁波港务", "苏州恒远", "杭州湾"):
        _account(workspace, name)
        tab.refresh()  # as the window does after each save
    gate.set()
    qtbot.waitUntil(lambda: len(reads) == 2 * len(PARTS) and not tab._queue, timeout=10_000)
    qtbot.wait(300)
    assert sorted(reads) == sorted(2 * PARTS)  # the read on its way, then one more for the three saves
    assert tab.totals.values["accounts"].text() == "3"


def test_the_kept_figures_name_their_file_without_asking_the_file_system(monkeypatch: pytest.MonkeyPatch):
    """The name is made on the GUI thread: on a file server each path component looked up is a request."""

    class Somewhere:
        path = Path("team") / "销售部" / "team.kamdb"
        display_name = "team.kamdb"

    def no_lookups(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("the file system was asked")

    monkeypatch.setattr(os, "stat", no_lookups)
    monkeypatch.setattr(os, "lstat", no_lookups)
    identity = cache_identity(Somewhere())  # type: ignore[arg-type]
    monkeypatch.undo()
    assert identity == str(Path.cwd() / "team" / "销售部" / "team.kamdb")
