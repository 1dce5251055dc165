"""The Dashboard tab: counts, the Pareto chart of value, the effort pyramid (team-wide or per salesperson),
strategy groups, cost to serve, weakest zippers and recent class moves."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.dashboard import ClassMovement, DashboardData
from kamdesk.domain.enums import AccountClass, CycleStage, LabelledEnum, RankTier, SalesStage
from kamdesk.domain.settings import TeamSettings
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import formatting, tasks
from kamdesk.ui.errors import log, report
from kamdesk.ui.tabs.dashboard_judgement import JudgementRow, PyramidSelector
from kamdesk.ui.tabs.page import TabPage
from kamdesk.ui.widgets.charts import ChartWidget, ParetoChart
from kamdesk.ui.widgets.pyramid_chart import PyramidChart
from kamdesk.ui.widgets.record_list import ColumnFitter

#: The dashboard's reads, as its progress line counts them.
READ_STEPS = 4

NOT_SET = ""


class CountsBox(QGroupBox):
    """A titled column of label → count rows that can be refilled."""

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__(title)
        form = QFormLayout(self)
        self.values: dict[str, QLabel] = {}
        for key, label in rows:
            value = QLabel("0")
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            form.addRow(label, value)
            self.values[key] = value

    def fill(self, counts: dict[str, int] | object) -> None:
        get = getattr(counts, "get", None)
        for key, label in self.values.items():
            label.setText(str(get(key, 0) if get else getattr(counts, key)))


def _enum_rows(kind: type[LabelledEnum]) -> list[tuple[str, str]]:
    return [(m.value, m.label) for m in kind] + [(NOT_SET, _("(not set)"))]


def heat_colour(share: float) -> QColor:
    """Light red for none at target through light yellow to light green for all (readable text on top)."""
    share = min(max(share, 0.0), 1.0)
    low, mid, high = QColor("#f4b6b0"), QColor("#f7e3a1"), QColor("#b7dfb0")
    a, b, t = (low, mid, share * 2) if share < 0.5 else (mid, high, (share - 0.5) * 2)
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


class DashboardTab(TabPage):
    """Counts, the 80/20 curve, the pyramid and recent class moves (double-click one to open the account)."""

    tables = frozenset(
        {
            "accounts",
            "account_values",
            "account_class_history",
            "contacts",
            "contact_stage_history",
            "team_members",
            "activities",
            "gifts",
            "visits",
            "links",
            "settings",
        }
    )
    #: The figures on screen are now the file's (after a refresh finished).
    refreshed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, background: bool = False) -> None:
        super().__init__(parent)
        self._workspace = workspace
        #: Read the figures off the GUI thread (the window does; on the large demo they take ~0.3 s).
        self.background = background
        self._generation = 0
        self.totals = CountsBox(
            _("This team file"),
            [
                ("accounts", _("Accounts")),
                ("contacts", _("Contacts")),
                ("team_members", _("Our team")),
                ("activities", _("Activities")),
                ("gifts", _("Gift and hospitality records")),
            ],
        )
        self.classes = CountsBox(
            _("Accounts by class"),
            [(c.value, c.label) for c in AccountClass] + [("Z", _("Not yet classed (no value)"))],
        )
        self.stages = CountsBox(_("By sales stage"), _enum_rows(SalesStage))
        self.cycles = CountsBox(_("By cycle stage"), _enum_rows(CycleStage))
        counts = QHBoxLayout()
        for box in (self.totals, self.classes, self.stages, self.cycles):
            counts.addWidget(box)

        self.pareto = ParetoChart()
        self.pyramid = PyramidChart()
        self.charts = QSplitter(Qt.Orientation.Horizontal)
        self.charts.addWidget(self._chart_with_button(self.pareto))
        self.pyramid_selector = PyramidSelector()
        self.pyramid_selector.setToolTip(
            _("Whose pyramid: the whole team, or one salesperson's accounts and the time they spent themselves")
        )
        self.pyramid_selector.currentIndexChanged.connect(self._show_pyramid)
        self.charts.addWidget(self._chart_with_button(self.pyramid, self.pyramid_selector))
        self.charts.setStretchFactor(0, 3)
        self.charts.setStretchFactor(1, 2)
        self.charts.setChildrenCollapsible(False)

        self.heat = QTableWidget(len(AccountClass), len(RankTier))
        self.heat.setHorizontalHeaderLabels([r.label for r in RankTier])
        self.heat.setVerticalHeaderLabels([c.label for c in AccountClass])
        self.heat.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.heat.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.heat.setToolTip(
            _(
                "Share of contacts whose relationship has reached the target stage for their "
                "account's class and their rank."
            )
        )
        self.gaps = QTableWidget(0, 3)
        self.gaps.setHorizontalHeaderLabels([_("Account"), _("Stages to go"), _("People below target")])
        self.gaps.verticalHeader().setVisible(False)
        self.gaps.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.gaps.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.gaps.cellDoubleClicked.connect(self._open_gap)
        ColumnFitter(self.gaps)
        targets_box = QGroupBox(_("Relationships against target"))
        targets_layout = QHBoxLayout(targets_box)
        heat_column = QVBoxLayout()
        heat_column.addWidget(QLabel(_("Contacts at or above target, by account class and rank")))
        heat_column.addWidget(self.heat)
        gaps_column = QVBoxLayout()
        gaps_column.addWidget(QLabel(_("Accounts with the largest gaps")))
        gaps_column.addWidget(self.gaps)
        targets_layout.addLayout(heat_column, 3)
        targets_layout.addLayout(gaps_column, 2)
        targets_box.setMinimumHeight(220)

        self.moves_title = QLabel()
        self.moves_title.setStyleSheet("font-weight: bold")
        self.moves = QTableWidget(0, 4)
        self.moves.setHorizontalHeaderLabels([_("Account"), _("Class change"), _("When"), _("Why")])
        self.moves.verticalHeader().setVisible(False)
        self.moves.horizontalHeader().setStretchLastSection(True)
        self.moves.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.moves.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.moves.setMaximumHeight(170)
        ColumnFitter(self.moves)
        self.moves.cellDoubleClicked.connect(self._open_move)

        # The content scrolls inside a small window instead of forcing the window to grow.
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addLayout(counts)
        inner.addWidget(self.charts, 1)
        self.judgement = JudgementRow()
        self.judgement.account_requested.connect(self.account_requested)
        inner.addWidget(self.judgement)
        inner.addWidget(targets_box)
        inner.addWidget(self.moves_title)
        inner.addWidget(self.moves)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        # Figures that could not be read (a busy or unreachable file) are said, never left blank.
        self.problem = QLabel()
        self.problem.setObjectName("dashboardProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(
            "QLabel#dashboardProblem { background: #fff4e0; color: #6b3d00; padding: 6px 10px; }"
        )
        self.problem.hide()
        # On a file server the figures take a while: say they are being read, and how far it got.
        self.reading = QLabel()
        self.reading.setStyleSheet("color: #555; padding: 2px 10px;")
        self.reading.hide()
        self._steps_done = 0  # written by the reading thread, shown by the GUI's timer
        self._reading_timer = QTimer(self)
        self._reading_timer.setInterval(250)
        self._reading_timer.timeout.connect(self._show_reading)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problem)
        layout.addWidget(self.reading)
        layout.addWidget(scroll)
        self.data: DashboardData | None = None
        self.refresh()

    def _chart_with_button(self, chart: ChartWidget, selector: QWidget | None = None) -> QWidget:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(chart, 1)
        row = QHBoxLayout()
        if selector is not None:
            row.addWidget(selector)
        row.addStretch(1)
        button = QPushButton(_("Save as PNG…"))
        button.clicked.connect(chart.save_with_dialog)
        row.addWidget(button)
        box.addLayout(row)
        return holder

    def _read(self) -> tuple[Any, DashboardData, Any]:
        # Separate units of work on purpose: one long read would hold the file's shared lock throughout,
        # and a colleague's save waits for every shared lock to go.
        self._steps_done = 0
        summary = self._workspace.summary()
        self._steps_done = 1
        data = self._workspace.accounts.dashboard()
        self._steps_done = 2
        try:
            targets = (
                self._workspace.contacts.target_heat(),
                self._workspace.contacts.largest_gaps(),
                self._workspace.settings.load(),
            )
        except StorageError:
            targets = None
        self._steps_done = 3
        try:
            zippers = self._workspace.zipper.worst_accounts(10)
        except StorageError:
            zippers = None
        self._steps_done = READ_STEPS
        return summary, data, (targets, zippers)

    def _show_reading(self) -> None:
        self.reading.setText(
            _("Reading the figures… ({done} of {total})").format(done=self._steps_done, total=READ_STEPS)
        )
        self.reading.show()

    def _stop_reading(self) -> None:
        self._reading_timer.stop()
        self.reading.hide()

    def refresh(self) -> None:
        self._generation += 1
        if not self.background:
            try:
                self._show(self._generation, self._read())
            except StorageError as exc:
                self._failed(self._generation, exc)
            return
        generation = self._generation
        self._steps_done = 0
        self._reading_timer.start()  # the line shows once a read takes longer than a moment
        tasks.run(
            self._read,
            lambda figures: self._show(generation, figures),
            lambda exc: self._failed(generation, exc),
            owner=self,
        )

    def _failed(self, generation: int, exc: Exception) -> None:
        """The figures could not be read: say so above the last ones shown (they stay), and log it."""
        if generation != self._generation:
            return
        self._stop_reading()
        if not isinstance(exc, StorageError):
            report(self, exc, _("Dashboard"))
            return
        log.warning("dashboard not read: %s", exc)
        self.problem.setText(
            _(
                "The figures could not be read just now: {reason} They are read again at the next change, or press F5."
            ).format(reason=exc)
        )
        self.problem.show()

    def _show(self, generation: int, figures: tuple[Any, DashboardData, Any]) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self._stop_reading()
        self.problem.hide()
        summary, data, (targets, zippers) = figures
        self.data = data
        self.totals.fill(summary)
        self.classes.fill(dict(data.by_class))
        self.stages.fill(dict(data.by_stage))
        self.cycles.fill(dict(data.by_cycle))
        self.pareto.set_data(data.pareto)
        self.pyramid_selector.fill(data.pyramids)
        self._show_pyramid()
        self.judgement.fill_groups(data.strategy_counts, data.key_rule)
        self.judgement.fill_costs(data.costliest, data.cost_marks)
        self.judgement.fill_zippers(zippers)
        self._fill_moves(list(data.movements), data)
        if targets is not None:
            self._fill_targets(*targets)
        self.refreshed.emit()

    def _show_pyramid(self) -> None:
        """The pyramid of the person chosen in the selector (the team's when none is)."""
        if self.data is None:
            return
        owner = self.pyramid_selector.currentData()
        self.pyramid.set_data(self.data.pyramids.get(owner, self.data.pyramid))

    def _fill_targets(
        self,
        heat: dict[tuple[str, str], tuple[int, int]],
        gaps: list[tuple[int, str, str, int, int]],
        settings: TeamSettings,
    ) -> None:
        for row, cls in enumerate(AccountClass):
            for column, rank in enumerate(RankTier):
                total, met = heat.get((cls.value, rank.value), (0, 0))
                target = settings.target_stage(cls, rank).label  # the team's grid (Team settings)
                item = QTableWidgetItem(
                    _("{target}: {share}% ({met} of {total})").format(
                        target=target, share=round(100 * met / total), met=met, total=total
                    )
                    if total
                    else _("{target}: —").format(target=target)
                )
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if total:
                    item.setBackground(heat_colour(met / total))
                    item.setForeground(QColor("#111111"))
                self.heat.setItem(row, column, item)
        self.gaps.setRowCount(0)
        for account_id, name, gap_class, stages, people in gaps:
            row = self.gaps.rowCount()
            self.gaps.insertRow(row)
            first = QTableWidgetItem(f"{name} ({gap_class})" if gap_class else name)
            first.setData(Qt.ItemDataRole.UserRole, account_id)
            for column, item in enumerate((first, QTableWidgetItem(str(stages)), QTableWidgetItem(str(people)))):
                self.gaps.setItem(row, column, item)
        self.gaps.resizeColumnToContents(0)

    def _open_gap(self, row: int, _column: int) -> None:
        item = self.gaps.item(row, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) is not None:
            self.account_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def _fill_moves(self, moves: list[ClassMovement], data: DashboardData) -> None:
        since = formatting.date(data.movements_since)
        self.moves_title.setText(_("Accounts that moved class since {date}").format(date=since))
        self.moves.setRowCount(0)
        if not moves:
            self.moves.setRowCount(1)
            empty = QTableWidgetItem(_("No account has moved class since {date}.").format(date=since))
            self.moves.setItem(0, 0, empty)
            self.moves.setSpan(0, 0, 1, 4)
            return
        self.moves.clearSpans()
        for move in moves:
            row = self.moves.rowCount()
            self.moves.insertRow(row)
            name = QTableWidgetItem(move.name)
            name.setData(Qt.ItemDataRole.UserRole, move.account_id)
            change = _("moved from {old} to {new}").format(
                old=move.old.value if move.old else "—", new=move.new.value if move.new else "—"
            )
            for column, item in enumerate(
                (
                    name,
                    QTableWidgetItem(change),
                    QTableWidgetItem(formatting.date(move.at.date())),
                    QTableWidgetItem(self._why(move)),
                )
            ):
                self.moves.setItem(row, column, item)
        self.moves.resizeColumnsToContents()

    @staticmethod
    def _why(move: ClassMovement) -> str:
        kind, _sep, text = move.reason.partition(": ")
        if kind == "recomputed":
            return _("values changed (recomputed)")
        if kind == "pinned":
            return _("pinned by {name}: {reason}").format(name=move.by, reason=text)
        if kind == "unpinned":
            return _("pin removed by {name}").format(name=move.by)
        return move.reason

    def _open_move(self, row: int, _column: int) -> None:
        item = self.moves.item(row, 0)
        account_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if account_id is not None:
            self.account_requested.emit(int(account_id))
