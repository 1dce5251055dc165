"""Follow-up use cases: the agenda, doing and moving items, calls and e-mails, generated greetings."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kamdesk.domain import clock
from kamdesk.domain.followups import (
    AgendaItem,
    CadenceRule,
    ContactEvent,
    Deferred,
    deferred,
    deferred_detail,
    joined,
    render,
    stored_detail,
)
from kamdesk.domain.models import TeamMember
from kamdesk.domain.plans import MyAction
from kamdesk.i18n import N_, _
from kamdesk.services.greetings import GreetingPlanning
from kamdesk.storage import contact_events as event_store
from kamdesk.storage import followups as store
from kamdesk.storage import plans as plan_store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database

Progress = Callable[[int, int], bool]  # (done, total) → False to stop

#: Outcome each call preparation field asks for (domain.md §11), in the order the form shows them.
#: Birthdays and anniversaries are planned this many days ahead (a year of them would bury the agenda).
PERSONAL_DATES_AHEAD = 45
CALL_PREP_FIELDS = ("address_as", "matter", "channel", "our_goal", "their_goal", "their_attitude", "our_approach")
CALL_REVIEW_FIELDS = ("their_attitude", "their_satisfaction", "our_satisfaction", "missed", "lessons")
#: Agenda items a sensitive event pauses: the routine ones; what a person planned by hand stays.
ROUTINE_REASONS = ("cadence", "care", "festival", "birthday", "anniversary", "plan_action")


class FollowUpError(ValueError):
    """Input the planner cannot take; the message says which field and why."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class UpcomingDate:
    label: str
    date: dt.date
    note: str = ""


@dataclass
class ContactContext:
    """What the agenda shows beside a selected item: recent touches, the personal file, gifts."""

    touches: list[AgendaItem] = field(default_factory=list)
    notes: str = ""
    preferences: str = ""
    taboos: str = ""
    family: list[str] = field(default_factory=list)
    upcoming: list[UpcomingDate] = field(default_factory=list)
    gifts: list[tuple[dt.date, str, str, int]] = field(default_factory=list)
    personality_type: str | None = None
    plan_actions: list[MyAction] = field(default_factory=list)  # open steps of the account's plans


@dataclass
class FollowUpService(GreetingPlanning):
    db: Database

    #: The person's date, from kamdesk's one clock (fix it there, not here).
    today = staticmethod(clock.today)

    # The agenda -------------------------------------------------------------------------------
    def agenda(self, member_id: int | None, days_ahead: int = 7) -> list[AgendaItem]:
        """Overdue items and those due within `days_ahead` days, for one of our people (None: everyone)."""
        today = self.today()
        with self.db.read() as session:
            items = store.agenda(session, member_id, today + dt.timedelta(days=days_ahead))
            events = event_store.events_between(session, today, today + dt.timedelta(days=days_ahead))
        return _unpaused(items, events)

    def agenda_about(
        self, member_id: int | None, days_ahead: int, activity_id: int, contact_id: int | None
    ) -> list[AgendaItem]:
        """Of the agenda `agenda(member_id, days_ahead)` would give, the items that are `activity_id` or for
        `contact_id` (after an action on one item: what changed of the list, read without the rest)."""
        today = self.today()
        until = today + dt.timedelta(days=days_ahead)
        with self.db.read() as session:
            items = store.agenda_about(session, member_id, until, activity_id, contact_id)
            events = event_store.events_between(session, today, until)
        return _unpaused(items, events)

    def agenda_screen(
        self, user_name: str, days_ahead: int = 7
    ) -> tuple[list[TeamMember], int | None, list[AgendaItem]]:
        """What the agenda first shows, in one read: the team (to choose whose agenda), the person using
        kamdesk among them (None when the team does not know them), and that person's agenda (everyone's
        when None). One unit of work instead of two: on a file server each costs its lock requests."""
        today = self.today()
        until = today + dt.timedelta(days=days_ahead)
        with self.db.read() as session:
            members = repo.team_members(session)
            me = next((m.id for m in members if m.active and m.name == user_name), None)
            items = store.agenda(session, me, until)
            events = event_store.events_between(session, today, until)
        return members, me, _unpaused(items, events)

    def get(self, activity_id: int) -> tuple[AgendaItem, int] | None:
        with self.db.read() as session:
            return store.activity(session, activity_id)

    def complete(self, activity_id: int, version: int, outcome: str, when: dt.datetime | None = None) -> None:
        """Mark an item done; `when` (UTC) defaults to now."""
        moment = when or clock.utc_now()
        with self.db.write() as session:
            contact_id, reason = store.complete(session, activity_id, version, outcome, moment)
        if contact_id is not None and reason in ("cadence", "care"):
            # The rhythm restarts from this real touch: plan the person's next one now.
            today = self.today()
            self.generate(today, today + dt.timedelta(days=366), contact_ids={contact_id})

    def reschedule(self, activity_id: int, version: int, due_on: dt.date) -> None:
        if due_on < self.today():
            raise FollowUpError("due_on", _("Choose today or a later day."))
        with self.db.write() as session:
            store.reschedule(session, activity_id, version, due_on)

    def snooze(self, activity_id: int, version: int, days: int) -> dt.date:
        """Move an item `days` days on from today (a snooze never moves it into the past)."""
        if days < 1:
            raise FollowUpError("days", _("Snooze for at least one day."))
        due = self.today() + dt.timedelta(days=days)
        self.reschedule(activity_id, version, due)
        return due

    # Creating items ---------------------------------------------------------------------------
    def plan(
        self,
        *,
        kind: str,
        due_on: dt.date,
        contact_id: int | None = None,
        account_id: int | None = None,
        member_id: int | None = None,
        subject: str = "",
        notes: str = "",
        reason: str = "manual",
        reason_detail: str = "",
        start_time: str = "",
        duration_minutes: int = 0,
        important: bool = False,
        reply_due_on: dt.date | None = None,
        prep: dict[str, str] | None = None,
    ) -> int:
        """Plan an activity. An important e-mail also gets a follow-up call; a "To" reply gets tracked."""
        if start_time:
            try:
                dt.time.fromisoformat(start_time)
            except ValueError:
                raise FollowUpError("start_time", _("Write the time as HH:MM, e.g. 14:30.")) from None
        if reply_due_on is not None and reply_due_on < due_on:
            raise FollowUpError("reply_due_on", _("The reply cannot be due before the e-mail is sent."))
        if duration_minutes < 0:
            raise FollowUpError("duration", _("A duration cannot be negative."))
        base = {"contact_id": contact_id, "account_id": account_id, "member_id": member_id}
        with self.db.write() as session:
            activity_id = store.add_activity(
                session,
                {
                    **base,
                    "kind": kind,
                    "status": "planned",
                    "due_on": due_on,
                    "subject": subject.strip(),
                    "notes": notes,
                    "reason": reason,
                    "reason_detail": reason_detail,
                    "start_time": start_time,
                    "duration_minutes": duration_minutes,
                    "important": important,
                    "reply_due_on": reply_due_on,
                    "prep_json": json.dumps(prep, ensure_ascii=False) if prep else "",
                },
            )
            if kind == "email" and important:
                store.add_activity(
                    session,
                    {
                        **base,
                        "kind": "call",
                        "status": "planned",
                        "due_on": due_on,  # seed 000: call as soon as it is sent, so they read it and reply
                        "subject": _("Call about: {subject}").format(subject=subject.strip() or _("the e-mail")),
                        "reason": "email_follow_up",
                        "reason_detail": subject.strip(),
                    },
                )
            if kind == "email" and reply_due_on is not None:
                store.add_activity(
                    session,
                    {
                        **base,
                        "kind": "email",
                        "status": "planned",
                        "due_on": reply_due_on,
                        "subject": _("Reply owed: {subject}").format(subject=subject.strip() or _("the e-mail")),
                        "reason": "reply_owed",
                        "reason_detail": subject.strip(),
                    },
                )
        return activity_id

    def call_back(
        self,
        *,
        contact_id: int | None,
        account_id: int | None,
        member_id: int | None,
        matter: str,
        due_on: dt.date | None = None,
    ) -> int:
        """Turn an unprepared-for incoming call into a planned call-back (tomorrow unless told)."""
        return self.plan(
            kind="call",
            due_on=due_on or self.today() + dt.timedelta(days=1),
            contact_id=contact_id,
            account_id=account_id,
            member_id=member_id,
            subject=_("Call back: {matter}").format(matter=matter.strip() or _("incoming call")),
            reason="call_back",
            prep={"matter": matter.strip()},
        )

    # Calls ------------------------------------------------------------------------------------
    def call_notes(self, activity_id: int) -> tuple[dict[str, str], dict[str, str], str]:
        """(preparation, review, notes) of a call."""
        with self.db.read() as session:
            prep, review, notes = store.call_notes(session, activity_id)
        return _loads(prep), _loads(review), notes

    def save_call_notes(
        self, activity_id: int, version: int, prep: dict[str, str], review: dict[str, str], notes: str
    ) -> None:
        with self.db.write() as session:
            store.save_call_notes(
                session,
                activity_id,
                version,
                json.dumps({k: v for k, v in prep.items() if v.strip()}, ensure_ascii=False),
                json.dumps({k: v for k, v in review.items() if v.strip()}, ensure_ascii=False),
                notes,
            )

    # The context panel ------------------------------------------------------------------------
    def context(self, contact_id: int, days_ahead: int = 90) -> ContactContext:
        from kamdesk.domain.chinese_calendar import next_occurrence
        from kamdesk.domain.contacts import PersonalDate

        today = self.today()
        with self.db.read() as session:
            basics = store.contact_basics(session, contact_id)
            if basics is None:
                return ContactContext()
            notes, preferences, taboos, personality, family = basics
            ctx = ContactContext(
                touches=store.last_touches(session, contact_id),
                notes=notes,
                preferences=preferences,
                taboos=taboos,
                family=family,
                gifts=store.gift_history(session, contact_id),
                personality_type=personality,
                plan_actions=plan_store.open_actions_for_contact(session, contact_id, today),
            )
            dates = store.personal_dates(session, contact_id)
        for label, calendar, year, month, day, leap in dates:
            occurrence = next_occurrence(PersonalDate(calendar, year, month, day, leap), today)
            if occurrence is not None and occurrence.date <= today + dt.timedelta(days=days_ahead):
                ctx.upcoming.append(UpcomingDate(_date_label(label), occurrence.date, occurrence.note))
        ctx.upcoming.sort(key=lambda u: u.date)
        return ctx

    # Rules ------------------------------------------------------------------------------------
    def rules(self) -> list[CadenceRule]:
        from kamdesk.domain.cadence import DEFAULT_RULES

        with self.db.read() as session:
            return store.cadence_rules(session) or list(DEFAULT_RULES)

    def save_rules(self, rules: list[CadenceRule]) -> None:
        from kamdesk.domain.cadence import validate_rule

        for rule in rules:
            problems = validate_rule(rule)
            if problems:
                key, message = next(iter(problems.items()))
                raise FollowUpError(key, message)
        with self.db.write() as session:
            store.save_cadence_rules(session, rules)

    def generate(
        self,
        start: dt.date,
        end: dt.date,
        progress: Progress | None = None,
        seed: int | None = None,
        contact_ids: set[int] | None = None,
    ) -> int:
        """Plan each person's next regular contact and next care greeting, if due by `end`.

        Only the next one of each: a care greeting restarts from the last real touch, so the one
        after it cannot be known until this one has happened. Completing an item plans the next
        (see `complete`). A person who already has an open item of a kind gets no second one.
        """
        from kamdesk.domain.cadence import next_business_contact, next_care_greeting, rule_for

        rules = self.rules()
        settings = self.care_settings()
        with self.db.read() as session:
            people = store.people_to_keep_in_touch(session)
            open_items = store.open_generated(session)
            events = event_store.events_between(session, start, end)
            stages = store.contact_stages(session)
        rows: list[dict[str, Any]] = []
        total = len(people)
        for done, (contact_id, account_id, account_class, rank, member_id, last) in enumerate(people, start=1):
            if progress is not None and done % 2_000 == 0 and not progress(done, total):
                return 0
            if contact_ids is not None and contact_id not in contact_ids:
                continue
            rule = rule_for(rules, account_class, rank)
            if rule is None:
                continue
            if (contact_id, "cadence") not in open_items:
                business = next_business_contact(last, rule, start)
                if business is not None and business <= end and not _paused(events, contact_id, business):
                    rows.append(
                        _generated(
                            contact_id,
                            account_id,
                            member_id,
                            "call",
                            business,
                            "cadence",
                            deferred_detail(
                                N_("every {days} days for class {cls}"), days=rule.business_days, cls=account_class
                            ),
                        )
                    )
            if (contact_id, "care") not in open_items and settings.cares_for(account_class, stages.get(contact_id))[0]:
                rng = random.Random(seed if seed is not None else contact_id * 7919 + start.toordinal())
                care = next_care_greeting(last, rule, start, rng, last.weekday() if last else None)
                if care is not None and care <= end and not _paused(events, contact_id, care):
                    rows.append(
                        _generated(
                            contact_id,
                            account_id,
                            member_id,
                            "greeting",
                            care,
                            "care",
                            deferred_detail(
                                N_("care greeting every {low}–{high} days"),
                                low=rule.care_min_days,
                                high=rule.care_max_days,
                            ),
                        )
                    )
        rows += [
            row
            for row in self._personal_date_items(
                start,
                min(end, start + dt.timedelta(days=PERSONAL_DATES_AHEAD)),
                {p[0]: (p[1], p[4]) for p in people},
                contact_ids,
            )
            if not _paused(events, row["contact_id"], row["due_on"])
        ]
        with self.db.write() as session:
            added = store.insert_generated(session, rows, self.db.user_name, self.db.host)
        if progress is not None:
            progress(total, total)
        return added

    def _personal_date_items(
        self,
        start: dt.date,
        end: dt.date,
        owners: dict[int, tuple[int | None, int | None]],
        contact_ids: set[int] | None,
    ) -> list[dict[str, Any]]:
        """Greetings for birthdays (solar or lunar, of the person or their family) and anniversaries."""
        from kamdesk.domain.chinese_calendar import next_occurrence
        from kamdesk.domain.contacts import PersonalDate

        with self.db.read() as session:
            dates = store.all_personal_dates(session)
        rows = []
        for contact_id, label, calendar, year, month, day, leap in dates:
            if contact_ids is not None and contact_id not in contact_ids:
                continue
            try:
                occurrence = next_occurrence(PersonalDate(calendar, year, month, day, leap), start)
            except Exception:  # noqa: BLE001 - a date the calendar cannot place is skipped, not fatal
                continue
            if occurrence is None or occurrence.date > end:
                continue
            account_id, member_id = owners.get(contact_id, (None, None))
            reason = "anniversary" if label.startswith("date:") else "birthday"
            whose = _date_label_deferred(label)
            lunar = deferred(N_("lunar {month}/{day}"), month=month, day=day) if calendar == "lunar" else None
            # The day moves every year: say which lunar day it is.
            what = deferred(N_("{what} ({lunar})"), what=whose, lunar=lunar) if lunar else whose
            # The reason already says "Birthday": the detail adds whose, and which lunar day. It is stored as
            # messages and values, so that it reads in the language of whoever reads it, not of whoever planned.
            note = joined(" ", *occurrence.notes)
            detail = joined(" — ", lunar if label == "birthday" else what, note)
            row = _generated(
                contact_id, account_id, member_id, "greeting", occurrence.date, reason, stored_detail(detail)
            )
            row["generated_key"] = f"{reason}:{contact_id}:{label}:{occurrence.date.isoformat()}"[:120]
            row["subject"] = render(what)[:300]
            rows.append(row)
        return rows

    # Calendar export -------------------------------------------------------------------------
    def export_ics(
        self,
        out: str | Path,
        *,
        days_back: int = 30,
        days_ahead: int = 365,
        member_id: int | None = None,
        tz_name: str = "Asia/Shanghai",
    ) -> int:
        """Write planned calls, visits and meetings to an iCalendar file; returns how many events.

        Every event keeps its UID between exports, so importing again updates a calendar app's
        copy instead of adding a second one.
        """
        from kamdesk.domain.ics import CALENDAR_KINDS, agenda_to_ics

        today = self.today()
        with self.db.read() as session:
            items = store.planned_between(
                session,
                today - dt.timedelta(days=days_back),
                today + dt.timedelta(days=days_ahead),
                CALENDAR_KINDS,
                member_id,
            )
        text = agenda_to_ics(items, tz_name=tz_name, file_id=_file_id(self.db), now=clock.utc_now())
        Path(out).write_bytes(text.encode("utf-8"))
        return len(items)

    def outreach_candidates(self, place: str) -> list[tuple[int, str, str, str, str, str | None]]:
        """(id, name, company, city, hometown, our person) of everyone in or from a province, city or district
        (甘肃 finds 兰州 and 天水; Chinese or pinyin); FollowUpError for an empty or unknown place."""
        _found, matched = self.find_in_place(place)
        return [
            (p.contact_id, p.name, p.account_name, p.city, p.hometown, p.member_name or None) for p, _how in matched
        ]

    def plan_outreach(self, contact_ids: list[int], place: str, event: str, due_on: dt.date | None = None) -> int:
        """Plan a care greeting for each chosen person after an event in `place`."""
        if not event.strip():
            raise FollowUpError("event", _("Say what happened, e.g. a flood."))
        due = due_on or self.today()
        with self.db.read() as session:
            owners = {c: (a, m) for c, _n, a, _an, _cls, _r, m in store.contacts_for_greetings(session)}
        rows = []
        for contact_id in contact_ids:
            account_id, member_id = owners.get(contact_id, (None, None))
            row = _generated(
                contact_id,
                account_id,
                member_id,
                "greeting",
                due,
                "outreach",
                _("{event} in {place}").format(event=event.strip(), place=place.strip()),
            )
            row["generated_key"] = f"outreach:{place.strip()}:{event.strip()}:{contact_id}"[:120]
            row["subject"] = _("Ask after them: {event} in {place}").format(event=event.strip(), place=place.strip())
            rows.append(row)
        with self.db.write() as session:
            return store.insert_generated(session, rows, self.db.user_name, self.db.host)


def _file_id(db: Database) -> str:
    from kamdesk.storage import repositories as repo

    with db.read() as session:
        found = repo.file_id(session)
    if found:
        return found
    if db.read_only:
        # A file that cannot be written keeps a name-based id, still stable between exports.
        return hashlib.sha1(str(db.path or db.url).encode("utf-8")).hexdigest()[:24]
    with db.write() as session:
        return repo.file_id(session, create=True) or ""


def _unpaused(items: list[AgendaItem], events: list[ContactEvent]) -> list[AgendaItem]:
    """The items left once routine ones during a person's sensitive time are held back."""
    if not events:
        return items
    return [i for i in items if not (i.reason in ROUTINE_REASONS and _paused(events, i.contact_id, i.due_on))]


def _paused(events: list[ContactEvent], contact_id: int | None, day: dt.date | None) -> bool:
    """Whether a sensitive event of the person covers `day`."""
    if contact_id is None or day is None:
        return False
    return any(e.contact_id == contact_id and e.active_on(day) for e in events)


def _generated(
    contact_id: int, account_id: int | None, member_id: int | None, kind: str, day: dt.date, reason: str, detail: str
) -> dict[str, Any]:
    return {
        "contact_id": contact_id,
        "account_id": account_id,
        "member_id": member_id,
        "kind": kind,
        "due_on": day,
        "reason": reason,
        "reason_detail": detail,
        "generated_key": f"{reason}:{contact_id}:{day.isoformat()}",
    }


def _loads(text: str) -> dict[str, str]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _date_label_deferred(label: str) -> str | Deferred:
    """`_date_label`, kept as a message to translate when read (an anniversary's own name stays as typed)."""
    if label == "birthday":
        return deferred(N_("Birthday"))
    kind, _sep, rest = label.partition(":")
    if kind == "family":
        return deferred(N_("Birthday of {who}"), who=rest)
    return rest or deferred(N_("Anniversary"))


def _date_label(label: str) -> str:
    return render(_date_label_deferred(label))
