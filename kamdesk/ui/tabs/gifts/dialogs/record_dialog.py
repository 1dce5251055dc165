"""What the register-entry and visit dialogs share: a form, notes under it, an error line, Save and Cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.gifts.common import error_label, save


class RecordDialog(QDialog):
    """Subclasses build their form and call `lay_out`; `save_with(write, title)` saves and closes."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.error = error_label()
        #: The id the record was saved under (None until saved).
        self.saved_id: int | None = None

    def lay_out(self, form: QFormLayout, *notes: QWidget) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for note in notes:
            layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save_with(self, write: Callable[[], int], not_saved: str) -> None:
        """Save through `write` (it returns the record's id); close when it went through, else say why."""

        def saved() -> None:
            self.saved_id = write()

        if save(self, self.error, saved, not_saved):
            super().accept()
