"""Team settings: the value classes are ranked by, where each class ends, and the team's currency."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.settings import DEFAULT_CLASS_THRESHOLDS, TeamSettings
from kamdesk.i18n import N_, _
from kamdesk.services.workspace import StorageError
from kamdesk.ui import prompts

MEASURES = [("revenue", N_("Revenue")), ("profit", N_("Profit"))]
WINDOWS = [("latest_period", N_("Latest period")), ("trailing_12_months", N_("Last 12 months")),
           ("potential", N_("Potential"))]
CURRENCIES = ["CNY", "HKD", "TWD", "USD", "EUR", "JPY", "SGD", "GBP"]
ERROR_STYLE = "color: #b00020"


class TeamSettingsDialog(QDialog):
    """Edit the team's shared settings; `save` stores them (and recomputes classes) or raises."""

    def __init__(self, settings: TeamSettings, save: Callable[[TeamSettings], None],
                 parent: QWidget | None = None, read_only: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Team settings"))
        self._incoming = settings
        self._save = save
        self.saved_settings: TeamSettings | None = None
        note = QLabel(_("Each account's class comes from its rank among all accounts by the value chosen here. "
                        "Saving recomputes every class."))
        note.setWordWrap(True)

        value_box = QGroupBox(_("Rank accounts by"))
        value_form = QFormLayout(value_box)
        self.measure_combo = QComboBox()
        for key, label in MEASURES:
            self.measure_combo.addItem(_(label), key)
        self.window_combo = QComboBox()
        for key, label in WINDOWS:
            self.window_combo.addItem(_(label), key)
        value_form.addRow(_("Value"), self.measure_combo)
        value_form.addRow(_("Over"), self.window_combo)

        class_box = QGroupBox(_("Where each class ends (share of ranked accounts)"))
        class_layout = QVBoxLayout(class_box)
        row = QHBoxLayout()
        self.threshold_spins: dict[str, QSpinBox] = {}
        for cls in AccountClass:
            spin = QSpinBox()
            spin.setRange(1, 100)
            spin.setSuffix("%")
            spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("100%") + 36)  # room for the arrows
            spin.valueChanged.connect(self._update_preview)
            row.addWidget(QLabel(_("{cls} up to").format(cls=cls.value)))
            row.addWidget(spin)
            self.threshold_spins[cls.value] = spin
        self.threshold_spins["D"].setEnabled(False)  # the last class always ends at 100%
        restore = QPushButton(_("Restore defaults"))
        restore.clicked.connect(self.restore_defaults)
        row.addStretch(1)
        row.addWidget(restore)
        self.preview = QLabel()
        self.threshold_error = self._error_label()
        class_layout.addLayout(row)
        class_layout.addWidget(self.preview)
        class_layout.addWidget(self.threshold_error)

        money_box = QGroupBox(_("Money"))
        money_form = QFormLayout(money_box)
        self.currency_combo = QComboBox()
        self.currency_combo.setEditable(True)
        self.currency_combo.addItems(CURRENCIES)
        self.currency_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.currency_error = self._error_label()
        money_form.addRow(_("Currency"), self.currency_combo)
        money_form.addRow("", self.currency_error)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(value_box)
        layout.addWidget(class_box)
        layout.addWidget(money_box)
        if read_only:
            locked = QLabel(_("This team file is open read-only; settings cannot be changed."))
            locked.setWordWrap(True)
            layout.addWidget(locked)
            for widget in (value_box, class_box, money_box):
                widget.setEnabled(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        layout.addWidget(self.buttons)
        self._load(settings)

    @staticmethod
    def _error_label() -> QLabel:
        label = QLabel()
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    def _load(self, settings: TeamSettings) -> None:
        self.measure_combo.setCurrentIndex(max(self.measure_combo.findData(settings.value_measure), 0))
        self.window_combo.setCurrentIndex(max(self.window_combo.findData(settings.value_window), 0))
        self._set_thresholds(settings.class_thresholds)
        self.currency_combo.setCurrentText(settings.currency)

    def _set_thresholds(self, thresholds: dict[str, int]) -> None:
        for key, spin in self.threshold_spins.items():
            value = thresholds.get(key, DEFAULT_CLASS_THRESHOLDS[key])
            spin.setValue(value if isinstance(value, int) else DEFAULT_CLASS_THRESHOLDS[key])
        self.threshold_spins["D"].setValue(100)
        self._update_preview()

    def restore_defaults(self) -> None:
        self._set_thresholds(DEFAULT_CLASS_THRESHOLDS)

    def _update_preview(self) -> None:
        a, b, c = (self.threshold_spins[k].value() for k in "ABC")
        self.preview.setText(_("A: top {a}% · B: {a}–{b}% · C: {b}–{c}% · D: bottom {d}%").format(
            a=a, b=b, c=c, d=100 - c))

    def settings(self) -> TeamSettings:
        """The settings as the form shows them (the relationship targets are kept as they were)."""
        return TeamSettings(
            value_measure=self.measure_combo.currentData(),
            value_window=self.window_combo.currentData(),
            class_thresholds={k: spin.value() for k, spin in self.threshold_spins.items()},
            target_matrix={k: dict(v) for k, v in self._incoming.target_matrix.items()},
            currency=self.currency_combo.currentText().strip().upper(),
        )

    def errors(self) -> dict[str, str]:
        """The messages shown under fields right now."""
        shown = {"class_thresholds": self.threshold_error, "currency": self.currency_error}
        return {k: label.text() for k, label in shown.items() if not label.isHidden()}

    def accept(self) -> None:
        settings = self.settings()
        problems = settings.validate_all()
        for key, label in (("class_thresholds", self.threshold_error), ("currency", self.currency_error)):
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)
        self.currency_combo.setStyleSheet("border: 1px solid #b00020" if "currency" in problems else "")
        if problems:
            return
        try:
            self._save(settings)
        except StorageError as exc:
            prompts.current().warn(self, _("Settings not saved"), str(exc))
            return
        self.saved_settings = settings
        super().accept()
