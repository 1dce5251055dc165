"""The welcome screen: your name, then a new team file, an existing one, the demo, or a recent file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import TeamRole
from kamdesk.i18n import _
from kamdesk.paths import FILE_SUFFIX, default_database_path, user_data_dir
from kamdesk.services.file_location import in_sync_folder
from kamdesk.services.workspace import StorageError, Workspace, is_new_file
from kamdesk.ui import prompts, tasks
from kamdesk.ui.app_settings import AppSettings, os_user_name

#: The demo lives in a file of its own, so it never mixes with a team's records.
DEMO_FILE_NAME = f"demo{FILE_SUFFIX}"
ERROR_STYLE = "color: #b00020"


def demo_path() -> Path:
    return user_data_dir() / DEMO_FILE_NAME


@dataclass(frozen=True)
class WelcomeChoice:
    """The file to open, and whether it is to be made."""

    path: str
    create: bool
    role: str = TeamRole.ACCOUNT_MANAGER.value  # the creator's role on our team, for a new file


class WelcomeDialog(QDialog):
    """Asks the display name, then offers the ways in; `choice` holds the file chosen once accepted.

    The name is stored in `settings` as soon as a way in is chosen. Creating a file asks where with
    the save dialog (a cloud-sync folder is questioned); the demo is written into the user data
    folder the first time and reopened after that.
    """

    def __init__(self, settings: AppSettings, parent: QWidget | None = None, first_run: bool = True) -> None:
        super().__init__(parent)
        self.settings = settings
        self.choice: WelcomeChoice | None = None
        self.setWindowTitle(_("Welcome to kamdesk"))
        heading = QLabel(_("Welcome to kamdesk"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(
            _(
                "kamdesk keeps your team's key accounts, contacts, plans and follow-ups in one team "
                "file that everyone on the team opens."
            )
        )
        intro.setWordWrap(True)

        self.name_edit = QLineEdit(settings.display_name or os_user_name())
        self.name_edit.setMaxLength(80)
        name_hint = QLabel(_("Your colleagues see this name as the owner of records and in the change history."))
        name_hint.setWordWrap(True)
        name_hint.setStyleSheet("color: palette(dark)")
        self.role_combo = QComboBox()
        for role in (TeamRole.ACCOUNT_MANAGER, TeamRole.SALES_MANAGER, TeamRole.SALES, TeamRole.EXECUTIVE_SPONSOR):
            self.role_combo.addItem(role.label, role.value)
        self.role_combo.setToolTip(_("A new team file puts you on Our team in this role; change it there later."))
        self.name_error = QLabel()
        self.name_error.setStyleSheet(ERROR_STYLE)
        self.name_error.setVisible(False)
        form = QFormLayout()
        form.addRow(_("Your name"), self.name_edit)
        form.addRow("", name_hint)
        form.addRow(_("Your role"), self.role_combo)
        form.addRow("", self.name_error)

        self.new_button = QCommandLinkButton(
            _("Create a new team file"),
            _("For the first person on a team. Choose where to keep it; everyone then opens this same file."),
        )
        self.open_button = QCommandLinkButton(
            _("Open an existing team file"), _("A colleague has already made one: open it from the shared folder.")
        )
        self.demo_button = QCommandLinkButton(
            _("Explore the demo"), _("A made-up team with about 60 accounts and 400 contacts, in a file of its own.")
        )
        self.new_button.clicked.connect(self.create_new)
        self.open_button.clicked.connect(self.open_existing)
        self.demo_button.clicked.connect(self.explore_demo)

        self.location_note = QLabel(
            _(
                "Where a shared team file may live: a shared folder on the office file server or NAS is fine. "
                "A folder synced by Dropbox, OneDrive, iCloud Drive or Google Drive is not — it suits one person "
                "only. Never e-mail the file around: every copy becomes a separate database."
            )
        )
        self.location_note.setWordWrap(True)
        self.location_note.setFrameShape(QFrame.Shape.StyledPanel)
        self.location_note.setMargin(8)

        self.recent_label = QLabel(_("Recent files"))
        self.recent_list = QListWidget()
        self.recent_list.itemActivated.connect(self.open_recent)
        self._fill_recent()

        close = QDialogButtonBox.StandardButton.Close
        self.buttons = QDialogButtonBox(close)
        if first_run:
            button = self.buttons.button(close)
            button.setText(_("Quit"))
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.new_button)
        layout.addWidget(self.open_button)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.location_note)
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent_list, 1)
        layout.addWidget(self.buttons)
        self.new_button.setFocus()
        self.resize(max(self.sizeHint().width(), 620), self.sizeHint().height())

    def _fill_recent(self) -> None:
        self.recent_list.clear()
        for path in self.settings.recent_files:
            if "://" not in path and not Path(path).exists():
                continue  # moved or deleted since: nothing to offer
            item = QListWidgetItem(Path(path).name if "://" not in path else path)
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent_list.addItem(item)
        has_recent = self.recent_list.count() > 0
        self.recent_label.setVisible(has_recent)
        self.recent_list.setVisible(has_recent)
        if has_recent:
            rows = min(self.recent_list.count(), 5)
            self.recent_list.setMaximumHeight(self.recent_list.sizeHintForRow(0) * rows + 8)

    # The ways in ---------------------------------------------------------------------------------
    def _take_name(self) -> str | None:
        name = self.name_edit.text().strip()
        if not name:
            self.name_error.setText(_("Please enter the name your team knows you by."))
            self.name_error.setVisible(True)
            self.name_edit.setFocus()
            return None
        self.name_error.setVisible(False)
        self.settings.display_name = name
        self.settings.sync()
        return name

    def _choose(self, path: str, create: bool) -> None:
        self.choice = WelcomeChoice(path, create, str(self.role_combo.currentData()))
        self.accept()

    def create_new(self) -> None:
        if self._take_name() is None:
            return
        title = _("New team file")
        path = prompts.current().save_file(self, title, str(default_database_path()))
        if not path:
            return
        if Path(path).exists():
            prompts.current().warn(
                self, title, _("{path} already exists. Choose Open to use it, or pick a new name.").format(path=path)
            )
            return
        if in_sync_folder(path) and not prompts.current().ask_yes_no(
            self,
            title,
            _(
                "{path} is in a folder a cloud service keeps in sync. Such a file is safe for one person only: "
                "when two people work at once, changes can be lost.\n\nCreate the team file there anyway?"
            ).format(path=path),
        ):
            return
        self._choose(path, create=True)

    def open_existing(self) -> None:
        if self._take_name() is None:
            return
        path = prompts.current().open_file(self, _("Open team file"), str(user_data_dir()))
        if path:
            self._choose(path, create=False)

    def explore_demo(self) -> None:
        name = self._take_name()
        if name is None:
            return
        path = demo_path()
        try:
            needs_writing = is_new_file(path)
        except StorageError:
            needs_writing = False  # not a team file: opening it says so
        if needs_writing:
            from kamdesk.services.demo import load_demo

            def write() -> None:
                path.parent.mkdir(parents=True, exist_ok=True)
                load_demo(path, "small", user_name=name)

            try:  # a second or two of writing: off the GUI thread, the dialog still repainting
                tasks.run_busy(self, _("Explore the demo"), _("Writing the demo accounts, contacts and plans…"), write)
            except (OSError, ValueError, StorageError) as exc:
                prompts.current().warn(self, _("Explore the demo"), str(exc))
                return
        self._choose(str(path), create=False)

    def open_recent(self, item: QListWidgetItem) -> None:
        if self._take_name() is not None:
            self._choose(str(item.data(Qt.ItemDataRole.UserRole)), create=False)


def give_role(workspace: Workspace, role: str) -> None:
    """The person who created a team file joins Our team in the role they chose, so owner lists are never empty."""
    try:  # one write: off the GUI thread, as every write (a new file may be on a share)
        tasks.run_busy(
            None, "kamdesk", _("Adding you to Our team…"), lambda: workspace.team.join(workspace.user_name, role)
        )
    except (StorageError, ValueError):
        pass  # a busy file: they can add themselves on Our team later


def run_welcome(settings: AppSettings, opener: Callable[[str, bool], Workspace]) -> Workspace | None:
    """Show the welcome until a file opens (a file that cannot be opened is explained, then back to the
    choice); None when the person quits."""
    while True:
        dialog = WelcomeDialog(settings)
        accepted = dialog.exec()
        choice = dialog.choice
        dialog.deleteLater()
        if not accepted or choice is None:
            return None
        from kamdesk.ui.shared_file import open_or_offer_restore

        workspace = open_or_offer_restore(None, opener, choice.path, choice.create)
        if workspace is not None:
            if choice.create:
                give_role(workspace, choice.role)
            return workspace
        if not choice.create and not Path(choice.path).exists():
            settings.remove_recent_file(choice.path)
