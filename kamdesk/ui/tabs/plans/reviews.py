"""The Reviews page: the periodic relationship self-check, five questions scored 1–5, and its trend."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.plans import REVIEW_QUESTIONS, PlanError, RelationshipReview
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import formatting, prompts
from kamdesk.ui.tabs.plans.cells import ERROR_STYLE
from kamdesk.ui.tabs.plans.reading import write

TREND_BARS = "▁▂▃▄▅▆▇█"


def trend_line(averages: list[float]) -> str:
    """A small trend of review averages (1–5) as block characters, oldest first."""
    return "".join(TREND_BARS[min(7, max(0, round((a - 1) / 4 * 7)))] for a in averages)


class ReviewPanel(QWidget):
    """The periodic relationship self-check: score five questions 1–5; the history shows the trend."""

    #: A review was recorded (written to the file).
    recorded = Signal()

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

    def show_reviews(self, plan_id: int | None, reviews: list[RelationshipReview]) -> None:
        """Show the reviews of `plan_id` (read by whoever loaded the plan)."""
        self.plan_id = plan_id
        self.add_button.setEnabled(plan_id is not None and not self.workspace.read_only)
        self.history.clear()
        for review in reversed(reviews):
            average = review.average
            QTreeWidgetItem(
                self.history,
                [
                    formatting.date(review.reviewed_on),
                    review.reviewed_by,
                    f"{average:.1f}" if average is not None else "—",
                    review.notes,
                ],
            )
        averages = [r.average for r in reviews if r.average is not None]
        self.trend.setText(
            _("Trend (oldest first): {bars}  latest {latest:.1f} of 5").format(
                bars=trend_line(averages), latest=averages[-1]
            )
            if averages
            else _("No review yet: score the questions and record one.")
        )

    def record(self) -> None:
        plan_id = self.plan_id
        if plan_id is None:
            return
        scores = {key: spin.value() for key, spin in self.spins.items()}
        notes = self.notes.text()
        plans = self.workspace.plans

        def work() -> list[RelationshipReview]:
            plans.add_review(plan_id, scores, notes)
            return plans.reviews(plan_id)

        try:
            reviews = write(self, work, _("Record this review"))
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
        self.show_reviews(plan_id, reviews)
        self.recorded.emit()
