"""One way for any list to reach the account workspace: a right-click "Open the account" on its rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Union

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView

from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace
from kamdesk.ui import tasks

#: A row's account: its id, None when it has none, or a read of it to run off the GUI thread.
AccountOf = Union[int, None, Callable[[], Union[int, None]]]  # noqa: UP007 - an alias evaluated at run time


def account_of(workspace: Workspace, contact: tuple[int, str] | None) -> Callable[[], int | None] | None:
    """The read of the account of a contact chosen in a list ((id, name); None when nobody is chosen), to run off
    the GUI thread (issue 24: on a file server a read there freezes the window)."""
    if contact is None:
        return None
    contacts, contact_id = workspace.contacts, contact[0]

    def read() -> int | None:
        card = contacts.get(contact_id)
        return card.account_id if card is not None else None

    return read


def add_open_account(
    view: QAbstractItemView, account_of_current: Callable[[], AccountOf], open_account: Callable[[int], None]
) -> QAction:
    """Right-click on a row of `view` offers "Open the account" (Ctrl+Return as well), which opens the account of the
    current row (`account_of_current()`: its id, None when the row has none, or a read of it, run in the pool; a
    busy file opens nothing, as a row without an account) in the workspace."""
    action = QAction(_("Open the account"), view)
    action.setShortcut("Ctrl+Return")
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

    def trigger() -> None:
        found = account_of_current()
        if callable(found):
            tasks.run(found, lambda account_id: trigger_with(account_id), lambda _exc: None, owner=view)
        else:
            trigger_with(found)

    def trigger_with(account_id: int | None) -> None:
        if account_id is not None:
            open_account(account_id)

    action.triggered.connect(lambda _checked=False: trigger())
    view.addAction(action)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    return action
