"""View → Audit trail: who changed what and when, filtered by person, table, record and days."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSignalBlocker, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.changes import AuditFilter, ChangeEntry
from kamdesk.i18n import _
from kamdesk.ui import formatting
from kamdesk.ui.errors import expected, report
from kamdesk.ui.ops import Op

if TYPE_CHECKING:
    from kamdesk.services.changes import AuditService


def _action_text(action: str) -> str:
    return {
        "insert": _("added"),
        "update": _("changed"),
        "delete": _("deleted"),
        "break": _("lock broken"),
        "clear": _("session cleared"),
    }.get(action, action)


def _changes_text(entry: ChangeEntry) -> str:
    parts = []
    for name, value in sorted(entry.changes.items()):
        if entry.action == "update" and isinstance(value, list) and len(value) == 2:
            parts.append(f"{name}: {value[0]!s} → {value[1]!s}")
        else:
            parts.append(f"{name}: {json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value}")
    return "; ".join(parts)


#: A filter changed this long ago without another change is read (a date typed digit by digit is read once).
SETTLE_MS = 250


class AuditDialog(QDialog):
    """The change log, newest first (at most AuditFilter.limit rows), read again whenever a filter changes.

    Everything is read off the GUI thread (issue 24: on a file server each read on it freezes the window):
    the people and tables offered with the first entries when the dialog opens, the entries again once a
    filter has settled; an answer for a filter since changed is dropped. `reading` says a read is on its way.
    """

    def __init__(self, audit: AuditService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Audit trail"))
        self.audit = audit
        self.entries: list[ChangeEntry] = []
        self.reading = False
        self._generation = 0  # the newest read asked for; an older one landing later is dropped
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._read)
        self._offered = False  # the people and tables to filter by are in the choosers
        self.person = QComboBox()
        self.person.addItem(_("Everyone"), "")
        self.table_name = QComboBox()
        self.table_name.addItem(_("All records"), "")
        self.row_id = QLineEdit()
        self.row_id.setPlaceholderText(_("record id"))
        self.use_dates = QCheckBox(_("From"))
        day = audit.today()
        today = QDate(day.year, day.month, day.day)
        self.since = QDateEdit(today.addDays(-30))
        self.until = QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        filters = QHBoxLayout()
        for widget in (
            QLabel(_("Person")),
            self.person,
            QLabel(_("Table")),
            self.table_name,
            self.row_id,
            self.use_dates,
            self.since,
            QLabel(_("to")),
            self.until,
        ):
            filters.addWidget(widget)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([_("When"), _("Who"), _("Computer"), _("Record"), _("What"), _("Fields")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count_label = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)
        self.person.currentIndexChanged.connect(lambda _i: self.reload())
        self.table_name.currentIndexChanged.connect(lambda _i: self.reload())
        self.row_id.editingFinished.connect(self.reload)
        self.use_dates.toggled.connect(lambda _on: self.reload())
        self.since.dateChanged.connect(lambda _d: self.reload())
        self.until.dateChanged.connect(lambda _d: self.reload())
        self.resize(980, 520)
        self._read()

    def current_filter(self) -> AuditFilter:
        since = until = None
        if self.use_dates.isChecked():
            since = dt.date.fromisoformat(self.since.date().toString("yyyy-MM-dd"))
            until = dt.date.fromisoformat(self.until.date().toString("yyyy-MM-dd"))
        return AuditFilter(
            person=str(self.person.currentData() or ""),
            table_name=str(self.table_name.currentData() or ""),
            row_id=self.row_id.text().strip(),
            since=since,
            until=until,
        )

    def reload(self) -> None:
        """Read the entries again once the filters have settled (off the GUI thread)."""
        self.reading = True
        self._settle.start()

    def _read(self) -> None:
        """Read the entries the filters ask for (with the people and tables to offer, until they are in) as
        one unit of work in the thread pool; the table is filled when they land."""
        self._settle.stop()
        choices = not self._offered
        self._generation += 1
        generation = self._generation
        wanted = self.current_filter()
        audit = self.audit
        self.reading = True
        self.count_label.setText(_("Reading the audit trail…"))

        def work() -> tuple[tuple[list[str], list[str]] | None, list[ChangeEntry]]:
            with audit.db.read_together():
                offered = (audit.people(), audit.tables()) if choices else None
                return offered, audit.entries(wanted)

        def failed(exc: Exception) -> None:
            if generation != self._generation:
                return
            self.reading = False
            if not expected(exc):
                report(self, exc, _("Audit trail"))
            self.count_label.setText(str(exc))

        Op(self, work, _("Audit trail")).success(lambda found: self._landed(generation, wanted, *found)).failure(
            failed
        ).run()

    def _landed(
        self,
        generation: int,
        wanted: AuditFilter,
        offered: tuple[list[str], list[str]] | None,
        entries: list[ChangeEntry],
    ) -> None:
        if generation != self._generation:
            return  # a filter changed meanwhile: its own read is on its way
        self.reading = False
        if offered is not None:
            self._offered = True
            for combo, names in zip((self.person, self.table_name), offered, strict=True):
                with QSignalBlocker(combo):
                    for name in names:
                        combo.addItem(name, name)
        self._show(wanted, entries)

    def _show(self, wanted: AuditFilter, entries: list[ChangeEntry]) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            values = (
                formatting.date_time(entry.at),
                entry.by,
                entry.host,
                f"{entry.table_name} #{entry.row_id}",
                _action_text(entry.action),
                _changes_text(entry),
            )
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if len(entries) >= wanted.limit:
            self.count_label.setText(
                _("The newest {count} changes; narrow the filter to see older ones.").format(count=len(entries))
            )
        else:
            self.count_label.setText(_("{count} changes").format(count=len(entries)))
