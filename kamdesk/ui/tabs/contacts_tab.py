"""The Contacts & Org Map tab: everyone at our customers, the zipper map of an account, and our team.

The pages live in kamdesk/ui/tabs/contacts/; they are named here too, where callers have found them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.contacts.contacts_page import ContactsPage
from kamdesk.ui.tabs.contacts.org_map_page import OrgMapPage
from kamdesk.ui.tabs.contacts.team_page import TeamMemberDialog, TeamPage
from kamdesk.ui.tabs.page import TabPage

__all__ = ["CONTACT_WRITES", "ContactsPage", "ContactsTab", "OrgMapPage", "TeamMemberDialog", "TeamPage"]


#: What saving, deleting, merging or erasing a contact writes.
CONTACT_WRITES = frozenset(
    {"contacts", "contact_stage_history", "family_members", "personal_dates", "links", "contact_search"}
)


class ContactsTab(TabPage):
    """Contacts, the org map and our team as three pages of one tab."""

    tables = frozenset(
        {
            "contacts",
            "contact_stage_history",
            "family_members",
            "personal_dates",
            "links",
            "team_members",
            "accounts",
            "account_team",
            "gifts",
            "activities",
            "settings",  # the zipper check's marks and the targets the map colours by
        }
    )

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        """With `background`, the contact list is read off the GUI thread (the window on a file server)."""
        super().__init__(parent)
        self.workspace = workspace
        self.pages = QTabWidget()
        self.contacts_page = ContactsPage(workspace, background=background)
        self.team_page = TeamPage(workspace, background=background)
        self.map_page = OrgMapPage(workspace, self.contacts_page, self.team_page, background=background)
        self.pages.addTab(self.contacts_page, _("Contacts"))
        self.pages.addTab(self.map_page, _("Org map"))
        self.pages.addTab(self.team_page, _("Our team"))
        self.team_page.team_changed.connect(self.contacts_page.refresh)
        self.contacts_page.account_requested.connect(self.account_requested.emit)
        self.team_page.team_changed.connect(self.map_page.show_map)
        self.contacts_page.contacts_changed.connect(self.map_page.show_map)
        self.contacts_page.contacts_changed.connect(lambda: self.changed.emit(CONTACT_WRITES))
        self.team_page.team_changed.connect(lambda: self.changed.emit(frozenset({"team_members"})))
        self.map_page.links_changed.connect(lambda: self.changed.emit(frozenset({"links"})))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def refresh(self) -> None:
        self.contacts_page.refresh()
        self.team_page.refresh()
        self.map_page.refresh()

    def show_org_map(self, account_id: int) -> None:
        self.pages.setCurrentWidget(self.map_page)
        self.map_page.show_account(account_id)
