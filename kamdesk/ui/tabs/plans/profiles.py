"""The Customer and Situation pages: what we know of the customer, where we stand with them, two SWOTs."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from kamdesk.domain.enums import CycleStage
from kamdesk.domain.plans import CUSTOMER_FIELDS, EXECUTIVE_FIELDS, SITUATION_FIELDS, AccountPlan
from kamdesk.i18n import _
from kamdesk.ui.tabs.plans.cells import text_fields
from kamdesk.ui.tabs.plans.swot import SwotGrid
from kamdesk.ui.widgets.choices import enum_combo, select_data


def _filled(edits: dict[str, QPlainTextEdit]) -> dict[str, str]:
    return {key: edit.toPlainText() for key, edit in edits.items() if edit.toPlainText().strip()}


class CustomerPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.customer_edits = text_fields(form, CUSTOMER_FIELDS)
        self.customer_swot = SwotGrid()
        form.addRow(QLabel(_("The customer's SWOT")), self.customer_swot)

    def load(self, plan: AccountPlan) -> None:
        for key, edit in self.customer_edits.items():
            edit.setPlainText(plan.customer.get(key, ""))
        self.customer_swot.load(plan.customer_swot)

    def values(self) -> dict[str, Any]:
        return {"customer": _filled(self.customer_edits), "customer_swot": self.customer_swot.value()}


class SituationPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.share_spin = QDoubleSpinBox()
        self.share_spin.setRange(-1, 100)
        self.share_spin.setSpecialValueText(_("unknown"))
        self.share_spin.setSuffix("%")
        self.cycle_combo = enum_combo(CycleStage, "—")
        form.addRow(_("Our share of their spend"), self.share_spin)
        form.addRow(_("Relationship cycle stage"), self.cycle_combo)
        self.situation_edits = text_fields(form, SITUATION_FIELDS)
        self.our_swot = SwotGrid()
        form.addRow(QLabel(_("Our SWOT in this account")), self.our_swot)
        # The front page of the printed pack: what the executive sponsor should know and do.
        self.situation_edits.update(text_fields(form, EXECUTIVE_FIELDS))

    def load(self, plan: AccountPlan) -> None:
        for key, edit in self.situation_edits.items():
            edit.setPlainText(plan.situation.get(key, ""))
        self.our_swot.load(plan.our_swot)
        self.share_spin.setValue(plan.share_of_spend_pct if plan.share_of_spend_pct is not None else -1)
        select_data(self.cycle_combo, plan.cycle_stage)

    def values(self) -> dict[str, Any]:
        share = self.share_spin.value()
        return {
            "situation": _filled(self.situation_edits),
            "our_swot": self.our_swot.value(),
            "share_of_spend_pct": share if share >= 0 else None,
            "cycle_stage": self.cycle_combo.currentData(),
        }
