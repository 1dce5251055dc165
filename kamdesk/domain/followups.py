"""The follow-up planner's vocabulary (domain.md §11): agenda items, why they exist, cadence rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kamdesk.i18n import N_, _

#: Why an agenda item exists; shown beside it so a person knows what put it there.
REASONS: dict[str, str] = {
    "manual": N_("Planned by hand"),
    "cadence": N_("Regular contact rule"),
    "care": N_("Care greeting (irregular rhythm)"),
    "festival": N_("Festival greeting"),
    "birthday": N_("Birthday"),
    "anniversary": N_("Anniversary"),
    "reply_owed": N_("Reply owed"),
    "email_follow_up": N_("Follow-up call after an important email"),
    "call_back": N_("Call back"),
    "plan_action": N_("Account plan action"),
    "outreach": N_("Outreach after a regional event"),
    "gift": N_("Gift to deliver"),
    "visit": N_("Planned visit"),
}


def reason_label(reason: str) -> str:
    return _(REASONS.get(reason, reason))


@dataclass(frozen=True)
class AgendaItem:
    """One planned (or done) activity as the agenda and the calendar export see it."""

    id: int
    kind: str  # ActivityKind value
    status: str  # ActivityStatus value
    due_on: dt.date | None
    subject: str
    reason: str = "manual"  # a key of REASONS
    reason_detail: str = ""  # e.g. the festival's name, or "every 30 days for class A"
    contact_id: int | None = None
    contact_name: str = ""
    account_id: int | None = None
    account_name: str = ""
    member_id: int | None = None
    member_name: str = ""
    notes: str = ""
    duration_minutes: int = 0
    start_time: dt.time | None = None  # local time of day, when one was set
    location: str = ""
    updated_at: dt.datetime | None = None  # UTC; the calendar export's last-modified stamp
    occurred_at: dt.datetime | None = None  # UTC; when a done item happened


@dataclass(frozen=True)
class CadenceRule:
    """How often the team touches people at accounts of one class (optionally one rank).

    Business contact every `business_days`; care greetings at an irregular interval between
    `care_min_days` and `care_max_days` after the last real touch with the person.
    """

    account_class: str
    rank_tier: str | None = None
    business_days: int | None = 30
    care_min_days: int | None = 45
    care_max_days: int | None = 90


# Greetings, care and sensitive events (issue 19) ------------------------------------------------

#: Festival greeting tiers, weakest first (domain.md §11): a personal message (never a mass text); an
#: individual e-mail, message or call; a handwritten card, a mailed gift or a visit.
GREETING_TIERS = ("message", "personal", "premium")

#: Default tier per account class and contact rank: the better the account and the higher the person, the
#: more personal the greeting. Class D keeps a personal message: served correctly, at little cost.
DEFAULT_GREETING_TIERS: dict[str, dict[str, str]] = {
    "A": {"owner": "premium", "manager": "premium", "staff": "personal", "clerk": "personal"},
    "B": {"owner": "premium", "manager": "personal", "staff": "personal", "clerk": "message"},
    "C": {"owner": "personal", "manager": "message", "staff": "message", "clerk": "message"},
    "D": {"owner": "message", "manager": "message", "staff": "message", "clerk": "message"},
}

#: Greeting channels a plan proposes, as the proposal's `item`.
CHANNELS: dict[str, str] = {
    "message": N_("a personal message (written for them, not a mass text)"),
    "personal": N_("an individual call or e-mail"),
    "card": N_("a handwritten card"),
    "visit": N_("a visit"),
    "card_with_gift": N_("a handwritten card with the gift"),
    "visit_with_gift": N_("a visit delivering the gift"),
}

#: Activity kind each channel becomes on the agenda when confirmed.
CHANNEL_KINDS = {
    "message": "greeting",
    "personal": "call",
    "card": "greeting",
    "visit": "visit",
    "card_with_gift": "greeting",
    "visit_with_gift": "visit",
}

SENSITIVE_KINDS: dict[str, str] = {
    "illness": N_("Illness"),
    "bereavement": N_("Bereavement"),
    "other": N_("Other personal event"),
}


def greeting_tier(account_class: str | None, rank: str | None) -> str:
    """The tier of festival greeting a person gets, by their account's class and their rank."""
    row = DEFAULT_GREETING_TIERS.get(account_class or "D", DEFAULT_GREETING_TIERS["D"])
    return row.get(rank or "clerk", row["clerk"])


@dataclass(frozen=True)
class CareSettings:
    """The team's choices for greetings and care (kept as JSON in the team file's settings).

    By default no care greetings for class D accounts nor for contacts still at 陌生 (stranger), none below
    `min_stage`, and no more than `visits_per_day` festival visits per salesperson per day.
    """

    care_for_class_d: bool = False
    care_for_strangers: bool = False
    min_stage: str = "acquainted"
    visits_per_day: int = 4

    def problems(self) -> dict[str, str]:
        from kamdesk.domain.enums import RelationshipStage

        found: dict[str, str] = {}
        if self.min_stage not in {s.value for s in RelationshipStage}:
            found["min_stage"] = _("The minimum stage for care greetings must be one of the seven stages.")
        if (
            isinstance(self.visits_per_day, bool)
            or not isinstance(self.visits_per_day, int)
            or not 1 <= self.visits_per_day <= 12
        ):
            found["visits_per_day"] = _("Visits per salesperson per day must be a whole number from 1 to 12.")
        for key in ("care_for_class_d", "care_for_strangers"):
            if not isinstance(getattr(self, key), bool):
                found[key] = _("Choose yes or no.")
        return found

    def to_values(self) -> dict[str, object]:
        return {
            "care_for_class_d": self.care_for_class_d,
            "care_for_strangers": self.care_for_strangers,
            "min_stage": self.min_stage,
            "visits_per_day": self.visits_per_day,
        }

    @classmethod
    def from_values(cls, values: object) -> CareSettings:
        """Settings as stored; unknown keys are ignored and a value of the wrong type falls back to the default."""
        base = cls()
        if not isinstance(values, dict):
            return base
        kept = {k: v for k, v in values.items() if k in base.to_values()}
        candidate = cls(**kept)
        broken = candidate.problems()
        fixed = {k: (getattr(base, k) if k in broken else v) for k, v in candidate.to_values().items()}
        return cls(**fixed)  # type: ignore[arg-type]

    def cares_for(self, account_class: str | None, stage: str | None) -> tuple[bool, str]:
        """Whether a person gets care greetings, and if not, why (for the plan's notes)."""
        from kamdesk.domain.enums import RelationshipStage

        if account_class == "D" and not self.care_for_class_d:
            return False, _("class D account")
        current = stage or "stranger"
        if current == "stranger" and not self.care_for_strangers:
            return False, _("still a stranger (陌生)")
        try:
            below = RelationshipStage(current).order < RelationshipStage(self.min_stage).order
        except ValueError:
            below = False
        if below and not (current == "stranger" and self.care_for_strangers):
            return False, _("below the minimum stage")
        return True, ""


@dataclass(frozen=True)
class ContactEvent:
    """A sensitive event in a person's life (illness, bereavement): business with them pauses until it ends."""

    id: int | None
    contact_id: int
    kind: str  # a key of SENSITIVE_KINDS
    starts_on: dt.date
    ends_on: dt.date | None = None  # None: open until someone ends it
    note: str = ""
    version: int = 0
    contact_name: str = ""

    def active_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    @property
    def kind_label(self) -> str:
        return _(SENSITIVE_KINDS.get(self.kind, self.kind))


def validate_event(event: ContactEvent) -> dict[str, str]:
    problems: dict[str, str] = {}
    if event.kind not in SENSITIVE_KINDS:
        problems["kind"] = _("Choose illness, bereavement or another personal event.")
    if event.ends_on is not None and event.ends_on < event.starts_on:
        problems["ends_on"] = _("The event cannot end before it starts.")
    if len(event.note) > 2_000:
        problems["note"] = _("Keep the note under 2,000 characters.")
    return problems


#: Words in a note that point to a sensitive event, and the kind each suggests.
_SENSITIVE_WORDS: tuple[tuple[str, str], ...] = (
    ("去世", "bereavement"),
    ("过世", "bereavement"),
    ("病故", "bereavement"),
    ("丧事", "bereavement"),
    ("奔丧", "bereavement"),
    ("丧父", "bereavement"),
    ("丧母", "bereavement"),
    ("丧偶", "bereavement"),
    ("逝世", "bereavement"),
    ("葬礼", "bereavement"),
    ("passed away", "bereavement"),
    ("bereave", "bereavement"),
    ("funeral", "bereavement"),
    ("died", "bereavement"),
    ("住院", "illness"),
    ("生病", "illness"),
    ("手术", "illness"),
    ("病重", "illness"),
    ("患病", "illness"),
    ("hospital", "illness"),
    ("surgery", "illness"),
    ("illness", "illness"),
    ("sick", "illness"),
)


def _past(text: str, at: int) -> bool:
    """Whether the words just before `at` put it in the past (做过手术, 曾经住院, 以前生病): history, not an event now."""
    before = text[max(0, at - 4) : at]
    return before.endswith(("过", "過", "曾", "曾经", "以前", "去年")) or "曾" in before


@dataclass(frozen=True)
class EventSuggestion:
    kind: str
    phrase: str  # the sentence of the note that suggested it


def suggest_event(text: str) -> EventSuggestion | None:
    """A sensitive event a note suggests ("父亲住院，近期少打扰" → illness), for a person to confirm; None if none."""
    import re

    if not text or not text.strip():
        return None
    lowered = text.lower()
    best: tuple[int, str, str] | None = None
    for word, kind in _SENSITIVE_WORDS:
        at = lowered.find(word)
        if at >= 0 and _past(lowered, at):
            continue
        if at >= 0 and (best is None or (kind == "bereavement" and best[1] != "bereavement")):
            best = (at, kind, word)
    if best is None:
        return None
    at = best[0]
    sentences = [(m.start(), m.end()) for m in re.finditer(r"[^。！？!?.;；\n]+", text)]
    phrase = next((text[s:e].strip() for s, e in sentences if s <= at < e), text.strip())
    return EventSuggestion(best[1], phrase[:200])


@dataclass(frozen=True)
class PlanPerson:
    """One contact as the greeting, care and outreach planners see them."""

    contact_id: int
    name: str
    account_id: int | None
    account_name: str
    account_class: str | None
    rank: str | None
    stage: str | None
    member_id: int | None  # our person who looks after them
    member_name: str = ""
    city: str = ""
    hometown: str = ""
    interests: str = ""
    preferences: str = ""
    like_tags: str = ""
    last_touch: dt.date | None = None
