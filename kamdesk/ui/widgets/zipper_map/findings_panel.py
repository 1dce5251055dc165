"""The zipper check beside the map: each finding with what to do, a click selecting the people it names."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.zipper_checks import PROBLEM, ZipperFinding
from kamdesk.i18n import _

PROBLEM_COLOUR = QColor("#C62828")
WARNING_COLOUR = QColor("#B26A00")


def finding_text(finding: ZipperFinding) -> str:
    """What the row shows: the severity, what is wrong, and what to do."""
    mark = _("Problem") if finding.severity == PROBLEM else _("Warning")
    return f"{mark}: {finding.message}\n→ {finding.suggestion}"


class FindingRow(QFrame):
    """One finding: the severity and message in its colour, the suggestion below; a click chooses it."""

    clicked = Signal(object)

    def __init__(self, finding: ZipperFinding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        colour = PROBLEM_COLOUR if finding.severity == PROBLEM else WARNING_COLOUR
        mark = _("Problem") if finding.severity == PROBLEM else _("Warning")
        self.message = QLabel(f"<b>{_escape(mark)}:</b> {_escape(finding.message)}")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setStyleSheet(f"color: {colour.name()}")
        self.suggestion = QLabel("→ " + finding.suggestion)
        self.suggestion.setTextFormat(Qt.TextFormat.PlainText)
        for label in (self.message, self.suggestion):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addWidget(self.message)
        layout.addWidget(self.suggestion)
        self.setToolTip(finding_text(finding))
        self.set_chosen(False)

    def set_chosen(self, chosen: bool) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        # The chosen row takes a tint of the selection colour, mixed over the base so it reads in dark mode too.
        highlight = palette.color(QPalette.ColorRole.Highlight)
        mix = QColor(
            (base.red() * 3 + highlight.red()) // 4,
            (base.green() * 3 + highlight.green()) // 4,
            (base.blue() * 3 + highlight.blue()) // 4,
        )
        palette.setColor(QPalette.ColorRole.Window, mix if chosen else base)
        self.setPalette(palette)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.clicked.emit(self)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self)
            return
        super().keyPressEvent(event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ZipperFindingsPanel(QWidget):
    """A title with the count, then one row per finding (problems first, as the check orders them)."""

    #: A finding was chosen: the ids of their people and of ours that it names (to select on the map).
    people_chosen = Signal(list, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(_("Zipper check"))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.rows: list[FindingRow] = []
        self._holder = QWidget()
        self._rows = QVBoxLayout(self._holder)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.addStretch(1)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setWidget(self._holder)
        self.area.setAccessibleName(_("Zipper check"))
        # Beside the map, not instead of it: wide enough for a sentence, never more than a third of a screen.
        self.setMinimumWidth(240)
        self.setMaximumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.area, 1)
        self.set_findings([])

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(360, 400)

    def set_findings(self, findings: Sequence[ZipperFinding], checked: bool = True) -> None:
        """Show an account's findings; `checked` False shows the panel empty (no account chosen)."""
        for row in self.rows:
            self._rows.removeWidget(row)
            row.hide()  # deleted at the next turn of the event loop; hidden now so it never shows meanwhile
            row.deleteLater()
        self.rows = []
        problems = sum(f.severity == PROBLEM for f in findings)
        warnings = len(findings) - problems
        if not checked:
            self.summary.setText("")
            return
        if not findings:
            self.summary.setText(
                _(
                    "Nothing to mend: each of their ranks is tied to someone of ours at that rank, the ties are "
                    "spread over several of our people, and any executive sponsor knows someone there."
                )
            )
            return
        self.summary.setText(
            _("Problems: {problems} · warnings: {warnings}. Click one to select the people it names.").format(
                problems=problems, warnings=warnings
            )
        )
        for finding in findings:
            row = FindingRow(finding)
            row.clicked.connect(self.choose)
            self._rows.insertWidget(self._rows.count() - 1, row)
            self.rows.append(row)

    def texts(self) -> list[str]:
        return [finding_text(row.finding) for row in self.rows]

    def choose(self, chosen: FindingRow | int) -> None:
        """Choose a row (or its index): mark it, and ask for its people to be selected on the map."""
        row = self.rows[chosen] if isinstance(chosen, int) else chosen
        for other in self.rows:
            other.set_chosen(other is row)
        self.people_chosen.emit(list(row.finding.contact_ids), list(row.finding.member_ids))
