"""The Gifts & Visits tab: the register with its limits, festival and everyday gift plans, visits with
the meal guide, the catalogue and the team's policy, and the printable schedules, each on its own page."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.gifts.catalogue_page import CataloguePage
from kamdesk.ui.tabs.gifts.common import WRITES
from kamdesk.ui.tabs.gifts.plan_page import PlanPage
from kamdesk.ui.tabs.gifts.policy_page import PolicyPage
from kamdesk.ui.tabs.gifts.register_page import RegisterPage
from kamdesk.ui.tabs.gifts.visits_page import VisitsPage
from kamdesk.ui.tabs.page import TabPage


class GiftsTab(TabPage):
    """Register, plans, visits, catalogue and policy on sub-tabs; schedules print from here."""

    tables = frozenset(
        {"gifts", "gift_catalogue", "visits", "settings", "contacts", "accounts", "team_members", "activities"}
    )
    #: What recording, planning and scheduling here write (visits and greetings go on the agenda).
    WRITES = WRITES

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        super().__init__(parent)
        self.workspace = workspace
        #: Read the register off the GUI thread, and the other pages only when first shown (the window does).
        self.background = background
        self.register_page = RegisterPage(workspace, background)
        self.plan_page = PlanPage(workspace)
        self.visits_page = VisitsPage(workspace)
        self.catalogue_page = CataloguePage(workspace)
        self.policy_page = PolicyPage(workspace)
        for reads_off_gui in (self.visits_page, self.catalogue_page, self.policy_page):
            reads_off_gui.background = background
        self.tabs = QTabWidget()
        for page, title in (
            (self.register_page, _("Register")),
            (self.plan_page, _("Plan gifts")),
            (self.visits_page, _("Visits")),
            (self.catalogue_page, _("Catalogue")),
            (self.policy_page, _("Policy")),
        ):
            # In a scroll area, so a small window scrolls instead of growing to fit every button.
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            area.setWidget(page)
            self.tabs.addTab(area, title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        writable = not workspace.read_only
        for page in (self.register_page, self.plan_page, self.visits_page, self.catalogue_page, self.policy_page):
            for button in page.writers:
                button.setEnabled(writable)
        for saved in (
            self.register_page.changed,
            self.visits_page.changed,
            self.catalogue_page.changed,
            self.policy_page.changed,
        ):
            saved.connect(self.changed.emit)
        # Confirming a plan announces what it wrote through its op; the register here shows the new entries.
        self.plan_page.confirmed.connect(lambda _count: self.register_page.refresh())
        self.register_page.account_requested.connect(self.account_requested.emit)
        #: The pages (by tab index) besides the register that read the file, and how.
        self._page_readers = {2: self.visits_page.refresh, 3: self.catalogue_page.refresh, 4: self.policy_page.refresh}
        self._stale_pages: set[int] = set()
        self.tabs.currentChanged.connect(self._page_shown)
        self.refresh()

    def refresh(self) -> None:
        self.register_page.refresh()
        if not self.background:
            for read in self._page_readers.values():
                read()
            return
        # In the window, the other pages are read when next shown (a first show of the tab stays quick).
        self._stale_pages = set(self._page_readers)
        self._page_shown(self.tabs.currentIndex())

    def _page_shown(self, index: int) -> None:
        if index in self._stale_pages:
            self._stale_pages.discard(index)
            self._page_readers[index]()  # each page reads in the thread pool, its reads as one unit of work
