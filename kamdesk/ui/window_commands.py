"""Commands of the main window's menus that read or write the team file, kept beside main_window.py.

On a file server each statement on the GUI thread freezes the window for a transaction's requests (issue 24),
so what these commands read is read in the thread pool and their dialogs are built when it lands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kamdesk.domain.changes import EVERY_TABLE
from kamdesk.domain.settings import TeamSettings
from kamdesk.i18n import _
from kamdesk.services.errors import StorageError
from kamdesk.ui import ops, prompts
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


def load_demo_data(window: MainWindow, welcome: bool = False) -> bool:
    """Fill an empty team file with the small demo, after asking; a file with data is left alone."""
    ws = window.workspace
    if ws.read_only or ws.path is None:
        prompts.current().inform(
            window, _("Load demo data"), _("Demo data can only go into a team file you can write.")
        )
        return False
    if ops.Op(window, ws.summary, _("Load demo data")).wait().accounts:  # counted off the GUI thread
        if not welcome:
            prompts.current().inform(
                window,
                _("Load demo data"),
                _(
                    "This team file already holds accounts, so demo data is not mixed in. "
                    "Create a new file with File → New, then load the demo there."
                ),
            )
        return False
    title = _("Welcome to kamdesk") if welcome else _("Load demo data")
    if not prompts.current().ask_yes_no(
        window,
        title,
        _(
            "This team file is new and empty.\n\nLoad demo data (about 60 accounts and 400 contacts) to explore "
            "kamdesk? You can start a clean file later with File → New."
        ),
    ):
        return False
    from kamdesk.services.demo import load_demo

    path = ws.path
    try:
        ops.Op(window, lambda: load_demo(path, "small", user_name=ws.user_name), _("Load demo data")).progress(
            _("Writing the demo accounts, contacts and plans…")
        ).changes({EVERY_TABLE}).wait()
    except (ValueError, StorageError) as exc:
        prompts.current().warn(window, _("Load demo data"), str(exc))
        return False
    return True


def recompute_classes(window: MainWindow) -> None:
    if window.workspace.read_only:
        prompts.current().inform(window, _("Recompute classes"), _("This team file is open read-only."))
        return
    try:
        result = (
            ops.Op(window, window.workspace.accounts.recompute, _("Recompute classes"))
            .progress(_("Ranking the accounts by their share of value…"))
            .changes({"accounts", "account_class_history"})
            .wait()
        )
    except StorageError as exc:
        prompts.current().warn(window, _("Recompute classes"), str(exc))
        return
    window.statusBar().showMessage(
        _("Classes recomputed: {ranked} accounts ranked, {moved} moved class.").format(
            ranked=result.ranked, moved=len(result.moved)
        ),
        10_000,
    )
