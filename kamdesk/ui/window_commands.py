"""Commands of the main window's menus that read or write the team file, kept beside main_window.py.

On a file server each statement on the GUI thread freezes the window for a transaction's requests (issue 24),
so what these commands read is read in the thread pool and their dialogs are built when it lands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kamdesk.domain.settings import TeamSettings
from kamdesk.i18n import _
from kamdesk.ui import ops
from kamdesk.ui.dialogs.editor_data import open_editor

if TYPE_CHECKING:
    from kamdesk.ui.main_window import MainWindow


def edit_team_settings(window: MainWindow) -> bool:
    """Edit → Team settings: the settings read off the GUI thread, the dialog opened when they land (False: one
    is already on its way). OK saves them, and recomputes every class, off the GUI thread behind a busy window."""
    ws = window.workspace

    def show(current: TeamSettings) -> None:
        from kamdesk.ui.dialogs.settings_dialog import TeamSettingsDialog

        if window.workspace is not ws:
            return  # another file was opened meanwhile
        moved: list[int] = []

        def save(settings: TeamSettings) -> None:
            result = ops.Op(window, lambda: ws.settings.save(settings), _("Team settings")).wait()
            moved.append(len(result.moved))

        dialog = TeamSettingsDialog(current, save, window, read_only=ws.read_only)
        if dialog.exec() and moved:
            window.refresh()
            window.statusBar().showMessage(
                _("Team settings saved; {moved} accounts moved class.").format(moved=moved[0]), 10_000
            )

    return open_editor(window, "team-settings", ws.settings.load, show, _("Team settings"))
