"""The account editor's Stages page: sales-stage criteria, relationship-type evidence, cycle advice, history."""

from __future__ import annotations

from html import escape
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QListWidget, QScrollArea, QVBoxLayout, QWidget

from kamdesk.domain.enums import CycleStage, LabelledEnum, RelationshipType, SalesStage
from kamdesk.domain.models import AccountDetail
from kamdesk.domain.stage_evidence import (
    StageHistoryEntry,
    TypeFacts,
    cycle_advice,
    reached_on,
    sales_stage_criteria,
    type_evidence,
    type_meaning,
)
from kamdesk.i18n import N_, _
from kamdesk.services.accounts import AccountService
from kamdesk.services.stages import StageService
from kamdesk.ui import formatting
from kamdesk.ui.dialogs.stage_checklist import marked_list

FIELD_NAMES = {
    "sales_stage": N_("Sales stage"),
    "relationship_type": N_("Relationship type"),
    "cycle_stage": N_("Cycle stage"),
}
KINDS: dict[str, type[LabelledEnum]] = {
    "sales_stage": SalesStage,
    "relationship_type": RelationshipType,
    "cycle_stage": CycleStage,
}


class AccountForm(Protocol):
    service: AccountService
    detail: AccountDetail
    stage_combo: QComboBox
    type_combo: QComboBox
    cycle_combo: QComboBox


def value_text(field: str, value: str | None) -> str:
    if not value:
        return "—"
    try:
        return KINDS[field](value).label
    except ValueError:
        return value


def history_line(entry: StageHistoryEntry) -> str:
    line = _("{when}: {field} {old} → {new} ({name})").format(
        when=formatting.date(formatting.local_time(entry.at).date()),
        field=_(FIELD_NAMES.get(entry.field, entry.field)),
        old=value_text(entry.field, entry.old_value),
        new=value_text(entry.field, entry.new_value),
        name=entry.by or "?",
    )
    if entry.note == "import":
        return line + " — " + _("imported")
    return line + (f" — {entry.note}" if entry.note else "")


def describe_choices(form: AccountForm) -> None:
    """Each choice of the three stage lists says what it means where it is chosen: on each item of the list,
    and on the list itself for the choice made."""
    for combo, text in (
        (form.stage_combo, lambda v: "\n".join(sales_stage_criteria(SalesStage(v)))),
        (form.type_combo, lambda v: type_meaning(RelationshipType(v))),
        (form.cycle_combo, lambda v: "\n".join(cycle_advice(CycleStage(v)))),
    ):
        for index in range(combo.count()):
            value = combo.itemData(index)
            if value:
                combo.setItemData(index, text(value), Qt.ItemDataRole.ToolTipRole)
        combo.currentIndexChanged.connect(lambda i, c=combo: c.setToolTip(c.itemData(i, Qt.ItemDataRole.ToolTipRole)))
        combo.setToolTip(combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole))


class StagesPage(QScrollArea):
    """What the chosen stages mean, the evidence for the relationship type, and when each was reached."""

    def __init__(
        self,
        form: AccountForm,
        parent: QWidget | None = None,
        read: tuple[list[StageHistoryEntry], TypeFacts | None] | None = None,
    ) -> None:
        """`read`: the history and the type's evidence, already read for the account as the form has it."""
        super().__init__(parent)
        self.form = form
        self.stages = StageService(form.service.db)
        self.history: list[StageHistoryEntry] = []
        #: The facts and history shown, and the (account, version) they were read for: read again only
        #: when the form holds another version (a reload), never at each change of a choice.
        self._facts: TypeFacts | None = None
        self._facts_of: tuple[int | None, int] | None = None
        self._history_of: tuple[int | None, int] | None = None
        if read is not None:
            self.history, self._facts = read
            self._facts_of = self._history_of = self._version()
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.sales_label, self.type_label, self.cycle_label = (self._box(layout, t) for t in FIELD_NAMES.values())
        layout.addWidget(QLabel(_("Stage history (when each stage was reached)")))
        self.history_list = QListWidget()
        self.history_list.setMinimumHeight(120)
        layout.addWidget(self.history_list, 1)
        self.setWidget(inner)
        self.setWidgetResizable(True)
        for combo in (form.stage_combo, form.type_combo, form.cycle_combo):
            combo.currentIndexChanged.connect(self.refresh)
        describe_choices(form)

    @staticmethod
    def _box(layout: QVBoxLayout, title: str) -> QLabel:
        box = QGroupBox(_(title))
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        QVBoxLayout(box).addWidget(label)
        layout.addWidget(box)
        return label

    def _version(self) -> tuple[int | None, int]:
        return self.form.detail.id, self.form.detail.version

    def take(self, history: list[StageHistoryEntry], facts: TypeFacts | None, of: tuple[int | None, int]) -> None:
        """The history and the type's evidence read (off the GUI thread) for version `of` of the account."""
        self.history, self._facts = history, facts
        self._facts_of = self._history_of = of

    def _type_facts(self, account_id: int) -> TypeFacts | None:
        if self._facts_of != self._version():
            self._facts, self._facts_of = self.stages.type_facts(account_id), self._version()
        return self._facts

    def load_history(self) -> None:
        account_id = self.form.detail.id
        if self._history_of != self._version():
            self.history = self.stages.history(account_id) if account_id is not None else []
            self._history_of = self._version()
        self.history_list.clear()
        if not self.history:
            self.history_list.addItem(_("No stage changes recorded yet: they are kept from the next save on."))
        for entry in self.history:
            self.history_list.addItem(history_line(entry))

    def refresh(self) -> None:
        self._show_sales(self.form.stage_combo.currentData())
        self._show_type(self.form.type_combo.currentData())
        self._show_cycle(self.form.cycle_combo.currentData())

    def _since(self, field: str, value: str) -> str:
        reached = reached_on(self.history, field).get(value)
        if reached is None or value != getattr(self.form.detail, field):
            return ""
        day = formatting.date(formatting.local_time(reached).date())
        return "<p>" + escape(_("Reached on {day}.").format(day=day)) + "</p>"

    def _show_sales(self, value: str | None) -> None:
        if not value:
            self.sales_label.setText(escape(_("Not set. Choose the stage whose entry criteria the account meets.")))
            return
        entry, onward = sales_stage_criteria(SalesStage(value))
        self.sales_label.setText(
            f"<p><b>{escape(_('Entry criteria:'))}</b> {escape(entry)}</p><p>{escape(onward)}</p>"
            + self._since("sales_stage", value)
        )

    def _show_type(self, value: str | None) -> None:
        account_id = self.form.detail.id
        if not value:
            self.type_label.setText(escape(_("Not set.")))
            return
        kind = RelationshipType(value)
        facts = self._type_facts(account_id) if account_id is not None else None
        text = f"<p>{escape(type_meaning(kind))}</p>"
        if facts is None:
            text += escape(_("The evidence is read from the file once the account is saved."))
        else:
            source = (
                _("Evidence from the plan {period} and the contacts:").format(period=facts.plan_period)
                if facts.plan_period
                else _("Evidence from the contacts (the account has no plan yet):")
            )
            text += f"<p>{escape(source)}</p>" + marked_list([(e.text, e.fits) for e in type_evidence(kind, facts)])
        self.type_label.setText(text + self._since("relationship_type", value))

    def _show_cycle(self, value: str | None) -> None:
        if not value:
            self.cycle_label.setText(escape(_("Not set.")))
            return
        advice, rhythm = cycle_advice(CycleStage(value))
        self.cycle_label.setText(
            f"<p>{escape(advice)}</p><p><b>{escape(rhythm)}</b></p>" + self._since("cycle_stage", value)
        )

    def showEvent(self, event: QShowEvent) -> None:
        self.load_history()
        self.refresh()
        super().showEvent(event)
