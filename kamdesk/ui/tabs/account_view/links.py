"""One way for any list to reach the account workspace: a right-click "Open the account" on its rows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView

from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace


def account_of(workspace: Workspace, contact: tuple[int, str] | None) -> int | None:
    """The account of a contact chosen in a list ((id, name), or None when nobody is chosen)."""
    try:
        card = workspace.contacts.get(contact[0]) if contact is not None else None
    except StorageError:
        return None
    return card.account_id if card is not None else None


def add_open_account(
    view: QAbstractItemView, account_of_current: Callable[[], int | None], open_account: Callable[[int], None]
) -> QAction:
    """Right-click on a row of `view` offers "Open the account" (Ctrl+Return as well), which opens the account of the
    current row (`account_of_current()`, None when the row has none) in the workspace."""
    action = QAction(_("Open the account"), view)
    action.setShortcut("Ctrl+Return")
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

    def trigger() -> None:
        account_id = account_of_current()
        if account_id is not None:
            open_account(account_id)

    action.triggered.connect(lambda _checked=False: trigger())
    view.addAction(action)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    return action
