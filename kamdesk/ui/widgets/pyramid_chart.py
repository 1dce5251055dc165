"""The customer pyramid: where the accounts and the contact time go, against the practice's guide."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QWidget

from kamdesk.domain.dashboard import (
    PYRAMID_GROUPS,
    PYRAMID_GUIDE_ACCOUNTS,
    PYRAMID_GUIDE_TIME,
    PyramidData,
    group_label,
)
from kamdesk.i18n import _
from kamdesk.ui import formatting
from kamdesk.ui.widgets.charts import (
    _CENTRE,
    _LEFT,
    ACCOUNTS_COLOUR,
    TIME_COLOUR,
    ChartWidget,
    percent,
)

#: Planned time (follow-ups and visits still to come), beside the logged time.
PLANNED_COLOUR = QColor("#009E73")

# --- Pyramid -----------------------------------------------------------------------------------


class PyramidChart(ChartWidget):
    """Share of accounts and of contact time per pyramid group, against the guide shares."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_data(PyramidData(rows=()))

    def set_data(self, data: PyramidData) -> None:
        self._data = data
        self.update()

    def data(self) -> PyramidData:
        return self._data

    def title(self) -> str:
        if self._data.owner_name:
            return _("Customer pyramid of {name}: accounts and selling time").format(name=self._data.owner_name)
        return _("Customer pyramid: accounts and selling time")

    def empty_text(self) -> str:
        if sum(row.accounts for row in self._data.rows) > 0:
            return ""
        return _(
            "No accounts yet. This chart compares how accounts and contact time split "
            "between key accounts, ordinary accounts and prospects."
        )

    def has_time(self) -> bool:
        return sum(row.minutes for row in self._data.rows) > 0

    def has_planned(self) -> bool:
        return sum(row.planned_minutes for row in self._data.rows) > 0

    def note_text(self) -> str:
        """The line under the bars: why time bars are missing, or since when time is counted."""
        if not self.has_time() and not self.has_planned():
            return _("No contact time has been logged or planned yet, so only the share of accounts is shown.")
        if self._data.since is None:
            return ""
        since = formatting.date(self._data.since, self.locale())
        if self._data.planned_until is None:
            return _("Contact time counted since {date}.").format(date=since)
        until = formatting.date(self._data.planned_until, self.locale())
        return _(
            "Logged time since {date}; planned follow-ups and visits up to {until} (estimated where no duration is set)."
        ).format(date=since, until=until)

    def legend_lines(self) -> list[str]:
        """The keys above the bars: accounts, contact time and the guide outline."""
        return [_("Share of accounts"), _("Share of logged time"), _("Share of planned time"), _("Guide")]

    def bar_texts(self) -> list[tuple[str, str, str, str]]:
        """Per group, top to bottom: its label and the texts beside its account, logged and planned time bars."""
        return [
            (group_label(g), self._bar_text(g, "accounts"), self._bar_text(g, "logged"), self._bar_text(g, "planned"))
            for g in PYRAMID_GROUPS
        ]

    def _bar_text(self, group: str, kind: str) -> str:
        locale = self.locale()
        if kind == "accounts":
            actual, guide = percent(self._data.account_share(group), locale), PYRAMID_GUIDE_ACCOUNTS[group]
        elif kind == "logged":
            actual = percent(self._data.time_share(group), locale) if self.has_time() else "—"
            guide = PYRAMID_GUIDE_TIME[group]
        else:
            actual = percent(self._data.planned_share(group), locale) if self.has_planned() else "—"
            guide = PYRAMID_GUIDE_TIME[group]
        return _("{actual} (guide {guide})").format(actual=actual, guide=percent(guide, locale))

    # --- layout -------------------------------------------------------------------------------

    def _paint_chart(self, painter: QPainter, rect: QRectF) -> None:
        line = self._line(painter)
        rows = rect.adjusted(0, self._paint_series_legend(painter, rect) + line * 0.4, 0, 0)
        note = self.note_text()
        if note:
            height = min(self._wrapped_size(painter, rect.width(), note).height(), line * 2)
            box = QRectF(rect.left(), rect.bottom() - height, rect.width(), height)
            self._paint_wrapped(painter, box, note, _LEFT)
            rows = rows.adjusted(0, 0, 0, -(height + line * 0.4))
        self._paint_rows(painter, rows)

    def _paint_series_legend(self, painter: QPainter, rect: QRectF) -> float:
        """The keys flowed left to right, wrapping when narrow; returns the height they take."""
        line = self._line(painter)
        x, y = rect.left(), rect.top()
        keys = zip(self.legend_lines(), (ACCOUNTS_COLOUR, TIME_COLOUR, PLANNED_COLOUR, None), strict=True)
        indent = self._swatch(painter, 0, rect).width() + line * 0.4
        for text, colour in keys:
            width = indent + self._advance(painter, [text])
            if x > rect.left() and x + width > rect.right():
                x, y = rect.left(), y + line
            cell = QRectF(x, y, min(width, rect.right() - x), line)
            self._paint_key(painter, self._swatch(painter, x, cell), colour)
            self._paint_text(painter, cell.adjusted(indent, 0, 0, 0), text)
            x += width + line
        return y + line - rect.top()

    def _paint_key(self, painter: QPainter, swatch: QRectF, colour: QColor | None) -> None:
        if colour is not None:
            painter.fillRect(swatch, colour)
            return
        painter.setPen(self._guide_pen())
        painter.drawRect(swatch)
        painter.setPen(self._text_colour())

    def _guide_pen(self) -> QPen:
        return QPen(self._text_colour(), 1.2, Qt.PenStyle.DashLine)

    def _paint_rows(self, painter: QPainter, area: QRectF) -> None:
        line = self._line(painter)
        texts = self.bar_texts()
        label_width = min(self._advance(painter, [t[0] for t in texts]), area.width() * 0.3)
        value_width = min(self._advance(painter, [t for r in texts for t in r[1:]]), area.width() * 0.35)
        # The bottom line of the area holds the 0–100 % scale under the bars.
        track = QRectF(
            QPointF(area.left() + label_width + line * 0.6, area.top()),
            QPointF(area.right() - value_width - line * 0.6, area.bottom() - line),
        )
        if track.width() < line * 2 or track.height() < line * 3:
            return  # too cramped for bars that could be read
        self._plot = track
        self._paint_scale(painter, track)
        row_height = track.height() / len(texts)
        for index, (group, (label, *bar_texts)) in enumerate(zip(PYRAMID_GROUPS, texts, strict=True)):
            row = QRectF(area.left(), area.top() + index * row_height, area.width(), row_height)
            self._paint_label(painter, QRectF(row.left(), row.top(), label_width, row_height), label)
            self._paint_group_bars(painter, group, row, track, bar_texts)

    def _paint_scale(self, painter: QPainter, track: QRectF) -> None:
        """Grid lines across the track and, beneath it, as many percent labels as fit apart."""
        line = self._line(painter)
        widest = self._advance(painter, [percent(100, self.locale())])
        step = next((s for s in (25, 50) if track.width() * s / 100 >= widest + line), 100)
        xs = [(share, track.left() + track.width() * share / 100) for share in range(0, 101, step)]
        painter.setPen(QPen(self._grid_colour(), 1))
        painter.drawLines([QLineF(x, track.top(), x, track.bottom()) for _share, x in xs])
        painter.setPen(self._text_colour())
        for share, x in xs:
            # Centred under its line, but kept within the gaps either side of the track.
            left = min(max(x - widest / 2, track.left() - line * 0.6), track.right() + line * 0.6 - widest)
            label = percent(share, self.locale())
            painter.drawText(QRectF(left, track.bottom(), widest, line), _CENTRE, label)

    def _paint_label(self, painter: QPainter, rect: QRectF, text: str) -> None:
        """A group label, wrapped onto more lines when the row is tall enough, else elided."""
        size = self._wrapped_size(painter, rect.width(), text)
        if size.width() <= rect.width() and size.height() <= rect.height():
            self._paint_wrapped(painter, rect, text, _LEFT)
        else:
            self._paint_text(painter, rect, text)

    def _paint_group_bars(
        self, painter: QPainter, group: str, row: QRectF, track: QRectF, texts: Sequence[str]
    ) -> None:
        """Accounts on top, logged time, then planned time, each with its guide and its percentage text."""
        line = self._line(painter)
        bar_height = min(line * 1.3, row.height() * 0.26)
        gap = min(line * 0.25, row.height() * 0.05)
        first = row.center().y() - bar_height * 1.5 - gap
        bars = (
            (first, self._data.account_share(group), PYRAMID_GUIDE_ACCOUNTS[group], ACCOUNTS_COLOUR),
            (first + bar_height + gap, self._data.time_share(group), PYRAMID_GUIDE_TIME[group], TIME_COLOUR),
            (
                first + 2 * (bar_height + gap),
                self._data.planned_share(group),
                PYRAMID_GUIDE_TIME[group],
                PLANNED_COLOUR,
            ),
        )
        for (top, actual, guide, colour), text in zip(bars, texts, strict=True):
            bar = QRectF(track.left(), top, track.width() * actual / 100, bar_height)
            ghost = QRectF(track.left(), top, track.width() * guide / 100, bar_height)
            painter.fillRect(bar, colour)
            self._paint_guide(painter, ghost)
            # Right after the longer mark, so the number reads with its bar; the column
            # reserved beyond the track leaves room even for a bar at 100 %.
            text_left = max(bar.right(), ghost.right()) + line * 0.6
            self._paint_text(painter, QRectF(text_left, top, row.right() - text_left, bar_height), text)

    def _paint_guide(self, painter: QPainter, ghost: QRectF) -> None:
        """The guide share as a dashed outline, with a firm end mark that reads without colour."""
        painter.setPen(self._guide_pen())
        painter.drawRect(ghost)
        painter.setPen(QPen(self._text_colour(), 2))
        overhang = ghost.height() * 0.2
        painter.drawLine(QLineF(ghost.right(), ghost.top() - overhang, ghost.right(), ghost.bottom() + overhang))
        painter.setPen(self._text_colour())
