"""Planned calls, visits and meetings as an RFC 5545 iCalendar file for calendar apps.

Time zones: a zone whose UTC offset is the same (and not daylight saving) at every instant
the export touches — each timed event's start and end, and the 1st and 15th of every month
from the earliest to the latest year of those events and `now` — is written as one
fixed-offset VTIMEZONE (one STANDARD component) and the events carry local times with TZID
(icalendar writes times in a zone named UTC in their own "...Z" form).
This covers Asia/Shanghai (+0800 CST since 1991) and the other zones kamdesk's users live in.
A zone with daylight saving (or an offset change inside the exported span) is written without
a VTIMEZONE: timed events are converted to UTC ("...Z") with the zone's real rules from
zoneinfo, which every calendar app shows correctly in its own zone; rules guessed into RRULEs
could be wrong in other years. Without a time zone database (Windows lacking tzdata) the
Chinese-region zones and UTC still work from a small built-in table.

The calendar is built and written by the `icalendar` package (components, properties,
parameters, dates and times). Two pieces stay here on purpose: TEXT escaping (`escape_text`),
because icalendar turns a literal backslash-N ("C:\\New") into a line break and keeps control
characters, and folding (`fold_line`), which fills lines to the full 75 octets the RFC allows
(icalendar stops at 74) and never cuts a backslash escape.

The result is text with CRLF line endings: write it as UTF-8 without newline translation
(`path.write_bytes(text.encode("utf-8"))` or `open(..., "w", encoding="utf-8", newline="")`).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Component, Event, Timezone, TimezoneStandard
from icalendar.prop import vText

from kamdesk.domain.enums import ActivityKind
from kamdesk.domain.followups import AgendaItem, detail_text, reason_label
from kamdesk.i18n import N_, _

PRODID = "-//kamdesk//kamdesk//EN"
CALENDAR_NAME = "kamdesk"
#: The agenda kinds that take time in a calendar; greetings, emails and notes are left out.
CALENDAR_KINDS: frozenset[str] = frozenset({"call", "visit", "meeting"})
DEFAULT_DURATION = dt.timedelta(minutes=30)
#: SEQUENCE is minutes since this instant of the item's last change, so later edits rank higher.
SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
#: RFC 5545 §3.1: content lines longer than this many octets (CRLF excluded) are folded.
FOLD_OCTETS = 75

_SUMMARIES: dict[str, str] = {
    "call": N_("Call: {who}"),
    "visit": N_("Visit: {who}"),
    "meeting": N_("Meeting: {who}"),
}

#: Fixed-offset zones used when the system has no time zone database (Windows without the
#: tzdata package): the Chinese-speaking regions kamdesk is made for, and UTC.
_BUILT_IN_ZONES: dict[str, tuple[int, str]] = {
    **dict.fromkeys(("Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"), (480, "CST")),
    **dict.fromkeys(("Asia/Taipei", "ROC", "Asia/Macau", "Asia/Macao"), (480, "CST")),
    **dict.fromkeys(("Asia/Hong_Kong", "Hongkong"), (480, "HKT")),
    **dict.fromkeys(("Asia/Urumqi", "Asia/Kashgar"), (360, "+06")),
    "Asia/Singapore": (480, "+08"),
    **dict.fromkeys(("UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"), (0, "UTC")),
}

# RFC 5545 TEXT may hold no control characters but HTAB (line breaks are escaped as \n).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_UNESCAPE = re.compile(r"\\([\\;,nN])")
_FOLD_UNITS = re.compile(r"\\.|.", re.DOTALL)


@dataclass(frozen=True)
class _Event:
    item: AgendaItem
    start: dt.datetime | None  # local wall time (naive); None for an all-day event
    end: dt.datetime | None


@dataclass(frozen=True)
class _FixedZone:
    offset: dt.timedelta
    abbreviation: str


class _Text(vText):
    """A TEXT value that icalendar writes with `escape_text`: its own escaping reads "\\N" as a line break."""

    def to_ical(self) -> bytes:
        return escape_text(self).encode("utf-8")


def agenda_to_ics(
    items: Iterable[AgendaItem],
    *,
    tz_name: str = "Asia/Shanghai",
    file_id: str,
    now: dt.datetime,
) -> str:
    """The planned calls, visits and meetings among `items` as one iCalendar (VCALENDAR) text.

    Items of other kinds, not planned, or without a date are skipped; an id seen twice keeps its
    first item (a UID may occur once). UIDs are `{id}@{file_id}.kamdesk`, so exporting again
    updates the events in a calendar app instead of duplicating them. `now` (DTSTAMP) and
    `updated_at` are UTC; naive values are taken as UTC. Text is in the current language.
    """
    if not file_id.strip():
        raise ValueError("file_id must not be empty")
    zone = _load_zone(tz_name)
    events = _select_events(items)
    timed = [e for e in events if e.start is not None and e.end is not None]
    fixed = _fixed_zone(zone, [t for e in timed for t in (e.start, e.end) if t is not None], now)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _Text(CALENDAR_NAME))
    calendar.add("x-wr-timezone", _Text(tz_name))
    if fixed is not None:
        calendar.add_component(_fixed_vtimezone(tz_name, fixed))
    stamp = _as_utc(now)
    for event in events:
        try:
            calendar.add_component(
                _vevent(event, tz_name=tz_name, zone=zone, fixed=fixed, file_id=file_id, stamp=stamp)
            )
        except OverflowError:  # a time at the very edge of the calendar has no UTC form
            continue
    # icalendar gives the unfolded content lines in the order they were added; they are folded here.
    return "".join(fold_line(line) + "\r\n" for line in calendar.content_lines(sorted=False) if line)


def event_uid(item_id: int, file_id: str) -> str:
    """The UID of an agenda item's event: stable across exports of the same team file."""
    return f"{item_id}@{file_id}.kamdesk"


def event_sequence(updated_at: dt.datetime | None) -> int:
    """SEQUENCE for an item last changed at `updated_at`: minutes since 2020, never negative."""
    if updated_at is None:
        return 0
    minutes = (_as_utc(updated_at) - SEQUENCE_EPOCH) // dt.timedelta(minutes=1)
    return max(0, minutes)


def escape_text(value: str) -> str:
    """A TEXT value escaped per RFC 5545 §3.3.11 (backslash, semicolon, comma, line breaks)."""
    value = value.encode("utf-8", "replace").decode("utf-8")  # lone surrogates cannot be written
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def unescape_text(value: str) -> str:
    """The inverse of `escape_text`."""
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def fold_line(line: str) -> str:
    """A content line folded so no physical line exceeds 75 octets.

    Folds fall only between characters, never inside a UTF-8 sequence, and never inside a
    backslash escape (valid either way, but some readers unescape before unfolding).
    """
    if len(line.encode("utf-8")) <= FOLD_OCTETS:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    limit = FOLD_OCTETS
    for unit in _FOLD_UNITS.findall(line):
        width = len(unit.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size = [], 0
            limit = FOLD_OCTETS - 1  # continuation lines start with one space
        current.append(unit)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def parse_uids(text: str) -> list[str]:
    """The UIDs of the events in iCalendar text, in order (unfolded and unescaped by icalendar)."""
    components = Component.from_ical(text, multiple=True)
    return [str(event["UID"]) for component in components for event in component.walk("VEVENT") if "UID" in event]


def _select_events(items: Iterable[AgendaItem]) -> list[_Event]:
    events: list[_Event] = []
    seen: set[int] = set()
    for item in items:
        if item.kind not in CALENDAR_KINDS or item.status != "planned" or item.due_on is None:
            continue
        if item.id in seen:
            continue
        seen.add(item.id)
        try:
            if item.start_time is None:
                if item.due_on == dt.date.max:  # no next day to end on
                    continue
                events.append(_Event(item, None, None))
            else:
                time = item.start_time.replace(tzinfo=None, microsecond=0)
                start = dt.datetime.combine(item.due_on, time)
                duration = (
                    dt.timedelta(minutes=item.duration_minutes) if item.duration_minutes > 0 else DEFAULT_DURATION
                )
                events.append(_Event(item, start, start + duration))
        except OverflowError:  # dates at the very end of the calendar cannot hold an end
            continue
    return events


def _load_zone(tz_name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        built_in = _BUILT_IN_ZONES.get(tz_name)
        if built_in is None:
            raise ValueError(f"unknown time zone {tz_name!r}") from None
        minutes, abbreviation = built_in
        return dt.timezone(dt.timedelta(minutes=minutes), abbreviation)


def _fixed_zone(zone: dt.tzinfo, local_times: list[dt.datetime], now: dt.datetime) -> _FixedZone | None:
    """The zone's one offset over the export's span, or None if it has DST or changes there."""
    reference = dt.datetime(now.year, 1, 1, 12).replace(tzinfo=zone)
    offset = reference.utcoffset()
    if offset is None:
        return None
    years = [now.year] + [t.year for t in local_times]
    # Twice a month catches DST in either hemisphere and month-long shifts (Morocco's Ramadan).
    samples = [
        dt.datetime(year, month, day, 12)
        for year in range(min(years), max(years) + 1)
        for month in range(1, 13)
        for day in (1, 15)
    ]
    for local in samples + local_times:
        aware = local.replace(tzinfo=zone)
        if aware.utcoffset() != offset or (aware.dst() or dt.timedelta(0)) != dt.timedelta(0):
            return None
    return _FixedZone(offset, reference.tzname() or _format_offset(offset))


def _fixed_vtimezone(tz_name: str, fixed: _FixedZone) -> Timezone:
    standard = TimezoneStandard()
    standard.add("tzoffsetfrom", fixed.offset)
    standard.add("tzoffsetto", fixed.offset)
    standard.add("tzname", _Text(fixed.abbreviation))
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    timezone = Timezone()
    timezone.add("tzid", _Text(tz_name))
    timezone.add("x-lic-location", _Text(tz_name))
    timezone.add_component(standard)
    return timezone


def _vevent(
    event: _Event,
    *,
    tz_name: str,
    zone: dt.tzinfo,
    fixed: _FixedZone | None,
    file_id: str,
    stamp: dt.datetime,
) -> Event:
    item = event.item
    vevent = Event()
    vevent.add("uid", _Text(event_uid(item.id, file_id)))
    vevent.add("dtstamp", stamp)
    if item.updated_at is not None:
        vevent.add("last-modified", _as_utc(item.updated_at))
    vevent.add("sequence", event_sequence(item.updated_at))
    if event.start is None or event.end is None:
        assert item.due_on is not None
        vevent.add("dtstart", item.due_on)
        vevent.add("dtend", item.due_on + dt.timedelta(days=1))
    elif fixed is not None:
        vevent.add("dtstart", event.start, parameters={"TZID": tz_name})
        vevent.add("dtend", event.end, parameters={"TZID": tz_name})
    else:
        start = event.start.replace(tzinfo=zone).astimezone(dt.UTC)
        vevent.add("dtstart", start)
        vevent.add("dtend", start + (event.end - event.start))
    vevent.add("summary", _Text(_summary(item)))
    vevent.add("description", _Text(_description(item)))
    if item.location.strip():
        vevent.add("location", _Text(item.location.strip()))
    vevent.add("categories", _Text(ActivityKind(item.kind).label))
    vevent.add("status", "CONFIRMED")
    # An all-day reminder to call someone should not block the whole day as busy.
    vevent.add("transp", "TRANSPARENT" if event.start is None else "OPAQUE")
    return vevent


def _who(item: AgendaItem) -> str:
    contact, account = item.contact_name.strip(), item.account_name.strip()
    if contact and account:
        return _("{contact} ({account})").format(contact=contact, account=account)
    return contact or account


def _summary(item: AgendaItem) -> str:
    if item.subject.strip():
        return item.subject.strip()
    who = _who(item)
    if not who:
        return ActivityKind(item.kind).label
    return _(_SUMMARIES[item.kind]).format(who=who)


def _description(item: AgendaItem) -> str:
    lines = []
    who = _who(item)
    if who:
        lines.append(_("Contact: {who}").format(who=who))
    reason = reason_label(item.reason)
    detail = detail_text(item.reason_detail).strip()
    if detail:
        lines.append(_("Reason: {reason} ({detail})").format(reason=reason, detail=detail))
    else:
        lines.append(_("Reason: {reason}").format(reason=reason))
    if item.member_name.strip():
        lines.append(_("Our person: {name}").format(name=item.member_name.strip()))
    notes = item.notes.strip()
    if notes:
        lines += ["", notes]
    return "\n".join(lines)


def _as_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _format_offset(offset: dt.timedelta) -> str:
    """A TZNAME for a zone that has no abbreviation: its offset, like +0530."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")
