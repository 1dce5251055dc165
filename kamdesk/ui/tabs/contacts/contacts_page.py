"""The contact list with search and filters: read off the GUI thread, a keystroke at a time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kamdesk.domain.contacts import ContactQuery
from kamdesk.domain.enums import AccountClass, BuyingRole, RankTier, RelationshipStage
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import prompts, tasks
from kamdesk.ui.dialogs.editor_data import ContactCardData, contact_card, open_editor, read_contact_card
from kamdesk.ui.models.contacts_model import ContactsModel
from kamdesk.ui.models.paged_model import ID_ROLE
from kamdesk.ui.tabs.account_view.links import account_of, add_open_account
from kamdesk.ui.widgets.record_list import RecordTable, connect_filter_row, enum_items, filter_combo

if TYPE_CHECKING:
    from kamdesk.ui.dialogs.contact_dialog import ContactDialog


class ContactsPage(QWidget):
    """The contact list with search and filters; opens contact cards.

    With `background` (the window), every read of the list runs off the GUI thread: a keystroke waits
    for a short pause in typing, says "Searching…" while it reads, and the newest keystroke's rows win.
    """

    contacts_changed = Signal()
    account_requested = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.model = ContactsModel(workspace.contacts, self, background)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by name, pinyin, initials, company, title, city or hometown"))
        self.search.setClearButtonEnabled(True)
        self.class_filter = filter_combo(_("All classes"), [(c.label, c.value) for c in AccountClass])
        self.rank_filter = filter_combo(_("All ranks"), enum_items(RankTier))
        self.role_filter = filter_combo(_("All buying roles"), enum_items(BuyingRole))
        self.stage_filter = filter_combo(_("All stages"), enum_items(RelationshipStage))
        self.gap_filter = filter_combo(
            _("Any gap"), [(_("Below target"), "below"), (_("Target met"), "met"), (_("No target"), "none")]
        )
        self.count_label = QLabel()
        self.new_button = QPushButton(_("New contact…"))
        self.new_button.setEnabled(not workspace.read_only)
        self.new_button.clicked.connect(lambda: self.open_contact(None))
        self.export_person_button = QPushButton(_("Export this person's data…"))
        self.export_person_button.setToolTip(
            _("Everything kamdesk holds about the selected contact, as a PDF and a JSON file")
        )
        self.export_person_button.clicked.connect(self.export_person)
        self.erase_person_button = QPushButton(_("Erase this person…"))
        self.erase_person_button.setToolTip(
            _("Remove the selected contact and their personal data from the file for good")
        )
        self.erase_person_button.setFlat(True)  # rare and for good: quiet, at the far end, only with someone to erase
        self.erase_person_button.setStyleSheet("color: #8a1c1c")
        self.erase_person_button.setEnabled(False)
        self.erase_person_button.clicked.connect(self.erase_person)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.new_button)
        top.addWidget(self.export_person_button)
        filters = QHBoxLayout()
        for combo in self.filters():
            filters.addWidget(combo)
        filters.addStretch(1)
        filters.addWidget(self.erase_person_button)
        self.table = RecordTable(self.model, 0, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated_row.connect(self._open_index)
        add_open_account(
            self.table, lambda: account_of(workspace, self.selected_contact()), self.account_requested.emit
        )
        self.empty_label = QLabel(
            _(
                "No contacts yet. Add the people you deal with at each customer with New "
                "contact, or load the demo data from the File menu."
            )
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        self._search_timer = connect_filter_row(self)
        if background:  # the search lines, read once ahead of the first keystroke
            tasks.run(workspace.contacts.prepare_search, lambda _none: None, lambda _exc: None, owner=self)

    def filters(self) -> list[QComboBox]:
        return [self.class_filter, self.rank_filter, self.role_filter, self.stage_filter, self.gap_filter]

    def apply_filters(self) -> None:
        cls = self.class_filter.currentData()
        current = self.model.query
        self.model.set_query(
            ContactQuery(
                search=self.search.text(),
                account_class=AccountClass(cls) if cls else None,
                rank_tier=self.rank_filter.currentData(),
                buying_role=self.role_filter.currentData(),
                stage=self.stage_filter.currentData(),
                gap=self.gap_filter.currentData(),
                sort_key=current.sort_key,
                descending=current.descending,
            )
        )

    def refresh(self) -> None:
        # Contacts or accounts changed (here, or a colleague's the poll saw): the search lines follow.
        self.workspace.contacts.contacts_changed()
        self.model.refresh()

    def _busy(self, busy: bool) -> None:
        if busy:
            self.count_label.setText(_("Searching…") if self.search.text().strip() else _("Reading the contacts…"))

    def _update_count(self) -> None:
        total = self.model.total()
        filtering = bool(self.search.text()) or any(c.currentData() is not None for c in self.filters())
        self.count_label.setText(
            _("{count} contacts").format(count=total) if total or not filtering else _("No contact matches")
        )
        self.empty_label.setVisible(total == 0 and not filtering)
        self.erase_person_button.setEnabled(total > 0 and not self.workspace.read_only)

    def _open_index(self, index: QModelIndex) -> None:
        contact_id = self.model.data(self.model.index(index.row(), 0), ID_ROLE)
        if contact_id is not None:
            self.open_contact(int(contact_id))

    def make_dialog(
        self, contact_id: int | None, account_id: int | None = None, data: ContactCardData | None = None
    ) -> ContactDialog:
        """The card, from `data` read beforehand (read here, on this thread, when not given)."""
        dialog = contact_card(self.workspace, self, contact_id, account_id, data)
        dialog.contact_saved.connect(self._changed)
        dialog.contact_deleted.connect(self._changed)
        return dialog

    def open_contact(self, contact_id: int | None, account_id: int | None = None) -> bool:
        """Read the card off the GUI thread, then open it (False: one is already on its way)."""
        return open_editor(
            self,
            f"contact:{contact_id}",
            lambda: read_contact_card(self.workspace.contacts, contact_id, account_id),
            lambda data: self.make_dialog(contact_id, account_id, data).exec(),
            _("Cannot open the contact"),
        )

    def _changed(self, _contact_id: int) -> None:
        self.refresh()
        self.contacts_changed.emit()

    # Personal data (domain.md §14) ---------------------------------------------------------------
    def selected_contact(self) -> tuple[int, str] | None:
        """(id, name) of the contact selected in the list."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        index = self.model.index(rows[0].row(), 0)
        contact_id = self.model.data(index, ID_ROLE)
        return None if contact_id is None else (int(contact_id), str(self.model.data(index)))

    def export_person(self) -> bool:
        """Write everything held about the selected contact as a PDF, with a JSON file of the same name beside it."""
        selected = self.selected_contact()
        if selected is None:
            prompts.current().inform(self, _("Export this person's data"), _("Select a contact in the list first."))
            return False
        path = prompts.current().save_pdf(self, _("Export this person's data"))
        if not path:
            return False
        pdf = Path(path)
        json_path = pdf.with_suffix(".json")
        try:
            tasks.run_busy(
                self,
                _("Export this person's data"),
                _("Writing {pdf}…").format(pdf=pdf.name),
                lambda: self.workspace.personal_data.export_person(selected[0], json_path, pdf),
            )
        except (StorageError, OSError) as exc:
            prompts.current().warn(self, _("Export this person's data"), str(exc))
            return False
        prompts.current().inform(
            self,
            _("Export this person's data"),
            _("Everything held about {name} written to {pdf} and {json}.").format(
                name=selected[1], pdf=pdf, json=json_path
            ),
        )
        return True

    def erase_person(self) -> bool:
        """Erase the selected contact after a confirmation listing exactly what goes; refused while others are in."""
        from kamdesk.ui.dialogs.erase_person import erase_person

        selected = self.selected_contact()
        if selected is None:
            prompts.current().inform(self, _("Erase this person"), _("Select a contact in the list first."))
            return False
        return erase_person(self, self.workspace, selected[0], self._changed)
