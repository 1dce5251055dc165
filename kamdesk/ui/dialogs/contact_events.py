"""The contact card's sensitive events (illness, bereavement): while one lasts, business and routine greetings
for the person pause and one caring contact is proposed instead. Saved at once, each with its own version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.followups import SENSITIVE_KINDS, ContactEvent
from kamdesk.i18n import _
from kamdesk.services.followups import FollowUpService
from kamdesk.services.workspace import StorageError
from kamdesk.ui import prompts
from kamdesk.ui.dialogs.followup_dialogs import ERROR_STYLE, attempt
from kamdesk.ui.ops import Op
from kamdesk.ui.tabs.gifts.common import picked_date, qdate

SUGGEST_STYLE = "background: #fff4e5; color: #8a4b00; padding: 6px"


class EventDialog(QDialog):
    """Add or change one sensitive event."""

    def __init__(self, service: FollowUpService, event: ContactEvent, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sensitive event") if event.id is None else _("Change sensitive event"))
        self.service = service
        self.original = event
        self.kind = QComboBox()
        for key, label in SENSITIVE_KINDS.items():
            self.kind.addItem(_(label), key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(event.kind)))
        self.starts = QDateEdit(qdate(event.starts_on))
        self.has_end = QCheckBox(_("until"))
        self.ends = QDateEdit(qdate(event.ends_on or event.starts_on + dt.timedelta(days=30)))
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.has_end.setChecked(event.ends_on is not None)
        self.ends.setEnabled(event.ends_on is not None)
        self.has_end.toggled.connect(self.ends.setEnabled)
        self.note = QPlainTextEdit(event.note)
        self.note.setMaximumHeight(80)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        until = QHBoxLayout()
        until.addWidget(self.has_end)
        until.addWidget(self.ends)
        until.addStretch(1)
        form = QFormLayout()
        form.addRow(_("What"), self.kind)
        form.addRow(_("From"), self.starts)
        form.addRow(_("Ends"), until)
        form.addRow(_("Note"), self.note)
        hint = QLabel(_("Leave the end open when it is not known; end it from the card when life is back to normal."))
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def value(self) -> ContactEvent:
        return replace(
            self.original,
            kind=str(self.kind.currentData()),
            starts_on=picked_date(self.starts),
            ends_on=picked_date(self.ends) if self.has_end.isChecked() else None,
            note=self.note.toPlainText().strip(),
        )

    def accept(self) -> None:
        event = self.value()
        if attempt(self, self.error, _("Not saved"), lambda: self.service.save_event(event)) is not None:
            super().accept()


class SensitiveEventsPage(QWidget):
    """The list of a contact's sensitive events, with add, change, end and delete, and a suggestion from the notes."""

    def __init__(
        self,
        service: FollowUpService,
        contact_id: int | None,
        notes: Callable[[], str] = str,
        read_only: bool = False,
        parent: QWidget | None = None,
        events: list[ContactEvent] | None = None,
    ) -> None:
        """`events`: the contact's events, already read (read here when not given)."""
        super().__init__(parent)
        self.service = service
        self.contact_id = contact_id
        self.notes = notes
        self.events: list[ContactEvent] = []
        self._read_events = events
        #: Counts the reads started: an answer that is not the last one asked for is dropped.
        self._generation = 0
        intro = QLabel(
            _(
                "Illness, a bereavement or another hard time: while it lasts, business calls and routine greetings "
                "for this person pause, and the care plan proposes one caring contact with no business in it. "
                "Saved at once."
            )
        )
        intro.setWordWrap(True)
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.suggestion.setStyleSheet(SUGGEST_STYLE)
        self.suggest_button = QPushButton(_("Record it…"))
        self.suggest_button.clicked.connect(self.record_suggestion)
        suggest_row = QHBoxLayout()
        suggest_row.addWidget(self.suggestion, 1)
        suggest_row.addWidget(self.suggest_button)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("What"), _("From"), _("Until"), _("Status"), _("Note")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.buttons: list[QPushButton] = []
        row = QHBoxLayout()
        for text, slot in (
            (_("Add…"), self.add),
            (_("Change…"), self.edit),
            (_("End today"), self.end_today),
            (_("Delete"), self.delete),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setEnabled(not read_only and contact_id is not None)
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(suggest_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.read_only = read_only
        if contact_id is None:
            self.table.setEnabled(False)
            intro.setText(intro.text() + " " + _("Save the new contact first."))
        self.refresh()

    def refresh(self) -> None:
        """Show the contact's events: those read with the card the first time, afterwards read off the GUI
        thread (the table fills when they land)."""
        self._generation += 1
        if self._read_events is not None or self.contact_id is None:  # read with the card: nothing to read
            events, self._read_events = self._read_events or [], None
            self._show(events)
            return
        generation, contact_id, service = self._generation, self.contact_id, self.service

        def landed(events: list[ContactEvent]) -> None:
            if generation == self._generation:
                self._show(events)

        Op(self, lambda: service.events(contact_id), _("Sensitive events")).success(landed).run()

    def _show(self, events: list[ContactEvent]) -> None:
        today = self.service.today()
        self.events = events
        self.table.setRowCount(0)
        for event in self.events:
            row = self.table.rowCount()
            self.table.insertRow(row)
            state = _("active") if event.active_on(today) else (_("ended") if event.ends_on else _("not started"))
            values = (
                event.kind_label,
                event.starts_on.isoformat(),
                event.ends_on.isoformat() if event.ends_on else _("open"),
                state,
                event.note,
            )
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.show_suggestion()

    def show_suggestion(self) -> None:
        found = self.service.suggest_event(self.notes())
        recorded = any(e.active_on(self.service.today()) or e.ends_on is None for e in self.events)
        visible = found is not None and not recorded and self.contact_id is not None and not self.read_only
        self.suggestion.setVisible(visible)
        self.suggest_button.setVisible(visible)
        if found is not None and visible:
            label = _(SENSITIVE_KINDS[found.kind])
            self.suggestion.setText(
                _("The notes say “{phrase}”. Record it as a sensitive event ({kind})?").format(
                    phrase=found.phrase, kind=label
                )
            )

    def _current(self) -> ContactEvent | None:
        row = self.table.currentRow()
        return self.events[row] if 0 <= row < len(self.events) else None

    def _open(self, event: ContactEvent) -> None:
        if prompts.current().show_modal(EventDialog(self.service, event, self)):
            self.refresh()

    def add(self, kind: str = "illness", note: str = "") -> None:
        if self.contact_id is not None:
            self._open(ContactEvent(None, self.contact_id, kind, self.service.today(), None, note))

    def record_suggestion(self) -> None:
        found = self.service.suggest_event(self.notes())
        if found is not None:
            self.add(found.kind, found.phrase)

    def edit(self) -> None:
        event = self._current()
        if event is not None and not self.read_only:
            self._open(event)

    def end_today(self) -> None:
        event = self._current()
        if event is not None and not self.read_only:
            self._run(lambda: self.service.end_event(event))

    def delete(self) -> None:
        event = self._current()
        if event is None or self.read_only:
            return
        if prompts.current().ask_yes_no(self, _("Delete"), _("Delete this sensitive event?")):
            self._run(lambda: self.service.delete_event(event))

    def _run(self, work: Callable[[], object]) -> None:
        """The change and the events as they are then, off the GUI thread (a busy window if it takes a while)."""
        contact_id, service = self.contact_id, self.service
        assert contact_id is not None

        def change() -> list[ContactEvent]:
            work()
            return service.events(contact_id)

        try:
            events = Op(self, change, _("Not saved")).wait()
        except (ValueError, StorageError) as exc:
            prompts.current().warn(self, _("Not saved"), str(exc))
            self.refresh()
            return
        self._generation += 1  # a read still on its way is older than this
        self._show(events)


def events_page(dialog: Any) -> SensitiveEventsPage:
    """The page for a contact dialog (it has `service` with a database, `detail`, `notes_edit`, `read_only`)."""
    service = FollowUpService(dialog.service.db)
    data = getattr(dialog, "data", None)
    page = SensitiveEventsPage(
        service,
        dialog.detail.id,
        dialog.notes_edit.toPlainText,
        dialog.read_only,
        events=data.events if data is not None else None,
    )
    dialog.notes_edit.textChanged.connect(page.show_suggestion)  # the card's notes are filled after it is built
    return page
