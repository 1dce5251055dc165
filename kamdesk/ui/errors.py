"""Errors that surface: a failure is shown to the person in plain words and written to the log.

Expected failures (a busy or read-only file, a refused input, a disk that is full) are shown as
their own message. Anything else is a defect: the person sees a short report naming the log file,
and the log gets the full traceback. `install()` routes exceptions that escape a Qt slot here too,
since a windowed build has no console to print them on.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QWidget

from kamdesk.i18n import _
from kamdesk.ui import prompts

log = logging.getLogger("kamdesk")

#: The log file, once `install` has set it up (shown in Help → About).
LOG_FILE: Path | None = None
LOG_NAME = "kamdesk.log"


def expected(exc: BaseException) -> bool:
    """Whether `exc` is a failure people meet in normal work (its message says what to do)."""
    from kamdesk.services.errors import StorageError

    return isinstance(exc, StorageError | ValueError | OSError)


def report(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    """Tell the person that some work failed, and log it."""
    title = title or _("Something went wrong")
    if getattr(exc, "closing", False):  # work that reached a file its window has just closed
        log.info("%s after the file was closed: %s", title, exc)
        return
    if expected(exc):
        log.warning("%s: %s", title, exc)
        prompts.current().warn(parent, title, str(exc))
        return
    log.error("%s", title, exc_info=(type(exc), exc, exc.__traceback__))
    where = str(LOG_FILE) if LOG_FILE else _("the terminal")
    prompts.current().warn(
        parent,
        title,
        _(
            "kamdesk met an error it did not expect, and the last step may not have finished:\n\n{error}\n\n"
            "The details are in {log}; please send that file to whoever looks after kamdesk."
        ).format(error=f"{type(exc).__name__}: {exc}", log=where),
    )


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    exc.__traceback__ = tb
    if QApplication.instance() is None:
        traceback.print_exception(kind, exc, tb)
        log.error("uncaught", exc_info=(kind, exc, tb))
        return
    report(QApplication.activeWindow(), exc)


def install(folder: Path) -> Path:
    """Log to `folder`/kamdesk.log (kept small: rotated at 1 MB) and report exceptions that escape a slot."""
    global LOG_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / LOG_NAME, maxBytes=1_000_000, backupCount=2, encoding="utf-8"
        )
        LOG_FILE = folder / LOG_NAME
    except OSError:
        handler = logging.StreamHandler()  # a folder that cannot be written: the console at least
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    sys.excepthook = _hook
    return folder / LOG_NAME
