"""Greeting, care and outreach plans, sensitive events and the meal guide: the part of the follow-up service that
proposes (nothing is written until a person confirms) and the settings it reads."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable

from kamdesk.domain import places
from kamdesk.domain.followups import (
    CareSettings,
    ContactEvent,
    EventSuggestion,
    PlanPerson,
    suggest_event,
    validate_event,
)
from kamdesk.domain.greeting_plans import (
    VISIT_WINDOW_DAYS,
    FestivalDay,
    interest_points,
    plan_care,
    plan_greetings,
    plan_outreach,
)
from kamdesk.domain.meals import MealGuide, meal_guide
from kamdesk.domain.proposals import ProposalPlan, ProposalRecord
from kamdesk.i18n import _
from kamdesk.storage import contact_events as event_store
from kamdesk.storage import followups as store
from kamdesk.storage.database import Database

#: Festivals with gifts, whose greeting plan merges the festival's gift plan (kamdesk propose --festival …).
GIFT_FESTIVALS = ("mid_autumn", "spring_festival", "dragon_boat")
#: Every festival a greeting plan can be made for: the business ones (not Qixi, Double Ninth, Qingming).
GREETING_FESTIVALS = (*GIFT_FESTIVALS, "new_year", "lantern", "labour_day", "national_day")
#: A care item names the festival coming within this many days, with last year's greeting for it.
CARE_FESTIVAL_DAYS = 45


class GreetingPlanning:
    """Mixed into FollowUpService: needs `db` and `today`."""

    db: Database
    today: Callable[[], dt.date]

    def _error(self, field: str, message: str) -> ValueError:
        from kamdesk.services.followups import FollowUpError

        return FollowUpError(field, message)

    # Settings -----------------------------------------------------------------------------------
    def care_settings(self) -> CareSettings:
        with self.db.read() as session:
            return event_store.load_care_settings(session)

    def save_care_settings(self, settings: CareSettings) -> None:
        problems = settings.problems()
        if problems:
            key, message = next(iter(problems.items()))
            raise self._error(key, message)
        with self.db.write() as session:
            event_store.save_care_settings(session, settings)

    # Sensitive events ---------------------------------------------------------------------------
    def events(self, contact_id: int) -> list[ContactEvent]:
        with self.db.read() as session:
            return event_store.events_for(session, contact_id)

    def save_event(self, event: ContactEvent) -> int:
        """Add or change a sensitive event (illness, bereavement…) on a contact."""
        problems = validate_event(event)
        if problems:
            key, message = next(iter(problems.items()))
            raise self._error(key, message)
        with self.db.write() as session:
            try:
                return event_store.save_event(session, event)
            except LookupError:
                raise self._error("contact", _("That contact no longer exists.")) from None

    def end_event(self, event: ContactEvent, on: dt.date | None = None) -> int:
        """End an event (today unless told): business and routine greetings resume the day after."""
        day = on or self.today()
        if day < event.starts_on:
            raise self._error("ends_on", _("The event cannot end before it starts."))
        from dataclasses import replace

        return self.save_event(replace(event, ends_on=day))

    def delete_event(self, event: ContactEvent) -> None:
        if event.id is None:
            return
        with self.db.write() as session:
            event_store.delete_event(session, event.id, event.version)

    def active_sensitive_contacts(self, day: dt.date | None = None) -> set[int]:
        """Contacts with a sensitive event on `day` (today unless told): planners leave their routine items out."""
        when = day or self.today()
        with self.db.read() as session:
            return {e.contact_id for e in event_store.events_between(session, when, when)}

    def suggest_event(self, text: str) -> EventSuggestion | None:
        return suggest_event(text)

    # Festival greetings -------------------------------------------------------------------------
    def festival_day(self, festival: str, year: int) -> FestivalDay:
        from kamdesk.domain.chinese_calendar import festivals

        if festival not in GREETING_FESTIVALS:
            raise self._error(
                "festival",
                _("Greeting plans are made for mid-autumn, spring-festival or dragon-boat, not {festival!r}.").format(
                    festival=festival
                ),
            )
        found = next(f for f in festivals(year) if f.key == festival)
        return FestivalDay(found.key, found.name, found.date)

    def _festival_gifts(self, festival: str, year: int) -> tuple[dict[int, ProposalRecord], list[str]]:
        """contact → their gift in the festival's gift plan (festivals with gifts only), and why none."""
        from kamdesk.domain.gifts import GiftError
        from kamdesk.services.gifts import GiftService

        if festival not in GIFT_FESTIVALS:
            return {}, []
        try:
            gift_plan = GiftService(self.db).plan_festival_gifts(festival, year, None)
        except GiftError as exc:
            return {}, [_("No gifts merged: {reason}").format(reason=exc)]
        return {p.contact_id: p for p in gift_plan.proposals if p.contact_id is not None and p.item}, []

    def plan_greetings(self, festival: str, year: int) -> ProposalPlan:
        """One item per person for the festival, tiered by class × rank and merged with the festival's gift plan."""
        day = self.festival_day(festival, year)
        today = self.today()
        if day.date < today:
            raise self._error(
                "festival",
                _("{festival} {year} was on {date} and is past: plan for {next_year}.").format(
                    festival=day.name, year=year, date=day.date.isoformat(), next_year=year + 1
                ),
            )
        gifts, notes = self._festival_gifts(festival, year)
        with self.db.read() as session:
            people = store.people_for_planning(session)
            # Paused when the event still lasts in the weeks the greeting is given (visits start three weeks before).
            window = max(today, day.date - dt.timedelta(days=VISIT_WINDOW_DAYS))
            events = event_store.events_between(session, min(window, day.date), day.date)
        paused = {e.contact_id: e for e in events}
        plan = plan_greetings(day, people, gifts, paused, self.care_settings(), today)
        for record in plan.proposals:
            record.extra["generated_key"] = f"festival:{festival}:{year}:{record.contact_id}"
            record.extra["reason_key"] = "festival"
            record.extra["reason_detail"] = day.name
        plan.notes[:0] = notes
        if not plan.proposals:
            plan.notes.append(_("Nobody to greet: no contacts at classed accounts beyond the stranger stage."))
        return plan

    # Care ---------------------------------------------------------------------------------------
    def plan_care(self, start: dt.date, end: dt.date) -> ProposalPlan:
        """Irregular care greetings between start and end, and one caring contact for each sensitive event."""
        from kamdesk.domain.chinese_calendar import festivals

        if end < start:
            raise self._error("end", _("The period must not end before it starts."))
        if (end - start).days > 366:
            raise self._error("end", _("Plan care greetings for at most a year at a time."))
        begin = max(start, self.today())
        with self.db.read() as session:
            people = store.people_for_planning(session)
            events = event_store.events_between(session, begin, end)
            coming = [
                f
                for year in (begin.year, begin.year + 1)
                for f in festivals(year)
                if f.key in GIFT_FESTIVALS and begin <= f.date <= end + dt.timedelta(days=CARE_FESTIVAL_DAYS)
            ]
            last_year = {f.key: store.festival_greetings_of(session, f.key, f.date.year - 1) for f in coming}
        rules = self.rules()  # type: ignore[attr-defined]
        labels = _tag_labels()
        festival = coming[0] if coming else None
        points = {
            p.contact_id: interest_points(
                p,
                labels,
                last_year.get(festival.key, {}).get(p.contact_id, "") if festival else "",
                festival.name if festival else "",
            )
            for p in people
        }
        seed = int(hashlib.sha1(str(self.db.path or self.db.url).encode()).hexdigest()[:6], 16)
        plan = plan_care(people, rules, begin, end, self.care_settings(), events, points, seed)
        for record in plan.proposals:
            event_id = record.extra.get("sensitive_event_id")
            record.extra["reason_key"] = "care"
            record.extra["generated_key"] = (
                f"sensitive:{event_id}"
                if event_id
                else f"care:{record.contact_id}:{record.date.isoformat() if record.date else ''}"
            )
        return plan

    # Regional outreach --------------------------------------------------------------------------
    def find_in_place(self, place: str) -> tuple[list[places.Place], list[tuple[PlanPerson, str]]]:
        """The places a search names and everyone living in or coming from them, with how (city or hometown)."""
        try:
            found = places.find(place)
        except places.UnknownPlaceError as exc:
            raise self._error("place", str(exc)) from None
        codes = {p.code for p in found}
        with self.db.read() as session:
            people = store.people_for_planning(session, classed_only=False)
        index = places.index()
        matched = []
        for person in people:
            lives = bool(index.codes_in(person.city) & codes)
            comes = bool(index.codes_in(person.hometown) & codes)
            if lives or comes:
                how = (
                    _("lives in and comes from there")
                    if lives and comes
                    else (_("lives there") if lives else _("comes from there"))
                )
                matched.append((person, how))
        return found, matched

    def plan_outreach_proposals(self, place: str) -> ProposalPlan:
        """A caring word to everyone in or from a province, city or district (Chinese or pinyin)."""
        found, matched = self.find_in_place(place)
        label = "、".join(p.name for p in found)
        today = self.today()
        with self.db.read() as session:
            paused = {e.contact_id: e for e in event_store.events_between(session, today, today)}
        plan = plan_outreach(label, matched, today, paused)
        plan.notes.append(_("Searched: {places}.").format(places=label))
        if not matched:
            plan.notes.append(_("Nobody on file lives in or comes from {places}.").format(places=label))
        for record in plan.proposals:
            record.extra["reason_key"] = "outreach"
            record.extra["reason_detail"] = label
            record.extra["generated_key"] = f"outreach:{found[0].code}:{today.isoformat()}:{record.contact_id}"
        return plan

    # Confirming ---------------------------------------------------------------------------------
    def confirm(self, records: Iterable[ProposalRecord], note: str = "") -> int:
        """Put the proposals a person ticked on the agenda (once each: confirming twice adds nothing twice)."""
        rows = []
        for r in records:
            if r.contact_id is None or r.date is None:
                continue
            reason = str(r.extra.get("reason_key") or r.kind)
            detail = str(r.extra.get("reason_detail") or r.reason)
            rows.append(
                {
                    "contact_id": r.contact_id,
                    "account_id": r.extra.get("account_id"),
                    "member_id": r.extra.get("member_id"),
                    "kind": str(r.extra.get("activity_kind") or "greeting"),
                    "due_on": r.date,
                    "reason": reason,
                    "reason_detail": (detail + (f" — {note.strip()}" if note.strip() else ""))[:300],
                    "subject": r.item[:300],
                    "notes": "\n".join(str(p) for p in r.extra.get("talking_points") or []),
                    "generated_key": str(r.extra.get("generated_key") or f"{reason}:{r.contact_id}:{r.date}")[:120],
                }
            )
        with self.db.write() as session:
            return store.insert_generated(session, rows, self.db.user_name, self.db.host)

    # Meals --------------------------------------------------------------------------------------
    def meal_guide(
        self,
        headcount: int,
        fine_restaurant: bool = False,
        region: str = "",
        staple: str = "",
        guest_ids: Iterable[int] = (),
    ) -> MealGuide:
        """The ordering guide for a meal in `region` (a city or province) with these guests' taboos."""
        ids = [i for i in guest_ids if i is not None]
        taboos: set[str] = set()
        if ids:
            with self.db.read() as session:
                taboos = store.taboo_tags_of(session, ids)
        return meal_guide(
            headcount, fine_restaurant, province_code=places.province_code(region), staple=staple, taboo_tags=taboos
        )


def _tag_labels() -> Callable[[str], str]:
    """Code → label of the gift vocabulary's tags (the code itself where the vocabulary does not know it)."""
    try:
        from kamdesk.domain.gift_vocabulary import tag_label
    except ImportError:  # the vocabulary arrives with issue 19's gift work
        return str

    def label(code: str) -> str:
        try:
            return str(tag_label(code))
        except (KeyError, ValueError):
            return code

    return label
