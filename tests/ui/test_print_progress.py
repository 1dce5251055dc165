"""Long prints from the window: progress page by page, a Stop button that ends the print cleanly (nothing previewed,
no file left), the pick list beside the gift schedule, and the org map written only when it is complete."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog

from kamdesk.domain.gifts import GiftSchedule, GiftScheduleRow
from kamdesk.services.printing import PrintCancelled
from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.gifts.tab import GiftsTab

TODAY = dt.date(2027, 8, 20)


def _schedule(rows: int) -> GiftSchedule:
    return GiftSchedule(
        "中秋礼品",
        "2027",
        "account",
        [
            GiftScheduleRow(
                dt.date(2027, 9, 1 + i % 28),
                f"客户{i % 9}",
                f"联系人{i:03d}",
                "经理",
                "中秋月饼",
                300_00,
                "courier",
                "王芳",
                "中秋节",
                "planned",
                "南京市中山路 1 号 210008",
                gift_id=i,
            )
            for i in range(rows)
        ],
        "CNY",
        TODAY,
    )


@pytest.fixture
def ws(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    workspace.clock.fix(TODAY)
    monkeypatch.setattr(workspace.gifts, "gift_schedule", lambda *_a, **_k: _schedule(900))
    return workspace


def _press_stop_once_running(page) -> list[tuple[int, int]]:  # noqa: ANN001
    """Press Stop on the page's progress window as soon as it has shown some progress; returns what it saw."""
    seen: list[tuple[int, int]] = []

    def look() -> None:
        dialogs = page.findChildren(QProgressDialog)
        if dialogs and dialogs[0].value() > 0:
            seen.append((dialogs[0].value(), dialogs[0].maximum()))
            dialogs[0].cancel()
            return
        QTimer.singleShot(5, look)

    QTimer.singleShot(0, look)
    return seen


def test_stop_ends_a_long_gift_schedule_with_nothing_previewed(qtbot, ws: Workspace, scripted):  # noqa: ANN001
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    seen = _press_stop_once_running(tab.register_page)
    assert tab.register_page.print_gift_schedule() is None
    assert seen and 0 < seen[0][0] < seen[0][1]  # it had got part of the way: rows done of all rows
    assert scripted.dialogs == []
    assert scripted.notices == ["Stopped: gift-schedule-2027.pdf was not written."]


def test_unstopped_the_schedule_pick_list_and_labels_are_previewed(qtbot, ws: Workspace, scripted):  # noqa: ANN001
    tab = GiftsTab(ws)
    qtbot.addWidget(tab)
    page = tab.register_page
    assert page.pick_button.text() == "Pick list…"
    for make, name in (
        (page.print_gift_schedule, "gift-schedule-2027.pdf"),
        (page.print_pick_list, "pick-list-2027.pdf"),
        (page.print_labels, "labels-2027.pdf"),
    ):
        dialog = make()
        assert dialog is not None and dialog.suggested_name == name
        assert dialog.path.read_bytes().startswith(b"%PDF") and dialog.document.pageCount() >= 2
        dialog.close()


def test_a_stopped_org_map_leaves_the_chosen_file_as_it_was(tmp_path: Path):
    from kamdesk.services.demo import load_demo
    from kamdesk.services.workspace import open_workspace

    load_demo(tmp_path / "demo.kamdb", "small")
    demo = open_workspace(tmp_path / "demo.kamdb", "t", read_only=True)
    try:
        account = next(a for a in demo.accounts.page(_query(), 0, 50) if demo.contacts.org_map(a.id))
        out = tmp_path / "map.pdf"
        out.write_bytes(b"an older map")
        with pytest.raises(PrintCancelled):
            demo.contacts.print_org_map(account.id, out, progress=lambda _d, _t: False)
        assert out.read_bytes() == b"an older map"
        assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".part")) == ["map.pdf"]
        told: list[tuple[int, int]] = []
        assert demo.contacts.print_org_map(account.id, out, progress=lambda d, t: told.append((d, t)) is None)
        assert out.read_bytes().startswith(b"%PDF") and told and told[-1][0] == told[-1][1]
    finally:
        demo.close()


def _query():  # noqa: ANN202
    from kamdesk.domain.models import AccountQuery

    return AccountQuery()
