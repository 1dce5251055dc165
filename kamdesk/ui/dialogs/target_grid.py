"""Team settings, the account-judgement part: the relationship targets as a class × rank grid, how the
pyramid's key accounts are chosen, the cost-to-serve figures and the stingy customer's effort cap."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.accounts import AccountRuleError, parse_money
from kamdesk.domain.enums import AccountClass, RankTier, RelationshipStage
from kamdesk.domain.settings import (
    DEFAULT_TARGET_MATRIX,
    TeamSettings,
    target_cell_problem,
)
from kamdesk.i18n import _
from kamdesk.ui.dialogs.account_fields import money_text

#: Background of a grid cell or field whose value is refused.
INVALID_COLOUR = "#fde7ea"


class TargetGrid(QWidget):
    """The target stage per account class (rows A–D) and contact rank (columns), one choice per cell.

    A cell may be left empty (the first entry) or hold a stored value that is no stage; both are kept as they
    are so that the check can say which cell is wrong instead of quietly changing it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        corner = QLabel(_("Class \\ their rank"))
        corner.setStyleSheet("color: palette(dark)")
        grid.addWidget(corner, 0, 0)
        for column, rank in enumerate(RankTier, start=1):
            header = QLabel(rank.label)
            header.setWordWrap(True)
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(header, 0, column)
        self.cells: dict[tuple[str, str], QComboBox] = {}
        for row, cls in enumerate(AccountClass, start=1):
            grid.addWidget(QLabel(cls.label), row, 0)
            for column, rank in enumerate(RankTier, start=1):
                combo = QComboBox()
                combo.addItem(_("(choose a stage)"), "")
                for stage in RelationshipStage:
                    combo.addItem(stage.label, stage.value)
                combo.setAccessibleName(_("Target for class {cls}, {rank}").format(cls=cls.value, rank=rank.label))
                combo.currentIndexChanged.connect(self.changed)
                grid.addWidget(combo, row, column)
                self.cells[(cls.value, rank.value)] = combo
        for column in range(1, len(RankTier) + 1):
            grid.setColumnStretch(column, 1)

    def set_matrix(self, matrix: dict[str, dict[str, str]]) -> None:
        for (cls, rank), combo in self.cells.items():
            row = matrix.get(cls) if isinstance(matrix, dict) else None
            value = row.get(rank) if isinstance(row, dict) else None
            text = "" if value is None else str(value)
            index = combo.findData(text)
            if index < 0:  # a stored value that is no stage: shown as it is, so the check can name it
                combo.addItem(_("“{value}” (not a stage)").format(value=text[:40]), text)
                index = combo.count() - 1
            combo.setCurrentIndex(index)

    def matrix(self) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {cls.value: {} for cls in AccountClass}
        for (cls, rank), combo in self.cells.items():
            result[cls][rank] = combo.currentData() or ""
        return result

    def bad_cells(self) -> list[QComboBox]:
        """The cells the check refuses (empty, or no stage)."""
        return [
            combo
            for (cls, rank), combo in self.cells.items()
            if target_cell_problem(AccountClass(cls), RankTier(rank), combo.currentData())
        ]

    def mark_bad(self) -> list[QComboBox]:
        bad = self.bad_cells()
        for combo in self.cells.values():
            mark(combo, combo in bad)
        return bad


def mark(widget: QWidget, bad: bool) -> None:
    """Show a refused value with a light red background (the palette keeps the platform's own frame)."""
    if bool(widget.property("invalid")) == bad:
        return
    widget.setProperty("invalid", bad)
    if bad:
        palette = widget.palette()
        palette.setColor(QPalette.ColorRole.Base, INVALID_COLOUR)
        palette.setColor(QPalette.ColorRole.Button, INVALID_COLOUR)
        widget.setPalette(palette)
    else:
        widget.setPalette(QPalette())


class JudgementSettings(QWidget):
    """The targets grid, the pyramid, cost to serve and the effort cap, each with its error line."""

    changed = Signal()

    def __init__(self, error_labels: dict[str, QLabel], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hourly_problem = ""
        self._hourly_bad = False
        targets_box = QGroupBox(_("Relationship targets (class × their rank)"))
        targets_layout = QVBoxLayout(targets_box)
        hint = QLabel(
            _(
                "How close the team aims to get to each person: deeper for a bigger account and a more senior "
                "person. The default follows the practice's chart, which uses Good friend to Best friend only."
            )
        )
        hint.setWordWrap(True)
        self.grid = TargetGrid()
        self.grid.changed.connect(self.changed)
        self.restore_button = QPushButton(_("Restore the default targets"))
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(lambda: self.grid.set_matrix(DEFAULT_TARGET_MATRIX))
        restore_row = QHBoxLayout()
        restore_row.addStretch(1)
        restore_row.addWidget(self.restore_button)
        targets_layout.addWidget(hint)
        targets_layout.addWidget(self.grid)
        targets_layout.addWidget(error_labels["target_matrix"])
        targets_layout.addLayout(restore_row)

        judgement_box = QGroupBox(_("Key accounts and cost to serve"))
        form = QFormLayout(judgement_box)
        self.key_basis = QComboBox()
        self.key_basis.addItem(_("The top share of accounts by value"), "top_share")
        self.key_basis.addItem(_("Class A accounts"), "class_a")
        self.key_share = QSpinBox()
        self.key_share.setRange(1, 50)
        self.key_share.setSuffix("%")
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_basis, 1)
        key_row.addWidget(self.key_share)
        self.key_basis.currentIndexChanged.connect(self._basis_changed)
        form.addRow(_("Key accounts are"), key_row)
        form.addRow("", error_labels["pyramid"])
        self.hourly_cost = QLineEdit()
        self.hourly_cost.setPlaceholderText(_("e.g. 200"))
        self.cost_watch = QSpinBox()
        self.cost_alarm = QSpinBox()
        for spin in (self.cost_watch, self.cost_alarm):
            spin.setRange(0, 100)
            spin.setSuffix("%")
        marks = QHBoxLayout()
        marks.addWidget(QLabel(_("watch from")))
        marks.addWidget(self.cost_watch)
        marks.addWidget(QLabel(_("too costly from")))
        marks.addWidget(self.cost_alarm)
        marks.addWidget(QLabel(_("of revenue")))
        marks.addStretch(1)
        form.addRow(_("An hour of our time costs"), self.hourly_cost)
        form.addRow(_("Cost to serve"), marks)
        form.addRow("", error_labels["cost_to_serve"])
        self.stingy_cap = QSpinBox()
        self.stingy_cap.setRange(0, 500)
        self.stingy_cap.setSuffix(_(" h a quarter"))
        form.addRow(_("Time cap for stingy customers"), self.stingy_cap)
        form.addRow("", error_labels["stingy_cap_hours"])
        for widget in (self.key_basis, self.key_share, self.cost_watch, self.cost_alarm, self.stingy_cap):
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.valueChanged
            signal.connect(self.changed)
        self.hourly_cost.textChanged.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(targets_box)
        layout.addWidget(judgement_box)

    def _basis_changed(self) -> None:
        self.key_share.setEnabled(self.key_basis.currentData() == "top_share" and self.isEnabled())

    def load(self, settings: TeamSettings) -> None:
        self.grid.set_matrix(settings.target_matrix)
        self.key_basis.setCurrentIndex(max(self.key_basis.findData(settings.pyramid_key_basis), 0))
        self.key_share.setValue(int(settings.pyramid_key_share))
        self.hourly_cost.setText(money_text(int(settings.hourly_cost_cents)))
        self.cost_watch.setValue(int(settings.cost_watch_pct))
        self.cost_alarm.setValue(int(settings.cost_alarm_pct))
        self.stingy_cap.setValue(int(settings.stingy_cap_hours))
        self._basis_changed()

    def apply(self, settings: TeamSettings) -> None:
        """Write the form's values into `settings` (an hourly cost that cannot be read stays a problem)."""
        settings.target_matrix = self.grid.matrix()
        settings.pyramid_key_basis = self.key_basis.currentData()
        settings.pyramid_key_share = self.key_share.value()
        try:
            cents = parse_money(self.hourly_cost.text(), allow_negative=True)
            self._hourly_problem = ""
            settings.hourly_cost_cents = int(cents or 0)
        except AccountRuleError as exc:
            self._hourly_problem = str(exc)
        self._hourly_bad = bool(self._hourly_problem) or settings.hourly_cost_cents < 0
        settings.cost_watch_pct = self.cost_watch.value()
        settings.cost_alarm_pct = self.cost_alarm.value()
        settings.stingy_cap_hours = self.stingy_cap.value()

    def problems(self, settings: TeamSettings) -> dict[str, str]:
        """The settings' own problems plus an hourly cost that could not be read as an amount."""
        found = settings.validate_all()
        if self._hourly_problem:
            found["cost_to_serve"] = self._hourly_problem
        return found

    def mark(self, problems: dict[str, str]) -> list[QWidget]:
        """Mark the refused fields; returns them, the first one first."""
        bad: list[QWidget] = list(self.grid.mark_bad())
        cost_bad = "cost_to_serve" in problems
        mark(self.hourly_cost, cost_bad and self._hourly_bad)
        for spin in (self.cost_watch, self.cost_alarm):
            mark(spin, cost_bad and not self._hourly_bad)
        mark(self.key_share, "pyramid" in problems)
        mark(self.stingy_cap, "stingy_cap_hours" in problems)
        for widget in (self.hourly_cost, self.cost_watch, self.cost_alarm, self.key_share, self.stingy_cap):
            if widget.property("invalid"):
                bad.append(widget)
        return bad
