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


def sized_by_letters(combo: QComboBox, letters: int) -> QComboBox:
    """`combo` as wide as `letters` characters, whatever its entries: a long list (thousands of companies) is not
    measured entry by entry when it is first shown (10-20 ms on the GUI thread for the large demo's 3,100 on the
    contact card, issue 24), and one very long name does not stretch its form. The popup's rows are taken to be
    of one height, so it does not lay out each of them either."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(letters)
    view = combo.view()
    if hasattr(view, "setUniformItemSizes"):
        view.setUniformItemSizes(True)
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
