"""The zipper map of one account: pick the account, see who knows whom, link people by dragging."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent, QStandardItem
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from kamdesk.domain.org_map import MapAnalysis, OrgMapData
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import prompts, tasks
from kamdesk.ui.errors import report
from kamdesk.ui.ops import Op
from kamdesk.ui.tabs.contacts.contacts_page import ContactsPage
from kamdesk.ui.tabs.contacts.team_page import TeamPage
from kamdesk.ui.widgets.choices import contains_completion, select_data, sized_by_letters
from kamdesk.ui.widgets.warm_items import choice_items, set_choices
from kamdesk.ui.widgets.zipper_map import ZipperFindingsPanel, ZipperMapView


class OrgMapPage(QWidget):
    """The zipper map of one account: pick the account, see who knows whom, link people by dragging."""

    links_changed = Signal()

    def __init__(
        self,
        workspace: Workspace,
        contacts: ContactsPage,
        team: TeamPage,
        parent: QWidget | None = None,
        background: bool = False,
    ) -> None:
        """With `background` (the window), the account list and each map are read off the GUI thread."""
        super().__init__(parent)
        self.workspace = workspace
        self.background = background
        self._generation = 0  # the newest map asked for; an older one arriving later is dropped
        self._wanted: int | None = None  # an account asked for before the list arrived
        self._linking = False  # a link being written: another drag meanwhile is ignored
        self.contacts = contacts
        self.team = team
        self.account_combo = QComboBox()
        self.account_combo.setEditable(True)
        self.account_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        sized_by_letters(self.account_combo, 24)
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

    def refresh(self) -> None:
        """Read the account list and the map again (in the background the map follows the list)."""
        self.fill_accounts()
        if not self.background:
            self.show_map()

    def fill_accounts(self) -> None:
        if not self.loaded:
            return  # read when first shown
        if self.background:
            tasks.run(self._account_items, self._accounts_landed, self._failed, owner=self)
            return
        try:
            items = self._account_items()
        except StorageError:
            return
        self._set_accounts(items)

    def _account_items(self) -> list[QStandardItem]:
        """The account list's entries (made in the background read, where there is one)."""
        return choice_items(self.workspace.contacts.account_choices())

    def _accounts_landed(self, items: list[QStandardItem]) -> None:
        self._set_accounts(items)
        wanted, self._wanted = self._wanted, None
        if wanted is not None:
            select_data(self.account_combo, wanted)
        self.show_map()

    def _set_accounts(self, items: list[QStandardItem]) -> None:
        current = self.account_combo.currentData()
        self.account_combo.blockSignals(True)
        set_choices(self.account_combo, items)  # one call for the large demo's 3,100 accounts
        index = self.account_combo.findData(current)
        self.account_combo.setCurrentIndex(index if index >= 0 else (0 if items else -1))
        self.account_combo.blockSignals(False)

    def show_account(self, account_id: int) -> None:
        if self.background and not self.loaded:
            self._wanted = account_id  # shown once the account list is in
        self.ensure_loaded()
        index = self.account_combo.findData(account_id)
        if index >= 0:
            self.account_combo.setCurrentIndex(index)
            self.show_map()
        elif self.background:
            self._wanted = account_id

    def show_map(self) -> None:
        if not self.loaded:
            return  # drawn when first shown
        account_id = self.account_combo.currentData()
        self._generation += 1
        generation = self._generation
        if self.background and account_id is not None:
            self.summary.setText(_("Reading the org map…"))
            tasks.run(
                lambda: self._read_map(int(account_id)),
                lambda found: self._draw(generation, *found),
                lambda exc: self._failed(exc, generation),
                owner=self,
            )
            return
        try:
            found = self._read_map(int(account_id)) if account_id is not None else (None, [])
        except StorageError as exc:
            self.summary.setText(str(exc))
            return
        self._draw(generation, *found)

    def _read_map(self, account_id: int) -> tuple[tuple[OrgMapData, MapAnalysis] | None, list[Any] | None]:
        """The account's map and the zipper check's findings, in one unit of work (None findings: unread)."""
        with self.workspace.one_read():
            result = self.workspace.contacts.org_map(account_id)
            try:
                findings = self.workspace.zipper.findings(account_id) if result is not None else []
            except StorageError:
                findings = None
        return result, findings

    def _draw(self, generation: int, result: tuple[OrgMapData, MapAnalysis] | None, findings: list[Any] | None) -> None:
        if generation != self._generation:
            return  # another account was chosen meanwhile
        if result is None:
            self.view.clear_map()
            self.findings.set_findings([], checked=False)
            self.summary.setText(_("Choose an account to see how our people and theirs are tied together."))
            return
        data, analysis = result
        self.view.set_map(data, analysis)
        if findings is None:
            self.findings.set_findings([], checked=False)
        else:
            self.findings.set_findings(findings)
        self.summary.setText(analysis.bow_tie.explanation if analysis.bow_tie else self.view.coverage_text())

    def _failed(self, exc: Exception, generation: int | None = None) -> None:
        if generation is None or generation == self._generation:
            self.summary.setText(str(exc))

    def print_pdf(self) -> None:
        account_id = self.account_combo.currentData()
        if account_id is None:
            return
        path = prompts.current().save_pdf(self, _("Print org map to PDF"))
        if not path:
            return
        from kamdesk.ui.dialogs.pdf_preview import write_with_progress  # QtPdf loads on first print

        contacts = self.workspace.contacts
        try:  # progress per map page, and Stop (a stopped print leaves no file)
            written = write_with_progress(
                self,
                lambda p, progress: contacts.print_org_map(int(account_id), p, progress=progress),
                Path(path),
                _("Print org map to PDF"),
                Path(path).name,
            )
        except (StorageError, OSError) as exc:
            prompts.current().warn(self, _("Org map not printed"), str(exc))
            return
        if written:
            prompts.current().open_document(path)

    def link(self, member_id: int, contact_id: int) -> None:
        """Record that our `member_id` knows `contact_id` (a drag on the map); written off the GUI thread, the
        map drawn again when it went through (in the window: `background`; else before this returns). A drag
        while a link is still being written is ignored."""
        if self.workspace.read_only:
            prompts.current().inform(self, _("Link people"), _("This team file is open read-only."))
            return
        if self._linking:
            return
        self._linking = True
        contacts = self.workspace.contacts

        def done(added: bool) -> None:
            self._linking = False
            if added:
                self.show_map()
                self.links_changed.emit()

        def failed(exc: Exception) -> None:
            self._linking = False
            if isinstance(exc, StorageError):
                prompts.current().warn(self, _("Link people"), str(exc))
            else:
                report(self, exc, _("Link people"))

        op = Op(self, lambda: contacts.add_link(member_id, contact_id), _("Link people"))
        if self.background:
            op.success(done).failure(failed).run()
            return
        try:  # a page used on its own (as tests build it): written before this returns
            added = op.wait()
        except Exception as exc:  # noqa: BLE001 - shown or reported by `failed`
            failed(exc)
            return
        done(added)

    def _open_contact(self, contact_id: int) -> None:
        self.contacts.open_contact(contact_id)
        self.show_map()

    def _open_member(self, member_id: int) -> None:
        member = next((m for m in self.team.members if m.id == member_id), None)
        if member is not None:
            self.team.edit(member)
            self.show_map()
