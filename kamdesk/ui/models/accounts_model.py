"""The account list as a lazy table model: pages fetched on demand, sorted and filtered in SQL."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from kamdesk.domain.enums import CycleStage, PersonalityType, RelationshipType, SalesStage
from kamdesk.domain.models import AccountListItem, AccountQuery
from kamdesk.i18n import N_, _
from kamdesk.services.workspace import AccountService
from kamdesk.ui import formatting
from kamdesk.ui.models.paged_model import PagedTableModel

COLUMNS: list[tuple[str, str]] = [
    ("name", N_("Account")),
    ("class", N_("Class")),
    ("value", N_("Value")),
    ("sales_stage", N_("Sales stage")),
    ("relationship_type", N_("Relationship type")),
    ("cycle_stage", N_("Cycle stage")),
    ("personality_type", N_("Personality type")),
    ("owner", N_("Owner")),
    ("city", N_("City")),
    ("last_contact", N_("Last contact")),
]

_ENUMS: dict[str, Any] = {
    "sales_stage": SalesStage,
    "relationship_type": RelationshipType,
    "cycle_stage": CycleStage,
    "personality_type": PersonalityType,
}


class AccountsModel(PagedTableModel[AccountQuery, AccountListItem]):
    columns = COLUMNS

    roles = frozenset(
        {
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.TextAlignmentRole,
        }
    )

    def __init__(self, service: AccountService, parent: Any = None, background: bool = False) -> None:
        self._service = service
        self._pinned_font = QFont()  # made here, on the GUI thread: cells are made in the background read
        self._pinned_font.setItalic(True)  # a class set by hand reads differently from a computed one
        super().__init__(AccountQuery(), parent, background)

    def first_page(self, query: AccountQuery, size: int) -> tuple[list[AccountListItem], int]:
        return self._service.first_page(query, size)

    def next_page(self, query: AccountQuery, offset: int, size: int, total: int) -> list[AccountListItem]:
        return self._service.page(query, offset, size)

    def cell(self, item: AccountListItem, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "class":
            if item.pinned_class:
                return _("Pinned by hand as {pinned}; computed class {computed}").format(
                    pinned=item.pinned_class.value, computed=item.computed_class.value if item.computed_class else "—"
                )
            if item.computed_class is None:
                return _("No value recorded yet, so not ranked")
            return _("Computed from the account's share of value")
        if role == Qt.ItemDataRole.FontRole and key == "class" and item.pinned_class:
            return self._pinned_font
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "value":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: AccountListItem, key: str) -> str:
        if key == "name":
            return item.name
        if key == "class":
            cls = item.effective_class
            if cls is None:
                return "—"
            if item.pinned_class and item.pinned_class != item.computed_class:
                computed = item.computed_class.value if item.computed_class else "—"
                return _("{cls} (pinned; computed {computed})").format(cls=cls.value, computed=computed)
            return _("{cls} (pinned)").format(cls=cls.value) if item.pinned_class else cls.value
        if key == "value":
            return formatting.money(item.value_cents)
        if key == "owner":
            return item.owner_name
        if key == "city":
            return item.city
        if key == "last_contact":
            return formatting.date(item.last_contact_on)
        value = getattr(item, key)
        if not value:
            return ""
        try:
            return str(_ENUMS[key](value).label)
        except ValueError:
            return str(value)
