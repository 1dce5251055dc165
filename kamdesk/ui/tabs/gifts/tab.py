"""The Gifts & Visits tab: the register with its limits, festival and everyday gift plans, visits with
the meal guide, the catalogue and the team's policy, and the printable schedules, each on its own page."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

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
        self.tabs = QTabWidget()
        #: Each page sits in a scroll area, so a small window scrolls instead of growing to fit every button.
        self._areas: list[QScrollArea] = []
        self._pages: dict[int, QWidget] = {}
        for title in (_("Register"), _("Plan gifts"), _("Visits"), _("Catalogue"), _("Policy")):
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            self._areas.append(area)
            self.tabs.addTab(area, title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        #: The pages (by tab index) besides the register that read the file, and how.
        self._page_readers: dict[int, Callable[[], None]] = {
            2: lambda: self.visits_page.refresh(),
            3: lambda: self.catalogue_page.refresh(),
            4: lambda: self.policy_page.refresh(),
        }
        self._stale_pages: set[int] = set()
        self.tabs.currentChanged.connect(self._page_shown)
        self.refresh()

    # The pages behind the register are built when first shown or asked for: the tab's first showing builds the
    # register only (the four others took 10-20 ms more of the GUI thread, twice that beside background reads).
    @property
    def register_page(self) -> RegisterPage:
        return cast(RegisterPage, self._page(0))

    @property
    def plan_page(self) -> PlanPage:
        return cast(PlanPage, self._page(1))

    @property
    def visits_page(self) -> VisitsPage:
        return cast(VisitsPage, self._page(2))

    @property
    def catalogue_page(self) -> CataloguePage:
        return cast(CataloguePage, self._page(3))

    @property
    def policy_page(self) -> PolicyPage:
        return cast(PolicyPage, self._page(4))

    def _page(self, index: int) -> QWidget:
        page = self._pages.get(index)
        if page is None:
            page = self._pages[index] = self._build(index)
            self._areas[index].setWidget(page)
        return page

    def _build(self, index: int) -> QWidget:
        workspace = self.workspace
        page: RegisterPage | PlanPage | VisitsPage | CataloguePage | PolicyPage
        if index == 0:
            page = RegisterPage(workspace, self.background)
            page.account_requested.connect(self.account_requested.emit)
        elif index == 1:
            page = PlanPage(workspace)
            # Confirming a plan announces what it wrote through its op; the register here shows the new entries.
            page.confirmed.connect(lambda _count: self.register_page.refresh())
        else:
            page = (VisitsPage, CataloguePage, PolicyPage)[index - 2](workspace)
            page.background = self.background
        if not isinstance(page, PlanPage):
            page.changed.connect(self.changed.emit)
        for button in page.writers:
            button.setEnabled(not workspace.read_only)
        return page

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
        if index >= 0:
            self._page(index)  # built when first shown
        if index in self._stale_pages:
            self._stale_pages.discard(index)
            self._page_readers[index]()  # each page reads in the thread pool, its reads as one unit of work
