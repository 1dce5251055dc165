"""What the plan dialog reads, off the GUI thread (issue 24): the team and the person chooser's matches.

On a file server every read on the GUI thread freezes the window for a transaction's requests. `read_plan`
reads what the dialog opens with as one unit of work in the thread pool (`open_editor` runs it); the person
chooser reads its matches in the pool a moment after the typing stops, dropping an answer for older text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from kamdesk.domain.contacts import ContactListItem, ContactQuery
from kamdesk.domain.models import TeamMember
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import tasks
from kamdesk.ui.ops import Op

__all__ = ["ContactPicker", "PlanData", "account_of", "find_people", "read_plan"]


#: How many people a search offers.
MATCHES = 20


def find_people(workspace: Workspace, text: str) -> list[ContactListItem]:
    """The first people matching `text` (name, pinyin, initials, company, title, city or hometown)."""
    return workspace.contacts.first_page(ContactQuery(search=text.strip()), MATCHES)[0]


def account_of(workspace: Workspace, contact_id: int | None) -> int | None:
    """The company of a person (None for nobody, or someone gone)."""
    card = workspace.contacts.get(contact_id) if contact_id is not None else None
    return card.account_id if card is not None else None


@dataclass
class PlanData:
    """What the plan dialog shows as it opens, read beforehand off the GUI thread by `read_plan`."""

    members: list[TeamMember]
    contact_id: int | None = None
    #: The company of each person it is known for (the dialog's own person, say); the others are read at OK.
    accounts: dict[int, int | None] = field(default_factory=dict)
    #: The search the person chooser opens with, and its matches.
    search: str = ""
    found: list[ContactListItem] = field(default_factory=list)


def read_plan(
    workspace: Workspace,
    contact_id: int | None = None,
    search: str = "",
    accounts: Mapping[int, int | None] | None = None,
) -> PlanData:
    """One unit of work: the team, the company of `contact_id` (unless in `accounts`) and the matches of `search`."""
    known = dict(accounts or {})
    with workspace.one_read():
        if contact_id is not None and contact_id not in known:
            known[contact_id] = account_of(workspace, contact_id)
        return PlanData(
            members=workspace.team.members(),
            contact_id=contact_id,
            accounts=known,
            search=search.strip(),
            found=find_people(workspace, search) if search.strip() else [],
        )


class ContactPicker(QWidget):
    """Type part of a name (or pinyin, initials, company) and pick the person from the matches.

    The matches are read off the GUI thread a moment after the typing stops; an answer for older text is dropped."""

    SEARCH_DELAY_MS = 250

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by name, pinyin, initials, company, title, city or hometown"))
        self.results = QListWidget()
        self.results.setMaximumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        self._generation = 0
        self._reading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.search.textChanged.connect(self._typed)

    def _typed(self) -> None:
        self._generation += 1  # an answer on its way is for older text
        self.results.clear()  # never OK for a person found by older text
        self._timer.start()

    def searching(self) -> bool:
        """Whether matches of the text typed are still to come."""
        return self._timer.isActive() or self._reading

    def search_now(self) -> None:
        """Read the matches of the text typed in the thread pool; they show when they land."""
        text = self._start()
        if text:
            workspace = self.workspace
            generation = self._generation
            tasks.run(
                lambda: find_people(workspace, text),
                lambda found: self._arrived(generation, found),
                lambda exc: self._failed(generation, exc),
                owner=self,
            )

    def finish(self) -> None:
        """OK pressed while matches are still to come: read them now, behind a busy window (StorageError)."""
        if not self.searching():
            return
        text = self._start()
        if text:
            workspace = self.workspace
            generation = self._generation
            found = Op(self, lambda: find_people(workspace, text), _("Find people")).wait()
            self._arrived(generation, found)

    def _start(self) -> str:
        self._timer.stop()
        self._generation += 1
        self.results.clear()
        text = self.search.text().strip()
        self._reading = bool(text)
        return text

    def _arrived(self, generation: int, found: list[ContactListItem]) -> None:
        if generation == self._generation:
            self._reading = False
            self._fill(found)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._reading = False
        if not isinstance(exc, StorageError):
            from kamdesk.ui.errors import report

            report(self, exc, _("Find people"))
            return
        note = QListWidgetItem(str(exc))  # a busy file: said where the matches would be, nobody to pick
        note.setFlags(Qt.ItemFlag.NoItemFlags)
        self.results.addItem(note)

    def show_found(self, text: str, found: list[ContactListItem]) -> None:
        """Show `text` and its matches, read beforehand."""
        with QSignalBlocker(self.search):
            self.search.setText(text)
        self._timer.stop()
        self._generation += 1
        self._reading = False
        self._fill(found)

    def _fill(self, found: list[ContactListItem]) -> None:
        self.results.clear()
        for item in found:
            entry = QListWidgetItem(f"{item.name} — {item.account_name}" if item.account_name else item.name)
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            self.results.addItem(entry)
        if self.results.count():
            self.results.setCurrentRow(0)

    def contact_id(self) -> int | None:
        item = self.results.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return int(value) if value is not None else None
