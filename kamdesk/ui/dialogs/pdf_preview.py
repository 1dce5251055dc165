"""Preview a PDF kamdesk wrote (QtPdf), then print it through the system dialog or save a copy."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kamdesk.i18n import _
from kamdesk.services.printing import PrintCancelled, Progress
from kamdesk.ui import prompts, tasks
from kamdesk.ui.errors import report
from kamdesk.ui.ops import Op
from kamdesk.ui.widgets.screen_fit import resize_to_fit


class PdfPreviewDialog(QDialog):
    """Shows the pages of `path`; Print… (Ctrl+P) and Save as… (Ctrl+S) act on the same file."""

    def __init__(self, path: str | Path, title: str, suggested_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.path = Path(path)
        self.suggested_name = suggested_name
        self.document = QPdfDocument(self)
        self.error = self.document.load(str(self.path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages_label = QLabel(_("{count} pages").format(count=self.document.pageCount()))
        self.print_button = QPushButton(_("Print…"))
        self.save_button = QPushButton(_("Save as…"))
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_copy)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_copy)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(self.pages_label)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        resize_to_fit(self, 820, 960)  # a page at a readable size, within a laptop's 768 pixels

    def save_copy(self) -> str | None:
        target = prompts.current().save_pdf(self, _("Save the PDF"), self.suggested_name)
        if not target:
            return None
        try:
            shutil.copyfile(self.path, target)
        except OSError as exc:
            prompts.current().warn(
                self, _("Not saved"), _("Cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)
            )
            return None
        return target

    def make_printer(self) -> QPrinter | None:
        """The printer the person chose in the system dialog (None when they cancelled)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def print_document(self) -> bool:
        printer = self.make_printer()
        if printer is None:
            return False
        return self.render_to(printer)

    def render_to(self, printer: QPrinter) -> bool:
        """Draw every page at the printer's resolution, each scaled to the printable area."""
        painter = QPainter()
        if not painter.begin(printer):
            prompts.current().warn(self, _("Not printed"), _("The printer could not be started."))
            return False
        try:
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                scale = min(area.width() / points.width(), area.height() / points.height())
                size = QSize(int(points.width() * scale), int(points.height() * scale))
                image = self.document.render(page, size)
                painter.drawImage(QPointF(0, 0), image)
        finally:
            painter.end()
        return True

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's signature
        if event.key() == Qt.Key.Key_Escape:
            self.reject()
            return
        super().keyPressEvent(event)


def write_with_progress(
    parent: QWidget | None, write: Callable[[Path, Progress], object], path: Path, title: str, name: str
) -> bool:
    """Write a long PDF off the GUI thread behind a progress window with a Stop button: `write(path, progress)`
    reports each page, and Stop ends the print with nothing written. True when the file was written; False when
    the person stopped it; a failure is raised."""
    label = _("Writing {name}…").format(name=name)

    def work(step: tasks.Report) -> bool:
        try:
            write(path, lambda done, total: step(done, total, label))
        except PrintCancelled:
            return False
        return True

    return tasks.run_with_progress(parent, title, label, _("Stop"), work)


def preview_long_pdf(
    parent: QWidget | None, write: Callable[[Path, Progress], object], title: str, suggested_name: str
) -> PdfPreviewDialog | None:
    """preview_pdf for a print that may take a while: progress page by page, and a Stop button. Stopped, it
    previews nothing, says so in the status line, and leaves no file behind."""
    folder = tempfile.TemporaryDirectory(prefix="kamdesk-pdf-")
    path = Path(folder.name) / "preview.pdf"
    try:
        written = write_with_progress(parent, write, path, title, suggested_name)
    except Exception as exc:  # noqa: BLE001 - every failure is shown, then the folder goes
        folder.cleanup()
        report(parent, exc, title)
        return None
    if not written:
        folder.cleanup()
        prompts.current().notify(parent, _("Stopped: {name} was not written.").format(name=suggested_name))
        return None
    dialog = PdfPreviewDialog(path, title, suggested_name, parent)
    dialog.destroyed.connect(lambda _obj=None: folder.cleanup())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    prompts.current().show_modal(dialog)
    return dialog


def preview_pdf(
    parent: QWidget | None, write: Callable[[Path], object], title: str, suggested_name: str
) -> PdfPreviewDialog | None:
    """Write a PDF off the GUI thread (a busy window if it takes a while), then preview it.

    The PDF lives in a temporary folder that is removed with the preview; a failure to write it is
    shown and logged, and None returned.
    """
    folder = tempfile.TemporaryDirectory(prefix="kamdesk-pdf-")
    path = Path(folder.name) / "preview.pdf"
    try:
        Op(parent, lambda: write(path), title).progress(_("Writing {name}…").format(name=suggested_name)).wait()
    except Exception as exc:  # noqa: BLE001 - every failure is shown, then the folder goes
        folder.cleanup()
        report(parent, exc, title)
        return None
    dialog = PdfPreviewDialog(path, title, suggested_name, parent)
    dialog.destroyed.connect(lambda _obj=None: folder.cleanup())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    prompts.current().show_modal(dialog)
    return dialog
