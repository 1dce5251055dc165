"""The contact list as a lazy table model: pages fetched on demand, sorted and filtered in SQL."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from kamdesk.domain.contacts import ContactListItem, ContactQuery
from kamdesk.domain.enums import BuyingRole, RankTier, RelationshipStage
from kamdesk.i18n import N_, _
from kamdesk.services.contacts import ContactService
from kamdesk.ui import formatting
from kamdesk.ui.models.paged_model import PagedTableModel

BELOW_TARGET = QColor("#b45309")

COLUMNS: list[tuple[str, str]] = [
    ("name", N_("Name")),
    ("account", N_("Company")),
    ("title", N_("Title")),
    ("rank", N_("Rank")),
    ("role", N_("Buying role")),
    ("stage", N_("Stage")),
    ("target", N_("Target")),
    ("gap", N_("Gap")),
    ("city", N_("City")),
    ("hometown", N_("Hometown")),
    ("last_contact", N_("Last contact")),
]


def stage_text(value: str | None) -> str:
    """A stage with its 0–3 level, e.g. "Good friend (level 1)"."""
    if not value:
        return "—"
    try:
        stage = RelationshipStage(value)
    except ValueError:
        return value
    return _("{stage} (level {level})").format(stage=stage.label, level=stage.level)


def _label(kind: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(kind(value).label)
    except ValueError:
        return value


class ContactsModel(PagedTableModel[ContactQuery, ContactListItem]):
    columns = COLUMNS
    #: Two screenfuls: a keystroke's rows are scattered over the contacts table (on a file in small pages each
    #: one not read yet is a request of its own), and scrolling down reads the rest a page at a time.
    first_page_size = 60
    roles = frozenset(
        {
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.TextAlignmentRole,
        }
    )

    def __init__(self, service: ContactService, parent: Any = None, background: bool = False) -> None:
        self._service = service
        super().__init__(ContactQuery(), parent, background)

    def first_page(self, query: ContactQuery, size: int) -> tuple[list[ContactListItem], int]:
        return self._service.first_page(query, size)

    def next_page(self, query: ContactQuery, offset: int, size: int, total: int) -> list[ContactListItem]:
        return self._service.page(query, offset, size, total)

    def cell(self, item: ContactListItem, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "gap" and (item.gap or 0) > 0:
            return BELOW_TARGET
        if role == Qt.ItemDataRole.ToolTipRole and key == "gap":
            if item.gap is None:
                return _("No target: the account has no class yet or the person's rank is not set.")
            return _("Stages to go to reach the target set by the account's class and the person's rank.")
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "gap":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: ContactListItem, key: str) -> str:
        simple = {"name": item.name, "title": item.title, "city": item.city, "hometown": item.hometown}
        if key in simple:
            return simple[key]
        if key == "account":
            cls = f" ({item.account_class.value})" if item.account_class else ""
            return item.account_name + cls if item.account_name else "—"
        if key == "rank":
            return _label(RankTier, item.rank_tier)
        if key == "role":
            return _label(BuyingRole, item.buying_role)
        if key in ("stage", "target"):
            return stage_text(item.stage if key == "stage" else item.target)
        if key == "gap":
            if item.gap is None:
                return "—"
            return _("{count} to go").format(count=item.gap) if item.gap > 0 else _("met")
        return formatting.date(item.last_contact_on)
