"""The account workspace tab: one account at a time, read off the GUI thread, with Back and Forward."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.account_view import AccountView
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import prompts
from kamdesk.ui.dialogs.editor_data import (
    AccountEditorData,
    ContactCardData,
    contact_card,
    open_editor,
    read_account_editor,
    read_contact_card,
)
from kamdesk.ui.errors import report
from kamdesk.ui.ops import Op
from kamdesk.ui.tabs.account_view.header import AccountHeader
from kamdesk.ui.tabs.account_view.sections import FollowupsSection, PeopleSection, PlanSection, TimelineSection
from kamdesk.ui.tabs.page import TabPage
from kamdesk.ui.tabs.plans.reading import read
from kamdesk.ui.widgets.choices import select_data
from kamdesk.ui.widgets.zipper_map import ZipperMapView

#: What the dialogs opened from here write, by what was logged.
LOG_WRITES = {
    "call": frozenset({"activities", "contacts"}),
    "email": frozenset({"activities", "contacts"}),
    "visit": frozenset({"visits"}),
    "gift": frozenset({"gifts"}),
}
CONTACT_WRITES = frozenset({"contacts", "contact_stage_history", "family_members", "personal_dates", "links"})
ACCOUNT_WRITES = frozenset({"accounts", "account_values", "account_class_history", "account_team"})


class History:
    """The accounts visited, with a place in the list: Back and Forward as a browser has them."""

    def __init__(self) -> None:
        self.items: list[int] = []
        self.index = -1

    @property
    def current(self) -> int | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def visit(self, account_id: int) -> None:
        if account_id == self.current:
            return
        del self.items[self.index + 1 :]
        self.items.append(account_id)
        self.index = len(self.items) - 1

    def can_go(self, step: int) -> bool:
        return 0 <= self.index + step < len(self.items)

    def go(self, step: int) -> int | None:
        if not self.can_go(step):
            return None
        self.index += step
        return self.current

    def forget(self, account_id: int) -> None:
        """An account that no longer exists leaves the history."""
        current = self.current
        self.items = [a for a in self.items if a != account_id]
        self.index = self.items.index(current) if current in self.items else len(self.items) - 1


class AccountViewTab(TabPage):
    """Header, their people against target, open follow-ups; the timeline, the plan and the org map beside."""

    tables = frozenset(
        {
            "accounts",
            "account_values",
            "account_class_history",
            "account_team",
            "team_members",
            "contacts",
            "contact_stage_history",
            "links",
            "activities",
            "gifts",
            "visits",
            "account_plans",
            "plan_objectives",
            "plan_actions",
            "settings",
        }
    )
    #: The person asked for the account's plan (account id, plan id or 0 for a new plan).
    plan_requested = Signal(int, int)
    #: The person asked for the quick finder.
    find_requested = Signal()
    #: A new account was read and shown (its id); tests and the window's title listen.
    shown = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.background = background
        self.history = History()
        self.view: AccountView | None = None
        self._generation = 0
        self._linking: set[tuple[int, int]] = set()  # links being written
        style = self.style()
        self.back_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack), _("Back"))
        self.forward_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward), _("Forward"))
        self.back_button.setToolTip(_("Back to the account shown before (Alt+Left)"))
        self.forward_button.setToolTip(_("Forward again (Alt+Right)"))
        self.find_button = QPushButton(_("Find…"))
        self.find_button.setToolTip(_("Find an account or a contact by name, pinyin or initials (Ctrl+F)"))
        self.edit_button = QPushButton(_("Edit account…"))
        self.status = QLabel()
        self.header = AccountHeader()
        self.people = PeopleSection()
        self.followups = FollowupsSection()
        self.timeline = TimelineSection()
        self.plan = PlanSection()
        self.map_view = ZipperMapView()
        self.sections = QTabWidget()
        self.sections.addTab(self.timeline, _("Timeline"))
        self.sections.addTab(self.plan, _("Plan"))
        self.sections.addTab(self.map_view, _("Org map"))
        self.empty = QLabel(
            _(
                "Choose an account to see it whole: press Find… (Ctrl+F), or double-click an account in the "
                "Accounts list, the dashboard, the agenda or the plans list."
            )
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._lay_out()
        self._connect()
        self._enable()

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        for button in (self.back_button, self.forward_button, self.find_button):
            bar.addWidget(button)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.edit_button)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.people)
        left.addWidget(self.followups)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left)
        body.addWidget(self.sections)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        body.setSizes([620, 720])  # their people and what is due on the left, the timeline beside
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.header)
        column.addWidget(body, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

    def _connect(self) -> None:
        self.back_button.clicked.connect(self.go_back)
        self.forward_button.clicked.connect(self.go_forward)
        self.find_button.clicked.connect(self.find_requested.emit)
        self.edit_button.clicked.connect(self.edit_account)
        self.people.contact_activated.connect(self.open_contact)
        self.people.new_button.clicked.connect(lambda: self.open_contact(None))
        self.map_view.contact_activated.connect(self.open_contact)
        self.map_view.link_requested.connect(self.link)
        self.timeline.log_requested.connect(self.log)
        self.followups.plan_button.clicked.connect(lambda: self.log("call"))
        self.plan.open_plan.connect(self._plan_asked)

    # Showing ---------------------------------------------------------------------------------
    def show_account(self, account_id: int) -> None:
        """Show `account_id` (it joins the history)."""
        if not account_id:
            return  # asked from a list with no account chosen
        self.history.visit(account_id)
        self._load(account_id)

    def go_back(self) -> None:
        account_id = self.history.go(-1)
        if account_id is not None:
            self._load(account_id)

    def go_forward(self) -> None:
        account_id = self.history.go(1)
        if account_id is not None:
            self._load(account_id)

    def refresh(self) -> None:
        current = self.history.current
        if current is not None:
            self._load(current)

    def account_id(self) -> int | None:
        return self.history.current

    def _load(self, account_id: int) -> None:
        self._generation += 1
        generation = self._generation
        service = self.workspace.account_view
        if self.view is None or self.view.account_id != account_id:
            self.status.setText(_("Reading the account…"))
        self._enable()
        read(
            self,
            self.background,
            lambda: service.load(account_id),
            lambda view: self._arrived(generation, account_id, view),
            self.status.setText,
            _("Account"),
        )

    def _arrived(self, generation: int, account_id: int, view: AccountView | None) -> None:
        if generation != self._generation:
            return  # the person went on meanwhile
        if view is None:
            self.history.forget(account_id)
            self.status.setText(_("That account no longer exists."))
            if self.history.current is not None:
                self._load(self.history.current)
            else:
                self.view = None
                self.stack.setCurrentWidget(self.empty)
            self._enable()
            return
        self.view = view
        self.status.setText("")
        self.header.show_view(view)
        self.people.show_people(view.contacts)
        self.followups.show_items(view.open_followups, view.today)
        self.timeline.show_entries(view.timeline)
        self.plan.show_plan(view.plan_period, view.objectives, view.open_actions, view.today, view.plan_id is not None)
        if view.org_map is not None:
            self.map_view.set_map(*view.org_map)
        else:
            self.map_view.clear_map()
        self.stack.setCurrentIndex(1)
        self._enable()
        self.shown.emit(account_id)

    def _enable(self) -> None:
        self.back_button.setEnabled(self.history.can_go(-1))
        self.forward_button.setEnabled(self.history.can_go(1))
        writable = not self.workspace.read_only and self.view is not None
        for button in (
            *self.timeline.buttons.values(),
            self.people.new_button,
            self.followups.plan_button,
        ):
            button.setEnabled(writable)
        self.edit_button.setEnabled(self.view is not None)
        self.plan.open_button.setEnabled(self.view is not None and (writable or self.view.plan_id is not None))

    # Acting (in the existing dialogs) --------------------------------------------------------
    def _plan_asked(self) -> None:
        if self.view is not None:
            self.plan_requested.emit(self.view.account_id, self.view.plan_id or 0)

    def _after(self, tables: frozenset[str]) -> None:
        self.changed.emit(tables)
        self.refresh()

    def make_account_dialog(self, data: AccountEditorData | None = None) -> Any:
        """The editor of the account shown, from `data` read beforehand (read here when not given)."""
        from kamdesk.ui.dialogs.account_dialog import AccountDialog

        assert self.view is not None
        account_id = self.view.account_id
        data = data if data is not None else read_account_editor(self.workspace.accounts, account_id)
        dialog = AccountDialog(
            self.workspace.accounts, data.members, account_id, self, read_only=self.workspace.read_only, data=data
        )
        dialog.account_saved.connect(lambda _id: self._after(ACCOUNT_WRITES))
        dialog.account_deleted.connect(lambda _id: self._after(ACCOUNT_WRITES))
        return dialog

    def edit_account(self) -> bool:
        """Read the account off the GUI thread, then open its editor."""
        if self.view is None:
            return False
        account_id = self.view.account_id
        return open_editor(
            self,
            f"account:{account_id}",
            lambda: read_account_editor(self.workspace.accounts, account_id),
            lambda data: self._exec_if_shown(account_id, lambda: self.make_account_dialog(data)),
            _("Cannot open the account"),
        )

    def _exec_if_shown(self, account_id: int, make: Any) -> None:
        """Open the dialog only while the account it was read for is still the one shown."""
        if self.view is not None and self.view.account_id == account_id:
            make().exec()

    def make_contact_dialog(self, contact_id: int | None, data: ContactCardData | None = None) -> Any:
        account_id = self.view.account_id if self.view is not None else None
        dialog = contact_card(self.workspace, self, contact_id, account_id, data)
        dialog.contact_saved.connect(lambda _id: self._after(CONTACT_WRITES))
        dialog.contact_deleted.connect(lambda _id: self._after(CONTACT_WRITES))
        return dialog

    def open_contact(self, contact_id: int | None) -> bool:
        """Read the card off the GUI thread, then open it."""
        if self.view is None:
            return False
        account_id = self.view.account_id
        return open_editor(
            self,
            f"contact:{contact_id}",
            lambda: read_contact_card(self.workspace.contacts, contact_id, account_id),
            lambda data: self._exec_if_shown(account_id, lambda: self.make_contact_dialog(contact_id, data)),
            _("Cannot open the contact"),
        )

    def make_log_dialog(self, kind: str, data: Any = None) -> Any:
        """The existing dialog for `kind`, filled in with this account and the person selected in its list
        (`data` is what `read_plan` read for a call or e-mail, `read_record` for a visit or gift; without it the
        dialog reads)."""
        assert self.view is not None
        if kind in ("call", "email"):
            from kamdesk.ui.dialogs.followup_dialogs import PlanDialog

            contact = data.contact_id if data is not None else self.people.selected_contact()
            plan = PlanDialog(self.workspace, self, contact_id=contact, data=data)
            select_data(plan.kind_combo, kind)
            if contact is None and data is None:
                plan.picker.search.setText(self.view.name)  # the account's people to pick from
            return plan
        contact = self.people.selected_contact()
        if kind == "visit":
            from kamdesk.ui.tabs.gifts.dialogs.visit_dialog import VisitDialog

            visit = VisitDialog(self.workspace, None, self, data)
            select_data(visit.account, self.view.account_id)
            if contact is not None:
                select_data(visit.contact, contact)
            return visit
        from kamdesk.ui.tabs.gifts.dialogs.entry_dialog import EntryDialog

        gift = EntryDialog(self.workspace, None, self, data)
        if contact is not None:
            select_data(gift.contact, contact)
        return gift

    def log(self, kind: str) -> None:
        """Open the dialog for `kind` from a read off the GUI thread (issue 24): everyone a visit or gift may be
        for; for a call or e-mail the team and the account's people to pick from (the person selected, if any)."""
        if self.view is None or self.workspace.read_only:
            return
        account_id = self.view.account_id
        workspace = self.workspace
        if kind in ("visit", "gift"):
            from kamdesk.ui.tabs.gifts.dialogs.record_data import read_record

            read: Any = lambda: read_record(workspace)  # noqa: E731
        else:
            from kamdesk.ui.dialogs.plan_data import read_plan

            contact = self.people.selected_contact()
            search = self.view.name if contact is None else ""  # the account's people to pick from
            known = {contact: account_id} if contact is not None else {}  # a person of this account's list
            read = lambda: read_plan(workspace, contact, search, known)  # noqa: E731
        open_editor(
            self,
            f"log:{kind}",
            read,
            lambda data: self._exec_if_shown(account_id, lambda: self._logged(kind, data)),
            _("Account"),
        )

    def _logged(self, kind: str, data: Any) -> Any:
        """The dialog for `kind` built from `data`; what it saved refreshes the page."""
        dialog = self.make_log_dialog(kind, data)
        dialog.accepted.connect(lambda: self._after(LOG_WRITES[kind]))
        return dialog

    def link(self, member_id: int, contact_id: int) -> None:
        """Link one of our people to one of theirs (dragged on the org map), written off the GUI thread; the
        page refreshes once it is written. Asked again while that link is being written: ignored."""
        if self.workspace.read_only or (member_id, contact_id) in self._linking:
            return
        pair = (member_id, contact_id)
        self._linking.add(pair)
        contacts = self.workspace.contacts

        def done(added: bool) -> None:
            self._linking.discard(pair)
            if added:
                self._after(frozenset({"links"}))

        def failed(exc: Exception) -> None:
            self._linking.discard(pair)
            if isinstance(exc, StorageError):
                prompts.current().warn(self, _("Link people"), str(exc))
            else:
                report(self, exc, _("Link people"))

        Op(self, lambda: contacts.add_link(member_id, contact_id), _("Link people")).success(done).failure(failed).run()
