"""The main window's tabs, in order: one entry each (name, title, factory). Adding a tab is one line here.

Factories import their tab when first called, so a start reads and loads only the tab it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kamdesk.i18n import N_

if TYPE_CHECKING:
    from kamdesk.services.workspace import Workspace
    from kamdesk.ui.tabs.page import TabPage


def _together(factory: Callable[[Workspace], TabPage]) -> Callable[[Workspace], TabPage]:
    """The factory with whatever its page reads on the GUI thread as it is built joined into one unit of
    work: on a file server each transaction costs its lock and journal requests (the plans page's three
    reads of the team were three)."""

    def build(ws: Workspace) -> TabPage:
        with ws.one_read():
            return factory(ws)

    return build


@dataclass(frozen=True)
class TabEntry:
    name: str
    title: str  # marked with N_, translated when shown
    factory: Callable[[Workspace], TabPage]
    #: The module the factory imports: loaded ahead, while the window idles (`kamdesk.ui.load_ahead`).
    module: str


def _dashboard(ws: Workspace) -> TabPage:
    from kamdesk.ui.tabs.dashboard_tab import DashboardTab

    return DashboardTab(ws, background=True)


def _accounts(ws: Workspace) -> TabPage:
    from kamdesk.ui.tabs.accounts_tab import AccountsTab

    return AccountsTab(ws, background=True)


def _account(ws: Workspace) -> TabPage:
    from kamdesk.ui.tabs.account_view.tab import AccountViewTab

    return AccountViewTab(ws, background=True)


def _plans(ws: Workspace) -> TabPage:
    from kamdesk.ui.tabs.plans.tab import PlansTab

    return PlansTab(ws, background=True)


def _contacts(ws: Workspace) -> TabPage:
    from kamdesk.ui.tabs.contacts_tab import ContactsTab

    return ContactsTab(ws, background=True)


def _followups(ws: Workspace) -> TabPage:
    from kamdesk.ui.tabs.followups_tab import FollowUpsTab

    return FollowUpsTab(ws, background=True)


def _gifts(ws: Workspace) -> TabPage:
    from kamdesk.ui.tabs.gifts.tab import GiftsTab

    return GiftsTab(ws, background=True)


TABS: tuple[TabEntry, ...] = (
    TabEntry("dashboard", N_("Dashboard"), _together(_dashboard), "kamdesk.ui.tabs.dashboard_tab"),
    TabEntry("accounts", N_("Accounts"), _together(_accounts), "kamdesk.ui.tabs.accounts_tab"),
    TabEntry("account", N_("Account view"), _together(_account), "kamdesk.ui.tabs.account_view.tab"),
    TabEntry("plans", N_("Account Plans"), _together(_plans), "kamdesk.ui.tabs.plans.tab"),
    TabEntry("contacts", N_("Contacts & Org Map"), _together(_contacts), "kamdesk.ui.tabs.contacts_tab"),
    TabEntry("followups", N_("Follow-ups"), _together(_followups), "kamdesk.ui.tabs.followups_tab"),
    TabEntry("gifts", N_("Gifts & Visits"), _together(_gifts), "kamdesk.ui.tabs.gifts.tab"),
)


def index_of(name: str) -> int:
    return [entry.name for entry in TABS].index(name)
