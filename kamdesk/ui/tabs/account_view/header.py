"""The workspace's header: the account's class and why, its value trend, strategy, owner and team, next follow-up."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from kamdesk.domain.account_view import AccountView, ClassReason
from kamdesk.domain.enums import ActivityKind, SalesStage, TeamRole
from kamdesk.domain.followups import AgendaItem, reason_label
from kamdesk.i18n import _
from kamdesk.ui import formatting
from kamdesk.ui.tabs.account_view.sparkline import Sparkline

OVERDUE_STYLE = "color: #b00020; font-weight: bold"


def _label(kind: type[ActivityKind] | type[SalesStage] | type[TeamRole], value: str | None) -> str:
    try:
        return str(kind(value).label) if value else ""
    except ValueError:
        return value or ""


def class_text(reason: ClassReason) -> str:
    """The class and why: its value and rank among the ranked accounts, or who set it by hand and why."""
    if reason.account_class is None:
        return _("No class yet: record revenue for a past or current period to rank the account.")
    cls = reason.account_class.value
    if reason.pinned:
        return _("Class {cls}, set by hand by {who}: {why}").format(
            cls=cls, who=reason.pinned_by or "—", why=reason.pin_reason or "—"
        )
    if reason.rank is None:
        return _("Class {cls}").format(cls=cls)
    return _("Class {cls}: ranked {rank} of {ranked} by value ({value})").format(
        cls=cls, rank=reason.rank, ranked=reason.ranked, value=formatting.money(reason.value_cents)
    )


def trend_text(values: list[tuple[str, int]]) -> str:
    """The change between the last two periods, e.g. "2025 → 2026: +12%"."""
    if len(values) < 2:
        return _("one period recorded") if values else _("no revenue recorded")
    (before, old), (last, new) = values[-2], values[-1]
    if not old:
        return f"{before} → {last}"
    change = round(100 * (new - old) / old)
    return f"{before} → {last}: {change:+d}%"


def followup_text(item: AgendaItem | None, today_iso: str) -> tuple[str, bool]:
    """The next due follow-up and whether it is overdue."""
    if item is None:
        return _("Nothing planned: plan a call with Log or plan below."), False
    due = formatting.date(item.due_on)
    who = item.contact_name or item.subject
    why = reason_label(item.reason)
    overdue = item.due_on is not None and item.due_on.isoformat() < today_iso
    text = _("{due}: {kind} with {who} ({why}), {ours}").format(
        due=due, kind=_label(ActivityKind, item.kind), who=who or "—", why=why, ours=item.member_name or "—"
    )
    return (_("Overdue since {text}").format(text=text) if overdue else text), overdue


class AccountHeader(QWidget):
    """Name, class and why, value trend, strategy, owner and team, next follow-up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLabel()
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.name.setFont(font)
        self.where = QLabel()
        self.class_label = QLabel()
        self.class_label.setWordWrap(True)
        self.sparkline = Sparkline()
        self.trend = QLabel()
        self.strategy = QLabel()
        self.strategy.setWordWrap(True)
        self.team = QLabel()
        self.team.setWordWrap(True)
        self.next_followup = QLabel()
        self.next_followup.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.name)
        top.addWidget(self.where, 1)
        value_box = QWidget()
        value = QHBoxLayout(value_box)
        value.setContentsMargins(0, 0, 0, 0)
        value.addWidget(self.sparkline)
        value.addWidget(self.trend)
        value.addStretch(1)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.addLayout(top, 0, 0, 1, 4)
        rows = (
            (_("Class"), self.class_label, _("Value"), value_box),
            (_("Strategy"), self.strategy, _("Owner and team"), self.team),
        )
        for row, (left, left_widget, right, right_widget) in enumerate(rows, start=1):
            grid.addWidget(QLabel(left), row, 0)
            grid.addWidget(left_widget, row, 1)
            grid.addWidget(QLabel(right), row, 2)
            grid.addWidget(right_widget, row, 3)
        grid.addWidget(QLabel(_("Next follow-up")), 3, 0)
        grid.addWidget(self.next_followup, 3, 1, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)

    def show_view(self, view: AccountView) -> None:
        self.name.setText(view.name)
        place = " · ".join(p for p in (view.city, view.industry, _label(SalesStage, view.sales_stage)) if p)
        self.where.setText(place)
        self.class_label.setText(class_text(view.class_reason))
        self.sparkline.set_points(view.values)
        self.trend.setText(trend_text(view.values))
        self.strategy.setText(f"<b>{view.strategy.title}</b> — {view.strategy.advice}")
        why = [reason.text for reason in view.strategy.reasons] + view.strategy.guardrail_texts()
        self.strategy.setToolTip("\n".join([view.strategy.advice, *why]))
        team = [
            _("{name} ({role})").format(name=name, role=_label(TeamRole, role))
            for name, role in view.team
            if name != view.owner_name or role != TeamRole.ACCOUNT_MANAGER.value
        ]
        owner = view.owner_name or _("no owner yet (set one in Edit account…)")
        self.team.setText(_("Owner: {owner}").format(owner=owner) + ("\n" + ", ".join(team) if team else ""))
        text, overdue = followup_text(view.next_followup, view.today.isoformat())
        self.next_followup.setText(text)
        self.next_followup.setStyleSheet(OVERDUE_STYLE if overdue else "")
