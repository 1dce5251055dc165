"""Gifts, hospitality and visits (domain.md §12–13): catalogue, festival tiers, policy limits, irregular
everyday gifts, special gifts, the meal ordering guide, and the rows the printed schedules show."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kamdesk.domain.chinese_calendar import is_workday
from kamdesk.domain.gift_vocabulary import ItemTags, suggest_item_tags
from kamdesk.i18n import N_, _

#: Festivals the gift planner works for, with how wide the list is (§12).
GIFT_FESTIVALS = (("mid_autumn", N_("Mid-Autumn Festival")), ("spring_festival", N_("Spring Festival")))

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

#: Natural reasons for an everyday gift (§12): never a pattern, always a reason.
EVERYDAY_REASONS = (
    N_("passing by with a local speciality"),
    N_("thanks for help with the paperwork"),
    N_("a little something after the delivery"),
    N_("for the office tea break"),
    N_("brought back from a trip"),
    N_("the season's first fruit"),
)

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
    status: str = "done"  # planned or done
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


_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z0-9]{3,}")
#: Bigrams too common in gift names to say anything about a person's taste or taboos.
_COMMON = {"礼盒", "礼品", "套装", "一盒", "一份", "本地", "特产"}


def _keys(text: str) -> set[str]:
    """Two-character pieces of the Chinese in `text` and its Latin words: Chinese has no spaces, so
    "不收茅台" and "茅台酒" meet on "茅台"."""
    lowered = text.lower()
    keys = {run[i : i + 2] for run in _CJK_RUN.findall(lowered) for i in range(len(run) - 1)}
    keys |= {run for run in _CJK_RUN.findall(lowered) if len(run) == 1}
    return (keys - _COMMON) | set(_LATIN_WORD.findall(lowered))


def _mentions(text: str, name: str) -> bool:
    words = _keys(name)
    lowered = text.lower()
    return any(len(w) >= 2 and w in lowered for w in words)


def tabooed(item: str, taboos: str) -> bool:
    """True when the person's taboos mention the item (or two characters of its Chinese name)."""
    return bool(taboos.strip()) and (item.strip().lower() in taboos.lower() or _mentions(taboos, item))


def liked(item: CatalogueItem, preferences: str) -> bool:
    return bool(preferences.strip()) and _mentions(preferences, f"{item.item} {item.notes}")


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


@dataclass
class GiftProposal:
    recipient: Recipient
    tier: int
    item: CatalogueItem | None
    delivery: str
    reason: str = ""
    warning: str = ""  # e.g. every item at this tier is in their taboos
    date: dt.date | None = None

    @property
    def cost_cents(self) -> int:
        return self.item.unit_cost_cents if self.item else 0


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


def choose_item(
    items: Iterable[CatalogueItem], budget_cents: int, recipient: Recipient, kinds: tuple[str, ...] = ("holiday",)
) -> tuple[CatalogueItem | None, str]:
    """The best item within budget for the person: one they like first, else the dearest that fits;
    never one their taboos mention. Returns (item, warning)."""
    fitting = [i for i in items if i.active and i.kind in kinds and 0 < i.unit_cost_cents <= budget_cents]
    allowed = [i for i in fitting if not tabooed(i.item, recipient.taboos)]
    if not fitting:
        return None, _("No catalogue item fits this tier's budget.")
    if not allowed:
        return None, _("Every item that fits is among their taboos; choose by hand.")
    favourites = [i for i in allowed if liked(i, recipient.preferences)]
    pool = favourites or allowed
    best = max(pool, key=lambda i: (i.unit_cost_cents, -(i.id or 0)))
    skipped = [i.item for i in fitting if i not in allowed]
    warning = _("Not {items}: their taboos mention it.").format(items="、".join(skipped)) if skipped else ""
    return best, warning


def delivery_for(tier: int, recipient: Recipient, our_city: str = "") -> str:
    in_person = recipient.account_class in ("A", "B") and recipient.rank in ("owner", "manager")
    if our_city and recipient.city and recipient.city != our_city:
        in_person = in_person and recipient.account_class == "A"
    if tier >= 3:
        return "in_person_card" if in_person else "courier_card"
    return "in_person" if in_person else "courier"


def plan_festival(
    festival: str,
    recipients: Iterable[Recipient],
    items: list[CatalogueItem],
    tiers: dict[str, dict[str, int]],
    budgets: dict[int, int],
) -> list[GiftProposal]:
    """Who receives what for a festival, tier by account class × rank (people at unclassed accounts
    or without a rank are left out: nobody can say what they deserve)."""
    proposals = []
    for person in recipients:
        if person.account_class is None or person.rank is None:
            continue
        tier = tiers.get(person.account_class, {}).get(person.rank, 0)
        if tier <= 0:
            continue
        item, warning = choose_item(items, budgets.get(tier, 0), person)
        reason = _("liked: {item}").format(item=item.item) if item and liked(item, person.preferences) else ""
        proposals.append(GiftProposal(person, tier, item, delivery_for(tier, person), reason, warning))
    proposals.sort(key=lambda p: (p.recipient.account_name, -p.tier, p.recipient.name))
    return proposals


@dataclass(frozen=True)
class BudgetView:
    total_cents: int
    budget_cents: int

    @property
    def remaining_cents(self) -> int:
        return self.budget_cents - self.total_cents

    @property
    def over(self) -> bool:
        return self.total_cents > self.budget_cents


def budget_view(proposals: Iterable[GiftProposal], budget_cents: int) -> BudgetView:
    if budget_cents <= 0:
        raise GiftError(_("Set a budget above zero for this festival's gifts."))
    return BudgetView(sum(p.cost_cents for p in proposals), budget_cents)


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


def plan_everyday(
    recipients: Iterable[Recipient],
    items: list[CatalogueItem],
    start: dt.date,
    end: dt.date,
    per_year: int = 3,
    seed: int = 0,
) -> list[GiftProposal]:
    """Small gifts for ordinary staff at irregular times, each with a natural reason."""
    proposals = []
    months = max(1, round((end - start).days / 30.4))
    count = max(1, round(per_year * months / 12))
    for person in recipients:
        if person.rank not in ("staff", "clerk"):
            continue
        rng = random.Random(f"{seed}:{person.contact_id}")
        for date in everyday_dates(start, end, count, rng.randrange(1 << 30)):
            item, warning = choose_item(items, DEFAULT_TIER_BUDGETS[1], person, kinds=("everyday",))
            proposals.append(GiftProposal(person, 1, item, "in_person", _(rng.choice(EVERYDAY_REASONS)), warning, date))
    proposals.sort(key=lambda p: (p.date or dt.date.max, p.recipient.name))
    return proposals


def plan_special(recipients: Iterable[Recipient], items: list[CatalogueItem]) -> list[GiftProposal]:
    """Special gifts for senior or influential people, chosen from their recorded tastes (§12)."""
    proposals = []
    for person in recipients:
        senior = person.rank in ("owner", "manager") or person.buying_role in ("decision_maker", "advisor")
        if not senior or not person.preferences.strip():
            continue
        matches = [
            i
            for i in items
            if i.active and i.kind == "special" and liked(i, person.preferences) and not tabooed(i.item, person.taboos)
        ]
        if not matches:
            continue
        item = max(matches, key=lambda i: i.unit_cost_cents)
        proposals.append(
            GiftProposal(
                person,
                3,
                item,
                "in_person",
                _("matches their taste: {likes}").format(likes=person.preferences.strip()[:60]),
            )
        )
    return proposals


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


def high_spend_warning(visit: Visit, relationship_stage: str | None) -> str:
    if visit.kind not in HIGH_SPEND_KINDS:
        return ""
    established = relationship_stage in ("good_friend", "ordinary_brother", "good_brother", "best_friend")
    if visit.account_class not in ("A", "B") or not established:
        return _(
            "Entertainment and trips are for class A or B accounts where the relationship with the key "
            "person is already established (good friend or closer)."
        )
    return ""


@dataclass(frozen=True)
class MealGuide:
    dishes: int
    cold_starters: int
    spread: bool
    advice: str


def meal_guide(headcount: int, fine_restaurant: bool = False) -> MealGuide:
    """How many dishes to order (§13): two people about three (four somewhere fine); three or more,
    N+1; over five, spread across categories; at least two cold starters if any."""
    if headcount <= 0:
        return MealGuide(0, 0, False, _("Give the headcount to see the ordering guide."))
    if headcount <= 2:
        dishes = 4 if fine_restaurant else 3
        advice = _("For two: about {n} dishes, mixing cold, meat and vegetable.").format(n=dishes)
    else:
        dishes = headcount + 1
        advice = _("For {people}: {n} dishes (one more than the people at the table).").format(
            people=headcount, n=dishes
        )
    spread = headcount > 5
    if spread:
        advice += " " + _("Spread them across categories: cold dishes, meat, fish, vegetables, soup, staple.")
    cold = 2 if headcount >= 3 else 1
    advice += " " + _("At least {n} cold starters; keep the meal to its purpose and length.").format(n=cold)
    return MealGuide(dishes, cold, spread, advice)


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


@dataclass
class GiftSchedule:
    title: str
    period: str
    group_by: str  # "account" or "owner"
    rows: list[GiftScheduleRow] = field(default_factory=list)
    currency: str = "CNY"
    printed_on: dt.date | None = None

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
