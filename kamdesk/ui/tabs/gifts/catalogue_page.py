"""The catalogue page: the gifts the team gives, each with what it is (occasions, category,
attributes), its origin, cost, supplier and story.

The table is edited in place; the editor beside it shows the selected item's tags as check boxes.
When a name is typed, the gift vocabulary's suggestions fill the tags still empty or suggested;
they are shown in italics on the table and on tinted boxes in the editor until a person changes them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import GiftKind
from kamdesk.domain.gift_vocabulary import ItemTags, suggest_item_tags, tag_labels
from kamdesk.domain.gifts import CatalogueItem
from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui import tasks
from kamdesk.ui.tabs.gifts.catalogue_editor import TAG_FIELDS, CatalogueEditor, RowTags
from kamdesk.ui.tabs.gifts.common import (
    ID_ROLE,
    WRITES,
    cents,
    check_item,
    error_label,
    item,
    money_spin,
    save,
    table,
)
from kamdesk.ui.widgets.choices import select_data

# Columns by their index in the table (the order on screen is set in _arrange).
NAME, KIND, COST, SUPPLIER, STORY, ACTIVE, OCCASIONS, CATEGORY, ATTRIBUTES, ORIGIN = range(10)
TAG_COLUMNS = {"occasions": OCCASIONS, "category": CATEGORY, "attributes": ATTRIBUTES}
SUGGESTED_COLOUR = QColor("#8a6100")


class CataloguePage(QWidget):
    """Every catalogue item on a row, edited in place or in the editor; Save catalogue writes them all."""

    #: The catalogue was saved here (the tables written).
    changed = Signal(object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = workspace.gifts
        self._tags: list[RowTags] = []
        self._filling = False
        headers = [_("Item"), _("Kind"), _("Unit cost"), _("Supplier"), _("Story"), _("In use")]
        headers += [_("Occasions"), _("Category"), _("Attributes"), _("Origin")]
        self.table = table(headers, STORY)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._arrange()
        self.table.itemChanged.connect(self._cell_changed)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.editor = CatalogueEditor()
        self.editor.edited.connect(self._editor_changed)
        self.editor.suggestion = lambda: self._suggestion(self.table.currentRow())
        self.error = error_label()
        add = QPushButton(_("Add item"))
        add.clicked.connect(self._add_new)
        self.save_button = QPushButton(_("Save catalogue"))
        self.save_button.clicked.connect(lambda: self.save())
        self.writers = (self.save_button,)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def _arrange(self) -> None:
        """On screen: item, occasions, category, attributes, origin, cost, kind, supplier, story, in use."""
        header = self.table.horizontalHeader()
        for visual, logical in enumerate((NAME, OCCASIONS, CATEGORY, ATTRIBUTES, ORIGIN, COST, KIND, SUPPLIER)):
            header.moveSection(header.visualIndex(logical), visual)
        header.setSectionResizeMode(STORY, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.table.setColumnWidth(STORY, 220)
        self.table.setWordWrap(False)

    # Rows ------------------------------------------------------------------------------------------
    def _add_new(self) -> None:
        self._add_row(CatalogueItem(_("New item")), RowTags())
        self.table.selectRow(self.table.rowCount() - 1)
        self.editor.name.setFocus()
        self.editor.name.selectAll()

    def _add_row(self, c: CatalogueItem, tags: RowTags) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._tags.append(tags)
        self._set_row(row, c)

    def _set_row(self, row: int, c: CatalogueItem) -> None:
        """Fill the (new, empty) row `row` with `c`; its tags are already at `self._tags[row]`."""
        view = self.table
        self._filling = True
        try:
            view.setItem(row, NAME, item(c.item, (c.id, c.version), editable=True))
            kind = QComboBox()
            for k in ("everyday", "holiday", "special"):
                kind.addItem(GiftKind(k).label, k)
            select_data(kind, c.kind)
            view.setCellWidget(row, KIND, kind)
            cost = money_spin(1_000_000)
            cost.setValue(c.unit_cost_cents / 100)
            view.setCellWidget(row, COST, cost)
            view.setItem(row, SUPPLIER, item(c.supplier, editable=True))
            view.setItem(row, STORY, item(c.notes, editable=True))
            view.setItem(row, ACTIVE, check_item(c.active))
            view.setItem(row, ORIGIN, item(c.origin, editable=True))
            for column in TAG_COLUMNS.values():
                view.setItem(row, column, item(""))
            self._show_tags(row)
        finally:
            self._filling = False

    def _show_tags(self, row: int) -> None:
        tags = self._tags[row]
        for name, column in TAG_COLUMNS.items():
            value = getattr(tags, name)
            cell = self.table.item(row, column)
            assert cell is not None
            was = self._filling
            self._filling = True
            cell.setText(tag_labels(([value] if value else []) if isinstance(value, str) else value))
            suggested = name in tags.suggested
            font = QFont(cell.font())
            font.setItalic(suggested)
            cell.setFont(font)
            cell.setForeground(SUGGESTED_COLOUR if suggested else self.table.palette().text().color())
            cell.setToolTip(_("Suggested from the item's name; check it before saving.") if suggested else "")
            self._filling = was

    def _text(self, row: int, column: int) -> str:
        cell = self.table.item(row, column)
        return cell.text() if cell is not None else ""

    def _suggestion(self, row: int) -> ItemTags:
        if row < 0:
            return ItemTags()
        cost = self.table.cellWidget(row, COST)
        cost_cents = cents(cost) if isinstance(cost, QDoubleSpinBox) and cost.value() > 0 else None  # 0: not set yet
        return suggest_item_tags(self._text(row, NAME), self._text(row, STORY), cost_cents=cost_cents)

    # Edits -----------------------------------------------------------------------------------------
    def _cell_changed(self, cell: QTableWidgetItem) -> None:
        if self._filling:
            return
        row, column = cell.row(), cell.column()
        if column in (NAME, STORY):
            self._tags[row].suggest(self._suggestion(row))
            self._show_tags(row)
        if row == self.table.currentRow():
            self._show_selected()

    def _editor_changed(self, name: str, value: object) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        if name in ("name", "origin"):
            cell = self.table.item(row, NAME if name == "name" else ORIGIN)
            assert cell is not None
            self._filling = True
            cell.setText(str(value))
            self._filling = False
            if name == "name":  # typing a name: the suggestions follow it
                self._tags[row].suggest(self._suggestion(row))
                self.editor.show_row(self._text(row, NAME), self._text(row, ORIGIN), self._tags[row])
        self._show_tags(row)

    def _show_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self._tags):
            self.editor.show_row("", "", None)
            return
        self.editor.show_row(self._text(row, NAME), self._text(row, ORIGIN), self._tags[row])

    def rows(self) -> list[CatalogueItem]:
        """The items as the table shows them (suggested tags included: they are saved as shown)."""
        found = []
        for row in range(self.table.rowCount()):
            name = self.table.item(row, NAME)
            kind, cost = self.table.cellWidget(row, KIND), self.table.cellWidget(row, COST)
            assert name is not None and isinstance(kind, QComboBox) and isinstance(cost, QDoubleSpinBox)
            item_id, version = name.data(ID_ROLE)
            active = self.table.item(row, ACTIVE)
            tags = self._tags[row]
            found.append(
                CatalogueItem(
                    name.text().strip(),
                    kind.currentData(),
                    cents(cost),
                    self._text(row, SUPPLIER),
                    self._text(row, STORY),
                    active is not None and active.checkState() == Qt.CheckState.Checked,
                    item_id,
                    version,
                    occasions=tags.occasions,
                    category=tags.category,
                    attributes=tags.attributes,
                    origin=self._text(row, ORIGIN).strip(),
                )
            )
        return found

    def suggested_rows(self) -> list[int]:
        """Rows whose tags are (partly) the vocabulary's suggestion, not yet changed by a person."""
        return [row for row, tags in enumerate(self._tags) if tags.suggested & set(TAG_FIELDS)]

    def save(self) -> bool:
        rows = self.rows()  # read from the table here, on the GUI thread; written in one unit of work

        if not save(self, self.error, lambda: self.service.save_items(rows), _("Not saved")):
            return False
        self.refresh()
        self.changed.emit(WRITES)
        return True

    #: Set by the window's Gifts tab: the catalogue is read, and its tags suggested, off the GUI thread.
    background = False

    def refresh(self) -> None:
        if self.background:
            tasks.run(self._read, self._fill, lambda _exc: None, owner=self)
            return
        self._fill(self._read())

    def _read(self) -> list[tuple[CatalogueItem, RowTags]]:
        rows = []
        for c in self.service.catalogue(include_inactive=True):
            suggestion = suggest_item_tags(c.item, c.notes, cost_cents=c.unit_cost_cents)
            rows.append((c, RowTags.stored(ItemTags(c.occasions, c.category, c.attributes), suggestion)))
        return rows

    def _fill(self, rows: list[tuple[CatalogueItem, RowTags]]) -> None:
        # All rows made at once, not inserted one by one: each insertion into the shown table relaid it out
        # (the catalogue's first showing took 46 ms for 26 items; issue 24).
        self.table.setRowCount(0)
        self.table.setRowCount(len(rows))
        self._tags = [tags for _c, tags in rows]
        for row, (c, _tags) in enumerate(rows):
            self._set_row(row, c)
        self._show_selected()
