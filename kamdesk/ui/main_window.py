"""The main window: six tabs, platform menus, the open file and the person in title and status bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk import __version__
from kamdesk.domain.changes import EVERY_TABLE
from kamdesk.domain.server_address import is_server_url
from kamdesk.i18n import _
from kamdesk.services.errors import StorageError
from kamdesk.ui import change_notices, formatting, ops, prompts, tasks
from kamdesk.ui.app_settings import AppSettings
from kamdesk.ui.errors import log
from kamdesk.ui.load_ahead import LoadAhead
from kamdesk.ui.menus import build_menus
from kamdesk.ui.shared_file import SharedFileActions
from kamdesk.ui.tabs.page import TabPage
from kamdesk.ui.tabs.placeholder_tab import PlaceholderTab
from kamdesk.ui.tabs.registry import TABS, index_of

if TYPE_CHECKING:
    from kamdesk.domain.models import PresenceEntry
    from kamdesk.services.workspace import Workspace
    from kamdesk.ui.tabs.account_view.tab import AccountViewTab
    from kamdesk.ui.tabs.accounts_tab import AccountsTab
    from kamdesk.ui.tabs.contacts_tab import ContactsTab
    from kamdesk.ui.tabs.dashboard_tab import DashboardTab
    from kamdesk.ui.tabs.followups_tab import FollowUpsTab
    from kamdesk.ui.tabs.gifts.tab import GiftsTab
    from kamdesk.ui.tabs.plans.tab import PlansTab

HEARTBEAT_MS = 60_000

#: Tabs whose features are still to come, with an honest note of what each will hold.
PLANNED_TABS: list[tuple[str, str]] = []  # tabs whose feature has not arrived yet (none at present)
Page = TypeVar("Page", bound=TabPage)

#: Opens a file (path, create?) and returns a workspace; raises StorageError with a message.
Opener = Callable[[str, bool], "Workspace"]


class MainWindow(QMainWindow):
    workspace_changed = Signal()
    # Set by kamdesk.ui.menus.build_menus.
    about_action: QAction
    back_action: QAction
    forward_action: QAction
    connect_action: QAction
    demo_action: QAction
    export_action: QAction
    find_action: QAction
    guide_action: QAction
    import_action: QAction
    new_account_action: QAction
    new_action: QAction
    open_account_action: QAction
    open_action: QAction
    preferences_action: QAction
    quit_action: QAction
    recompute_action: QAction
    refresh_action: QAction
    rename_action: QAction
    settings_action: QAction
    welcome_action: QAction
    recent_menu: QMenu
    shared_file: SharedFileActions

    def __init__(
        self,
        workspace: Workspace | None,
        settings: AppSettings,
        opener: Opener,
        parent: QWidget | None = None,
        opening: str = "",
    ) -> None:
        """A window on `workspace`; with None it is an empty frame saying which file it is opening
        (`opening`), shown at once while the database layer loads, then filled in by `attach`."""
        super().__init__(parent)
        self.settings = settings
        self._opener = opener
        self.workspace = cast("Workspace", workspace)
        self._built: dict[str, TabPage] = {}
        self._stale: set[str] = set()  # built tabs to re-read when next shown
        # Saves made through ops (kamdesk.ui.ops) say which tables they changed.
        change_notices.hub().tables_changed.connect(self.mark_changed)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # A banner above the tabs says why the file is read-only (the status bar alone is easy to miss).
        self.banner = QLabel()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#readOnlyBanner { background: #fff4e0; color: #6b3d00; "
            "border-bottom: 1px solid #e0b060; padding: 6px 10px; }"
        )
        self.banner.hide()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.user_label = QLabel()
        self.file_label = QLabel()
        self.presence_label = QLabel()
        self.readonly_label = QLabel()
        self.readonly_label.setStyleSheet("color: #8a4b00; font-weight: bold")
        for label in (self.readonly_label, self.presence_label, self.file_label, self.user_label):
            self.statusBar().addPermanentWidget(label)
        build_menus(self)
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._on_heartbeat)
        self.load_ahead = LoadAhead(self, lambda: self._built)
        self.resize(1200, 760)
        geometry = settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.window_state()
        if state is not None:
            self.restoreState(state)
        if workspace is None:
            for entry in TABS:
                self.tabs.addTab(QWidget(), _(entry.title).replace("&", "&&"))
            self.tabs.setCurrentIndex(min(max(settings.last_tab, 0), self.tabs.count() - 1))
            self.menuBar().setEnabled(False)
            self.setWindowTitle("kamdesk")
            self.statusBar().showMessage(_("Opening {file}…").format(file=opening))
            return
        self.attach(workspace)

    def attach(self, workspace: Workspace) -> None:
        """Fill the window with `workspace` (once, after an empty frame was shown)."""
        self.statusBar().clearMessage()
        self.menuBar().setEnabled(True)
        self._install(workspace)
        self.tabs.setCurrentIndex(min(max(self.settings.last_tab, 0), self.tabs.count() - 1))
        self._tab_shown(self.tabs.currentIndex())
        self.tabs.currentChanged.connect(self._tab_shown)
        self._heartbeat.start()
        self.load_ahead.start()

    # Tabs ------------------------------------------------------------------------------------
    # Each tab is built the first time it is shown (or asked for): a start on the large demo then
    # reads only what the first tab shows instead of every tab's data.
    def _install(self, workspace: Workspace) -> None:
        self.workspace = workspace
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if widget is not None:
                widget.deleteLater()
        self._built = {}
        self._stale.clear()
        for entry in TABS:
            # A literal "&" in a tab title would otherwise become a keyboard mnemonic.
            self.tabs.addTab(QWidget(), _(entry.title).replace("&", "&&"))
        for title, body in PLANNED_TABS:
            self.tabs.addTab(PlaceholderTab(_(title), _(body)), _(title).replace("&", "&&"))
        self.tabs.blockSignals(False)
        if current >= 0:
            self.tabs.setCurrentIndex(min(current, self.tabs.count() - 1))
            self._tab_shown(self.tabs.currentIndex())
        self._update_labels()
        self.workspace_changed.emit()

    def _tab_shown(self, index: int) -> None:
        if 0 <= index < len(TABS):
            name = TABS[index].name
            page = self._tab(name)
            if name in self._stale:
                self._stale.discard(name)
                page.refresh()

    def _tab(self, name: str) -> TabPage:
        """The tab called `name`, built now (in place of its empty page) if it was not yet."""
        built = self._built.get(name)
        if built is not None:
            return built
        index = index_of(name)
        page = TABS[index].factory(self.workspace)
        page.changed.connect(lambda tables, source=page: self.mark_changed(tables, source))
        page.account_requested.connect(self.open_account)
        if name == "account":  # the workspace asks for the finder and for the account's plan
            page.find_requested.connect(self.focus_search)  # type: ignore[attr-defined]
            page.plan_requested.connect(self.open_plan)  # type: ignore[attr-defined]
        self._built[name] = page
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        empty = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, page, _(TABS[index].title).replace("&", "&&"))
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        if empty is not None:
            empty.deleteLater()
        return page

    def _page(self, name: str, kind: type[Page]) -> Page:
        page = self._tab(name)
        if not isinstance(page, kind):
            raise TypeError(f"tab {name!r} is a {type(page).__name__}, not a {kind.__name__}")
        return page

    def mark_changed(self, tables: frozenset[str], source: TabPage | None = None) -> None:
        """Tables changed (a save here, or a colleague's the poll saw): every built page that shows one
        of them is out of date. The visible one re-reads now, the others when next shown; the page
        that saved (`source`) has already shown its own change."""
        visible = self.tabs.currentWidget()
        for name, page in self._built.items():
            if page is source or not page.shows_any(tables):
                continue
            if page is visible:
                self._stale.discard(name)
                page.refresh()
            else:
                self._stale.add(name)

    @property
    def dashboard_tab(self) -> DashboardTab:
        from kamdesk.ui.tabs.dashboard_tab import DashboardTab

        return self._page("dashboard", DashboardTab)

    @property
    def accounts_tab(self) -> AccountsTab:
        from kamdesk.ui.tabs.accounts_tab import AccountsTab

        return self._page("accounts", AccountsTab)

    @property
    def account_view_tab(self) -> AccountViewTab:
        from kamdesk.ui.tabs.account_view.tab import AccountViewTab

        return self._page("account", AccountViewTab)

    @property
    def plans_tab(self) -> PlansTab:
        from kamdesk.ui.tabs.plans.tab import PlansTab

        return self._page("plans", PlansTab)

    @property
    def contacts_tab(self) -> ContactsTab:
        from kamdesk.ui.tabs.contacts_tab import ContactsTab

        return self._page("contacts", ContactsTab)

    @property
    def followups_tab(self) -> FollowUpsTab:
        from kamdesk.ui.tabs.followups_tab import FollowUpsTab

        return self._page("followups", FollowUpsTab)

    @property
    def gifts_tab(self) -> GiftsTab:
        from kamdesk.ui.tabs.gifts.tab import GiftsTab

        return self._page("gifts", GiftsTab)

    def _update_labels(self) -> None:
        ws = self.workspace
        title = f"kamdesk — {ws.display_name} — {ws.user_name}"
        if ws.read_only:
            title += " " + _("[read-only]")
        self.setWindowTitle(title)
        self.user_label.setText(_("You: {name}").format(name=ws.user_name))
        self.file_label.setText(str(ws.path) if ws.path else ws.display_name)
        self.readonly_label.setText(_("Read-only") if ws.read_only else "")
        self.readonly_label.setToolTip(ws.read_only_reason)
        self.readonly_label.setVisible(ws.read_only)
        self.banner.setText(
            _("This file is open read-only: {reason}. You can look at everything, but not change it.").format(
                reason=ws.read_only_reason
            )
            if ws.read_only
            else ""
        )
        self.banner.setVisible(ws.read_only)
        self.update_presence()

    def update_presence(self) -> None:
        """Who else has the file open, read off the GUI thread (the file may be busy or far away)."""
        ws = self.workspace
        tasks.run(
            ws.presence.others,
            lambda others: self._show_presence(ws, others),
            lambda exc: log.info("presence not read: %s", exc),
            owner=self,
        )

    def _show_presence(self, ws: Workspace, others: list[PresenceEntry]) -> None:
        if ws is not self.workspace:
            return  # read from a file this window has left
        if not others:
            self.presence_label.setText(_("Only you have this file open"))
            self.presence_label.setToolTip("")
            return
        names = ", ".join(sorted({o.user_name for o in others}))
        self.presence_label.setText(_("Also open: {names}").format(names=names))
        self.presence_label.setToolTip(
            "\n".join(
                _("{name} on {host} since {since}").format(
                    name=o.user_name, host=o.host, since=formatting.date_time(o.opened_at)
                )
                for o in others
            )
        )

    def _on_heartbeat(self) -> None:
        # The beat is a write that may wait out a busy file; it must never hold up the window.
        QThreadPool.globalInstance().start(self._beat)
        self.update_presence()

    def _beat(self) -> None:
        try:
            self.workspace.presence.heartbeat()
        except StorageError:
            pass  # a busy file: the next beat will do

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i).replace("&&", "&") for i in range(self.tabs.count())]

    # Commands --------------------------------------------------------------------------------
    def open_path(self, path: str, create: bool = False) -> bool:
        from kamdesk.ui.shared_file import open_or_offer_restore

        if getattr(self, "_opening_path", False):
            return False  # asked again while a file opens (off the GUI thread, the window still answering)
        self._opening_path = True
        try:
            workspace = open_or_offer_restore(self, self._opener, path, create)
        finally:
            self._opening_path = False
        if workspace is None:
            if not is_server_url(path) and not Path(path).exists():
                self.settings.remove_recent_file(path)
            return False
        if create:
            from kamdesk.ui.dialogs.welcome_dialog import give_role

            give_role(workspace, "account_manager")  # File → New: the creator joins Our team
        old = self.workspace
        self._install(workspace)
        old.close()
        self.settings.add_recent_file(path if is_server_url(path) else str(workspace.path or path))
        return True

    def new_file(self) -> None:
        path = prompts.current().save_file(self, _("New team file"))
        if path:
            if Path(path).exists():
                prompts.current().warn(
                    self,
                    _("New team file"),
                    _("{path} already exists. Choose Open to use it, or pick a new name.").format(path=path),
                )
                return
            self.open_path(path, create=True)

    def open_file(self) -> None:
        folder = str(self.workspace.path.parent) if self.workspace.path else ""
        path = prompts.current().open_file(self, _("Open team file"), folder)
        if path:
            self.open_path(path)

    def connect_to_server(self, address: str = "") -> bool:
        """File → Connect to server…: open the team database on a PostgreSQL server."""
        from kamdesk.ui.dialogs.server_dialog import ask_server_url

        url = ask_server_url(self, address)
        return bool(url) and self.open_path(str(url))

    def load_demo_data(self, welcome: bool = False) -> bool:
        """Fill an empty team file with the small demo, after asking; a file with data is left alone."""
        ws = self.workspace
        if ws.read_only or ws.path is None:
            prompts.current().inform(
                self, _("Load demo data"), _("Demo data can only go into a team file you can write.")
            )
            return False
        if ops.Op(self, ws.summary, _("Load demo data")).wait().accounts:  # counted off the GUI thread
            if not welcome:
                prompts.current().inform(
                    self,
                    _("Load demo data"),
                    _(
                        "This team file already holds accounts, so demo data is not mixed in. "
                        "Create a new file with File → New, then load the demo there."
                    ),
                )
            return False
        title = _("Welcome to kamdesk") if welcome else _("Load demo data")
        if not prompts.current().ask_yes_no(
            self,
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
            ops.Op(self, lambda: load_demo(path, "small", user_name=ws.user_name), _("Load demo data")).progress(
                _("Writing the demo accounts, contacts and plans…")
            ).changes({EVERY_TABLE}).wait()
        except (ValueError, StorageError) as exc:
            prompts.current().warn(self, _("Load demo data"), str(exc))
            return False
        return True

    def import_dialog(self) -> Any:
        from kamdesk.ui.dialogs.import_dialog import ImportDialog

        return ImportDialog(self.workspace.transfer, self)

    def import_data(self) -> None:
        """File → Import…: CSV, XLSX or vCard through the mapping and preview steps; the tabs refresh after."""
        if self.workspace.read_only:
            prompts.current().inform(self, _("Import"), _("This team file is open read-only."))
            return
        dialog = self.import_dialog()
        dialog.exec()
        if dialog.import_result is not None and dialog.import_result.imported:
            self.refresh()

    def export_dialog(self) -> Any:
        from kamdesk.ui.dialogs.export_dialog import ExportDialog

        return ExportDialog(self.workspace, self)

    def export_data(self) -> None:
        """File → Export…: accounts, contacts, activities, gifts, visits or the agenda to a file."""
        self.export_dialog().exec()

    def new_account(self) -> None:
        if self.workspace.read_only:
            prompts.current().inform(self, _("New account"), _("This team file is open read-only."))
            return
        self.tabs.setCurrentWidget(self.accounts_tab)
        self.accounts_tab.open_account(None)

    def open_account(self, account_id: int) -> None:
        """Show an account in its workspace (a page asked: a list, the dashboard, the agenda, the org map)."""
        page = self.account_view_tab
        self.tabs.setCurrentWidget(page)
        page.show_account(account_id)

    def open_selected_account(self) -> None:
        account_id = self.accounts_tab.current_account_id()
        if account_id is None:
            self.tabs.setCurrentWidget(self.accounts_tab)
            prompts.current().inform(self, _("Open account"), _("Select an account in the list first."))
            return
        self.open_account(account_id)

    def open_plan(self, account_id: int, plan_id: int) -> None:
        """The account's plan in Account Plans (a new one started when it has none)."""
        page = self.plans_tab
        self.tabs.setCurrentWidget(page)
        if plan_id:
            page.show_plan(plan_id)
        else:
            page.select_account(account_id)
            page.new_plan()

    def go_back(self) -> None:
        """Alt+Left: the account shown before, in the account workspace (Alt+Right: forward again)."""
        self.tabs.setCurrentWidget(self.account_view_tab)
        self.account_view_tab.go_back()

    def go_forward(self) -> None:
        self.tabs.setCurrentWidget(self.account_view_tab)
        self.account_view_tab.go_forward()

    def recompute_classes(self) -> None:
        if self.workspace.read_only:
            prompts.current().inform(self, _("Recompute classes"), _("This team file is open read-only."))
            return
        try:
            result = (
                ops.Op(self, self.workspace.accounts.recompute, _("Recompute classes"))
                .progress(_("Ranking the accounts by their share of value…"))
                .changes({"accounts", "account_class_history"})
                .wait()
            )
        except StorageError as exc:
            prompts.current().warn(self, _("Recompute classes"), str(exc))
            return
        self.statusBar().showMessage(
            _("Classes recomputed: {ranked} accounts ranked, {moved} moved class.").format(
                ranked=result.ranked, moved=len(result.moved)
            ),
            10_000,
        )

    def edit_team_settings(self) -> None:
        """Read off the GUI thread; the dialog opens when the settings land (kamdesk.ui.window_commands)."""
        from kamdesk.ui.window_commands import edit_team_settings

        edit_team_settings(self)

    def focus_search(self) -> None:
        """Ctrl+F: the quick finder; an account opens in its workspace, a contact in their company's."""
        from kamdesk.ui.tabs.account_view.finder import find_and_open

        find_and_open(self)

    def change_display_name(self) -> None:
        name = prompts.current().ask_text(
            self,
            _("Your name"),
            _("Your name as the team sees it (owner of records, audit trail):"),
            self.workspace.user_name,
        )
        if name and name.strip():
            self.settings.display_name = name.strip()
            self.workspace.set_user_name(name.strip())
            self._update_labels()

    def refresh(self) -> None:
        """F5: re-read the visible tab now; the other built tabs re-read when next shown (reading them
        all at once froze the window for ~0.3 s on the large demo)."""
        self.mark_changed(frozenset({EVERY_TABLE}))
        self.update_presence()

    def edit_preferences(self) -> None:
        from kamdesk.ui.dialogs.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self)
        if dialog.exec() and dialog.name_changed:
            self.workspace.set_user_name(self.settings.display_name)
            self._update_labels()

    def show_user_guide(self, anchor: str = "") -> None:
        from kamdesk.ui.dialogs.guide_dialog import show_guide

        show_guide(self, anchor)

    def show_welcome(self) -> None:
        """The welcome screen again: another file, the demo or a recent file opens in this window."""
        from kamdesk.ui.dialogs.welcome_dialog import WelcomeDialog

        dialog = WelcomeDialog(self.settings, self, first_run=False)
        if dialog.exec() and dialog.choice is not None:
            if self.settings.display_name != self.workspace.user_name:
                self.workspace.set_user_name(self.settings.display_name)
                self._update_labels()
            self.open_path(dialog.choice.path, create=dialog.choice.create)

    def show_about(self) -> None:
        from kamdesk.ui import errors

        text = _("kamdesk {version}\nKey-account management for small sales teams.").format(version=__version__)
        if errors.LOG_FILE is not None:
            text += "\n\n" + _("Log file: {path}").format(path=errors.LOG_FILE)
        prompts.current().inform(self, _("About kamdesk"), text)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_window(self.saveGeometry(), self.saveState(), self.tabs.currentIndex())
        self.settings.sync()
        self.hide()  # gone at once for the person; on a file server the farewell and the closes take longer
        self._heartbeat.stop()
        # Background reads may take minutes on a file server: stop them rather than wait (issue 24).
        tasks.forget_all()
        self.workspace.interrupt()
        self.workspace.close(lambda: QThreadPool.globalInstance().waitForDone(2_000))
        super().closeEvent(event)
        app = QApplication.instance()
        if app is not None:
            app.processEvents()
