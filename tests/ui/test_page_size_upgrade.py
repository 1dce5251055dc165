"""The window converts an older team file to 64 KB pages once, in the background, and stops cleanly when closed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kamdesk.services.workspace import open_workspace
from kamdesk.ui.main_window import MainWindow

SHOTS = Path("/tmp/shots")


def _opener(user: str):
    return lambda path, create: open_workspace(path, user, create=create)


def _pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names if n != "presence"}
    finally:
        conn.close()


def _old_file(path: Path, log_rows: int) -> None:
    """A team file as an earlier kamdesk left it: 4 KB pages and a long audit trail."""
    ws = open_workspace(path, "Ann", create=True)
    ws.close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO change_log (at, by, host, table_name, row_id, action, changes_json) "
            "VALUES ('2027-03-01 09:00:00', 'Ann', 'pc-1', 'accounts', ?, 'update', ?)",
            [(str(i), '{"notes": ["' + "季度回访，确认框架协议续签 " * 12 + '", null]}') for i in range(log_rows)],
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("VACUUM")
    finally:
        conn.close()
    assert _pragma(path, "page_size") == 4096


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "team.kamdb"
    _old_file(path, 40_000)
    return path


def test_the_window_converts_an_older_file_in_the_background(qtbot, old_file: Path, app_settings):
    before = _counts(old_file)
    ws = open_workspace(old_file, "Ann")
    window = MainWindow(ws, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    window.show()
    upgrade = window.shared_file.page_size
    qtbot.waitUntil(lambda: upgrade.running or bool(upgrade.outcome), timeout=20_000)
    if upgrade.running:  # the line says what is going on while it runs
        assert upgrade.label.isVisible() and "faster to share (once)" in upgrade.label.text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.statusBar().grab().save(str(SHOTS / "24p-status-converting.png"))
    qtbot.waitUntil(lambda: bool(upgrade.outcome), timeout=60_000)
    assert "now faster to share (pages of 64 KB instead of 4 KB)" in upgrade.outcome
    assert not upgrade.running and not upgrade.label.isVisible()
    window.close()
    assert _pragma(old_file, "page_size") == 65_536
    assert _pragma(old_file, "integrity_check") == "ok"
    after = _counts(old_file)
    assert after.pop("change_log") == before.pop("change_log") + 1  # the conversion, in the audit trail
    assert after == before


def test_closing_the_window_mid_conversion_leaves_the_file_whole(qtbot, tmp_path: Path, app_settings):
    path = tmp_path / "team.kamdb"
    _old_file(path, 120_000)
    before = _counts(path)
    ws = open_workspace(path, "Ann")
    window = MainWindow(ws, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    window.show()
    upgrade = window.shared_file.page_size
    qtbot.waitUntil(lambda: upgrade.running or bool(upgrade.outcome), timeout=20_000)
    window.close()  # interrupts the VACUUM: it rolls back, or it had already finished
    assert _pragma(path, "integrity_check") == "ok"
    assert _pragma(path, "page_size") in (4096, 65_536)
    after = _counts(path)
    converted = _pragma(path, "page_size") == 65_536
    assert after.pop("change_log") == before.pop("change_log") + (1 if converted else 0)
    assert after == before
    assert not path.with_name(path.name + "-journal").exists()
    # The next opening converts what the interrupted one could not (the closed window took its presence away).
    again = open_workspace(path, "Ann")
    try:
        assert again.personal_data.wants_automatic_conversion() is (not converted)
    finally:
        again.close()


def test_no_conversion_while_a_colleague_has_the_file_open(qtbot, tmp_path: Path, app_settings):
    path = tmp_path / "team.kamdb"
    _old_file(path, 200)
    bo = open_workspace(path, "Bo")
    ws = open_workspace(path, "Ann")
    try:
        window = MainWindow(ws, app_settings, _opener("Ann"))
        qtbot.addWidget(window)
        upgrade = window.shared_file.page_size
        qtbot.waitUntil(lambda: upgrade._for is ws, timeout=20_000)
        qtbot.wait(1_500)
        assert not upgrade.running and upgrade.outcome == ""
        assert _pragma(path, "page_size") == 4096
        window.close()
    finally:
        bo.close()


def test_a_file_on_a_share_converts_by_itself_by_the_fast_path_else_only_when_small(tmp_path: Path, monkeypatch):
    from kamdesk.services import personal_data
    from kamdesk.storage import page_size
    from kamdesk.storage.locations import LocationKind

    path = tmp_path / "team.kamdb"
    _old_file(path, 200)
    ws = open_workspace(path, "Ann")
    try:
        monkeypatch.setattr(personal_data, "location_kind", lambda _p: LocationKind.NETWORK)
        monkeypatch.setattr(personal_data, "AUTO_CONVERT_MAX_NETWORK_BYTES", path.stat().st_size - 1)
        assert ws.personal_data.uses_fast_conversion()
        assert ws.personal_data.wants_automatic_conversion()  # the fast path: whatever its size
        monkeypatch.setattr(page_size, "FAST_MAX_BYTES", path.stat().st_size)  # only the VACUUM could convert it
        assert not ws.personal_data.uses_fast_conversion()
        assert not ws.personal_data.wants_automatic_conversion()
        monkeypatch.setattr(personal_data, "AUTO_CONVERT_MAX_NETWORK_BYTES", path.stat().st_size)
        assert ws.personal_data.wants_automatic_conversion()
        assert ws.personal_data.page_size() == 4096
    finally:
        ws.close()


def test_the_window_converts_a_file_on_a_share_by_the_fast_path(qtbot, tmp_path: Path, app_settings, monkeypatch):
    from kamdesk.services import personal_data
    from kamdesk.storage import backups
    from kamdesk.storage.locations import LocationKind

    path = tmp_path / "team.kamdb"
    _old_file(path, 2_000)
    monkeypatch.setattr(personal_data, "location_kind", lambda _p: LocationKind.NETWORK)
    monkeypatch.setattr(personal_data, "AUTO_CONVERT_MAX_NETWORK_BYTES", 1024 * 1024)  # too large for the VACUUM
    assert path.stat().st_size > 1024 * 1024
    before = _counts(path)
    ws = open_workspace(path, "Ann")
    window = MainWindow(ws, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    window.show()
    upgrade = window.shared_file.page_size
    qtbot.waitUntil(lambda: bool(upgrade.outcome), timeout=60_000)
    assert "now faster to share (pages of 64 KB instead of 4 KB)" in upgrade.outcome
    window.close()
    assert _pragma(path, "page_size") == 65_536 and _pragma(path, "integrity_check") == "ok"
    after = _counts(path)
    assert after.pop("change_log") == before.pop("change_log") + 1
    assert after == before
    conn = sqlite3.connect(path)
    logged = conn.execute("SELECT changes_json FROM change_log WHERE action = 'page_size'").fetchone()[0]
    conn.close()
    kept = backups.list_backups(backups.backup_folder(path), path.stem)
    named = [b.path for b in kept if b.path.name in logged]
    assert len(named) == 1 and _pragma(named[0], "page_size") == 4096  # the file as it was, kept


def test_a_large_file_on_a_share_is_converted_from_the_file_menu(
    qtbot, tmp_path: Path, app_settings, scripted, monkeypatch
):
    from kamdesk.services import personal_data
    from kamdesk.storage import page_size
    from kamdesk.storage.locations import LocationKind

    path = tmp_path / "team.kamdb"
    _old_file(path, 2_000)
    monkeypatch.setattr(personal_data, "location_kind", lambda _p: LocationKind.NETWORK)
    monkeypatch.setattr(personal_data, "AUTO_CONVERT_MAX_NETWORK_BYTES", 1024 * 1024)  # this file is larger
    monkeypatch.setattr(page_size, "FAST_MAX_BYTES", 1024 * 1024)  # and only the VACUUM could convert it
    assert path.stat().st_size > 1024 * 1024
    ws = open_workspace(path, "Ann")
    window = MainWindow(ws, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    upgrade = window.shared_file.page_size
    qtbot.waitUntil(lambda: upgrade._for is ws, timeout=20_000)
    qtbot.wait(1_000)
    assert not upgrade.running and _pragma(path, "page_size") == 4096  # too large to do by itself on a share
    file_menu = window.menuBar().actions()[0].menu()
    assert "Make the team file &faster to share…" in [a.text() for a in file_menu.actions()]
    scripted.yes_no.append(False)  # told what it costs, the person says not now
    upgrade.action.trigger()
    qtbot.waitUntil(lambda: len(scripted.shown) >= 1, timeout=10_000)
    kind, _title, text = scripted.shown[-1]
    assert kind == "ask_yes_no" and "nobody else can open the file meanwhile" in text and "MB" in text
    assert not upgrade.running and _pragma(path, "page_size") == 4096
    scripted.yes_no.append(True)
    upgrade.action.trigger()
    qtbot.waitUntil(lambda: bool(upgrade.outcome), timeout=60_000)
    assert "now faster to share" in upgrade.outcome
    upgrade.action.trigger()  # once is enough
    qtbot.waitUntil(lambda: scripted.shown[-1][0] == "inform", timeout=10_000)
    assert "already has the larger pages" in scripted.shown[-1][2]
    window.close()
    assert _pragma(path, "page_size") == 65_536 and _pragma(path, "integrity_check") == "ok"


def test_the_file_menu_says_what_the_fast_path_costs_on_a_share(
    qtbot, tmp_path: Path, app_settings, scripted, monkeypatch
):
    from kamdesk.services import personal_data
    from kamdesk.storage.locations import LocationKind

    path = tmp_path / "team.kamdb"
    _old_file(path, 200)
    monkeypatch.setattr(personal_data, "location_kind", lambda _p: LocationKind.NETWORK)
    # Say the window opened it at a moment it did not convert it by itself (it had asked before a colleague left).
    monkeypatch.setattr(personal_data.PersonalDataService, "wants_automatic_conversion", lambda _self: False)
    ws = open_workspace(path, "Ann")
    window = MainWindow(ws, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    upgrade = window.shared_file.page_size
    qtbot.waitUntil(lambda: upgrade._for is ws, timeout=20_000)
    scripted.yes_no.append(True)
    upgrade.action.trigger()
    qtbot.waitUntil(lambda: bool(upgrade.outcome), timeout=60_000)
    kind, _title, text = scripted.shown[-1]
    assert kind == "ask_yes_no" and "A backup of it is made first" in text and "kamdesk offers that backup" in text
    assert "now faster to share" in upgrade.outcome
    window.close()
    assert _pragma(path, "page_size") == 65_536 and _pragma(path, "integrity_check") == "ok"
