"""The account editor's strategy section: the suggested group, the facts behind it (the deciding ones first and
marked), the customer type's guardrails, and the account's cost to serve against its revenue and profit."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kamdesk.domain.cost_to_serve import CostToServe, grade_label
from kamdesk.domain.strategy import StrategyAdvice
from kamdesk.i18n import _
from kamdesk.services.errors import StorageError
from kamdesk.ui import formatting
from kamdesk.ui.dialogs.guide_dialog import GuideButton
from kamdesk.ui.errors import report

GRADE_COLOURS = {"ok": "#1b5e20", "watch": "#8a5a00", "too_costly": "#b00020", "no_revenue": "#8a5a00"}


def reasons_html(advice: StrategyAdvice) -> str:
    """The reasons as a list: the facts that decided the group first, in bold; then the customer type's rules."""
    ordered = sorted(advice.reasons, key=lambda r: not r.decisive)
    items = [
        f"<li><b>{html.escape(r.text)}</b></li>" if r.decisive else f"<li>{html.escape(r.text)}</li>" for r in ordered
    ]
    guards = [f"<li style='color:#8a1c00'>⚠ {html.escape(text)}</li>" for text in advice.guardrail_texts()]
    lead = html.escape(_("Because (the facts in bold decided it; disagree with any of them by correcting it):"))
    body = f"<p>{lead}</p><ul style='margin-left:-20px'>{''.join(items)}</ul>"
    if guards:
        body += f"<p>{html.escape(_('Rules for this customer type:'))}</p><ul style='margin-left:-20px'>{''.join(guards)}</ul>"
    return body


def cost_html(cost: CostToServe, marks: tuple[int, int]) -> str:
    grade = cost.grade(*marks)
    share = cost.share_of_revenue
    parts = [
        _("Cost to serve in the last 12 months: {total}").format(total=formatting.money(cost.total_cents)),
        _("time {hours} h × {rate} = {time}; gifts {gifts}; hospitality {hospitality}").format(
            hours=f"{cost.logged_minutes / 60:.1f}",
            rate=formatting.money(cost.hourly_cost_cents),
            time=formatting.money(cost.time_cents),
            gifts=formatting.money(cost.gifts_cents),
            hospitality=formatting.money(cost.hospitality_cents),
        ),
    ]
    if share is None:
        parts.append(_("No revenue recorded to set it against."))
    else:
        parts.append(
            _("{share}% of revenue {revenue} (watch from {watch}%, too costly from {alarm}%)").format(
                share=f"{share:.1f}", revenue=formatting.money(cost.revenue_cents), watch=marks[0], alarm=marks[1]
            )
        )
    if cost.profit_after_serving_cents is not None:
        parts.append(
            _("profit {profit}, after serving {after}").format(
                profit=formatting.money(cost.profit_cents), after=formatting.money(cost.profit_after_serving_cents)
            )
        )
    if cost.planned_hospitality_cents:
        parts.append(
            _("hospitality still planned: {amount}").format(amount=formatting.money(cost.planned_hospitality_cents))
        )
    colour = GRADE_COLOURS[grade]
    verdict = f"<b style='color:{colour}'>{html.escape(grade_label(grade))}</b>"
    return verdict + " — " + "<br>".join(html.escape(p) for p in parts)


class StrategyPanel(QGroupBox):
    """The suggested strategy with its reasons; `show_advice` refreshes it from the form as it is edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Suggested strategy"), parent)
        layout = QVBoxLayout(self)
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-weight: bold")
        self.guide_button = GuideButton("classes", _("What each class means and its strategy (user guide)"))
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label, 1)
        title_row.addWidget(self.guide_button)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.cost = QLabel()
        self.cost.setWordWrap(True)
        self.cost.setObjectName("costToServe")
        layout.addLayout(title_row)
        layout.addWidget(self.advice)
        layout.addWidget(self.reasons)
        layout.addWidget(self.cost)

    def show_advice(self, advice: StrategyAdvice) -> None:
        tier = {"key": _("key account"), "ordinary": _("ordinary account"), "prospect": _("prospect")}[advice.tier]
        self.title_label.setText(_("{group} (on the pyramid: {tier})").format(group=advice.title, tier=tier))
        self.advice.setText(advice.advice)
        self.reasons.setText(reasons_html(advice))
        self.advice.show()
        self.reasons.show()

    def show_reading(self) -> None:
        """Say the advice and the cost to serve are still being read."""
        self.title_label.setText(_("Reading…"))
        self.advice.clear()
        self.reasons.clear()
        self.advice.hide()  # no empty lines between the two
        self.reasons.hide()
        self.cost.setText(_("Reading…"))

    def show_failed(self, exc: Exception) -> None:
        """Say the advice and the cost to serve could not be read, and why (a fault is reported as well)."""
        if not isinstance(exc, StorageError):
            report(self, exc, _("Cannot open the account"))
        self.title_label.setText(_("Could not be read: {reason}").format(reason=exc))
        self.cost.clear()

    def show_cost(self, found: tuple[CostToServe, tuple[int, int]] | None) -> None:
        if found is None:
            self.cost.setText(_("The cost to serve is worked out once the account is saved."))
            return
        cost, marks = found
        self.cost.setText(cost_html(cost, marks))
