"""The catalogue's item editor: what the selected item is (occasions, category, attributes, origin).

Tags the vocabulary suggested from the item's name are shown on a tinted box titled "suggested";
ticking or choosing anything in a box makes that box the person's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.gift_vocabulary import ATTRIBUTES, CATEGORIES, OCCASIONS, ItemTags, suggest_item_tags, tag_label
from kamdesk.i18n import _

#: The tint of a box whose content the vocabulary suggested (the person has not confirmed it yet).
_BOX = (
    "QGroupBox {{ border: 1px solid {border}; border-radius: 4px; margin-top: 1.4em; padding-top: 4px;"
    " background-color: {background}; }}"
    " QGroupBox::title {{ subcontrol-origin: margin; subcontrol-position: top left; left: 8px; padding: 0 3px; }}"
)
PLAIN_STYLE = _BOX.format(border="#b8b8b8", background="transparent")
SUGGESTED_STYLE = _BOX.format(border="#e0b94f", background="#fff4cc")
TAG_FIELDS = ("occasions", "category", "attributes")


@dataclass
class RowTags:
    """One catalogue row's tags, and which of them are the vocabulary's suggestion."""

    occasions: frozenset[str] = frozenset()
    category: str = ""
    attributes: frozenset[str] = frozenset()
    suggested: set[str] = field(default_factory=set)

    @classmethod
    def stored(cls, tags: ItemTags, suggestion: ItemTags) -> RowTags:
        """The stored tags; an empty one shows the suggestion instead (marked as such)."""
        row = cls(tags.occasions, tags.category, tags.attributes)
        row.suggest(suggestion)
        return row

    def suggest(self, suggestion: ItemTags) -> None:
        """Take the suggestion for every field that is empty or still a suggestion."""
        for name in TAG_FIELDS:
            if name in self.suggested or not getattr(self, name):
                value = getattr(suggestion, name)
                setattr(self, name, value)
                if value:
                    self.suggested.add(name)
                else:
                    self.suggested.discard(name)


def _check_grid(codes: tuple[str, ...], columns: int) -> tuple[QGridLayout, dict[str, QCheckBox]]:
    grid = QGridLayout()
    boxes = {}
    for index, code in enumerate(codes):
        box = QCheckBox(tag_label(code))
        boxes[code] = box
        grid.addWidget(box, index // columns, index % columns)
    return grid, boxes


class CatalogueEditor(QWidget):
    """Name, occasions, category, attributes and origin of the item selected in the catalogue."""

    #: (field, value) edited here: "name", "origin", or a tag field (the row's RowTags changed).
    edited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tags = RowTags()
        self._loading = False
        #: The vocabulary's suggestion for the row shown (name, story and cost), set by the page.
        self.suggestion: Callable[[], ItemTags] = lambda: suggest_item_tags(self.name.text())
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. 西湖龙井, 茅台, 广式月饼"))
        self.name.textEdited.connect(lambda text: self.edited.emit("name", text))
        self.name.setMaxLength(300)
        self.origin = QLineEdit()
        self.origin.setMaxLength(100)  # the column's room
        self.origin.setPlaceholderText(_("a place, for local specialities"))
        self.origin.textEdited.connect(lambda text: self.edited.emit("origin", text))
        self.category = QComboBox()
        self.category.addItem(_("(none)"), "")
        for code in CATEGORIES:
            self.category.addItem(tag_label(code), code)
        self.category.activated.connect(lambda _index: self._tag_edited("category"))
        self.occasion_box = QGroupBox(_("Occasions"))
        grid, self.occasion_checks = _check_grid(OCCASIONS, 2)
        self.occasion_box.setLayout(grid)
        self.attribute_box = QGroupBox(_("Attributes"))
        grid, self.attribute_checks = _check_grid(ATTRIBUTES, 3)
        self.attribute_box.setLayout(grid)
        for box in (*self.occasion_checks.values(), *self.attribute_checks.values()):
            box.clicked.connect(self._box_clicked)
        self.category_box = QGroupBox(_("Category"))
        category_layout = QVBoxLayout(self.category_box)
        category_layout.addWidget(self.category)
        self.note = QLabel(
            _("Tinted boxes were suggested from the name: check them, change anything, then save the catalogue.")
        )
        self.note.setWordWrap(True)
        self.again = QPushButton(_("Suggest again from the name"))
        self.again.clicked.connect(self._suggest_again)
        form = QFormLayout()
        form.addRow(_("Item"), self.name)
        form.addRow(_("Origin"), self.origin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.category_box)
        layout.addWidget(self.occasion_box)
        layout.addWidget(self.attribute_box)
        layout.addWidget(self.note)
        layout.addWidget(self.again)
        layout.addStretch(1)
        self.setEnabled(False)

    # Showing -------------------------------------------------------------------------------------
    def show_row(self, name: str, origin: str, tags: RowTags | None) -> None:
        """Show a row (None: no row selected, the editor is disabled)."""
        self._loading = True
        try:
            self.setEnabled(tags is not None)
            self.tags = tags if tags is not None else RowTags()
            if self.name.text() != name:
                self.name.setText(name)
            if self.origin.text() != origin:
                self.origin.setText(origin)
            self._show_tags()
        finally:
            self._loading = False

    def _show_tags(self) -> None:
        tags = self.tags
        for code, check in self.occasion_checks.items():
            check.setChecked(code in tags.occasions)
        for code, check in self.attribute_checks.items():
            check.setChecked(code in tags.attributes)
        self.category.setCurrentIndex(max(0, self.category.findData(tags.category)))
        titles: dict[str, tuple[QGroupBox, str, str]] = {
            "occasions": (self.occasion_box, _("Occasions"), _("Occasions (suggested)")),
            "category": (self.category_box, _("Category"), _("Category (suggested)")),
            "attributes": (self.attribute_box, _("Attributes"), _("Attributes (suggested)")),
        }
        for name, (box, plain, suggested) in titles.items():
            is_suggested = name in tags.suggested
            box.setTitle(suggested if is_suggested else plain)
            box.setStyleSheet(SUGGESTED_STYLE if is_suggested else PLAIN_STYLE)
            box.setToolTip(_("Suggested from the item's name; change it if it is wrong.") if is_suggested else "")
        self.note.setVisible(bool(tags.suggested))

    # Editing -------------------------------------------------------------------------------------
    def _box_clicked(self) -> None:
        sender = self.sender()
        self._tag_edited("occasions" if sender in self.occasion_checks.values() else "attributes")

    def _tag_edited(self, name: str) -> None:
        if self._loading:
            return
        tags = self.tags
        tags.occasions = frozenset(c for c, box in self.occasion_checks.items() if box.isChecked())
        tags.attributes = frozenset(c for c, box in self.attribute_checks.items() if box.isChecked())
        tags.category = self.category.currentData() or ""
        tags.suggested.discard(name)  # the person's own choice now
        self._show_tags()
        self.edited.emit(name, tags)

    def _suggest_again(self) -> None:
        self.tags.suggested = set(TAG_FIELDS)
        self.tags.suggest(self.suggestion())
        self._show_tags()
        self.edited.emit("occasions", self.tags)
