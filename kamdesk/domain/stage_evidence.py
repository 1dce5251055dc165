"""What each stage means and whether the data we hold bears it out (domain.md §3–5, §7; seeds 000, 003, 004).

Relationship stages with a person get a checklist of what has to be true and flags where the record
contradicts the stage; sales stages get entry criteria; the company relationship type gets the evidence
for it (information grades, competitors, price premium, ties at the top); cycle stages get advice and a
contact rhythm. Pure rules: the facts come in as plain values, the verdicts go out as plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median

from kamdesk.domain.contacts import ContactDetail
from kamdesk.domain.enums import CycleStage, RelationshipStage, RelationshipType, SalesStage
from kamdesk.i18n import N_, _

#: A friend-level relationship with no contact logged for this long is probably not what it was.
FRIEND_SILENCE_DAYS = 180
#: A best friend (死党) hears from us at least this often.
BEST_FRIEND_SILENCE_DAYS = 90
#: Kinds of logged activity that count as being in touch (a note to ourselves does not).
TOUCH_KINDS = ("call", "email", "visit", "meeting", "greeting")
#: Hospitality kinds of the gift register that mean meeting outside work.
PRIVATE_KINDS = ("meal", "entertainment", "trip")


@dataclass(frozen=True)
class ContactFacts:
    """What the file holds about one person, as far as the stage checks need it."""

    stage: RelationshipStage
    today: dt.date
    logged_contacts: int = 0  # done calls, e-mails, visits, meetings and greetings with them
    last_contact_on: dt.date | None = None
    title_or_rank: bool = False
    interests: bool = False
    likes_or_taboos: bool = False  # preferences, taboos or their tags
    birthday: bool = False
    hometown_or_city: bool = False
    family: int = 0
    family_dates: int = 0  # family birthdays and anniversaries recorded
    private_meetings: int = 0  # meals, entertainment and trips with them on record


@dataclass(frozen=True)
class CheckItem:
    """One thing that has to be true at a stage; `met` None means only the salesperson can judge it."""

    text: str
    met: bool | None


@dataclass(frozen=True)
class Flag:
    """Evidence in the file that contradicts the stage chosen, with the stage whose rule it breaks."""

    text: str
    rule_of: RelationshipStage


@dataclass(frozen=True)
class StageVerdict:
    stage: RelationshipStage
    checklist: list[CheckItem]
    flags: list[Flag]
    next_stage: RelationshipStage | None
    next_checklist: list[CheckItem] = field(default_factory=list)


_DEFINITIONS: dict[RelationshipStage, str] = {
    RelationshipStage.STRANGER: N_("No contact yet, neither directly nor through someone else."),
    RelationshipStage.ACQUAINTED: N_("Several contacts so far; each side knows a few basic facts about the other."),
    RelationshipStage.ORDINARY_FRIEND: N_("You know their tastes and some private facts about them."),
    RelationshipStage.GOOD_FRIEND: N_("Shared topics or a special bond; you can talk easily away from work."),
    RelationshipStage.ORDINARY_BROTHER: N_("You belong to each other's inner circle of friends."),
    RelationshipStage.GOOD_BROTHER: N_("The friendship takes in each other's families."),
    RelationshipStage.BEST_FRIEND: N_("A confidant: their worries are yours, and you act on them."),
}


def stage_definition(stage: RelationshipStage) -> str:
    return _(_DEFINITIONS[stage])


def _days_since(facts: ContactFacts) -> int | None:
    return (facts.today - facts.last_contact_on).days if facts.last_contact_on else None


def _recent(facts: ContactFacts, days: int) -> bool:
    since = _days_since(facts)
    return since is not None and since <= days


def stage_checklist(stage: RelationshipStage, facts: ContactFacts) -> list[CheckItem]:
    """What has to be true at `stage`, each ticked from the file where the file can tell."""
    f = facts
    personal = f.hometown_or_city or f.birthday or f.family > 0
    items: dict[RelationshipStage, list[CheckItem]] = {
        RelationshipStage.STRANGER: [
            CheckItem(_("No contact with them has been made yet."), f.logged_contacts == 0),
        ],
        RelationshipStage.ACQUAINTED: [
            CheckItem(
                _("You have been in touch more than once (logged calls, visits, e-mails)."), f.logged_contacts >= 2
            ),
            CheckItem(_("You know who they are: their title or rank is on the card."), f.title_or_rank),
        ],
        RelationshipStage.ORDINARY_FRIEND: [
            CheckItem(_("You know what they like and what to avoid."), f.likes_or_taboos),
            CheckItem(_("You know some private facts: where they live or come from, birthday, family."), personal),
        ],
        RelationshipStage.GOOD_FRIEND: [
            CheckItem(_("You share interests or topics to talk about."), f.interests),
            CheckItem(
                _("You have met away from work: a meal, an outing or a trip is on record."), f.private_meetings > 0
            ),
            CheckItem(_("Neither of you feels awkward talking in private."), None),
        ],
        RelationshipStage.ORDINARY_BROTHER: [
            CheckItem(_("You know their birthday."), f.birthday),
            CheckItem(_("You have met away from work more than once."), f.private_meetings >= 2),
            CheckItem(_("They count you among their close friends, and you know the people around them."), None),
        ],
        RelationshipStage.GOOD_BROTHER: [
            CheckItem(_("You know their family: at least one family member is recorded."), f.family > 0),
            CheckItem(
                _("You keep the family's dates: a family birthday or anniversary is recorded."), f.family_dates > 0
            ),
        ],
        RelationshipStage.BEST_FRIEND: [
            CheckItem(
                _("You are in close touch: the last contact was within {days} days.").format(
                    days=BEST_FRIEND_SILENCE_DAYS
                ),
                _recent(f, BEST_FRIEND_SILENCE_DAYS),
            ),
            CheckItem(_("They confide in you, and you treat their problems as your own."), None),
        ],
    }
    return items[stage]


def contradictions(facts: ContactFacts) -> list[Flag]:
    """Evidence that the stage on the card is too high (or, for a stranger, too low).

    The rules are cumulative: a stage must also pass the rules of the stages below it.
    """
    f = facts
    order = f.stage.order
    flags: list[Flag] = []
    S = RelationshipStage

    def rule(stage: RelationshipStage, broken: bool, text: str) -> None:
        if broken and order >= stage.order:
            flags.append(Flag(text, stage))

    if f.stage == S.STRANGER and f.logged_contacts > 0:
        flags.append(
            Flag(
                _("{count} contacts with them are logged: they are at least acquainted.").format(
                    count=f.logged_contacts
                ),
                S.STRANGER,
            )
        )
    rule(S.ACQUAINTED, f.logged_contacts == 0 and f.last_contact_on is None, _("No contact with them is logged."))
    rule(
        S.ORDINARY_FRIEND,
        not f.likes_or_taboos,
        _("Nothing is recorded about what they like or avoid (food, drink, gifts)."),
    )
    silence = _days_since(f)
    rule(
        S.ORDINARY_FRIEND,
        silence is not None and silence > FRIEND_SILENCE_DAYS,
        _("The last contact was {days} days ago: a friendship this quiet has probably cooled.").format(
            days=silence or 0
        ),
    )
    rule(
        S.GOOD_FRIEND,
        not (f.interests or f.likes_or_taboos or f.birthday),
        _("No personal detail is recorded: no interests, no likes, no birthday."),
    )
    rule(S.ORDINARY_BROTHER, not f.birthday, _("Their birthday is not recorded."))
    rule(
        S.GOOD_BROTHER,
        f.family == 0,
        _("No family member is recorded, yet the relationship is meant to reach the family."),
    )
    rule(
        S.BEST_FRIEND,
        not _recent(f, BEST_FRIEND_SILENCE_DAYS),
        _("No contact in the last {days} days: a confidant hears from you more often.").format(
            days=BEST_FRIEND_SILENCE_DAYS
        ),
    )
    return flags


def judge_stage(facts: ContactFacts) -> StageVerdict:
    """The stage's checklist, the contradicting evidence, and what the next stage would take."""
    stages = list(RelationshipStage)
    position = stages.index(facts.stage)
    following = stages[position + 1] if position + 1 < len(stages) else None
    return StageVerdict(
        stage=facts.stage,
        checklist=stage_checklist(facts.stage, facts),
        flags=contradictions(facts),
        next_stage=following,
        next_checklist=stage_checklist(following, facts) if following else [],
    )


# Sales stages (domain.md §4, seed 004) ----------------------------------------------------------
_SALES_CRITERIA: dict[SalesStage, tuple[str, str]] = {
    SalesStage.POTENTIAL: (
        N_("They need what we offer but are not working with us, or stopped long ago."),
        N_("To move on: learn what interests them and show how we serve exactly that."),
    ),
    SalesStage.TRIAL: (
        N_("They are trying us out: a sample, a pilot or a first small order."),
        N_("To move on: make their work clearly easier and cheaper than before, then open scope and price."),
    ),
    SalesStage.INTENT: (
        N_("Scope and price are agreed in principle, and they have said so plainly."),
        N_("To move on: settle the terms and send the contract."),
    ),
    SalesStage.QUASI: (
        N_(
            "Scope and price are settled, the contract has been sent or signed back, and the first payment is under way."
        ),
        N_("To move on: the first payment arrives and the service starts."),
    ),
    SalesStage.FORMAL: (
        N_("They pay us and accept our service."),
        N_("Keep it: deliver, review the relationship regularly, and grow the business."),
    ),
}


def sales_stage_criteria(stage: SalesStage) -> tuple[str, str]:
    """(what must be true to be at `stage`, what moves the account on)."""
    entry, onward = _SALES_CRITERIA[stage]
    return _(entry), _(onward)


# Cycle stages (domain.md §5, seed 003) ----------------------------------------------------------
_CYCLE_ADVICE: dict[CycleStage, tuple[str, str]] = {
    CycleStage.BREAKTHROUGH: (
        N_(
            "Win the first real order: find who decides and who favours us, and prove one thing quickly "
            "rather than promising many."
        ),
        N_("Contact: often and always with a purpose, every week or two."),
    ),
    CycleStage.CONSOLIDATION: (
        N_(
            "Deliver the first orders without a fault, fix any problem the same day, and get to know people "
            "beyond the buyer."
        ),
        N_("Contact: regular, every two to three weeks, and a check after each delivery."),
    ),
    CycleStage.GROWTH: (
        N_(
            "Widen the business to more products and departments; pair our people with theirs rank for rank; "
            "write an account plan."
        ),
        N_("Contact: at several levels at once; a review with their management each quarter."),
    ),
    CycleStage.HARVEST: (
        N_(
            "Keep service excellent and margins sound; ask for references and look for the next need before "
            "they do. Familiarity must not turn into neglect."
        ),
        N_("Contact: steady, at least monthly with the key people."),
    ),
    CycleStage.DEFENSE: (
        N_(
            "The business is under threat from a competitor or a problem: find out what is wrong, bring in our "
            "executive sponsor, answer every complaint at once."
        ),
        N_("Contact: close, weekly with the key people until it is settled."),
    ),
    CycleStage.HIBERNATION: (
        N_(
            "They buy little for now (budget freeze, project finished), but the door is open. Spend little and "
            "stay remembered; watch for the sign that demand is coming back."
        ),
        N_(
            "Contact: light and personal: the main festival greetings and a care call every two to three "
            "months, never a sales push."
        ),
    ),
    CycleStage.PAUSE: (
        N_(
            "Business has stopped, lost or put on hold. Find out why and write the lesson down; keep one person "
            "in touch so the way back stays open when a new person or project appears."
        ),
        N_("Contact: greetings at the big festivals and a short check-in every three to six months."),
    ),
}


def cycle_advice(stage: CycleStage) -> tuple[str, str]:
    """(what to do in `stage`, the contact rhythm that suits it)."""
    advice, rhythm = _CYCLE_ADVICE[stage]
    return _(advice), _(rhythm)


# Relationship type (domain.md §3, seed 003) ------------------------------------------------------
@dataclass(frozen=True)
class TypeFacts:
    """What the file says about the company-level relationship."""

    plan_period: str | None = None  # the latest plan the facts come from (None: no plan)
    grades: frozenset[int] = frozenset()  # information grades of the plan's intelligence notes
    competitors: int | None = None  # competitors named in the latest plan (None: no plan)
    margin_pct: float | None = None  # latest margin in the plan's revenue lines
    team_margins: tuple[float, ...] = ()  # the same figure for the other accounts, to compare with
    close_key_people: int = 0  # owner/manager-rank contacts at good friend or closer
    top_tie: bool = False  # an owner-rank contact at ordinary brother or closer


@dataclass(frozen=True)
class Evidence:
    """One fact about the relationship type; `fits` False: it argues against the type chosen; None: missing."""

    text: str
    fits: bool | None


#: Team margins needed before a premium can be judged.
MIN_MARGINS_TO_COMPARE = 3


def price_premium(facts: TypeFacts) -> float | None:
    """Points of margin above the median of the other accounts (None: not enough figures)."""
    if facts.margin_pct is None or len(facts.team_margins) < MIN_MARGINS_TO_COMPARE:
        return None
    return round(facts.margin_pct - median(facts.team_margins), 1)


_TYPE_LEVEL = {
    RelationshipType.VENDOR: 0,
    RelationshipType.PREFERRED_SUPPLIER: 1,
    RelationshipType.PARTNER: 2,
    RelationshipType.STRATEGIC_ALLIANCE: 3,
}
#: Highest information grade the type normally reaches: a vendor sees public facts only.
_GRADE_NEEDED = {0: 1, 1: 3, 2: 4, 3: 4}
_MAX_COMPETITORS = {1: None, 2: 1, 3: 1}


def _grade_evidence(facts: TypeFacts, level: int) -> Evidence:
    if not facts.grades:
        return Evidence(_("Information grade unknown: the latest plan has no intelligence notes with a grade."), None)
    top = max(facts.grades)
    text = _("Highest information grade reached: {grade} (grades on record: {all}).").format(
        grade=top, all=", ".join(str(g) for g in sorted(facts.grades))
    )
    needed = _GRADE_NEEDED[level]
    if level == 0:
        fits = top <= 2
        if not fits:
            text += " " + _("Private information reaches us: more than a vendor gets.")
        return Evidence(text, fits)
    if top < needed:
        text += " " + _("This type usually reaches grade {grade}.").format(grade=needed)
    return Evidence(text, top >= needed)


def _competitor_evidence(facts: TypeFacts, level: int) -> Evidence:
    if facts.competitors is None:
        return Evidence(_("Competitors unknown: there is no account plan."), None)
    text = _("Competitors named in the plan: {count}.").format(count=facts.competitors)
    if level == 0:
        return Evidence(text, None if facts.competitors == 0 else True)
    allowed = _MAX_COMPETITORS.get(level)
    if allowed is None:
        return Evidence(text, True)
    fits = facts.competitors <= allowed
    if not fits:
        text += " " + _("A partner has few or no competitors in the areas it covers.")
    return Evidence(text, fits)


def _premium_evidence(facts: TypeFacts, level: int) -> Evidence:
    if facts.margin_pct is None:
        return Evidence(_("Price premium unknown: no margin in the plan's revenue lines."), None)
    premium = price_premium(facts)
    if premium is None:
        return Evidence(
            _("Margin {margin}%; too few other accounts have a margin to judge a premium.").format(
                margin=facts.margin_pct
            ),
            None,
        )
    text = _("Margin {margin}% against a median of {median}% for the other accounts ({diff:+} points).").format(
        margin=facts.margin_pct, median=round(median(facts.team_margins), 1), diff=premium
    )
    if level == 0:
        return Evidence(text, premium <= 0)
    return Evidence(text, premium > 0)


def _people_evidence(facts: TypeFacts, level: int) -> Evidence:
    if level >= 2:
        text = (
            _("Ties at the top: an owner-level contact is an ordinary brother or closer.")
            if facts.top_tie
            else _("No owner-level contact is an ordinary brother or closer: partners meet at the top.")
        )
        return Evidence(text, facts.top_tie)
    text = _("Key people (owner or manager rank) at good friend or closer: {count}.").format(
        count=facts.close_key_people
    )
    if level == 0:
        return Evidence(text, None)
    return Evidence(text, facts.close_key_people >= 2)


def type_evidence(kind: RelationshipType, facts: TypeFacts) -> list[Evidence]:
    """The evidence for and against `kind`, each fact saying where it comes from or what is missing."""
    level = _TYPE_LEVEL[kind]
    out = [
        _grade_evidence(facts, level),
        _competitor_evidence(facts, level),
        _premium_evidence(facts, level),
        _people_evidence(facts, level),
    ]
    if kind == RelationshipType.STRATEGIC_ALLIANCE:
        out.append(Evidence(_("An alliance or joint venture exists, formal or not: only you can confirm it."), None))
    return out


_TYPE_MEANING = {
    RelationshipType.VENDOR: N_("One supplier among many: public information only, and price decides."),
    RelationshipType.PREFERRED_SUPPLIER: N_(
        "Good ties with several key people, private information, and some room on price."
    ),
    RelationshipType.PARTNER: N_("Contact at the top on both sides, long contracts, few or no competitors."),
    RelationshipType.STRATEGIC_ALLIANCE: N_("A formal or informal alliance, such as a joint venture."),
}


def type_meaning(kind: RelationshipType) -> str:
    return _(_TYPE_MEANING[kind])


def facts_from_card(
    card: ContactDetail,
    today: dt.date,
    logged_contacts: int = 0,
    last_logged_on: dt.date | None = None,
    private_meetings: int = 0,
) -> ContactFacts:
    """The facts of a contact card as the form shows it now, with the counts only the file knows."""
    last = max((d for d in (card.last_contact_on, last_logged_on) if d is not None), default=None)
    tags = [getattr(card, "like_tags", None), getattr(card, "taboo_tags", None)]  # codes: a string or a set
    likes = bool(card.preferences.strip() or card.taboos.strip()) or any(
        (t.strip() if isinstance(t, str) else t) for t in tags
    )
    return ContactFacts(
        stage=RelationshipStage(card.relationship_stage or "stranger"),
        today=today,
        logged_contacts=logged_contacts,
        last_contact_on=last,
        title_or_rank=bool(card.title.strip() or card.rank_tier),
        interests=bool(card.interests.strip()),
        likes_or_taboos=likes,
        birthday=card.birthday is not None,
        hometown_or_city=bool(card.hometown.strip() or card.city.strip()),
        family=len(card.family),
        family_dates=sum(1 for m in card.family if m.birthday is not None) + len(card.anniversaries),
        private_meetings=private_meetings,
    )


@dataclass(frozen=True)
class StageHistoryEntry:
    """A change of an account's sales stage, relationship type or cycle stage (account_stage_history)."""

    field: str  # sales_stage, relationship_type or cycle_stage
    old_value: str | None
    new_value: str | None
    at: dt.datetime  # UTC
    by: str
    note: str = ""


def reached_on(history: Iterable[StageHistoryEntry], field_name: str) -> dict[str, dt.datetime]:
    """When each value of one field was last reached, from the history (UTC)."""
    out: dict[str, dt.datetime] = {}
    for entry in sorted(history, key=lambda e: e.at):
        if entry.field == field_name and entry.new_value:
            out[entry.new_value] = entry.at
    return out
