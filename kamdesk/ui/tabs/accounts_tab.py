"""The Accounts tab: every account in a fast list, searchable by name, pinyin and initials."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.models import AccountQuery
from kamdesk.i18n import _
from kamdesk.services.workspace import AccountService
from kamdesk.ui.models.accounts_model import AccountsModel


class AccountsTab(QWidget):
    def __init__(self, service: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AccountsModel(service, self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by name, pinyin or initials (e.g. zgyd)"))
        self.search.setClearButtonEnabled(True)
        self.class_filter = QComboBox()
        self.class_filter.addItem(_("All classes"), None)
        for cls in AccountClass:
            self.class_filter.addItem(cls.label, cls.value)
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.class_filter)
        top.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(2, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, max(self.table.columnWidth(0), 260))
        self.empty_label = QLabel(_("No accounts yet. Load the demo data from the File menu, or add your first account."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)

        # Searching waits for a short pause in typing so fast typists do not queue queries.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self.class_filter.currentIndexChanged.connect(self.apply_filters)
        self._update_count()

    def apply_filters(self) -> None:
        value = self.class_filter.currentData()
        current = self.model.query
        self.model.set_query(AccountQuery(
            search=self.search.text(),
            account_class=AccountClass(value) if value else None,
            sort_key=current.sort_key,
            descending=current.descending,
        ))
        self._update_count()

    def refresh(self) -> None:
        self.model.refresh()
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.total()
        self.count_label.setText(_("{count} accounts").format(count=total))
        filtering = bool(self.search.text() or self.class_filter.currentData())
        self.empty_label.setVisible(total == 0 and not filtering)
        if total == 0 and filtering:
            self.count_label.setText(_("No account matches"))
