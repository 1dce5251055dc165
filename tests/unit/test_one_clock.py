"""kamdesk's one clock: nothing else reads the system date, and fixing the clock fixes it everywhere."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from kamdesk.domain import clock
from kamdesk.domain.clock import Clock

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kamdesk"
THE_CLOCK = PACKAGE / "domain" / "clock.py"

#: Reads of the system clock allowed outside domain/clock.py, each with its reason.
ALLOWED: dict[tuple[str, str], str] = {
    ("kamdesk/app.py", "time.time"): "the start-up probe measures elapsed seconds against the launcher's "
    "epoch second (a duration, not a date; a fixed clock would break it)",
}

#: Calls that read today's date or the wall clock, by the name they end in and what they are called on.
DATE_READERS = {"today", "now", "utcnow"}
DATE_OWNERS = {"date", "datetime"}  # dt.date.today(), datetime.now(), datetime.datetime.utcnow()
TIME_READERS = {"time", "localtime", "gmtime", "ctime", "strftime", "asctime", "time_ns"}  # time.time()
QT_READERS = {
    "currentDate",
    "currentDateTime",
    "currentDateTimeUtc",
    "currentTime",
    "currentSecsSinceEpoch",
    "currentMSecsSinceEpoch",
}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def system_clock_reads(source: str) -> list[tuple[int, str]]:
    """Every place `source` reads the system date or time, called or passed on (`default=dt.date.today`)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            owner = _dotted(node.value)
            last = owner.rpartition(".")[2]
            if node.attr in DATE_READERS and last in DATE_OWNERS:
                found.append((node.lineno, f"{owner}.{node.attr}"))
            elif node.attr in TIME_READERS and owner == "time":
                found.append((node.lineno, f"time.{node.attr}"))
            elif node.attr in QT_READERS:
                found.append((node.lineno, f"{owner}.{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime"):
            # `from time import time` or `from datetime import date` would hide the calls from the walk
            for alias in node.names:
                if alias.name in TIME_READERS | {"date", "datetime"}:
                    found.append((node.lineno, f"from {node.module} import {alias.name}"))
    return sorted(found)


def test_the_finder_sees_every_way_of_reading_the_date():
    source = "\n".join(
        [
            "import datetime as dt, time",
            "from PySide6.QtCore import QDate, QDateTime",
            "a = dt.date.today()",
            "b = dt.datetime.now(dt.UTC)",
            "c = datetime.datetime.utcnow()",
            "d = time.time()",
            "e = QDate.currentDate()",
            "f = QDateTime.currentDateTime()",
            "g = field(default=dt.date.today)",
            "h = time.strftime('%Y')",
            "from time import time",
            "ok = dt.date(2026, 1, 1) + dt.timedelta(days=1)",
            "ok2 = time.monotonic()",
            "ok3 = x.today()",
        ]
    )
    assert [what for _line, what in system_clock_reads(source)] == [
        "dt.date.today",
        "dt.datetime.now",
        "datetime.datetime.utcnow",
        "time.time",
        "QDate.currentDate",
        "QDateTime.currentDateTime",
        "dt.date.today",
        "time.strftime",
        "from time import time",
    ]


def test_nothing_but_the_clock_reads_the_system_date():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == THE_CLOCK:
            continue
        relative = path.relative_to(ROOT).as_posix()
        for line, what in system_clock_reads(path.read_text(encoding="utf-8")):
            if (relative, what) not in ALLOWED:
                offenders.append(f"{relative}:{line} {what}")
    assert offenders == [], "read the date from kamdesk.domain.clock instead:\n" + "\n".join(offenders)


def test_a_fixed_clock_stands_still_and_can_be_moved_on():
    c = Clock(dt.date(2027, 2, 5))
    assert c.is_fixed and c.today() == dt.date(2027, 2, 5) and c.now() == dt.datetime(2027, 2, 5, 10, 0)
    assert c.now() == c.now()
    c.advance(dt.timedelta(hours=15))
    assert c.today() == dt.date(2027, 2, 6)  # moved past midnight on purpose
    c.fix(dt.datetime(2028, 2, 29, 23, 59))
    assert c.today() == dt.date(2028, 2, 29)
    assert c.timestamp() == dt.datetime(2028, 2, 29, 23, 59).timestamp()
    c.release()
    assert not c.is_fixed
    with pytest.raises(RuntimeError):
        c.advance(dt.timedelta(days=1))


def test_a_fixed_clock_gives_utc_as_the_local_moment_converted():
    moment = dt.datetime(2027, 12, 31, 23, 58)
    c = Clock(moment)
    assert c.utc_now() == moment.astimezone(dt.UTC).replace(tzinfo=None)
    aware = dt.datetime(2030, 6, 15, 2, 0, tzinfo=dt.UTC)
    c.fix(aware)
    assert c.utc_now() == dt.datetime(2030, 6, 15, 2, 0)


def test_the_system_clock_follows_the_system():
    c = Clock()
    before = dt.datetime.now()
    assert before - dt.timedelta(seconds=5) <= c.now() <= dt.datetime.now() + dt.timedelta(seconds=5)


def test_fixed_puts_the_process_clock_back_afterwards():
    assert not clock.clock().is_fixed
    with clock.fixed(dt.date(2030, 6, 15)) as c:
        assert clock.today() == dt.date(2030, 6, 15) and c is clock.clock()
        with clock.fixed(dt.date(2027, 2, 5)):
            assert clock.today() == dt.date(2027, 2, 5)
        assert clock.today() == dt.date(2030, 6, 15)
    assert not clock.clock().is_fixed


def test_fixing_the_clock_fixes_services_storage_stamps_backups_and_demo(tmp_path: Path, fixed_clock: Clock):
    from kamdesk.domain.models import AccountDetail, AccountValue
    from kamdesk.services.demo_data import DemoSize, generate_demo
    from kamdesk.services.workspace import open_workspace

    day = dt.date(2027, 2, 5)  # Spring Festival eve
    fixed_clock.fix(day)
    ws = open_workspace(tmp_path / "team.kamdb", "王芳", create=True)
    try:
        assert ws.clock is fixed_clock
        services = (ws.accounts, ws.contacts, ws.followups, ws.plans, ws.gifts, ws.transfer, ws.audit)
        assert {s.today() for s in services} == {day}
        account_id, _ = ws.accounts.save(AccountDetail(name="中国移动", values=[AccountValue("2026", 1000, None)]))
        stamp = ws.accounts.stamp(account_id)
        assert stamp is not None and stamp.at == fixed_clock.utc_now()
        backup = ws.backups.backup_now()
        assert backup.made_at.date() == day and "2027-02-05_100000" in backup.path.name
    finally:
        ws.close()
    assert generate_demo(DemoSize.SMALL).counts() == generate_demo(DemoSize.SMALL, today=day).counts()
