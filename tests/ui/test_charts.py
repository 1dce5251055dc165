"""The dashboard charts: what they draw where, their texts, PNG export, empty states and sizes."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QPoint, QSize, QTimer
from PySide6.QtGui import QColor, QContextMenuEvent, QImage, QPalette
from PySide6.QtWidgets import QApplication

from kamdesk.domain.dashboard import ParetoData, ParetoPoint, PyramidData, PyramidRow
from kamdesk.domain.enums import AccountClass
from kamdesk.i18n import set_language
from kamdesk.ui.widgets.charts import (
    ACCOUNTS_COLOUR,
    CLASS_COLOURS,
    TIME_COLOUR,
    ParetoChart,
    column_spans,
    compact_money,
    nice_step,
)
from kamdesk.ui.widgets.pyramid_chart import PLANNED_COLOUR, PyramidChart

A, B, C, D = AccountClass.A, AccountClass.B, AccountClass.C, AccountClass.D
# Shares of a 1,000 total: A 58 %, B 27 %, C 10 %, D 5 %.
KNOWN_POINTS = [
    (A, 29000),
    (A, 29000),
    (B, 13500),
    (B, 13500),
    (C, 2500),
    (C, 2500),
    (C, 2500),
    (C, 2500),
    (D, 2500),
    (D, 2500),
]


def _pareto(pairs, names=None) -> ParetoData:
    names = names or [f"Account {i}" for i in range(len(pairs))]
    return ParetoData(
        tuple(
            ParetoPoint(i, names[i], cents, cls)
            for i, ((cls, cents), name) in enumerate(zip(pairs, names, strict=True))
        )
    )


def _ranked(count: int) -> ParetoData:
    """count accounts with falling values, classed 20/20/40/20 % by rank like the real thing."""
    classes = [A if i < count * 0.2 else B if i < count * 0.4 else C if i < count * 0.8 else D for i in range(count)]
    return _pareto([(cls, 100 * (count - i) ** 2) for i, cls in enumerate(classes)])


def _pyramid(key=(6, 30000), ordinary=(30, 20000), prospect=(24, 5000), since=None, until=None) -> PyramidData:
    rows = (PyramidRow("key", *key), PyramidRow("ordinary", *ordinary), PyramidRow("prospect", *prospect))
    return PyramidData(rows, since=since, planned_until=until)


def _near(colour: QColor, expected: QColor, tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour.getRgb()[:3], expected.getRgb()[:3], strict=True))


def _is_dark(colour: QColor) -> bool:
    return colour.lightness() < 90


def _count(
    image: QImage, colour: QColor, x0: int = 0, y0: int = 0, x1: int | None = None, y1: int | None = None
) -> int:
    x1 = image.width() if x1 is None else x1
    y1 = image.height() if y1 is None else y1
    return sum(_near(image.pixelColor(x, y), colour) for x in range(x0, x1, 2) for y in range(y0, y1, 2))


@pytest.fixture
def pareto(qtbot) -> ParetoChart:
    chart = ParetoChart()
    qtbot.addWidget(chart)
    return chart


@pytest.fixture
def pyramid(qtbot) -> PyramidChart:
    chart = PyramidChart()
    qtbot.addWidget(chart)
    return chart


@pytest.fixture
def english_afterwards() -> Iterator[None]:
    yield
    set_language("en")


# Pareto ---------------------------------------------------------------------------------------


def test_pareto_draws_class_coloured_bars_from_the_left(pareto):
    pareto.set_data(_pareto(KNOWN_POINTS))
    image = pareto.render_image(800, 400)
    plot = pareto.plot_rect()
    assert plot.width() > 400 and plot.height() > 200
    slot = plot.width() / len(KNOWN_POINTS)
    for index, (cls, _cents) in enumerate(KNOWN_POINTS):
        x = int(plot.left() + slot * (index + 0.5))
        assert _near(image.pixelColor(x, int(plot.bottom()) - 3), CLASS_COLOURS[cls.value]), index
    # The first bar is the tallest: it reaches near the top of the plot, the last ones do not.
    assert _near(
        image.pixelColor(int(plot.left() + slot / 2), int(plot.top() + plot.height() * 0.1)), CLASS_COLOURS["A"]
    )
    assert not _near(image.pixelColor(int(plot.right() - slot / 2), int(plot.center().y())), CLASS_COLOURS["D"])


def test_pareto_cumulative_line_climbs_to_the_top_right(pareto):
    data = _pareto(KNOWN_POINTS)
    pareto.set_data(data)
    image = pareto.render_image(800, 400)
    plot = pareto.plot_rect()
    shares = data.cumulative_shares()

    def line_near(index: int) -> bool:
        x = int(plot.left() + plot.width() * (index + 1) / len(shares))
        y = plot.bottom() - plot.height() * shares[index] / 100
        return any(_is_dark(image.pixelColor(x - 1, int(y) + dy)) for dy in range(-3, 4))

    assert line_near(1)  # after the two A accounts: 58 %
    assert line_near(3)  # after B: 85 %
    assert line_near(len(shares) - 1)  # 100 % at the top right
    assert shares[-1] == pytest.approx(100)


def test_pareto_bands_tint_the_background_per_class(pareto):
    pareto.set_data(_pareto(KNOWN_POINTS))
    image = pareto.render_image(800, 400)
    plot = pareto.plot_rect()
    slot = plot.width() / len(KNOWN_POINTS)
    above_last_bar = image.pixelColor(int(plot.right() - slot / 2), int(plot.top()) + 40)
    white = QColor("white")
    # A faint pink: neither plain background nor the solid D colour.
    assert not _near(above_last_bar, white, 4)
    assert not _near(above_last_bar, CLASS_COLOURS["D"], 60)
    assert above_last_bar.red() > above_last_bar.green()


def test_pareto_legend_shows_actual_against_typical_shares(pareto):
    pareto.set_data(_pareto(KNOWN_POINTS))
    assert pareto.legend_lines() == [
        "A 58% (typical 60%) · 2 accounts",
        "B 27% (typical 25%) · 2 accounts",
        "C 10% (typical 10%) · 4 accounts",
        "D 5% (typical 5%) · 2 accounts",
    ]
    small = _pareto([(A, 500), (B, 300)])
    pareto.set_data(small)
    assert pareto.data() is small
    assert pareto.legend_lines()[0] == "A 63% (typical 60%) · 1 account"
    assert pareto.legend_lines()[3] == "D 0% (typical 5%) · 0 accounts"
    assert pareto.empty_text() == ""


def test_pareto_empty_state(pareto):
    assert "No account has a value yet" in pareto.empty_text()
    image = pareto.render_image(600, 300)
    assert pareto.plot_rect().isEmpty()
    assert _count(image, CLASS_COLOURS["A"]) == 0
    assert _count(image, QColor("black"), 0, 100, 600, 200) > 0  # the sentence itself
    pareto.set_data(_pareto([(A, 0), (B, 0)]))  # accounts, but none with a value
    assert pareto.empty_text()


def test_pareto_with_3000_accounts_paints_fast(pareto):
    pareto.set_data(_ranked(3000))
    pareto.render_image(900, 420)  # warm the font caches
    started = time.perf_counter()
    image = pareto.render_image(900, 420)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.2  # well under 50 ms on a developer machine; slack for slow CI
    plot = pareto.plot_rect()
    # One bar per pixel column: solid colour at the left, and still at 85 % of the ranks.
    assert _near(image.pixelColor(int(plot.left()) + 3, int(plot.center().y())), CLASS_COLOURS["A"])
    assert _near(image.pixelColor(int(plot.left() + plot.width() * 0.85), int(plot.bottom()) - 3), CLASS_COLOURS["D"])
    assert pareto.legend_lines()[2].endswith("1200 accounts")


def test_column_spans_keep_one_bar_per_pixel_with_the_largest_value():
    values = list(range(3000, 0, -1))
    spans = column_spans(values, 600)
    assert len(spans) == 600
    assert spans[0] == (0, 5, 3000)
    assert [start for start, _end, _max in spans[1:]] == [end for _start, end, _max in spans[:-1]]
    assert spans[-1][1] == 3000
    assert column_spans([5, 3], 600) == [(0, 1, 5), (1, 2, 3)]  # never more columns than values


def test_pareto_chinese_names_and_language(pareto, english_afterwards):
    set_language("zh_CN")
    names = ["中国移动", "华为技术有限公司", "腾讯", "阿里巴巴集团", "小米"]
    pareto.set_data(_pareto([(A, 900), (B, 500), (C, 200), (C, 100), (D, 50)], names))
    for width, height in ((360, 240), (1200, 600)):
        image = pareto.render_image(width, height)
        assert image.size() == QSize(width, height)
        assert not pareto.plot_rect().isEmpty()
    assert len(pareto.legend_lines()) == 4


def test_compact_money_uses_the_locale():
    english = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    german = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    assert compact_money(150_000_000, english) == "1.5M"
    assert compact_money(150_000_000, german) == "1,5M"
    assert compact_money(25_000_000, english) == "250K"
    assert compact_money(4_200, english) == "42"
    assert compact_money(0, english) == "0"


def test_nice_step():
    assert nice_step(600_000, 5) == 200_000
    assert nice_step(100, 10) == 10
    assert nice_step(7, 1) == 10


# Pyramid --------------------------------------------------------------------------------------


def test_pyramid_texts_compare_actual_with_guide(pyramid):
    data = _pyramid(since=dt.date(2024, 1, 1))
    pyramid.set_data(data)
    assert pyramid.data() is data
    assert pyramid.bar_texts() == [
        ("Key accounts", "10% (guide 10%)", "55% (guide 60%)", "— (guide 60%)"),
        ("Ordinary accounts", "50% (guide 30%)", "36% (guide 30%)", "— (guide 30%)"),
        ("Prospects", "40% (guide 60%)", "9% (guide 10%)", "— (guide 10%)"),
    ]
    assert pyramid.note_text().startswith("Contact time counted since")
    assert pyramid.legend_lines() == ["Share of accounts", "Share of logged time", "Share of planned time", "Guide"]


def test_pyramid_shows_planned_time_beside_logged_time(pyramid):
    # A salesperson who logged most time on prospects but plans the coming weeks on key accounts.
    data = _pyramid(
        key=(1, 600, 1800),
        ordinary=(3, 600, 900),
        prospect=(6, 1800, 300),
        since=dt.date(2026, 1, 1),
        until=dt.date(2027, 3, 1),
    )
    pyramid.set_data(data)
    assert [t[2:] for t in pyramid.bar_texts()] == [
        ("20% (guide 60%)", "60% (guide 60%)"),
        ("20% (guide 30%)", "30% (guide 30%)"),
        ("60% (guide 10%)", "10% (guide 10%)"),
    ]
    assert "planned follow-ups and visits" in pyramid.note_text()
    image = pyramid.render_image(800, 420)
    track = pyramid.plot_rect()
    third = int(track.height() / 3)
    key_planned = _count(
        image, PLANNED_COLOUR, int(track.left()), int(track.top()), int(track.right()), int(track.top()) + third
    )
    prospect_planned = _count(
        image, PLANNED_COLOUR, int(track.left()), int(track.bottom()) - third, int(track.right()), int(track.bottom())
    )
    assert key_planned > 4 * prospect_planned > 0


def test_pyramid_draws_key_accounts_on_top(pyramid):
    pyramid.set_data(_pyramid())
    image = pyramid.render_image(800, 400)
    track = pyramid.plot_rect()
    third = int(track.height() / 3)
    top, bottom = int(track.top()), int(track.bottom())

    def rightmost(colour: QColor, y0: int, y1: int) -> int:
        return max(
            (
                x
                for x in range(int(track.left()), int(track.right()))
                for y in range(y0, y1, 2)
                if _near(image.pixelColor(x, y), colour)
            ),
            default=-1,
        )

    key_time = rightmost(TIME_COLOUR, top, top + third)
    prospect_time = rightmost(TIME_COLOUR, bottom - third, bottom)
    # Key accounts take 55 % of the time, prospects 9 %: the top orange bar is about 6 times longer.
    assert key_time - track.left() > 5 * (prospect_time - track.left()) > 0
    key_accounts = rightmost(ACCOUNTS_COLOUR, top, top + third)
    assert key_accounts - track.left() == pytest.approx(track.width() * 0.10, abs=3)


def test_pyramid_without_contact_time_says_so(pyramid):
    pyramid.set_data(_pyramid(key=(6, 0), ordinary=(30, 0), prospect=(24, 0)))
    assert not pyramid.has_time()
    assert "No contact time" in pyramid.note_text()
    assert pyramid.bar_texts()[0][2] == "— (guide 60%)"
    image = pyramid.render_image(800, 400)
    track = pyramid.plot_rect()
    assert _count(image, TIME_COLOUR, int(track.left()), int(track.top()), int(track.right()), int(track.bottom())) == 0
    assert (
        _count(image, ACCOUNTS_COLOUR, int(track.left()), int(track.top()), int(track.right()), int(track.bottom()))
        > 100
    )


def test_pyramid_empty_state(pyramid):
    assert "No accounts yet" in pyramid.empty_text()
    image = pyramid.render_image(360, 240)
    assert pyramid.plot_rect().isEmpty()
    assert _count(image, ACCOUNTS_COLOUR) == 0
    pyramid.set_data(_pyramid(key=(1, 0), ordinary=(0, 0), prospect=(0, 0)))
    assert pyramid.empty_text() == ""
    assert pyramid.bar_texts()[0][1] == "100% (guide 10%)"


# Both -----------------------------------------------------------------------------------------


@pytest.fixture(params=["pareto", "pyramid"])
def chart(request, qtbot):
    chart = ParetoChart() if request.param == "pareto" else PyramidChart()
    qtbot.addWidget(chart)
    chart.set_data(_ranked(60) if request.param == "pareto" else _pyramid())
    return chart


def _save_action(chart):
    menu = chart.context_menu()
    actions = [a for a in menu.actions() if a.text() == "Save chart as PNG…"]
    assert len(actions) == 1
    return actions[0]


# The offscreen platform cannot raise a popup or grab the keyboard, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_right_click_opens_the_save_menu(chart, qtbot):
    chart.show()
    qtbot.waitExposed(chart)
    seen: list[list[str]] = []

    def read_and_close(tries: int = 50) -> None:
        menu = QApplication.activePopupWidget()
        if menu is None and tries:  # not up yet: look again shortly
            QTimer.singleShot(10, lambda: read_and_close(tries - 1))
            return
        if menu is not None:
            seen.append([action.text() for action in menu.actions()])
            menu.close()

    QTimer.singleShot(0, read_and_close)
    position = QPoint(20, 20)
    QApplication.sendEvent(
        chart, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, position, chart.mapToGlobal(position))
    )
    assert seen == [["Save chart as PNG…"]]


def test_save_png_from_the_context_menu(chart, scripted, tmp_path):
    chart.resize(500, 300)
    path = tmp_path / "chart.png"
    scripted.files.append(str(path))
    _save_action(chart).trigger()
    assert scripted.shown == [("save_image", "Save chart as PNG", "")]
    image = QImage(str(path))
    assert not image.isNull()
    assert image.size() == QSize(500, 300)


def test_failed_save_warns(chart, scripted, tmp_path):
    path = tmp_path / "no such folder" / "chart.png"
    scripted.files.append(str(path))
    _save_action(chart).trigger()
    assert [kind for kind, _title, _text in scripted.shown] == ["save_image", "warn"]
    assert str(path) in scripted.shown[1][2]
    assert not path.exists()


def test_cancelled_save_does_nothing(chart, scripted):
    _save_action(chart).trigger()  # no file queued: the dialog was cancelled
    assert [kind for kind, _title, _text in scripted.shown] == ["save_image"]


def test_size_hints_and_resizing(chart, qtbot):
    assert chart.minimumSizeHint() == QSize(360, 240)
    assert chart.sizeHint().width() >= 360 and chart.sizeHint().height() >= 240
    chart.show()
    qtbot.waitExposed(chart)
    for size in (QSize(360, 240), QSize(1200, 600)):
        chart.resize(size)
        assert chart.grab().size() == size  # grab() paints through paintEvent
        assert not chart.plot_rect().isEmpty()
        assert chart.plot_rect().right() <= size.width() and chart.plot_rect().bottom() <= size.height()
    for width, height in ((1, 1), (40, 30), (2400, 200)):
        assert chart.render_image(width, height).size() == QSize(width, height)


def test_render_follows_the_palette(chart):
    palette = chart.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#f0f0f0"))
    chart.setPalette(palette)
    image = chart.render_image(600, 300)
    assert _near(image.pixelColor(1, 1), QColor("#202020"), 2)
