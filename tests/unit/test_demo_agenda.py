"""The demo shows what kamdesk is for: the next 60 days hold every kind of follow-up, each saying why."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from kamdesk.domain import clock
from kamdesk.domain.chinese_calendar import festivals
from kamdesk.domain.followups import AgendaItem, reason_label
from kamdesk.services.demo import load_demo
from kamdesk.services.followups import FollowUpService
from kamdesk.storage.opening import open_database

AHEAD = 60
#: Each kind a salesperson should meet in the demo's weeks ahead (festivals depend on the season).
EVERY_TIME = ("birthday", "care", "cadence", "reply_owed", "email_follow_up", "call_back", "plan_action", "visit")


def _agenda(path: Path, day: dt.date) -> list[AgendaItem]:
    db = open_database(path, "demo")
    try:
        with clock.fixed(day):
            items = FollowUpService(db).agenda(None, days_ahead=AHEAD)
    finally:
        db.dispose()
    return [item for item in items if item.due_on is not None and item.due_on >= day]


def _business_festivals(day: dt.date) -> set[str]:
    end = day + dt.timedelta(days=AHEAD)
    return {
        f.name
        for year in (day.year, day.year + 1)
        for f in festivals(year)
        if f.business and day <= f.date <= end + dt.timedelta(days=2)  # greeted two days before
    }


@pytest.mark.parametrize("day", [dt.date(2026, 12, 5), dt.date(2027, 6, 15), dt.date(2027, 9, 1)])
def test_the_next_60_days_hold_every_kind_of_follow_up(tmp_path: Path, day: dt.date):
    path = tmp_path / "demo.kamdb"
    load_demo(path, today=day)
    items = _agenda(path, day)
    kinds = Counter(item.reason for item in items)
    for reason in EVERY_TIME:
        assert kinds[reason] > 0, (reason, dict(kinds))
    # Festival greetings for exactly the business festivals ahead (none fall between the Dragon Boat
    # Festival and the weeks before Mid-Autumn, so mid-June has none).
    assert {item.reason_detail for item in items if item.reason == "festival"} == _business_festivals(day)
    birthdays = [item for item in items if item.reason == "birthday"]
    lunar = [item for item in birthdays if "lunar" in item.reason_detail]
    assert lunar and len(lunar) < len(birthdays), "both lunar and solar birthdays"
    # Hand-planned items are the minority, and every item says why it is there.
    assert kinds["manual"] < len(items) / 4
    for item in items:
        assert reason_label(item.reason) != item.reason
        assert item.reason == "manual" or item.reason_detail or item.subject
    plan_steps = [item for item in items if item.reason == "plan_action"]
    assert all(item.reason_detail.startswith(f"FY{day.year}") for item in plan_steps)
    assert all(day <= item.due_on <= day + dt.timedelta(days=AHEAD) for item in items)  # type: ignore[operator]


def test_the_demo_is_the_same_for_the_same_day(tmp_path: Path):
    day = dt.date(2026, 12, 5)
    load_demo(tmp_path / "one.kamdb", today=day)
    load_demo(tmp_path / "two.kamdb", today=day)
    first, second = _agenda(tmp_path / "one.kamdb", day), _agenda(tmp_path / "two.kamdb", day)
    assert len(first) > 500
    assert first == second
    moved = _agenda_of(tmp_path / "three.kamdb", day + dt.timedelta(days=30))
    assert min(item.due_on for item in moved) > min(item.due_on for item in first)  # type: ignore[type-var]


def _agenda_of(path: Path, day: dt.date) -> list[AgendaItem]:
    load_demo(path, today=day)
    return _agenda(path, day)
