"""Gifts, hospitality and visits (domain.md §12–13): catalogue, festival tiers, policy limits, irregular
everyday gifts, special gifts, the meal ordering guide, and the rows the printed schedules show."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from kamdesk.domain.chinese_calendar import is_workday
from kamdesk.domain.gift_vocabulary import ItemTags, suggest_item_tags
from kamdesk.domain.meals import MealGuide as MealGuide  # the meal guide moved to domain/meals.py
from kamdesk.domain.meals import meal_guide as meal_guide
from kamdesk.i18n import N_, _

#: Festivals the gift planner works for, with how wide the list is (§12).
GIFT_FESTIVALS = (
    ("mid_autumn", N_("Mid-Autumn Festival")),
    ("spring_festival", N_("Spring Festival")),
    ("dragon_boat", N_("Dragon Boat Festival")),
)

#: Tier levels: 0 no gift, 1 modest, 2 good, 3 premium (with a handwritten card).
TIER_LABELS = {0: N_("No gift"), 1: N_("Modest"), 2: N_("Good"), 3: N_("Premium")}
DEFAULT_TIER_BUDGETS = {1: 200_00, 2: 500_00, 3: 1_000_00}  # cents per person

CLASSES = ("A", "B", "C", "D")
RANKS = ("owner", "manager", "staff", "clerk")

#: Mid-Autumn goes to a broad list; Spring Festival to a narrower one (§12).
DEFAULT_TIERS: dict[str, dict[str, dict[str, int]]] = {
    "mid_autumn": {
        "A": {"owner": 3, "manager": 2, "staff": 1, "clerk": 1},
        "B": {"owner": 2, "manager": 2, "staff": 1, "clerk": 0},
        "C": {"owner": 1, "manager": 1, "staff": 0, "clerk": 0},
        "D": {"owner": 1, "manager": 0, "staff": 0, "clerk": 0},
    },
    "spring_festival": {
        "A": {"owner": 3, "manager": 2, "staff": 0, "clerk": 0},
        "B": {"owner": 2, "manager": 1, "staff": 0, "clerk": 0},
        "C": {"owner": 1, "manager": 0, "staff": 0, "clerk": 0},
        "D": {"owner": 0, "manager": 0, "staff": 0, "clerk": 0},
    },
    # Not in the practice's text: a smaller occasion (zongzi), so a list between the two.
    "dragon_boat": {
        "A": {"owner": 2, "manager": 1, "staff": 1, "clerk": 0},
        "B": {"owner": 1, "manager": 1, "staff": 0, "clerk": 0},
        "C": {"owner": 1, "manager": 0, "staff": 0, "clerk": 0},
        "D": {"owner": 0, "manager": 0, "staff": 0, "clerk": 0},
    },
}

DELIVERY = (
    ("in_person", N_("In person")),
    ("courier", N_("Courier")),
    ("courier_card", N_("Courier, with a handwritten card")),
    ("in_person_card", N_("In person, with a handwritten card")),
)

VISIT_KINDS = (
    ("visit", N_("Visit")),
    ("meal", N_("Meal")),
    ("entertainment", N_("Entertainment")),
    ("trip", N_("Trip")),
)

#: A register entry's status: planned, done, or what became of a gift that was not accepted.
REGISTER_STATUSES = (
    ("planned", N_("Planned")),
    ("done", N_("Done")),
    ("declined", N_("Declined")),
    ("returned", N_("Returned")),
)
#: A gift with one of these statuses was not accepted: it is never proposed to that person again and
#: does not count towards their total for the year.
NOT_ACCEPTED = ("declined", "returned")

MAX_VALUE_CENTS = 10_000_000_00  # ¥10 million: anything above is a typing slip, not a gift


class GiftError(ValueError):
    """An entry that cannot be recorded as it stands; the message says why."""


@dataclass
class CatalogueItem:
    """An item the team gives. `notes` is its story; `kind` (everyday, holiday, special) stays for
    older files, but planners read the occasions (codes of kamdesk.domain.gift_vocabulary)."""

    item: str
    kind: str = "holiday"  # everyday, holiday, special
    unit_cost_cents: int = 0
    supplier: str = ""
    notes: str = ""
    active: bool = True
    id: int | None = None
    version: int = 0
    occasions: frozenset[str] = frozenset()
    category: str = ""
    attributes: frozenset[str] = frozenset()
    origin: str = ""  # a place, for local and hometown specialities

    def planning_tags(self) -> ItemTags:
        """What planners read: the stored occasions, category and attributes, with each one left
        empty (an item saved before schema 6, or never tagged) filled in by the vocabulary's
        suggestion from the item's name, story and cost."""
        if self.occasions and self.category and self.attributes:
            return ItemTags(self.occasions, self.category, self.attributes, suggest_item_tags(self.item).suits)
        suggested = suggest_item_tags(self.item, self.notes, cost_cents=self.unit_cost_cents)
        return ItemTags(
            self.occasions or suggested.occasions,
            self.category or suggested.category,
            self.attributes or suggested.attributes,
            suggested.suits,
        )


@dataclass(frozen=True)
class GiftPolicy:
    """The team's limits; beyond them an entry needs an approval (who approved is recorded)."""

    per_item_cents: int = 500_00
    per_person_year_cents: int = 2_000_00
    #: The 80/20 rule: by default the planners propose nothing for class D accounts nor for contacts
    #: still at the stranger stage (陌生); a team may choose otherwise.
    gifts_to_class_d: bool = False
    gifts_to_strangers: bool = False

    def problems(self) -> list[str]:
        found = []
        if self.per_item_cents <= 0 or self.per_person_year_cents <= 0:
            found.append(_("Policy limits are amounts above zero."))
        if self.per_item_cents > self.per_person_year_cents:
            found.append(_("The limit per item cannot be above the limit per person and year."))
        return found


@dataclass
class RegisterEntry:
    """One line of the gift and hospitality register: everything given or received is on record."""

    kind: str
    item: str
    value_cents: int
    given_on: dt.date
    direction: str = "given"
    account_id: int | None = None
    contact_id: int | None = None
    member_id: int | None = None
    occasion: str = ""
    people_ours: str = ""
    people_theirs: str = ""
    approved_by: str = ""
    approved_on: dt.date | None = None
    delivery: str = ""
    status: str = "done"  # planned, done, declined or returned (REGISTER_STATUSES)
    notes: str = ""
    id: int | None = None
    version: int = 0
    account_name: str = ""
    contact_name: str = ""
    member_name: str = ""


@dataclass(frozen=True)
class PolicyCheck:
    over_item: bool
    over_year: bool
    year_total_cents: int  # the person's total for the year including this entry

    @property
    def needs_approval(self) -> bool:
        return self.over_item or self.over_year


def check_policy(policy: GiftPolicy, value_cents: int, person_year_before_cents: int) -> PolicyCheck:
    total = person_year_before_cents + value_cents
    return PolicyCheck(value_cents > policy.per_item_cents, total > policy.per_person_year_cents, total)


def validate_entry(entry: RegisterEntry, check: PolicyCheck, today: dt.date) -> list[str]:
    problems = []
    if not entry.item.strip():
        problems.append(_("Say what the gift or hospitality was."))
    if entry.value_cents < 0:
        problems.append(_("A value cannot be negative."))
    elif entry.value_cents > MAX_VALUE_CENTS:
        problems.append(
            _("{value} is not a believable value; check the amount.").format(value=f"{entry.value_cents / 100:,.0f}")
        )
    if entry.status not in dict(REGISTER_STATUSES):
        problems.append(_("Unknown status."))
    if entry.status == "planned" and entry.given_on < today:
        problems.append(_("A planned entry cannot be dated in the past; record it as done instead."))
    if check.needs_approval and not entry.approved_by.strip():
        reasons = []
        if check.over_item:
            reasons.append(_("it is above the limit per item"))
        if check.over_year:
            reasons.append(
                _("it takes the person's total for the year to {total}").format(
                    total=f"{check.year_total_cents / 100:,.0f}"
                )
            )
        problems.append(
            _("This entry needs an approval: {reasons}. Name who approved it.").format(reasons="; ".join(reasons))
        )
    return problems


@dataclass(frozen=True)
class Recipient:
    """A person the planner may propose a gift for."""

    contact_id: int
    name: str
    account_id: int | None
    account_name: str
    account_class: str | None
    rank: str | None
    member_id: int | None
    member_name: str
    city: str = ""
    address: str = ""
    preferences: str = ""
    taboos: str = ""
    buying_role: str | None = None
    hometown: str = ""
    relationship_stage: str | None = None
    interests: str = ""
    like_tags: frozenset[str] = frozenset()  # the vocabulary's codes, as kept on the card
    taboo_tags: frozenset[str] = frozenset()
    personality: str | None = None  # the person's customer type, else their account's (PersonalityType values)


@dataclass(frozen=True)
class PastGift:
    """A gift already in the register for a person (given, not received)."""

    item: str
    given_on: dt.date
    kind: str  # everyday, holiday, special, meal…
    status: str  # planned, done, declined, returned
    value_cents: int = 0


@dataclass(frozen=True)
class FestivalPlanDates:
    festival: str
    festival_date: dt.date
    order_by: dt.date
    deliver_by: dt.date


def festival_dates(festival: str, festival_date: dt.date) -> FestivalPlanDates:
    """Order three weeks ahead; deliver a few days before (a week before Spring Festival: couriers stop)."""
    lead = 7 if festival == "spring_festival" else 3
    return FestivalPlanDates(
        festival, festival_date, festival_date - dt.timedelta(days=21), festival_date - dt.timedelta(days=lead)
    )


def delivery_for(tier: int, recipient: Recipient, our_city: str = "") -> str:
    in_person = recipient.account_class in ("A", "B") and recipient.rank in ("owner", "manager")
    if our_city and recipient.city and recipient.city != our_city:
        in_person = in_person and recipient.account_class == "A"
    if tier >= 3:
        return "in_person_card" if in_person else "courier_card"
    return "in_person" if in_person else "courier"


def everyday_dates(start: dt.date, end: dt.date, count: int, seed: int) -> list[dt.date]:
    """`count` workdays between start and end at irregular gaps, no two on the same weekday in a row,
    never in the same week twice: no pattern a person could notice (§12)."""
    days = (end - start).days
    if count <= 0 or days <= 0:
        return []
    rng = random.Random(seed)
    slot = days / count
    chosen: list[dt.date] = []
    for n in range(count):
        low = start + dt.timedelta(days=int(n * slot))
        high = start + dt.timedelta(days=max(int((n + 1) * slot) - 1, int(n * slot)))
        candidates = [low + dt.timedelta(days=d) for d in range((high - low).days + 1)]
        candidates = [
            d
            for d in candidates
            if is_workday(d)
            and (
                not chosen
                or (d.weekday() != chosen[-1].weekday() and d.isocalendar()[:2] != chosen[-1].isocalendar()[:2])
            )
        ]
        if candidates:
            chosen.append(rng.choice(candidates))
    return chosen


# Visits and meals -------------------------------------------------------------------------------


@dataclass
class Visit:
    starts_at: dt.datetime
    kind: str = "visit"  # visit, meal, entertainment, trip
    account_id: int | None = None
    contact_id: int | None = None  # the key person
    people_theirs: str = ""
    member_id: int | None = None
    people_ours: str = ""
    purpose: str = ""
    plan_meal: bool = False
    plan_gift: str = ""
    plan_activity: str = ""
    headcount: int = 0
    budget_cents: int = 0
    outcome: str = ""
    status: str = "planned"  # planned or done
    place: str = ""
    id: int | None = None
    version: int = 0
    account_name: str = ""
    contact_name: str = ""
    member_name: str = ""
    account_class: str | None = None


#: Entertainment and trips are for established relationships at valuable accounts (§13).
HIGH_SPEND_KINDS = ("entertainment", "trip")


def validate_visit(visit: Visit, now: dt.datetime) -> list[str]:
    problems = []
    if visit.kind not in dict(VISIT_KINDS):
        problems.append(_("Unknown kind of visit."))
    if visit.status == "planned" and visit.starts_at < now:
        problems.append(_("A planned visit cannot start in the past; record it as done, or move it."))
    if visit.budget_cents < 0 or visit.budget_cents > MAX_VALUE_CENTS:
        problems.append(_("The budget must be zero or a believable amount."))
    if visit.headcount < 0 or visit.headcount > 500:
        problems.append(_("The headcount is a number of people from 0 to 500."))
    if visit.account_id is None:
        problems.append(_("Choose the account the visit is with."))
    return problems


_STAGES = (
    "stranger",
    "acquainted",
    "ordinary_friend",
    "good_friend",
    "ordinary_brother",
    "good_brother",
    "best_friend",
)


def high_spend_warning(
    visit: Visit, relationship_stage: str | None, rank: str | None = None, buying_role: str | None = None
) -> str:
    """Seed 000: entertainment is for the senior or key people of valuable accounts once the relationship is close;
    a trip goes one step further on both: the person at the top (owner level, or the one who decides) and a closer
    relationship. A warning, not a block: the salesperson may know better."""
    if visit.kind not in HIGH_SPEND_KINDS:
        return ""
    stage = _STAGES.index(relationship_stage) if relationship_stage in _STAGES else 0
    valuable = visit.account_class in ("A", "B")
    if visit.kind == "trip":
        top = rank == "owner" or buying_role == "decision_maker"
        if not (valuable and top and stage >= _STAGES.index("ordinary_brother")):
            return _(
                "A trip goes a step beyond entertainment: for the owner-level person or the decision maker of a "
                "class A or B account, once you are ordinary brothers (普通兄弟) or closer."
            )
        return ""
    senior = rank in ("owner", "manager") or buying_role == "decision_maker"
    if not (valuable and senior and stage >= _STAGES.index("good_friend")):
        return _(
            "Entertainment is for the senior or key people (manager rank or above, or the decision maker) of class A "
            "or B accounts, once the relationship is close: good friend (好朋友) or closer."
        )
    return ""


# Schedules --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GiftScheduleRow:
    date: dt.date
    account: str
    contact: str
    title: str
    item: str
    value_cents: int
    delivery: str
    owner: str
    occasion: str
    status: str
    address: str = ""
    # For the shipper (issue 22): who to ring, who approved, the notes (card text), where the item is bought.
    phone: str = ""
    approved_by: str = ""
    notes: str = ""
    supplier: str = ""
    gift_id: int | None = None
    quantity: int = 1  # a register entry is one gift to one person

    @property
    def reference(self) -> str:
        """The gift's reference on its label and in the schedule: G and its register number."""
        return f"G{self.gift_id:05d}" if self.gift_id is not None else ""


@dataclass
class GiftSchedule:
    title: str
    period: str
    group_by: str  # "account" or "owner"
    rows: list[GiftScheduleRow] = field(default_factory=list)
    currency: str = "CNY"
    printed_on: dt.date | None = None
    per_item_limit_cents: int = 0  # the team's limit per item: above it, a gift needs an approver (0: not known)

    @property
    def total_cents(self) -> int:
        return sum(r.value_cents for r in self.rows)


@dataclass(frozen=True)
class VisitScheduleRow:
    starts_at: dt.datetime
    kind: str
    account: str
    people_theirs: str
    people_ours: str
    owner: str
    purpose: str
    plan: str
    budget_cents: int
    outcome: str
    place: str = ""  # where: the restaurant, their site, the venue


@dataclass
class VisitSchedule:
    title: str
    period: str
    rows: list[VisitScheduleRow] = field(default_factory=list)
    currency: str = "CNY"
    printed_on: dt.date | None = None

    @property
    def total_cents(self) -> int:
        return sum(r.budget_cents for r in self.rows)


@dataclass(frozen=True)
class MailingLabel:
    name: str
    title: str
    company: str
    address: str
    phone: str
    postcode: str = ""  # six digits, "" when the address has none
    reference: str = ""  # the gift's reference (GiftScheduleRow.reference)
    item: str = ""
