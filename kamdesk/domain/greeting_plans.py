"""Festival greeting, care and regional outreach plans (domain.md §11): who is greeted how and when, as proposals
a person confirms. Pure: the service reads the people, gifts and events and hands them in."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kamdesk.domain.cadence import next_workday, plan_care_dates, rule_for
from kamdesk.domain.chinese_calendar import is_workday
from kamdesk.domain.followups import (
    CHANNEL_KINDS,
    CHANNELS,
    CadenceRule,
    CareSettings,
    ContactEvent,
    PlanPerson,
    greeting_tier,
)
from kamdesk.domain.proposals import ProposalPlan, ProposalRecord
from kamdesk.i18n import N_, _

#: How many days before the festival the visits may start (working days inside this window are used).
VISIT_WINDOW_DAYS = 21
#: Mailed cards go out this many days before the festival, so they arrive in time.
MAIL_DAYS = 10
#: How a care greeting should sound (seed 001: 嘘寒问暖, but never 肉麻; no business in it).
CARE_TONE = N_("Ask how they and their family are, and about what they care for; warm but never gushing, no business.")


@dataclass(frozen=True)
class FestivalDay:
    key: str
    name: str
    date: dt.date


def channel_label(channel: str) -> str:
    return _(CHANNELS.get(channel, channel))


def _record(person: PlanPerson, kind: str, day: dt.date | None, channel: str, reason: str) -> ProposalRecord:
    return ProposalRecord(
        kind=kind,
        contact_id=person.contact_id,
        contact=person.name,
        account=person.account_name,
        account_class=person.account_class,
        rank=person.rank,
        date=day,
        item=channel_label(channel),
        reason=reason,
        extra={
            "channel": channel,
            "activity_kind": CHANNEL_KINDS.get(channel, "greeting"),
            "member_id": person.member_id,
            "member": person.member_name,
            "account_id": person.account_id,
        },
    )


def last_workday_before(day: dt.date, days: int = 1) -> dt.date:
    current = day - dt.timedelta(days=days)
    while not is_workday(current):
        current -= dt.timedelta(days=1)
    return current


def plan_greetings(
    festival: FestivalDay,
    people: Iterable[PlanPerson],
    gifts: dict[int, ProposalRecord],
    paused: dict[int, ContactEvent],
    settings: CareSettings,
    today: dt.date,
) -> ProposalPlan:
    """One item per person for the festival: the greeting by class × rank, merged with the gift the festival's
    gift plan gives them (a handwritten card with the gift, or a visit delivering it). Visits are spread over
    the working days before the festival, at most `settings.visits_per_day` per salesperson per day."""
    plan = ProposalPlan("greeting", [])
    skipped_strangers = 0
    for person in people:
        if (person.stage or "stranger") == "stranger":
            skipped_strangers += 1
            continue
        event = paused.get(person.contact_id)
        if event is not None:
            plan.notes.append(
                _("{name}: no festival greeting while a sensitive event ({kind}) lasts; see the care plan.").format(
                    name=person.name, kind=event.kind_label
                )
            )
            continue
        tier = greeting_tier(person.account_class, person.rank)
        gift = gifts.get(person.contact_id)
        channel = _channel(tier, person, gift)
        reason = _("Class {cls}, {rank}: {tier} greeting.").format(
            cls=person.account_class or "—", rank=_rank_label(person.rank), tier=_tier_label(tier)
        )
        record = _record(person, "greeting", None, channel, reason)
        if gift is not None:
            record.item = _("{channel}: {gift}").format(channel=channel_label(channel), gift=gift.item)
            record.cost_cents = gift.cost_cents
            record.reason += " " + _("The festival gift plan gives them {gift}; card and gift go as one.").format(
                gift=gift.item
            )
            record.warnings.extend(gift.warnings)
            record.extra["gift"] = gift.item
        record.date = _greeting_day(channel, festival.date, today)
        if gift is not None and gift.date is not None and channel == "card_with_gift":
            record.date = max(gift.date, today)  # the card travels with the gift
        plan.proposals.append(record)
    if skipped_strangers:
        plan.notes.append(
            _("{n} contacts still at the stranger stage (陌生) get no greeting: make contact first.").format(
                n=skipped_strangers
            )
        )
    spread_visits(plan, festival.date, today, settings.visits_per_day)
    return plan


def _channel(tier: str, person: PlanPerson, gift: ProposalRecord | None) -> str:
    visit = tier == "premium" and person.account_class == "A" and person.rank == "owner"
    if gift is not None:
        return "visit_with_gift" if visit else "card_with_gift"
    if tier == "premium":
        return "visit" if visit else "card"
    return tier


def _greeting_day(channel: str, festival: dt.date, today: dt.date) -> dt.date:
    if channel in ("card", "card_with_gift"):
        day = last_workday_before(festival, MAIL_DAYS)
    elif channel == "personal":
        day = last_workday_before(festival)
    else:  # a message on the eve (除夕, the night before the festival) or a visit, placed later
        day = festival - dt.timedelta(days=1)
    return max(day, today)


def visit_days(festival: dt.date, today: dt.date) -> list[dt.date]:
    """The working days before the festival on which festival visits can be made (today at the earliest)."""
    start = max(today, festival - dt.timedelta(days=VISIT_WINDOW_DAYS))
    return [
        start + dt.timedelta(days=n) for n in range((festival - start).days) if is_workday(start + dt.timedelta(days=n))
    ]


def spread_visits(plan: ProposalPlan, festival: dt.date, today: dt.date, per_day: int) -> None:
    """Give each visit a working day before the festival, evenly over the days, at most `per_day` for one of
    our people on one day. Visits that do not fit become a mailed card (with the gift) and the plan says so."""
    days = visit_days(festival, today)
    by_member: dict[object, list[ProposalRecord]] = defaultdict(list)
    for record in plan.proposals:
        if record.extra.get("channel") in ("visit", "visit_with_gift"):
            by_member[record.extra.get("member_id")].append(record)
    for visits in by_member.values():
        load: dict[dt.date, int] = defaultdict(int)
        room = len(days) * per_day
        for index, record in enumerate(visits):
            if index >= room:
                _no_room(record, festival, today)
                continue
            # Even spread: the i-th of n visits goes to the day at i/n of the window, or the next with room.
            start = index * len(days) // max(len(visits), 1) if len(visits) <= room else index // per_day
            day = next(d for d in days[start:] + days[:start] if load[d] < per_day)
            load[day] += 1
            record.date = day
        missing = max(0, len(visits) - room)
        if missing:
            who = visits[0].extra.get("member") or _("(no salesperson)")
            plan.notes.append(
                _(
                    "{who}: {n} visits do not fit in {days} working days at {per_day} a day before the festival; "
                    "they are proposed as mailed cards instead."
                ).format(who=who, n=missing, days=len(days), per_day=per_day)
            )


def _no_room(record: ProposalRecord, festival: dt.date, today: dt.date) -> None:
    channel = "card_with_gift" if record.extra.get("channel") == "visit_with_gift" else "card"
    gift = record.extra.get("gift")
    record.extra["channel"] = channel
    record.extra["activity_kind"] = CHANNEL_KINDS[channel]
    record.item = (
        _("{channel}: {gift}").format(channel=channel_label(channel), gift=gift) if gift else channel_label(channel)
    )
    record.date = _greeting_day(channel, festival, today)
    record.warnings.append(_("No room for a visit before the festival: mailed instead."))


def _tier_label(tier: str) -> str:
    return {"message": _("personal message"), "personal": _("individual"), "premium": _("premium")}.get(tier, tier)


def _rank_label(rank: str | None) -> str:
    from kamdesk.domain.enums import RankTier

    try:
        return RankTier(rank).label if rank else _("rank unknown")
    except ValueError:
        return rank or _("rank unknown")


# Care -------------------------------------------------------------------------------------------


def plan_care(
    people: Iterable[PlanPerson],
    rules: list[CadenceRule],
    start: dt.date,
    end: dt.date,
    settings: CareSettings,
    events: list[ContactEvent],
    talking_points: dict[int, list[str]],
    seed: int,
) -> ProposalPlan:
    """Care greetings at irregular days inside each person's care window, for those the settings allow; and one
    caring contact (no business) for each person with a sensitive event, instead of their routine greetings."""
    plan = ProposalPlan("care", [])
    by_contact: dict[int, list[ContactEvent]] = defaultdict(list)
    for event in events:
        by_contact[event.contact_id].append(event)
    skipped: dict[str, int] = defaultdict(int)
    for person in people:
        own = by_contact.get(person.contact_id, [])
        if own:
            plan.proposals.append(_caring_contact(person, own[0], start))
            continue
        allowed, why = settings.cares_for(person.account_class, person.stage)
        if not allowed:
            skipped[why] += 1
            continue
        rule = rule_for(rules, person.account_class, person.rank)
        if rule is None or rule.care_min_days is None:
            skipped[_("no care window for the class")] += 1
            continue
        rng = random.Random(seed * 1_000_003 + person.contact_id)
        for day in plan_care_dates(person.last_touch, rule, start, end, rng):
            record = _record(
                person,
                "care",
                day,
                "personal",
                _("Care greeting: a random day {low}–{high} days after the last touch, so no rhythm shows.").format(
                    low=rule.care_min_days, high=rule.care_max_days
                ),
            )
            record.item = _("a warm word: call or personal message")
            record.reason += " " + _(CARE_TONE)
            record.extra["activity_kind"] = "greeting"
            record.extra["talking_points"] = talking_points.get(person.contact_id, [])
            if not record.extra["talking_points"]:
                record.warnings.append(_("Nothing on file about their interests yet: ask, and note it."))
            plan.proposals.append(record)
    for why, count in sorted(skipped.items()):
        plan.notes.append(_("Not planned ({why}): {n} contacts.").format(why=why, n=count))
    plan.proposals.sort(key=lambda r: (r.date or start, r.contact))
    return plan


def _caring_contact(person: PlanPerson, event: ContactEvent, start: dt.date) -> ProposalRecord:
    day = next_workday(max(start, event.starts_on))
    record = _record(
        person,
        "care",
        day,
        "personal",
        _("{kind}: one caring contact, no business; routine greetings and business calls wait until it ends.").format(
            kind=event.kind_label
        ),
    )
    record.item = _("a caring call or visit (no business)")
    record.extra.update(
        activity_kind="call",
        sensitive_event_id=event.id,
        talking_points=[event.note] if event.note else [],
    )
    record.warnings.append(
        _("Sensitive: keep it personal and brief; no sales talk.")
        + (" " + _("Until {date}.").format(date=event.ends_on.isoformat()) if event.ends_on else "")
    )
    return record


def interest_points(
    person: PlanPerson, tag_label: Callable[[str], str], last_greeting: str, festival_name: str
) -> list[str]:
    """Talking points for a care item: their interests (tags and text) and last year's greeting for the festival."""
    points = []
    tags = [tag_label(t.strip()) for t in (person.like_tags or "").split(",") if t.strip()]
    if tags:
        points.append(_("Likes: {tags}").format(tags=", ".join(tags)))
    for text in (person.interests, person.preferences):
        if text and text.strip():
            points.append(text.strip()[:200])
    if last_greeting:
        points.append(
            _("Last year's {festival} greeting: {what}").format(festival=festival_name, what=last_greeting[:200])
        )
    return points


# Regional outreach --------------------------------------------------------------------------------


def plan_outreach(
    place_label: str, matched: list[tuple[PlanPerson, str]], today: dt.date, paused: dict[int, ContactEvent]
) -> ProposalPlan:
    """A caring word to everyone living in or coming from the place, each with how they are linked to it."""
    plan = ProposalPlan("outreach", [])
    for person, how in matched:
        record = _record(
            person,
            "outreach",
            today,
            "personal",
            _("{how}: ask after them and their family after what happened in {place}.").format(
                how=how, place=place_label
            ),
        )
        record.item = _("a caring call or message")
        record.extra["activity_kind"] = "greeting"
        if person.contact_id in paused:
            record.warnings.append(_("A sensitive event is open for them: keep it to one caring word."))
        plan.proposals.append(record)
    return plan
