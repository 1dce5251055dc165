"""The Account Plans tab: pick an account and period, edit the plan section by section, track actions,
review the relationship, and preview, print or save the plan pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import CycleStage
from kamdesk.domain.plans import (
    ACTION_STATUSES,
    COMPETITOR_FIELDS,
    CUSTOMER_FIELDS,
    INTEL_GRADES,
    REVIEW_QUESTIONS,
    SITUATION_FIELDS,
    SWOT_PARTS,
    AccountPlan,
    ActionStep,
    Competitor,
    IntelNote,
    Objective,
    PlanError,
    RevenueLine,
    Swot,
    is_overdue,
    line_variance,
    next_period,
    revenue_totals,
    smart_missing,
)
from kamdesk.i18n import _
from kamdesk.services.workspace import ConflictError, StorageError, Workspace
from kamdesk.ui import formatting, prompts, tasks
from kamdesk.ui.dialogs.pdf_preview import PdfPreviewDialog, preview_pdf
from kamdesk.ui.tabs.page import TabPage

ERROR_STYLE = "color: #b00020"
OVERDUE_FILL = QColor("#fdecea")
OVERDUE_TEXT = QColor("#b00020")
TREND_BARS = "▁▂▃▄▅▆▇█"


def _parse_date(text: str) -> dt.date | None:
    """An ISO date (or 2027/3/1) from a table cell; empty is None; anything else raises ValueError."""
    text = text.strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    parts = text.split("-")
    if len(parts) != 3:
        raise ValueError(text)
    return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))


def _parse_money(text: str) -> int | None:
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    return round(float(text) * 100)


def _money_text(cents: int | None) -> str:
    return "" if cents is None else f"{cents / 100:.2f}".rstrip("0").rstrip(".")


def trend_line(averages: list[float]) -> str:
    """A small trend of review averages (1–5) as block characters, oldest first."""
    return "".join(TREND_BARS[min(7, max(0, round((a - 1) / 4 * 7)))] for a in averages)


class SwotGrid(QWidget):
    """The four corners of a SWOT as a 2×2 grid of text boxes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QPlainTextEdit] = {}
        for index, (key, label) in enumerate(SWOT_PARTS):
            box = QGroupBox(_(label))
            edit = QPlainTextEdit()
            edit.setMinimumHeight(60)
            QVBoxLayout(box).addWidget(edit)
            grid.addWidget(box, index // 2, index % 2)
            self.edits[key] = edit

    def load(self, swot: Swot) -> None:
        for key, edit in self.edits.items():
            edit.setPlainText(getattr(swot, key))

    def value(self) -> Swot:
        return Swot(**{key: edit.toPlainText() for key, edit in self.edits.items()})


class EditTable(QTableWidget):
    """A table of rows a person adds, edits in place and removes (Insert / Delete keys as well)."""

    def __init__(self, headers: list[str], parent: QWidget | None = None, stretch: int = 0,
                 widths: dict[int, int] | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().setVisible(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)  # the column with the most text
        for column, width in (widths or {}).items():
            self.setColumnWidth(column, width)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        self.new_row: Callable[[], None] | None = None

    def text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""

    def set_text(self, row: int, column: int, text: str, editable: bool = True) -> None:
        item = QTableWidgetItem(text)
        if not editable:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.setItem(row, column, item)

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.selectedIndexes()}, reverse=True):
            self.removeRow(row)

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's signature
        if event.key() == Qt.Key.Key_Insert and self.new_row is not None:
            self.new_row()
            return
        if event.key() == Qt.Key.Key_Delete and self.state() != QAbstractItemView.State.EditingState:
            self.remove_selected()
            return
        super().keyPressEvent(event)


def _table_page(table: EditTable, add_label: str, add: Callable[[], None], note: str = "") -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    if note:
        label = QLabel(note)
        label.setWordWrap(True)
        layout.addWidget(label)
    layout.addWidget(table, 1)
    buttons = QHBoxLayout()
    add_button = QPushButton(add_label)
    add_button.clicked.connect(add)
    remove_button = QPushButton(_("Remove selected"))
    remove_button.clicked.connect(table.remove_selected)
    buttons.addWidget(add_button)
    buttons.addWidget(remove_button)
    buttons.addStretch(1)
    layout.addLayout(buttons)
    table.new_row = add
    return page


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class PlanEditor(QTabWidget):
    """Every section of one plan (§9), in the order the pack prints them."""

    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.members = [(m.id, m.name, m.active) for m in workspace.team.members()]
        self.plan: AccountPlan | None = None
        self._build_summary()
        self._build_customer()
        self._build_competitors()
        self._build_situation()
        self._build_objectives()
        self._build_actions()
        self._build_revenue()
        self._build_intel()

    # Building the pages ------------------------------------------------------------------------
    def _member_combo(self, selected: int | None = None, allow_none: bool = True) -> QComboBox:
        combo = QComboBox()
        if allow_none:
            combo.addItem("—", None)
        for member_id, name, active in self.members:
            if active or member_id == selected:
                combo.addItem(name if active else _("{name} (left)").format(name=name), member_id)
        combo.setCurrentIndex(max(0, combo.findData(selected)))
        return combo

    def _build_summary(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.period_edit = QLineEdit()
        self.period_edit.setMaxLength(40)
        self.starts_edit = QDateEdit()
        self.ends_edit = QDateEdit()
        for edit in (self.starts_edit, self.ends_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        dates = QHBoxLayout()
        dates.addWidget(self.starts_edit)
        dates.addWidget(QLabel(_("to")))
        dates.addWidget(self.ends_edit)
        dates.addStretch(1)
        self.owner_combo = self._member_combo()
        self.sponsor_combo = self._member_combo()
        self.manager_combo = self._member_combo()
        self.sponsor_label = QLabel()
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setPlaceholderText(_("The overall aim and direction for this account in this period."))
        self.vision_edit = QPlainTextEdit()
        self.vision_edit.setPlaceholderText(_("Where we want the relationship to be in a few years."))
        form.addRow(_("Period"), self.period_edit)
        form.addRow(_("From"), dates)
        form.addRow(_("Account manager (owner)"), self.owner_combo)
        form.addRow(_("Executive sponsor"), self.sponsor_combo)
        form.addRow(_("Sales manager"), self.manager_combo)
        form.addRow(_("Sponsor's review"), self.sponsor_label)
        form.addRow(_("Plan summary"), self.summary_edit)
        form.addRow(_("Vision"), self.vision_edit)
        self.addTab(_scroll(page), _("Summary"))

    def _build_customer(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.customer_edits: dict[str, QPlainTextEdit] = {}
        for key, label in CUSTOMER_FIELDS:
            edit = QPlainTextEdit()
            edit.setFixedHeight(54)
            form.addRow(QLabel(_(label)), edit)
            self.customer_edits[key] = edit
        self.customer_swot = SwotGrid()
        form.addRow(QLabel(_("The customer's SWOT")), self.customer_swot)
        self.addTab(_scroll(page), _("Customer"))

    def _build_competitors(self) -> None:
        headers = [_("Competitor"), *[_(label) for _k, label in COMPETITOR_FIELDS], _("Customer's preference (1–5)")]
        self.competitors = EditTable(headers, stretch=len(headers) - 2,
                                     widths={i: 150 for i in range(len(headers)) if i != len(headers) - 2})
        self.addTab(_table_page(self.competitors, _("Add competitor"), self.add_competitor,
                                _("One row per competitor in this account; double-click a cell to write in it.")),
                    _("Competitors"))

    def _build_situation(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.share_spin = QDoubleSpinBox()
        self.share_spin.setRange(-1, 100)
        self.share_spin.setSpecialValueText(_("unknown"))
        self.share_spin.setSuffix("%")
        self.cycle_combo = QComboBox()
        self.cycle_combo.addItem("—", None)
        for stage in CycleStage:
            self.cycle_combo.addItem(stage.label, stage.value)
        form.addRow(_("Our share of their spend"), self.share_spin)
        form.addRow(_("Relationship cycle stage"), self.cycle_combo)
        self.situation_edits: dict[str, QPlainTextEdit] = {}
        for key, label in SITUATION_FIELDS:
            edit = QPlainTextEdit()
            edit.setFixedHeight(54)
            form.addRow(QLabel(_(label)), edit)
            self.situation_edits[key] = edit
        self.our_swot = SwotGrid()
        form.addRow(QLabel(_("Our SWOT in this account")), self.our_swot)
        self.addTab(_scroll(page), _("Situation"))

    def _build_objectives(self) -> None:
        self.objectives = EditTable([_("Objective"), _("Measure"), _("Target"), _("Due"), _("Owner"),
                                     _("SMART check")], widths={1: 140, 2: 90, 3: 100, 4: 110, 5: 300})
        self.objectives.horizontalHeaderItem(3).setToolTip(_("A date such as 2027-06-30"))
        self.objectives.itemChanged.connect(lambda _i: self.refresh_smart())
        self.addTab(_table_page(self.objectives, _("Add objective"), self.add_objective, _(
            "Objectives are SMART: specific, measurable (measure and target), achievable (an owner), appropriate "
            "and timely (a due date). The last column says what is still missing.")), _("Objectives"))

    def _build_actions(self) -> None:
        self.actions = EditTable([_("Task"), _("Owner"), _("Deadline"), _("Status"), _("Progress"),
                                  _("Objective"), _("Done")], widths={1: 110, 2: 100, 3: 120, 4: 80, 5: 170, 6: 150})
        self.actions.horizontalHeaderItem(2).setToolTip(_("A date such as 2027-06-30"))
        self.actions.itemChanged.connect(lambda _i: self.refresh_overdue())
        self.addTab(_table_page(self.actions, _("Add action step"), self.add_action,
                                _("Overdue steps are shown in red. Setting a step to Done records who and when.")),
                    _("Actions"))

    def _build_revenue(self) -> None:
        self.revenue = EditTable([_("Period"), _("Sales target"), _("Actual revenue"), _("Margin %"), _("Profit"),
                                  _("Variance")], stretch=5, widths={0: 120, 1: 150, 2: 150, 3: 90, 4: 150})
        self.revenue.itemChanged.connect(lambda _i: self.refresh_totals())
        self.totals_label = QLabel()
        page = _table_page(self.revenue, _("Add period"), self.add_revenue)
        layout = page.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(2, self.totals_label)
        self.addTab(page, _("Revenue"))

    def _build_intel(self) -> None:
        self.intel = EditTable([_("Grade"), _("Note"), _("Source"), _("Date")], stretch=1,
                               widths={0: 230, 2: 160, 3: 100})
        self.addTab(_table_page(self.intel, _("Add note"), self.add_intel, _(
            "Information grades: 1 public and free; 2 public at a cost; 3 private, through contacts; 4 private, "
            "from their top management. Higher grades are worth more.")), _("Intelligence"))

    # Rows ------------------------------------------------------------------------------------
    def add_competitor(self, competitor: Competitor | None = None) -> None:
        c = competitor or Competitor(_("New competitor"))
        row = self.competitors.rowCount()
        self.competitors.insertRow(row)
        self.competitors.set_text(row, 0, c.name)
        for column, (key, _label) in enumerate(COMPETITOR_FIELDS, start=1):
            self.competitors.set_text(row, column, getattr(c, key))
        spin = QSpinBox()
        spin.setRange(0, 5)
        spin.setSpecialValueText("—")
        spin.setValue(c.preference or 0)
        self.competitors.setCellWidget(row, len(COMPETITOR_FIELDS) + 1, spin)

    def add_objective(self, objective: Objective | None = None) -> None:
        o = objective or Objective("")
        table = self.objectives
        with QSignalBlocker(table):
            row = table.rowCount()
            table.insertRow(row)
            table.set_text(row, 0, o.statement)
            table.set_text(row, 1, o.measure)
            table.set_text(row, 2, o.target_value)
            table.set_text(row, 3, o.due_on.isoformat() if o.due_on else "")
            owner = self._member_combo(o.owner_id)
            owner.currentIndexChanged.connect(lambda _i: self.refresh_smart())
            table.setCellWidget(row, 4, owner)
            table.set_text(row, 5, "", editable=False)
            table.item(row, 0).setData(Qt.ItemDataRole.UserRole, o.id)
        self.refresh_smart()
        self._refresh_objective_choices()

    def add_action(self, action: ActionStep | None = None) -> None:
        a = action or ActionStep("", owner_id=self._me())
        table = self.actions
        with QSignalBlocker(table):
            row = table.rowCount()
            table.insertRow(row)
            table.set_text(row, 0, a.task)
            table.item(row, 0).setData(Qt.ItemDataRole.UserRole, (a.id, a.done_by, a.done_on))
            table.setCellWidget(row, 1, self._member_combo(a.owner_id))
            table.set_text(row, 2, a.deadline.isoformat() if a.deadline else "")
            status = QComboBox()
            for key, label in ACTION_STATUSES:
                status.addItem(_(label), key)
            status.setCurrentIndex(max(0, status.findData(a.status)))
            status.currentIndexChanged.connect(lambda _i: self.refresh_overdue())
            table.setCellWidget(row, 3, status)
            progress = QSpinBox()
            progress.setRange(0, 100)
            progress.setSuffix("%")
            progress.setValue(a.progress)
            table.setCellWidget(row, 4, progress)
            objective = QComboBox()
            table.setCellWidget(row, 5, objective)
            done = _("{who}, {date}").format(who=a.done_by, date=formatting.date(a.done_on)) if a.done_on else ""
            table.set_text(row, 6, done, editable=False)
        self._refresh_objective_choices({row: a.objective})
        self.refresh_overdue()

    def add_revenue(self, line: RevenueLine | None = None) -> None:
        r = line or RevenueLine(self.period_edit.text().strip())
        table = self.revenue
        with QSignalBlocker(table):
            row = table.rowCount()
            table.insertRow(row)
            table.set_text(row, 0, r.period)
            table.set_text(row, 1, _money_text(r.target_cents))
            table.set_text(row, 2, _money_text(r.actual_cents))
            table.set_text(row, 3, "" if r.margin_pct is None else f"{r.margin_pct:g}")
            table.set_text(row, 4, _money_text(r.profit_cents))
            table.set_text(row, 5, "", editable=False)
        self.refresh_totals()

    def add_intel(self, note: IntelNote | None = None) -> None:
        n = note or IntelNote(3, "", "", self.workspace.plans.today())
        row = self.intel.rowCount()
        self.intel.insertRow(row)
        grade = QComboBox()
        for key, label in INTEL_GRADES.items():
            grade.addItem(_(label), key)
        grade.setCurrentIndex(max(0, grade.findData(n.grade)))
        self.intel.setCellWidget(row, 0, grade)
        self.intel.set_text(row, 1, n.note)
        self.intel.set_text(row, 2, n.source)
        self.intel.set_text(row, 3, n.noted_on.isoformat() if n.noted_on else "")

    def _me(self) -> int | None:
        return next((m for m, name, active in self.members if active and name == self.workspace.user_name), None)

    def _refresh_objective_choices(self, wanted: dict[int, int | None] | None = None) -> None:
        count = self.objectives.rowCount()
        for row in range(self.actions.rowCount()):
            combo = self.actions.cellWidget(row, 5)
            if not isinstance(combo, QComboBox):
                continue
            current = wanted.get(row) if wanted and row in wanted else combo.currentData()
            with QSignalBlocker(combo):
                combo.clear()
                combo.addItem("—", None)
                for index in range(count):
                    combo.addItem(f"{index + 1}. {self.objectives.text(index, 0)[:30]}", index)
                combo.setCurrentIndex(max(0, combo.findData(current)))

    # Live checks -----------------------------------------------------------------------------
    def refresh_smart(self) -> None:
        table = self.objectives
        with QSignalBlocker(table):
            for row in range(table.rowCount()):
                objective = self._objective(row, strict=False)
                missing = smart_missing(objective)
                item = table.item(row, 5)
                if item is None:
                    continue
                item.setText(_("complete") if not missing else "; ".join(missing))
                item.setForeground(QColor("#1b5e20") if not missing else OVERDUE_TEXT)
        self._refresh_objective_choices()

    def refresh_overdue(self) -> None:
        today = self.workspace.plans.today()
        table = self.actions
        with QSignalBlocker(table):
            for row in range(table.rowCount()):
                try:
                    late = is_overdue(self._action(row), today)
                except ValueError:
                    late = False
                for column in (0, 2):
                    item = table.item(row, column)
                    if item is not None:
                        item.setBackground(OVERDUE_FILL if late else QColor(Qt.GlobalColor.transparent))
                        item.setForeground(OVERDUE_TEXT if late else self.palette().text().color())
                        item.setToolTip(_("Overdue") if late else "")

    def refresh_totals(self) -> None:
        lines = []
        with QSignalBlocker(self.revenue):
            for row in range(self.revenue.rowCount()):
                try:
                    line = self._revenue(row)
                except ValueError:
                    continue
                lines.append(line)
                variance = line_variance(line)
                item = self.revenue.item(row, 5)
                if item is not None:
                    item.setText(formatting.money(variance) if variance is not None else "")
        totals = revenue_totals(lines)
        self.totals_label.setText(_(
            "Totals: target {target}, actual {actual}, variance {variance}{pct}, profit {profit}, margin {margin}").format(
            target=formatting.money(totals.target_cents), actual=formatting.money(totals.actual_cents),
            variance=formatting.money(totals.variance_cents),
            pct=f" ({totals.variance_pct:+g}%)" if totals.variance_pct is not None else "",
            profit=formatting.money(totals.profit_cents),
            margin=f"{totals.margin_pct:g}%" if totals.margin_pct is not None else "—"))

    # Reading rows back -----------------------------------------------------------------------
    def _combo_data(self, table: QTableWidget, row: int, column: int) -> object:
        combo = table.cellWidget(row, column)
        return combo.currentData() if isinstance(combo, QComboBox) else None

    def _spin(self, table: QTableWidget, row: int, column: int) -> int:
        spin = table.cellWidget(row, column)
        return spin.value() if isinstance(spin, QSpinBox) else 0

    def _objective(self, row: int, strict: bool = True) -> Objective:
        t = self.objectives
        try:
            due = _parse_date(t.text(row, 3))
        except ValueError:
            if strict:
                raise
            due = None
        owner = self._combo_data(t, row, 4)
        item = t.item(row, 0)
        return Objective(t.text(row, 0), t.text(row, 1), t.text(row, 2), due,
                         owner if isinstance(owner, int) else None,
                         next((n for m, n, _a in self.members if m == owner), ""),
                         item.data(Qt.ItemDataRole.UserRole) if item is not None else None)

    def _action(self, row: int) -> ActionStep:
        t = self.actions
        item = t.item(row, 0)
        action_id, done_by, done_on = item.data(Qt.ItemDataRole.UserRole) if item is not None else (None, "", None)
        owner = self._combo_data(t, row, 1)
        status = self._combo_data(t, row, 3)
        objective = self._combo_data(t, row, 5)
        return ActionStep(t.text(row, 0), owner if isinstance(owner, int) else None,
                          next((n for m, n, _a in self.members if m == owner), ""), _parse_date(t.text(row, 2)),
                          str(status or "not_started"), self._spin(t, row, 4),
                          objective if isinstance(objective, int) else None, done_by or "", done_on, action_id)

    def _revenue(self, row: int) -> RevenueLine:
        t = self.revenue
        margin = t.text(row, 3).strip().rstrip("%")
        return RevenueLine(t.text(row, 0).strip(), _parse_money(t.text(row, 1)), _parse_money(t.text(row, 2)),
                           float(margin) if margin else None, _parse_money(t.text(row, 4)))

    # Whole plan ------------------------------------------------------------------------------
    def load(self, plan: AccountPlan) -> None:
        self.plan = plan
        self.period_edit.setText(plan.period)
        for edit, value in ((self.starts_edit, plan.starts_on), (self.ends_edit, plan.ends_on)):
            day = value or self.workspace.plans.today()
            edit.setDate(day)
        for combo, value in ((self.owner_combo, plan.owner_id), (self.sponsor_combo, plan.sponsor_id),
                             (self.manager_combo, plan.sales_manager_id)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.sponsor_label.setText(_("reviewed by {who} on {date}").format(
            who=plan.sponsor_reviewed_by, date=formatting.date(plan.sponsor_reviewed_on))
            if plan.sponsor_reviewed_on else _("not reviewed yet"))
        self.summary_edit.setPlainText(plan.summary)
        self.vision_edit.setPlainText(plan.vision)
        for key, edit in self.customer_edits.items():
            edit.setPlainText(plan.customer.get(key, ""))
        self.customer_swot.load(plan.customer_swot)
        for key, edit in self.situation_edits.items():
            edit.setPlainText(plan.situation.get(key, ""))
        self.our_swot.load(plan.our_swot)
        self.share_spin.setValue(plan.share_of_spend_pct if plan.share_of_spend_pct is not None else -1)
        self.cycle_combo.setCurrentIndex(max(0, self.cycle_combo.findData(plan.cycle_stage)))
        for table in (self.competitors, self.objectives, self.actions, self.revenue, self.intel):
            table.setRowCount(0)
        for competitor in plan.competitors:
            self.add_competitor(competitor)
        for objective in plan.objectives:
            self.add_objective(objective)
        for action in plan.actions:
            self.add_action(action)
        for line in plan.revenue:
            self.add_revenue(line)
        for note in plan.intel:
            self.add_intel(note)
        self.refresh_totals()

    def value(self) -> AccountPlan:
        """The plan as the form shows it; a cell that cannot be read raises PlanError naming it."""
        assert self.plan is not None
        problems: list[str] = []
        objectives, actions, revenue, intel = [], [], [], []
        for row in range(self.objectives.rowCount()):
            try:
                objectives.append(self._objective(row))
            except ValueError:
                problems.append(_("Objective {n}: the due date is not a date (write it as 2027-06-30).").format(n=row + 1))
        for row in range(self.actions.rowCount()):
            try:
                actions.append(self._action(row))
            except ValueError:
                problems.append(_("Action {n}: the deadline is not a date (write it as 2027-06-30).").format(n=row + 1))
        for row in range(self.revenue.rowCount()):
            try:
                revenue.append(self._revenue(row))
            except ValueError:
                problems.append(_("Revenue row {n}: amounts and margin are plain numbers.").format(n=row + 1))
        for row in range(self.intel.rowCount()):
            try:
                noted = _parse_date(self.intel.text(row, 3))
            except ValueError:
                problems.append(_("Intelligence note {n}: the date is not a date.").format(n=row + 1))
                continue
            grade = self._combo_data(self.intel, row, 0)
            intel.append(IntelNote(grade if isinstance(grade, int) else 1, self.intel.text(row, 1),
                                   self.intel.text(row, 2), noted))
        competitors = []
        for row in range(self.competitors.rowCount()):
            values = {key: self.competitors.text(row, column)
                      for column, (key, _label) in enumerate(COMPETITOR_FIELDS, start=1)}
            preference = self._spin(self.competitors, row, len(COMPETITOR_FIELDS) + 1)
            name = self.competitors.text(row, 0).strip()
            if name or any(v.strip() for v in values.values()):
                competitors.append(Competitor(name or _("Competitor {n}").format(n=row + 1),
                                              preference=preference or None, **values))
        if problems:
            raise PlanError("\n".join(problems))
        share = self.share_spin.value()
        p = self.plan
        return AccountPlan(
            account_id=p.account_id, period=self.period_edit.text().strip(),
            starts_on=self.starts_edit.date().toPython(), ends_on=self.ends_edit.date().toPython(),
            summary=self.summary_edit.toPlainText(),
            customer={k: e.toPlainText() for k, e in self.customer_edits.items() if e.toPlainText().strip()},
            customer_swot=self.customer_swot.value(), competitors=competitors,
            situation={k: e.toPlainText() for k, e in self.situation_edits.items() if e.toPlainText().strip()},
            share_of_spend_pct=share if share >= 0 else None, cycle_stage=self.cycle_combo.currentData(),
            our_swot=self.our_swot.value(), vision=self.vision_edit.toPlainText(), objectives=objectives,
            actions=actions, revenue=revenue, intel=intel, owner_id=self.owner_combo.currentData(),
            sponsor_id=self.sponsor_combo.currentData(), sales_manager_id=self.manager_combo.currentData(),
            sponsor_reviewed_by=p.sponsor_reviewed_by, sponsor_reviewed_on=p.sponsor_reviewed_on, id=p.id,
            version=p.version, account_name=p.account_name, account_class=p.account_class)


class ReviewPanel(QWidget):
    """The periodic relationship self-check: score five questions 1–5; the history shows the trend."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.plan_id: int | None = None
        form = QFormLayout()
        self.spins: dict[str, QSpinBox] = {}
        for key, question in REVIEW_QUESTIONS:
            spin = QSpinBox()
            spin.setRange(0, 5)
            spin.setSpecialValueText(_("not scored"))
            form.addRow(QLabel(_(question)), spin)
            self.spins[key] = spin
        self.notes = QLineEdit()
        self.notes.setPlaceholderText(_("What will we improve?"))
        form.addRow(_("Notes"), self.notes)
        self.add_button = QPushButton(_("Record this review"))
        self.add_button.clicked.connect(self.record)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.trend = QLabel()
        self.history = QTreeWidget()
        self.history.setHeaderLabels([_("Date"), _("By"), _("Average"), _("Notes")])
        self.history.setRootIsDecorated(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        layout.addWidget(self.trend)
        layout.addWidget(self.history, 1)

    def load(self, plan_id: int | None) -> None:
        self.plan_id = plan_id
        self.add_button.setEnabled(plan_id is not None and not self.workspace.read_only)
        self.history.clear()
        reviews = self.workspace.plans.reviews(plan_id) if plan_id is not None else []
        for review in reversed(reviews):
            average = review.average
            QTreeWidgetItem(self.history, [formatting.date(review.reviewed_on), review.reviewed_by,
                                           f"{average:.1f}" if average is not None else "—", review.notes])
        averages = [r.average for r in reviews if r.average is not None]
        self.trend.setText(_("Trend (oldest first): {bars}  latest {latest:.1f} of 5").format(
            bars=trend_line(averages), latest=averages[-1]) if averages else
            _("No review yet: score the questions and record one."))

    def record(self) -> None:
        if self.plan_id is None:
            return
        scores = {key: spin.value() for key, spin in self.spins.items()}
        try:
            self.workspace.plans.add_review(self.plan_id, scores, self.notes.text())
        except PlanError as exc:
            self.error.setText(str(exc))
            return
        except StorageError as exc:
            prompts.current().warn(self, _("Review not recorded"), str(exc))
            return
        self.error.clear()
        for spin in self.spins.values():
            spin.setValue(0)
        self.notes.clear()
        self.load(self.plan_id)


class MyActionsView(QWidget):
    """One person's open action steps across every plan, by deadline; overdue ones in red."""

    open_plan = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.member_combo = QComboBox()
        for member in workspace.team.members():
            if member.active:
                self.member_combo.addItem(member.name, member.id)
        mine = self.member_combo.findText(workspace.user_name)
        self.member_combo.setCurrentIndex(max(0, mine))
        self.member_combo.currentIndexChanged.connect(self.refresh)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("Deadline"), _("Task"), _("Account"), _("Plan"), _("Status"), _("Progress")])
        self.tree.setRootIsDecorated(False)
        self.tree.itemDoubleClicked.connect(self._open)
        self.done_button = QPushButton(_("Mark done"))
        self.done_button.clicked.connect(self.mark_done)
        self.done_button.setEnabled(not workspace.read_only)
        self.empty = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Open action steps of")))
        top.addWidget(self.member_combo)
        top.addStretch(1)
        top.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.tree, 1)

    def refresh(self) -> None:
        self.tree.clear()
        member = self.member_combo.currentData()
        rows = self.workspace.plans.my_actions(member) if member is not None else []
        statuses = dict(ACTION_STATUSES)
        for action, version in rows:
            item = QTreeWidgetItem(self.tree, [formatting.date(action.deadline) if action.deadline else "—",
                                               action.task, action.account_name, action.period,
                                               _(statuses.get(action.status, action.status)), f"{action.progress}%"])
            item.setData(0, Qt.ItemDataRole.UserRole, (action.id, version, action.plan_id))
            if action.overdue:
                for column in range(6):
                    item.setForeground(column, OVERDUE_TEXT)
                item.setToolTip(0, _("Overdue"))
        self.empty.setText(_("No open action steps: nothing waits on this person.") if not rows else
                           _("{count} open steps; double-click one to open its plan.").format(count=len(rows)))
        self.tree.resizeColumnToContents(1)

    def _open(self, item: QTreeWidgetItem) -> None:
        self.open_plan.emit(item.data(0, Qt.ItemDataRole.UserRole)[2])

    def mark_done(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        action_id, version, _plan = item.data(0, Qt.ItemDataRole.UserRole)
        try:
            self.workspace.plans.mark_done(action_id, version)
        except ConflictError as exc:
            prompts.current().warn(self, _("Changed by someone else"), str(exc))
        except StorageError as exc:
            prompts.current().warn(self, _("Not saved"), str(exc))
        self.refresh()


class PlansTab(TabPage):
    """Account and period on top; the plan's sections, its reviews, or one person's actions below."""

    tables = frozenset({"account_plans", "plan_objectives", "plan_actions", "plan_reviews", "accounts",
                        "team_members"})
    WRITES = frozenset({"account_plans", "plan_objectives", "plan_actions", "plan_reviews"})
    plan_saved = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        """With `background`, the account list is read off the GUI thread (the window on a large file)."""
        super().__init__(parent)
        self.workspace = workspace
        self.service = workspace.plans
        self.background = background
        self._accounts_generation = 0
        self._accounts_pending = False
        self._keep_plan = False  # a refresh while the plan on screen has unsaved edits leaves it be
        self.account_combo = QComboBox()
        self.account_combo.setEditable(True)
        self.account_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.account_combo.lineEdit().setPlaceholderText(_("Type an account name"))
        completer = self.account_combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.period_combo = QComboBox()
        self.new_button = QPushButton(_("New plan…"))
        self.copy_button = QPushButton(_("Copy to next period…"))
        self.save_button = QPushButton(_("Save"))
        self.delete_button = QPushButton(_("Delete plan…"))
        self.sponsor_button = QPushButton(_("Sponsor reviewed…"))
        self.print_button = QPushButton(_("Plan pack…"))
        self.actions_button = QPushButton(_("My actions"))
        self.actions_button.setCheckable(True)
        self.status = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.editor = PlanEditor(workspace)
        self.reviews = ReviewPanel(workspace)
        self.editor.addTab(_scroll(self.reviews), _("Reviews"))
        self.my_actions = MyActionsView(workspace)
        self.my_actions.open_plan.connect(self.show_plan)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        for widget in (self.empty, self.editor, self.my_actions):
            self.stack.addWidget(widget)
        for combo, letters in ((self.account_combo, 16), (self.period_combo, 8)):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(letters)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Account")))
        top.addWidget(self.account_combo, 3)
        top.addWidget(QLabel(_("Plan")))
        top.addWidget(self.period_combo, 1)
        top.addWidget(self.actions_button)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.copy_button, self.save_button, self.delete_button, self.sponsor_button,
                       self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        self.account_combo.activated.connect(lambda _i: self.account_chosen())
        self.period_combo.activated.connect(lambda _i: self.period_chosen())
        self.new_button.clicked.connect(lambda: self.new_plan())
        self.copy_button.clicked.connect(lambda: self.copy_plan())
        self.save_button.clicked.connect(lambda: self.save())
        self.delete_button.clicked.connect(self.delete)
        self.sponsor_button.clicked.connect(self.sponsor_reviewed)
        self.print_button.clicked.connect(lambda: self.preview_pack())
        self.actions_button.toggled.connect(self.toggle_actions)
        QShortcut(QKeySequence.StandardKey.Save, self, lambda: self.save(),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Print, self, lambda: self.preview_pack(),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._loaded: AccountPlan | None = None
        self.reload_accounts()

    def refresh(self) -> None:
        """Re-read the accounts and the plan on screen; a plan with unsaved edits is kept as it is."""
        self._keep_plan = self._has_unsaved_edits()
        if self.stack.currentWidget() is self.my_actions:
            self.my_actions.refresh()
        self.reload_accounts()

    def _has_unsaved_edits(self) -> bool:
        if self._loaded is None or self.stack.currentWidget() is not self.editor:
            return False
        try:
            return self.editor.value() != self._loaded
        except PlanError:
            return True  # a half-typed cell is an edit too

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # Choosing --------------------------------------------------------------------------------
    def reload_accounts(self) -> None:
        self._accounts_generation += 1
        generation = self._accounts_generation
        if self.background:
            self._accounts_pending = True
            tasks.run(self.workspace.contacts.account_choices, lambda choices: self._fill_accounts(generation, choices),
                      lambda exc: self.show_error(str(exc)))
            return
        self._fill_accounts(generation, self.workspace.contacts.account_choices())

    def _ensure_accounts(self) -> None:
        """Asked for an account before the list arrived: read it now (the pending read is then ignored)."""
        if self._accounts_pending:
            self._accounts_generation += 1
            self._fill_accounts(self._accounts_generation, self.workspace.contacts.account_choices())

    def _fill_accounts(self, generation: int, choices: list[tuple[int, str]]) -> None:
        if generation != self._accounts_generation:
            return  # a newer read is on its way
        self._accounts_pending = False
        current = self.account_combo.currentData()
        with QSignalBlocker(self.account_combo):
            self.account_combo.clear()
            self.account_combo.addItems([name for _id, name in choices])  # one call: quick for thousands
            for row, (account_id, _name) in enumerate(choices):
                self.account_combo.setItemData(row, account_id)
            self.account_combo.setCurrentIndex(self.account_combo.findData(current) if current is not None else -1)
        if self._keep_plan:
            self._keep_plan = False
            self._enable()
            return
        self.account_chosen()

    def account_id(self) -> int | None:
        index = self.account_combo.findText(self.account_combo.currentText())
        value = self.account_combo.itemData(index) if index >= 0 else None
        return int(value) if value is not None else None

    def select_account(self, account_id: int) -> None:
        self._ensure_accounts()
        self.account_combo.setCurrentIndex(self.account_combo.findData(account_id))
        self.account_chosen()

    def account_chosen(self, select_plan: int | None = None) -> None:
        account = self.account_id()
        with QSignalBlocker(self.period_combo):
            self.period_combo.clear()
            for summary in self.service.plans(account) if account is not None else []:
                self.period_combo.addItem(summary.period, summary.id)
            if select_plan is not None:
                self.period_combo.setCurrentIndex(max(0, self.period_combo.findData(select_plan)))
        self.period_chosen()

    def period_chosen(self) -> None:
        plan_id = self.period_combo.currentData()
        plan = self.service.get(plan_id) if plan_id is not None else None
        if plan is None:
            self._loaded = None
            self._show_empty()
        else:
            self._show(plan)

    def show_plan(self, plan_id: int) -> None:
        plan = self.service.get(plan_id)
        if plan is None:
            return
        self.actions_button.setChecked(False)
        self._ensure_accounts()
        self.account_combo.setCurrentIndex(self.account_combo.findData(plan.account_id))
        self.account_chosen(select_plan=plan_id)

    def _show_empty(self) -> None:
        account = self.account_id()
        self.empty.setText(_("Choose an account above to see its plans.") if account is None else
                           _("This account has no plan yet. Press New plan… to start one for a period such as {p}.")
                           .format(p=f"FY{self.service.today().year + 1}"))
        self.stack.setCurrentWidget(self.empty)
        self._enable()

    def _show(self, plan: AccountPlan) -> None:
        self._loaded = plan
        self.editor.load(plan)
        self.reviews.load(plan.id)
        self.stack.setCurrentWidget(self.editor)
        self.show_error("")
        self.status.setText(_("Last saved by {who} at {when}").format(
            who=plan.updated_by, when=plan.updated_at.strftime("%Y-%m-%d %H:%M") + " UTC")
            if plan.updated_at else _("Not saved yet"))
        self._enable()

    def _enable(self) -> None:
        writable = not self.workspace.read_only
        has_plan = self._loaded is not None
        self.new_button.setEnabled(writable and self.account_id() is not None)
        for button in (self.copy_button, self.save_button, self.delete_button, self.sponsor_button):
            button.setEnabled(writable and has_plan)
        self.copy_button.setEnabled(writable and has_plan and self._loaded is not None and self._loaded.id is not None)
        self.print_button.setEnabled(has_plan and self._loaded is not None and self._loaded.id is not None)

    def toggle_actions(self, on: bool) -> None:
        if on:
            self.my_actions.refresh()
            self.stack.setCurrentWidget(self.my_actions)
        elif self._loaded is not None:
            self.stack.setCurrentWidget(self.editor)
        else:
            self._show_empty()

    # Acting ----------------------------------------------------------------------------------
    def new_plan(self, period: str | None = None) -> bool:
        account = self.account_id()
        if account is None:
            return False
        if period is None:
            period = prompts.current().ask_text(self, _("New plan"), _("Period of the plan (e.g. FY2027):"),
                                                f"FY{self.service.today().year + 1}")
        if not period or not period.strip():
            return False
        try:
            plan = self.service.new(account, period)
        except PlanError as exc:
            self.show_error(str(exc))
            return False
        self.period_combo.addItem(plan.period, None)
        self.period_combo.setCurrentIndex(self.period_combo.count() - 1)
        self._show(plan)
        self.editor.setCurrentIndex(0)
        return True

    def copy_plan(self, period: str | None = None) -> bool:
        if self._loaded is None or self._loaded.id is None:
            return False
        if period is None:
            period = prompts.current().ask_text(self, _("Copy to next period"), _(
                "Period of the new plan; profiles, objectives and unfinished actions are copied:"),
                next_period(self._loaded.period))
        if not period or not period.strip():
            return False
        plan = self.service.copy_forward(self._loaded.id, period)
        self.period_combo.addItem(plan.period, None)
        self.period_combo.setCurrentIndex(self.period_combo.count() - 1)
        self._show(plan)
        return True

    def save(self) -> bool:
        if self._loaded is None or self.stack.currentWidget() is not self.editor:
            return False
        try:
            plan = self.editor.value()
            plan_id = self.service.save(plan)
        except PlanError as exc:
            self.show_error(str(exc))
            return False
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except StorageError as exc:
            prompts.current().warn(self, _("Plan not saved"), str(exc))
            return False
        self.account_chosen(select_plan=plan_id)
        self.status.setText(self.status.text() + "  ·  " + _("Saved."))
        self.plan_saved.emit(plan_id)
        self.changed.emit(self.WRITES)
        return True

    def _on_conflict(self, exc: ConflictError) -> None:
        if prompts.current().ask_yes_no(self, _("Someone else changed this plan"), _(
                "{problem}\n\nLoad their version now? Your changes on screen will be lost. Choose No to keep "
                "your changes on screen (to copy them) without saving.").format(problem=str(exc))):
            plan_id = self._loaded.id if self._loaded is not None else None
            self.account_chosen(select_plan=plan_id)

    def delete(self) -> None:
        plan = self._loaded
        if plan is None:
            return
        if plan.id is None:
            self.account_chosen()
            return
        if not prompts.current().ask_yes_no(self, _("Delete plan"), _(
                "Delete the {period} plan of {account}, with its objectives, actions and reviews? "
                "This cannot be undone.").format(period=plan.period, account=plan.account_name)):
            return
        try:
            self.service.delete(plan.id, plan.version)
        except ConflictError as exc:
            self._on_conflict(exc)
            return
        except StorageError as exc:
            prompts.current().warn(self, _("Plan not deleted"), str(exc))
            return
        self._loaded = None
        self.account_chosen()

    def sponsor_reviewed(self) -> None:
        if self._loaded is None:
            return
        who = prompts.current().ask_text(self, _("Sponsor's review"), _("Reviewed by:"),
                                         self.editor.sponsor_combo.currentText().strip("—") or
                                         self.workspace.user_name)
        if not who:
            return
        try:
            plan = self.editor.value()
            plan_id = self.service.sponsor_review(plan, who)
        except PlanError as exc:
            self.show_error(str(exc))
            return
        except ConflictError as exc:
            self._on_conflict(exc)
            return
        except StorageError as exc:
            prompts.current().warn(self, _("Plan not saved"), str(exc))
            return
        self.account_chosen(select_plan=plan_id)

    def preview_pack(self) -> PdfPreviewDialog | None:
        """Write the pack of the saved plan and preview it (print or save from there)."""
        plan = self._loaded
        if plan is None or plan.id is None:
            return None
        plan_id = plan.id
        name = f"{plan.account_name} {plan.period}.pdf".replace("/", "-")
        return preview_pdf(self, lambda path: self.service.print_pack(plan_id, path), _("Plan pack"), name)
