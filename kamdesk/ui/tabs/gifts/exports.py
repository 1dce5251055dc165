"""The schedules as XLSX workbooks: the person picks where, the workbook is written off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from kamdesk.i18n import _
from kamdesk.ui import prompts
from kamdesk.ui.errors import report
from kamdesk.ui.ops import Op


def export_xlsx(parent: QWidget, write: Callable[[str], None], suggested: str) -> str | None:
    """Ask where to save `suggested` (an .xlsx name), then write it there in the background.

    Returns the path chosen (None when the person cancelled); a failure is shown and logged, a
    success noted in the status bar.
    """
    target = prompts.current().save_data_file(
        parent, _("Export as XLSX"), _("Excel workbooks (*.xlsx)"), ".xlsx", suggested
    )
    if not target:
        return None
    Op(parent, lambda: write(target), _("Export as XLSX")).progress(
        _("Writing {name}…").format(name=Path(target).name)
    ).success(lambda _none: prompts.current().notify(parent, _("Exported to {path}.").format(path=target))).failure(
        lambda exc: report(parent, exc, _("Not exported"))
    ).run()
    return target
