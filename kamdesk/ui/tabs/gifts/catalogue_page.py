"""The catalogue page: the gifts the team gives, edited in place, each with its cost, supplier and story."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import GiftKind
from kamdesk.domain.gifts import CatalogueItem
from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
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


class CataloguePage(QWidget):
    """Every catalogue item on a row, edited in place; Save catalogue writes them all."""

    #: The catalogue was saved here (the tables written).
    changed = Signal(object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = workspace.gifts
        self.table = table(
            [_("Item"), _("Kind"), _("Unit cost"), _("Supplier"), _("Notes (its story)"), _("In use")], 4
        )
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.error = error_label()
        add = QPushButton(_("Add item"))
        add.clicked.connect(lambda: self._add_row(CatalogueItem(_("New item"))))
        self.save_button = QPushButton(_("Save catalogue"))
        self.save_button.clicked.connect(lambda: self.save())
        self.writers = (self.save_button,)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def _add_row(self, c: CatalogueItem) -> None:
        view = self.table
        row = view.rowCount()
        view.insertRow(row)
        view.setItem(row, 0, item(c.item, (c.id, c.version), editable=True))
        kind = QComboBox()
        for k in ("everyday", "holiday", "special"):
            kind.addItem(GiftKind(k).label, k)
        select_data(kind, c.kind)
        view.setCellWidget(row, 1, kind)
        cost = money_spin(1_000_000)
        cost.setValue(c.unit_cost_cents / 100)
        view.setCellWidget(row, 2, cost)
        view.setItem(row, 3, item(c.supplier, editable=True))
        view.setItem(row, 4, item(c.notes, editable=True))
        view.setItem(row, 5, check_item(c.active))

    def _text(self, row: int, column: int) -> str:
        cell = self.table.item(row, column)
        return cell.text() if cell is not None else ""

    def rows(self) -> list[CatalogueItem]:
        """The items as the table shows them."""
        found = []
        for row in range(self.table.rowCount()):
            name = self.table.item(row, 0)
            kind, cost = self.table.cellWidget(row, 1), self.table.cellWidget(row, 2)
            assert name is not None and isinstance(kind, QComboBox) and isinstance(cost, QDoubleSpinBox)
            item_id, version = name.data(ID_ROLE)
            active = self.table.item(row, 5)
            found.append(
                CatalogueItem(
                    name.text().strip(),
                    kind.currentData(),
                    cents(cost),
                    self._text(row, 3),
                    self._text(row, 4),
                    active is not None and active.checkState() == Qt.CheckState.Checked,
                    item_id,
                    version,
                )
            )
        return found

    def save(self) -> bool:
        def write() -> None:
            for c in self.rows():
                self.service.save_item(c)

        if not save(self, self.error, write, _("Not saved")):
            return False
        self.refresh()
        self.changed.emit(WRITES)
        return True

    def refresh(self) -> None:
        self.table.setRowCount(0)
        for c in self.service.catalogue(include_inactive=True):
            self._add_row(c)
