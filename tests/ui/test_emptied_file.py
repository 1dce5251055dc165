"""A team file that lost its bytes, opened in the window: refused like a damaged one, its backup offered (issue 23)."""

from __future__ import annotations

from pathlib import Path

from kamdesk.domain.models import TeamMember
from kamdesk.services.workspace import open_workspace
from kamdesk.ui.main_window import MainWindow


def _opener(user: str):
    return lambda path, create: open_workspace(path, user, create=create)


def test_an_emptied_team_file_offers_its_backup_and_is_never_filled_anew(
    qtbot, workspace, app_settings, scripted, tmp_path: Path
):
    path = tmp_path / "emptied.kamdb"
    ws = open_workspace(path, "Ann", create=True)
    ws.team.save(TeamMember(0, "王芳", "", "", None, None, True))
    backup = ws.backups.backup_now().path
    ws.close()
    path.write_bytes(b"")
    window = MainWindow(workspace, app_settings, _opener("Ann"))
    qtbot.addWidget(window)
    scripted.yes_no.append(False)  # first: leave it as it is
    assert not window.open_path(str(path))
    assert window.workspace is workspace and path.stat().st_size == 0
    kind, _title, text = scripted.shown[-1]
    assert kind == "ask_yes_no" and "empty" in text and str(backup) in text
    scripted.yes_no.append(True)  # then: restore the backup
    assert window.open_path(str(path))
    assert [m.name for m in window.workspace.team.members()] == ["王芳"]
    window.workspace.close()
