"""Small helpers for choice lists used by several forms (kept apart so a tab can use them without
loading a whole dialog module)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter

from kamdesk.domain.enums import LabelledEnum


def enum_combo(kind: type[LabelledEnum], empty: str) -> QComboBox:
    """A combo of an enumeration's labels (values as item data), led by `empty` for "not set"."""
    combo = QComboBox()
    combo.addItem(empty, None)
    for member in kind:
        combo.addItem(member.label, member.value)
    return combo


def select_data(combo: QComboBox, value: Any) -> None:
    """Select the item whose data is `value` (the first item when none is)."""
    combo.setCurrentIndex(max(combo.findData(value), 0))


def contains_completion(combo: QComboBox) -> None:
    """Typing into an editable combo offers every entry that contains the text (not only those starting
    with it: "移动" finds 中国移动)."""
    completer = combo.completer()
    if completer is not None:
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
