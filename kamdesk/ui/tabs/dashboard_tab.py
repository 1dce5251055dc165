"""The Dashboard tab: counts, the Pareto chart of value, the effort pyramid (team-wide or per salesperson),
strategy groups, cost to serve, weakest zippers and recent class moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.changes import tables_touched
from kamdesk.domain.dashboard import ClassMovement, DashboardData
from kamdesk.domain.enums import AccountClass, CycleStage, LabelledEnum, RankTier, SalesStage
from kamdesk.domain.settings import TeamSettings
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import change_notices, formatting, tasks
from kamdesk.ui.errors import log, report
from kamdesk.ui.tabs.dashboard_figures import (
    PARTS,
    READ_LANES,
    SHOWN_TABLES,
    CachedFigures,
    cache_identity,
    load_cache,
    parts_for,
    read_part,
    save_cache,
)
from kamdesk.ui.tabs.dashboard_judgement import JudgementRow, PyramidSelector
from kamdesk.ui.tabs.page import TabPage
from kamdesk.ui.widgets.charts import ChartWidget, ParetoChart
from kamdesk.ui.widgets.pyramid_chart import PyramidChart
from kamdesk.ui.widgets.record_list import ColumnFitter
from kamdesk.ui.widgets.warm_items import table_item

#: The dashboard's reads, as its progress line counts them.
READ_STEPS = len(PARTS)

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

    tables = SHOWN_TABLES
    #: The figures on screen are now the file's (after a refresh finished).
    refreshed = Signal()
    #: A part of the figures is on screen: one of PARTS as read from the file, or "kept" for the last figures.
    part_shown = Signal(str)
    #: The figures on screen were kept on this computer for the next start.
    figures_kept = Signal()

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
        self._steps_done = 0  # parts read so far (written by the reading thread when not in the background)
        self._steps_total = READ_STEPS
        self._reading_timer = QTimer(self)
        self._reading_timer.setInterval(250)
        self._reading_timer.timeout.connect(self._show_reading)
        self._cached_at: dt.datetime | None = None  # the figures shown are kept ones, read at this moment (UTC)
        self._fresh: dict[str, Any] = {}  # each part's figures as last read from the file
        self._queue: list[str] = []  # the parts still to read, in order (empty: no read on its way)
        self._unread: set[str] = set()  # parts a read meant to read and has not (yet)
        self._again = False  # something changed while a read was on its way
        self._changed_tables: set[str] = set()  # heard since the last read began
        self._refresh_due = QTimer(self)
        self._refresh_due.setSingleShot(True)
        self._refresh_due.setInterval(50)
        self._refresh_due.timeout.connect(self._start_read)
        notices = change_notices.hub()
        notices.changes_seen.connect(self._heard_entries)
        notices.tables_changed.connect(self._heard)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problem)
        layout.addWidget(self.reading)
        layout.addWidget(scroll)
        self.data: DashboardData | None = None
        if background:
            self._load_kept()  # local and quick: on screen before the file's own figures, read after it
        else:
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

    # Reading ---------------------------------------------------------------------------------
    # The four parts are read each in a unit of work of its own (side by side in the background) and shown as each
    # lands: one long read would hold the file's shared lock throughout, and a colleague's save waits for it.
    def _read_all(self) -> dict[str, Any]:
        figures = {}
        for done, part in enumerate(PARTS):
            self._steps_done = done
            figures[part] = read_part(self._workspace, part)
        self._steps_done = READ_STEPS
        return figures

    def _kept_when(self, kept_at: dt.datetime) -> str:
        """When kept figures were read: the time of day if today, else the date and time."""
        if formatting.local_time(kept_at).date() == self._workspace.clock.today():
            return formatting.time_of_day(kept_at)
        return formatting.date_time(kept_at)

    def _show_reading(self) -> None:
        done, total = self._steps_done, self._steps_total
        if self._cached_at is None:
            text = _("Reading the figures… ({done} of {total})").format(done=done, total=total)
        else:
            when = self._kept_when(self._cached_at)
            text = _("Figures from {when}; updating… ({done} of {total})").format(when=when, done=done, total=total)
        self.reading.setText(text)
        self.reading.show()

    def _stop_reading(self) -> None:
        self._reading_timer.stop()
        self.reading.hide()

    def _heard(self, tables: Iterable[str]) -> None:
        """Tables changed (here or by a colleague): kept until the next read, which reads only what they touch."""
        self._changed_tables.update(tables)

    def _heard_entries(self, entries: list[Any]) -> None:
        self._heard(tables_touched(entries))

    def refresh(self) -> None:
        """Re-read what changed since the last read (everything when nothing is known to have changed: F5). The
        window calls this only while the tab is shown; a burst of changes is read once."""
        if not self.background:
            self._generation += 1
            self._changed_tables.clear()
            try:
                figures = self._read_all()
            except StorageError as exc:
                self._failed(self._generation, exc)
                return
            for part in PARTS:
                self._show_part(part, figures[part])
            self._finished()
            return
        self._refresh_due.start()  # the notices of the same change arrive in this turn of the event loop

    def _start_read(self) -> None:
        if self._queue:  # a read is on its way: read again once it is done, with whatever changed meanwhile
            self._again = True
            return
        wanted = set(parts_for(self._changed_tables) or PARTS) | self._unread
        self._changed_tables.clear()
        self._again = False
        self._generation += 1
        self._queue = [part for part in PARTS if part in wanted]
        self._unread = set(self._queue)
        self._steps_done, self._steps_total = 0, len(self._queue)
        self._reading_timer.start()  # the line shows once a read takes longer than a moment
        if self._cached_at is not None:
            self._show_reading()
        for lane in READ_LANES:
            parts = [part for part in lane if part in wanted]
            if parts:
                self._read_lane(self._generation, parts)

    def _read_lane(self, generation: int, parts: list[str]) -> None:
        workspace, part = self._workspace, parts[0]
        tasks.run(
            lambda: read_part(workspace, part),
            lambda figures: self._landed(generation, part, figures, parts[1:]),
            lambda exc: self._failed(generation, exc),
            owner=self,
        )

    def _landed(self, generation: int, part: str, figures: Any, rest: list[str]) -> None:
        if generation != self._generation or part not in self._queue:
            return  # a newer read is on its way
        self._queue.remove(part)
        self._unread.discard(part)
        self._steps_done += 1
        self._show_part(part, figures)
        if rest:
            self._read_lane(generation, rest)
        if self._queue:
            return
        self._finished()
        self._keep_figures()
        if self._again:
            self._start_read()

    def _finished(self) -> None:
        self._stop_reading()
        self._cached_at = None
        self.problem.hide()
        self.refreshed.emit()

    def _failed(self, generation: int, exc: Exception) -> None:
        """The figures could not be read: say so above the last ones shown (they stay), and log it."""
        if generation != self._generation:
            return
        self._queue.clear()
        self._stop_reading()
        if self._cached_at is not None:  # the kept figures stay on screen: still say how old they are
            self.reading.setText(_("Figures from {when}.").format(when=self._kept_when(self._cached_at)))
            self.reading.show()
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

    # The figures kept on this computer ---------------------------------------------------------
    def _load_kept(self) -> None:
        identity = cache_identity(self._workspace)
        tasks.run(lambda: load_cache(identity), self._kept_landed, self._kept_failed, owner=self)

    def _kept_failed(self, exc: Exception) -> None:
        log.info("no kept figures: %s", exc)
        self._kept_landed(None)

    def _kept_landed(self, kept: CachedFigures | None) -> None:
        """The figures of the last read, shown where the file's own have not arrived yet and said to be old; then
        the file's own are read (unless a refresh began that already)."""
        try:
            self._show_kept(kept)
        finally:
            if not self._generation:
                self._start_read()

    def _show_kept(self, kept: CachedFigures | None) -> None:
        waiting = [part for part in PARTS if part not in self._fresh and kept is not None and part in kept.figures]
        if kept is None or not waiting:
            return
        try:
            for part in waiting:
                self._show_part(part, kept.figures[part], fresh=False)
        except Exception as exc:  # noqa: BLE001 - figures of an older kamdesk that no longer fit: read, not shown
            log.info("kept dashboard figures not shown: %s", exc)
            return
        self._cached_at = kept.saved_at
        self._show_reading()
        self.part_shown.emit("kept")

    def _keep_figures(self) -> None:
        if set(self._fresh) != set(PARTS):
            return
        identity, clock = cache_identity(self._workspace), self._workspace.clock
        kept = CachedFigures(clock.utc_now(), clock.today(), dict(self._fresh))
        tasks.run(
            lambda: save_cache(identity, kept),
            lambda _path: self.figures_kept.emit(),
            lambda exc: log.info("dashboard figures not kept: %s", exc),
            owner=self,
        )

    # Showing -------------------------------------------------------------------------------------
    def _show_part(self, part: str, figures: Any, fresh: bool = True) -> None:
        if part == "summary":
            self.totals.fill(figures)
        elif part == "accounts":
            self._show_accounts(figures)
        elif part == "targets":
            if figures is not None:
                self._fill_targets(*figures)
        else:
            self.judgement.fill_zippers(figures)
        if fresh:
            self._fresh[part] = figures
            self.part_shown.emit(part)

    def _show_accounts(self, data: DashboardData) -> None:
        self.data = data
        self.classes.fill(dict(data.by_class))
        self.stages.fill(dict(data.by_stage))
        self.cycles.fill(dict(data.by_cycle))
        self.pareto.set_data(data.pareto)
        self.pyramid_selector.fill(data.pyramids)
        self._show_pyramid()
        self.judgement.fill_groups(data.strategy_counts, data.key_rule)
        self.judgement.fill_costs(data.costliest, data.cost_marks)
        self._fill_moves(list(data.movements), data)

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
                item = table_item(
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
        self.gaps.setRowCount(len(gaps))  # every row at once: each insertion into a shown table relays it out
        for row, (account_id, name, gap_class, stages, people) in enumerate(gaps):
            first = table_item(f"{name} ({gap_class})" if gap_class else name)
            first.setData(Qt.ItemDataRole.UserRole, account_id)
            for column, item in enumerate((first, table_item(str(stages)), table_item(str(people)))):
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
            empty = table_item(_("No account has moved class since {date}.").format(date=since))
            self.moves.setItem(0, 0, empty)
            self.moves.setSpan(0, 0, 1, 4)
            return
        self.moves.clearSpans()
        self.moves.setRowCount(len(moves))
        for row, move in enumerate(moves):
            name = table_item(move.name)
            name.setData(Qt.ItemDataRole.UserRole, move.account_id)
            change = _("moved from {old} to {new}").format(
                old=move.old.value if move.old else "—", new=move.new.value if move.new else "—"
            )
            for column, item in enumerate(
                (
                    name,
                    table_item(change),
                    table_item(formatting.date(move.at.date())),
                    table_item(self._why(move)),
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
