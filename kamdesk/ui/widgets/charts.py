"""Dashboard charts drawn with QPainter (Qt Charts is GPL-only): Pareto of value, customer pyramid."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QImage,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QMenu, QWidget

from kamdesk.domain.dashboard import (
    TYPICAL_CLASS_SHARES,
    ParetoData,
)
from kamdesk.i18n import _
from kamdesk.ui import prompts
from kamdesk.ui.formatting import compact_money as compact_money
from kamdesk.ui.formatting import percent as percent
from kamdesk.ui.widgets.colours import mix, tinted

# Okabe–Ito colours: they stay distinct for the common colour-vision deficiencies.
CLASS_COLOURS: dict[str, QColor] = {
    "A": QColor("#0072B2"),
    "B": QColor("#E69F00"),
    "C": QColor("#009E73"),
    "D": QColor("#CC79A7"),
}
ACCOUNTS_COLOUR = QColor("#0072B2")
TIME_COLOUR = QColor("#E69F00")
BAND_ALPHA = 40  # faint, so the bars and the cumulative line stay the strongest marks

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter


# --- numbers -----------------------------------------------------------------------------------


def nice_step(span: float, max_intervals: int) -> float:
    """The smallest 1/2/5 × 10ⁿ step that splits span into at most max_intervals."""
    raw = span / max(max_intervals, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= raw * (1 - 1e-9))


# --- shared base -------------------------------------------------------------------------------


class ChartWidget(QWidget):
    """Title, empty state, PNG export and the context menu shared by the dashboard charts.

    Painting goes through `_paint(painter, rect)` so the screen and `render_image` lay out
    the same way from whatever rect they are given.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plot = QRectF()

    def plot_rect(self) -> QRectF:
        """Where the last paint put the bars (empty before painting, when empty or too cramped)."""
        return QRectF(self._plot)

    def title(self) -> str:
        raise NotImplementedError

    def empty_text(self) -> str:
        """The sentence shown instead of the chart, or "" when there is something to draw."""
        raise NotImplementedError

    def _paint_chart(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(640, 360)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(360, 240)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        self._paint(painter, QRectF(self.rect()))
        painter.end()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(_("Save chart as PNG…"), self.save_with_dialog)
        return menu

    def render_image(self, width: int, height: int) -> QImage:
        """The chart drawn at width × height on the palette's base colour."""
        image = QImage(max(width, 1), max(height, 1), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(self.palette().color(QPalette.ColorRole.Base))
        painter = QPainter(image)
        painter.setFont(self.font())
        self._paint(painter, QRectF(0, 0, image.width(), image.height()))
        painter.end()
        return image

    def save_png(self, path: str) -> bool:
        size = self.size().expandedTo(self.minimumSizeHint())
        return self.render_image(size.width(), size.height()).save(path, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; PySide6 wants str

    def save_with_dialog(self) -> None:
        path = prompts.current().save_image(self, _("Save chart as PNG"))
        if path and not self.save_png(path):
            message = _(
                "The chart could not be saved to {path}. Check that the folder exists and that you may write to it."
            )
            prompts.current().warn(self, _("Chart not saved"), message.format(path=path))

    # --- painting helpers ---------------------------------------------------------------------

    def _paint(self, painter: QPainter, rect: QRectF) -> None:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(rect, self.palette().color(QPalette.ColorRole.Base))
        painter.setPen(self._text_colour())
        self._plot = QRectF()
        margin = self._line(painter) * 0.6
        body = self._paint_title(painter, rect.adjusted(margin, margin, -margin, -margin))
        empty = self.empty_text()
        if empty:
            self._paint_wrapped(painter, body, empty, _CENTRE)
        else:
            self._paint_chart(painter, body)

    def _text_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)

    def _grid_colour(self) -> QColor:
        return mix(self.palette().color(QPalette.ColorRole.Base), self._text_colour(), 0.18)

    def _line(self, painter: QPainter) -> float:
        """The height of one line of text: the unit every gap and strip is measured in."""
        # A little extra leading: Chinese glyphs come from a fallback font and fill the line.
        return painter.fontMetrics().lineSpacing() * 1.15

    def _advance(self, painter: QPainter, texts: Sequence[str]) -> float:
        """The width of the widest of texts."""
        metrics = painter.fontMetrics()
        # One spare pixel: elidedText measures a little differently and would clip an exact fit.
        return float(max((metrics.horizontalAdvance(t) for t in texts), default=0)) + 1

    def _paint_title(self, painter: QPainter, rect: QRectF) -> QRectF:
        """Draws the bold title on the first line and returns the space below it."""
        normal = painter.font()
        bold = QFont(normal)
        bold.setBold(True)
        painter.setFont(bold)
        line = self._line(painter)
        self._paint_text(painter, QRectF(rect.left(), rect.top(), rect.width(), line), self.title())
        painter.setFont(normal)
        return rect.adjusted(0, line * 1.4, 0, 0)

    def _paint_text(self, painter: QPainter, rect: QRectF, text: str, align: Qt.AlignmentFlag = _LEFT) -> None:
        """One line of text, elided so it never spills out of rect."""
        elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
        painter.drawText(rect, align, elided)

    def _paint_wrapped(self, painter: QPainter, rect: QRectF, text: str, align: Qt.AlignmentFlag) -> None:
        painter.drawText(rect, int(align) | int(Qt.TextFlag.TextWordWrap), text)

    def _wrapped_size(self, painter: QPainter, width: float, text: str) -> QSizeF:
        """The size text takes wrapped at width (wider than width if one word is longer)."""
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        bounds = painter.fontMetrics().boundingRect(0, 0, max(int(width), 1), 100_000, flags, text)
        return QSizeF(bounds.size())

    def _swatch(self, painter: QPainter, x: float, row: QRectF) -> QRectF:
        """A square key that sits on the text line row, starting at x."""
        side = painter.fontMetrics().ascent() * 0.8
        return QRectF(x, row.center().y() - side / 2, side, side)

    def _paint_vertical(self, painter: QPainter, x: float, span: QRectF, text: str) -> None:
        """An axis title turned a quarter, running up along span with its left edge at x."""
        painter.save()
        painter.translate(x, span.bottom())
        painter.rotate(-90)
        self._paint_text(painter, QRectF(0, 0, span.height(), self._line(painter)), text, _CENTRE)
        painter.restore()


# --- Pareto ------------------------------------------------------------------------------------


class ParetoChart(ChartWidget):
    """Accounts ranked by value as bars, the cumulative share as a line, and the class bands."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_data(ParetoData(points=()))

    def set_data(self, data: ParetoData) -> None:
        self._data = data
        self._values = [max(p.value_cents, 0) for p in data.points]
        self._classes = [p.account_class.value for p in data.points]
        self._cumulative = data.cumulative_shares()
        self._runs = _class_runs(self._classes)
        self.update()

    def data(self) -> ParetoData:
        return self._data

    def title(self) -> str:
        return _("Value by account (Pareto)")

    def empty_text(self) -> str:
        if self._data.total_cents > 0:
            return ""
        return _(
            "No account has a value yet. Once accounts have values, this chart shows "
            "how much of the total the top accounts bring in."
        )

    def legend_lines(self) -> list[str]:
        """Per class A–D: its actual share of value, the typical share, and its account count."""
        shares, counts, locale = self._data.class_shares(), self._data.class_counts(), self.locale()
        return [
            _("{cls} {share} (typical {typical}) · {accounts}").format(
                cls=cls,
                share=percent(shares.get(cls, 0.0), locale),
                typical=percent(typical, locale),
                accounts=_account_count(counts.get(cls, 0)),
            )
            for cls, typical in TYPICAL_CLASS_SHARES.items()
        ]

    # --- layout -------------------------------------------------------------------------------

    def _paint_chart(self, painter: QPainter, rect: QRectF) -> None:
        line = self._line(painter)
        area = self._paint_legend(painter, rect)
        # A strip above the plot for the class letters, a row below for ranks and the x title.
        top, bottom = area.top() + line, area.bottom() - line * 1.2
        value_ticks = self._value_ticks(bottom - top, line)
        value_labels = [compact_money(v, self.locale()) for v in value_ticks]
        left = area.left() + self._advance(painter, value_labels) + line * 1.6
        right = area.right() - self._advance(painter, [percent(100, self.locale())]) - line * 1.6
        plot = QRectF(QPointF(left, top), QPointF(right, bottom))
        if plot.width() < line or plot.height() < line:
            return  # nothing readable fits; the title alone is better than a smudge
        self._plot = plot
        # Crisp rectangles: bands and one-pixel bars then meet edge to edge instead of leaving
        # pale seams where two half-covered pixels blend.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self._paint_bands(painter, plot)
        self._paint_value_axis(painter, plot, value_ticks, value_labels)
        self._paint_bars(painter, plot, value_ticks[-1])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_cumulative(painter, plot)
        self._paint_share_axis(painter, plot)
        self._paint_rank_axis(painter, plot)

    def _paint_legend(self, painter: QPainter, rect: QRectF) -> QRectF:
        """The class table beside the plot when that leaves room, else beneath; returns the rest."""
        line = self._line(painter)
        lines = self.legend_lines()
        heading = _("Share of value")
        indent = self._swatch(painter, 0, rect).width() + line * 0.4
        width = indent + self._advance(painter, [*lines, heading])
        if rect.width() - width - line >= 2 * width:
            left = rect.right() - width
            self._paint_text(painter, QRectF(left, rect.top() + line, width, line), heading)
            box = QRectF(left, rect.top() + 2 * line, width, len(lines) * line)
            self._paint_legend_rows(painter, box, lines, 1)
            return rect.adjusted(0, 0, -(width + line), 0)
        columns = 2 if 2 * width + line <= rect.width() else 1
        rows = math.ceil(len(lines) / columns)
        box = QRectF(rect.left(), rect.bottom() - rows * line, rect.width(), rows * line)
        self._paint_legend_rows(painter, box, lines, columns)
        return rect.adjusted(0, 0, 0, -(rows + 0.5) * line)

    def _paint_legend_rows(self, painter: QPainter, box: QRectF, lines: Sequence[str], columns: int) -> None:
        line = self._line(painter)
        rows = math.ceil(len(lines) / columns)
        column_width = box.width() / columns
        for index, (cls, text) in enumerate(zip(CLASS_COLOURS, lines, strict=True)):
            column, row = divmod(index, rows)
            cell = QRectF(box.left() + column * column_width, box.top() + row * line, column_width, line)
            swatch = self._swatch(painter, cell.left(), cell)
            painter.fillRect(swatch, CLASS_COLOURS[cls])
            text_left = swatch.right() + line * 0.4
            self._paint_text(painter, QRectF(text_left, cell.top(), cell.right() - text_left, line), text)

    def _value_ticks(self, height: float, line: float) -> list[float]:
        """Round values from 0 up past the largest one, spaced so their labels do not touch."""
        top = max(self._values, default=0) or 1
        # Steps of at least one whole currency unit: cents on an axis are noise.
        step = max(nice_step(top, min(8, max(1, int(height // (line * 1.6))))), 100)
        return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]

    # --- marks --------------------------------------------------------------------------------

    def _x_at(self, plot: QRectF, index: float) -> float:
        return plot.left() + plot.width() * index / len(self._values)

    def _paint_bands(self, painter: QPainter, plot: QRectF) -> None:
        widest: dict[str, QRectF] = {}
        for cls, start, end in self._runs:
            left, right = self._x_at(plot, start), self._x_at(plot, end)
            band = QRectF(left, plot.top(), right - left, plot.height())
            painter.fillRect(band, tinted(CLASS_COLOURS[cls], BAND_ALPHA))
            if cls not in widest or band.width() > widest[cls].width():
                widest[cls] = band
        # One letter per class, over its widest stretch, and only where the letter fits.
        line = self._line(painter)
        for cls, band in widest.items():
            if band.width() >= self._advance(painter, [cls]) + 2:
                painter.drawText(QRectF(band.left(), plot.top() - line, band.width(), line), _CENTRE, cls)

    def _paint_value_axis(self, painter: QPainter, plot: QRectF, ticks: Sequence[float], labels: Sequence[str]) -> None:
        line = self._line(painter)
        widest = self._advance(painter, labels)
        ys = [plot.bottom() - plot.height() * value / ticks[-1] for value in ticks]
        painter.setPen(QPen(self._grid_colour(), 1))
        painter.drawLines([QLineF(plot.left(), y, plot.right(), y) for y in ys])
        painter.setPen(self._text_colour())
        for y, label in zip(ys, labels, strict=True):
            painter.drawText(QRectF(plot.left() - line * 0.3 - widest, y - line / 2, widest, line), _RIGHT, label)
        title = _("Value ({currency})").format(currency=self._data.currency)
        self._paint_vertical(painter, plot.left() - widest - line * 1.5, _axis_span(plot, line), title)

    def _paint_bars(self, painter: QPainter, plot: QRectF, top: float) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        for cls, rects in self._bar_rects(plot, top).items():
            painter.setBrush(CLASS_COLOURS[cls])
            painter.drawRects(rects)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._text_colour())

    def _bar_rects(self, plot: QRectF, top: float) -> dict[str, list[QRectF]]:
        """Bars per class; with more accounts than pixels, one bar per pixel column."""
        slot = plot.width() / len(self._values)
        gap = slot * 0.2 if slot >= 4 else 0.0
        rects: dict[str, list[QRectF]] = {}
        for start, end, value in self._spans(plot):
            height = plot.height() * value / top
            left, right = self._x_at(plot, start) + gap / 2, self._x_at(plot, end) - gap / 2
            rects.setdefault(self._classes[start], []).append(
                QRectF(left, plot.bottom() - height, right - left, height)
            )
        return rects

    def _spans(self, plot: QRectF) -> list[tuple[int, int, int]]:
        """(first index, index after the last, largest value) for each bar to draw."""
        if plot.width() / len(self._values) >= 2:
            return [(i, i + 1, value) for i, value in enumerate(self._values)]
        return column_spans(self._values, int(plot.width()))

    def _paint_cumulative(self, painter: QPainter, plot: QRectF) -> None:
        points = [QPointF(plot.left(), plot.bottom())]
        points += [
            QPointF(self._x_at(plot, end), plot.bottom() - plot.height() * self._cumulative[end - 1] / 100)
            for _start, end, _value in self._spans(plot)
        ]
        painter.setPen(
            QPen(self._text_colour(), 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        )
        painter.drawPolyline(QPolygonF(points))
        painter.setPen(self._text_colour())

    def _paint_share_axis(self, painter: QPainter, plot: QRectF) -> None:
        line = self._line(painter)
        ticks = _share_ticks(plot.height(), line)
        widest = self._advance(painter, [percent(100, self.locale())])
        ys = [plot.bottom() - plot.height() * share / 100 for share in ticks]
        painter.drawLines(
            [QLineF(plot.right(), plot.top(), plot.right(), plot.bottom())]
            + [QLineF(plot.right(), y, plot.right() + line * 0.25, y) for y in ys]
        )
        for y, share in zip(ys, ticks, strict=True):
            painter.drawText(
                QRectF(plot.right() + line * 0.35, y - line / 2, widest, line), _LEFT, percent(share, self.locale())
            )
        x = plot.right() + line * 0.35 + widest + line * 0.2
        self._paint_vertical(painter, x, _axis_span(plot, line), _("Cumulative share"))

    def _paint_rank_axis(self, painter: QPainter, plot: QRectF) -> None:
        """The baseline, ranks 1 and N at its ends and the axis title between them."""
        line = self._line(painter)
        # No line up the left edge: it would hide the first account's one-pixel bar.
        painter.drawLine(QLineF(plot.bottomLeft(), plot.bottomRight()))
        row = QRectF(plot.left(), plot.bottom() + line * 0.15, plot.width(), line)
        first, last = self.locale().toString(1), self.locale().toString(len(self._values))
        ends = self._advance(painter, [first, last]) + line * 0.5
        painter.drawText(row, _LEFT, first)
        painter.drawText(row, _RIGHT, last)
        self._paint_text(painter, row.adjusted(ends, 0, -ends, 0), _("Accounts ranked by value"), _CENTRE)


def _axis_span(plot: QRectF, line: float) -> QRectF:
    """The plot's height plus the strips above and below: axis titles are free to use them."""
    return plot.adjusted(0, -line, 0, line * 1.2)


def _account_count(count: int) -> str:
    text = _("{count} account") if count == 1 else _("{count} accounts")
    return text.format(count=count)


def _class_runs(classes: Sequence[str]) -> list[tuple[str, int, int]]:
    """Consecutive stretches of one class as (class, first index, index after the last)."""
    runs: list[tuple[str, int, int]] = []
    for index, cls in enumerate(classes):
        if runs and runs[-1][0] == cls:
            runs[-1] = (cls, runs[-1][1], index + 1)
        else:
            runs.append((cls, index, index + 1))
    return runs


def column_spans(values: Sequence[int], columns: int) -> list[tuple[int, int, int]]:
    """The ranked values split into pixel columns as (first index, index after the last, max)."""
    count = len(values)
    columns = max(1, min(columns, count))
    spans = []
    for column in range(columns):
        start = column * count // columns
        end = max(start + 1, (column + 1) * count // columns)
        spans.append((start, end, max(values[start:end])))
    return spans


def _share_ticks(height: float, line: float) -> list[int]:
    """0–100 % in the finest of 10/20/25/50 steps whose labels keep apart."""
    for step in (10, 20, 25, 50):
        if (100 / step) * line * 1.8 <= height:
            return list(range(0, 101, step))
    return [0, 100]
