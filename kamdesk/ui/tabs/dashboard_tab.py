"""The Dashboard tab: the team file at a glance (counts now; charts arrive with classification)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kamdesk.domain.enums import AccountClass
from kamdesk.i18n import _
from kamdesk.services.workspace import Workspace


class DashboardTab(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self.totals = QGroupBox(_("This team file"))
        self.classes = QGroupBox(_("Accounts by class"))
        self._total_labels: dict[str, QLabel] = {}
        self._class_labels: dict[str, QLabel] = {}
        totals_form = QFormLayout(self.totals)
        for key, label in (("accounts", _("Accounts")), ("contacts", _("Contacts")),
                           ("team_members", _("Our team")), ("activities", _("Activities")),
                           ("gifts", _("Gift and hospitality records"))):
            value = QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            totals_form.addRow(label, value)
            self._total_labels[key] = value
        class_form = QFormLayout(self.classes)
        for cls in [*AccountClass, None]:
            value = QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            class_form.addRow(cls.label if cls else _("Not yet classed (no value)"), value)
            self._class_labels[cls.value if cls else "Z"] = value
        self.hint = QLabel(_("The Pareto chart, the effort pyramid and class movements will appear here."))
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.totals)
        row.addWidget(self.classes)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        summary = self._workspace.summary()
        for key, label in self._total_labels.items():
            label.setText(str(getattr(summary, key)))
        for key, label in self._class_labels.items():
            label.setText(str(summary.accounts_by_class.get(key, 0)))
