"""The gift-plan page: festival, everyday and special gifts proposed from each person's card, then confirmed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.gifts import (
    DELIVERY,
    GIFT_FESTIVALS,
    TIER_LABELS,
    CatalogueItem,
    GiftError,
    GiftProposal,
    budget_view,
)
from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui import formatting
from kamdesk.ui.errors import report
from kamdesk.ui.ops import Op
from kamdesk.ui.tabs.gifts.common import (
    WARN,
    cents,
    check_item,
    item,
    money_spin,
    table,
)
from kamdesk.ui.widgets.choices import select_data
from kamdesk.ui.widgets.field_error import ERROR_STYLE

T = TypeVar("T")

#: What confirming a plan writes: planned entries in the register, and a call or visit on each owner's agenda.
CONFIRM_WRITES = frozenset({"gifts", "activities"})


class PlanPage(QWidget):
    """Proposals in a table to adjust (tick, gift, delivery) against a budget; confirmed into the register."""

    #: Ticked gifts went into the register (how many).
    confirmed = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = workspace.gifts
        self.proposals: list[GiftProposal] = []
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
        self.propose_button = QPushButton(_("Propose festival gifts"))
        self.everyday_button = QPushButton(_("Everyday gifts (next 6 months)"))
        self.special_button = QPushButton(_("Special gifts from tastes"))
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
                _("Account"),
                _("Class"),
                _("Tier"),
                _("Gift"),
                _("Cost"),
                _("Delivery"),
                _("Why / warning"),
            ],
            9,
        )
        self.table.itemChanged.connect(lambda _i: self.refresh_budget())
        self.status = QLabel(
            _(
                "Choose a festival and press Propose: the list is drawn from each person's "
                "class, rank, likes and taboos. Adjust it, then confirm."
            )
        )
        self.status.setWordWrap(True)
        self.budget_label = QLabel()
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
        more.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.budget_label)
        layout.addLayout(more)

    def _wait(self, work: Callable[[], T], title: str) -> T | None:
        """Run `work` off the GUI thread behind a busy window; a refusal goes in the status line, any other
        failure is reported. None when it failed."""
        try:
            return Op(self, work, title).wait()
        except GiftError as exc:
            self.status.setText(str(exc))
        except Exception as exc:  # noqa: BLE001 - every failure is shown and logged
            report(self, exc, title)
        return None

    def _propose(self, work: Callable[[], T], title: str) -> tuple[T, list[CatalogueItem]] | None:
        """Proposals and the catalogue to choose from, read in one go."""
        return self._wait(lambda: (work(), self.service.catalogue()), title)

    def _show_proposals(self, proposals: list[GiftProposal], items: list[CatalogueItem]) -> None:
        self.proposals = proposals
        view = self.table
        view.blockSignals(True)
        view.setRowCount(len(proposals))
        for row, p in enumerate(proposals):
            view.setItem(row, 0, check_item(p.item is not None))
            view.setItem(row, 1, item(formatting.date(p.date) if p.date else ""))
            view.setItem(row, 2, item(p.recipient.name))
            view.setItem(row, 3, item(p.recipient.account_name))
            view.setItem(row, 4, item(p.recipient.account_class or ""))
            view.setItem(row, 5, item(_(TIER_LABELS.get(p.tier, str(p.tier)))))
            combo = QComboBox()
            combo.addItem("—", None)
            for index, c in enumerate(items):
                combo.addItem(f"{c.item} ({formatting.money(c.unit_cost_cents)})", index)
            chosen = next((i for i, c in enumerate(items) if p.item and c.id == p.item.id), None)
            select_data(combo, chosen)
            combo.currentIndexChanged.connect(lambda _i, r=row, cb=combo: self._item_changed(r, cb, items))
            view.setCellWidget(row, 6, combo)
            view.setItem(row, 7, item(formatting.money(p.cost_cents)))
            delivery = QComboBox()
            for key, label in DELIVERY:
                delivery.addItem(_(label), key)
            select_data(delivery, p.delivery)
            delivery.currentIndexChanged.connect(lambda _i, r=row, cb=delivery: self._delivery_changed(r, cb))
            view.setCellWidget(row, 8, delivery)
            note = item(" ".join(t for t in (p.reason, p.warning) if t))
            if p.warning:
                note.setForeground(WARN)
            view.setItem(row, 9, note)
        view.blockSignals(False)
        self.refresh_budget()

    def _item_changed(self, row: int, combo: QComboBox, items: list[CatalogueItem]) -> None:
        index = combo.currentData()
        self.proposals[row].item = items[index] if index is not None else None
        cost = self.table.item(row, 7)
        if cost is not None:
            cost.setText(formatting.money(self.proposals[row].cost_cents))
        self.refresh_budget()

    def _delivery_changed(self, row: int, combo: QComboBox) -> None:
        self.proposals[row].delivery = combo.currentData()

    def ticked(self) -> list[GiftProposal]:
        return [
            p
            for row, p in enumerate(self.proposals)
            if (tick := self.table.item(row, 0)) is not None and tick.checkState() == Qt.CheckState.Checked
        ]

    def refresh_budget(self) -> None:
        chosen = self.ticked()
        try:
            view = budget_view(chosen, cents(self.budget))
        except GiftError as exc:
            self.budget_label.setText(str(exc))
            self.budget_label.setStyleSheet(ERROR_STYLE)
            return
        self.budget_label.setText(
            _("{count} gifts, {total} of a budget of {budget} ({left} left)").format(
                count=len(chosen),
                total=formatting.money(view.total_cents),
                budget=formatting.money(view.budget_cents),
                left=formatting.money(view.remaining_cents),
            )
        )
        self.budget_label.setStyleSheet(ERROR_STYLE if view.over else "")

    def propose_festival(self) -> int:
        festival, year = self.festival.currentData(), self.year.value()
        found = self._propose(lambda: self.service.propose_festival(festival, year), _("Propose festival gifts"))
        if found is None:
            return 0
        (dates, proposals), items = found
        self._occasion = f"{self.festival.currentText()} {dates.festival_date.year}"
        self._key_prefix = f"{festival}:{dates.festival_date.year}"
        self.status.setText(
            _("{festival} falls on {date}: order by {order}, deliver by {deliver}. {count} people proposed.").format(
                festival=self.festival.currentText(),
                date=formatting.date(dates.festival_date),
                order=formatting.date(dates.order_by),
                deliver=formatting.date(dates.deliver_by),
                count=len(proposals),
            )
        )
        self._show_proposals(proposals, items)
        return len(proposals)

    def propose_everyday(self) -> int:
        today = self.service.today()
        found = self._propose(
            lambda: self.service.propose_everyday(today, today + dt.timedelta(days=182)),
            _("Everyday gifts (next 6 months)"),
        )
        if found is None:
            return 0
        proposals, items = found
        self._occasion = _("Everyday gift")
        self._key_prefix = "everyday"
        self.status.setText(
            _("Small gifts for ordinary staff at irregular times over the next six months, each with a natural reason.")
        )
        self._show_proposals(proposals, items)
        return len(proposals)

    def propose_special(self) -> int:
        found = self._propose(self.service.propose_special, _("Special gifts from tastes"))
        if found is None:
            return 0
        proposals, items = found
        self._occasion = _("Special gift")
        self._key_prefix = f"special:{self.service.today().isoformat()}"
        self.status.setText(
            _("Special gifts for senior or influential people, chosen from their recorded tastes.")
            if proposals
            else _("Nobody senior has tastes on their card that match a special gift in the catalogue.")
        )
        self._show_proposals(proposals, items)
        return len(proposals)

    def confirm(self) -> int:
        chosen = [p for p in self.ticked() if p.item is not None]
        if not chosen:
            return 0
        occasion, key_prefix = self._occasion, self._key_prefix
        try:
            added = (
                Op(self, lambda: self.service.confirm(chosen, occasion, key_prefix), _("Confirm the ticked gifts"))
                .changes(CONFIRM_WRITES)
                .wait()
            )
        except Exception as exc:  # noqa: BLE001 - every failure is shown and logged
            report(self, exc, _("Not confirmed"))
            return 0
        self.status.setText(
            _("{count} gifts are now in the register (planned) and on the owners' agendas.").format(count=added)
        )
        self.confirmed.emit(added)
        return added
