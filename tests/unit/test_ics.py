"""The calendar export (RFC 5545): escaping, folding, CRLF, stable UIDs, time zones, what is left out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zoneinfo

import pytest

from kamdesk import i18n
from kamdesk.domain import ics
from kamdesk.domain.followups import AgendaItem
from kamdesk.domain.ics import agenda_to_ics, parse_uids

NOW = dt.datetime(2025, 3, 2, 8, 0, tzinfo=dt.UTC)
FILE_ID = "3f2a9c"


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_catalog", {})


def _item(item_id: int = 1, **changes: object) -> AgendaItem:
    values: dict[str, object] = {
        "id": item_id,
        "kind": "call",
        "status": "planned",
        "due_on": dt.date(2025, 3, 10),
        "subject": "",
        "contact_name": "张伟",
        "account_name": "恒源精密",
    }
    values.update(changes)
    return AgendaItem(**values)  # type: ignore[arg-type]


def _export(*items: AgendaItem, **options: object) -> str:
    kwargs: dict[str, object] = {"file_id": FILE_ID, "now": NOW}
    kwargs.update(options)
    return agenda_to_ics(items, **kwargs)  # type: ignore[arg-type]


# An independent reader, so the tests do not trust the module's own unfolding and unescaping.
def _logical_lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            nxt = value[i + 1]
            assert nxt in "\\;,nN", f"bad escape \\{nxt} in {value!r}"
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            assert value[i] not in ";,", f"unescaped {value[i]!r} in {value!r}"
            out.append(value[i])
            i += 1
    return "".join(out)


def _events(text: str) -> list[dict[str, str]]:
    """Each VEVENT as {name-with-params: raw value}."""
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in _logical_lines(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            name, _sep, value = line.partition(":")
            assert name not in current, f"{name} twice in one event"
            current[name] = value
    return events


def _only_event(text: str) -> dict[str, str]:
    events = _events(text)
    assert len(events) == 1, events
    return events[0]


def test_calendar_header_and_one_event():
    text = _export(_item())
    lines = _logical_lines(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    for expected in (
        "PRODID:-//kamdesk//kamdesk//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:kamdesk",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ):
        assert expected in lines[: lines.index("BEGIN:VEVENT")]
    event = _only_event(text)
    assert event["UID"] == f"1@{FILE_ID}.kamdesk"
    assert event["DTSTAMP"] == "20250302T080000Z"
    assert event["STATUS"] == "CONFIRMED"
    assert event["CATEGORIES"] == "Call"
    assert _unescape(event["SUMMARY"]) == "Call: 张伟 (恒源精密)"


def test_crlf_everywhere_and_nothing_else():
    notes = "第一行\n第二行\r\n第三行\r第四行" + "，很长的备注" * 30
    text = _export(_item(notes=notes, start_time=dt.time(9, 30)), _item(2, kind="visit"))
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")
    assert "\r\n\r\n" not in text  # no empty content lines


def test_text_escaping_with_chinese():
    notes = "报价：单价 12,5 元; 数量 3,000\\件\n路径 C:\\报价\\2025;第二版\r\n下周回复, 谢谢"
    event = _only_event(_export(_item(notes=notes, location="上海市, 浦东新区; 3号楼\\B座")))
    description = event["DESCRIPTION"]
    # Every special character is escaped exactly as RFC 5545 §3.3.11 says.
    assert "单价 12\\,5 元\\; 数量 3\\,000\\\\件\\n路径 C:\\\\报价\\\\2025\\;第二版\\n下周回复\\, 谢谢" in description
    assert _unescape(description).endswith(notes.replace("\r\n", "\n"))
    assert event["LOCATION"] == "上海市\\, 浦东新区\\; 3号楼\\\\B座"
    assert _unescape(event["LOCATION"]) == "上海市, 浦东新区; 3号楼\\B座"


def test_a_backslash_before_n_stays_a_backslash():
    # icalendar's own TEXT escaping turns "\\N" into a line break; kamdesk escapes TEXT itself.
    notes = "路径 C:\\New folder\\Neu\\n"
    event = _only_event(_export(_item(notes=notes, subject="C:\\Notes")))
    assert _unescape(event["SUMMARY"]) == "C:\\Notes"
    assert _unescape(event["DESCRIPTION"]).endswith(notes)


def test_escape_text_unit():
    assert ics.escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert ics.escape_text("tab\tkept, bell\x07 and nul\x00 dropped") == "tab\tkept\\, bell and nul dropped"
    assert ics.unescape_text(ics.escape_text("路径 C:\\a;b,c\n")) == "路径 C:\\a;b,c\n"


def test_chinese_emoji_and_markup_are_kept():
    subject = '拜访王总 🍵👨‍👩‍👧 <b>R&D</b> &amp; "报价" ‘单’ 𠀀'
    event = _only_event(_export(_item(subject=subject)))
    assert _unescape(event["SUMMARY"]) == subject


@pytest.mark.parametrize("lead", range(6))
def test_folding_never_splits_a_character_and_keeps_lines_short(lead: int):
    # Mixed 1-, 2-, 3- and 4-byte characters, shifted so fold points land at every offset.
    notes = "x" * lead + ("价格;数量,ü\\🎉中文" * 40) + "\n" + "𠀀" * 50
    subject = "a" * lead + "会议纪要🎉" * 30
    text = _export(_item(notes=notes, subject=subject))
    raw = text.encode("utf-8")
    physical = raw.split(b"\r\n")
    assert physical[-1] == b""
    folded = 0
    for line in physical[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # each physical line alone is valid UTF-8: no character was split
        folded += line.startswith(b" ")
    assert folded > 10
    event = _only_event(text)
    assert _unescape(event["SUMMARY"]) == subject
    assert _unescape(event["DESCRIPTION"]).endswith(notes)


def test_fold_line_boundaries():
    assert ics.fold_line("A" * 75) == "A" * 75
    assert ics.fold_line("A" * 76) == "A" * 75 + "\r\n A"
    # 3-byte characters: 25 fill the first line exactly; continuation lines hold 24 (72 + space ≤ 75).
    folded = ics.fold_line("中" * 60)
    assert folded.split("\r\n ") == ["中" * 25, "中" * 24, "中" * 11]
    # A backslash escape is never cut in two.
    for width in range(70, 80):
        folded = ics.fold_line("D:" + "a" * width + "\\;" + "b" * 100)
        assert all(not part.endswith("\\") for part in folded.split("\r\n ")[:-1]), folded


def test_uids_are_stable_and_sequence_rises_when_an_item_changes():
    first_items = [
        _item(1, updated_at=dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)),
        _item(2, kind="meeting", updated_at=dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)),
        _item(3, kind="visit"),
    ]
    first = _export(*first_items)
    moved = dataclasses.replace(first_items[0], updated_at=dt.datetime(2025, 3, 4, 10, 15, tzinfo=dt.UTC))
    second = _export(moved, *first_items[1:], now=NOW + dt.timedelta(days=3))

    expected = [f"{n}@{FILE_ID}.kamdesk" for n in (1, 2, 3)]
    assert parse_uids(first) == parse_uids(second) == expected
    before = {e["UID"]: e for e in _events(first)}
    after = {e["UID"]: e for e in _events(second)}
    uid1, uid2, uid3 = expected
    assert int(after[uid1]["SEQUENCE"]) > int(before[uid1]["SEQUENCE"]) > 0
    assert after[uid2]["SEQUENCE"] == before[uid2]["SEQUENCE"]
    assert before[uid3]["SEQUENCE"] == after[uid3]["SEQUENCE"] == "0"
    assert after[uid1]["LAST-MODIFIED"] == "20250304T101500Z"
    assert "LAST-MODIFIED" not in after[uid3]
    assert after[uid1]["DTSTAMP"] == "20250305T080000Z" != before[uid1]["DTSTAMP"]
    # Another team file gives other UIDs.
    assert parse_uids(_export(*first_items, file_id="other")) == [f"{n}@other.kamdesk" for n in (1, 2, 3)]


def test_times_given_in_other_zones_are_written_in_utc():
    updated = dt.datetime(2025, 3, 1, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    naive_now = dt.datetime(2025, 3, 2, 1, 2, 3)  # taken as UTC
    event = _only_event(_export(_item(updated_at=updated), now=naive_now))
    assert event["LAST-MODIFIED"] == "20250301T083000Z"
    assert event["DTSTAMP"] == "20250302T010203Z"
    assert int(event["SEQUENCE"]) == ics.event_sequence(dt.datetime(2025, 3, 1, 8, 30, tzinfo=dt.UTC))


def test_event_sequence_counts_minutes_since_2020():
    assert ics.event_sequence(None) == 0
    assert ics.event_sequence(dt.datetime(2019, 12, 31, tzinfo=dt.UTC)) == 0
    assert ics.event_sequence(dt.datetime(2020, 1, 1, 1, 0, 59, tzinfo=dt.UTC)) == 60
    assert ics.event_sequence(dt.datetime(2020, 1, 1, 1, 1)) == 61


def test_timed_event_uses_local_time_with_tzid_and_a_default_half_hour():
    text = _export(
        _item(1, start_time=dt.time(9, 30)),
        _item(2, kind="meeting", start_time=dt.time(23, 15, 20, 999), duration_minutes=90),
    )
    first, second = _events(text)
    assert first["DTSTART;TZID=Asia/Shanghai"] == "20250310T093000"
    assert first["DTEND;TZID=Asia/Shanghai"] == "20250310T100000"
    assert first["TRANSP"] == "OPAQUE"
    # Across midnight, seconds kept, microseconds dropped.
    assert second["DTSTART;TZID=Asia/Shanghai"] == "20250310T231520"
    assert second["DTEND;TZID=Asia/Shanghai"] == "20250311T004520"
    assert not any(key.startswith("DTSTART;VALUE") for key in first)


def test_all_day_event_without_a_start_time():
    text = _export(_item(1), _item(2, due_on=dt.date(2025, 12, 31)), _item(3, due_on=dt.date(2024, 2, 28)))
    first, year_end, leap = _events(text)
    assert first["DTSTART;VALUE=DATE"] == "20250310" and first["DTEND;VALUE=DATE"] == "20250311"
    assert year_end["DTSTART;VALUE=DATE"] == "20251231" and year_end["DTEND;VALUE=DATE"] == "20260101"
    assert leap["DTEND;VALUE=DATE"] == "20240229"
    assert first["TRANSP"] == "TRANSPARENT"
    assert not any(key.startswith("DTSTART;TZID") or key == "DTSTART" for key in first)


def _vtimezone(text: str) -> list[str]:
    lines = _logical_lines(text)
    if "BEGIN:VTIMEZONE" not in lines:
        return []
    return lines[lines.index("BEGIN:VTIMEZONE") : lines.index("END:VTIMEZONE") + 1]


def test_shanghai_time_zone_component():
    text = _export(_item(start_time=dt.time(9, 30)))
    assert _vtimezone(text) == [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Shanghai",
        "X-LIC-LOCATION:Asia/Shanghai",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0800",
        "TZOFFSETTO:+0800",
        "TZNAME:CST",
        "DTSTART:19700101T000000",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    lines = _logical_lines(text)
    assert lines.index("END:VTIMEZONE") < lines.index("BEGIN:VEVENT")


@pytest.mark.parametrize(
    ("zone", "offset"),
    [
        ("Asia/Tokyo", "+0900"),
        ("Asia/Kolkata", "+0530"),
        ("America/Caracas", "-0400"),
        ("UTC", "+0000"),
    ],
)
def test_other_fixed_offset_zones(zone: str, offset: str):
    text = _export(_item(start_time=dt.time(9, 30)), tz_name=zone)
    component = _vtimezone(text)
    assert f"TZID:{zone}" in component and f"TZOFFSETTO:{offset}" in component
    if zone == "UTC":  # icalendar writes UTC times in their own form, which RFC 5545 prefers to TZID=UTC
        assert _only_event(text)["DTSTART"] == "20250310T093000Z"
    else:
        assert _only_event(text)[f"DTSTART;TZID={zone}"] == "20250310T093000"


def test_daylight_saving_zone_falls_back_to_utc_times():
    text = _export(
        _item(1, due_on=dt.date(2025, 1, 15), start_time=dt.time(9, 30)),
        _item(2, due_on=dt.date(2025, 7, 15), start_time=dt.time(9, 30), duration_minutes=60),
        _item(3, due_on=dt.date(2025, 7, 16)),
        tz_name="Europe/Berlin",
    )
    assert _vtimezone(text) == []
    assert "X-WR-TIMEZONE:Europe/Berlin" in _logical_lines(text)
    winter, summer, all_day = _events(text)
    assert winter["DTSTART"] == "20250115T083000Z" and winter["DTEND"] == "20250115T090000Z"
    assert summer["DTSTART"] == "20250715T073000Z" and summer["DTEND"] == "20250715T083000Z"
    assert all_day["DTSTART;VALUE=DATE"] == "20250716"
    # Even with only winter events the zone is not passed off as fixed: its rules have DST.
    winter_only = _export(_item(1, due_on=dt.date(2025, 1, 15), start_time=dt.time(9, 30)), tz_name="Europe/Berlin")
    assert _vtimezone(winter_only) == [] and _only_event(winter_only)["DTSTART"] == "20250115T083000Z"


def test_southern_hemisphere_dst_zone_is_not_fixed():
    text = _export(_item(start_time=dt.time(9, 30)), tz_name="Australia/Sydney")
    assert _vtimezone(text) == []
    assert _only_event(text)["DTSTART"] == "20250309T223000Z"  # AEDT, +1100


def test_a_month_long_offset_change_is_not_fixed():
    # Morocco is +01 in January and July but +00 during Ramadan (March 2025).
    text = _export(_item(due_on=dt.date(2025, 1, 15), start_time=dt.time(9, 30)), tz_name="Africa/Casablanca")
    assert _vtimezone(text) == []
    assert _only_event(text)["DTSTART"] == "20250115T083000Z"


def test_shanghai_works_without_a_time_zone_database(monkeypatch: pytest.MonkeyPatch):
    def missing(key: str) -> zoneinfo.ZoneInfo:
        raise zoneinfo.ZoneInfoNotFoundError(key)

    monkeypatch.setattr(ics.zoneinfo, "ZoneInfo", missing)
    text = _export(_item(start_time=dt.time(9, 30)))
    assert "TZOFFSETTO:+0800" in _vtimezone(text) and "TZNAME:CST" in _vtimezone(text)
    with pytest.raises(ValueError, match="Europe/Berlin"):
        _export(_item(), tz_name="Europe/Berlin")


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        _export(_item(), tz_name="Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="file_id"):
        _export(_item(), file_id=" ")


def test_only_planned_calls_visits_and_meetings_are_exported():
    items = [
        _item(1, kind="call"),
        _item(2, kind="visit"),
        _item(3, kind="meeting"),
        _item(4, kind="email"),
        _item(5, kind="greeting"),
        _item(6, kind="note"),
        _item(7, status="done"),
        _item(8, kind="visit", status="cancelled"),
        _item(9, due_on=None),
        _item(10, due_on=dt.date.max),
        _item(1, kind="visit", subject="duplicate id"),
    ]
    text = _export(*items)
    assert parse_uids(text) == [f"{n}@{FILE_ID}.kamdesk" for n in (1, 2, 3)]
    assert [e["CATEGORIES"] for e in _events(text)] == ["Call", "Visit", "Meeting"]
    empty = _export(_item(4, kind="email"))
    assert parse_uids(empty) == [] and "BEGIN:VEVENT" not in empty and "END:VCALENDAR" in empty


def test_summary_and_description():
    item = _item(
        kind="visit",
        reason="festival",
        reason_detail="春节",
        member_name="李娜",
        notes="带茶叶，两盒\n",
        location="  苏州工业园区  ",
    )
    event = _only_event(_export(item))
    assert _unescape(event["SUMMARY"]) == "Visit: 张伟 (恒源精密)"
    assert _unescape(event["DESCRIPTION"]) == (
        "Contact: 张伟 (恒源精密)\nReason: Festival greeting (春节)\nOur person: 李娜\n\n带茶叶，两盒"
    )
    assert event["LOCATION"] == "苏州工业园区"

    plain = _only_event(_export(_item(kind="meeting", contact_name="", account_name="")))
    assert _unescape(plain["SUMMARY"]) == "Meeting"
    assert _unescape(plain["DESCRIPTION"]) == "Reason: Planned by hand"
    assert "LOCATION" not in plain
    only_account = _only_event(_export(_item(contact_name="", subject="  季度回顾  ")))
    assert _unescape(only_account["SUMMARY"]) == "季度回顾"
    assert _unescape(only_account["DESCRIPTION"]).startswith("Contact: 恒源精密\n")


def test_text_follows_the_current_language(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(
        i18n,
        "_catalog",
        {
            "Call: {who}": "电话：{who}",
            "{contact} ({account})": "{contact}（{account}）",
            "Reason: {reason}": "原因：{reason}",
            "Planned by hand": "手动安排",
            "Call": "电话",
        },
    )
    event = _only_event(_export(_item()))
    assert _unescape(event["SUMMARY"]) == "电话：张伟（恒源精密）"
    assert "原因：手动安排" in _unescape(event["DESCRIPTION"])
    assert event["CATEGORIES"] == "电话"


def test_parse_uids_unfolds_and_unescapes():
    long_id = "团队文件" * 30
    text = _export(_item(42), file_id=long_id)
    assert parse_uids(text) == [f"42@{long_id}.kamdesk"]
    assert parse_uids("BEGIN:VEVENT\nUID:a\\,b\n c\nEND:VEVENT\n") == ["a,bc"]


def test_the_icalendar_package_reads_the_export():
    import icalendar  # a runtime dependency since the export is written with it

    items = [
        _item(1, start_time=dt.time(9, 30), notes="价格, 数量; C:\\temp\n🎉" * 20, location="上海"),
        _item(2, kind="visit", updated_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC)),
    ]
    calendar = icalendar.Calendar.from_ical(_export(*items).encode("utf-8"))
    events = list(calendar.walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [f"1@{FILE_ID}.kamdesk", f"2@{FILE_ID}.kamdesk"]
    start = events[0].decoded("DTSTART")
    assert start.utcoffset() == dt.timedelta(hours=8) and (start.hour, start.minute) == (9, 30)
    assert str(events[0]["DESCRIPTION"]).endswith("价格, 数量; C:\\temp\n🎉")
    assert events[1].decoded("DTSTART") == dt.date(2025, 3, 10)
    assert re.fullmatch(r"\d+", str(events[1]["SEQUENCE"]))
