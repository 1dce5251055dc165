"""The one formatting module: figures a Chinese sales manager counts in 万 and 亿, local times, grouped digits."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from PySide6.QtCore import QLocale

from kamdesk.ui import formatting

CN = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
TW = QLocale(QLocale.Language.Chinese, QLocale.Country.Taiwan)
EN = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def test_money_in_chinese_counts_in_wan_and_yi():
    assert formatting.money(1_332_500_00, CN) == "133.25万"
    assert formatting.money(1_452_079_16, CN) == "145.21万"
    assert formatting.money(4_000_000_00, CN) == "400万"
    assert formatting.money(2_350_000_000_00, CN) == "23.5亿"
    assert formatting.money(8_500_00, CN) == "8,500"
    assert formatting.money(-1_200_000_00, TW) == "-120万"
    assert formatting.money(None, CN) == "—"


def test_money_in_english_is_grouped_whole_yuan():
    assert formatting.money(1_332_500_00, EN) == "1,332,500"
    assert formatting.money(1_452_079_16, EN) == "1,452,079"
    assert formatting.money_exact(1_452_079_16, EN) == "1,452,079.16"
    assert formatting.money_exact(1_332_500_00, EN) == "1,332,500"


def test_axis_labels_use_chinese_units_not_bai_wan():
    assert formatting.compact_money(4_000_000_00, CN) == "400万"
    assert formatting.compact_money(150_000_000_00, CN) == "1.5亿"
    assert formatting.compact_money(2_500_00, CN) == "2,500"
    assert formatting.compact_money(4_000_000_00, EN) == "4M"
    assert formatting.compact_money(25_000_000, EN) == "250K"
    assert formatting.compact_money(0, EN) == "0"


def test_numbers_are_grouped_in_the_locale():
    assert formatting.number(1_332_500, locale=EN) == "1,332,500"
    assert formatting.number(12.5, 1, EN) == "12.5"
    assert formatting.number(None, locale=EN) == "—"


@pytest.fixture
def shanghai_time():
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_stored_utc_times_are_shown_in_local_time(shanghai_time):
    stored = dt.datetime(2026, 12, 5, 13, 41)  # what the file holds: UTC
    assert formatting.local_time(stored) == dt.datetime(2026, 12, 5, 21, 41)
    shown = formatting.date_time(stored, CN)
    assert "21:41" in shown and "2026" in shown and "UTC" not in shown
    assert formatting.time_of_day(stored, CN) == "21:41"
    # Past midnight in Shanghai the date moves on too.
    assert formatting.local_time(dt.datetime(2026, 12, 5, 17, 30)).date() == dt.date(2026, 12, 6)


def test_dates_follow_the_locale():
    day = dt.date(2027, 6, 15)
    assert formatting.date(day, CN) == "2027/6/15"
    assert formatting.date(day, EN) == "6/15/27"
    assert formatting.date(None, CN) == "—"


def test_plan_amounts_edit_exactly_and_take_chinese_units():
    from kamdesk.ui.tabs.plans.cells import money_text, parse_money

    for cents in (1_452_079_16, 1_332_500_00, 5, 0):
        assert parse_money(money_text(cents)) == cents  # nothing lost to rounding when a plan is saved again
    assert parse_money("133.25万") == 1_332_500_00
    assert parse_money("1.2亿") == 120_000_000_00
    assert parse_money("1,332,500") == 1_332_500_00
    assert parse_money(" ") is None


def test_a_local_moment_is_shown_as_it_is():
    assert formatting.wall_time(dt.datetime(2026, 12, 7, 9, 30), CN) == "2026/12/7 09:30"
    assert formatting.wall_time(None, CN) == "—"


def test_percentages_round_halves_up():
    assert formatting.percent(62.5, EN) == "63%"
    assert formatting.percent(0.4, CN) == "0%"
