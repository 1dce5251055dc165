"""The shared file in the window: others' saves refresh the visible tab, back up, restore, audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamdesk.domain.changes import AuditFilter
from kamdesk.domain.models import TeamMember
from kamdesk.services.workspace import open_workspace
from kamdesk.ui import formatting
from kamdesk.ui.dialogs.audit_dialog import AuditDialog
from kamdesk.ui.dialogs.restore_dialog import RestoreDialog
from kamdesk.ui.main_window import MainWindow


def _opener(user: str):
    return lambda path, create: open_workspace(path, user, create=create)


def _add_member(ws, name: str) -> None:
    ws.team.save(TeamMember(0, name, "", "", None, None, True))


@pytest.fixture
def shared(tmp_path: Path):
    path = tmp_path / "shared.kamdb"
    ann = open_workspace(path, "Ann", create=True)
    yield path, ann
    ann.close()


def test_file_and_view_menus_offer_backup_restore_and_audit(qtbot, workspace, app_settings):
    window = MainWindow(workspace, app_settings, _opener("Test Person"))
    qtbot.addWidget(window)
    file_texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    view_texts = [a.text() for a in window.menuBar().actions()[2].menu().actions()]
    assert "&Back up now" in file_texts and "Res&tore from backup…" in file_texts
    assert "&Audit trail…" in view_texts


def test_back_up_now_makes_a_verified_backup(qtbot, shared, app_settings, scripted):
    path, ann = shared
    _add_member(ann, "王芳")
    window = MainWindow(ann, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    window.shared_file.backup_action.trigger()
    assert scripted.shown[-1][0] == "inform" and "verified" in scripted.shown[-1][2]
    assert len(ann.backups.backups()) >= 1


def test_others_saves_refresh_the_window(qtbot, shared, app_settings):
    path, ann = shared
    window = MainWindow(ann, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    bo = open_workspace(path, "Bo")
    try:
        assert window.shared_file.poll_changes() == []
        _add_member(bo, "李雷")
        entries = window.shared_file.poll_changes()
        assert [e.by for e in entries] == ["Bo"]
        assert "Bo" in window.statusBar().currentMessage()
        assert window.shared_file.poll_timer.isActive()
        assert window.shared_file.poll_timer.interval() == 2_000
    finally:
        bo.close()


def _choose_first(monkeypatch: pytest.MonkeyPatch) -> None:
    def exec_choosing_first(self: RestoreDialog) -> int:
        self.accept()
        return 1

    monkeypatch.setattr(RestoreDialog, "exec", exec_choosing_first)


def test_restore_from_the_menu(qtbot, shared, app_settings, scripted, monkeypatch):
    path, ann = shared
    _add_member(ann, "王芳")
    made = ann.backups.backup_now()
    _add_member(ann, "李雷")
    window = MainWindow(ann, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    _choose_first(monkeypatch)
    scripted.yes_no.append(True)
    assert window.shared_file.restore()
    assert [m.name for m in ann.team.members()] == ["王芳"]
    assert "kept in" in scripted.shown[-1][2]
    assert made.path.exists()


def test_restore_is_refused_while_someone_else_has_the_file(qtbot, shared, app_settings, scripted, monkeypatch):
    path, ann = shared
    _add_member(ann, "王芳")
    ann.backups.backup_now()
    _add_member(ann, "李雷")
    bo = open_workspace(path, "Bo")
    try:
        window = MainWindow(ann, app_settings, _opener("Ann"))
        qtbot.addWidget(window)
        _choose_first(monkeypatch)
        scripted.yes_no.append(True)
        assert not window.shared_file.restore()  # asked whether Bo's kamdesk crashed; the answer is no
        kind, _title, text = scripted.shown[-1]
        assert kind == "ask_yes_no" and "Bo on" in text and "Nothing was changed" in text
        assert "last sign of life" in text
        assert len(ann.team.members()) == 2
    finally:
        bo.close()


def test_a_crashed_colleague_who_blocks_a_restore_can_be_cleared(qtbot, shared, app_settings, scripted, monkeypatch):
    import datetime as dt
    import sqlite3

    path, ann = shared
    _add_member(ann, "王芳")
    ann.backups.backup_now()
    _add_member(ann, "李雷")
    beat = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    conn = sqlite3.connect(path)
    with conn:  # 陈明's kamdesk died a moment ago: its entry still looks live
        conn.execute(
            "INSERT INTO presence (session_id, user_name, host, pid, opened_at, heartbeat_at, heartbeat_count)"
            " VALUES ('dead', '陈明', 'PC-BJ-2', 77, ?, ?, 9)",
            (beat, beat),
        )
    conn.close()
    window = MainWindow(ann, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    _choose_first(monkeypatch)
    scripted.yes_no.extend([True, True])  # restore? clear 陈明's entry and restore?
    assert window.shared_file.restore()
    asked = [text for kind, _t, text in scripted.shown if kind == "ask_yes_no"]
    assert "陈明 on PC-BJ-2" in asked[1]
    assert [m.name for m in ann.team.members()] == ["王芳"]
    assert "kept in" in scripted.shown[-1][2]


def test_a_backup_lock_left_by_a_crash_can_be_broken_from_the_window(qtbot, shared, app_settings, scripted):
    path, ann = shared
    _add_member(ann, "王芳")
    folder = ann.backups.folder
    folder.mkdir(exist_ok=True)
    lock = folder / ".backup-lock"
    lock.write_text('{"by": "陈明", "host": "PC-BJ-2", "pid": 77, "at": "2026-11-23T08:00:00"}', encoding="utf-8")
    window = MainWindow(ann, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    scripted.yes_no.append(False)  # first time: leave the lock alone
    assert window.shared_file.backup_now() is None
    assert lock.exists()
    kind, _title, text = scripted.shown[-1]
    assert kind == "ask_yes_no" and "陈明 on PC-BJ-2 (process 77) since 2026-11-23 08:00" in text
    scripted.yes_no.append(True)
    made = window.shared_file.backup_now()
    assert made is not None and made.path.exists() and not lock.exists()
    broken = [e for e in ann.audit.entries() if e.table_name == "backup_lock"]
    assert len(broken) == 1 and broken[0].by == "Ann"


def test_restore_dialog_lists_time_and_size(qtbot, shared):
    _path, ann = shared
    _add_member(ann, "王芳")
    made = ann.backups.backup_now()
    dialog = RestoreDialog(ann.backups.backups())
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == formatting.wall_time(made.made_at)
    # A new file holds one 64 KB page for each table and index at least: several MB, said in MB.
    assert dialog.table.item(0, 1).text() == f"{made.size / 1_000_000:.1f} MB"
    empty = RestoreDialog([])
    qtbot.addWidget(empty)
    assert empty.table.rowCount() == 0 and not empty.buttons.buttons()[0].isEnabled()


def test_audit_dialog_filters_by_person(qtbot, shared):
    path, ann = shared
    _add_member(ann, "王芳")
    bo = open_workspace(path, "Bo")
    try:
        _add_member(bo, "李雷")
    finally:
        bo.close()
    dialog = AuditDialog(ann.audit)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.reading)  # read off the GUI thread
    assert dialog.table.rowCount() == 2
    dialog.person.setCurrentIndex(dialog.person.findData("Bo"))
    qtbot.waitUntil(lambda: not dialog.reading)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "Bo"
    assert dialog.current_filter() == AuditFilter(person="Bo")
    assert "name: 李雷" in dialog.table.item(0, 5).text()
    dialog.use_dates.setChecked(True)
    qtbot.waitUntil(lambda: not dialog.reading)
    assert dialog.table.rowCount() == 1


def test_another_file_opened_from_the_window_is_opened_off_the_gui_thread(qtbot, workspace, app_settings, tmp_path):
    """File → Open on a share is many requests (seconds over a VPN): the open runs in the pool while the window
    keeps repainting, and the window then shows the file opened."""
    import threading

    other = tmp_path / "华东团队.kamdb"
    open_workspace(other, "setup", create=True).close()
    threads: list[threading.Thread] = []

    def opener(path: str, create: bool):  # noqa: ANN202
        threads.append(threading.current_thread())
        return open_workspace(path, "测试", create=create)

    window = MainWindow(workspace, app_settings, opener)
    qtbot.addWidget(window)
    assert window.open_path(str(other))
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    assert window.workspace.path == other and str(other) in app_settings.recent_files
    window.workspace.close()


def test_open_asked_again_while_a_file_opens_opens_nothing_more(qtbot, workspace, app_settings, tmp_path):
    import time

    from PySide6.QtCore import QTimer

    other = tmp_path / "华南团队.kamdb"
    open_workspace(other, "setup", create=True).close()
    opened: list[str] = []

    def slow_opener(path: str, create: bool):  # noqa: ANN202
        time.sleep(0.3)  # a file server: the window answers meanwhile
        opened.append(path)
        return open_workspace(path, "测试", create=create)

    window = MainWindow(workspace, app_settings, slow_opener)
    qtbot.addWidget(window)
    # The person picks the file again from the recent files while the first open is on its way.
    QTimer.singleShot(50, lambda: opened.append(f"again: {window.open_path(str(other))}"))
    assert window.open_path(str(other))
    assert opened == ["again: False", str(other)] and window.workspace.path == other
    window.workspace.close()
