"""The contract a main-window tab keeps: its title, the tables it shows, `refresh()`, and `changed`.

The window never reaches into a tab to refresh it by name. After a save on any page, or a change
the poll sees from a colleague, it asks each built page whether it shows one of the changed tables:
the visible page re-reads at once, the others when next shown (Anki's OpChanges idea).
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kamdesk.domain.changes import EVERY_TABLE

__all__ = ["EVERY_TABLE", "TabPage"]


class TabPage(QWidget):
    """A page of the main window. Subclasses set `tables` and implement `refresh()`."""

    #: Change-log table names whose changes put this page out of date.
    tables: ClassVar[frozenset[str]] = frozenset()
    #: A save on this page changed these tables (a frozenset of change-log table names).
    changed = Signal(object)
    #: The page asks the window to open an account (its id) in the account editor.
    account_requested = Signal(int)

    def refresh(self) -> None:
        """Re-read what the page shows from the file."""
        raise NotImplementedError(f"{type(self).__name__} must say how it refreshes")

    def shows_any(self, tables: frozenset[str]) -> bool:
        """Whether a change to `tables` puts this page out of date."""
        return EVERY_TABLE in tables or bool(self.tables & tables)
