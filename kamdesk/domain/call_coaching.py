"""Coaching for calls (domain.md §11; seed 000's call rules, seed 003's ways of caring for a customer).

Prompts shown while preparing and reviewing a call, the lessons earlier reviews with the same person
left behind, and which of our people is the one using kamdesk. Pure rules; the words are our own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kamdesk.domain.models import TeamMember
from kamdesk.domain.names import fold
from kamdesk.i18n import N_, _

#: Before the call (seed 000, 打电话前的准备, and seed 003, 怎样关心你的客户).
PREPARE_PROMPTS = (
    N_("Know the one thing this call is for; their time is worth as much as yours."),
    N_("Picture how they will answer, and choose your tone, words and pace to match."),
    N_("Say the opening and the key sentence out loud once before you dial."),
    N_("Bring one idea or piece of news beyond what they asked for, so they hear it from you first."),
    N_("Check what you can really promise before the call; promise nothing you have not checked."),
    N_("Where you are unsure about their business, plan to ask rather than pretend to know."),
    N_("Fit their habits: the time of day and the channel they prefer. You will not change them."),
)
#: During the call.
DURING_PROMPTS = (
    N_("Adjust as it goes: slow down, soften, or come to the point as their mood asks."),
    N_("Write down what was agreed, the figures and the dates while you talk."),
    N_("Our business is only part of their day: hear out what else weighs on them."),
)
#: After the call (seed 000, 打电话后, and seed 003).
REVIEW_PROMPTS = (
    N_("How did they sound, and how satisfied is each side with the result?"),
    N_("Was the preparation enough? What would you do differently on the call itself?"),
    N_("Which opening did they give that you did not take?"),
    N_("Anything you did not understand? Ask next time rather than guess."),
    N_("A mistake on our side? Admit it and put it right; covering it up only makes it worse."),
    N_("Every promise made goes on the agenda now, with a date."),
    N_("Did they come out of it looking good to their boss and colleagues?"),
)
#: What each preparation field asks for, as a hint inside the field.
PREP_HINTS = {
    "address_as": N_("e.g. 王总; how they like to be called"),
    "matter": N_("The one matter of this call"),
    "channel": N_("Landline or mobile, and the number"),
    "our_goal": N_("What we want to come out of it"),
    "their_goal": N_("What they will want from it"),
    "their_attitude": N_("Friendly, busy, annoyed…? Their likely tone"),
    "our_approach": N_("Our attitude, wording and pace; the first sentence"),
}
REVIEW_HINTS = {
    "their_attitude": N_("How they sounded and reacted"),
    "their_satisfaction": N_("How satisfied they were with the result"),
    "our_satisfaction": N_("How satisfied we are with it"),
    "missed": N_("Openings they gave that we did not take"),
    "lessons": N_("What to do differently next time with this person"),
}

#: Earlier calls' lessons shown when preparing the next one.
LESSONS_SHOWN = 3


@dataclass(frozen=True)
class EarlierReview:
    """A reviewed call with the same person, as stored."""

    activity_id: int
    day: dt.date | None
    subject: str
    member_name: str
    review: dict[str, str]


@dataclass(frozen=True)
class Lesson:
    day: dt.date | None
    subject: str
    member_name: str
    lessons: str
    missed: str
    their_attitude: str


def last_lessons(reviews: Iterable[EarlierReview], limit: int = LESSONS_SHOWN) -> list[Lesson]:
    """The lessons, missed openings and their mood from earlier reviews, newest first; empty reviews skipped."""
    out = []
    ordered = sorted(reviews, key=lambda r: (r.day or dt.date.min, r.activity_id), reverse=True)
    for r in ordered:
        lessons, missed = r.review.get("lessons", "").strip(), r.review.get("missed", "").strip()
        attitude = r.review.get("their_attitude", "").strip()
        if lessons or missed:
            out.append(Lesson(r.day, r.subject, r.member_name, lessons, missed, attitude))
        if len(out) >= limit:
            break
    return out


def current_member(members: Sequence[TeamMember], user_name: str) -> int | None:
    """Our person who is using kamdesk: the active member with the user's name (exactly, else ignoring case,
    spaces and tone marks; the first listed when the name is there twice); None when nobody has that name."""
    wanted = user_name.strip()
    if not wanted:
        return None
    active = [m for m in members if m.active]
    for same in (
        lambda m: m.name == wanted,
        lambda m: m.name.strip().casefold() == wanted.casefold(),
        lambda m: (fold(m.name) or m.name.casefold()) == (fold(wanted) or wanted.casefold()),
    ):
        found = [m.id for m in active if same(m)]
        if found:
            return found[0]
    return None


def prompts(kind: tuple[str, ...]) -> list[str]:
    return [_(p) for p in kind]
