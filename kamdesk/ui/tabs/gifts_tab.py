"""The Gifts & Visits tab: the register with its limits, festival and everyday gift plans, visits with
the meal guide, the catalogue and the team's policy, and the printable schedules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import GiftDirection, GiftKind, RankTier
from kamdesk.domain.gifts import (
    CLASSES,
    DELIVERY,
    GIFT_FESTIVALS,
    RANKS,
    TIER_LABELS,
    VISIT_KINDS,
    CatalogueItem,
    GiftError,
    GiftPolicy,
    GiftProposal,
    RegisterEntry,
    Visit,
    budget_view,
)
from kamdesk.i18n import N_, _
from kamdesk.services.workspace import ConflictError, StorageError, Workspace
from kamdesk.ui import formatting, prompts, tasks
from kamdesk.ui.dialogs.pdf_preview import PdfPreviewDialog, preview_pdf
from kamdesk.ui.tabs.page import TabPage

ERROR_STYLE = "color: #b00020"
REGISTER_LIMIT = 5_000  # rows in the register view; a search narrows a busier year
WARN = QColor("#b00020")
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _money_spin(maximum: float = 10_000_000) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, maximum)
    spin.setDecimals(2)
    spin.setGroupSeparatorShown(True)
    return spin


def _cents(spin: QDoubleSpinBox) -> int:
    return round(spin.value() * 100)


def _item(text: str, data: object = None, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(ID_ROLE, data)
    return item


def _table(headers: list[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _label(pairs: tuple[tuple[str, str], ...], key: str) -> str:
    return _(dict(pairs).get(key, key)) if key else ""


def _enum_label(kind: type, value: str) -> str:
    try:
        return str(kind(value).label)
    except ValueError:
        return value


REGISTER_HEADERS = (N_("Date"), N_("Given/received"), N_("Kind"), N_("What"), N_("Value"), N_("Their person"),
                    N_("Account"), N_("Our person"), N_("Occasion"), N_("Status"), N_("Approved by"))


class RegisterModel(QAbstractTableModel):
    """The register's rows, formatted only when the view asks (a busy year holds thousands)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[RegisterEntry] = []

    def set_entries(self, entries: list[RegisterEntry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(REGISTER_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(REGISTER_HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return formatting.date(e.given_on)
            if column == 1:
                return _enum_label(GiftDirection, e.direction)
            if column == 2:
                return _enum_label(GiftKind, e.kind)
            if column == 4:
                return formatting.money(e.value_cents)
            if column == 9:
                return _("Planned") if e.status == "planned" else _("Done")
            return ("", "", "", e.item, "", e.contact_name, e.account_name, e.member_name, e.occasion, "",
                    e.approved_by)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class EntryDialog(QDialog):
    """Record (or edit) a gift given or received, a meal, entertainment or a trip."""

    def __init__(self, workspace: Workspace, entry: RegisterEntry | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.entry = entry
        self.setWindowTitle(_("Register entry") if entry else _("New register entry"))
        today = workspace.gifts.today()
        self.direction = QComboBox()
        for d in GiftDirection:
            self.direction.addItem(d.label, d.value)
        self.kind = QComboBox()
        for k in GiftKind:
            self.kind.addItem(k.label, k.value)
        self.item_edit = QLineEdit()
        self.item_edit.setMaxLength(300)
        self.value = _money_spin()
        self.date = QDateEdit(QDate(today.year, today.month, today.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.contact = QComboBox()
        self.contact.setEditable(True)
        self.contact.addItem("—", None)
        self.people = {r.contact_id: r for r in workspace.gifts.recipients()}
        for r in self.people.values():
            self.contact.addItem(_("{name} ({account})").format(name=r.name, account=r.account_name), r.contact_id)
        self.member = QComboBox()
        self.member.addItem("—", None)
        for m in workspace.team.members():
            if m.active:
                self.member.addItem(m.name, m.id)
        self.ours = QLineEdit()
        self.theirs = QLineEdit()
        self.occasion = QLineEdit()
        self.approved_by = QLineEdit()
        self.approved_by.setPlaceholderText(_("Needed above the policy limits"))
        self.status = QComboBox()
        self.status.addItem(_("Done"), "done")
        self.status.addItem(_("Planned"), "planned")
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.policy_label = QLabel()
        self.policy_label.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, widget in ((_("Given or received"), self.direction), (_("Kind"), self.kind),
                              (_("What"), self.item_edit), (_("Value"), self.value), (_("Date"), self.date),
                              (_("Their person"), self.contact), (_("Our person"), self.member),
                              (_("Also ours"), self.ours), (_("Also theirs"), self.theirs),
                              (_("Occasion"), self.occasion), (_("Approved by"), self.approved_by),
                              (_("Status"), self.status), (_("Notes"), self.notes)):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.policy_label)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        for signal in (self.value.valueChanged, self.contact.currentIndexChanged, self.date.dateChanged):
            signal.connect(lambda *_a: self.refresh_policy())
        self.item_edit.textChanged.connect(lambda *_a: self.refresh_policy())
        if entry is not None:
            self._load(entry)
        self.saved_id: int | None = None
        self.refresh_policy()

    def _load(self, e: RegisterEntry) -> None:
        self.direction.setCurrentIndex(max(0, self.direction.findData(e.direction)))
        self.kind.setCurrentIndex(max(0, self.kind.findData(e.kind)))
        self.item_edit.setText(e.item)
        self.value.setValue(e.value_cents / 100)
        self.date.setDate(QDate(e.given_on.year, e.given_on.month, e.given_on.day))
        self.contact.setCurrentIndex(max(0, self.contact.findData(e.contact_id)))
        self.member.setCurrentIndex(max(0, self.member.findData(e.member_id)))
        self.ours.setText(e.people_ours)
        self.theirs.setText(e.people_theirs)
        self.occasion.setText(e.occasion)
        self.approved_by.setText(e.approved_by)
        self.status.setCurrentIndex(max(0, self.status.findData(e.status)))
        self.notes.setPlainText(e.notes)

    def value_entry(self) -> RegisterEntry:
        base = self.entry
        contact = self.contact.currentData()
        person = self.people.get(contact) if contact is not None else None
        return RegisterEntry(
            kind=self.kind.currentData(), item=self.item_edit.text().strip(), value_cents=_cents(self.value),
            given_on=self.date.date().toPython(), direction=self.direction.currentData(),
            account_id=person.account_id if person else (base.account_id if base else None), contact_id=contact,
            member_id=self.member.currentData(), occasion=self.occasion.text().strip(),
            people_ours=self.ours.text().strip(), people_theirs=self.theirs.text().strip(),
            approved_by=self.approved_by.text().strip(), approved_on=base.approved_on if base else None,
            delivery=base.delivery if base else "", status=self.status.currentData(),
            notes=self.notes.toPlainText(), id=base.id if base else None, version=base.version if base else 0)

    def refresh_policy(self) -> None:
        entry = self.value_entry()
        try:
            check = self.workspace.gifts.check(entry)
        except StorageError:
            return
        lines = []
        if check.needs_approval:
            lines.append(_("Above the team's policy: this entry needs an approval (name who approved it)."))
        if entry.contact_id is not None:
            lines.append(_("{name}'s total this year with this entry: {total}").format(
                name=self.people[entry.contact_id].name, total=formatting.money(check.year_total_cents)))
            person = self.people[entry.contact_id]
            if person.account_id is not None:
                customer = self.workspace.gifts.customer_policy(person.account_id)
                if customer:
                    lines.append(_("Their company's own rule: {rule}").format(rule=customer))
        taboo = self.workspace.gifts.taboo_warning(entry) if entry.item else ""
        if taboo:
            lines.append(taboo)
        self.policy_label.setText("\n".join(lines))
        self.policy_label.setStyleSheet(ERROR_STYLE if check.needs_approval or taboo else "")

    def accept(self) -> None:
        try:
            self.saved_id = self.workspace.gifts.record(self.value_entry())
        except GiftError as exc:
            self.error.setText(str(exc))
            return
        except ConflictError as exc:
            self.error.setText(str(exc))
            return
        except StorageError as exc:
            prompts.current().warn(self, _("Not recorded"), str(exc))
            return
        super().accept()


class VisitDialog(QDialog):
    """Plan a visit, meal, entertainment or trip; the key person's tastes and the ordering guide beside it."""

    def __init__(self, workspace: Workspace, visit: Visit | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.visit = visit
        self.setWindowTitle(_("Visit") if visit else _("Plan a visit"))
        today = workspace.gifts.today()
        self.kind = QComboBox()
        for key, label in VISIT_KINDS:
            self.kind.addItem(_(label), key)
        start = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(10, 0))
        self.when = QDateTimeEdit(QDateTime(QDate(start.year, start.month, start.day), QTime(start.hour, 0)))
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.people = workspace.gifts.recipients()
        self.account = QComboBox()
        accounts = sorted({(r.account_id, r.account_name) for r in self.people if r.account_id is not None},
                          key=lambda a: a[1])
        for account_id, name in accounts:
            self.account.addItem(name, account_id)
        self.contact = QComboBox()
        self.theirs = QLineEdit()
        self.member = QComboBox()
        for m in workspace.team.members():
            if m.active:
                self.member.addItem(m.name, m.id)
        self.ours = QLineEdit()
        self.purpose = QLineEdit()
        self.place = QLineEdit()
        self.meal = QCheckBox(_("A meal is part of it"))
        self.headcount = QSpinBox()
        self.headcount.setRange(0, 500)
        self.fine = QCheckBox(_("a fine restaurant"))
        self.gift = QLineEdit()
        self.activity = QLineEdit()
        self.budget = _money_spin()
        self.status = QComboBox()
        self.status.addItem(_("Planned"), "planned")
        self.status.addItem(_("Done"), "done")
        self.outcome = QLineEdit()
        self.guide = QLabel()
        self.guide.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        meal = QHBoxLayout()
        meal.addWidget(self.meal)
        meal.addWidget(QLabel(_("Headcount")))
        meal.addWidget(self.headcount)
        meal.addWidget(self.fine)
        meal.addStretch(1)
        form = QFormLayout()
        for label, widget in ((_("Kind"), self.kind), (_("When"), self.when), (_("Account"), self.account),
                              (_("Key person"), self.contact), (_("Also theirs"), self.theirs),
                              (_("Our person"), self.member), (_("Also ours"), self.ours),
                              (_("Purpose"), self.purpose), (_("Place"), self.place)):
            form.addRow(label, widget)
        form.addRow(_("Meal"), meal)
        for label, widget in ((_("Gift"), self.gift), (_("Activity"), self.activity), (_("Budget"), self.budget),
                              (_("Status"), self.status), (_("Outcome"), self.outcome)):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notes)
        layout.addWidget(self.guide)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.account.currentIndexChanged.connect(lambda _i: self._fill_contacts())
        for signal in (self.contact.currentIndexChanged, self.kind.currentIndexChanged,
                       self.headcount.valueChanged):
            signal.connect(lambda *_a: self.refresh())
        self.meal.toggled.connect(lambda *_a: self.refresh())
        self.fine.toggled.connect(lambda *_a: self.refresh())
        self._fill_contacts()
        if visit is not None:
            self._load(visit)
        self.saved_id: int | None = None
        self.refresh()

    def _fill_contacts(self) -> None:
        account = self.account.currentData()
        self.contact.clear()
        self.contact.addItem("—", None)
        for r in self.people:
            if r.account_id == account:
                rank = _enum_label(RankTier, r.rank) if r.rank else ""
                self.contact.addItem(f"{r.name} · {rank}" if rank else r.name, r.contact_id)

    def _load(self, v: Visit) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(v.kind)))
        self.when.setDateTime(QDateTime(QDate(v.starts_at.year, v.starts_at.month, v.starts_at.day),
                                        QTime(v.starts_at.hour, v.starts_at.minute)))
        self.account.setCurrentIndex(max(0, self.account.findData(v.account_id)))
        self._fill_contacts()
        self.contact.setCurrentIndex(max(0, self.contact.findData(v.contact_id)))
        self.theirs.setText(v.people_theirs)
        self.member.setCurrentIndex(max(0, self.member.findData(v.member_id)))
        self.ours.setText(v.people_ours)
        self.purpose.setText(v.purpose)
        self.place.setText(v.place)
        self.meal.setChecked(v.plan_meal)
        self.headcount.setValue(v.headcount)
        self.gift.setText(v.plan_gift)
        self.activity.setText(v.plan_activity)
        self.budget.setValue(v.budget_cents / 100)
        self.status.setCurrentIndex(max(0, self.status.findData(v.status)))
        self.outcome.setText(v.outcome)

    def value_visit(self) -> Visit:
        base = self.visit
        account = self.account.currentData()
        cls = next((r.account_class for r in self.people if r.account_id == account), None)
        return Visit(self.when.dateTime().toPython(), self.kind.currentData(), account, self.contact.currentData(),
                     self.theirs.text().strip(), self.member.currentData(), self.ours.text().strip(),
                     self.purpose.text().strip(), self.meal.isChecked(), self.gift.text().strip(),
                     self.activity.text().strip(), self.headcount.value(), _cents(self.budget), self.outcome.text(),
                     self.status.currentData(), self.place.text().strip(), base.id if base else None,
                     base.version if base else 0, account_class=cls)

    def refresh(self) -> None:
        visit = self.value_visit()
        self.notes.setText("\n".join(self.workspace.gifts.visit_warnings(visit)))
        if self.meal.isChecked() or visit.kind == "meal":
            self.guide.setText(_("Ordering guide: ") + self.workspace.gifts.meal_guide(
                self.headcount.value(), self.fine.isChecked()).advice)
        else:
            self.guide.clear()

    def accept(self) -> None:
        try:
            self.saved_id = self.workspace.gifts.save_visit(self.value_visit())
        except (GiftError, ConflictError) as exc:
            self.error.setText(str(exc))
            return
        except StorageError as exc:
            prompts.current().warn(self, _("Not saved"), str(exc))
            return
        super().accept()


class GiftsTab(TabPage):
    """Register, plans, visits, catalogue and policy on sub-tabs; schedules print from here."""

    tables = frozenset({"gifts", "gift_catalogue", "visits", "settings", "contacts", "accounts", "team_members",
                        "activities"})
    #: What recording, planning and scheduling here write (visits and greetings go on the agenda).
    WRITES = frozenset({"gifts", "gift_catalogue", "visits", "activities", "settings"})

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.service = workspace.gifts
        #: Read the register off the GUI thread (the window does: a busy year takes ~0.15 s).
        self.background = background
        self._register_generation = 0
        self.tabs = QTabWidget()
        for page, title in ((self._register_page(), _("Register")), (self._plan_page(), _("Plan gifts")),
                            (self._visits_page(), _("Visits")), (self._catalogue_page(), _("Catalogue")),
                            (self._policy_page(), _("Policy"))):
            # In a scroll area, so a small window scrolls instead of growing to fit every button.
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            area.setWidget(page)
            self.tabs.addTab(area, title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        writable = not workspace.read_only
        for button in (self.add_button, self.edit_button, self.delete_button, self.confirm_button,
                       self.new_visit_button, self.save_catalogue_button, self.save_policy_button):
            button.setEnabled(writable)
        self.proposals: list[GiftProposal] = []
        #: The pages (by tab index) besides the register that read the file, and how.
        self._page_readers = {2: self.refresh_visits, 3: self.refresh_catalogue, 4: self.refresh_policy}
        self._stale_pages: set[int] = set()
        self.tabs.currentChanged.connect(self._page_shown)
        self.refresh()

    # Register ----------------------------------------------------------------------------------
    def _register_page(self) -> QWidget:
        page = QWidget()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.service.today().year)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Find by item, person, company or occasion"))
        self.register_model = RegisterModel(self)
        self.register_table = QTableView()
        self.register_table.setModel(self.register_model)
        self.register_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.register_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.register_table.setAlternatingRowColors(True)
        self.register_table.verticalHeader().setVisible(False)
        self.register_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.register_table.horizontalHeader()
        for column, width in enumerate((90, 80, 90, 220, 90, 90, 200, 80, 120, 70, 80)):
            self.register_table.setColumnWidth(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.register_table.doubleClicked.connect(lambda _i: self.edit_entry())
        self.register_totals = QLabel()
        self.register_totals.setWordWrap(True)
        self.add_button = QPushButton(_("Record…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete…"))
        self.schedule_button = QPushButton(_("Gift schedule…"))
        self.labels_button = QPushButton(_("Mailing labels…"))
        self.xlsx_button = QPushButton(_("Export schedule (XLSX)…"))
        self.add_button.clicked.connect(lambda: self.add_entry())
        self.edit_button.clicked.connect(lambda: self.edit_entry())
        self.delete_button.clicked.connect(self.delete_entry)
        self.schedule_button.clicked.connect(lambda: self.print_gift_schedule())
        self.labels_button.clicked.connect(lambda: self.print_labels())
        self.xlsx_button.clicked.connect(lambda: self.export_gift_xlsx())
        self.year.valueChanged.connect(lambda _v: self.refresh_register())
        self.search.textChanged.connect(lambda _t: self.refresh_register())
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Year")))
        top.addWidget(self.year)
        top.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.schedule_button, self.labels_button, self.xlsx_button):
            buttons.addWidget(b)
        note = QLabel(_("Everything given or received is on record, with who approved what went beyond the "
                        "team's limits."))
        note.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(self.register_table, 1)
        layout.addWidget(self.register_totals)
        layout.addLayout(buttons)
        return page

    def refresh_register(self) -> None:
        year, search = self.year.value(), self.search.text()

        def read() -> tuple[list[RegisterEntry], tuple[int, int], list[tuple[str, int, int]]]:
            return (self.service.register(year, search=search, limit=REGISTER_LIMIT + 1),
                    self.service.year_summary(year), self.service.totals(year, "contact")[:3])

        self._register_generation += 1
        generation = self._register_generation
        if self.background:
            tasks.run(read, lambda result: self._show_register(generation, result), lambda _exc: None)
        else:
            self._show_register(generation, read())

    def _show_register(self, generation: int,
                       result: tuple[list[RegisterEntry], tuple[int, int], list[tuple[str, int, int]]]) -> None:
        if generation != self._register_generation:
            return  # a newer read is on its way
        entries, (count, given), top = result
        shown = entries[:REGISTER_LIMIT]
        self.register_model.set_entries(shown)
        more = (" " + _("Showing the latest {shown:,}; type in the search box to narrow the list.").format(
            shown=REGISTER_LIMIT)) if len(entries) > REGISTER_LIMIT else ""
        self.register_totals.setText(
            (_("{count} entries; given this year: {total}.").format(count=count, total=formatting.money(given)) + more
             + (" " + _("Most given to: {people}").format(people="; ".join(
                 f"{name} {formatting.money(value)}" for name, _n, value in top)) if top else ""))
            if entries else _("Nothing recorded for {year} yet. Record a gift, meal, entertainment or trip with "
                              "Record….").format(year=self.year.value()))

    def make_entry_dialog(self, entry: RegisterEntry | None) -> EntryDialog:
        return EntryDialog(self.workspace, entry, self)

    def add_entry(self) -> bool:
        dialog = self.make_entry_dialog(None)
        if dialog.exec():
            self.refresh_register()
            self.changed.emit(self.WRITES)
            return True
        return False

    def _selected_entry(self) -> tuple[int, int] | None:
        index = self.register_table.currentIndex()
        if not index.isValid():
            return None
        entry = self.register_model.entries[index.row()]
        return (entry.id, entry.version) if entry.id is not None else None

    def edit_entry(self) -> bool:
        found = self._selected_entry()
        entry = self.service.get(found[0]) if found else None
        if entry is None:
            return False
        dialog = self.make_entry_dialog(entry)
        if dialog.exec():
            self.refresh_register()
            return True
        return False

    def delete_entry(self) -> None:
        found = self._selected_entry()
        if found is None:
            return
        if not prompts.current().ask_yes_no(self, _("Delete entry"), _(
                "Delete this register entry? The register is the team's record; delete only a mistake.")):
            return
        try:
            self.service.delete(*found)
        except StorageError as exc:
            prompts.current().warn(self, _("Not deleted"), str(exc))
        self.refresh_register()

    # Planning ----------------------------------------------------------------------------------
    def _plan_page(self) -> QWidget:
        page = QWidget()
        self.festival = QComboBox()
        for key, label in GIFT_FESTIVALS:
            self.festival.addItem(_(label), key)
        self.plan_year = QSpinBox()
        self.plan_year.setRange(2000, 2100)
        self.plan_year.setValue(self.service.today().year)
        self.budget = _money_spin()
        self.budget.setValue(20_000)
        self.propose_button = QPushButton(_("Propose festival gifts"))
        self.everyday_button = QPushButton(_("Everyday gifts (next 6 months)"))
        self.special_button = QPushButton(_("Special gifts from tastes"))
        self.confirm_button = QPushButton(_("Confirm the ticked gifts"))
        self.propose_button.clicked.connect(lambda: self.propose_festival())
        self.everyday_button.clicked.connect(lambda: self.propose_everyday())
        self.special_button.clicked.connect(lambda: self.propose_special())
        self.confirm_button.clicked.connect(lambda: self.confirm())
        self.plan_table = _table(["", _("Date"), _("Person"), _("Account"), _("Class"), _("Tier"), _("Gift"),
                                  _("Cost"), _("Delivery"), _("Why / warning")], 9)
        self.plan_table.itemChanged.connect(lambda _i: self.refresh_budget())
        self.plan_status = QLabel(_("Choose a festival and press Propose: the list is drawn from each person's "
                                    "class, rank, likes and taboos. Adjust it, then confirm."))
        self.plan_status.setWordWrap(True)
        self.budget_label = QLabel()
        top = QHBoxLayout()
        for w in (QLabel(_("Festival")), self.festival, QLabel(_("Year")), self.plan_year, QLabel(_("Budget")),
                  self.budget, self.propose_button):
            top.addWidget(w)
        top.addStretch(1)
        more = QHBoxLayout()
        more.addWidget(self.everyday_button)
        more.addWidget(self.special_button)
        more.addStretch(1)
        more.addWidget(self.confirm_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.plan_status)
        layout.addWidget(self.plan_table, 1)
        layout.addWidget(self.budget_label)
        layout.addLayout(more)
        self._occasion = ""
        self._key_prefix = ""
        return page

    def _show_proposals(self, proposals: list[GiftProposal]) -> None:
        self.proposals = proposals
        items = self.service.catalogue()
        table = self.plan_table
        table.blockSignals(True)
        table.setRowCount(len(proposals))
        for row, p in enumerate(proposals):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(Qt.CheckState.Checked if p.item else Qt.CheckState.Unchecked)
            table.setItem(row, 0, tick)
            table.setItem(row, 1, _item(formatting.date(p.date) if p.date else ""))
            table.setItem(row, 2, _item(p.recipient.name))
            table.setItem(row, 3, _item(p.recipient.account_name))
            table.setItem(row, 4, _item(p.recipient.account_class or ""))
            table.setItem(row, 5, _item(_(TIER_LABELS.get(p.tier, str(p.tier)))))
            combo = QComboBox()
            combo.addItem("—", None)
            for index, c in enumerate(items):
                combo.addItem(f"{c.item} ({formatting.money(c.unit_cost_cents)})", index)
            chosen = next((i for i, c in enumerate(items) if p.item and c.id == p.item.id), None)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.currentIndexChanged.connect(lambda _i, r=row, cb=combo: self._item_changed(r, cb, items))
            table.setCellWidget(row, 6, combo)
            table.setItem(row, 7, _item(formatting.money(p.cost_cents)))
            delivery = QComboBox()
            for key, label in DELIVERY:
                delivery.addItem(_(label), key)
            delivery.setCurrentIndex(max(0, delivery.findData(p.delivery)))
            delivery.currentIndexChanged.connect(lambda _i, r=row, cb=delivery: self._delivery_changed(r, cb))
            table.setCellWidget(row, 8, delivery)
            note = _item(" ".join(t for t in (p.reason, p.warning) if t))
            if p.warning:
                note.setForeground(WARN)
            table.setItem(row, 9, note)
        table.blockSignals(False)
        self.refresh_budget()

    def _item_changed(self, row: int, combo: QComboBox, items: list[CatalogueItem]) -> None:
        index = combo.currentData()
        self.proposals[row].item = items[index] if index is not None else None
        cost = self.plan_table.item(row, 7)
        if cost is not None:
            cost.setText(formatting.money(self.proposals[row].cost_cents))
        self.refresh_budget()

    def _delivery_changed(self, row: int, combo: QComboBox) -> None:
        self.proposals[row].delivery = combo.currentData()

    def ticked(self) -> list[GiftProposal]:
        return [p for row, p in enumerate(self.proposals)
                if (item := self.plan_table.item(row, 0)) is not None and item.checkState() == Qt.CheckState.Checked]

    def refresh_budget(self) -> None:
        chosen = self.ticked()
        try:
            view = budget_view(chosen, _cents(self.budget))
        except GiftError as exc:
            self.budget_label.setText(str(exc))
            self.budget_label.setStyleSheet(ERROR_STYLE)
            return
        self.budget_label.setText(_("{count} gifts, {total} of a budget of {budget} ({left} left)").format(
            count=len(chosen), total=formatting.money(view.total_cents), budget=formatting.money(view.budget_cents),
            left=formatting.money(view.remaining_cents)))
        self.budget_label.setStyleSheet(ERROR_STYLE if view.over else "")

    def propose_festival(self) -> int:
        festival = self.festival.currentData()
        try:
            dates, proposals = self.service.propose_festival(festival, self.plan_year.value())
        except GiftError as exc:
            self.plan_status.setText(str(exc))
            return 0
        self._occasion = f"{self.festival.currentText()} {dates.festival_date.year}"
        self._key_prefix = f"{festival}:{dates.festival_date.year}"
        self.plan_status.setText(_("{festival} falls on {date}: order by {order}, deliver by {deliver}. {count} people "
                                   "proposed.").format(festival=self.festival.currentText(),
                                                       date=formatting.date(dates.festival_date),
                                                       order=formatting.date(dates.order_by),
                                                       deliver=formatting.date(dates.deliver_by),
                                                       count=len(proposals)))
        self._show_proposals(proposals)
        return len(proposals)

    def propose_everyday(self) -> int:
        today = self.service.today()
        proposals = self.service.propose_everyday(today, today + dt.timedelta(days=182))
        self._occasion = _("Everyday gift")
        self._key_prefix = "everyday"
        self.plan_status.setText(_("Small gifts for ordinary staff at irregular times over the next six months, "
                                   "each with a natural reason."))
        self._show_proposals(proposals)
        return len(proposals)

    def propose_special(self) -> int:
        proposals = self.service.propose_special()
        self._occasion = _("Special gift")
        self._key_prefix = f"special:{self.service.today().isoformat()}"
        self.plan_status.setText(_("Special gifts for senior or influential people, chosen from their recorded "
                                   "tastes.") if proposals else
                                 _("Nobody senior has tastes on their card that match a special gift in the "
                                   "catalogue."))
        self._show_proposals(proposals)
        return len(proposals)

    def confirm(self) -> int:
        chosen = [p for p in self.ticked() if p.item is not None]
        if not chosen:
            return 0
        try:
            added = self.service.confirm(chosen, self._occasion, self._key_prefix)
        except StorageError as exc:
            prompts.current().warn(self, _("Not confirmed"), str(exc))
            return 0
        self.plan_status.setText(_("{count} gifts are now in the register (planned) and on the owners' agendas.")
                                 .format(count=added))
        self.refresh_register()
        self.changed.emit(self.WRITES)
        return added

    # Visits ------------------------------------------------------------------------------------
    def _visits_page(self) -> QWidget:
        page = QWidget()
        today = self.service.today()
        self.visit_from = QDateEdit(QDate(today.year, today.month, today.day))
        self.visit_to = QDateEdit(QDate(today.year, today.month, today.day).addDays(27))
        for edit in (self.visit_from, self.visit_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.refresh_visits())
        self.visit_table = _table([_("When"), _("Kind"), _("Account"), _("Key person"), _("Our person"),
                                   _("Purpose"), _("Budget"), _("Status")], 5)
        self.visit_table.doubleClicked.connect(lambda _i: self.edit_visit())
        self.visit_empty = QLabel()
        self.new_visit_button = QPushButton(_("Plan a visit…"))
        self.new_visit_button.clicked.connect(lambda: self.new_visit())
        self.visit_schedule_button = QPushButton(_("Visit schedule…"))
        self.visit_schedule_button.clicked.connect(lambda: self.print_visit_schedule())
        self.visit_xlsx_button = QPushButton(_("Export schedule (XLSX)…"))
        self.visit_xlsx_button.clicked.connect(lambda: self.export_visit_xlsx())
        top = QHBoxLayout()
        for w in (QLabel(_("From")), self.visit_from, QLabel(_("to")), self.visit_to):
            top.addWidget(w)
        top.addStretch(1)
        for b in (self.new_visit_button, self.visit_schedule_button, self.visit_xlsx_button):
            top.addWidget(b)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.visit_empty)
        layout.addWidget(self.visit_table, 1)
        return page

    def _range(self) -> tuple[dt.date, dt.date]:
        return self.visit_from.date().toPython(), self.visit_to.date().toPython()

    def refresh_visits(self) -> None:
        start, end = self._range()
        found = self.service.visits(start, end)
        table = self.visit_table
        table.setRowCount(len(found))
        kinds = dict(VISIT_KINDS)
        for row, v in enumerate(found):
            cells = [v.starts_at.strftime("%Y-%m-%d %H:%M"), _(kinds.get(v.kind, v.kind)), v.account_name,
                     v.contact_name, v.member_name, v.purpose, formatting.money(v.budget_cents),
                     _("Planned") if v.status == "planned" else _("Done")]
            for column, text in enumerate(cells):
                table.setItem(row, column, _item(text, v.id if column == 0 else None))
        self.visit_empty.setText("" if found else _("No visits between these dates. Plan one with Plan a visit…."))

    def make_visit_dialog(self, visit: Visit | None) -> VisitDialog:
        return VisitDialog(self.workspace, visit, self)

    def new_visit(self) -> bool:
        if self.make_visit_dialog(None).exec():
            self.refresh_visits()
            self.changed.emit(self.WRITES)
            return True
        return False

    def edit_visit(self) -> bool:
        row = self.visit_table.currentRow()
        item = self.visit_table.item(row, 0) if row >= 0 else None
        visit = self.service.get_visit(item.data(ID_ROLE)) if item is not None else None
        if visit is None:
            return False
        if self.make_visit_dialog(visit).exec():
            self.refresh_visits()
            return True
        return False

    # Catalogue and policy ----------------------------------------------------------------------
    def _catalogue_page(self) -> QWidget:
        page = QWidget()
        self.catalogue_table = _table([_("Item"), _("Kind"), _("Unit cost"), _("Supplier"), _("Notes (its story)"),
                                       _("In use")], 4)
        self.catalogue_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.catalogue_error = QLabel()
        self.catalogue_error.setStyleSheet(ERROR_STYLE)
        add = QPushButton(_("Add item"))
        add.clicked.connect(lambda: self._add_catalogue_row(CatalogueItem(_("New item"))))
        self.save_catalogue_button = QPushButton(_("Save catalogue"))
        self.save_catalogue_button.clicked.connect(lambda: self.save_catalogue())
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addStretch(1)
        buttons.addWidget(self.save_catalogue_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.catalogue_table, 1)
        layout.addWidget(self.catalogue_error)
        layout.addLayout(buttons)
        return page

    def _add_catalogue_row(self, c: CatalogueItem) -> None:
        table = self.catalogue_table
        row = table.rowCount()
        table.insertRow(row)
        table.setItem(row, 0, _item(c.item, (c.id, c.version), editable=True))
        kind = QComboBox()
        for k in ("everyday", "holiday", "special"):
            kind.addItem(GiftKind(k).label, k)
        kind.setCurrentIndex(max(0, kind.findData(c.kind)))
        table.setCellWidget(row, 1, kind)
        cost = _money_spin(1_000_000)
        cost.setValue(c.unit_cost_cents / 100)
        table.setCellWidget(row, 2, cost)
        table.setItem(row, 3, _item(c.supplier, editable=True))
        table.setItem(row, 4, _item(c.notes, editable=True))
        active = QTableWidgetItem()
        active.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        active.setCheckState(Qt.CheckState.Checked if c.active else Qt.CheckState.Unchecked)
        table.setItem(row, 5, active)

    def save_catalogue(self) -> bool:
        table = self.catalogue_table
        try:
            for row in range(table.rowCount()):
                name = table.item(row, 0)
                kind, cost = table.cellWidget(row, 1), table.cellWidget(row, 2)
                assert name is not None and isinstance(kind, QComboBox) and isinstance(cost, QDoubleSpinBox)
                item_id, version = name.data(ID_ROLE)
                active = table.item(row, 5)
                self.service.save_item(CatalogueItem(
                    name.text().strip(), kind.currentData(), _cents(cost), (table.item(row, 3) or _item("")).text(),
                    (table.item(row, 4) or _item("")).text(),
                    active is not None and active.checkState() == Qt.CheckState.Checked, item_id, version))
        except (GiftError, ConflictError) as exc:
            self.catalogue_error.setText(str(exc))
            return False
        except StorageError as exc:
            prompts.current().warn(self, _("Not saved"), str(exc))
            return False
        self.catalogue_error.clear()
        self.refresh_catalogue()
        return True

    def refresh_catalogue(self) -> None:
        self.catalogue_table.setRowCount(0)
        for c in self.service.catalogue(include_inactive=True):
            self._add_catalogue_row(c)

    def _policy_page(self) -> QWidget:
        page = QWidget()
        self.per_item = _money_spin()
        self.per_person = _money_spin()
        self.tier_budget = {tier: _money_spin() for tier in (1, 2, 3)}
        self.tier_spins: dict[tuple[str, str, str], QSpinBox] = {}
        limits = QGroupBox(_("Team policy"))
        form = QFormLayout(limits)
        form.addRow(_("Limit per item"), self.per_item)
        form.addRow(_("Limit per person and year"), self.per_person)
        for tier, spin in self.tier_budget.items():
            form.addRow(_("Budget per person, tier {tier} ({label})").format(tier=tier, label=_(TIER_LABELS[tier])),
                        spin)
        grids = QHBoxLayout()
        for festival, label in GIFT_FESTIVALS:
            box = QGroupBox(_("{festival}: tier by class and rank (0 = no gift … 3 = premium)").format(
                festival=_(label)))
            grid = QGridLayout(box)
            for column, rank in enumerate(RANKS, start=1):
                heading = QLabel(RankTier(rank).label)
                heading.setWordWrap(True)
                grid.addWidget(heading, 0, column)
            for row, cls in enumerate(CLASSES, start=1):
                grid.addWidget(QLabel(cls), row, 0)
                for column, rank in enumerate(RANKS, start=1):
                    spin = QSpinBox()
                    spin.setRange(0, 3)
                    grid.addWidget(spin, row, column)
                    self.tier_spins[(festival, cls, rank)] = spin
            grids.addWidget(box)
        self.customer_account = QComboBox()
        self.customer_text = QLineEdit()
        self.customer_text.setPlaceholderText(_("e.g. gifts above 200 yuan must be declared"))
        customer_box = QGroupBox(_("A customer's own gift policy"))
        customer_form = QFormLayout(customer_box)
        customer_form.addRow(_("Account"), self.customer_account)
        customer_form.addRow(_("Their rule"), self.customer_text)
        self.customer_account.currentIndexChanged.connect(lambda _i: self._load_customer_policy())
        self.policy_error = QLabel()
        self.policy_error.setStyleSheet(ERROR_STYLE)
        self.save_policy_button = QPushButton(_("Save policy"))
        self.save_policy_button.clicked.connect(lambda: self.save_policy())
        layout = QVBoxLayout(page)
        layout.addWidget(limits)
        layout.addLayout(grids)
        layout.addWidget(customer_box)
        layout.addWidget(self.policy_error)
        layout.addWidget(self.save_policy_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        return page

    def refresh_policy(self) -> None:
        policy = self.service.policy()
        self.per_item.setValue(policy.per_item_cents / 100)
        self.per_person.setValue(policy.per_person_year_cents / 100)
        matrix, budgets = self.service.tiers()
        for tier, spin in self.tier_budget.items():
            spin.setValue(budgets.get(tier, 0) / 100)
        for (festival, cls, rank), spin in self.tier_spins.items():
            spin.setValue(matrix.get(festival, {}).get(cls, {}).get(rank, 0))
        current = self.customer_account.currentData()
        self.customer_account.blockSignals(True)
        self.customer_account.clear()
        for account_id, name in self.workspace.contacts.account_choices():
            self.customer_account.addItem(name, account_id)
        self.customer_account.setCurrentIndex(max(0, self.customer_account.findData(current)))
        self.customer_account.blockSignals(False)
        self._load_customer_policy()

    def _load_customer_policy(self) -> None:
        account = self.customer_account.currentData()
        self.customer_text.setText(self.service.customer_policy(account) if account is not None else "")

    def save_policy(self) -> bool:
        matrix: dict[str, dict[str, dict[str, int]]] = {}
        for (festival, cls, rank), spin in self.tier_spins.items():
            matrix.setdefault(festival, {}).setdefault(cls, {})[rank] = spin.value()
        try:
            self.service.save_policy(GiftPolicy(_cents(self.per_item), _cents(self.per_person)))
            self.service.save_tiers(matrix, {tier: _cents(spin) for tier, spin in self.tier_budget.items()})
            account = self.customer_account.currentData()
            if account is not None:
                self.service.save_customer_policy(account, self.customer_text.text())
        except GiftError as exc:
            self.policy_error.setText(str(exc))
            return False
        except StorageError as exc:
            prompts.current().warn(self, _("Not saved"), str(exc))
            return False
        self.policy_error.clear()
        return True

    # Printing ----------------------------------------------------------------------------------
    def _preview(self, write: Callable[[Path], None], title: str, suggested: str) -> PdfPreviewDialog | None:
        return preview_pdf(self, write, title, suggested)

    def _year_range(self) -> tuple[dt.date, dt.date]:
        year = self.year.value()
        return dt.date(year, 1, 1), dt.date(year, 12, 31)

    def print_gift_schedule(self) -> PdfPreviewDialog | None:
        start, end = self._year_range()
        return self._preview(lambda p: self.service.print_gift_schedule(start, end, p), _("Gift schedule"),
                             f"gift-schedule-{start.year}.pdf")

    def print_labels(self) -> PdfPreviewDialog | None:
        start, end = self._year_range()
        return self._preview(lambda p: self.service.print_labels(start, end, p), _("Mailing labels"),
                             f"labels-{start.year}.pdf")

    def print_visit_schedule(self) -> PdfPreviewDialog | None:
        start, end = self._range()
        return self._preview(lambda p: self.service.print_visit_schedule(start, end, p), _("Visit schedule"),
                             f"visits-{start.isoformat()}.pdf")

    def _export(self, write: Callable[[str], None], suggested: str) -> str | None:
        target = prompts.current().save_file(self, _("Export as XLSX"), suggested)
        if not target:
            return None
        if not target.lower().endswith(".xlsx"):
            target += ".xlsx"
        try:
            write(target)
        except (GiftError, OSError, StorageError) as exc:
            prompts.current().warn(self, _("Not exported"), str(exc))
            return None
        return target

    def export_gift_xlsx(self) -> str | None:
        start, end = self._year_range()
        return self._export(lambda t: self.service.export_gift_schedule_xlsx(start, end, t),
                            f"gift-schedule-{start.year}.xlsx")

    def export_visit_xlsx(self) -> str | None:
        start, end = self._range()
        return self._export(lambda t: self.service.export_visit_schedule_xlsx(start, end, t),
                            f"visits-{start.isoformat()}.xlsx")

    def refresh(self) -> None:
        self.refresh_register()
        if not self.background:
            for read in self._page_readers.values():
                read()
            return
        # In the window, the other pages are read when next shown (a first show of the tab stays quick).
        self._stale_pages = set(self._page_readers)
        self._page_shown(self.tabs.currentIndex())

    def _page_shown(self, index: int) -> None:
        if index in self._stale_pages:
            self._stale_pages.discard(index)
            self._page_readers[index]()
