"""The register page: everything given or received in a year, with its totals, schedule and labels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.gifts import GiftError, RegisterEntry
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import formatting, prompts
from kamdesk.ui.dialogs.editor_data import open_editor
from kamdesk.ui.ops import Op
from kamdesk.ui.tabs.account_view.links import add_open_account
from kamdesk.ui.tabs.gifts.common import WRITES
from kamdesk.ui.tabs.gifts.dialogs.entry_dialog import EntryDialog
from kamdesk.ui.tabs.gifts.dialogs.record_data import RecordData, read_record
from kamdesk.ui.tabs.gifts.exports import export_xlsx
from kamdesk.ui.tabs.gifts.models.register_model import RegisterModel
from kamdesk.ui.widgets.record_list import ColumnFitter

if TYPE_CHECKING:
    from kamdesk.ui.dialogs.pdf_preview import PdfPreviewDialog

REGISTER_LIMIT = 5_000  # rows in the register view; a search narrows a busier year

#: What one read of the register brings: its entries, (count, given) for the year, the top three people.
RegisterRead = tuple[list[RegisterEntry], tuple[int, int], list[tuple[str, int, int]]]


class RegisterPage(QWidget):
    """A year of the register, searchable; record, edit and delete entries; print and export the year."""

    #: An entry was recorded, edited or deleted here (the tables written).
    changed = Signal(object)
    account_requested = Signal(int)

    def __init__(self, workspace: Workspace, background: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.service = workspace.gifts
        #: Read the register off the GUI thread (the window does: a busy year takes ~0.15 s).
        self.background = background
        self._generation = 0
        self._writing = False  # a delete or a mark on its way
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.service.today().year)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Find by item, person, company or occasion"))
        self.model = RegisterModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        ColumnFitter(self.table, "gift_register")  # the rest fit their titles and entries
        self.table.doubleClicked.connect(lambda _i: self.edit_entry())
        add_open_account(self.table, self._current_account, self.account_requested.emit)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.add_button = QPushButton(_("Record…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete…"))
        self.declined_button = QPushButton(_("Mark declined"))
        self.returned_button = QPushButton(_("Mark returned"))
        for button, status in ((self.declined_button, "declined"), (self.returned_button, "returned")):
            button.setToolTip(
                _(
                    "The gift was not accepted: it no longer counts towards the person's year, and the planners never propose it to them again."
                )
            )
            button.clicked.connect(lambda _c=False, s=status: self.mark(s))
        self.schedule_button = QPushButton(_("Gift schedule…"))
        self.pick_button = QPushButton(_("Pick list…"))
        self.pick_button.setToolTip(
            _("What to buy for the planned gifts: each item, how many, from which supplier, by order-by date.")
        )
        self.labels_button = QPushButton(_("Mailing labels…"))
        self.xlsx_button = QPushButton(_("Export schedule (XLSX)…"))
        self.add_button.clicked.connect(lambda: self.add_entry())
        self.edit_button.clicked.connect(lambda: self.edit_entry())
        self.delete_button.clicked.connect(lambda: self.delete_entry())
        self.schedule_button.clicked.connect(lambda: self.print_gift_schedule())
        self.pick_button.clicked.connect(lambda: self.print_pick_list())
        self.labels_button.clicked.connect(lambda: self.print_labels())
        self.xlsx_button.clicked.connect(lambda: self.export_xlsx())
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.search.textChanged.connect(lambda _t: self.refresh())
        #: The buttons that write to the file (off on a read-only file).
        self.writers = (
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.declined_button,
            self.returned_button,
        )
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Year")))
        top.addWidget(self.year)
        top.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        for b in self.writers:
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.schedule_button, self.pick_button, self.labels_button, self.xlsx_button):
            buttons.addWidget(b)
        note = QLabel(
            _("Everything given or received is on record, with who approved what went beyond the team's limits.")
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        year, search = self.year.value(), self.search.text()

        def read() -> RegisterRead:
            return (
                self.service.register(year, search=search, limit=REGISTER_LIMIT + 1),
                self.service.year_summary(year),
                self.service.totals(year, "contact")[:3],
            )

        self._generation += 1
        generation = self._generation
        if self.background:
            Op(self, read, _("Gifts & Visits")).success(lambda result: self._show(generation, result)).run()
        else:
            self._show(generation, read())

    def _show(self, generation: int, result: RegisterRead) -> None:
        if generation != self._generation:
            return  # a newer read is on its way
        entries, (count, given), top = result
        self.model.set_entries(entries[:REGISTER_LIMIT])
        more = (
            (
                " "
                + _("Showing the latest {shown:,}; type in the search box to narrow the list.").format(
                    shown=REGISTER_LIMIT
                )
            )
            if len(entries) > REGISTER_LIMIT
            else ""
        )
        self.totals.setText(
            (
                _("{count} entries; given this year: {total}.").format(count=count, total=formatting.money(given))
                + more
                + (
                    " "
                    + _("Most given to: {people}").format(
                        people="; ".join(f"{name} {formatting.money(value)}" for name, _n, value in top)
                    )
                    if top
                    else ""
                )
            )
            if entries
            else _("Nothing recorded for {year} yet. Record a gift, meal, entertainment or trip with Record….").format(
                year=self.year.value()
            )
        )

    def make_entry_dialog(self, entry: RegisterEntry | None, data: RecordData | None = None) -> EntryDialog:
        return EntryDialog(self.workspace, entry, self, data)

    def _saved(self) -> None:
        self.refresh()
        self.changed.emit(WRITES)

    def add_entry(self) -> bool:
        """Open the dialog for a new entry once what it offers is read (off the GUI thread); False when
        an opening is already on its way."""
        return self._open_entry(None)

    def _open_entry(self, entry_id: int | None) -> bool:
        def show(data: RecordData) -> None:
            if entry_id is not None and data.entry is None:
                return  # deleted meanwhile: the list shows it at its next refresh
            if self.make_entry_dialog(data.entry, data).exec():
                self._saved()

        return open_editor(
            self,
            f"entry:{entry_id}",
            lambda: read_record(self.workspace, entry_id=entry_id),
            show,
            _("Register entry"),
        )

    def _current_account(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.entries[index.row()].account_id if index.isValid() else None

    def selected_entry(self) -> tuple[int, int] | None:
        """(id, version) of the entry chosen in the list, if any."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        entry = self.model.entries[index.row()]
        return (entry.id, entry.version) if entry.id is not None else None

    def edit_entry(self) -> bool:
        found = self.selected_entry()
        return found is not None and self._open_entry(found[0])

    def delete_entry(self) -> bool:
        found = self.selected_entry()
        if found is None:
            return False
        if not prompts.current().ask_yes_no(
            self,
            _("Delete entry"),
            _("Delete this register entry? The register is the team's record; delete only a mistake."),
        ):
            return False
        return self._write(lambda: self.service.delete(*found), _("Not deleted"))

    def mark(self, status: str) -> bool:
        """Mark the chosen entry declined or returned (or back to done)."""
        found = self.selected_entry()
        if found is None:
            return False
        return self._write(lambda: self.service.set_status(found[0], found[1], status), _("Not saved"))

    def _write(self, work: Callable[[], None], not_saved: str) -> bool:
        """Run a delete or a mark off the GUI thread (behind a busy window if slow); a press while one is on
        its way is ignored. Whether it went through."""
        if self._writing:
            return False
        self._writing = True
        try:
            Op(self, work, not_saved).wait()
        except (GiftError, StorageError) as exc:
            prompts.current().warn(self, not_saved, str(exc))
            self.refresh()
            return False
        finally:
            self._writing = False
        self._saved()
        return True

    def _year_range(self) -> tuple[dt.date, dt.date]:
        year = self.year.value()
        return dt.date(year, 1, 1), dt.date(year, 12, 31)

    def print_gift_schedule(self) -> PdfPreviewDialog | None:
        """The year's gift schedule, written with progress page by page (Stop leaves nothing), then previewed."""
        from kamdesk.ui.dialogs.pdf_preview import preview_long_pdf  # QtPdf loads on first print

        start, end = self._year_range()
        return preview_long_pdf(
            self,
            lambda p, progress: self.service.print_gift_schedule(start, end, p, progress=progress),
            _("Gift schedule"),
            f"gift-schedule-{start.year}.pdf",
        )

    def print_pick_list(self) -> PdfPreviewDialog | None:
        """What to buy for the year's planned gifts: item × quantity × supplier by order-by date."""
        from kamdesk.ui.dialogs.pdf_preview import preview_long_pdf  # QtPdf loads on first print

        start, end = self._year_range()
        return preview_long_pdf(
            self,
            lambda p, progress: self.service.print_pick_list(start, end, p, progress=progress),
            _("Pick list"),
            f"pick-list-{start.year}.pdf",
        )

    def print_labels(self) -> PdfPreviewDialog | None:
        from kamdesk.ui.dialogs.pdf_preview import preview_long_pdf  # QtPdf loads on first print

        start, end = self._year_range()
        return preview_long_pdf(
            self,
            lambda p, progress: self.service.print_labels(start, end, p, progress=progress),
            _("Mailing labels"),
            f"labels-{start.year}.pdf",
        )

    def export_xlsx(self) -> str | None:
        start, end = self._year_range()
        return export_xlsx(
            self, lambda t: self.service.export_gift_schedule_xlsx(start, end, t), f"gift-schedule-{start.year}.xlsx"
        )
