"""Team settings: the value classes are ranked by, where each class ends, and the team's currency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.settings import (
    CONFIDENTIALITY_MAX,
    DEFAULT_CLASS_THRESHOLDS,
    SENDER_MAX,
    SettingsError,
    TeamSettings,
)
from kamdesk.i18n import N_, _
from kamdesk.services.workspace import StorageError
from kamdesk.ui import prompts
from kamdesk.ui.dialogs.target_grid import JudgementSettings, mark
from kamdesk.ui.widgets.screen_fit import resize_to_fit
from kamdesk.ui.widgets.zipper_marks import ZipperMarks

MEASURES = [("revenue", N_("Revenue")), ("profit", N_("Profit"))]
WINDOWS = [
    ("latest_period", N_("Latest period")),
    ("trailing_12_months", N_("Last 12 months")),
    ("potential", N_("Potential value")),
]
CURRENCIES = ["CNY", "HKD", "TWD", "USD", "EUR", "JPY", "SGD", "GBP"]
ERROR_COLOUR = "#b00020"
ERROR_STYLE = f"color: {ERROR_COLOUR}"
#: Background of a field whose value is refused (the palette keeps the platform's own frame and arrows).
INVALID_BACKGROUND = QColor("#fde7ea")
#: The settings fields, in the order their messages are shown and focus goes to the first bad one.
FIELDS = (
    "value_measure",
    "value_window",
    "class_thresholds",
    "currency",
    "target_matrix",
    "pyramid",
    "cost_to_serve",
    "stingy_cap_hours",
    "zipper_thresholds",
    "confidentiality",
    "sender_address",
)
#: The fields the account-judgement part (target_grid.JudgementSettings) shows and marks.
JUDGEMENT_FIELDS = ("target_matrix", "pyramid", "cost_to_serve", "stingy_cap_hours")


class TeamSettingsDialog(QDialog):
    """Edit the team's shared settings; `save` stores them (and recomputes classes) or raises.

    On OK the form is checked with `TeamSettings.validate_all()`: each problem is shown in red under
    the field it belongs to, that field is marked, and nothing is saved. A `StorageError` from `save`
    is shown as a warning and the dialog stays open with the input as typed. `saved_settings` is the
    `TeamSettings` that was saved, or None.
    """

    def __init__(
        self,
        settings: TeamSettings,
        save: Callable[[TeamSettings], None],
        parent: QWidget | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Team settings"))
        self._incoming = settings
        self._save = save
        self.saved_settings: TeamSettings | None = None
        self._saving = False
        self.error_labels: dict[str, QLabel] = {key: self._error_label(key) for key in FIELDS}
        note = QLabel(
            _(
                "Each account's class comes from its rank among all accounts by the value chosen here. "
                "Saving recomputes every class."
            )
        )
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
        value_form.addRow("", self.error_labels["value_measure"])
        value_form.addRow(_("Over"), self.window_combo)
        value_form.addRow("", self.error_labels["value_window"])

        class_box = QGroupBox(_("Where each class ends (share of ranked accounts)"))
        class_layout = QVBoxLayout(class_box)
        row = QHBoxLayout()
        self.threshold_spins: dict[str, QSpinBox] = {}
        for cls in AccountClass:
            spin = QSpinBox()
            spin.setRange(1, 100)
            spin.setSuffix("%")
            spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("100%") + 36)  # room for the arrows
            spin.valueChanged.connect(self._thresholds_changed)
            caption = QLabel(_("{cls} up to").format(cls=cls.value))
            caption.setBuddy(spin)
            row.addWidget(caption)
            row.addWidget(spin)
            self.threshold_spins[cls.value] = spin
        last = self.threshold_spins[AccountClass.D.value]
        last.setEnabled(False)  # the last class always ends at 100%
        self.restore_button = QPushButton(_("Restore defaults"))
        self.restore_button.setAutoDefault(False)  # Enter stays with OK
        self.restore_button.clicked.connect(self.restore_defaults)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        self.preview = QLabel()
        class_layout.addLayout(row)
        class_layout.addWidget(self.preview)
        class_layout.addWidget(self.error_labels["class_thresholds"])

        money_box = QGroupBox(_("Money"))
        money_form = QFormLayout(money_box)
        self.currency_combo = QComboBox()
        self.currency_combo.setEditable(True)
        self.currency_combo.addItems(CURRENCIES)
        self.currency_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line_edit = self.currency_combo.lineEdit()
        assert line_edit is not None
        line_edit.textEdited.connect(self._uppercase_currency)
        self.currency_combo.currentTextChanged.connect(self._revalidate_shown)
        money_form.addRow(_("Currency"), self.currency_combo)
        money_form.addRow("", self.error_labels["currency"])
        # The footer of every page of a printed plan pack; empty prints the default wording.
        print_box = QGroupBox(_("Printed plan packs"))
        print_form = QFormLayout(print_box)
        self.confidentiality_edit = QLineEdit()
        self.confidentiality_edit.setMaxLength(CONFIDENTIALITY_MAX)
        self.confidentiality_edit.setPlaceholderText(TeamSettings().confidentiality_mark())
        print_form.addRow(_("Confidentiality mark"), self.confidentiality_edit)
        print_form.addRow("", self.error_labels["confidentiality"])
        # The return address on gift labels (an empty one: the labels' cover sheet says where to set it).
        self.sender_edit = QLineEdit()
        self.sender_edit.setMaxLength(SENDER_MAX)
        self.sender_edit.setPlaceholderText(_("Name, address, postcode and phone for the labels' sender line"))
        print_form.addRow(_("Sender on gift labels"), self.sender_edit)
        print_form.addRow("", self.error_labels["sender_address"])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.measure_combo.currentIndexChanged.connect(self._revalidate_shown)
        self.window_combo.currentIndexChanged.connect(self._revalidate_shown)
        self._field_widgets: dict[str, list[QWidget]] = {
            "value_measure": [self.measure_combo],
            "value_window": [self.window_combo],
            "class_thresholds": [],  # the classes that are out of order, see _mark_problems
            "currency": [self.currency_combo],
            "target_matrix": [],  # the grid's cells, marked by JudgementSettings.mark
            "pyramid": [],
            "cost_to_serve": [],
            "stingy_cap_hours": [],
            "zipper_thresholds": [],
            "confidentiality": [self.confidentiality_edit],
            "sender_address": [self.sender_edit],
        }
        self.judgement = JudgementSettings(self.error_labels)
        self.judgement.changed.connect(self._revalidate_shown)
        self.zipper_marks = ZipperMarks(self.error_labels["zipper_thresholds"])
        self.zipper_marks.changed.connect(self._revalidate_shown)

        # The settings scroll within the dialog, so it fits a 1366×768 laptop screen with every group shown.
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        for part in (note, value_box, class_box, money_box, print_box, self.judgement, self.zipper_marks):
            body_layout.addWidget(part)
        self.body_scroll = QScrollArea()
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body_scroll.setWidget(body)
        self.body_scroll.setMinimumWidth(
            body.minimumSizeHint().width() + self.body_scroll.verticalScrollBar().sizeHint().width()
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.body_scroll, 1)
        self.read_only_note: QLabel | None = None
        if read_only:
            self.read_only_note = QLabel(_("This team file is open read-only; settings cannot be changed."))
            self.read_only_note.setWordWrap(True)
            layout.addWidget(self.read_only_note)
            for widget in (value_box, class_box, money_box, print_box, self.judgement, self.zipper_marks):
                widget.setEnabled(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        layout.addWidget(self.buttons)
        self._load(settings)
        hint = body.sizeHint() + QSize(self.body_scroll.verticalScrollBar().sizeHint().width() + 24, 80)
        resize_to_fit(self, hint.width(), hint.height())

    @staticmethod
    def _error_label(key: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"error_{key}")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    def _load(self, settings: TeamSettings) -> None:
        self.measure_combo.setCurrentIndex(max(self.measure_combo.findData(settings.value_measure), 0))
        self.window_combo.setCurrentIndex(max(self.window_combo.findData(settings.value_window), 0))
        self._set_thresholds(settings.class_thresholds)
        self.currency_combo.setCurrentText(settings.currency)
        self.confidentiality_edit.setText(settings.confidentiality)
        self.sender_edit.setText(settings.sender_address)
        self.judgement.load(settings)
        self.zipper_marks.load(settings)

    def _set_thresholds(self, thresholds: dict[str, int]) -> None:
        for key, spin in self.threshold_spins.items():
            value = thresholds.get(key, DEFAULT_CLASS_THRESHOLDS[key])
            spin.setValue(value if isinstance(value, int) else DEFAULT_CLASS_THRESHOLDS[key])
        self.threshold_spins[AccountClass.D.value].setValue(100)
        self._update_preview()

    def restore_defaults(self) -> None:
        """Put the class thresholds back to 20 / 40 / 80 / 100 (the other settings are left alone)."""
        self._set_thresholds(DEFAULT_CLASS_THRESHOLDS)

    def _thresholds_changed(self) -> None:
        self._update_preview()
        self._revalidate_shown()

    def _update_preview(self) -> None:
        a, b, c = (self.threshold_spins[k].value() for k in "ABC")
        self.preview.setText(
            _("A: top {a}% · B: {a}–{b}% · C: {b}–{c}% · D: bottom {d}%").format(a=a, b=b, c=c, d=100 - c)
        )

    def _uppercase_currency(self, text: str) -> None:
        line_edit = self.currency_combo.lineEdit()
        if line_edit is not None and text != text.upper():
            cursor = line_edit.cursorPosition()
            line_edit.setText(text.upper())
            line_edit.setCursorPosition(cursor)

    def settings(self) -> TeamSettings:
        """The settings as the form shows them (settings this dialog does not show are kept as they were)."""
        settings = replace(
            self._incoming,
            value_measure=self.measure_combo.currentData(),
            value_window=self.window_combo.currentData(),
            class_thresholds={k: spin.value() for k, spin in self.threshold_spins.items()},
            target_matrix={k: dict(v) for k, v in self._incoming.target_matrix.items()},
            currency=self.currency_combo.currentText().strip().upper(),
            confidentiality=" ".join(self.confidentiality_edit.text().split()),
            sender_address=" ".join(self.sender_edit.text().split()),
        )
        self.judgement.apply(settings)
        self.zipper_marks.apply(settings)
        return settings

    def _problems(self, settings: TeamSettings) -> dict[str, str]:
        return self.judgement.problems(settings)

    def errors(self) -> dict[str, str]:
        """The messages shown under fields right now, keyed by setting name."""
        return {key: label.text() for key, label in self.error_labels.items() if not label.isHidden()}

    def marked(self) -> list[QWidget]:
        """The input widgets currently marked as holding a refused value."""
        return [widget for widgets in self._field_widgets.values() for widget in widgets if widget.property("invalid")]

    def _out_of_order(self) -> list[QWidget]:
        """The threshold fields to mark: each one not above the one before (C if D, fixed at 100, is not)."""
        bad: list[QWidget] = []
        previous = 0
        for cls in AccountClass:
            spin = self.threshold_spins[cls.value]
            if spin.value() <= previous:
                bad.append(self.threshold_spins["C"] if cls is AccountClass.D else spin)
            previous = spin.value()
        return bad

    def _show_problems(self, problems: dict[str, str], keys: tuple[str, ...] = FIELDS) -> None:
        for key in keys:
            label = self.error_labels[key]
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)
            label.setAccessibleName(problems.get(key, ""))
        if "class_thresholds" in keys:
            self._field_widgets["class_thresholds"] = self._out_of_order() if "class_thresholds" in problems else []
        for spin in self.threshold_spins.values():
            self._mark(spin, spin in self._field_widgets["class_thresholds"])
        if "zipper_thresholds" in keys:
            self._field_widgets["zipper_thresholds"] = (
                self.zipper_marks.widgets() if "zipper_thresholds" in problems else []
            )
            for widget in self.zipper_marks.widgets():
                self._mark(widget, "zipper_thresholds" in problems)
        for key in ("value_measure", "value_window", "currency"):
            if key in keys:
                for widget in self._field_widgets[key]:
                    self._mark(widget, key in problems)
        if any(key in keys for key in JUDGEMENT_FIELDS):
            marked = self.judgement.mark(problems)
            for key in JUDGEMENT_FIELDS:
                self._field_widgets[key] = marked if key in problems else []
        self._grow_to_fit()

    #: Marks a refused field with a light red background (one rule with the judgement part's fields).
    _mark = staticmethod(mark)

    def _grow_to_fit(self) -> None:
        """Make room for messages that just appeared, so nothing is squeezed or clipped."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        hint = self.sizeHint()
        width = max(self.width(), hint.width())
        height = max(self.height(), hint.height(), layout.totalHeightForWidth(width))
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)

    def _revalidate_shown(self) -> None:
        """Once a message is showing, keep it up to date as the person corrects the field."""
        shown = tuple(key for key in FIELDS if not self.error_labels[key].isHidden())
        if shown:
            settings = self.settings()
            self._show_problems(self._problems(settings), shown)

    def _focus_first(self, problems: dict[str, str]) -> None:
        for key in FIELDS:
            if key in problems and self._field_widgets[key]:
                self._field_widgets[key][0].setFocus()
                return

    def accept(self) -> None:
        if self._saving:
            return  # OK pressed again while the save waits on the file (off the GUI thread)
        settings = self.settings()
        problems = self._problems(settings)
        self._show_problems(problems)
        if problems:
            self._focus_first(problems)
            return
        self._saving = True
        try:
            self._save(settings)
        except SettingsError as exc:  # the service checks again; show its word where it belongs
            self._show_problems({exc.field if exc.field in FIELDS else "target_matrix": str(exc)})
            return
        except StorageError as exc:
            prompts.current().warn(self, _("Settings not saved"), str(exc))
            return
        finally:
            self._saving = False
        self.saved_settings = settings
        super().accept()
