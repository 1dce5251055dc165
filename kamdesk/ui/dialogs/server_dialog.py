"""File → Connect to server…: the address of a PostgreSQL database, with its password typed masked."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.server_address import (
    is_server_url,
    password_of,
    with_password,
    without_password,
)
from kamdesk.i18n import _

EXAMPLE_URL = "postgresql://user@server:5432/kamdesk"


class ServerDialog(QDialog):
    """Asks for a server address; `url()` is the address with the password put in.

    A password written in the address is taken out of the address field and shown (masked) in the
    password field, so it is never on screen and never kept in the recent-files list.
    """

    def __init__(self, parent: QWidget | None = None, address: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Connect to server"))
        note = QLabel(
            _(
                "A team that outgrows a shared file can keep its kamdesk database on a PostgreSQL "
                "server. Give the address your administrator gave you."
            )
        )
        note.setWordWrap(True)
        self.address = QLineEdit(without_password(address))
        self.address.setPlaceholderText(EXAMPLE_URL)
        self.password = QLineEdit(password_of(address))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("(if the server asks for one)"))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow(_("Server address:"), self.address)
        form.addRow(_("Password:"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Connect"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        if self.address.text() and not self.password.text():
            self.password.setFocus()
        self.resize(520, self.sizeHint().height())

    def url(self) -> str:
        """The address as typed, with the password field's password in it."""
        address = self.address.text().strip()
        typed = password_of(address)
        return with_password(without_password(address), self.password.text() or typed)

    def accept(self) -> None:
        address = self.address.text().strip()
        if not is_server_url(address):
            self.problem.setText(_("Give a server address such as {example}.").format(example=EXAMPLE_URL))
            self.problem.show()
            self.address.setFocus()
            return
        if password_of(address):  # typed into the address: move it where it is masked (the field wins)
            if not self.password.text():
                self.password.setText(password_of(address))
            self.address.setText(without_password(address))
        super().accept()


def ask_server_url(parent: QWidget | None, address: str = "") -> str | None:
    """The server address (with its password) the person chose to connect to, or None."""
    dialog = ServerDialog(parent, address)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.url()
