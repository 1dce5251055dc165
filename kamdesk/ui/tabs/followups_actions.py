"""The Follow-ups tab's commands: done, reschedule, snooze, call notes and the planning dialogs.

Every read and write runs off the GUI thread (issue 24: on a file server over a VPN each statement on the
GUI thread freezes the window for a transaction's requests). The selected item's id is taken on the GUI
thread; the item and its version are read in the pool; a dialog is built once what it shows has been read.
While one action on the agenda is on its way the action buttons are held, so a second press does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.followups import AgendaItem
from kamdesk.i18n import _
from kamdesk.services.followups import FollowUpService
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import prompts, tasks
from kamdesk.ui.dialogs.call_coaching import CallNotesData, call_notes_data
from kamdesk.ui.dialogs.care_settings import CareSettingsDialog
from kamdesk.ui.dialogs.editor_data import open_editor
from kamdesk.ui.dialogs.followup_dialogs import (
    CallNotesDialog,
    OutreachDialog,
    PlanData,
    PlanDialog,
    RulesDialog,
    read_plan,
)
from kamdesk.ui.dialogs.greeting_plan import ProposalsDialog
from kamdesk.ui.errors import report
from kamdesk.ui.ops import Op
from kamdesk.ui.tabs.page import TabPage


class DatePickerDialog(QDialog):
    """Pick a day (for rescheduling): a calendar that starts today and refuses the past."""

    def __init__(self, title: str, initial: dt.date, earliest: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.calendar = QCalendarWidget()
        self.calendar.setMinimumDate(QDate(earliest.year, earliest.month, earliest.day))
        self.calendar.setSelectedDate(QDate(initial.year, initial.month, initial.day))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.calendar)
        layout.addWidget(buttons)

    def date(self) -> dt.date:
        q = self.calendar.selectedDate()
        return dt.date(q.year(), q.month(), q.day())


class AgendaActions(TabPage):
    """The commands of the Follow-ups tab (FollowUpsTab builds the widgets and the agenda)."""

    #: What the agenda's actions write (a completed call updates the contact's last contact).
    WRITES: ClassVar[frozenset[str]] = frozenset({"activities", "contacts"})

    workspace: Workspace
    service: FollowUpService
    done_button: QPushButton
    reschedule_button: QPushButton
    snooze_button: QPushButton
    call_notes_button: QPushButton
    #: An action on the agenda is on its way (its buttons are held until it lands).
    _acting: bool = False
    #: The item to select once the agenda's next read lands (one just planned).
    _select_next: int | None = None

    def current_id(self) -> int | None:
        raise NotImplementedError

    def select(self, activity_id: int) -> bool:
        raise NotImplementedError

    def refresh_about(self, activity_id: int) -> None:
        raise NotImplementedError

    # Holding the actions while one is on its way -------------------------------------------------
    def _hold(self, busy: bool) -> None:
        self._acting = busy
        for button in (self.done_button, self.reschedule_button, self.snooze_button, self.call_notes_button):
            button.setEnabled(not busy)

    def _begin(self, writes: bool = True) -> int | None:
        """The selected item's id, the actions held until its work lands; None (nothing held) when an
        action is already on its way, nothing is selected, or the action `writes` to a read-only file."""
        if self._acting:
            return None
        activity_id = self.current_id()
        if activity_id is None:
            prompts.current().inform(self, _("Follow-ups"), _("Select an item in the agenda first."))
            return None
        if writes and self.workspace.read_only:
            return None
        self._hold(True)
        return activity_id

    def _fetch(self, activity_id: int, then: Callable[[AgendaItem, int], None]) -> None:
        """Read the item and its version in the pool, then `then(item, version)` on the GUI thread
        (which must end with `_write` or `_hold(False)`); an item gone meanwhile re-reads the agenda."""

        def landed(found: tuple[AgendaItem, int] | None) -> None:
            if found is None:
                self._gone()
                return
            then(*found)

        service = self.service
        Op(self, lambda: service.get(activity_id), _("Follow-ups")).success(landed).failure(self._action_failed).run()

    def _gone(self) -> None:
        self._hold(False)
        self.refresh()

    def _write(self, work: Callable[[], object], activity_id: int) -> None:
        """Run an action's write on `activity_id` in the pool; then what it changed of the agenda is read again
        (`refresh_about`), and the other pages hear of it."""
        Op(self, work, _("Follow-ups")).success(lambda result: self._written(result, activity_id)).failure(
            self._action_failed
        ).run()

    def _written(self, result: object, activity_id: int) -> None:
        self._hold(False)
        if result is False:  # the item was gone when the work came to it
            self.refresh()
            return
        self.refresh_about(activity_id)
        self.changed.emit(self.WRITES)

    def _action_failed(self, exc: Exception) -> None:
        self._hold(False)
        if isinstance(exc, StorageError | ValueError):  # refused, someone else changed it, a busy file
            prompts.current().warn(self, _("Follow-ups"), str(exc))
        else:
            report(self, exc, _("Follow-ups"))

    # The selected item ----------------------------------------------------------------------------
    def mark_done(self) -> None:
        activity_id = self._begin()
        if activity_id is None:
            return
        self._fetch(activity_id, self._ask_outcome)

    def _ask_outcome(self, item: AgendaItem, version: int) -> None:
        outcome = prompts.current().ask_text(self, _("Done"), _("What came of it? (kept with the contact's history)"))
        if outcome is None:
            self._hold(False)
            return
        service = self.service
        self._write(lambda: service.complete(item.id, version, outcome), item.id)

    def reschedule(self) -> None:
        activity_id = self._begin()
        if activity_id is None:
            return
        self._fetch(activity_id, self._pick_day)

    def _pick_day(self, item: AgendaItem, version: int) -> None:
        today = self.service.today()
        dialog = self.make_date_dialog(item.due_on or today, today)
        if not dialog.exec():
            self._hold(False)
            return
        day, service = dialog.date(), self.service
        self._write(lambda: service.reschedule(item.id, version, day), item.id)

    def make_date_dialog(self, initial: dt.date, earliest: dt.date) -> DatePickerDialog:
        return DatePickerDialog(_("Reschedule"), max(initial, earliest), earliest, self)

    def snooze(self, days: int) -> None:
        activity_id = self._begin()
        if activity_id is None:
            return
        service = self.service

        def work() -> bool:  # the version and the move in one trip to the pool
            found = service.get(activity_id)
            if found is None:
                return False
            service.snooze(activity_id, found[1], days)
            return True

        self._write(work, activity_id)

    def call_notes(self) -> None:
        activity_id = self._begin(writes=False)
        if activity_id is None:
            return
        workspace = self.workspace
        Op(self, lambda: call_notes_data(workspace, activity_id), _("Follow-ups")).success(
            self._open_call_notes
        ).failure(self._action_failed).run()

    def _open_call_notes(self, data: CallNotesData | None) -> None:
        if data is None:
            self._gone()
            return
        self._hold(False)  # the dialog is modal: the agenda cannot be pressed while it is open
        self.make_call_notes_dialog(data).exec()
        self.refresh()

    def make_call_notes_dialog(self, data: CallNotesData) -> CallNotesDialog:
        return CallNotesDialog(self.workspace, data.activity_id, data.personality, self, data=data)

    # Planning -------------------------------------------------------------------------------------
    def make_plan_dialog(self, call_back: bool = False, data: PlanData | None = None) -> PlanDialog:
        return PlanDialog(self.workspace, self, call_back=call_back, data=data)

    def call_back(self) -> None:
        self.plan(call_back=True)

    def plan(self, call_back: bool = False) -> None:
        """The team is read off the GUI thread; the dialog opens when it lands (a second request meanwhile
        is ignored)."""
        workspace = self.workspace
        open_editor(
            self, "plan", lambda: read_plan(workspace), lambda data: self._plan(data, call_back), _("Follow-ups")
        )

    def _plan(self, data: PlanData, call_back: bool) -> None:
        dialog = self.make_plan_dialog(call_back, data)
        if dialog.exec():
            self._select_next = dialog.planned_id  # selected once the agenda's re-read lands
            self.refresh()
            self.changed.emit(self.WRITES)

    def make_proposals_dialog(self, kind: str) -> ProposalsDialog:
        return ProposalsDialog(self.workspace, kind, self)

    def festival_greetings(self) -> None:
        self._propose("greetings")

    def care_greetings(self) -> None:
        self._propose("care")

    def _propose(self, kind: str) -> None:
        if self.make_proposals_dialog(kind).exec():
            self.refresh()
            self.changed.emit(self.WRITES)

    def edit_care_settings(self) -> None:
        """The settings are read off the GUI thread; the dialog opens on them when they land (a second
        request meanwhile is ignored)."""
        open_editor(
            self,
            "care_settings",
            self.workspace.followups.care_settings,
            lambda current: CareSettingsDialog(self.workspace, self, current).exec(),
            _("Greeting and care settings"),
        )

    def make_outreach_dialog(self) -> OutreachDialog:
        return OutreachDialog(self.workspace, self)

    def regional_outreach(self) -> None:
        dialog = self.make_outreach_dialog()
        if dialog.exec():
            self.refresh()
            self.changed.emit(self.WRITES)

    def edit_rules(self) -> None:
        """The rules are read off the GUI thread; the dialog opens on them when they land."""
        workspace = self.workspace
        open_editor(
            self,
            "rules",
            workspace.followups.rules,
            lambda rules: RulesDialog(workspace, self, rules).exec(),
            _("Contact rules"),
        )

    def generate_from_rules(self, days: int = 365) -> int:
        """Plan a year of regular contact and care greetings, off the GUI thread behind a progress dialog."""
        from kamdesk.ui.planner_notes import rules_found_nothing

        today = self.service.today()
        service, workspace = self.service, self.workspace

        def work(report: tasks.Report) -> tuple[int, str]:
            added = service.generate(today, today + dt.timedelta(days=days), report)
            return added, ("" if added else rules_found_nothing(workspace))  # why nothing, read here too

        try:
            added, why = tasks.run_with_progress(
                self, _("Follow-ups"), _("Planning contact and care greetings…"), _("Stop"), work
            )
        except (StorageError, ValueError) as exc:
            prompts.current().warn(self, _("Follow-ups"), str(exc))
            return 0
        self.refresh()
        if not added:
            prompts.current().inform(self, _("Follow-ups"), why)
            return 0
        prompts.current().inform(self, _("Follow-ups"), _("{count} items planned from the rules.").format(count=added))
        return added
