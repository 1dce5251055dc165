"""The main window's menus: File, Edit, View and Help, following each platform's conventions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from kamdesk.domain.server_address import is_server_url
from kamdesk.i18n import _
from kamdesk.ui.shared_file import SharedFileActions
from kamdesk.ui.tabs.registry import TABS

if TYPE_CHECKING:
    from kamdesk.ui.main_window import MainWindow

#: Some platforms define no key for these standard actions; people still expect one.
FALLBACK_SHORTCUTS = {
    QKeySequence.StandardKey.Quit: "Ctrl+Q",
    QKeySequence.StandardKey.Refresh: "F5",
    QKeySequence.StandardKey.Preferences: "Ctrl+,",
}


def add_action(
    window: MainWindow,
    menu: QMenu,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
) -> QAction:
    """An action in `menu` calling `slot`, with a shortcut (a platform's own, or a fallback where it has none)."""
    action = QAction(text, window)
    if shortcut is not None:
        sequence = QKeySequence(shortcut)
        if sequence.isEmpty() and isinstance(shortcut, QKeySequence.StandardKey) and shortcut in FALLBACK_SHORTCUTS:
            sequence = QKeySequence(FALLBACK_SHORTCUTS[shortcut])
        action.setShortcut(sequence)
        window.addAction(action)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    """File, Edit, View and Help, with the platform's standard shortcuts; the actions are kept on the window."""
    bar = window.menuBar()
    file_menu = bar.addMenu(_("&File"))
    window.new_action = add_action(
        window, file_menu, _("&New team file…"), window.new_file, QKeySequence.StandardKey.New
    )
    window.open_action = add_action(window, file_menu, _("&Open…"), window.open_file, QKeySequence.StandardKey.Open)
    window.connect_action = add_action(window, file_menu, _("Connect to &server…"), window.connect_to_server)
    window.recent_menu = file_menu.addMenu(_("Open &Recent"))
    window.recent_menu.aboutToShow.connect(partial(fill_recent_menu, window))
    file_menu.addSeparator()
    window.demo_action = add_action(window, file_menu, _("Load &demo data…"), window.load_demo_data)
    file_menu.addSeparator()
    window.import_action = add_action(window, file_menu, _("&Import…"), window.import_data)
    window.export_action = add_action(window, file_menu, _("&Export…"), window.export_data)
    file_menu.addSeparator()
    window.shared_file = SharedFileActions(window)
    window.shared_file.add_file_actions(file_menu)
    file_menu.addSeparator()
    window.quit_action = add_action(window, file_menu, _("&Quit"), window.close, QKeySequence.StandardKey.Quit)
    window.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    edit_menu = bar.addMenu(_("&Edit"))
    window.new_account_action = add_action(window, edit_menu, _("New &account…"), window.new_account, "Ctrl+Shift+N")
    window.open_account_action = add_action(
        window, edit_menu, _("&Open selected account"), window.open_selected_account
    )
    window.find_action = add_action(
        window, edit_menu, _("&Find account or contact…"), window.focus_search, QKeySequence.StandardKey.Find
    )
    edit_menu.addSeparator()
    window.recompute_action = add_action(
        window, edit_menu, _("&Recompute classes"), window.recompute_classes, "Ctrl+Shift+R"
    )
    window.settings_action = add_action(
        window, edit_menu, _("Team &settings…"), window.edit_team_settings, QKeySequence.StandardKey.Preferences
    )
    window.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    edit_menu.addSeparator()
    window.rename_action = add_action(window, edit_menu, _("Change my display &name…"), window.change_display_name)
    window.preferences_action = add_action(window, edit_menu, _("My &preferences…"), window.edit_preferences)
    window.preferences_action.setMenuRole(QAction.MenuRole.NoRole)  # Team settings holds the Preferences role

    view_menu = bar.addMenu(_("&View"))
    window.refresh_action = add_action(
        window, view_menu, _("&Refresh"), window.refresh, QKeySequence.StandardKey.Refresh
    )
    window.shared_file.add_view_actions(view_menu)
    view_menu.addSeparator()
    window.back_action = add_action(window, view_menu, _("&Back"), window.go_back, "Alt+Left")
    window.forward_action = add_action(window, view_menu, _("&Forward"), window.go_forward, "Alt+Right")
    view_menu.addSeparator()
    for number in range(len(TABS)):
        add_action(
            window,
            view_menu,
            _("Tab {number}").format(number=number + 1),
            partial(window.tabs.setCurrentIndex, number),
            f"Ctrl+{number + 1}",
        )

    help_menu = bar.addMenu(_("&Help"))
    window.guide_action = add_action(
        window, help_menu, _("&User guide"), window.show_user_guide, QKeySequence.StandardKey.HelpContents
    )
    window.welcome_action = add_action(window, help_menu, _("&Welcome screen…"), window.show_welcome)
    help_menu.addSeparator()
    window.about_action = add_action(window, help_menu, _("&About kamdesk"), window.show_about)
    window.about_action.setMenuRole(QAction.MenuRole.AboutRole)


def fill_recent_menu(window: MainWindow) -> None:
    """Open Recent: the files (and servers) last opened on this computer."""
    window.recent_menu.clear()
    files = window.settings.recent_files
    if not files:
        empty = window.recent_menu.addAction(_("No recent files"))
        empty.setEnabled(False)
        return
    for number, path in enumerate(files, start=1):
        action = window.recent_menu.addAction(f"&{number} {path}")
        if is_server_url(path):  # kept without its password: ask for it again
            action.triggered.connect(lambda _checked=False, p=path: window.connect_to_server(p))
        else:
            action.triggered.connect(lambda _checked=False, p=path: window.open_path(p))
