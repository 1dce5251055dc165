"""The contact card: who they are, our relationship against target, links, and the personal file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.accounts import personality_approach
from kamdesk.domain.contacts import (
    Anniversary,
    ContactDetail,
    ContactLink,
    ContactValidationError,
    FamilyMember,
    PersonalDate,
    StageUpdate,
)
from kamdesk.domain.enums import (
    AccountClass,
    BuyingRole,
    CalendarKind,
    PersonalityType,
    RankTier,
    RelationshipStage,
)
from kamdesk.domain.merge import CONTACT_FIELDS
from kamdesk.domain.models import TeamMember
from kamdesk.domain.org_map import stage_gap
from kamdesk.i18n import _
from kamdesk.services.contacts import ContactService
from kamdesk.ui import formatting, prompts
from kamdesk.ui.dialogs.conflict_dialog import contact_texts
from kamdesk.ui.dialogs.contact_company import CompanyReads
from kamdesk.ui.dialogs.contact_events import events_page
from kamdesk.ui.dialogs.contact_extras import add_colleague, add_link_row
from kamdesk.ui.dialogs.contact_fields import (
    DATE_COLUMNS,
    NO_YEAR,
    affixes,
    contact_field_labels,
    date_cells,
    date_from_cells,
    describe_contact_field,
)
from kamdesk.ui.dialogs.contact_tags import ContactTags
from kamdesk.ui.dialogs.editor_data import ContactCardData, read_contact_card
from kamdesk.ui.dialogs.guide_dialog import GuideButton, with_guide
from kamdesk.ui.dialogs.record_editor import RecordEditor, RecordWords
from kamdesk.ui.dialogs.stage_checklist import StageChecklist
from kamdesk.ui.models.contacts_model import stage_text
from kamdesk.ui.widgets.choices import contains_completion, enum_combo, select_data, sized_by_letters
from kamdesk.ui.widgets.field_error import FieldError
from kamdesk.ui.widgets.table_rows import add_text_row, remove_selected_rows, row_texts

#: What the duplicate check compares (same name at the same company, same mobile, e-mail or WeChat). It reads
#: every person on the file (no index covers the phone numbers): a second or more over a VPN.
IDENTITY_FIELDS = ("name", "account_id", "mobile", "email", "wechat")


class ContactDialog(RecordEditor[ContactDetail], QDialog):
    """Edit one contact (a new one when `contact_id` is None); saves in one unit of work."""

    contact_saved = Signal(int)
    contact_deleted = Signal(int)
    validation_error = ContactValidationError
    field_order = CONTACT_FIELDS
    stage_checklist: StageChecklist  # set by StageChecklist.beside

    def __init__(
        self,
        service: ContactService,
        members: list[TeamMember],
        contact_id: int | None = None,
        parent: QWidget | None = None,
        read_only: bool = False,
        account_id: int | None = None,
        data: ContactCardData | None = None,
    ) -> None:
        """`data`: what the card shows, read beforehand off the GUI thread (read here when not given)."""
        super().__init__(parent)
        self.service = service
        self.members = members
        self.read_only = read_only
        self.data = data if data is not None else read_contact_card(service, contact_id, account_id, members)
        self.detail = self.data.detail or ContactDetail(account_id=account_id)
        self.accounts = self.data.accounts
        self.errors: dict[str, FieldError] = {}
        self._classes: dict[int, AccountClass | None] = dict(self.data.classes)
        self.company = CompanyReads(self)
        self._build()
        self._load(self.detail)
        self.setWindowTitle(_("Contact — {name}").format(name=self.detail.name) if self.detail.id else _("New contact"))
        self.resize(780, 680)
        #: What the last save that met someone else's said it merged (also shown in the status bar).
        self.merge_notice = ""
        self.watch_changes()

    # Building --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.build_frame(
            [
                (self._card_page(), _("Card")),
                (self._relationship_page(), _("Relationship")),
                (self._personal_page(), _("Personal file")),
                (events_page(self), _("Sensitive events")),
            ],
            _("Delete contact…"),
        )

    def _card_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.name_edit = self.field_row(form, "name", _("Full name"), QLineEdit())
        self.name_edit.setMaxLength(300)
        self.company_combo = QComboBox()
        self.company_combo.setEditable(True)
        self.company_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.company_combo.addItem(_("(no company)"), None)
        for account_id, name in self.accounts:
            self.company_combo.addItem(name, account_id)
        contains_completion(self.company_combo)
        sized_by_letters(self.company_combo, 30)
        self.field_row(form, "account", _("Company"), self.company_combo)
        self.title_edit = QLineEdit()
        form.addRow(_("Title"), self.title_edit)
        self.rank_combo = enum_combo(RankTier, _("(not set)"))
        form.addRow(_("Rank"), self.rank_combo)
        self.role_combo = enum_combo(BuyingRole, _("(not set)"))
        form.addRow(_("Buying role"), self.role_combo)
        self.reports_combo = QComboBox()
        self.field_row(form, "reports_to", _("Reports to"), self.reports_combo)
        self.mobile_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.email_edit = self.field_row(form, "email", _("E-mail"), QLineEdit())
        self.wechat_edit = QLineEdit()
        form.addRow(_("Mobile"), self.mobile_edit)
        form.addRow(_("Phone"), self.phone_edit)
        form.addRow(_("WeChat ID"), self.wechat_edit)
        self.address_edit = QPlainTextEdit()
        self.address_edit.setMaximumHeight(60)
        form.addRow(_("Address"), self.address_edit)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setMaximumHeight(90)
        form.addRow(_("Notes"), self.notes_edit)
        self.company_combo.currentIndexChanged.connect(lambda: self.company.fill(self.company.choice()))
        self.company_combo.currentIndexChanged.connect(self._show_target)
        self.rank_combo.currentIndexChanged.connect(self._show_target)
        return page

    def _relationship_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        stage_box = QGroupBox(_("Our relationship with this person"))
        form = QFormLayout(stage_box)
        self.stage_combo = QComboBox()
        for stage in RelationshipStage:
            self.stage_combo.addItem(stage_text(stage.value), stage.value)
        form.addRow(_("Stage"), self.stage_combo)
        self.stage_date = QDateEdit()
        self.stage_date.setCalendarPopup(True)
        day = self.service.today()
        self.stage_date.setDate(QDate(day.year, day.month, day.day))
        self.stage_reason = QLineEdit()
        self.stage_reason.setPlaceholderText(_("What changed, e.g. dinner with his family"))
        self.field_row(form, "stage", _("Changed on"), self.stage_date)
        form.addRow(_("Why"), self.stage_reason)
        self.target_label = QLabel()
        self.target_label.setWordWrap(True)
        form.addRow(
            _("Target"),
            with_guide(
                self.target_label,
                "targets",
                _("How the target stage follows from the account's class and the person's rank (user guide)"),
            ),
        )
        self.stage_combo.currentIndexChanged.connect(self._show_target)
        self.history_list = QListWidget()
        self.history_list.setMaximumHeight(110)
        links_box = QGroupBox(_("Our people who know this person"))
        links_layout = QVBoxLayout(links_box)
        self.links_table = QTableWidget(0, 3)
        self.links_table.setHorizontalHeaderLabels([_("Colleague"), _("Stage"), _("Last contact")])
        self.links_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.links_table.verticalHeader().setVisible(False)
        self.errors["links"] = FieldError()
        add = QPushButton(_("Add colleague"))
        remove = QPushButton(_("Remove colleague"))
        add.clicked.connect(lambda: add_colleague(self))
        remove.clicked.connect(lambda: remove_selected_rows(self.links_table))
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        row.addWidget(
            GuideButton("zipper", _("Why several of our people should know their people: the zipper (user guide)"))
        )
        links_layout.addWidget(self.links_table)
        links_layout.addWidget(self.errors["links"])
        links_layout.addLayout(row)
        layout.addLayout(StageChecklist.beside(stage_box, self))
        layout.addWidget(QLabel(_("Stage history")))
        layout.addWidget(self.history_list)
        layout.addWidget(links_box, 1)
        return page

    def _personal_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        notice = QLabel(
            _(
                "Personal data: keep only what helps you look after the relationship, and never share it "
                "outside the team."
            )
        )
        notice.setWordWrap(True)
        notice.setStyleSheet("color: #8a4b00")
        layout.addWidget(notice)
        form = QFormLayout()
        birthday = QWidget()
        row = QHBoxLayout(birthday)
        row.setContentsMargins(0, 0, 0, 0)
        self.birthday_calendar = QComboBox()
        self.birthday_calendar.addItem(_("(not known)"), None)
        for kind in CalendarKind:
            self.birthday_calendar.addItem(kind.label, kind.value)
        self.birthday_year = QSpinBox()
        self.birthday_year.setRange(NO_YEAR, 2100)
        self.birthday_year.setSpecialValueText(_("year ?"))
        self.birthday_month = QSpinBox()
        self.birthday_month.setRange(1, 12)
        affixes(self.birthday_month, _("month {number}"))
        self.birthday_day = QSpinBox()
        self.birthday_day.setRange(1, 31)
        affixes(self.birthday_day, _("day {number}"))
        self.birthday_leap = QCheckBox(_("leap month"))
        for widget in (
            self.birthday_calendar,
            self.birthday_year,
            self.birthday_month,
            self.birthday_day,
            self.birthday_leap,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        self.field_row(form, "birthday", _("Birthday"), birthday)
        self.city_edit = QLineEdit()
        self.hometown_edit = QLineEdit()
        self.tags = ContactTags(self)  # interests, likes and taboos, with their tags
        self.interests_edit, self.preferences_edit, self.taboos_edit = self.tags.edits
        form.addRow(_("Lives in"), self.city_edit)
        form.addRow(_("Hometown"), self.hometown_edit)
        self.tags.add_rows(form)
        self.personality_combo = enum_combo(PersonalityType, _("(not known yet)"))
        form.addRow(
            _("Personality type"),
            with_guide(
                self.personality_combo, "personality", _("The personality types and how to approach each (user guide)")
            ),
        )
        self.approach_label = QLabel()
        self.approach_label.setWordWrap(True)
        self.approach_label.setStyleSheet("font-style: italic")
        form.addRow("", self.approach_label)
        self.personality_combo.currentIndexChanged.connect(self._show_approach)
        layout.addLayout(form)
        self.family_table = self._date_table(layout, "family", _("Family"), [_("Full name"), _("Relation")])
        self.dates_table = self._date_table(layout, "anniversaries", _("Anniversaries and other dates"), [_("What")])
        return page

    def _date_table(self, layout: QVBoxLayout, key: str, title: str, lead: list[str]) -> QTableWidget:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        table = QTableWidget(0, len(lead) + len(DATE_COLUMNS))
        table.setHorizontalHeaderLabels(lead + [_(c) for c in DATE_COLUMNS])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        table.setMinimumHeight(90)
        self.errors[key] = FieldError()
        add = QPushButton(_("Add row"))
        remove = QPushButton(_("Remove row"))
        add.clicked.connect(lambda: add_text_row(table, [""] * table.columnCount()))
        remove.clicked.connect(lambda: remove_selected_rows(table))
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        inner.addWidget(table)
        inner.addWidget(self.errors[key])
        inner.addLayout(row)
        layout.addWidget(box)
        return table

    # Loading ---------------------------------------------------------------------------------
    def _load(self, d: ContactDetail) -> None:
        self.detail = d
        self.name_edit.setText(d.name)
        select_data(self.company_combo, d.account_id)
        self.company.fill(d.reports_to_id)
        self.title_edit.setText(d.title)
        select_data(self.rank_combo, d.rank_tier)
        select_data(self.role_combo, d.buying_role)
        for edit, value in (
            (self.mobile_edit, d.mobile),
            (self.phone_edit, d.phone),
            (self.email_edit, d.email),
            (self.wechat_edit, d.wechat),
            (self.city_edit, d.city),
            (self.hometown_edit, d.hometown),
        ):
            edit.setText(value)
        self.tags.load(d)
        self.address_edit.setPlainText(d.address)
        self.notes_edit.setPlainText(d.notes)
        select_data(self.personality_combo, d.personality_type)
        select_data(self.stage_combo, d.relationship_stage)
        self.stage_reason.clear()
        b = d.birthday
        select_data(self.birthday_calendar, b.calendar if b else None)
        self.birthday_year.setValue(b.year if b and b.year else NO_YEAR)
        self.birthday_month.setValue(b.month if b else 1)
        self.birthday_day.setValue(b.day if b else 1)
        self.birthday_leap.setChecked(bool(b and b.leap_month))
        self.family_table.setRowCount(0)
        for member in d.family:
            add_text_row(self.family_table, [member.name, member.relation, *date_cells(member.birthday)])
        self.dates_table.setRowCount(0)
        for anniversary in d.anniversaries:
            add_text_row(self.dates_table, [anniversary.label, *date_cells(anniversary.date)])
        self.links_table.setRowCount(0)
        for link in d.links:
            self._add_link_row(link)
        self.history_list.clear()
        for change in d.history:
            self.history_list.addItem(
                _("{when}: {stage} — {reason} ({name})").format(
                    when=formatting.date(change.changed_on),
                    stage=stage_text(change.stage),
                    reason=change.reason or "—",
                    name=change.by or "?",
                )
            )
        if d.id is not None and d.updated_at is not None:
            self.changed_label.setText(
                _("Last changed by {name} on {when}").format(
                    name=d.updated_by or "?", when=formatting.date(d.updated_at.date())
                )
            )
        self._show_target()
        self._show_approach()
        self._clear_errors()
        self._loaded = self._snapshot()

    def _add_link_row(self, link: ContactLink | None) -> None:
        add_link_row(self, link)

    # Live guidance ---------------------------------------------------------------------------
    def _show_approach(self) -> None:
        value = self.personality_combo.currentData()
        self.approach_label.setText(personality_approach(PersonalityType(value)) if value else "")

    def _show_target(self) -> None:
        if self.company.reading is not None:
            self.target_label.setText("")  # shown when the company's class lands
            return
        account_class = self.company.account_class()
        draft = ContactDetail(account_class=account_class, rank_tier=self.rank_combo.currentData())
        target = self.service.target(draft, self.data.settings) if account_class is not None else None
        stage = RelationshipStage(self.stage_combo.currentData() or "stranger")
        if target is None:
            self.target_label.setText(
                _(
                    "No target yet: it follows from the account's class and this person's "
                    "rank, and one of them is not set."
                )
            )
            return
        gap = stage_gap(stage, target) or 0
        text = _("Target {target} for a class {cls} account at this rank.").format(
            target=stage_text(target.value), cls=account_class.value if account_class else ""
        )
        text += " " + (_("{count} stages to go.").format(count=gap) if gap > 0 else _("Target met."))
        self.target_label.setText(text)

    # Reading the form ------------------------------------------------------------------------
    def _draft(self) -> ContactDetail:
        d = self.detail
        errors: dict[str, str] = {}
        draft = ContactDetail(
            id=d.id, version=d.version, account_class=d.account_class, relationship_stage=d.relationship_stage
        )
        draft.name = self.name_edit.text().strip()
        company = self.company_combo.currentData()
        if self.company_combo.currentText().strip() and self.company_combo.currentText() != self.company_combo.itemText(
            self.company_combo.currentIndex()
        ):
            errors["account"] = _("Choose the company from the list (add it as an account first if it is new).")
        draft.account_id = int(company) if company is not None else None
        draft.title = self.title_edit.text().strip()
        draft.rank_tier = self.rank_combo.currentData()
        draft.buying_role = self.role_combo.currentData()
        draft.reports_to_id = self.company.choice()
        draft.mobile, draft.phone = self.mobile_edit.text(), self.phone_edit.text()
        draft.email, draft.wechat = self.email_edit.text().strip(), self.wechat_edit.text()
        draft.address, draft.notes = self.address_edit.toPlainText(), self.notes_edit.toPlainText()
        draft.city, draft.hometown = self.city_edit.text(), self.hometown_edit.text()
        self.tags.fill(draft)
        draft.personality_type = self.personality_combo.currentData()
        calendar = self.birthday_calendar.currentData()
        if calendar:
            year = self.birthday_year.value()
            draft.birthday = PersonalDate(
                calendar,
                None if year == NO_YEAR else year,
                self.birthday_month.value(),
                self.birthday_day.value(),
                self.birthday_leap.isChecked(),
            )
        stage = self.stage_combo.currentData()
        if stage != d.relationship_stage:
            changed = self.stage_date.date()
            draft.stage_update = StageUpdate(
                stage, dt.date(changed.year(), changed.month(), changed.day()), self.stage_reason.text()
            )
        draft.family = [
            FamilyMember(c[0].strip(), c[1].strip(), date_from_cells(c[2:]))
            for c in (row_texts(self.family_table, r) for r in range(self.family_table.rowCount()))
            if any(x.strip() for x in c)
        ]
        draft.anniversaries = []
        for number, cells in enumerate(
            (row_texts(self.dates_table, r) for r in range(self.dates_table.rowCount())), start=1
        ):
            if not any(x.strip() for x in cells):
                continue
            date = date_from_cells(cells[1:])
            if date is None:
                errors["anniversaries"] = _("Date row {number}: give at least month and day.").format(number=number)
                continue
            draft.anniversaries.append(Anniversary(cells[0].strip(), date))
        draft.links = self._links(errors)
        if errors:
            raise ContactValidationError(errors)
        return draft

    def _links(self, errors: dict[str, str]) -> list[ContactLink]:
        links: dict[int, ContactLink] = {}
        for row in range(self.links_table.rowCount()):
            member = self.links_table.cellWidget(row, 0)
            stage = self.links_table.cellWidget(row, 1)
            item = self.links_table.item(row, 2)
            text = item.text().strip() if item else ""
            last = None
            if text:
                try:
                    last = dt.date.fromisoformat(text)
                except ValueError:
                    errors["links"] = _("Row {number}: write the last contact as YYYY-MM-DD.").format(number=row + 1)
            if isinstance(member, QComboBox) and isinstance(stage, QComboBox) and member.currentData() is not None:
                links[int(member.currentData())] = ContactLink(int(member.currentData()), stage.currentData(), last)
        return list(links.values())

    def _snapshot(self) -> Any:
        try:
            draft = self._draft()
        except ContactValidationError:
            return ("invalid", id(self))
        return repr(
            (
                draft.name,
                draft.account_id,
                draft.title,
                draft.rank_tier,
                draft.buying_role,
                draft.reports_to_id,
                draft.mobile,
                draft.phone,
                draft.email,
                draft.wechat,
                draft.address,
                draft.notes,
                draft.city,
                draft.hometown,
                self.tags.snapshot(),
                draft.personality_type,
                draft.birthday,
                draft.stage_update,
                draft.family,
                draft.anniversaries,
                draft.links,
            )
        )

    def is_modified(self) -> bool:
        return self._snapshot() != self._loaded

    # Errors (RecordEditor) -----------------------------------------------------------------
    error_pages = {"stage": 1, "links": 1, "birthday": 2, "family": 2, "anniversaries": 2}

    def error_edits(self) -> dict[str, QWidget]:
        return {"name": self.name_edit, "email": self.email_edit}

    # Saving (RecordEditor) -------------------------------------------------------------------
    def words(self) -> RecordWords:
        return RecordWords(
            not_saved=_("Contact not saved"),
            not_deleted=_("Contact not deleted"),
            delete_title=_("Delete contact"),
            delete_question=_(
                "Delete {name} with their personal file, family, dates, links and history? This cannot be undone."
            ),
            discard_question=_("You have unsaved changes to this contact. Close and lose them?"),
            restored_as_new=_("Restored as a new contact with your version."),
            reload_title=_("Reload the contact?"),
            conflict=contact_texts(),
            saving=_("Saving the contact…"),
            deleting=_("Deleting the contact…"),
            reading=_("Reading the contact…"),
        )

    def _confirm_save(self, draft: ContactDetail) -> bool:
        loaded = self.detail
        if draft.id is not None and all(
            str(getattr(draft, f) or "").strip() == str(getattr(loaded, f) or "").strip() for f in IDENTITY_FIELDS
        ):
            return True  # nothing the check compares has changed: not asked again at every save of a known person
        duplicates = self.off_gui_thread(lambda: self.service.duplicates(draft), self.words().saving)
        return not duplicates or prompts.current().ask_yes_no(
            self,
            _("Possible duplicate"),
            _("This may be someone already in the file:\n{names}\n\nSave anyway?").format(names="\n".join(duplicates)),
        )

    def _announce_saved(self, saved: int) -> None:
        self.contact_saved.emit(saved)

    def _announce_deleted(self, record_id: int) -> None:
        self.contact_deleted.emit(record_id)

    def _read_again(self, record_id: int) -> ContactCardData | None:
        data = read_contact_card(self.service, record_id, members=self.members)  # one unit, off the GUI thread
        return data if data.detail is not None else None

    def _load_read(self, read: ContactCardData) -> None:
        assert read.detail is not None
        self.data.colleagues.update(read.colleagues)
        self._classes.update(read.classes)
        self.stage_checklist.touches = read.touches
        self._load(read.detail)

    def field_labels(self) -> dict[str, str]:
        return contact_field_labels()

    def describe_field(self, name: str, value: Any) -> str:
        """A field's value as the card would show it (names, labels, dates), for the conflict table."""
        if name == "account_id" and value:
            return dict(self.accounts).get(value, "?")
        if name == "reports_to_id" and value:
            account_id = self.company_combo.currentData() or self.detail.account_id
            return self.company.name_of(int(account_id), value) if account_id else "?"
        return describe_contact_field(name, value, {m.id: m.name for m in self.members})
