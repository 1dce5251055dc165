"""The account editor: profile, values per period, account team, class with pin, and the strategy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.accounts import (
    AccountRuleError,
    AccountValidationError,
    parse_money,
    parse_value_rows,
    personality_approach,
    validate_account,
    validate_pin,
)
from kamdesk.domain.enums import (
    AccountClass,
    Attractiveness,
    CycleStage,
    PersonalityType,
    RelationshipState,
    RelationshipType,
    SalesStage,
    TeamRole,
)
from kamdesk.domain.merge import ACCOUNT_FIELDS
from kamdesk.domain.models import (
    AccountDetail,
    AccountValue,
    ClassHistoryEntry,
    RecomputeResult,
    TeamAssignment,
    TeamMember,
)
from kamdesk.domain.strategy import advise
from kamdesk.i18n import _
from kamdesk.services.accounts import AccountService
from kamdesk.ui import formatting
from kamdesk.ui.dialogs.account_fields import account_field_labels, describe_account_field, money_text
from kamdesk.ui.dialogs.account_stages import StagesPage
from kamdesk.ui.dialogs.account_strategy import StrategyPanel
from kamdesk.ui.dialogs.conflict_dialog import account_texts
from kamdesk.ui.dialogs.editor_data import AccountEditorData, AccountLater, read_account_editor, read_account_later
from kamdesk.ui.dialogs.guide_dialog import with_guide
from kamdesk.ui.dialogs.record_editor import RecordEditor, RecordWords
from kamdesk.ui.ops import Op
from kamdesk.ui.widgets.choices import enum_combo, select_data
from kamdesk.ui.widgets.field_error import FieldError
from kamdesk.ui.widgets.table_rows import cell_text, remove_selected_rows


class AccountDialog(RecordEditor[AccountDetail], QDialog):
    """Edit one account (or a new one when `account_id` is None); saves in one unit of work."""

    account_saved = Signal(int)
    account_deleted = Signal(int)
    validation_error = AccountValidationError
    field_order = ACCOUNT_FIELDS

    def __init__(
        self,
        service: AccountService,
        members: list[TeamMember],
        account_id: int | None = None,
        parent: QWidget | None = None,
        read_only: bool = False,
        data: AccountEditorData | None = None,
    ) -> None:
        """`data`: what the editor shows, read beforehand off the GUI thread (read here when not given)."""
        super().__init__(parent)
        self.service = service
        self.members = members
        self.read_only = read_only
        self.data = data if data is not None else read_account_editor(service, account_id, members, whole=True)
        mine = next((m.id for m in members if m.active and m.name == service.db.user_name), None)
        self.detail = self.data.detail or AccountDetail(owner_id=mine)
        self.strategy_context = self.data.strategy_context
        self._class_history: list[ClassHistoryEntry] | None = self.data.history
        self.errors: dict[str, FieldError] = {}
        self._build()
        self._load(self.detail)
        self.setWindowTitle(_("Account — {name}").format(name=self.detail.name) if self.detail.id else _("New account"))
        self.resize(760, 640)
        #: What the last save that met someone else's said it merged (also shown in the status bar).
        self.merge_notice = ""
        self.watch_changes()
        if self.strategy_context is None:  # the strategy's facts and the cost are read once the editor shows
            QTimer.singleShot(0, self, self._read_later)

    # Building --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.build_frame(
            [
                (self._profile_page(), _("Profile")),
                (self._values_page(), _("Values")),
                (self._team_page(), _("Account team")),
                (self._class_page(), _("Class and strategy")),
                (self._stages_page(), _("Stages")),
            ],
            _("Delete account…"),
        )

    def _stages_page(self) -> StagesPage:
        self.stages_page = StagesPage(self, read=(self.data.stage_history, self.data.type_facts))
        return self.stages_page

    def _profile_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.name_edit = self.field_row(form, "name", _("Account name"), QLineEdit())
        self.name_edit.setMaxLength(400)  # longer than allowed, so the check can say so instead of cutting
        self.industry_edit = self.field_row(form, "industry", _("Industry"), QLineEdit())
        self.city_edit = self.field_row(form, "city", _("City"), QLineEdit())
        self.province_edit = self.field_row(form, "province", _("Province"), QLineEdit())
        self.owner_combo = QComboBox()
        self.owner_combo.addItem(_("(nobody yet)"), None)
        for member in self.members:
            if member.active or member.id == self.detail.owner_id:
                self.owner_combo.addItem(member.name, member.id)
        form.addRow(_("Owner"), self.owner_combo)
        self.stage_combo = enum_combo(SalesStage, _("(not set)"))
        form.addRow(_("Sales stage"), self.stage_combo)
        self.type_combo = enum_combo(RelationshipType, _("(not set)"))
        form.addRow(_("Relationship type"), self.type_combo)
        self.cycle_combo = enum_combo(CycleStage, _("(not set)"))
        form.addRow(_("Cycle stage"), self.cycle_combo)
        self.attract_combo = enum_combo(Attractiveness, _("(not set)"))
        form.addRow(_("Attractiveness"), self.attract_combo)
        self.state_combo = enum_combo(RelationshipState, _("(not set)"))
        form.addRow(_("Relationship state"), self.state_combo)
        self.potential_edit = self.field_row(form, "potential", _("Potential (yearly)"), QLineEdit())
        self.potential_edit.setPlaceholderText(_("e.g. 2000000 or 200万"))
        self.margin_edit = self.field_row(form, "potential_margin", _("Potential margin %"), QLineEdit())
        self.personality_combo = enum_combo(PersonalityType, _("(not known yet)"))
        form.addRow(
            _("Personality type"),
            with_guide(
                self.personality_combo, "personality", _("The personality types and how to approach each (user guide)")
            ),
        )
        self.approach_label = QLabel()
        self.approach_label.setWordWrap(True)
        self.approach_label.setStyleSheet("color: palette(dark); font-style: italic")
        form.addRow("", self.approach_label)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setMaximumHeight(80)
        form.addRow(_("Notes"), self.notes_edit)
        self.personality_combo.currentIndexChanged.connect(self._show_approach)
        for combo in (self.stage_combo, self.attract_combo, self.state_combo, self.personality_combo):
            combo.currentIndexChanged.connect(self._show_strategy)
        self.potential_edit.textChanged.connect(self._show_strategy)
        return page

    def _table_page(
        self, key: str, hint_text: str, headers: list[str], add_text: str, remove_text: str, add: Callable[[], None]
    ) -> tuple[QWidget, QTableWidget]:
        """A page of rows (values, team): a hint, the table, its error line, add and remove buttons."""
        page = QWidget()
        layout = QVBoxLayout(page)
        hint = QLabel(hint_text)
        hint.setWordWrap(True)
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        self.errors[key] = FieldError()
        add_button = QPushButton(add_text)
        remove_button = QPushButton(remove_text)
        add_button.clicked.connect(add)
        remove_button.clicked.connect(lambda: remove_selected_rows(table))
        buttons = QHBoxLayout()
        buttons.addWidget(add_button)
        buttons.addWidget(remove_button)
        buttons.addStretch(1)
        layout.addWidget(hint)
        layout.addWidget(table, 1)
        layout.addWidget(self.errors[key])
        layout.addLayout(buttons)
        return page, table

    def _values_page(self) -> QWidget:
        page, self.values_table = self._table_page(
            "values",
            _(
                "One row per year (2026) or quarter (2026-Q3). Amounts in {currency}; 万 and 亿 are understood. A "
                "loss is a negative profit; leave profit empty when unknown."
            ).format(currency=self.service_currency()),
            [_("Period"), _("Revenue"), _("Profit")],
            _("Add period"),
            _("Remove period"),
            lambda: self._add_value_row(AccountValue(self._next_period(), 0, None), edit=True),
        )
        self.values_error = self.errors["values"]
        return page

    def _team_page(self) -> QWidget:
        page, self.team_table = self._table_page(
            "team",
            _(
                "Everyone on our side who works with this customer: the account manager, an executive sponsor, the "
                "sales manager and the supporting functions."
            ),
            [_("Colleague"), _("Role")],
            _("Add colleague"),
            _("Remove colleague"),
            lambda: self._add_team_row(None, TeamRole.SALES.value),
        )
        self.team_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        return page

    def _class_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.class_label = QLabel()
        self.class_label.setWordWrap(True)
        font = self.class_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.class_label.setFont(font)
        pin_box = QGroupBox(_("Set the class by hand"))
        form = QFormLayout(pin_box)
        self.pin_combo = QComboBox()
        self.pin_combo.addItem(_("No — use the computed class"), None)
        for cls in AccountClass:
            self.pin_combo.addItem(cls.label, cls.value)
        form.addRow(_("Pinned class"), self.pin_combo)
        self.pin_reason_edit = self.field_row(form, "pin_reason", _("Reason"), QLineEdit())
        self.pin_reason_edit.setPlaceholderText(_("Why this account deserves a different class"))
        self.pin_combo.currentIndexChanged.connect(self._on_pin_changed)
        self.strategy_panel = StrategyPanel()
        self.strategy_title, self.strategy_text = self.strategy_panel.title_label, self.strategy_panel.advice
        self.strategy_guide_button = self.strategy_panel.guide_button
        if self.strategy_context is None:
            self.strategy_panel.show_reading()
        else:
            self.strategy_panel.show_cost(self.data.cost if self.detail.id else None)
        self.history_list = QListWidget()
        layout.addWidget(self.class_label)
        layout.addWidget(pin_box)
        layout.addWidget(self.strategy_panel)
        layout.addWidget(QLabel(_("Class history")))
        layout.addWidget(self.history_list, 1)
        return page

    def service_currency(self) -> str:
        return self.data.currency

    def _read_later(self) -> None:
        """Read the strategy's facts and the cost to serve off the GUI thread (dropped if the editor is gone)."""
        service, account_id = self.service, self.detail.id
        work = Op(self, lambda: read_account_later(service, account_id), _("Cannot open the account"))
        work.success(self._take_later).failure(self.strategy_panel.show_failed).run()

    def _take_later(self, later: AccountLater) -> None:
        self.strategy_context = self.data.strategy_context = later.strategy_context
        self.data.cost = later.cost
        self.strategy_panel.show_cost(later.cost if self.detail.id else None)
        self._show_strategy()  # from the form as it is now: edits made meanwhile count

    # Loading ---------------------------------------------------------------------------------
    def _load(self, detail: AccountDetail) -> None:
        self.detail = detail
        self.name_edit.setText(detail.name)
        self.industry_edit.setText(detail.industry)
        self.city_edit.setText(detail.city)
        self.province_edit.setText(detail.province)
        self.notes_edit.setPlainText(detail.notes)
        select_data(self.owner_combo, detail.owner_id)
        for combo, value in (
            (self.stage_combo, detail.sales_stage),
            (self.type_combo, detail.relationship_type),
            (self.cycle_combo, detail.cycle_stage),
            (self.attract_combo, detail.attractiveness),
            (self.state_combo, detail.relationship_state),
            (self.personality_combo, detail.personality_type),
        ):
            select_data(combo, value)
        self.potential_edit.setText(money_text(detail.potential_cents))
        self.margin_edit.setText("" if detail.potential_margin_pct is None else str(detail.potential_margin_pct))
        self.values_table.setRowCount(0)
        for period_value in detail.values:
            self._add_value_row(period_value)
        self.team_table.setRowCount(0)
        for member in detail.team:
            self._add_team_row(member.member_id, member.role)
        select_data(self.pin_combo, detail.pinned_class.value if detail.pinned_class else None)
        self.pin_reason_edit.setText(detail.pin_reason)
        self._on_pin_changed()
        self._show_class()
        self._show_approach()
        self._show_history()
        if detail.id is not None and detail.updated_at is not None:
            self.changed_label.setText(
                _("Last changed by {name} on {when}").format(
                    name=detail.updated_by or "?", when=formatting.date(detail.updated_at.date())
                )
            )
        self._clear_errors()
        self._loaded = self._snapshot()

    def _add_value_row(self, value: AccountValue, edit: bool = False) -> None:
        row = self.values_table.rowCount()
        self.values_table.insertRow(row)
        texts = (value.period, money_text(value.revenue_cents), money_text(value.profit_cents))
        for column, text in enumerate(texts):
            self.values_table.setItem(row, column, QTableWidgetItem(text))
        if edit:
            self.values_table.setCurrentCell(row, 1)
            cell = self.values_table.item(row, 1)
            if cell is not None:
                self.values_table.editItem(cell)

    def _next_period(self) -> str:
        years = [
            int(cell_text(self.values_table, r, 0)[:4])
            for r in range(self.values_table.rowCount())
            if cell_text(self.values_table, r, 0)[:4].isdigit()
        ]
        today = self.service.today()
        candidate = max(years) + 1 if years else today.year
        return str(min(candidate, today.year))

    def _add_team_row(self, member_id: int | None, role: str) -> None:
        row = self.team_table.rowCount()
        self.team_table.insertRow(row)
        member_combo = QComboBox()
        for member in self.members:
            if member.active or member.id == member_id:
                member_combo.addItem(member.name, member.id)
        select_data(member_combo, member_id)
        role_combo = enum_combo(TeamRole, _("(choose a role)"))
        select_data(role_combo, role)
        self.team_table.setCellWidget(row, 0, member_combo)
        self.team_table.setCellWidget(row, 1, role_combo)

    # Live guidance ---------------------------------------------------------------------------
    def _show_approach(self) -> None:
        value = self.personality_combo.currentData()
        self.approach_label.setText(
            personality_approach(PersonalityType(value))
            if value
            else _("Choose a personality type to see how best to approach this customer.")
        )
        self.approach_label.setToolTip(self.approach_label.text())

    def _on_pin_changed(self) -> None:
        pinned = self.pin_combo.currentData() is not None
        self.pin_reason_edit.setEnabled(pinned and not self.read_only)
        self._show_strategy()

    def _show_class(self) -> None:
        d = self.detail
        if d.id is None:
            text = _("The class is computed when the account is saved, from its value against all others.")
        elif d.computed_class is None:
            text = _("Not classed yet: no value has been recorded for the team's value measure.")
        else:
            text = _("Computed class {cls} — value {value}").format(
                cls=d.computed_class.label, value=formatting.money(d.value_cents)
            )
        if d.pinned_class:
            text += "\n" + _("Pinned as {cls} by {name}: {reason}").format(
                cls=d.pinned_class.label, name=d.pinned_by or "?", reason=d.pin_reason
            )
        self.class_label.setText(text)

    def _show_strategy(self) -> None:
        if self.strategy_context is None:
            return  # still being read: the section says so
        try:
            draft = self._draft(strict=False)
        except AccountValidationError:
            return
        self.strategy_panel.show_advice(advise(draft, self.strategy_context))

    def _show_history(self) -> None:
        self.history_list.clear()
        if self.detail.id is None:
            return
        # What was read with the account the first time; a reload of someone else's version reads again.
        entries = self._class_history if self._class_history is not None else self.service.history(self.detail.id)
        self._class_history = None
        if not entries:
            self.history_list.addItem(_("No class changes recorded yet."))
        for entry in entries:
            self.history_list.addItem(
                _("{when}: {old} → {new} ({reason}, {name})").format(
                    when=formatting.date(entry.at.date()),
                    old=entry.old_class.value if entry.old_class else "—",
                    new=entry.new_class.value if entry.new_class else "—",
                    reason=self._reason_text(entry.reason),
                    name=entry.by or "?",
                )
            )

    @staticmethod
    def _reason_text(reason: str) -> str:
        kind, _sep, text = reason.partition(": ")
        labels = {"recomputed": _("recomputed"), "pinned": _("pinned"), "unpinned": _("pin removed")}
        label = labels.get(kind, kind)
        return f"{label}: {text}" if text else label

    # Reading the form ------------------------------------------------------------------------
    def _draft(self, strict: bool = True) -> AccountDetail:
        """The account as the form shows it; with `strict`, every bad field raises together."""
        errors: dict[str, str] = {}
        d = self.detail
        draft = AccountDetail(
            id=d.id,
            version=d.version,
            value_cents=d.value_cents,
            computed_class=d.computed_class,
            pinned_by=d.pinned_by,
            pinned_at=d.pinned_at,
        )
        draft.name = self.name_edit.text().strip()
        draft.industry = self.industry_edit.text().strip()
        draft.city = self.city_edit.text().strip()
        draft.province = self.province_edit.text().strip()
        draft.notes = self.notes_edit.toPlainText()
        draft.owner_id = self.owner_combo.currentData()
        draft.sales_stage = self.stage_combo.currentData()
        draft.relationship_type = self.type_combo.currentData()
        draft.cycle_stage = self.cycle_combo.currentData()
        draft.attractiveness = self.attract_combo.currentData()
        draft.relationship_state = self.state_combo.currentData()
        draft.personality_type = self.personality_combo.currentData()
        pinned = self.pin_combo.currentData()
        draft.pinned_class = AccountClass(pinned) if pinned else None
        draft.pin_reason = self.pin_reason_edit.text().strip() if pinned else ""
        try:
            draft.potential_cents = parse_money(self.potential_edit.text(), allow_empty=True)
        except AccountRuleError as exc:
            errors["potential"] = str(exc)
        margin = self.margin_edit.text().strip().rstrip("%")
        if margin:
            try:
                draft.potential_margin_pct = int(margin)
            except ValueError:
                errors["potential_margin"] = _("Type a whole percentage such as 25.")
        if not strict:
            return draft
        rows = [
            (
                cell_text(self.values_table, r, 0),
                cell_text(self.values_table, r, 1),
                cell_text(self.values_table, r, 2),
            )
            for r in range(self.values_table.rowCount())
        ]
        try:
            draft.values = parse_value_rows(rows, self.service.today())
        except AccountValidationError as exc:
            errors.update(exc.errors)
        draft.team = self._team_from_table(errors)
        for check in (lambda: validate_account(draft), lambda: validate_pin(draft.pinned_class, draft.pin_reason)):
            try:
                check()
            except AccountValidationError as exc:
                errors = {**exc.errors, **errors}
        if errors:
            raise AccountValidationError(errors)
        return draft

    def _team_from_table(self, errors: dict[str, str]) -> list[TeamAssignment]:
        team: list[TeamAssignment] = []
        for row in range(self.team_table.rowCount()):
            member = self._combo_data(self.team_table, row, 0)
            role = self._combo_data(self.team_table, row, 1)
            if member is None or role is None:
                errors["team"] = _("Row {number}: choose both a colleague and a role.").format(number=row + 1)
                continue
            if any(t.member_id == member and t.role == role for t in team):
                continue  # the same person in the same role twice is one assignment
            team.append(TeamAssignment(member, role))
        return team

    def _combo_data(self, table: QTableWidget, row: int, column: int) -> Any:
        widget = table.cellWidget(row, column)
        return widget.currentData() if isinstance(widget, QComboBox) else None

    def _snapshot(self) -> tuple[Any, ...]:
        try:
            draft = self._draft(strict=True)
        except AccountValidationError:
            return ("invalid", id(self))
        return (
            draft.name,
            draft.industry,
            draft.city,
            draft.province,
            draft.notes,
            draft.owner_id,
            draft.sales_stage,
            draft.relationship_type,
            draft.cycle_stage,
            draft.attractiveness,
            draft.relationship_state,
            draft.personality_type,
            draft.pinned_class,
            draft.pin_reason,
            draft.potential_cents,
            draft.potential_margin_pct,
            tuple(draft.values),
            tuple(draft.team),
        )

    def is_modified(self) -> bool:
        return self._snapshot() != self._loaded

    # Errors ----------------------------------------------------------------------------------
    error_pages = {"values": 1, "team": 2, "pin_reason": 3}

    def error_edits(self) -> dict[str, QWidget]:
        return {
            "name": self.name_edit,
            "potential": self.potential_edit,
            "potential_margin": self.margin_edit,
            "pin_reason": self.pin_reason_edit,
            "industry": self.industry_edit,
            "city": self.city_edit,
            "province": self.province_edit,
        }

    # Saving (RecordEditor) -------------------------------------------------------------------
    def words(self) -> RecordWords:
        return RecordWords(
            not_saved=_("Account not saved"),
            not_deleted=_("Account not deleted"),
            delete_title=_("Delete account"),
            delete_question=_(
                "Delete {name} with its values, team and class history? Contacts stay but lose the "
                "link to this account. This cannot be undone."
            ),
            discard_question=_("You have unsaved changes to this account. Close and lose them?"),
            restored_as_new=_("Restored as a new account with your version."),
            reload_title=_("Reload the account?"),
            conflict=account_texts(),
            saving=_("Saving the account…"),
            deleting=_("Deleting the account…"),
            reading=_("Reading the account…"),
        )

    def _announce_saved(self, saved: tuple[int, RecomputeResult]) -> None:
        account_id, self.saved_result = saved
        self.account_saved.emit(account_id)

    def _announce_deleted(self, record_id: int) -> None:
        self.account_deleted.emit(record_id)

    def _read_again(self, record_id: int) -> AccountEditorData | None:
        data = read_account_editor(self.service, record_id, self.members)  # one unit of work, off the GUI thread
        return data if data.detail is not None else None

    def _load_read(self, read: AccountEditorData) -> None:
        assert read.detail is not None
        self._class_history = read.history
        self.stages_page.take(read.stage_history, read.type_facts, (read.detail.id, read.detail.version))
        self._load(read.detail)
        self.stages_page.load_history()  # what was just taken: nothing is read

    def field_labels(self) -> dict[str, str]:
        return account_field_labels()

    def describe_field(self, name: str, value: Any) -> str:
        """A field's value as the form would show it (names, labels, money), for the conflict table."""
        return describe_account_field(name, value, {m.id: m.name for m in self.members})
