"""File → Export…: what to export and as which format; the file chosen, written, and its rows counted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from kamdesk.i18n import N_, _
from kamdesk.services.transfer import EXPORT_FORMATS
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import prompts, tasks

KIND_LABELS = {
    "accounts": N_("Accounts (with their class)"),
    "contacts": N_("Contacts"),
    "activities": N_("Activities"),
    "gifts": N_("Gifts and hospitality"),
    "visits": N_("Visits"),
    "catalogue": N_("Gift catalogue"),
    "agenda": N_("Planned calls and visits (agenda)"),
}
FORMATS = {**EXPORT_FORMATS, "agenda": ("ics",)}
FORMAT_LABELS = {
    "csv": N_("CSV (opens in Excel; UTF-8)"),
    "xlsx": N_("Excel workbook (.xlsx)"),
    "vcf": N_("vCard (.vcf, for phones and Outlook)"),
    "ics": N_("iCalendar (.ics, for calendars)"),
}
FILTERS = {
    "csv": N_("CSV files (*.csv)"),
    "xlsx": N_("Excel workbooks (*.xlsx)"),
    "vcf": N_("vCard files (*.vcf)"),
    "ics": N_("iCalendar files (*.ics)"),
}


class ExportDialog(QDialog):
    """Choose a kind and format; Export asks where, writes the file and says how many rows it holds."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(_("Export"))
        self.written: tuple[str, int] | None = None
        self.kind_combo = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(_(label), kind)
        self.format_combo = QComboBox()
        self.kind_combo.currentIndexChanged.connect(self._fill_formats)
        hint = QLabel(
            _(
                "CSV files are written as UTF-8 with a byte-order mark so Excel shows Chinese; cells a "
                "spreadsheet would run as a formula are written as text."
            )
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton(_("Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("What to export"), self.kind_combo)
        form.addRow(_("Format"), self.format_combo)
        form.addRow(hint)
        form.addRow(buttons)
        self._fill_formats()

    def _fill_formats(self) -> None:
        self.format_combo.clear()
        for fmt in FORMATS[self.kind]:
            self.format_combo.addItem(_(FORMAT_LABELS[fmt]), fmt)

    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    @property
    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def choose(self, kind: str, fmt: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def export(self) -> bool:
        kind, fmt = self.kind, self.fmt
        folder = str(self.workspace.path.parent) if self.workspace.path else ""
        path = prompts.current().save_data_file(
            self,
            _("Export to a file"),
            _(FILTERS[fmt]),
            "." + fmt,
            str(Path(folder) / f"{kind}.{fmt}") if folder else "",
        )
        if not path:
            return False
        workspace = self.workspace

        def work() -> int:
            if kind == "agenda":
                return workspace.followups.export_ics(path)
            return workspace.transfer.export(kind, fmt, path)

        try:
            count = tasks.run_busy(self, _("Export to a file"), _("Writing {path}…").format(path=Path(path).name), work)
        except OSError as exc:
            prompts.current().warn(
                self,
                _("Export failed"),
                _("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc),
            )
            return False
        except (StorageError, ValueError) as exc:
            prompts.current().warn(self, _("Export failed"), str(exc))
            return False
        self.written = (path, count)
        message = (
            _("{count} planned calls, visits and meetings written to {path}")
            if kind == "agenda"
            else _("{count} rows written to {path}.")
        )
        prompts.current().inform(self, _("Export"), message.format(count=count, path=path))
        self.accept()
        return True
