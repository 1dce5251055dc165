"""The team's greeting and care settings: class D and strangers, the minimum stage, festival visits per day."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import RelationshipStage
from kamdesk.domain.followups import CareSettings
from kamdesk.i18n import _
from kamdesk.services.followups import FollowUpService
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.followup_dialogs import ERROR_STYLE, attempt


class CareSettingsDialog(QDialog):
    """Edit the team's greeting and care settings (shared by everyone in the file)."""

    def __init__(
        self, workspace: Workspace, parent: QWidget | None = None, current: CareSettings | None = None
    ) -> None:
        """`current`: the settings as read before (the agenda reads them off the GUI thread); without them
        the dialog reads them itself."""
        super().__init__(parent)
        self.setWindowTitle(_("Greeting and care settings"))
        self.workspace = workspace
        self._saving = False
        if current is None:
            current = workspace.followups.care_settings()
        intro = QLabel(
            _(
                "The 80/20 rule: time and warmth go first to the accounts and people who matter most. These "
                "settings are the team's and apply to everyone's care plans and festival greetings."
            )
        )
        intro.setWordWrap(True)
        self.class_d = QCheckBox(_("Care greetings for class D accounts too"))
        self.class_d.setChecked(current.care_for_class_d)
        self.strangers = QCheckBox(_("Care greetings for contacts still at the stranger stage (陌生)"))
        self.strangers.setChecked(current.care_for_strangers)
        self.min_stage = QComboBox()
        for stage in RelationshipStage:
            self.min_stage.addItem(stage.label, stage.value)
        self.min_stage.setCurrentIndex(max(0, self.min_stage.findData(current.min_stage)))
        self.visits = QSpinBox()
        self.visits.setRange(1, 12)
        self.visits.setValue(current.visits_per_day)
        form = QFormLayout()
        form.addRow(self.class_d)
        form.addRow(self.strangers)
        form.addRow(_("Care greetings from the stage"), self.min_stage)
        form.addRow(_("Festival visits per salesperson per day, at most"), self.visits)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not workspace.read_only)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def value(self) -> CareSettings:
        return CareSettings(
            care_for_class_d=self.class_d.isChecked(),
            care_for_strangers=self.strangers.isChecked(),
            min_stage=str(self.min_stage.currentData()),
            visits_per_day=self.visits.value(),
        )

    def accept(self) -> None:
        """Save off the GUI thread (a busy window when slow); a second press while it saves is ignored."""
        if self._saving:
            return
        settings, followups = self.value(), self.workspace.followups
        self._saving = True
        try:
            saved = attempt(self, self.error, _("Not saved"), lambda: _save(followups, settings))
        finally:
            self._saving = False
        if saved:
            super().accept()


def _save(followups: FollowUpService, settings: CareSettings) -> bool:
    followups.save_care_settings(settings)
    return True
