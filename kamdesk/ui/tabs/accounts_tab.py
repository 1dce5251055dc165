"""The Accounts tab: every account in a fast list, filtered and searched in SQL, opened to edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import (
    AccountClass,
    CycleStage,
    RelationshipType,
    SalesStage,
)
from kamdesk.domain.models import AccountQuery, TeamMember
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import tasks
from kamdesk.ui.dialogs.editor_data import AccountEditorData, open_editor, read_account_editor
from kamdesk.ui.models.accounts_model import AccountsModel
from kamdesk.ui.models.paged_model import ID_ROLE
from kamdesk.ui.tabs.page import TabPage
from kamdesk.ui.widgets.record_list import RecordTable, connect_filter_row, enum_items, filter_combo

if TYPE_CHECKING:
    from kamdesk.ui.dialogs.account_dialog import AccountDialog


class AccountsTab(TabPage):
    tables = frozenset(
        {"accounts", "account_values", "account_class_history", "account_team", "team_members", "settings"}
    )
    #: What saving or deleting an account writes (classes are recomputed in the same transaction).
    WRITES = frozenset({"accounts", "account_values", "account_class_history", "account_team"})

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        """With `background` (the window), the list and its filter choices are read off the GUI thread."""
        super().__init__(parent)
        self.workspace = workspace
        self.service = workspace.accounts
        self.background = background
        self.model = AccountsModel(self.service, self, background)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by name, pinyin or initials (e.g. zgyd)"))
        self.search.setClearButtonEnabled(True)
        self.class_filter = filter_combo(_("All classes"), [(c.label, c.value) for c in AccountClass])
        self.stage_filter = filter_combo(_("All sales stages"), enum_items(SalesStage))
        self.type_filter = filter_combo(_("All relationship types"), enum_items(RelationshipType))
        self.cycle_filter = filter_combo(_("All cycle stages"), enum_items(CycleStage))
        self.owner_filter = filter_combo(_("All owners"), [])
        self.city_filter = filter_combo(_("All cities"), [])
        self._fill_dynamic_filters()
        self.new_button = QPushButton(_("New account…"))
        self.new_button.setEnabled(not workspace.read_only)
        self.new_button.clicked.connect(lambda: self.open_account(None))
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.new_button)
        filters = QHBoxLayout()
        for combo in self.filters():
            filters.addWidget(combo)
        filters.addStretch(1)

        self.table = RecordTable(self.model, 2, Qt.SortOrder.DescendingOrder)
        self.table.setColumnWidth(0, max(self.table.columnWidth(0), 260))
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated_row.connect(self._open_index)
        self.empty_label = QLabel(
            _("No accounts yet. Load the demo data from the File menu, or add your first account with New account.")
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)

        self._search_timer = connect_filter_row(self)

    def _busy(self, busy: bool) -> None:
        if busy:
            self.count_label.setText(_("Searching…") if self._filtering() else _("Reading the accounts…"))

    def filters(self) -> list[QComboBox]:
        return [
            self.class_filter,
            self.stage_filter,
            self.type_filter,
            self.cycle_filter,
            self.owner_filter,
            self.city_filter,
        ]

    def _fill_dynamic_filters(self) -> None:
        """Owners and cities come from the file; keep the current choice when it still exists."""
        if self.background:
            tasks.run(
                self.service.filter_choices, lambda found: self._set_choices(*found), lambda _exc: None, owner=self
            )
            return
        try:
            members, cities = self.service.filter_choices()
        except StorageError:
            return
        self._set_choices(members, cities)

    def _set_choices(self, members: list[TeamMember], cities: list[str]) -> None:
        for combo, items in (
            (self.owner_filter, [(m.name, m.id) for m in members]),
            (self.city_filter, [(c, c) for c in cities]),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for text, value in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)

    def apply_filters(self) -> None:
        value = self.class_filter.currentData()
        current = self.model.query
        self.model.set_query(
            AccountQuery(
                search=self.search.text(),
                account_class=AccountClass(value) if value else None,
                sort_key=current.sort_key,
                descending=current.descending,
                sales_stage=self.stage_filter.currentData(),
                relationship_type=self.type_filter.currentData(),
                cycle_stage=self.cycle_filter.currentData(),
                owner_id=self.owner_filter.currentData(),
                city=self.city_filter.currentData(),
            )
        )

    def clear_filters(self) -> None:
        self.search.clear()
        for combo in self.filters():
            combo.setCurrentIndex(0)
        self.apply_filters()

    def refresh(self) -> None:
        self._fill_dynamic_filters()
        self.model.refresh()

    def _filtering(self) -> bool:
        return bool(self.search.text()) or any(combo.currentData() is not None for combo in self.filters())

    def _update_count(self) -> None:
        total = self.model.total()
        self.count_label.setText(_("{count} accounts").format(count=total))
        filtering = self._filtering()
        self.empty_label.setVisible(total == 0 and not filtering)
        if total == 0 and filtering:
            self.count_label.setText(_("No account matches"))

    # Opening accounts ----------------------------------------------------------------------
    def _open_index(self, index: QModelIndex) -> None:
        """Double-click or Enter: the account's workspace (its editor is one button away there)."""
        account_id = self.model.data(self.model.index(index.row(), 0), ID_ROLE)
        if account_id is not None:
            self.account_requested.emit(int(account_id))

    def current_account_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = self.model.data(self.model.index(index.row(), 0), ID_ROLE)
        return int(value) if value is not None else None

    def make_dialog(self, account_id: int | None, data: AccountEditorData | None = None) -> AccountDialog:
        """The editor, from `data` read beforehand (read here, on this thread, when not given)."""
        from kamdesk.ui.dialogs.account_dialog import AccountDialog  # loaded when first needed

        data = data if data is not None else read_account_editor(self.service, account_id)
        dialog = AccountDialog(
            self.service, data.members, account_id, self, read_only=self.workspace.read_only, data=data
        )
        dialog.account_saved.connect(self._on_changed)
        dialog.account_deleted.connect(self._on_changed)
        if account_id is None:  # a new account opens in its workspace once saved
            dialog.account_saved.connect(self.account_requested.emit)
        return dialog

    def open_account(self, account_id: int | None) -> bool:
        """Read the account off the GUI thread, then open its editor (False: one is already on its way)."""
        return open_editor(
            self,
            f"account:{account_id}",
            lambda: read_account_editor(self.service, account_id),
            lambda data: self.make_dialog(account_id, data).exec(),
            _("Cannot open the account"),
        )

    def _on_changed(self, _account_id: int) -> None:
        self.refresh()
        self.changed.emit(self.WRITES)
