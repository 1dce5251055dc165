"""The policy page: the team's limits, the gift tier for each class and rank, and a customer's own rule."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import RankTier
from kamdesk.domain.gifts import CLASSES, GIFT_FESTIVALS, RANKS, TIER_LABELS, GiftPolicy
from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui import tasks
from kamdesk.ui.tabs.gifts.common import WRITES, cents, error_label, money_spin, save
from kamdesk.ui.widgets.choices import select_data


class PolicyPage(QWidget):
    """Limits per item and per person, budgets and tiers per festival, and one customer's rule at a time."""

    #: The policy was saved here (the tables written).
    changed = Signal(object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.service = workspace.gifts
        self._customer_generation = 0  # the latest read of a customer's own rule
        self.per_item = money_spin()
        self.per_person = money_spin()
        self.tier_budget = {tier: money_spin() for tier in (1, 2, 3)}
        self.tier_spins: dict[tuple[str, str, str], QSpinBox] = {}
        limits = QGroupBox(_("Team policy"))
        form = QFormLayout(limits)
        form.addRow(_("Limit per item"), self.per_item)
        form.addRow(_("Limit per person and year"), self.per_person)
        for tier, spin in self.tier_budget.items():
            form.addRow(
                _("Budget per person, tier {tier} ({label})").format(tier=tier, label=_(TIER_LABELS[tier])), spin
            )
        self.to_class_d = QCheckBox(_("Propose gifts for class D accounts"))
        self.to_strangers = QCheckBox(_("Propose gifts for contacts still at the stranger stage"))
        audience_note = QLabel(
            _("By the 80/20 rule the planners leave both out unless ticked; a gift given by hand is always recorded.")
        )
        audience_note.setWordWrap(True)
        form.addRow(self.to_class_d)
        form.addRow(self.to_strangers)
        form.addRow(audience_note)
        grids = QGridLayout()
        for index, (festival, label) in enumerate(GIFT_FESTIVALS):
            grids.addWidget(self._tier_grid(festival, label), index // 2, index % 2)
        self.customer_account = QComboBox()
        self.customer_text = QLineEdit()
        self.customer_text.setPlaceholderText(_("e.g. gifts above 200 yuan must be declared"))
        customer_box = QGroupBox(_("A customer's own gift policy"))
        customer_form = QFormLayout(customer_box)
        customer_form.addRow(_("Account"), self.customer_account)
        customer_form.addRow(_("Their rule"), self.customer_text)
        self.customer_account.currentIndexChanged.connect(lambda _i: self._load_customer_policy())
        self.error = error_label()
        self.save_button = QPushButton(_("Save policy"))
        self.save_button.clicked.connect(lambda: self.save())
        self.writers = (self.save_button,)
        layout = QVBoxLayout(self)
        layout.addWidget(limits)
        layout.addLayout(grids)
        layout.addWidget(customer_box)
        layout.addWidget(self.error)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)

    def _tier_grid(self, festival: str, label: str) -> QGroupBox:
        box = QGroupBox(_("{festival}: tier by class and rank (0 = no gift … 3 = premium)").format(festival=_(label)))
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
        return box

    #: Set by the window's Gifts tab: the page reads off the GUI thread (the account list is 3,000 names).
    background = False

    def refresh(self) -> None:
        current = self.customer_account.currentData()
        if self.background:
            tasks.run(lambda: self._read(current), self._fill, lambda exc: self.error.setText(str(exc)), owner=self)
            return
        self._fill(self._read(current))

    def _read(self, current: int | None) -> tuple[GiftPolicy, Any, list[tuple[int, str]], str]:
        """The limits, the tiers, the accounts and the chosen account's own rule, in one unit of work."""
        with self.workspace.one_read():
            policy = self.service.policy()
            tiers = self.service.tiers()
            choices = self.workspace.contacts.account_choices()
            ids = [account_id for account_id, _name in choices]
            chosen = current if current in ids else (ids[0] if ids else None)
            text = self.service.customer_policy(chosen) if chosen is not None else ""
        return policy, tiers, choices, text

    def _fill(self, found: tuple[GiftPolicy, Any, list[tuple[int, str]], str]) -> None:
        policy, (matrix, budgets), choices, text = found
        self.per_item.setValue(policy.per_item_cents / 100)
        self.per_person.setValue(policy.per_person_year_cents / 100)
        self.to_class_d.setChecked(policy.gifts_to_class_d)
        self.to_strangers.setChecked(policy.gifts_to_strangers)
        for tier, spin in self.tier_budget.items():
            spin.setValue(budgets.get(tier, 0) / 100)
        for (festival, cls, rank), tier_spin in self.tier_spins.items():
            tier_spin.setValue(matrix.get(festival, {}).get(cls, {}).get(rank, 0))
        current = self.customer_account.currentData()
        self.customer_account.blockSignals(True)
        self.customer_account.clear()
        for account_id, name in choices:
            self.customer_account.addItem(name, account_id)
        select_data(self.customer_account, current)
        self.customer_account.blockSignals(False)
        self._customer_generation += 1  # this read's rule stands over any single one still on its way
        self.customer_text.setText(text)
        self.customer_text.setEnabled(True)

    def _load_customer_policy(self) -> None:
        """The chosen account's own rule, read off the GUI thread; the box waits (disabled) until it lands, and
        a Save meanwhile leaves that account's rule alone."""
        account = self.customer_account.currentData()
        self._customer_generation += 1
        generation = self._customer_generation
        if account is None:
            self._show_customer_policy(generation, "")
            return
        self.customer_text.setEnabled(False)
        tasks.run(
            lambda: self.service.customer_policy(account),
            lambda text: self._show_customer_policy(generation, text),
            lambda exc: self._customer_policy_failed(generation, exc),
            owner=self,
        )

    def _show_customer_policy(self, generation: int, text: str) -> None:
        if generation != self._customer_generation:
            return  # another account was chosen meanwhile
        self.customer_text.setText(text)
        self.customer_text.setEnabled(True)

    def _customer_policy_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._customer_generation:
            self.error.setText(str(exc))

    def _customer_loading(self) -> bool:
        return not self.customer_text.isEnabled()

    def save(self) -> bool:
        matrix: dict[str, dict[str, dict[str, int]]] = {}
        for (festival, cls, rank), spin in self.tier_spins.items():
            matrix.setdefault(festival, {}).setdefault(cls, {})[rank] = spin.value()
        # What to write is taken from the widgets here, on the GUI thread; the worker only writes it.
        account = None if self._customer_loading() else self.customer_account.currentData()
        policy = GiftPolicy(
            cents(self.per_item), cents(self.per_person), self.to_class_d.isChecked(), self.to_strangers.isChecked()
        )
        budgets = {tier: cents(spin) for tier, spin in self.tier_budget.items()}
        rule = self.customer_text.text()

        def write() -> None:
            self.service.save_policy(policy)
            self.service.save_tiers(matrix, budgets)
            if account is not None:
                self.service.save_customer_policy(account, rule)

        if not save(self, self.error, write, _("Not saved")):
            return False
        self.changed.emit(WRITES)
        return True
