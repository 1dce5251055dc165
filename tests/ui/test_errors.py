"""Errors surface: an exception escaping a slot is shown with where the log is, and written to the log."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from kamdesk.ui import errors


def test_an_exception_in_a_slot_is_shown_and_logged(qtbot, scripted, tmp_path: Path):  # noqa: ANN001
    hook, handlers = sys.excepthook, list(errors.log.handlers)
    try:
        log_file = errors.install(tmp_path / "data")
        assert sys.excepthook is not hook
        try:
            raise KeyError("plan 7")
        except KeyError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        for handler in errors.log.handlers:
            handler.flush()
        ((kind, _title, text),) = scripted.shown
        assert kind == "warn" and "KeyError" in text and str(log_file) in text
        logged = log_file.read_text(encoding="utf-8")
        assert "KeyError: 'plan 7'" in logged and "Traceback" in logged
    finally:
        sys.excepthook = hook
        for handler in errors.log.handlers[:]:
            if handler not in handlers:
                errors.log.removeHandler(handler)
                handler.close()
        errors.LOG_FILE = None
        errors.log.setLevel(logging.NOTSET)


def test_an_expected_failure_is_shown_as_its_own_message(qtbot, scripted):  # noqa: ANN001
    from kamdesk.services.workspace import ReadOnlyError

    errors.report(None, ReadOnlyError("the folder cannot be written"), "Not saved")
    assert scripted.shown == [("warn", "Not saved", str(ReadOnlyError("the folder cannot be written")))]
