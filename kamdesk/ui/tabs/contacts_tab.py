"""The Contacts & Org Map tab: everyone at our customers, the zipper map of an account, and our team."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.contacts import ContactQuery
from kamdesk.domain.enums import (
    AccountClass,
    BuyingRole,
    LabelledEnum,
    RankTier,
    RelationshipStage,
    TeamRole,
)
from kamdesk.domain.models import TeamMember
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import prompts, tasks
from kamdesk.ui.dialogs.contact_extras import offer_plan_call
from kamdesk.ui.models.contacts_model import ContactsModel
from kamdesk.ui.models.paged_model import ID_ROLE
from kamdesk.ui.ops import Op
from kamdesk.ui.tabs.account_view.links import account_of, add_open_account
from kamdesk.ui.tabs.page import TabPage
from kamdesk.ui.widgets.choices import contains_completion, enum_combo, select_data
from kamdesk.ui.widgets.record_list import RecordTable, enum_items, filter_combo
from kamdesk.ui.widgets.zipper_map import ZipperFindingsPanel, ZipperMapView

if TYPE_CHECKING:
    from kamdesk.ui.dialogs.contact_dialog import ContactDialog


class ContactsPage(QWidget):
    """The contact list with search and filters; opens contact cards."""

    contacts_changed = Signal()
    account_requested = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.model = ContactsModel(workspace.contacts, self)
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
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._timer.start)
        for combo in self.filters():
            combo.currentIndexChanged.connect(self.apply_filters)
        self._update_count()

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
        self._update_count()

    def refresh(self) -> None:
        self.model.refresh()
        self._update_count()

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

    def make_dialog(self, contact_id: int | None, account_id: int | None = None) -> ContactDialog:
        from kamdesk.ui.dialogs.contact_dialog import ContactDialog  # loaded when first needed

        dialog = ContactDialog(
            self.workspace.contacts,
            self.workspace.team.members(),
            contact_id,
            self,
            read_only=self.workspace.read_only,
            account_id=account_id,
        )
        dialog.contact_saved.connect(self._changed)
        dialog.contact_deleted.connect(self._changed)
        offer_plan_call(dialog, self.workspace)
        return dialog

    def open_contact(self, contact_id: int | None, account_id: int | None = None) -> None:
        try:
            dialog = self.make_dialog(contact_id, account_id)
        except StorageError as exc:
            prompts.current().warn(self, _("Cannot open the contact"), str(exc))
            return
        dialog.exec()

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


class TeamMemberDialog(QDialog):
    """Add or change one of our people: name, title, department, rank and usual role."""

    def __init__(self, member: TeamMember, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Colleague") if member.id else _("New colleague"))
        self.member = member
        form = QFormLayout(self)
        self.name_edit = QLineEdit(member.name)
        self.title_edit = QLineEdit(member.title)
        self.department_edit = QLineEdit(member.department)
        self.rank_combo = enum_combo(RankTier, _("(not set)"))
        select_data(self.rank_combo, member.rank_tier)
        self.role_combo = enum_combo(TeamRole, _("(not set)"))
        select_data(self.role_combo, member.role)
        self.active_check = QCheckBox(_("Still on the team"))
        self.active_check.setChecked(member.active)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        for label, widget in (
            (_("Full name"), self.name_edit),
            (_("Title"), self.title_edit),
            (_("Department"), self.department_edit),
            (_("Rank"), self.rank_combo),
            (_("Role"), self.role_combo),
            ("", self.active_check),
            ("", self.error),
        ):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def result_member(self) -> TeamMember:
        return TeamMember(
            self.member.id,
            self.name_edit.text().strip(),
            self.title_edit.text().strip(),
            self.department_edit.text().strip(),
            self.rank_combo.currentData(),
            self.role_combo.currentData(),
            self.active_check.isChecked(),
        )

    def accept(self) -> None:
        if not self.name_edit.text().strip():
            self.error.setText(_("A colleague needs a name."))
            return
        super().accept()


class TeamPage(QWidget):
    """Our own people, with title, department, rank and role."""

    team_changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("Name"), _("Title"), _("Department"), _("Rank"), _("Role")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.edit_row(row))
        add = QPushButton(_("Add colleague…"))
        add.setEnabled(not workspace.read_only)
        add.clicked.connect(lambda: self.edit(TeamMember(0, "", "", "", None, None, True)))
        hint = QLabel(
            _(
                "Our people who work with customers. Double-click to change; colleagues who have left stay "
                "on record, marked as gone."
            )
        )
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.members: list[TeamMember] = []
        self.refresh()

    def refresh(self) -> None:
        try:
            self.members = self.workspace.team.members()
        except StorageError:
            return
        self.table.setRowCount(0)
        for member in self.members:
            row = self.table.rowCount()
            self.table.insertRow(row)
            name = member.name if member.active else _("{name} (left)").format(name=member.name)
            for column, text in enumerate(
                (
                    name,
                    member.title,
                    member.department,
                    _label(RankTier, member.rank_tier),
                    _label(TeamRole, member.role),
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def edit_row(self, row: int) -> None:
        if 0 <= row < len(self.members):
            self.edit(self.members[row])

    def make_dialog(self, member: TeamMember) -> TeamMemberDialog:
        return TeamMemberDialog(member, self)

    def edit(self, member: TeamMember) -> None:
        if self.workspace.read_only:
            return
        dialog = self.make_dialog(member)
        if dialog.exec():
            self.save(dialog.result_member())

    def save(self, member: TeamMember) -> bool:
        try:
            Op(self, lambda: self.workspace.team.save(member), _("Colleague not saved")).wait()
        except (StorageError, ValueError) as exc:
            prompts.current().warn(self, _("Colleague not saved"), str(exc))
            return False
        self.refresh()
        self.team_changed.emit()
        return True


def _label(kind: type[LabelledEnum], value: Any) -> str:
    try:
        return str(kind(value).label) if value else ""
    except ValueError:
        return str(value)


class OrgMapPage(QWidget):
    """The zipper map of one account: pick the account, see who knows whom, link people by dragging."""

    links_changed = Signal()

    def __init__(
        self, workspace: Workspace, contacts: ContactsPage, team: TeamPage, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.contacts = contacts
        self.team = team
        self.account_combo = QComboBox()
        self.account_combo.setEditable(True)
        self.account_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.account_combo.setMinimumContentsLength(24)
        contains_completion(self.account_combo)
        self.view = ZipperMapView()
        self.findings = ZipperFindingsPanel()
        self.findings.people_chosen.connect(self.view.select_people)
        beside = QSplitter(Qt.Orientation.Horizontal)
        beside.addWidget(self.view)
        beside.addWidget(self.findings)
        beside.setStretchFactor(0, 3)
        beside.setStretchFactor(1, 1)
        beside.setChildrenCollapsible(False)
        fit = QPushButton(_("Fit"))
        fit.clicked.connect(self.view.fit)
        save = QPushButton(_("Save as PNG…"))
        save.clicked.connect(self.view.save_with_dialog)
        self.pdf_button = QPushButton(_("Print to PDF…"))
        self.pdf_button.clicked.connect(self.print_pdf)
        self.account_button = QPushButton(_("Account view"))
        self.account_button.clicked.connect(
            lambda: self.contacts.account_requested.emit(self.account_combo.currentData() or 0)
        )
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Account")))
        top.addWidget(self.account_combo, 1)
        top.addWidget(fit)
        top.addWidget(save)
        top.addWidget(self.pdf_button)
        top.addWidget(self.account_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(beside, 1)
        layout.addWidget(self.summary)
        self.account_combo.currentIndexChanged.connect(self.show_map)
        self.view.contact_activated.connect(self._open_contact)
        self.view.member_activated.connect(self._open_member)
        self.view.link_requested.connect(self.link)
        # The account list and the first map are read when the page is first shown (or asked for),
        # so opening the Contacts tab on a large file does not wait for them.
        self.loaded = False

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.fill_accounts()
            self.show_map()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.ensure_loaded()
        super().showEvent(event)

    def fill_accounts(self) -> None:
        if not self.loaded:
            return  # read when first shown
        current = self.account_combo.currentData()
        try:
            accounts = self.workspace.contacts.account_choices()
        except StorageError:
            return
        self.account_combo.blockSignals(True)
        self.account_combo.clear()
        for account_id, name in accounts:
            self.account_combo.addItem(name, account_id)
        index = self.account_combo.findData(current)
        self.account_combo.setCurrentIndex(index if index >= 0 else (0 if accounts else -1))
        self.account_combo.blockSignals(False)

    def show_account(self, account_id: int) -> None:
        self.ensure_loaded()
        index = self.account_combo.findData(account_id)
        if index >= 0:
            self.account_combo.setCurrentIndex(index)
            self.show_map()

    def show_map(self) -> None:
        if not self.loaded:
            return  # drawn when first shown
        account_id = self.account_combo.currentData()
        result = None
        if account_id is not None:
            try:
                result = self.workspace.contacts.org_map(int(account_id))
            except StorageError as exc:
                self.summary.setText(str(exc))
                return
        if result is None:
            self.view.clear_map()
            self.findings.set_findings([], checked=False)
            self.summary.setText(_("Choose an account to see how our people and theirs are tied together."))
            return
        data, analysis = result
        self.view.set_map(data, analysis)
        try:
            self.findings.set_findings(self.workspace.zipper.findings(data.account_id))
        except StorageError as exc:
            self.findings.set_findings([], checked=False)
            self.summary.setText(str(exc))
            return
        self.summary.setText(analysis.bow_tie.explanation if analysis.bow_tie else self.view.coverage_text())

    def print_pdf(self) -> None:
        account_id = self.account_combo.currentData()
        if account_id is None:
            return
        path = prompts.current().save_pdf(self, _("Print org map to PDF"))
        if not path:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.workspace.contacts.print_org_map(int(account_id), path)
        except (StorageError, OSError) as exc:
            prompts.current().warn(self, _("Org map not printed"), str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        prompts.current().open_document(path)

    def link(self, member_id: int, contact_id: int) -> None:
        if self.workspace.read_only:
            prompts.current().inform(self, _("Link people"), _("This team file is open read-only."))
            return
        try:
            added = self.workspace.contacts.add_link(member_id, contact_id)
        except StorageError as exc:
            prompts.current().warn(self, _("Link people"), str(exc))
            return
        if added:
            self.show_map()
            self.links_changed.emit()

    def _open_contact(self, contact_id: int) -> None:
        self.contacts.open_contact(contact_id)
        self.show_map()

    def _open_member(self, member_id: int) -> None:
        member = next((m for m in self.team.members if m.id == member_id), None)
        if member is not None:
            self.team.edit(member)
            self.show_map()


#: What saving, deleting, merging or erasing a contact writes.
CONTACT_WRITES = frozenset(
    {"contacts", "contact_stage_history", "family_members", "personal_dates", "links", "contact_search"}
)


class ContactsTab(TabPage):
    """Contacts, the org map and our team as three pages of one tab."""

    tables = frozenset(
        {
            "contacts",
            "contact_stage_history",
            "family_members",
            "personal_dates",
            "links",
            "team_members",
            "accounts",
            "account_team",
            "gifts",
            "activities",
            "settings",  # the zipper check's marks and the targets the map colours by
        }
    )

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.pages = QTabWidget()
        self.contacts_page = ContactsPage(workspace)
        self.team_page = TeamPage(workspace)
        self.map_page = OrgMapPage(workspace, self.contacts_page, self.team_page)
        self.pages.addTab(self.contacts_page, _("Contacts"))
        self.pages.addTab(self.map_page, _("Org map"))
        self.pages.addTab(self.team_page, _("Our team"))
        self.team_page.team_changed.connect(self.contacts_page.refresh)
        self.contacts_page.account_requested.connect(self.account_requested.emit)
        self.team_page.team_changed.connect(self.map_page.show_map)
        self.contacts_page.contacts_changed.connect(self.map_page.show_map)
        self.contacts_page.contacts_changed.connect(lambda: self.changed.emit(CONTACT_WRITES))
        self.team_page.team_changed.connect(lambda: self.changed.emit(frozenset({"team_members"})))
        self.map_page.links_changed.connect(lambda: self.changed.emit(frozenset({"links"})))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def refresh(self) -> None:
        self.contacts_page.refresh()
        self.team_page.refresh()
        self.map_page.fill_accounts()
        self.map_page.show_map()

    def show_org_map(self, account_id: int) -> None:
        self.pages.setCurrentWidget(self.map_page)
        self.map_page.show_account(account_id)
