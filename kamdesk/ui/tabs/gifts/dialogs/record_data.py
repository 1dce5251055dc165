"""What the register-entry and visit dialogs read before they open, read off the GUI thread (issue 24).

Everyone a gift or a visit may be for (tens of thousands of people on a large file), the team, and the
entry or visit being edited are read in one unit of work by `open_editor` (see kamdesk/ui/dialogs/editor_data.py);
the dialog is built from them when they land. The person chooser is filled from one list model set at once,
not item by item, so building it for 29,000 people stays well under 100 ms.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QWidget

from kamdesk.domain.gifts import Recipient, RegisterEntry, Visit
from kamdesk.domain.models import TeamMember
from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.gifts.dialogs.advice import (
    EntryAdvice,
    EntryQuestion,
    VisitAdvice,
    VisitQuestion,
    entry_advice,
    entry_question,
    visit_advice,
    visit_question,
)
from kamdesk.ui.widgets.choices import contains_completion, sized_by_letters


@dataclass
class RecordData:
    """What a register-entry or visit dialog shows as it opens."""

    people: list[Recipient]
    members: list[TeamMember]
    entry: RegisterEntry | None = None
    visit: Visit | None = None
    #: What the entry's or the visit's dialog tells as it opens, read with the rest (None: asked when it shows).
    entry_advice: tuple[EntryQuestion, EntryAdvice] | None = None
    visit_advice: tuple[VisitQuestion, VisitAdvice] | None = None


def read_record(workspace: Workspace, entry_id: int | None = None, visit_id: int | None = None) -> RecordData:
    """One unit of work: everyone a record may be for, the team, and the entry or visit (None when gone), with
    what its dialog tells as it opens (the policy check; the tastes and the ordering guide)."""
    gifts = workspace.gifts
    with gifts.db.read_together():
        data = RecordData(
            people=gifts.recipients(),
            members=workspace.team.members(),
            entry=gifts.get(entry_id) if entry_id is not None else None,
            visit=gifts.get_visit(visit_id) if visit_id is not None else None,
        )
        if data.entry is not None:
            asked = entry_question(data.entry, {r.contact_id: r for r in data.people})
            data.entry_advice = (asked, entry_advice(workspace, asked))
        if data.visit is not None:
            # The company's class as the dialog takes it: from the people read with it.
            cls = next((r.account_class for r in data.people if r.account_id == data.visit.account_id), None)
            question = visit_question(replace(data.visit, account_class=cls), data.people, data.visit.plan_meal)
            data.visit_advice = (question, visit_advice(workspace, question))
    return data


class ChoiceModel(QAbstractListModel):
    """A fixed list of (label, id) choices, shown as the label; the id is the item's data (Qt.UserRole)."""

    def __init__(self, labels: list[str], ids: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels = labels
        self._ids = ids

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._labels)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._labels):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._labels[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        return None


def choice_combo(labels: list[str], ids: list[Any], editable: bool = False) -> QComboBox:
    """A combo of many choices set at once; an editable one offers every choice containing the typed text."""
    combo = QComboBox()
    combo.setModel(ChoiceModel(labels, ids, combo))
    sized_by_letters(combo, 24)
    if editable:
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # typed text never becomes a person
        contains_completion(combo)
    return combo
