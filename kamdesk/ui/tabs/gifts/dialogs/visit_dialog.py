"""Plan (or edit) a visit, meal, entertainment or trip, with the key person's tastes and the ordering guide."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from kamdesk.domain.enums import RankTier
from kamdesk.domain.gifts import VISIT_KINDS, Recipient, Visit
from kamdesk.domain.meals import STAPLES
from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.gifts.common import (
    cents,
    enum_label,
    member_combo,
    money_spin,
    qdate,
    status_combo,
)
from kamdesk.ui.tabs.gifts.dialogs.advice import Asker, VisitAdvice, VisitQuestion, visit_advice, visit_question
from kamdesk.ui.tabs.gifts.dialogs.record_data import RecordData, choice_combo, read_record
from kamdesk.ui.tabs.gifts.dialogs.record_dialog import RecordDialog
from kamdesk.ui.widgets.choices import select_data


def _qdatetime(moment: dt.datetime) -> QDateTime:
    return QDateTime(qdate(moment.date()), QTime(moment.hour, moment.minute))


class VisitDialog(RecordDialog):
    """Plan a visit, meal, entertainment or trip; the key person's tastes and the ordering guide beside it."""

    def __init__(
        self,
        workspace: Workspace,
        visit: Visit | None = None,
        parent: QWidget | None = None,
        data: RecordData | None = None,
    ) -> None:
        """`data` is what was read for it off the GUI thread; without it, the dialog reads for itself."""
        super().__init__(workspace, parent)
        data = data if data is not None else read_record(workspace)
        self.visit = visit
        self.setWindowTitle(_("Visit") if visit else _("Plan a visit"))
        today = workspace.gifts.today()
        self.kind = QComboBox()
        for key, label in VISIT_KINDS:
            self.kind.addItem(_(label), key)
        self.when = QDateTimeEdit(_qdatetime(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(10, 0))))
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.people = data.people
        self._at: dict[int | None, list[Recipient]] = {}  # each account's people, for the key-person choice
        for r in self.people:
            self._at.setdefault(r.account_id, []).append(r)
        accounts = sorted(((a[0].account_name, key) for key, a in self._at.items() if key is not None))
        self.account = choice_combo([name for name, _id in accounts], [key for _name, key in accounts])
        self.contact = QComboBox()
        self.theirs = QLineEdit()
        self.member = member_combo(workspace, members=data.members)
        self.ours = QLineEdit()
        self.purpose = QLineEdit()
        self.place = QLineEdit()
        self.meal = QCheckBox(_("A meal is part of it"))
        self.headcount = QSpinBox()
        self.headcount.setRange(0, 500)
        self.fine = QCheckBox(_("a fine restaurant"))
        self.staple = QComboBox()
        for key, label in STAPLES:
            self.staple.addItem(_(label), key)
        self.gift = QLineEdit()
        self.activity = QLineEdit()
        self.budget = money_spin()
        self.status = status_combo("planned")
        self.outcome = QLineEdit()
        self.guide = QLabel()
        self.guide.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        meal = QHBoxLayout()
        meal.addWidget(self.meal)
        meal.addWidget(QLabel(_("Headcount")))
        meal.addWidget(self.headcount)
        meal.addWidget(self.fine)
        meal.addWidget(QLabel(_("Staple")))
        meal.addWidget(self.staple)
        meal.addStretch(1)
        form = QFormLayout()
        before: tuple[tuple[str, QWidget], ...] = (
            (_("Kind"), self.kind),
            (_("When"), self.when),
            (_("Account"), self.account),
            (_("Key person"), self.contact),
            (_("Also theirs"), self.theirs),
            (_("Our person"), self.member),
            (_("Also ours"), self.ours),
            (_("Purpose"), self.purpose),
            (_("Place"), self.place),
        )
        after: tuple[tuple[str, QWidget], ...] = (
            (_("Gift"), self.gift),
            (_("Activity"), self.activity),
            (_("Budget"), self.budget),
            (_("Status"), self.status),
            (_("Outcome"), self.outcome),
        )
        for label, widget in before:
            form.addRow(label, widget)
        form.addRow(_("Meal"), meal)
        for label, widget in after:
            form.addRow(label, widget)
        self.lay_out(form, self.notes, self.guide)
        self.account.currentIndexChanged.connect(lambda _i: self._fill_contacts())
        for signal in (
            self.contact.currentIndexChanged,
            self.kind.currentIndexChanged,
            self.headcount.valueChanged,
            self.meal.toggled,
            self.fine.toggled,
            self.staple.currentIndexChanged,
            self.place.textChanged,
            self.theirs.textChanged,
        ):
            signal.connect(lambda *_a: self.refresh())
        #: The tastes and the ordering guide, asked off the GUI thread after a pause in the edits (issue 24).
        self.advice: Asker[VisitQuestion, VisitAdvice] = Asker(
            self, self.question, lambda q: visit_advice(workspace, q), self._show_advice, _("Visit")
        )
        self._fill_contacts()
        if visit is not None:
            self._load(visit)
        known = data.visit_advice if visit is not None and visit is data.visit else None
        if known is not None and known[0] == self.question():
            self.advice.known(*known)  # read with the dialog's data: shown as it opens
        else:
            self.advice.now()

    def _fill_contacts(self) -> None:
        account = self.account.currentData()
        self.contact.clear()
        self.contact.addItem("—", None)
        for r in self._at.get(account, []) if account is not None else []:
            rank = enum_label(RankTier, r.rank) if r.rank else ""
            self.contact.addItem(f"{r.name} · {rank}" if rank else r.name, r.contact_id)

    def _load(self, v: Visit) -> None:
        select_data(self.kind, v.kind)
        self.when.setDateTime(_qdatetime(v.starts_at))
        select_data(self.account, v.account_id)
        self._fill_contacts()
        select_data(self.contact, v.contact_id)
        self.theirs.setText(v.people_theirs)
        select_data(self.member, v.member_id)
        self.ours.setText(v.people_ours)
        self.purpose.setText(v.purpose)
        self.place.setText(v.place)
        self.meal.setChecked(v.plan_meal)
        self.headcount.setValue(v.headcount)
        self.gift.setText(v.plan_gift)
        self.activity.setText(v.plan_activity)
        self.budget.setValue(v.budget_cents / 100)
        select_data(self.status, v.status)
        self.outcome.setText(v.outcome)

    def value_visit(self) -> Visit:
        base = self.visit
        account = self.account.currentData()
        cls = next((r.account_class for r in self.people if r.account_id == account), None)
        starts_at = self.when.dateTime().toPython()
        assert isinstance(starts_at, dt.datetime)
        return Visit(
            starts_at,
            self.kind.currentData(),
            account,
            self.contact.currentData(),
            self.theirs.text().strip(),
            self.member.currentData(),
            self.ours.text().strip(),
            self.purpose.text().strip(),
            self.meal.isChecked(),
            self.gift.text().strip(),
            self.activity.text().strip(),
            self.headcount.value(),
            cents(self.budget),
            self.outcome.text(),
            self.status.currentData(),
            self.place.text().strip(),
            base.id if base else None,
            base.version if base else 0,
            account_class=cls,
        )

    def question(self) -> VisitQuestion:
        """What the notes and the guide are asked about: the visit as filled in now (read on the GUI thread)."""
        return visit_question(
            self.value_visit(),
            self.people,
            self.meal.isChecked(),
            self.fine.isChecked(),
            str(self.staple.currentData() or ""),
        )

    def refresh(self) -> None:
        """Ask for the notes and the ordering guide again once the edits pause (off the GUI thread)."""
        self.advice.later()

    def _show_advice(self, _question: VisitQuestion, advice: VisitAdvice) -> None:
        self.notes.setText("\n".join(advice.notes))
        guide = advice.guide
        if guide is not None:
            self.guide.setText(_("Ordering guide:") + "\n• " + "\n• ".join(guide.lines or (guide.advice,)))
        else:
            self.guide.clear()

    def accept(self) -> None:
        visit, gifts = self.value_visit(), self.workspace.gifts  # read here, on the GUI thread
        if self.advice.timer.isActive():
            self.advice.now()  # the notes follow the latest edit too
        self.save_with(lambda: gifts.save_visit(visit), _("Not saved"))
