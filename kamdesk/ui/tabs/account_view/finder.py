"""The quick finder (Ctrl+F): type part of a name, its pinyin or initials, pick an account or a contact."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from kamdesk.i18n import _
from kamdesk.services.account_view import FinderResult
from kamdesk.services.workspace import Workspace
from kamdesk.ui import tasks
from kamdesk.ui.widgets.warm_items import list_item

#: (kind, id, account id): what a row of the finder stands for.
HIT_ROLE = Qt.ItemDataRole.UserRole + 1


class QuickFinder(QDialog):
    """Accounts first, then people; Enter (or a double-click) takes the current row. `chosen` holds
    ("account", account id, account id) or ("contact", contact id, account id or None)."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Find an account or a contact"))
        self.workspace = workspace
        self.chosen: tuple[str, int, int | None] | None = None
        self._generation = 0
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Name, pinyin or initials (e.g. zgyd)"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.itemActivated.connect(self._take)
        self.note = QLabel(_("Type to search accounts and contacts."))
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.note)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.search_now)
        self.search.textChanged.connect(self._timer.start)
        self.search.installEventFilter(self)
        self.resize(520, 420)

    def search_now(self) -> None:
        """Read the matches off the GUI thread; an older answer arriving late is ignored."""
        self._generation += 1
        generation = self._generation
        text = self.search.text()
        service = self.workspace.account_view
        tasks.run(lambda: service.find(text), lambda found: self._show(generation, found), self._failed, owner=self)

    def _failed(self, exc: Exception) -> None:
        self.note.setText(str(exc))

    def _show(self, generation: int, found: FinderResult) -> None:
        if generation != self._generation:
            return
        self.results.clear()
        for account_id, name, cls in found.accounts:
            item = list_item(_("{name} — account, class {cls}").format(name=name, cls=cls or "—"))
            item.setData(HIT_ROLE, ("account", account_id, account_id))
            self.results.addItem(item)
        for contact_id, person, title, company_id, company in found.contacts:
            where = ", ".join(p for p in (title, company) if p)
            item = list_item(_("{name} — {where}").format(name=person, where=where or _("no company")))
            item.setData(HIT_ROLE, ("contact", contact_id, company_id))
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        self.note.setText(
            _("Enter opens the account (a contact opens their company).")
            if self.results.count()
            else _("Nothing matches “{text}”.").format(text=self.search.text().strip())
            if self.search.text().strip()
            else _("Type to search accounts and contacts.")
        )

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802 - Qt override
        """Up and Down move through the matches while the cursor stays in the search field."""
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = min(max(self.results.currentRow() + step, 0), self.results.count() - 1)
                self.results.setCurrentRow(row)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self._timer.stop()
                    self.search_now()
                    return True
                item = self.results.currentItem()
                if item is not None:
                    self._take(item)
                return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _take(self, item: QListWidgetItem) -> None:
        kind, record_id, account_id = item.data(HIT_ROLE)
        self.chosen = (str(kind), int(record_id), int(account_id) if account_id is not None else None)
        self.accept()


def find_and_open(window: Any) -> None:
    """Ask with the quick finder; open the account chosen (a contact's company) in the workspace, or the card of
    a contact who has no company."""
    finder = window.make_finder() if hasattr(window, "make_finder") else QuickFinder(window.workspace, window)
    if not finder.exec() or finder.chosen is None:
        return
    kind, record_id, account_id = finder.chosen
    if account_id is not None:
        window.open_account(account_id)
    elif kind == "contact":
        window.tabs.setCurrentWidget(window.contacts_tab)
        window.contacts_tab.contacts_page.open_contact(record_id)
