"""PlansTab: pick an account and period, edit the plan section by section, track actions, review the
relationship, and preview, print or save the plan pack."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.models import TeamMember
from kamdesk.domain.plans import (
    AccountPlan,
    PlanError,
    RelationshipReview,
    next_period,
)
from kamdesk.i18n import _
from kamdesk.services.workspace import ConflictError, StorageError, Workspace
from kamdesk.ui import formatting, prompts
from kamdesk.ui.errors import report
from kamdesk.ui.ops import Op
from kamdesk.ui.tabs.page import TabPage
from kamdesk.ui.tabs.plans.cells import ERROR_STYLE, scrolled
from kamdesk.ui.tabs.plans.my_actions import MyActionsView
from kamdesk.ui.tabs.plans.plan_list import PlanListView
from kamdesk.ui.tabs.plans.reading import PLAN_WRITES, Reading, read, read_plan, write
from kamdesk.ui.tabs.plans.reviews import ReviewPanel
from kamdesk.ui.widgets.choices import select_data, sized_by_letters
from kamdesk.ui.widgets.warm_items import choice_items, set_choices

if TYPE_CHECKING:
    from kamdesk.ui.dialogs.pdf_preview import PdfPreviewDialog
    from kamdesk.ui.tabs.plans.editor import PlanEditor


class PlansTab(TabPage):
    """Account and period on top; the plan's sections, its reviews, or one person's actions below."""

    tables = frozenset({"account_plans", "plan_objectives", "plan_actions", "plan_reviews", "accounts", "team_members"})
    WRITES = PLAN_WRITES
    plan_saved = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        """With `background`, the account list and plans are read without holding the window (the
        window on a large file); without, each read returns once done (behind a busy window if slow)."""
        super().__init__(parent)
        self.workspace = workspace
        self.service = workspace.plans
        self.background = background
        self._accounts_generation = 0
        self._accounts_pending = False
        self._plan_generation = 0
        self._keep_plan = False  # a refresh while the plan on screen has unsaved edits leaves it be
        self._writing = False
        self._loaded: AccountPlan | None = None
        self.account_combo = QComboBox()
        self.account_combo.setEditable(True)
        self.account_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.account_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(_("Type an account name"))
        completer = self.account_combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.period_combo = QComboBox()
        self.new_button = QPushButton(_("New plan…"))
        self.copy_button = QPushButton(_("Copy to next period…"))
        self.save_button = QPushButton(_("Save"))
        self.delete_button = QPushButton(_("Delete plan…"))
        self.sponsor_button = QPushButton(_("Sponsor reviewed…"))
        self.print_button = QPushButton(_("Plan pack…"))
        self.worksheet_button = QPushButton(_("Blank worksheet…"))
        self.worksheet_button.setToolTip(
            _("A blank plan to fill in by hand: each section's questions with room to write")
        )
        self.actions_button = QPushButton(_("My actions"))
        self.actions_button.setCheckable(True)
        self.list_button = QPushButton(_("All plans"))
        self.status = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        #: The plan's sections, built when a plan is first shown (a first look at the tab stays quick).
        self._editor: PlanEditor | None = None
        self._team: list[TeamMember] | None = None  # as read off the GUI thread, for an editor built later
        self._waiting_show: Callable[[], None] | None = None  # a plan asked for before the team arrived
        self._reviews: ReviewPanel | None = None
        self.my_actions = MyActionsView(workspace, background=background)
        self.plan_list = PlanListView(workspace, background=background)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        for widget in (self.empty, self.my_actions, self.plan_list):
            self.stack.addWidget(widget)
        self._lay_out()
        self._connect()
        if background:  # the team for the choosers, once for the editor and both lists, off the GUI thread
            read(self, True, workspace.team.members, self._members_arrived, self.show_error, _("Account Plans"))
        self.reload_accounts()

    @property
    def editor(self) -> PlanEditor:
        """The plan's sections (built now if not yet)."""
        if self._editor is None:
            from kamdesk.ui.tabs.plans.editor import PlanEditor  # loaded when first needed

            self._editor = PlanEditor(self.workspace, read_team=not self.background, background=self.background)
            if self._team is not None:
                self._editor.set_members(self._team)
            self._reviews = ReviewPanel(self.workspace)
            self._reviews.recorded.connect(lambda: self.changed.emit(self.WRITES))
            self._editor.addTab(scrolled(self._reviews), _("Reviews"))
            self.stack.addWidget(self._editor)
        return self._editor

    @property
    def reviews(self) -> ReviewPanel:
        """The plan's relationship reviews, a page of the editor (built with it)."""
        editor = self.editor
        assert self._reviews is not None and editor is not None
        return self._reviews

    def _editor_shown(self) -> bool:
        return self._editor is not None and self.stack.currentWidget() is self._editor

    def _members_arrived(self, members: list[TeamMember]) -> None:
        self._team = members
        self.my_actions.set_members(members)
        self.plan_list.set_members(members)
        self._team_for_editor(members)

    def _team_for_editor(self, members: list[TeamMember]) -> None:
        """The team for the editor's choosers; a plan waiting for it is shown now."""
        if self._editor is not None and not self._editor.members.loaded:
            self._editor.set_members(members)
        if self._waiting_show is not None:
            self._waiting_show()

    def _lay_out(self) -> None:
        for combo, letters in ((self.account_combo, 16), (self.period_combo, 8)):
            sized_by_letters(combo, letters)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Account")))
        top.addWidget(self.account_combo, 3)
        top.addWidget(QLabel(_("Plan")))
        top.addWidget(self.period_combo, 1)
        top.addWidget(self.list_button)
        top.addWidget(self.actions_button)
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.copy_button,
            self.save_button,
            self.delete_button,
            self.sponsor_button,
            self.print_button,
            self.worksheet_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)

    def _connect(self) -> None:
        self.account_combo.activated.connect(lambda _i: self.account_chosen())
        self.period_combo.activated.connect(lambda _i: self.period_chosen())
        self.new_button.clicked.connect(lambda: self.new_plan())
        self.copy_button.clicked.connect(lambda: self.copy_plan())
        self.save_button.clicked.connect(lambda: self.save())
        self.delete_button.clicked.connect(self.delete)
        self.sponsor_button.clicked.connect(self.sponsor_reviewed)
        self.print_button.clicked.connect(lambda: self.preview_pack())
        self.worksheet_button.clicked.connect(lambda: self.preview_worksheet())
        self.actions_button.toggled.connect(self.toggle_actions)
        self.my_actions.open_plan.connect(self.show_plan)
        self.plan_list.open_plan.connect(self.show_plan)
        self.plan_list.account_requested.connect(self.account_requested.emit)
        self.list_button.clicked.connect(self.show_list)
        self.my_actions.marked_done.connect(self._action_marked_done)
        QShortcut(
            QKeySequence.StandardKey.Save,
            self,
            lambda: self.save(),
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        QShortcut(
            QKeySequence.StandardKey.Print,
            self,
            lambda: self.preview_pack(),
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    def refresh(self) -> None:
        """Re-read the accounts and the plan on screen; a plan with unsaved edits is kept as it is."""
        self._keep_plan = self._has_unsaved_edits()
        if self.stack.currentWidget() is self.my_actions:
            self.my_actions.refresh()
        if self.stack.currentWidget() is self.plan_list:
            self.plan_list.refresh()
        self.reload_accounts()

    def _has_unsaved_edits(self) -> bool:
        if self._loaded is None:
            return False
        try:
            return self.editor.value() != self._loaded
        except PlanError:
            return True  # a half-typed cell is an edit too

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # Choosing --------------------------------------------------------------------------------
    def reload_accounts(self) -> None:
        self._accounts_generation += 1
        generation = self._accounts_generation
        self._accounts_pending = self.background
        read(
            self,
            self.background,
            self._account_items,
            lambda items: self._fill_accounts(generation, items),
            self.show_error,
            _("Account Plans"),
        )

    def _ensure_accounts(self) -> None:
        """Asked for an account before the list arrived: read it now (the pending read is then ignored)."""
        if self._accounts_pending:
            self._accounts_generation += 1
            generation = self._accounts_generation
            read(
                self,
                False,
                self._account_items,
                lambda items: self._fill_accounts(generation, items),
                self.show_error,
                _("Account Plans"),
            )

    def _account_items(self) -> list[QStandardItem]:
        """The account list's entries, read and made in the thread pool."""
        return choice_items(self.workspace.contacts.account_choices())

    def _fill_accounts(self, generation: int, items: list[QStandardItem]) -> None:
        if generation != self._accounts_generation:
            return  # a newer read is on its way
        self._accounts_pending = False
        current = self.account_combo.currentData()
        with QSignalBlocker(self.account_combo):
            set_choices(self.account_combo, items)  # one call: quick for thousands
            self.account_combo.setCurrentIndex(self.account_combo.findData(current) if current is not None else -1)
        if self._keep_plan:
            self._keep_plan = False
            self._enable()
            return
        shown = self._loaded
        self.account_chosen(
            select_plan=shown.id if shown is not None and shown.account_id == self.account_id() else None
        )

    def account_id(self) -> int | None:
        index = self.account_combo.findText(self.account_combo.currentText())
        value = self.account_combo.itemData(index) if index >= 0 else None
        return int(value) if value is not None else None

    def select_account(self, account_id: int) -> None:
        self._ensure_accounts()
        self.account_combo.setCurrentIndex(self.account_combo.findData(account_id))
        self.account_chosen()

    def account_chosen(self, select_plan: int | None = None, note: str = "") -> None:
        """Read the chosen account's plans and show `select_plan` (else its first); `note` joins the status."""
        self._read(self.account_id(), select_plan, note)

    def show_plan(self, plan_id: int) -> None:
        """Open a plan by its id (from My actions): its account and period are chosen above."""
        self.actions_button.setChecked(False)
        self._ensure_accounts()
        self._read(None, plan_id)

    def period_chosen(self) -> None:
        plan_id = self.period_combo.currentData()
        if plan_id is None:  # nothing, or a new plan not saved yet
            self._loaded = None
            self._show_empty()
            return
        self._read(self.account_id(), plan_id, keep_periods=True)

    def _read(self, account: int | None, plan_id: int | None, note: str = "", keep_periods: bool = False) -> None:
        """Read off the GUI thread what choosing (`account`, `plan_id`) shows, then show it. With no
        account the plan names it; with `keep_periods` only the plan is read."""
        self._plan_generation += 1
        generation = self._plan_generation
        workspace = self.workspace
        with_team = self.background and self._team is None  # the tab's read of the team is not in yet
        read(
            self,
            self.background,
            lambda: read_plan(workspace, account, plan_id, keep_periods, with_team),
            lambda reading: self._arrived(generation, reading, note),
            self.show_error,
            _("Reading the plan…"),
        )

    def _arrived(self, generation: int, reading: Reading, note: str) -> None:
        if generation != self._plan_generation:
            return  # the person chose something else meanwhile
        if reading.account_id is not None and reading.account_id != self.account_id():
            self.account_combo.setCurrentIndex(self.account_combo.findData(reading.account_id))
        if reading.summaries is not None:
            with QSignalBlocker(self.period_combo):
                self.period_combo.clear()
                for summary in reading.summaries:
                    self.period_combo.addItem(summary.period, summary.id)
                if reading.plan is not None:
                    select_data(self.period_combo, reading.plan.id)
        if reading.plan is None:
            self._loaded = None
            self._show_empty()
            return
        if reading.team is not None and not self.editor.members.loaded:
            self.editor.set_members(reading.team)
        self._show(reading.plan, reading.reviews, reading.actuals)
        if note:
            self.status.setText(self.status.text() + "  ·  " + note)

    def _show_empty(self) -> None:
        """No plan to show: the plans list when no account is chosen, else how to start the account's first."""
        self._waiting_show = None  # a plan waiting for the team is not wanted any more
        account = self.account_id()
        if account is None:
            if not self.actions_button.isChecked():
                self.show_list()
            return
        self.empty.setText(
            _("This account has no plan yet. Press New plan… to start one for a period such as {p}.").format(
                p=f"FY{self.service.today().year + 1}"
            )
        )
        if not self.actions_button.isChecked():
            self.stack.setCurrentWidget(self.empty)
        self._enable()

    def show_list(self) -> None:
        """Every plan (the person's own first), in place of the plan on screen."""
        if self._editor_shown() and self._has_unsaved_edits():
            if not prompts.current().ask_yes_no(
                self, _("All plans"), _("Leave this plan? Your changes on screen are not saved.")
            ):
                return
        self.actions_button.setChecked(False)
        with QSignalBlocker(self.account_combo):
            self.account_combo.setCurrentIndex(-1)
        self._loaded = self._waiting_show = None
        self.stack.setCurrentWidget(self.plan_list)
        self.plan_list.refresh()
        self._enable()

    def _show(
        self,
        plan: AccountPlan,
        reviews: list[RelationshipReview],
        actuals: dict[tuple[int, int], int | None] | None = None,
    ) -> None:
        if not self.editor.members.loaded and self.background:
            # Asked before the team arrived (rare): shown once it is in (read again: the first may have failed).
            self._waiting_show = lambda: self._show(plan, reviews, actuals)
            read(self, True, self.workspace.team.members, self._team_for_editor, self.show_error, _("Account Plans"))
            return
        self._waiting_show = None
        if not self.editor.members.loaded:  # a page on its own: read it now, the choosers need it
            try:
                self.editor.set_members(self.workspace.team.members())
            except StorageError as exc:
                self.show_error(str(exc))
                return
        self._loaded = plan
        self.editor.load(plan, actuals)
        self.reviews.show_reviews(plan.id, reviews)
        if not self.actions_button.isChecked():
            self.stack.setCurrentWidget(self.editor)
        self.show_error("")
        self.status.setText(
            _("Last saved by {who} at {when}").format(who=plan.updated_by, when=formatting.date_time(plan.updated_at))
            if plan.updated_at
            else _("Not saved yet")
        )
        self._enable()

    def _enable(self) -> None:
        writable = not self.workspace.read_only
        saved = self._loaded is not None and self._loaded.id is not None
        self.new_button.setEnabled(writable and self.account_id() is not None)
        for button in (self.save_button, self.delete_button, self.sponsor_button):
            button.setEnabled(writable and self._loaded is not None)
        self.copy_button.setEnabled(writable and saved)
        self.print_button.setEnabled(saved)
        self.worksheet_button.setEnabled(self.account_id() is not None)

    def toggle_actions(self, on: bool) -> None:
        if on:
            self.my_actions.refresh()
            self.stack.setCurrentWidget(self.my_actions)
        elif self._loaded is not None:
            self.stack.setCurrentWidget(self.editor)
        else:
            self._show_empty()

    def _action_marked_done(self) -> None:
        self.changed.emit(self.WRITES)
        if self._loaded is not None and self._loaded.id is not None and not self._has_unsaved_edits():
            self.account_chosen(select_plan=self._loaded.id)  # the step may be in the plan on screen

    # Acting ----------------------------------------------------------------------------------
    def new_plan(self, period: str | None = None) -> bool:
        account = self.account_id()
        if account is None:
            return False
        if period is None:
            period = prompts.current().ask_text(
                self, _("New plan"), _("Period of the plan (e.g. FY2027):"), f"FY{self.service.today().year + 1}"
            )
        if not period or not period.strip():
            return False
        chosen = period
        return self._start(lambda: self.service.new(account, chosen), _("New plan"))

    def copy_plan(self, period: str | None = None) -> bool:
        if self._loaded is None or self._loaded.id is None:
            return False
        if period is None:
            period = prompts.current().ask_text(
                self,
                _("Copy to next period"),
                _("Period of the new plan; profiles, objectives and unfinished actions are copied:"),
                next_period(self._loaded.period),
            )
        if not period or not period.strip():
            return False
        plan_id, chosen = self._loaded.id, period
        return self._start(lambda: self.service.copy_forward(plan_id, chosen), _("Copy to next period"))

    def _start(self, work: Callable[[], AccountPlan], title: str) -> bool:
        """Show a plan not saved yet (a new one, or a copy) as the account's newest period."""
        if self._writing:
            return False  # a second press while the first waits on the file
        self._writing = True
        try:
            plan = Op(self, work, title).wait()
        except (PlanError, StorageError) as exc:
            self.show_error(str(exc))
            return False
        finally:
            self._writing = False
        self.period_combo.addItem(plan.period, None)
        self.period_combo.setCurrentIndex(self.period_combo.count() - 1)
        self._show(plan, [])
        self.editor.setCurrentIndex(0)
        return True

    def save(self) -> bool:
        if self._loaded is None or not self._editor_shown():
            return False
        plan_id = self._write(lambda plan: self.service.save(plan), _("Saving the plan…"), _("Plan not saved"))
        if plan_id is None:
            return False
        self.account_chosen(select_plan=plan_id, note=_("Saved."))
        self.plan_saved.emit(plan_id)
        return True

    def sponsor_reviewed(self) -> None:
        if self._loaded is None:
            return
        who = prompts.current().ask_text(
            self,
            _("Sponsor's review"),
            _("Reviewed by:"),
            self.editor.summary.sponsor_combo.currentText().strip("—") or self.workspace.user_name,
        )
        if not who:
            return
        plan_id = self._write(
            lambda plan: self.service.sponsor_review(plan, who), _("Sponsor's review"), _("Plan not saved")
        )
        if plan_id is not None:
            self.account_chosen(select_plan=plan_id)

    def _write(self, work: Callable[[AccountPlan], int], title: str, failed: str) -> int | None:
        """Write the plan as the form shows it; the plan's id, or None when it did not go through
        (the reason shown: a cell that cannot be read, a colleague's newer save, a busy file)."""
        if self._writing:
            return None  # a second press while the first write waits on the file
        self._writing = True
        try:
            plan = self.editor.value()
            plan_id = write(self, lambda: work(plan), title)
        except PlanError as exc:
            self.show_error(str(exc))
            return None
        except ConflictError as exc:
            self._on_conflict(exc)
            return None
        except StorageError as exc:
            prompts.current().warn(self, failed, str(exc))
            return None
        except Exception as exc:  # noqa: BLE001 - a defect: reported and logged, the form kept
            report(self, exc, failed)
            return None
        finally:
            self._writing = False
        self.changed.emit(self.WRITES)
        return plan_id

    def _on_conflict(self, exc: ConflictError) -> None:
        if prompts.current().ask_yes_no(
            self,
            _("Someone else changed this plan"),
            _(
                "{problem}\n\nLoad their version now? Your changes on screen will be lost. Choose No to keep "
                "your changes on screen (to copy them) without saving."
            ).format(problem=str(exc)),
        ):
            plan_id = self._loaded.id if self._loaded is not None else None
            self.account_chosen(select_plan=plan_id)

    def delete(self) -> None:
        plan = self._loaded
        if plan is None:
            return
        if plan.id is None:
            self.account_chosen()
            return
        if not prompts.current().ask_yes_no(
            self,
            _("Delete plan"),
            _(
                "Delete the {period} plan of {account}, with its objectives, actions and reviews? "
                "This cannot be undone."
            ).format(period=plan.period, account=plan.account_name),
        ):
            return
        plan_id, version = plan.id, plan.version
        try:
            write(self, lambda: self.service.delete(plan_id, version), _("Delete plan"))
        except ConflictError as exc:
            self._on_conflict(exc)
            return
        except StorageError as exc:
            prompts.current().warn(self, _("Plan not deleted"), str(exc))
            return
        self.changed.emit(self.WRITES)
        self._loaded = None
        self.account_chosen()

    def preview_pack(self) -> PdfPreviewDialog | None:
        """Write the pack of the saved plan and preview it (print or save from there)."""
        plan = self._loaded
        if plan is None or plan.id is None:
            return None
        plan_id = plan.id
        name = f"{plan.account_name} {plan.period}.pdf".replace("/", "-")
        from kamdesk.ui.dialogs.pdf_preview import preview_pdf  # loaded when first needed

        return preview_pdf(self, lambda path: self.service.print_pack(plan_id, path), _("Plan pack"), name)

    def preview_worksheet(self) -> PdfPreviewDialog | None:
        """A blank plan of the chosen account to fill in by hand: for the period after the plan on screen, or next
        year when the account has none."""
        account = self.account_id()
        if account is None:
            return None
        plan = self._loaded
        period = next_period(plan.period) if plan is not None else f"FY{self.service.today().year + 1}"
        name = f"{self.account_combo.currentText()} {period} {_('worksheet')}.pdf".replace("/", "-")
        from kamdesk.ui.dialogs.pdf_preview import preview_pdf  # loaded when first needed

        return preview_pdf(
            self, lambda path: self.service.print_empty_pack(account, period, path), _("Blank worksheet"), name
        )
