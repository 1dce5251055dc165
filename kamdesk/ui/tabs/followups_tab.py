"""The Follow-ups tab: the agenda by due date, why each item is there, and the person beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.accounts import personality_approach
from kamdesk.domain.enums import ActivityKind, PersonalityType
from kamdesk.domain.followups import AgendaItem, agenda_order, detail_text, reason_label
from kamdesk.domain.models import TeamMember
from kamdesk.gui_turns import pause_point
from kamdesk.i18n import N_, _
from kamdesk.services.followups import ContactContext
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import formatting, tasks
from kamdesk.ui.tabs.account_view.links import add_open_account
from kamdesk.ui.tabs.followups_actions import AgendaActions
from kamdesk.ui.widgets.record_list import fit_tree_columns
from kamdesk.ui.widgets.warm_items import PAUSE_EVERY, clear_tree, tree_item

ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE = QColor("#b00020")
AGENDA_LIMIT = 2_000  # the service's limit: a list longer than this is no agenda a person can read
HORIZONS = ((7, N_("This week")), (14, N_("Next two weeks")), (31, N_("Next 30 days")))


@dataclass(frozen=True)
class AgendaLine:
    """One agenda item as the list shows it: its group (overdue, today, week) and its columns' texts."""

    item: AgendaItem
    group: str
    texts: list[str]
    #: The list's row, made with the line: off the GUI thread, which only inserts it (2,000 rows, each with its
    #: ids, tooltips and colour, cost the GUI thread 30 ms alone and over 200 ms beside busy reads; issue 24).
    #: A row goes into one list once.
    row: QTreeWidgetItem = field(compare=False, repr=False)


def agenda_lines(items: list[AgendaItem], today: dt.date) -> list[AgendaLine]:
    """The agenda's lines, worded, with their rows (work with no widget: it runs off the GUI thread with the
    read; a row is no widget until a list holds it)."""
    lines = []
    # Worded once per distinct day, kind and reason: 2,000 items have a few dozen (each date worded by a new
    # QLocale took half of this function's 30 ms, which runs in a worker beside the GUI thread).
    locale = QLocale()
    days: dict[dt.date | None, str] = {}
    kinds: dict[str, str] = {}
    whys: dict[tuple[str, str], str] = {}
    for n, item in enumerate(items):
        if not n % PAUSE_EVERY:
            pause_point()
        group = "overdue" if item.due_on and item.due_on < today else ("today" if item.due_on == today else "week")
        due = days.get(item.due_on)
        if due is None:
            due = days[item.due_on] = formatting.date(item.due_on, locale)
        if item.start_time:
            due += " " + item.start_time.strftime("%H:%M")
        why = whys.get((item.reason, item.reason_detail))
        if why is None:
            why = reason_label(item.reason) + (f" — {detail_text(item.reason_detail)}" if item.reason_detail else "")
            whys[(item.reason, item.reason_detail)] = why
        kind = kinds.get(item.kind)
        if kind is None:
            kind = kinds[item.kind] = _kind_label(item.kind)
        texts = [due, kind, item.contact_name or item.subject, item.account_name, why]
        texts.append(item.member_name)
        lines.append(AgendaLine(item, group, texts, agenda_row(item, group, texts)))
    return lines


def agenda_row(item: AgendaItem, group: str, texts: list[str]) -> QTreeWidgetItem:
    row = tree_item(texts)
    row.setData(0, ID_ROLE, item.id)
    row.setData(1, ID_ROLE, item.contact_id)
    row.setData(3, ID_ROLE, item.account_id)
    row.setToolTip(2, item.subject or item.contact_name)
    row.setToolTip(3, item.account_name)  # a long company name may be cut short
    row.setToolTip(4, texts[4])
    if group == "overdue":
        row.setForeground(0, OVERDUE)
    return row


def _kind_label(kind: str) -> str:
    try:
        return ActivityKind(kind).label
    except ValueError:
        return kind


class FollowUpsTab(AgendaActions):
    """Agenda on the left, the selected person's context on the right, actions below."""

    tables = frozenset(
        {
            "activities",
            "cadence_rules",
            "contacts",
            "personal_dates",
            "family_members",
            "plan_actions",
            "gifts",
            "visits",
            "team_members",
        }
    )

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        """With `background`, the agenda is read off the GUI thread (the window on a large file)."""
        super().__init__(parent)
        self.workspace = workspace
        self.service = workspace.followups
        self.background = background
        self._generation = 0
        self._context_generation = 0
        #: In the window the team list is read with the first agenda, in one unit of work off the GUI thread.
        self._owners_filled = False
        #: The lines shown, in order, and whether they are only the first AGENDA_LIMIT of the agenda.
        self._lines: list[AgendaLine] = []
        self._cut = False
        self.owner_combo = QComboBox()
        self.horizon_combo = QComboBox()
        for days, label in HORIZONS:
            self.horizon_combo.addItem(_(label), days)
        self.count_label = QLabel()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(6)
        self.tree.setHeaderLabels([_("Due"), _("Kind"), _("Contact"), _("Account"), _("Why"), _("Our person")])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.context = QTextBrowser()
        self.context.setOpenExternalLinks(False)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.context)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.done_button = QPushButton(_("Done…"))
        self.reschedule_button = QPushButton(_("Reschedule…"))
        self.snooze_button = QPushButton(_("Snooze"))
        snooze_menu = QMenu(self.snooze_button)
        for days, label in ((1, _("Until tomorrow")), (3, _("For 3 days")), (7, _("For a week"))):
            snooze_menu.addAction(label).triggered.connect(lambda _checked=False, d=days: self.snooze(d))
        self.snooze_button.setMenu(snooze_menu)
        for button, slot in ((self.done_button, self.mark_done), (self.reschedule_button, self.reschedule)):
            button.clicked.connect(slot)
        self.plan_button = QPushButton(_("Plan…"))
        self.plan_button.clicked.connect(lambda: self.plan())
        self.call_notes_button = QPushButton(_("Call notes…"))
        self.call_notes_button.clicked.connect(self.call_notes)
        self.more_button = QPushButton(_("Plan for many…"))
        more = QMenu(self.more_button)
        more.addAction(_("Call back after an incoming call…"), self.call_back)
        more.addSeparator()
        more.addAction(_("Festival greetings…"), self.festival_greetings)
        more.addAction(_("Care greetings…"), self.care_greetings)
        more.addAction(_("Regional outreach…"), self.regional_outreach)
        more.addSeparator()
        more.addAction(_("Plan a year from the contact rules"), self.generate_from_rules)
        more.addAction(_("Contact rules…"), self.edit_rules)
        more.addAction(_("Greeting and care settings…"), self.edit_care_settings)
        self.more_button.setMenu(more)
        for button in (self.plan_button, self.more_button):
            button.setEnabled(not workspace.read_only)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Agenda of")))
        top.addWidget(self.owner_combo)
        top.addWidget(self.horizon_combo)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.plan_button)
        top.addWidget(self.more_button)
        actions = QHBoxLayout()
        for button in (self.done_button, self.reschedule_button, self.snooze_button, self.call_notes_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(actions)
        QShortcut(QKeySequence("Ctrl+D"), self).activated.connect(self.mark_done)
        if not background:
            self._fill_owners()
        self.owner_combo.currentIndexChanged.connect(self.refresh)
        self.horizon_combo.currentIndexChanged.connect(self.refresh)
        self.tree.currentItemChanged.connect(lambda *_args: self.show_context())
        add_open_account(self.tree, self._current_account, self.account_requested.emit)
        self.refresh()

    # Loading ---------------------------------------------------------------------------------
    def _fill_owners(self) -> None:
        try:
            members = self.workspace.team.members()
        except StorageError:
            members = []
        self._set_owners(members)

    def _set_owners(self, members: list[TeamMember]) -> None:
        self._owners_filled = True
        self.owner_combo.blockSignals(True)
        self.owner_combo.addItem(_("Everyone"), None)
        me = None
        for member in members:
            if member.active:
                self.owner_combo.addItem(member.name, member.id)
                if member.name == self.workspace.user_name:
                    me = member.id
        # The agenda opens on the person using kamdesk when the team list knows them.
        self.owner_combo.setCurrentIndex(max(self.owner_combo.findData(me), 0) if me is not None else 0)
        self.owner_combo.blockSignals(False)

    def refresh(self) -> None:
        owner, horizon = self.owner_combo.currentData(), int(self.horizon_combo.currentData())
        self._generation += 1
        generation = self._generation
        if self.background:
            if not self.tree.topLevelItemCount():
                self.count_label.setText(_("Reading the agenda…"))
            if not self._owners_filled:  # the first read: the team and my agenda at once
                tasks.run(
                    lambda: self._screen(horizon),
                    lambda screen: self._screen_landed(generation, screen),
                    lambda exc: self._failed(generation, exc),
                    owner=self,
                )
                return
            tasks.run(
                lambda: agenda_lines(self.service.agenda(owner, horizon), self.service.today()),
                lambda lines: self._show(generation, lines),
                lambda exc: self._failed(generation, exc),
                owner=self,
            )
            return
        try:
            items = self.service.agenda(owner, horizon)
        except StorageError as exc:
            self._failed(generation, exc)
            return
        self._show(generation, agenda_lines(items, self.service.today()))

    def _screen(self, horizon: int) -> tuple[list[TeamMember], list[AgendaLine]]:
        """The team and my agenda's lines (off the GUI thread)."""
        members, _me, items = self.service.agenda_screen(self.workspace.user_name, horizon)
        return members, agenda_lines(items, self.service.today())

    def _screen_landed(self, generation: int, screen: tuple[list[TeamMember], list[AgendaLine]]) -> None:
        if generation != self._generation or self._owners_filled:
            return
        members, lines = screen
        self._set_owners(members)
        self._show(generation, lines)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.count_label.setText(str(exc))

    def _show(self, generation: int, lines: list[AgendaLine]) -> None:
        if generation != self._generation:
            return  # a newer read is on its way
        self._lay_out(lines, len(lines) >= AGENDA_LIMIT)

    def refresh_about(self, activity_id: int) -> None:
        """After an action on one item (done, moved): only that item and the other items for the same person
        are read again, and merged into the list shown. The whole agenda read again cost the large demo 110 ms
        of a worker's CPU and 2,000 new rows, beside the GUI thread (issue 24). The list goes on at the item
        after it when the item has left."""
        index = next((n for n, line in enumerate(self._lines) if line.item.id == activity_id), None)
        if index is None:
            self.refresh()
            return
        contact = self._lines[index].item.contact_id
        nearby = [line.item.id for line in self._lines[index + 1 :]] + [
            line.item.id for line in reversed(self._lines[:index])
        ]
        owner, horizon = self.owner_combo.currentData(), int(self.horizon_combo.currentData())
        self._generation += 1
        generation = self._generation
        service = self.service

        def read() -> list[AgendaLine]:
            return agenda_lines(service.agenda_about(owner, horizon, activity_id, contact), service.today())

        def landed(fresh: list[AgendaLine]) -> None:
            self._merge(generation, activity_id, contact, fresh, [activity_id, *nearby])

        if self.background:
            tasks.run(read, landed, lambda exc: self._failed(generation, exc), owner=self)
            return
        try:
            landed(read())
        except StorageError as exc:
            self._failed(generation, exc)

    def _merge(
        self, generation: int, activity_id: int, contact: int | None, fresh: list[AgendaLine], wanted: list[int]
    ) -> None:
        """The list shown with the item's and its person's lines replaced by `fresh` (their lines now); the
        first of `wanted` still there is selected."""
        if generation != self._generation:
            return

        def replaced(line: AgendaLine) -> bool:
            return line.item.id == activity_id or (contact is not None and line.item.contact_id == contact)

        if self._cut and self._lines:  # only the first items are shown: nothing after the last of them comes in
            last = agenda_order(self._lines[-1].item)
            fresh = [line for line in fresh if agenda_order(line.item) <= last]
        lines = sorted(
            [line for line in self._lines if not replaced(line)] + fresh, key=lambda line: agenda_order(line.item)
        )
        present = {line.item.id for line in lines}
        self._select_next = next((item_id for item_id in wanted if item_id in present), None)
        # Columns are fitted again only for new rows: fitting 2,000 rows took 10 of the 17 ms this took.
        self._lay_out(lines, self._cut, reuse=True, fit=bool(fresh))

    def _lay_out(self, lines: list[AgendaLine], cut: bool, reuse: bool = False, fit: bool = True) -> None:
        """Show `lines` (the first AGENDA_LIMIT items when `cut`). With `reuse`, rows of the list shown that
        are among `lines` are moved, not made again; `fit` sizes the columns to the rows."""
        selected = self._select_next if self._select_next is not None else self.current_id()
        self._select_next = None
        # The old rows are freed over the next turns of the event loop.
        clear_tree(self.tree, keep=[line.row for line in lines] if reuse else ())
        self._lines, self._cut = lines, cut
        groups = {
            key: tree_item([label])
            for key, label in (("overdue", _("Overdue")), ("today", _("Today")), ("week", _("Coming up")))
        }
        for group in groups.values():
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        for key, group in groups.items():
            group.addChildren([line.row for line in lines if line.group == key])
        for key in ("overdue", "today", "week"):
            if groups[key].childCount():
                groups[key].setText(0, f"{groups[key].text(0)} ({groups[key].childCount()})")
                self.tree.addTopLevelItem(groups[key])
                groups[key].setExpanded(True)
        if fit:
            fit_tree_columns(self.tree, 5)
        self.count_label.setText(
            _("the first {count} items; choose one person or a shorter span").format(count=len(lines))
            if cut
            else _("{count} items").format(count=len(lines))
        )
        self.empty_label.setText(
            ""
            if lines
            else _(
                "Nothing due. Plan a call with Plan… above or Plan a call… on a contact's card, or let the rules "
                "plan regular contact and care greetings with Plan for many → Plan a year from the contact rules."
            )
        )
        self.empty_label.setVisible(not lines)
        if selected is not None:
            self.select(selected)
        self.show_context()

    def _current_account(self) -> int | None:
        item = self.tree.currentItem()
        value = item.data(3, ID_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def current_id(self) -> int | None:
        item = self.tree.currentItem()
        value = item.data(0, ID_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def select(self, activity_id: int) -> bool:
        for _group, child in self._items():
            if child.data(0, ID_ROLE) == activity_id:
                self.tree.setCurrentItem(child)
                return True
        return False

    def _items(self) -> list[tuple[QTreeWidgetItem, QTreeWidgetItem]]:
        """(group, item) for every item of the agenda, in order."""
        found = []
        for top in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(top)
            for index in range(group.childCount() if group is not None else 0):
                child = group.child(index) if group is not None else None
                if group is not None and child is not None:
                    found.append((group, child))
        return found

    def rows(self) -> list[tuple[str, ...]]:
        """The agenda as shown: (group, due, kind, contact, account, why, person) per item."""
        return [(group.text(0), *(child.text(c) for c in range(6))) for group, child in self._items()]

    # The context panel -----------------------------------------------------------------------
    def show_context(self) -> None:
        item = self.tree.currentItem()
        contact_id = item.data(1, ID_ROLE) if item is not None else None
        self._context_generation += 1
        if item is None or contact_id is None:
            self.context.setHtml(f"<p>{escape(_('Select an item to see the person behind it.'))}</p>")
            return
        name = item.text(2)
        if self.background:  # the person's card, history and gifts are read off the GUI thread
            generation = self._context_generation
            tasks.run(
                lambda: self.service.context(int(contact_id)),
                lambda ctx: self._context_landed(generation, name, ctx),
                lambda exc: self._context_landed(generation, name, exc),
                owner=self,
            )
            return
        try:
            ctx = self.service.context(int(contact_id))
        except StorageError as exc:
            self.context.setPlainText(str(exc))
            return
        self._show_context(name, ctx)

    def _context_landed(self, generation: int, name: str, ctx: ContactContext | Exception) -> None:
        if generation != self._context_generation:
            return  # another item was selected meanwhile
        if isinstance(ctx, Exception):
            self.context.setPlainText(str(ctx))
        else:
            self._show_context(name, ctx)

    def _show_context(self, name: str, ctx: ContactContext) -> None:
        parts = [f"<h3>{escape(name)}</h3>"]
        if ctx.personality_type:
            try:
                kind = PersonalityType(ctx.personality_type)
                parts.append(f"<p><b>{escape(kind.label)}</b>: {escape(personality_approach(kind))}</p>")
            except ValueError:
                pass
        if ctx.upcoming:
            parts.append(f"<h4>{escape(_('Coming personal dates'))}</h4><ul>")
            for date in ctx.upcoming:
                note = f"<br><i>{escape(date.note)}</i>" if date.note else ""
                parts.append(f"<li>{escape(formatting.date(date.date))} — {escape(date.label)}{note}</li>")
            parts.append("</ul>")
        parts.append(f"<h4>{escape(_('Last touches'))}</h4>")
        if ctx.touches:
            parts.append(
                "<ul>"
                + "".join(
                    f"<li>{escape(formatting.date(t.occurred_at.date() if t.occurred_at else t.due_on))} "
                    f"{escape(_kind_label(t.kind))} — {escape(t.subject)}"
                    f" ({escape(t.member_name)})</li>"
                    for t in ctx.touches
                )
                + "</ul>"
            )
        else:
            parts.append(f"<p>{escape(_('No contact recorded yet.'))}</p>")
        if ctx.plan_actions:
            parts.append(f"<h4>{escape(_('Open plan actions at this account'))}</h4><ul>")
            for step in ctx.plan_actions:
                when = escape(formatting.date(step.deadline)) if step.deadline else "—"
                late = f" <b style='color:{OVERDUE.name()}'>{escape(_('overdue'))}</b>" if step.overdue else ""
                parts.append(f"<li>{when} {escape(step.task)} ({escape(step.period)}){late}</li>")
            parts.append("</ul>")
        for title, text in (
            (_("Notes"), ctx.notes),
            (_("Likes (food, drink, gifts)"), ctx.preferences),
            (_("Avoid (taboos)"), ctx.taboos),
        ):
            if text.strip():
                parts.append(f"<h4>{escape(title)}</h4><p>{escape(text)}</p>")
        if ctx.family:
            parts.append(f"<h4>{escape(_('Family'))}</h4><p>{escape('、'.join(ctx.family))}</p>")
        if ctx.gifts:
            parts.append(
                f"<h4>{escape(_('Gifts and hospitality'))}</h4><ul>"
                + "".join(
                    f"<li>{escape(formatting.date(d))} {escape(item_name)}"
                    f"{(' — ' + escape(occasion)) if occasion else ''} ({escape(formatting.money(value))})</li>"
                    for d, item_name, occasion, value in ctx.gifts
                )
                + "</ul>"
            )
        self.context.setHtml("".join(parts))

    def context_text(self) -> str:
        return self.context.toPlainText()
