"""My preferences: the settings kept on this computer for one person (name, language), not the team's."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kamdesk.i18n import LANGUAGE_NAMES, SUPPORTED_LANGUAGES, _, current_language, detect_language
from kamdesk.ui.app_settings import AppSettings


def system_language() -> str:
    """The language kamdesk picks when the person has not chosen one: the system's."""
    return detect_language(QLocale.system().uiLanguages())


class PreferencesDialog(QDialog):
    """Edit the display name and the language; on OK they are stored in `settings`.

    `name_changed` and `language_changed` say what changed, so the window can act on it. A new
    language is used from the next start (the open window keeps its texts).
    """

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("My preferences"))
        self.settings = settings
        self.name_changed = False
        self.language_changed = False
        note = QLabel(
            _(
                "These preferences are kept on this computer, for you only. The settings the whole "
                "team shares are under Edit → Team settings."
            )
        )
        note.setWordWrap(True)
        self.name_edit = QLineEdit(settings.display_name)
        self.name_edit.setMaxLength(80)
        self.name_error = QLabel()
        self.name_error.setStyleSheet("color: #b00020")
        self.name_error.setVisible(False)
        self.language_combo = QComboBox()
        self.language_combo.addItem(
            _("System language ({language})").format(language=LANGUAGE_NAMES[system_language()]), ""
        )
        for code in SUPPORTED_LANGUAGES:
            # Each language is named in itself, so a person can find theirs whatever is shown now.
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        index = self.language_combo.findData(settings.language if settings.language in SUPPORTED_LANGUAGES else "")
        self.language_combo.setCurrentIndex(max(index, 0))
        self.language_combo.currentIndexChanged.connect(self._show_restart_note)
        self.restart_note = QLabel()
        self.restart_note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Your name"), self.name_edit)
        form.addRow("", self.name_error)
        form.addRow(_("Language"), self.language_combo)
        form.addRow("", self.restart_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._show_restart_note()
        self.resize(max(self.sizeHint().width(), 460), self.sizeHint().height())

    def chosen_language(self) -> str:
        """The stored choice: a language code, or "" for the system's."""
        return str(self.language_combo.currentData() or "")

    def effective_language(self) -> str:
        return self.chosen_language() or system_language()

    def _show_restart_note(self) -> None:
        differs = self.effective_language() != current_language()
        self.restart_note.setText(
            _("kamdesk will use {language} from its next start.").format(
                language=LANGUAGE_NAMES[self.effective_language()]
            )
            if differs
            else ""
        )
        self.restart_note.setVisible(differs)

    def accept(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.name_error.setText(_("Please enter the name your team knows you by."))
            self.name_error.setVisible(True)
            self.name_edit.setFocus()
            return
        self.name_changed = name != self.settings.display_name
        self.language_changed = self.chosen_language() != self.settings.language
        self.settings.display_name = name
        self.settings.language = self.chosen_language()
        self.settings.sync()
        super().accept()
