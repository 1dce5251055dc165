"""The gift-plan page: festival, everyday and special gifts from the same engine as `kamdesk propose`,
each row with its reason and warnings, the total against the budget, and an approver when a row is over
the team's limits. Nothing is written until the ticked rows are confirmed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.gift_plans import (
    GiftBook,
    budget_summary,
    change_item,
    clear_limits,
    item_view,
    mark_limits,
    rank_label,
)
from kamdesk.domain.gifts import GIFT_FESTIVALS, CatalogueItem, GiftError, Recipient
from kamdesk.domain.proposals import ProposalPlan, ProposalRecord
from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui import formatting
from kamdesk.ui.errors import report
from kamdesk.ui.ops import Op
from kamdesk.ui.tabs.gifts.common import WARN, cents, check_item, item, money_spin, table
from kamdesk.ui.widgets.choices import select_data
from kamdesk.ui.widgets.field_error import ERROR_STYLE

#: What confirming a plan writes: planned entries in the register, and a call or visit on each owner's agenda.
CONFIRM_WRITES = frozenset({"gifts", "activities"})
#: Columns of the plan table.
TICK, DATE, PERSON, COMPANY, CLASS, RANK, ITEM, COST, REASON, WARNINGS = range(10)
#: Which catalogue items a row may switch to, per plan kind.
OCCASION_OF = {"everyday_gifts": "everyday", "special_gifts": "special"}

PlanRead = tuple[ProposalPlan, list[Recipient], GiftBook]


class PlanPage(QWidget):
    """Proposals in a table to adjust (tick, item) against a budget; confirmed into the register."""

    #: Ticked gifts went into the register (how many).
    confirmed = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = workspace.gifts
        self.plan: ProposalPlan | None = None
        self.proposals: list[ProposalRecord] = []
        self.people: dict[int, Recipient] = {}
        self.book: GiftBook | None = None
        self.choices: list[CatalogueItem] = []
        self._occasion = ""
        self._key_prefix = ""
        self.festival = QComboBox()
        for key, label in GIFT_FESTIVALS:
            self.festival.addItem(_(label), key)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.service.today().year)
        self.budget = money_spin()
        self.budget.setValue(20_000)
        self.budget.setSpecialValueText(_("No budget"))
        self.propose_button = QPushButton(_("Propose festival gifts"))
        self.everyday_button = QPushButton(_("Everyday gifts (next 6 months)"))
        self.special_button = QPushButton(_("Special gifts from tastes"))
        self.approver = QLineEdit()
        self.approver.setPlaceholderText(_("Needed when a ticked gift is over a limit"))
        self.approver.textChanged.connect(lambda _t: self.refresh_budget())
        self.confirm_button = QPushButton(_("Confirm the ticked gifts"))
        self.propose_button.clicked.connect(lambda: self.propose_festival())
        self.everyday_button.clicked.connect(lambda: self.propose_everyday())
        self.special_button.clicked.connect(lambda: self.propose_special())
        self.confirm_button.clicked.connect(lambda: self.confirm())
        self.writers = (self.confirm_button,)
        self.table = table(
            [
                "",
                _("Date"),
                _("Person"),
                _("Company"),
                _("Class"),
                _("Rank"),
                _("Gift"),
                _("Cost"),
                _("Why"),
                _("Warnings"),
            ],
            REASON,
        )
        self.table.setWordWrap(True)
        self.table.itemChanged.connect(lambda _i: self.refresh_budget())
        self.status = QLabel(
            _(
                "Choose a festival and press Propose: each gift is chosen for the person (likes, hometown, "
                "what they had last time), within their tier and never against a taboo. Adjust, then confirm."
            )
        )
        self.status.setWordWrap(True)
        self.budget_label = QLabel()
        self.budget_label.setWordWrap(True)
        self.approver_label = QLabel(_("Approved by"))
        top = QHBoxLayout()
        for w in (
            QLabel(_("Festival")),
            self.festival,
            QLabel(_("Year")),
            self.year,
            QLabel(_("Budget")),
            self.budget,
            self.propose_button,
        ):
            top.addWidget(w)
        top.addStretch(1)
        more = QHBoxLayout()
        more.addWidget(self.everyday_button)
        more.addWidget(self.special_button)
        more.addStretch(1)
        more.addWidget(self.approver_label)
        more.addWidget(self.approver)
        more.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.budget_label)
        layout.addLayout(more)

    # Reading a plan ---------------------------------------------------------------------------------
    def _read(self, work: Callable[[], ProposalPlan], title: str) -> PlanRead | None:
        """The plan and what rows are re-checked against, read off the GUI thread behind a busy window; a
        refusal (no items, a bad budget…) goes in the status line, any other failure is reported."""

        def read() -> PlanRead:
            plan = work()
            people, book = self.service.gift_book()
            return plan, people, book

        try:
            return Op(self, read, title).wait()
        except GiftError as exc:
            self.status.setText(str(exc))
            self.status.setStyleSheet(ERROR_STYLE)
        except Exception as exc:  # noqa: BLE001 - every failure is shown and logged
            report(self, exc, title)
        return None

    def _show(self, found: PlanRead, occasion_code: str) -> int:
        plan, people, book = found
        self.plan, self.book = plan, book
        self.people = {p.contact_id: p for p in people}
        self.proposals = list(plan.proposals)
        self.choices = [i for i in book.items if i.active and occasion_code in _occasions(item_view(i).occasions)]
        self.status.setStyleSheet("")
        self.status.setText("\n".join(n for n in plan.notes[:-1]) or _("Nothing to add."))
        view = self.table
        view.blockSignals(True)
        view.setRowCount(len(self.proposals))
        for row, p in enumerate(self.proposals):
            view.setItem(row, TICK, check_item(bool(p.item)))
            view.setItem(row, DATE, item(formatting.date(p.date) if p.date else ""))
            view.setItem(row, PERSON, item(p.contact))
            view.setItem(row, COMPANY, item(p.account))
            view.setItem(row, CLASS, item(p.account_class or ""))
            view.setItem(row, RANK, item(rank_label(p.rank)))
            view.setCellWidget(row, ITEM, self._item_combo(row, p))
            view.setItem(row, COST, item(formatting.money(p.cost_cents), number=True))
            reason = item(p.reason)
            reason.setToolTip(p.reason)
            view.setItem(row, REASON, reason)
            view.setItem(row, WARNINGS, item(""))
            self._show_warnings(row)
        view.blockSignals(False)
        view.resizeRowsToContents()
        self.refresh_budget()
        return len(self.proposals)

    def _item_combo(self, row: int, p: ProposalRecord) -> QComboBox:
        combo = QComboBox()
        combo.addItem("—", None)
        for index, c in enumerate(self.choices):
            combo.addItem(f"{c.item} ({formatting.money(c.unit_cost_cents)})", index)
        chosen = next((i for i, c in enumerate(self.choices) if c.id == p.extra.get("item_id")), None)
        if chosen is None and p.item:  # an item the choices lack (inactive since): keep it as proposed
            combo.addItem(f"{p.item} ({formatting.money(p.cost_cents)})", -1)
            chosen = -1
        select_data(combo, chosen)
        combo.currentIndexChanged.connect(lambda _i, r=row, cb=combo: self._item_changed(r, cb))
        return combo

    def _show_warnings(self, row: int) -> None:
        p = self.proposals[row]
        cell = self.table.item(row, WARNINGS)
        if cell is None:
            return
        text = "\n".join(f"⚠ {w}" for w in p.warnings)
        cell.setText(text)
        cell.setToolTip(text)
        cell.setForeground(WARN)

    def _item_changed(self, row: int, combo: QComboBox) -> None:
        index = combo.currentData()
        if index == -1:
            return
        p = self.proposals[row]
        change_item(p, self.choices[index] if index is not None else None, self.people.get(p.contact_id or -1))
        cost = self.table.item(row, COST)
        if cost is not None:
            cost.setText(formatting.money(p.cost_cents))
        self.refresh_budget()

    # The total, the limits and confirming ---------------------------------------------------------------
    def ticked(self) -> list[ProposalRecord]:
        return [
            p
            for row, p in enumerate(self.proposals)
            if (tick := self.table.item(row, TICK)) is not None and tick.checkState() == Qt.CheckState.Checked
        ]

    def budget_cents(self) -> int | None:
        return cents(self.budget) or None

    def needs_approver(self) -> bool:
        return any(p.extra.get("needs_approval") for p in self.ticked() if p.item)

    def refresh_budget(self) -> None:
        """Limits again over the ticked rows (an unticked row is not given), then the total against the budget."""
        chosen = [p for p in self.ticked() if p.item]
        if self.book is not None:
            clear_limits(p for p in self.proposals if p not in chosen)
            mark_limits(chosen, self.book)
            self.table.blockSignals(True)
            for row in range(len(self.proposals)):
                self._show_warnings(row)
            self.table.blockSignals(False)
        budget = self.budget_cents() if self._key_prefix.startswith(("mid_autumn", "spring", "dragon")) else None
        text = budget_summary(chosen, budget)
        over = budget is not None and sum(p.cost_cents for p in chosen) > budget
        approvals = sum(1 for p in chosen if p.extra.get("needs_approval"))
        if approvals:
            text += " " + _(
                "{count} ticked gifts are over the team's limits: name the approver to confirm them."
            ).format(count=approvals)
        self.budget_label.setText(text if self.proposals else "")
        self.budget_label.setStyleSheet(ERROR_STYLE if over else "")
        missing = bool(approvals) and not self.approver.text().strip()
        self.approver_label.setStyleSheet(ERROR_STYLE if missing else "")

    def propose_festival(self) -> int:
        festival, year, budget = self.festival.currentData(), self.year.value(), self.budget_cents()
        found = self._read(
            lambda: self.service.plan_festival_gifts(festival, year, budget), _("Propose festival gifts")
        )
        if found is None:
            return 0
        self._occasion = f"{self.festival.currentText()} {year}"
        self._key_prefix = f"{festival}:{year}"
        return self._show(found, festival)

    def propose_everyday(self) -> int:
        today = self.service.today()
        found = self._read(
            lambda: self.service.plan_everyday_gifts(today, today + dt.timedelta(days=182)),
            _("Everyday gifts (next 6 months)"),
        )
        if found is None:
            return 0
        self._occasion = _("Everyday gift")
        self._key_prefix = "everyday"
        return self._show(found, "everyday")

    def propose_special(self) -> int:
        found = self._read(self.service.plan_special_gifts, _("Special gifts from tastes"))
        if found is None:
            return 0
        self._occasion = _("Special gift")
        self._key_prefix = f"special:{self.service.today().isoformat()}"
        return self._show(found, "special")

    def confirm(self) -> int:
        chosen = [p for p in self.ticked() if p.item]
        if not chosen:
            return 0
        occasion, key_prefix, approver = self._occasion, self._key_prefix, self.approver.text()
        if self.needs_approver() and not approver.strip():
            self.status.setText(_("Some ticked gifts are over the team's limits: name who approved them first."))
            self.status.setStyleSheet(ERROR_STYLE)
            self.approver.setFocus()
            return 0
        try:
            added = (
                Op(
                    self,
                    lambda: self.service.confirm(chosen, occasion, key_prefix, approver),
                    _("Confirm the ticked gifts"),
                )
                .changes(CONFIRM_WRITES)
                .wait()
            )
        except GiftError as exc:
            self.status.setText(str(exc))
            self.status.setStyleSheet(ERROR_STYLE)
            return 0
        except Exception as exc:  # noqa: BLE001 - every failure is shown and logged
            report(self, exc, _("Not confirmed"))
            return 0
        self.status.setStyleSheet("")
        self.status.setText(
            _("{count} gifts are now in the register (planned) and on the owners' agendas.").format(count=added)
        )
        self.confirmed.emit(added)
        return added


def _occasions(codes: frozenset[str]) -> set[str]:
    """An item's occasions, with 'any festival' standing for each festival."""
    found = set(codes)
    if "any_festival" in found:
        found |= {key for key, _label in GIFT_FESTIVALS}
    return found
