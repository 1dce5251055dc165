"""Dialogs of the follow-up planner: plan an activity, call notes, outreach, rules (greeting and care plans:
greeting_plan.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.call_coaching import current_member
from kamdesk.domain.enums import ActivityKind
from kamdesk.domain.followups import CadenceRule
from kamdesk.i18n import N_, _
from kamdesk.services.followups import FollowUpError
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import prompts, tasks
from kamdesk.ui.dialogs.call_coaching import CallNotesDialog
from kamdesk.ui.dialogs.plan_data import ContactPicker, PlanData, account_of, read_plan
from kamdesk.ui.ops import Op
from kamdesk.ui.widgets.choices import select_data

__all__ = ["CallNotesDialog", "ContactPicker", "OutreachDialog", "PlanData", "PlanDialog", "RulesDialog", "read_plan"]

ERROR_STYLE = "color: #b00020"
EMAIL_RULES = (
    N_("Keep the circle of recipients as small as it can be."),
    N_("Do not debate a complicated matter by e-mail: call or meet."),
    N_("Never argue in an e-mail."),
    N_("Choose the recipients, the greeting, the tone and each word on purpose."),
    N_("Everyone in “To” owes a reply; “Cc” is for their information."),
)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


T = TypeVar("T")


def attempt(dialog: QWidget, error: QLabel, title: str, work: Callable[[], T]) -> T | None:
    """Run a dialog's save: a refused input goes on its error line, a busy or read-only file into a message;
    None then, and the dialog stays open with everything typed. Pressed again while the save is on its way:
    ignored (None), the first save closes the dialog."""
    if dialog.property("saving"):
        return None
    dialog.setProperty("saving", True)
    try:
        return Op(dialog, work, title).wait()  # off the GUI thread: a busy file shows a busy window
    except FollowUpError as exc:
        error.setText(str(exc))
    except StorageError as exc:
        prompts.current().warn(dialog, title, str(exc))
    finally:
        dialog.setProperty("saving", False)
    return None


class PlanDialog(QDialog):
    """Plan a call, e-mail, visit, meeting, greeting or note; e-mails show the house rules."""

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        contact_id: int | None = None,
        call_back: bool = False,
        data: PlanData | None = None,
    ) -> None:
        """`data` is what `read_plan` read beforehand (off the GUI thread); without it the team is read here."""
        super().__init__(parent)
        self.setWindowTitle(_("Call back after an incoming call") if call_back else _("Plan a follow-up"))
        self.workspace = workspace
        self.fixed_contact = contact_id
        data = data if data is not None else PlanData(members=workspace.team.members())
        self.accounts = dict(data.accounts)  # the company of each person known; the others are read at OK
        today = workspace.followups.today()
        self.kind_combo = QComboBox()
        for kind in ActivityKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.picker = ContactPicker(workspace)
        self.picker.setVisible(contact_id is None)
        if data.search:
            self.picker.show_found(data.search, data.found)
        self.member_combo = QComboBox()
        members = data.members
        for member in members:
            if member.active:
                self.member_combo.addItem(member.name, member.id)
        select_data(self.member_combo, current_member(members, workspace.user_name))  # our person: the user
        self.due_edit = QDateEdit(_qdate(today))
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setMinimumDate(_qdate(today))
        self.time_check = QCheckBox(_("at"))
        self.time_edit = QTimeEdit()
        self.time_edit.setEnabled(False)
        self.time_check.toggled.connect(self.time_edit.setEnabled)
        when = QHBoxLayout()
        when.addWidget(self.due_edit)
        when.addWidget(self.time_check)
        when.addWidget(self.time_edit)
        when.addStretch(1)
        self.subject_edit = QLineEdit()
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setMaximumHeight(80)
        self.important_check = QCheckBox(_("Important (a call is planned for the same day, so they read it and reply)"))
        self.call_back_check = QCheckBox(
            _("They called us unprepared: this is the call back (subject: what it was about)")
        )
        self.reply_check = QCheckBox(_("“To” owes a reply by"))
        self.reply_edit = QDateEdit(_qdate(today + dt.timedelta(days=3)))
        self.reply_edit.setCalendarPopup(True)
        self.reply_edit.setEnabled(False)
        self.reply_check.toggled.connect(self.reply_edit.setEnabled)
        reply = QHBoxLayout()
        reply.addWidget(self.reply_check)
        reply.addWidget(self.reply_edit)
        reply.addStretch(1)
        self.rules_box = QGroupBox(_("Before you send"))
        rules_layout = QVBoxLayout(self.rules_box)
        for rule in EMAIL_RULES:
            label = QLabel("• " + _(rule))
            label.setWordWrap(True)
            rules_layout.addWidget(label)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Kind"), self.kind_combo)
        if contact_id is None:
            form.addRow(_("Contact"), self.picker)
        form.addRow(_("Our person"), self.member_combo)
        form.addRow(_("When"), when)
        form.addRow(_("Subject"), self.subject_edit)
        form.addRow(_("Notes"), self.notes_edit)
        form.addRow("", self.important_check)
        form.addRow("", self.call_back_check)
        form.addRow("", reply)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.rules_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.important_check.toggled.connect(self._kind_changed)
        self._kind_changed()
        self.planned_id: int | None = None
        if call_back:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData("call"))
            self.call_back_check.setChecked(True)
            self.due_edit.setDate(_qdate(today + dt.timedelta(days=1)))
            self.subject_edit.setPlaceholderText(_("What they called about"))

    def _kind_changed(self) -> None:
        email = self.kind_combo.currentData() == "email"
        self.reply_check.setVisible(email)
        self.reply_edit.setVisible(email)
        self.important_check.setVisible(email)
        self.rules_box.setVisible(email)
        self.call_back_check.setVisible(self.kind_combo.currentData() == "call")

    def accept(self) -> None:
        if self.property("saving"):
            return  # pressed again while the matches or the plan are on their way
        if self.fixed_contact is None:
            self.setProperty("saving", True)
            try:
                self.picker.finish()  # OK pressed before the matches of the name typed came
            except StorageError as exc:
                prompts.current().warn(self, _("Not planned"), str(exc))
                return
            finally:
                self.setProperty("saving", False)
        contact_id = self.fixed_contact if self.fixed_contact is not None else self.picker.contact_id()
        kind = self.kind_combo.currentData()
        if contact_id is None and kind != "note":
            self.error.setText(_("Choose the person this is with."))
            return
        planned = attempt(self, self.error, _("Not planned"), self._planner(contact_id, kind))
        if planned is not None:
            self.planned_id = planned
            super().accept()

    def _planner(self, contact_id: int | None, kind: str) -> Callable[[], int]:
        """The save, from what the dialog shows now (read here, on the GUI thread), to run in the pool."""
        email = kind == "email"
        call_back = kind == "call" and self.call_back_check.isChecked()
        member_id = self.member_combo.currentData()
        subject = self.subject_edit.text()
        due_on = _pydate(self.due_edit.date())
        notes = self.notes_edit.toPlainText()
        start_time = self.time_edit.time().toString("HH:mm") if self.time_check.isChecked() else ""
        important = email and self.important_check.isChecked()
        reply_due_on = _pydate(self.reply_edit.date()) if email and self.reply_check.isChecked() else None
        known = dict(self.accounts)
        workspace = self.workspace

        def plan() -> int:
            account_id = known[contact_id] if contact_id in known else account_of(workspace, contact_id)
            if call_back:
                return workspace.followups.call_back(
                    contact_id=contact_id, account_id=account_id, member_id=member_id, matter=subject, due_on=due_on
                )
            return workspace.followups.plan(
                kind=kind,
                due_on=due_on,
                contact_id=contact_id,
                account_id=account_id,
                member_id=member_id,
                subject=subject,
                notes=notes,
                start_time=start_time,
                important=important,
                reply_due_on=reply_due_on,
            )

        return plan

    def reject(self) -> None:
        if not self.property("saving"):  # Esc while the plan is being saved: it closes once saved
            super().reject()


class PickTable(QTableWidget):
    """A table whose first column is a check box per row; `checked_rows()` says which are ticked."""

    def __init__(self, headers: list[str], parent: QWidget | None = None, editable: tuple[int, ...] = ()) -> None:
        super().__init__(0, len(headers) + 1, parent)
        self.setHorizontalHeaderLabels(["", *headers])
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.editable = editable  # columns (counting the check box as 0) a person may rewrite
        self.setEditTriggers(
            QTableWidget.EditTrigger.DoubleClicked
            | QTableWidget.EditTrigger.EditKeyPressed
            | QTableWidget.EditTrigger.AnyKeyPressed
            if editable
            else QTableWidget.EditTrigger.NoEditTriggers
        )

    def add(self, texts: list[str], checked: bool = True) -> None:
        row = self.rowCount()
        self.insertRow(row)
        box = QTableWidgetItem()
        box.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        box.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.setItem(row, 0, box)
        for column, text in enumerate(texts, start=1):
            item = QTableWidgetItem(text)
            if column not in self.editable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.setItem(row, column, item)

    def text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""

    def checked_rows(self) -> list[int]:
        return [
            r
            for r in range(self.rowCount())
            if (item := self.item(r, 0)) is not None and item.checkState() == Qt.CheckState.Checked
        ]

    def set_all(self, checked: bool) -> None:
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            if item is not None:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def _select_buttons(table: PickTable) -> QHBoxLayout:
    row = QHBoxLayout()
    for text, state in ((_("Select all"), True), (_("Select none"), False)):
        button = QPushButton(text)
        button.clicked.connect(lambda _c=False, s=state: table.set_all(s))
        row.addWidget(button)
    row.addStretch(1)
    return row


class OutreachDialog(QDialog):
    """After an event somewhere (a flood in 兰州): everyone living in or from there, greeted in one go."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Regional outreach"))
        self.workspace = workspace
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText(_("City or region, e.g. 兰州"))
        self.event_edit = QLineEdit()
        self.event_edit.setPlaceholderText(_("What happened, e.g. a flood"))
        find = QPushButton(_("Find people"))
        find.clicked.connect(self.search_now)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.table = PickTable([_("Contact"), _("Account"), _("Lives in"), _("Hometown"), _("Our person")])
        self.ids: list[int] = []
        form = QFormLayout()
        form.addRow(_("Place"), self.place_edit)
        form.addRow(_("Event"), self.event_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Plan greetings for the ticked people"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(find)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(_select_buttons(self.table))
        layout.addWidget(buttons)
        self.resize(820, 520)
        self.planned = 0
        self._generation = 0

    def search_now(self) -> None:
        """Find everyone living in or coming from the place typed, in the thread pool; they show when found
        (pressed again meanwhile: the later answer counts)."""
        self.table.setRowCount(0)
        self.ids = []
        self.error.setText("")
        self._generation += 1
        generation = self._generation
        place = self.place_edit.text()
        followups = self.workspace.followups
        tasks.run(
            lambda: followups.outreach_candidates(place),
            lambda found: self._found(generation, found),
            lambda exc: self._failed(generation, exc),
            owner=self,
        )

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, FollowUpError):
            self.error.setText(str(exc))
            return
        if isinstance(exc, StorageError):
            prompts.current().warn(self, _("Find people"), str(exc))
            return
        from kamdesk.ui.errors import report

        report(self, exc, _("Find people"))

    def _found(self, generation: int, found: list[tuple[int, str, str, str, str, str | None]]) -> None:
        if generation != self._generation:
            return
        self.error.setText("" if found else _("Nobody lives in or comes from there."))
        for contact_id, name, company, city, hometown, member in found:
            self.ids.append(contact_id)
            self.table.add([name, company, city, hometown, member or "—"])

    def accept(self) -> None:
        chosen = [self.ids[r] for r in self.table.checked_rows()]
        if not chosen:
            self.error.setText(_("Find and tick the people to greet first."))
            return
        place, event = self.place_edit.text(), self.event_edit.text()
        followups = self.workspace.followups
        planned = attempt(self, self.error, _("Not planned"), lambda: followups.plan_outreach(chosen, place, event))
        if planned is not None:
            self.planned = planned
            super().accept()

    def reject(self) -> None:
        if not self.property("saving"):  # Esc while the greetings are being planned: it closes once planned
            super().reject()


class RulesDialog(QDialog):
    """The team's contact rhythm per account class: regular contact, and the care-greeting window."""

    CLASSES = ("A", "B", "C", "D")

    def __init__(
        self, workspace: Workspace, parent: QWidget | None = None, rules: list[CadenceRule] | None = None
    ) -> None:
        """`rules` are the team's rules read beforehand (off the GUI thread); without them they are read here."""
        super().__init__(parent)
        self.setWindowTitle(_("Contact rules"))
        self.workspace = workspace
        read = rules if rules is not None else workspace.followups.rules()
        by_class = {r.account_class: r for r in read if r.rank_tier is None}
        intro = QLabel(
            _(
                "Regular contact comes every so many days. Care greetings fall at a random day inside "
                "their window after the last real contact, never on a weekend, a public holiday or the "
                "same weekday as the one before, so they feel personal rather than routine. 0 = none."
            )
        )
        intro.setWordWrap(True)
        self.spins: dict[str, tuple[QSpinBox, QSpinBox, QSpinBox]] = {}
        grid = QFormLayout()
        for cls in self.CLASSES:
            rule = by_class.get(cls, CadenceRule(cls))
            spins = tuple(self._spin(v) for v in (rule.business_days, rule.care_min_days, rule.care_max_days))
            row = QHBoxLayout()
            for label, spin in zip((_("contact every"), _("care between"), _("and")), spins, strict=True):
                row.addWidget(QLabel(label))
                row.addWidget(spin)
            row.addWidget(QLabel(_("days")))
            row.addStretch(1)
            grid.addRow(_("Class {cls}").format(cls=cls), row)
            self.spins[cls] = spins  # type: ignore[assignment]
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @staticmethod
    def _spin(value: int | None) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, 366)
        spin.setValue(value or 0)
        return spin

    def rules(self) -> list[CadenceRule]:
        out = []
        for cls, (business, low, high) in self.spins.items():

            def value(spin: QSpinBox) -> int | None:
                return spin.value() or None

            out.append(CadenceRule(cls, None, value(business), value(low), value(high)))
        return out

    def accept(self) -> None:
        if attempt(self, self.error, _("Not saved"), self._saver(self.rules())):  # the spins read here, saved there
            super().accept()

    def _saver(self, rules: list[CadenceRule]) -> Callable[[], bool]:
        followups = self.workspace.followups

        def save() -> bool:
            followups.save_rules(rules)
            return True

        return save
