"""Record (or edit) a gift given or received, a meal, entertainment or a trip, checked against the policy."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from kamdesk.domain.enums import GiftDirection, GiftKind
from kamdesk.domain.gifts import RegisterEntry
from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui import formatting
from kamdesk.ui.tabs.gifts.common import (
    cents,
    date_edit,
    member_combo,
    money_spin,
    picked_date,
    qdate,
    status_combo,
)
from kamdesk.ui.tabs.gifts.dialogs.advice import Asker, EntryAdvice, EntryQuestion, entry_advice, entry_question
from kamdesk.ui.tabs.gifts.dialogs.record_data import RecordData, choice_combo, read_record
from kamdesk.ui.tabs.gifts.dialogs.record_dialog import RecordDialog
from kamdesk.ui.widgets.choices import select_data
from kamdesk.ui.widgets.field_error import ERROR_STYLE


class EntryDialog(RecordDialog):
    """Record (or edit) a gift given or received, a meal, entertainment or a trip."""

    def __init__(
        self,
        workspace: Workspace,
        entry: RegisterEntry | None = None,
        parent: QWidget | None = None,
        data: RecordData | None = None,
    ) -> None:
        """`data` is what was read for it off the GUI thread; without it, the dialog reads for itself."""
        super().__init__(workspace, parent)
        data = data if data is not None else read_record(workspace)
        self.entry = entry
        self.setWindowTitle(_("Register entry") if entry else _("New register entry"))
        self.direction = QComboBox()
        for d in GiftDirection:
            self.direction.addItem(d.label, d.value)
        self.kind = QComboBox()
        for k in GiftKind:
            self.kind.addItem(k.label, k.value)
        self.item_edit = QLineEdit()
        self.item_edit.setMaxLength(300)
        self.value = money_spin()
        self.date = date_edit(workspace.gifts.today())
        self.people = {r.contact_id: r for r in data.people}
        label = _("{name} ({account})")
        self.contact = choice_combo(
            ["—", *(label.format(name=r.name, account=r.account_name) for r in self.people.values())],
            [None, *self.people],
            editable=True,
        )
        self.member = QComboBox()
        self.member.addItem("—", None)
        member_combo(workspace, self.member, data.members)
        self.ours = QLineEdit()
        self.theirs = QLineEdit()
        self.occasion = QLineEdit()
        self.approved_by = QLineEdit()
        self.approved_by.setPlaceholderText(_("Needed above the policy limits"))
        self.status = status_combo("done", outcomes=True)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.policy_label = QLabel()
        self.policy_label.setWordWrap(True)
        form = QFormLayout()
        for label, widget in (
            (_("Given or received"), self.direction),
            (_("Kind"), self.kind),
            (_("What"), self.item_edit),
            (_("Value"), self.value),
            (_("Date"), self.date),
            (_("Their person"), self.contact),
            (_("Our person"), self.member),
            (_("Also ours"), self.ours),
            (_("Also theirs"), self.theirs),
            (_("Occasion"), self.occasion),
            (_("Approved by"), self.approved_by),
            (_("Status"), self.status),
            (_("Notes"), self.notes),
        ):
            form.addRow(label, widget)
        self.lay_out(form, self.policy_label)
        #: The policy check, asked off the GUI thread after a pause in the edits (issue 24).
        self.advice: Asker[EntryQuestion, EntryAdvice] = Asker(
            self, self.question, lambda q: entry_advice(workspace, q), self._show_policy, _("Register entry")
        )
        for signal in (
            self.value.valueChanged,
            self.contact.currentIndexChanged,
            self.date.dateChanged,
            self.item_edit.textChanged,
        ):
            signal.connect(lambda *_a: self.refresh_policy())
        if entry is not None:
            self._load(entry)
        known = data.entry_advice if entry is not None and entry is data.entry else None
        if known is not None and known[0] == self.question():
            self.advice.known(*known)  # read with the dialog's data: shown as it opens
        else:
            self.advice.now()

    def _load(self, e: RegisterEntry) -> None:
        select_data(self.direction, e.direction)
        select_data(self.kind, e.kind)
        self.item_edit.setText(e.item)
        self.value.setValue(e.value_cents / 100)
        self.date.setDate(qdate(e.given_on))
        select_data(self.contact, e.contact_id)
        select_data(self.member, e.member_id)
        self.ours.setText(e.people_ours)
        self.theirs.setText(e.people_theirs)
        self.occasion.setText(e.occasion)
        self.approved_by.setText(e.approved_by)
        select_data(self.status, e.status)
        self.notes.setPlainText(e.notes)

    def value_entry(self) -> RegisterEntry:
        base = self.entry
        contact = self.contact.currentData()
        person = self.people.get(contact) if contact is not None else None
        return RegisterEntry(
            kind=self.kind.currentData(),
            item=self.item_edit.text().strip(),
            value_cents=cents(self.value),
            given_on=picked_date(self.date),
            direction=self.direction.currentData(),
            account_id=person.account_id if person else (base.account_id if base else None),
            contact_id=contact,
            member_id=self.member.currentData(),
            occasion=self.occasion.text().strip(),
            people_ours=self.ours.text().strip(),
            people_theirs=self.theirs.text().strip(),
            approved_by=self.approved_by.text().strip(),
            approved_on=base.approved_on if base else None,
            delivery=base.delivery if base else "",
            status=self.status.currentData(),
            notes=self.notes.toPlainText(),
            id=base.id if base else None,
            version=base.version if base else 0,
        )

    def question(self) -> EntryQuestion:
        """What the policy check is asked about: the entry as filled in now (read on the GUI thread)."""
        return entry_question(self.value_entry(), self.people)

    def refresh_policy(self) -> None:
        """Check the entry against the policy again once the edits pause (off the GUI thread)."""
        self.advice.later()

    def _show_policy(self, question: EntryQuestion, advice: EntryAdvice) -> None:
        entry, check = question.entry, advice.check
        lines = []
        if check.needs_approval:
            lines.append(_("Above the team's policy: this entry needs an approval (name who approved it)."))
        if entry.contact_id is not None:
            lines.append(
                _("{name}'s total this year with this entry: {total}").format(
                    name=self.people[entry.contact_id].name, total=formatting.money(check.year_total_cents)
                )
            )
            if advice.customer_rule:
                lines.append(_("Their company's own rule: {rule}").format(rule=advice.customer_rule))
        taboo = advice.taboo
        if taboo:
            lines.append(taboo)
        self.policy_label.setText("\n".join(lines))
        self.policy_label.setStyleSheet(ERROR_STYLE if check.needs_approval or taboo else "")

    def accept(self) -> None:
        # Recording checks the limits again (an approver named where they require one) with the write.
        entry, gifts = self.value_entry(), self.workspace.gifts
        if self.advice.timer.isActive():
            self.advice.now()  # the advice follows the latest edit too
        self.save_with(lambda: gifts.record(entry), _("Not recorded"))
