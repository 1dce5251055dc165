"""The visits page: visits, meals, entertainment and trips between two dates, their schedule and export."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kamdesk.domain.gifts import VISIT_KINDS, Visit
from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui import formatting, tasks
from kamdesk.ui.dialogs.editor_data import open_editor
from kamdesk.ui.tabs.gifts.common import (
    ID_ROLE,
    WRITES,
    date_edit,
    item,
    picked_date,
    status_label,
    table,
)
from kamdesk.ui.tabs.gifts.dialogs.record_data import RecordData, read_record
from kamdesk.ui.tabs.gifts.dialogs.visit_dialog import VisitDialog
from kamdesk.ui.tabs.gifts.exports import export_xlsx

if TYPE_CHECKING:
    from kamdesk.ui.dialogs.pdf_preview import PdfPreviewDialog


class VisitsPage(QWidget):
    """Four weeks of visits from today by default; plan or edit one, print or export the schedule."""

    #: A visit was planned or edited here (the tables written).
    changed = Signal(object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.service = workspace.gifts
        today = self.service.today()
        self.date_from = date_edit(today)
        self.date_to = date_edit(today + dt.timedelta(days=27))
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.table = table(
            [
                _("When"),
                _("Kind"),
                _("Account"),
                _("Key person"),
                _("Our person"),
                _("Purpose"),
                _("Budget"),
                _("Status"),
            ],
            5,
        )
        self.table.doubleClicked.connect(lambda _i: self.edit_visit())
        self.empty = QLabel()
        self.new_button = QPushButton(_("Plan a visit…"))
        self.new_button.clicked.connect(lambda: self.new_visit())
        self.schedule_button = QPushButton(_("Visit schedule…"))
        self.schedule_button.clicked.connect(lambda: self.print_schedule())
        self.xlsx_button = QPushButton(_("Export schedule (XLSX)…"))
        self.xlsx_button.clicked.connect(lambda: self.export_xlsx())
        self.writers = (self.new_button,)
        top = QHBoxLayout()
        for w in (QLabel(_("From")), self.date_from, QLabel(_("to")), self.date_to):
            top.addWidget(w)
        top.addStretch(1)
        for b in (self.new_button, self.schedule_button, self.xlsx_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def _range(self) -> tuple[dt.date, dt.date]:
        return picked_date(self.date_from), picked_date(self.date_to)

    #: Set by the window's Gifts tab: the page reads off the GUI thread.
    background = False

    def refresh(self) -> None:
        start, end = self._range()
        if self.background:
            tasks.run(
                lambda: self.service.visits(start, end),
                self._fill,
                lambda exc: self.empty.setText(str(exc)),
                owner=self,
            )
            return
        self._fill(self.service.visits(start, end))

    def _fill(self, found: list[Visit]) -> None:
        self.table.setRowCount(len(found))
        kinds = dict(VISIT_KINDS)
        for row, v in enumerate(found):
            cells = [
                formatting.wall_time(v.starts_at),
                _(kinds.get(v.kind, v.kind)),
                v.account_name,
                v.contact_name,
                v.member_name,
                v.purpose,
                formatting.money(v.budget_cents),
                status_label(v.status),
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, item(text, v.id if column == 0 else None, number=column == 6))
        self.empty.setText("" if found else _("No visits between these dates. Plan one with Plan a visit…."))

    def make_visit_dialog(self, visit: Visit | None, data: RecordData | None = None) -> VisitDialog:
        return VisitDialog(self.workspace, visit, self, data)

    def _open(self, visit_id: int | None) -> bool:
        """Open the dialog once the visit and the people it may be with are read (off the GUI thread);
        False when an opening is already on its way."""

        def show(data: RecordData) -> None:
            if visit_id is not None and data.visit is None:
                return  # deleted meanwhile: the list shows it at its next refresh
            if self.make_visit_dialog(data.visit, data).exec():
                self.refresh()
                self.changed.emit(WRITES)

        return open_editor(
            self, f"visit:{visit_id}", lambda: read_record(self.workspace, visit_id=visit_id), show, _("Visit")
        )

    def new_visit(self) -> bool:
        return self._open(None)

    def edit_visit(self) -> bool:
        row = self.table.currentRow()
        cell = self.table.item(row, 0) if row >= 0 else None
        return cell is not None and self._open(cell.data(ID_ROLE))

    def print_schedule(self) -> PdfPreviewDialog | None:
        from kamdesk.ui.dialogs.pdf_preview import preview_pdf  # QtPdf loads on first print

        start, end = self._range()
        return preview_pdf(
            self,
            lambda p: self.service.print_visit_schedule(start, end, p),
            _("Visit schedule"),
            f"visits-{start.isoformat()}.pdf",
        )

    def export_xlsx(self) -> str | None:
        start, end = self._range()
        return export_xlsx(
            self, lambda t: self.service.export_visit_schedule_xlsx(start, end, t), f"visits-{start.isoformat()}.xlsx"
        )
