"""Word of others' saves for whoever listens (open editors), passed on from the main window's change poll."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal


class ChangeNotices(QObject):
    """Emits the change-log entries others saved, each time the window's poll finds some."""

    changes_seen = Signal(list)


_hub: ChangeNotices | None = None


def hub() -> ChangeNotices:
    global _hub
    if _hub is None:
        _hub = ChangeNotices()
    return _hub


def announce(entries: list[Any]) -> None:
    if entries:
        hub().changes_seen.emit(entries)
