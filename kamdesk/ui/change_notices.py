"""Word of changes for whoever listens: others' saves (open editors hear them from the window's change poll)
and the tables a save in this window changed (the main window hears them from ops)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal


class ChangeNotices(QObject):
    """Emits the change-log entries others saved, each time the window's poll finds some, and the tables
    a successful op in this window changed."""

    changes_seen = Signal(list)
    tables_changed = Signal(object)  # frozenset of change-log table names


_hub: ChangeNotices | None = None


def hub() -> ChangeNotices:
    global _hub
    if _hub is None:
        _hub = ChangeNotices()
    return _hub


def announce(entries: list[Any]) -> None:
    if entries:
        hub().changes_seen.emit(entries)


def announce_tables(tables: Iterable[str]) -> None:
    wanted = frozenset(tables)
    if wanted:
        hub().tables_changed.emit(wanted)
