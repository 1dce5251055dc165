"""The gift planners (domain.md §12; the practice in seed 000): festival, everyday and special gifts, each
chosen for the person within a price band, never against a taboo, with the reasons and warnings shown.

Fit comes before price: within a tier's band an item that matches what the person likes comes first,
then a speciality of their hometown or city (with its story), then one they did not get last time; a
gift they declined or returned is never proposed to them again. Festival gifts come only from items
for that festival. The team's limits mark what needs an approver; the budget is met by lowering or
leaving out the lowest-value people first, and the plan says whom.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kamdesk.domain import gift_vocabulary as vocab
from kamdesk.domain import places
from kamdesk.domain.chinese_calendar import is_workday
from kamdesk.domain.gifts import (
    CLASSES,
    DEFAULT_TIER_BUDGETS,
    NOT_ACCEPTED,
    RANKS,
    TIER_LABELS,
    CatalogueItem,
    GiftPolicy,
    PastGift,
    Recipient,
    check_policy,
    delivery_for,
    everyday_dates,
)
from kamdesk.domain.proposals import ProposalPlan, ProposalRecord
from kamdesk.i18n import N_, _

FESTIVAL_LABELS = {
    "mid_autumn": N_("Mid-Autumn Festival"),
    "spring_festival": N_("Spring Festival"),
    "dragon_boat": N_("Dragon Boat Festival"),
}
ANY_FESTIVAL = "any_festival"
#: At most this many in-person deliveries per salesperson and day before a festival.
IN_PERSON_PER_DAY = 4
#: Festivals whose gifts are graded by class and rank (seed 000: Spring Festival, a narrow list): a short budget
#: never flattens the grading. Mid-Autumn (and Dragon Boat) go to a broad list, so there the budget lowers tiers
#: before it leaves anyone out.
GRADED_FESTIVALS = frozenset({"spring_festival"})
SENIOR_ROLES = ("decision_maker", "advisor")
#: Seed 000: class C is prepared for dropping (准备淘汰), class D dropped (淘汰): no everyday or special gifts there.
DROPPING_CLASSES = ("C", "D")
#: Seed 004: a rational customer (理智型) is not to be won with gifts or flattery. They get the festival's customary
#: gift at the modest tier and no everyday or special gifts.
WEIGHED_RANK = N_("Tier of a {rank}: they decide or advise on the purchase.")
#: Seed 000 on special gifts: a natural reason ready beforehand that leaves them nothing to worry about; never
#: pressed on them.
SPECIAL_MANNER = N_(
    "Have a natural reason ready for giving it, so they feel no obligation; if they decline, do not press."
)
RATIONAL_MODEST = N_("Kept modest: a rational customer (理智型) is won by candour and promises kept, not by gifts.")


# What the planners read ---------------------------------------------------------------------------------
@dataclass
class GiftBook:
    """The catalogue, the team's limits and every person's past gifts: what a planner decides from."""

    items: list[CatalogueItem]
    policy: GiftPolicy = field(default_factory=GiftPolicy)
    history: dict[int, list[PastGift]] = field(default_factory=dict)  # contact id → gifts, oldest first
    modest_cents: int = DEFAULT_TIER_BUDGETS[1]  # the most a person who takes no valuable gifts is offered

    def year_total(self, contact_id: int, year: int) -> int:
        """What the person was given in `year`, in cents (declined and returned gifts do not count)."""
        return sum(
            g.value_cents
            for g in self.history.get(contact_id, ())
            if g.given_on.year == year and g.status not in NOT_ACCEPTED
        )

    def refused(self, contact_id: int) -> set[str]:
        """Items the person declined or returned: never proposed to them again."""
        return {_norm(g.item) for g in self.history.get(contact_id, ()) if g.status in NOT_ACCEPTED}

    def last_items(self, contact_id: int, kinds: Iterable[str]) -> dict[str, str]:
        """The item(s) of the person's latest gift of these kinds (one occasion's worth), by folded name."""
        wanted = set(kinds)
        past = [g for g in self.history.get(contact_id, ()) if g.kind in wanted and g.status not in NOT_ACCEPTED]
        if not past:
            return {}
        latest = max(g.given_on for g in past)
        return {_norm(g.item): g.item for g in past if g.given_on == latest}


def _norm(name: str) -> str:
    return "".join(name.split()).lower()


@dataclass(frozen=True)
class ItemView:
    """A catalogue item with the tags the planner judges it by."""

    item: CatalogueItem
    occasions: frozenset[str]
    traits: frozenset[str]  # category, attributes and the tastes it speaks to: what a like can match
    attributes: frozenset[str]  # category and attributes, plus whatever its name says: what a taboo reads
    guessed: bool  # no tags recorded: all of them come from the vocabulary's reading of the item

    @property
    def cost(self) -> int:
        return self.item.unit_cost_cents


def item_view(item: CatalogueItem) -> ItemView:
    tags = item.planning_tags()
    from_name = vocab.suggest_item_tags(item.item)
    guessed = not (item.occasions or item.category or item.attributes)
    return ItemView(
        item,
        frozenset(tags.occasions),
        tags.all_tags() | tags.suits,
        tags.all_tags() | from_name.all_tags(),  # a safety net: 茅台 named is alcohol, tagged or not
        guessed,
    )


#: A card that says the person accepts no valuable gifts (不收贵重礼品, "no expensive gifts").
_MODEST_ONLY = re.compile(
    r"(不收|不要|拒收|不接受|不送|忌送|不能收)[^，。,;；]{0,4}(贵重|昂贵|高档|贵的)|"
    r"(no|not accept|refuses?|declines?)\s+(any\s+)?(expensive|valuable|costly|luxury)\s+gifts?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PersonView:
    """A person with the tags the planner judges by (from their card's tags, else from its text)."""

    who: Recipient
    likes: frozenset[str]
    taboos: frozenset[str]
    modest_only: bool = False

    @property
    def rational(self) -> bool:
        """A rational customer (理智型, seed 004): won by candour, facts and promises kept, not by gifts."""
        return self.who.personality == "rational"

    @property
    def thin(self) -> bool:
        """Too little known to judge a gift: no likes, no taboos, no hometown."""
        return not self.likes and not self.taboos and not self.who.hometown.strip()


def _suggested(interests: str, preferences: str, taboos: str) -> tuple[frozenset[str], frozenset[str]]:
    """The vocabulary's reading of a card's three texts, field by field (cards repeat the same phrases, so
    each is read once), with a like their taboos forbid dropped as the vocabulary does."""
    parts = (_read_field(interests, 0), _read_field(preferences, 1), _read_field(taboos, 2))
    likes = frozenset().union(*(p[0] for p in parts))
    taboo_tags = frozenset().union(*(p[1] for p in parts))
    return likes - vocab.like_conflicts(likes, taboo_tags), taboo_tags


@functools.lru_cache(maxsize=8192)
def _read_field(text: str, position: int) -> tuple[frozenset[str], frozenset[str]]:
    fields = ["", "", ""]
    fields[position] = text
    return vocab.suggest_contact_tags(*fields)


def person_view(who: Recipient) -> PersonView:
    likes, taboos = who.like_tags, who.taboo_tags
    if not likes or not taboos:
        suggested_likes, suggested_taboos = _suggested(who.interests, who.preferences, who.taboos)
        likes = likes or suggested_likes
        taboos = taboos or suggested_taboos
    return PersonView(who, frozenset(likes), frozenset(taboos), bool(_MODEST_ONLY.search(who.taboos)))


def broken_taboos(item: ItemView, person: PersonView) -> frozenset[str]:
    return frozenset(vocab.breaks_taboo(item.attributes, person.taboos))


@functools.lru_cache(maxsize=4096)
def _places(text: str) -> tuple[frozenset[str], bool]:
    """(codes of the places the text names with those above them, whether it names only a province)."""
    codes = frozenset(places.index().codes_in(text)) if text.strip() else frozenset()
    return codes, bool(codes) and all(c.endswith("0000") for c in codes)


def same_place(origin: str, where: str) -> bool:
    """Whether an item from `origin` is a speciality of `where` (a hometown or city): the same city or
    county, or `origin` is the whole province `where` lies in (浙江 for 宁波; not 杭州 for 宁波)."""
    home, _only_province = _places(where)
    source, province_only = _places(origin)
    common = home & source
    if common:
        return province_only or any(not c.endswith("0000") for c in common)
    a, b = "".join(origin.split()), "".join(where.split())  # places the list does not know: by name
    return bool(a and b) and (a in b or b in a)


def speciality_of(item: ItemView, person: PersonView) -> str:
    """The person's hometown or city when the item comes from there ('' if not)."""
    origin = item.item.origin.strip()
    if not origin:
        return ""
    for where in (person.who.hometown, person.who.city):
        if where.strip() and same_place(origin, where):
            return where.strip()
    return ""


# Choosing one item ----------------------------------------------------------------------------------------
@dataclass
class Choice:
    item: ItemView | None
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    liked: frozenset[str] = frozenset()
    speciality: str = ""

    @property
    def cost(self) -> int:
        return self.item.cost if self.item else 0


def _tag_list(tags: Iterable[str]) -> str:
    return "、".join(vocab.tag_label(t) for t in sorted(tags))


def choose(
    person: PersonView,
    items: Sequence[ItemView],
    band: tuple[int, int],
    book: GiftBook,
    kinds: tuple[str, ...],
    used: Counter[str],
    avoid: Iterable[str] = (),
    occasion: str = "",
) -> Choice:
    """The best item for the person in the price band (low, high]: fit first (likes, hometown speciality,
    not last time), then variety across the plan; never one against a taboo or refused before. Below the
    band when nothing in it suits; never above it."""
    low, high = band
    modest = person.modest_only and high > book.modest_cents
    if modest:
        low, high = 0, book.modest_cents
    refused = book.refused(person.who.contact_id)
    last = book.last_items(person.who.contact_id, kinds) | {_norm(a): a for a in avoid}
    affordable = [i for i in items if 0 < i.cost <= high]
    against = {i.item.item: broken_taboos(i, person) for i in affordable}
    allowed = [i for i in affordable if not against[i.item.item] and _norm(i.item.item) not in refused]
    if not allowed:
        return _nothing(affordable, against, refused)
    in_band = [i for i in allowed if i.cost > low]
    target = (low + high) * 0.6

    def fit(i: ItemView) -> tuple[int, int, int, int, int, int, int, int, float, str]:
        return (
            len(i.traits & person.likes),
            1 if speciality_of(i, person) else 0,
            0 if unasked_habit(i, person) else 1,  # liquor or cigarettes only for someone known to like them
            1 if i.cost > low else 0,  # a liked item or a speciality below the band beats one merely in it
            1 if occasion and occasion in i.occasions else 0,  # the festival's own (mooncakes) before any-festival
            0 if _norm(i.item.item) in last else 1,
            1 if i.cost <= book.policy.per_item_cents else 0,
            -used[i.item.item],
            -abs(i.cost - target),
            i.item.item,
        )

    best = max(allowed, key=fit)
    choice = Choice(best, liked=best.traits & person.likes, speciality=speciality_of(best, person))
    if unasked_habit(best, person):
        choice.warnings.append(
            _("Nothing on their card says they drink or smoke: ask before giving {item}.").format(item=best.item.item)
        )
    elif best.cost <= low and any(i.cost > low and unasked_habit(i, person) for i in allowed):
        choice.reasons.append(_("Not liquor or cigarettes: nothing on their card says they drink or smoke."))
    elif not in_band:
        choice.reasons.append(_("Nothing suitable in this tier's price band, so a less costly item."))
    if modest:
        choice.reasons.append(_("Kept modest: their card says they take no valuable gifts."))
    _explain(choice, last, sorted(n for n, tags in against.items() if tags))
    return choice


#: Habits a gift may presume: an item with one of these attributes suits only someone known to share it.
_HABITS = {"alcohol": frozenset({"alcohol", "liquor", "wine", "beer"}), "tobacco": frozenset({"tobacco"})}


def unasked_habit(item: ItemView, person: PersonView) -> bool:
    """True when the item presumes a habit (drinking, smoking) that nothing on the person's card confirms."""
    return any(attribute in item.traits and not likes & person.likes for attribute, likes in _HABITS.items())


def _nothing(affordable: list[ItemView], against: dict[str, frozenset[str]], refused: set[str]) -> Choice:
    reasons = []
    if any(against.values()):
        tags = frozenset().union(*against.values())
        reasons.append(_("every item at this price is against their taboos ({tags})").format(tags=_tag_list(tags)))
    if any(_norm(i.item.item) in refused for i in affordable):
        reasons.append(_("they declined or returned the others before"))
    if not affordable:
        reasons.append(_("no item in the catalogue costs this little"))
    return Choice(None, warnings=[_("No item proposed: {why}. Choose by hand.").format(why="; ".join(reasons))])


def _explain(choice: Choice, last: dict[str, str], skipped: list[str]) -> None:
    """The reasons a chosen item carries: likes, hometown speciality with its story, last time, taboos."""
    assert choice.item is not None
    item = choice.item.item
    if choice.liked:
        choice.reasons.append(_("Matches what they like: {tags}.").format(tags=_tag_list(choice.liked)))
    if choice.speciality:
        story = item.notes.strip().rstrip("。.!！?？;；,，")
        choice.reasons.append(
            _("A speciality of {place}, where they are from or live: {story}.").format(
                place=choice.speciality, story=story
            )
            if story
            else _("A speciality of {place}, where they are from or live.").format(place=choice.speciality)
        )
    if _norm(item.item) in last:
        choice.warnings.append(_("The same as they got last time: nothing else suits."))
    elif last:
        choice.reasons.append(
            _("Not what they got last time ({items}).").format(items="、".join(sorted(last.values())))
        )
    if skipped:
        choice.reasons.append(
            _("Left out for their taboos: {items}.").format(
                items="、".join(skipped[:3]) + ("…" if len(skipped) > 3 else "")
            )
        )
    if choice.item.guessed:
        choice.warnings.append(_("{item} has no tags in the catalogue; judged from its name.").format(item=item.item))


# Who, and the limits ---------------------------------------------------------------------------------------
def value_order(who: Recipient) -> tuple[int, int, str]:
    """Lowest value first: class D before A, then clerk before owner."""
    cls = CLASSES.index(who.account_class) if who.account_class in CLASSES else len(CLASSES)
    rank = RANKS.index(who.rank) if who.rank in RANKS else len(RANKS)
    return (-cls, -rank, who.name)


def audience(people: Iterable[Recipient], policy: GiftPolicy, notes: list[str]) -> list[Recipient]:
    """Everyone the team's settings let the planners consider; the notes say who was left out and why."""
    kept, class_d, strangers, unranked = [], [], 0, []
    for who in people:
        if who.account_class == "D" and not policy.gifts_to_class_d:
            class_d.append(who)
        elif (who.relationship_stage or "stranger") == "stranger" and not policy.gifts_to_strangers:
            strangers += 1
        elif who.rank is None:
            unranked.append(who.name)
        else:
            kept.append(who)
    if class_d:
        notes.append(
            _("{count} people at class D accounts are left out (the team's setting).").format(count=len(class_d))
        )
    if strangers:
        notes.append(
            _("{count} people still at the stranger stage (陌生) are left out (the team's setting).").format(
                count=strangers
            )
        )
    if unranked:
        notes.append(
            _("{count} people have no rank on their card, so no tier: {names}.").format(
                count=len(unranked), names=_names(unranked)
            )
        )
    return kept


def _without_dropping(people: list[Recipient], notes: list[str]) -> list[Recipient]:
    """Everyday and special gifts are spend on the relationship; seed 000 prepares class C for dropping and drops
    D, so people there are left out (they keep the festival's greeting), and the notes say who."""
    dropping = [w.name for w in people if w.account_class in DROPPING_CLASSES]
    if dropping:
        notes.append(
            _(
                "{count} people at class C or D accounts (being dropped) are left out: spend goes where the "
                "business is: {names}."
            ).format(count=len(dropping), names=_names(dropping))
        )
    return [w for w in people if w.account_class not in DROPPING_CLASSES]


def _without_rational(people: list[Recipient], notes: list[str]) -> list[Recipient]:
    """Everyday and special gifts are for winning people over; a rational customer (理智型, seed 004) is not won that
    way, so they are left out, and the notes say who."""
    rational = [w.name for w in people if w.personality == "rational"]
    if rational:
        notes.append(
            _(
                "{count} rational customers (理智型) are left out: candour and promises kept win them, not gifts: "
                "{names}."
            ).format(count=len(rational), names=_names(rational))
        )
    return [w for w in people if w.personality != "rational"]


def _names(names: Sequence[str], most: int = 8) -> str:
    shown = "、".join(names[:most])
    return shown + (_(" and {count} more").format(count=len(names) - most) if len(names) > most else "")


def mark_limits(records: list[ProposalRecord], book: GiftBook) -> int:
    """Warn on every proposal over the per-item limit or taking the person over the limit for the year
    (counting the plan's earlier proposals for them); returns how many need an approver. Run again, it
    replaces the limit warnings it gave before."""
    running: Counter[tuple[int, int]] = Counter()
    count = 0
    clear_limits(records)
    for record in sorted(records, key=lambda r: (r.date or dt.date.min, r.contact)):
        if record.contact_id is None or not record.cost_cents:
            continue
        before_warnings = len(record.warnings)
        year = (record.date or dt.date.min).year
        before = book.year_total(record.contact_id, year) + running[(record.contact_id, year)]
        running[(record.contact_id, year)] += record.cost_cents
        check = check_policy(book.policy, record.cost_cents, before)
        if check.over_item:
            record.warnings.append(
                _("Over the limit per item ({limit}): needs an approver.").format(
                    limit=_money(book.policy.per_item_cents)
                )
            )
        if check.over_year:
            record.warnings.append(
                _("Takes their total for {year} to {total}, over the limit of {limit}: needs an approver.").format(
                    year=year, total=_money(check.year_total_cents), limit=_money(book.policy.per_person_year_cents)
                )
            )
        record.extra["needs_approval"] = check.needs_approval
        record.extra["limit_warnings"] = record.warnings[before_warnings:]
        count += check.needs_approval
    return count


def clear_limits(records: Iterable[ProposalRecord]) -> None:
    """Take back the limit warnings `mark_limits` gave (a row unticked is not given, so it is over nothing)."""
    for record in records:
        old = record.extra.pop("limit_warnings", [])
        record.warnings = [w for w in record.warnings if w not in old]
        record.extra["needs_approval"] = False


def change_item(record: ProposalRecord, item: CatalogueItem | None, who: Recipient | None) -> None:
    """A person picked another item for a proposal: its cost follows, and a taboo it breaks is a warning
    (a hand choice may still be confirmed; the planner itself never proposes one)."""
    old = record.extra.pop("taboo_warnings", [])
    record.warnings = [w for w in record.warnings if w not in old]
    record.item = item.item if item else ""
    record.cost_cents = item.unit_cost_cents if item else 0
    record.extra["item_id"] = item.id if item else None
    if item is None or who is None:
        return
    broken = broken_taboos(item_view(item), person_view(who))
    if broken:
        warning = _("Chosen by hand against their taboos: {tags}.").format(tags=_tag_list(broken))
        record.warnings.append(warning)
        record.extra["taboo_warnings"] = [warning]


def _money(cents: int) -> str:
    return f"¥{cents / 100:,.0f}" if cents % 100 == 0 else f"¥{cents / 100:,.2f}"


def _record(
    kind: str, person: PersonView, choice: Choice, date: dt.date | None, lead: str, **extra: object
) -> ProposalRecord:
    who = person.who
    reason = " ".join([lead, *choice.reasons]).strip()
    return ProposalRecord(
        kind=kind,
        contact_id=who.contact_id,
        contact=who.name,
        account=who.account_name,
        account_class=who.account_class,
        rank=who.rank,
        date=date,
        item=choice.item.item.item if choice.item else "",
        cost_cents=choice.cost,
        reason=reason,
        warnings=list(choice.warnings) + ([_thin_warning(who.name)] if person.thin else []),
        extra={
            "account_id": who.account_id,
            "member_id": who.member_id,
            "member": who.member_name,
            "item_id": choice.item.item.id if choice.item else None,
            "needs_approval": False,
            **extra,
        },
    )


def _thin_warning(name: str) -> str:
    return _("Little is known about {name}: no likes, taboos or hometown on the card. Check before confirming.").format(
        name=name
    )


# Festival gifts -----------------------------------------------------------------------------------------
def festival_items(items: Iterable[CatalogueItem], festival: str) -> list[ItemView]:
    """Active items for this festival (or any festival): no mooncakes at Spring Festival."""
    views = [item_view(i) for i in items if i.active]
    return [v for v in views if festival in v.occasions or ANY_FESTIVAL in v.occasions]


#: Festivals with a gift of their own that everyone gets (seed 000: 中秋节礼品主要是月饼): an item for any festival
#: goes to someone only when it matches what they like or comes from their hometown (针对其喜好送特别的节日礼品).
OWN_GIFT_FESTIVALS = frozenset({"mid_autumn"})


def for_person(items: Sequence[ItemView], person: PersonView, festival: str) -> Sequence[ItemView]:
    """The festival's items as one person may get them: at a festival with a gift of its own, its own items plus
    the any-festival items that fit the person (all of them when none of those is within their taboos: no
    mooncakes for a diabetic); elsewhere all of them."""
    if festival not in OWN_GIFT_FESTIVALS:
        return items
    fitting = [i for i in items if festival in i.occasions or (i.traits & person.likes) or speciality_of(i, person)]
    if not any(not broken_taboos(i, person) for i in fitting):
        return items
    # items against their taboos stay in: `choose` leaves them out and says so (茅台 for a non-drinker)
    return [i for i in items if i in fitting or broken_taboos(i, person)]


def tier_band(tier: int, budgets: dict[int, int]) -> tuple[int, int]:
    """(above, up to) in cents: a tier's price band starts where the tier below ends."""
    return (budgets.get(tier - 1, 0) if tier > 1 else 0, budgets.get(tier, 0))


@dataclass
class _Slot:
    person: PersonView
    tier: int
    choice: Choice


def plan_festival(
    festival: str,
    festival_date: dt.date,
    deliver_by: dt.date,
    people: Iterable[Recipient],
    book: GiftBook,
    tiers: dict[str, dict[str, int]],
    budgets: dict[int, int],
    budget_cents: int | None,
    per_day: int = IN_PERSON_PER_DAY,
    today: dt.date | None = None,
) -> ProposalPlan:
    """One proposal per person the tier gives a gift to; within `budget_cents` if given; in-person
    deliveries spread over the workdays before `deliver_by`, at most `per_day` per salesperson and day."""
    label = _(FESTIVAL_LABELS.get(festival, festival))
    notes: list[str] = []
    items = festival_items(book.items, festival)
    if not items:
        raise_no_items(book, label)
    slots: list[_Slot] = []
    used: Counter[str] = Counter()
    for who in sorted(audience(people, book.policy, notes), key=value_order, reverse=True):
        weighed = weighed_rank(who)
        tier = tiers.get(who.account_class or "", {}).get(weighed or "", 0)
        if tier <= 0:
            continue
        person = person_view(who)
        capped = person.rational and tier > 1
        tier = 1 if capped else tier
        choice = choose(
            person,
            for_person(items, person, festival),
            tier_band(tier, budgets),
            book,
            ("holiday",),
            used,
            occasion=festival,
        )
        if capped:
            choice.reasons.insert(0, _(RATIONAL_MODEST))
        if weighed != who.rank:
            choice.reasons.insert(0, _(WEIGHED_RANK).format(rank=rank_label(weighed)))
        if choice.item:
            used[choice.item.item.item] += 1
            if not choice.liked and not choice.speciality:
                choice.reasons.append(_("Nothing on their card points to one item: chosen for price and variety."))
        slots.append(_Slot(person, tier, choice))
    if budget_cents is not None:
        notes.extend(_fit_budget(slots, items, book, budgets, budget_cents, festival))
    dates = _spread_in_person(slots, deliver_by, festival_date, today or deliver_by, per_day)
    records = []
    for slot in slots:
        who = slot.person.who
        delivery = delivery_for(slot.tier, who)
        lead = _("{tier} gift for {festival}: class {cls}, {rank}.").format(
            tier=_(TIER_LABELS[slot.tier]), festival=label, cls=who.account_class, rank=rank_label(who.rank)
        )
        records.append(
            _record(
                "festival_gift",
                slot.person,
                slot.choice,
                dates.get(who.contact_id, deliver_by),
                lead,
                tier=slot.tier,
                delivery=delivery,
                gift_kind="holiday",
            )
        )
    records.sort(key=lambda r: (r.account, r.contact))
    approvals = mark_limits(records, book)
    plan = ProposalPlan("festival_gifts", records, budget_cents, notes)
    _closing_notes(plan, approvals, festival_date, label)
    return plan


def weighed_rank(who: Recipient) -> str | None:
    """The rank a festival tier is looked up by. Seed 000 weighs a person by their position and their role: an
    engineer, purchaser or assistant who decides or advises on the purchase counts one rank higher."""
    if who.buying_role in SENIOR_ROLES and who.rank in RANKS[2:]:
        return RANKS[RANKS.index(who.rank) - 1]
    return who.rank


def raise_no_items(book: GiftBook, label: str) -> None:
    from kamdesk.domain.gifts import GiftError

    if not any(i.active for i in book.items):
        raise GiftError(_("The gift catalogue is empty: add items (or import a catalogue) before planning gifts."))
    raise GiftError(
        _("No active catalogue item is for the {festival} (or for any festival): mark some items for it first.").format(
            festival=label
        )
    )


def rank_label(rank: str | None) -> str:
    from kamdesk.domain.enums import RankTier

    try:
        return str(RankTier(rank).label) if rank else ""
    except ValueError:
        return rank or ""


def _fit_budget(
    slots: list[_Slot], items: Sequence[ItemView], book: GiftBook, budgets: dict[int, int], budget: int, festival: str
) -> list[str]:
    """Lower tiers, else leave people out, lowest value first (class, then rank), until the plan fits. At a graded
    festival (Spring Festival, seed 000) the grading by class and rank is kept: nobody is lowered to the tier of a
    less valuable person whose tier was below theirs, nor below one whose tier was the same; the least valuable is
    left out instead, so a class-A owner is never cut to what a class-C owner still gets. Elsewhere the list stays
    broad: everyone is lowered before anyone is left out."""
    used: Counter[str] = Counter()
    total = sum(s.choice.cost for s in slots)
    if total <= budget:
        return []
    planned = {id(s): s.tier for s in slots}
    kept = sorted(slots, key=lambda s: value_order(s.person.who))
    no_cheaper: set[tuple[int, int]] = set()
    lowered: list[str] = []
    dropped: list[str] = []
    # Where the next search for someone to lower starts, with the floors of the people before that point (a change
    # at one person changes nothing for the less valuable people before them), and where it may stop.
    resume: tuple[int, dict[int, int]] = (0, {})
    stop: int | None = None
    while total > budget and kept:
        index, slot, cheaper, floors = _next_to_lower(
            kept, resume, stop, planned, no_cheaper, items, book, budgets, used, festival
        )
        if slot is not None and cheaper is not None and cheaper.item is not None:
            total += cheaper.cost - slot.choice.cost
            used[cheaper.item.item.item] += 1
            slot.tier -= 1
            cheaper.reasons.insert(0, _("Lowered to fit the budget."))
            slot.choice = cheaper
            if slot.person.who.name not in lowered:
                lowered.append(slot.person.who.name)
            resume, stop = (index, floors), None  # they may go lower still, and those after them too
            continue
        # Nobody can go lower: leave out the least valuable.
        gone = next((s for s in kept if s.choice.cost), None)
        if gone is None:
            break
        kept.remove(gone)
        total -= gone.choice.cost
        dropped.append(f"{gone.person.who.name} ({gone.person.who.account_class})")
        if gone.person.who.name in lowered:
            lowered.remove(gone.person.who.name)
        if festival in GRADED_FESTIVALS:
            resume, stop = (0, {}), _floor_kept_until(kept, planned, gone)
        else:
            resume, stop = (len(kept), {}), None  # no floors: leaving someone out makes nobody lowerable
    left = {id(s) for s in kept}
    slots[:] = [s for s in slots if id(s) in left]
    notes = []
    if lowered:
        notes.append(
            _("To fit the budget, {count} people get a lower tier (lowest value first): {names}.").format(
                count=len(lowered), names=_names(lowered)
            )
        )
    if dropped:
        notes.append(
            _("To fit the budget, {count} people are left out (lowest value first): {names}.").format(
                count=len(dropped), names=_names(dropped)
            )
        )
    return notes


def _floor_kept_until(kept: list[_Slot], planned: dict[int, int], gone: _Slot) -> int | None:
    """After `gone` (the least valuable) is left out, the floors change for nobody after the first person who gives
    the same floor (same planned tier, a tier as high): the search can stop there (None: it must go to the end)."""
    for index, slot in enumerate(kept):
        if slot.choice.item is not None and planned[id(slot)] == planned[id(gone)] and slot.tier >= gone.tier:
            return index + 1
    return None


def _above_floors(target: int, planned_tier: int, highest: dict[int, int], graded: bool) -> bool:
    """Whether `target` keeps the grading against the less valuable people (`highest`: planned tier -> the highest
    tier now given): above those planned lower, not below those planned the same."""
    if not graded:
        return True
    below = max((t for p, t in highest.items() if p < planned_tier), default=0)
    return target > below and target >= highest.get(planned_tier, 0)


def _next_to_lower(
    kept: list[_Slot],
    resume: tuple[int, dict[int, int]],
    stop: int | None,
    planned: dict[int, int],
    no_cheaper: set[tuple[int, int]],
    items: Sequence[ItemView],
    book: GiftBook,
    budgets: dict[int, int],
    used: Counter[str],
    festival: str,
) -> tuple[int, _Slot | None, Choice | None, dict[int, int]]:
    """The least valuable person (of `kept`, lowest value first, from `resume`'s position with the floors before it,
    up to `stop`) who can go one tier down: (their position, them, the cheaper choice, the floors before them); (len, None, None,
    {}) when nobody can. At a graded festival nobody goes down to the tier of someone less valuable whose planned tier
    was lower, or below one whose planned tier was the same."""
    graded = festival in GRADED_FESTIVALS
    start, before = resume
    highest = dict(before)  # planned tier -> the highest tier now given to someone less valuable
    for index in range(start, len(kept) if stop is None else min(stop, len(kept))):
        slot = kept[index]
        mine = planned[id(slot)]
        target = slot.tier - 1
        if target >= 1 and (id(slot), slot.tier) not in no_cheaper and _above_floors(target, mine, highest, graded):
            cheaper = choose(
                slot.person,
                for_person(items, slot.person, festival),
                tier_band(target, budgets),
                book,
                ("holiday",),
                used,
                occasion=festival,
            )
            if cheaper.item is not None and cheaper.cost < slot.choice.cost:
                return index, slot, cheaper, dict(highest)
            no_cheaper.add((id(slot), slot.tier))
        if slot.choice.item is not None:  # someone with no item gets nothing, so sets no floor
            highest[mine] = max(highest.get(mine, 0), slot.tier)
    return len(kept), None, None, {}


def _spread_in_person(
    slots: list[_Slot], deliver_by: dt.date, festival_date: dt.date, today: dt.date, per_day: int
) -> dict[int, dt.date]:
    """In-person deliveries spread over the workdays up to the delivery date (then those left before the
    festival), never before today, at most `per_day` per salesperson and day; couriers go on the delivery date."""
    by_member: dict[int | None, list[_Slot]] = {}
    for slot in slots:
        if delivery_for(slot.tier, slot.person.who).startswith("in_person"):
            by_member.setdefault(slot.person.who.member_id, []).append(slot)
    back = [deliver_by - dt.timedelta(days=k) for k in range(21)]
    ahead = [deliver_by + dt.timedelta(days=k) for k in range(1, (festival_date - deliver_by).days)]
    pool = [d for d in back + ahead if d >= today and is_workday(d)] or [max(deliver_by, today)]
    dates: dict[int, dt.date] = {}
    for group in by_member.values():
        days = pool[: max(-(-len(group) // max(per_day, 1)), min(len(group), 5))]
        # the most valuable people nearest the delivery date
        for index, slot in enumerate(sorted(group, key=lambda s: value_order(s.person.who), reverse=True)):
            dates[slot.person.who.contact_id] = days[index % len(days)]
    return dates


def _closing_notes(plan: ProposalPlan, approvals: int, festival_date: dt.date | None, label: str) -> None:
    if festival_date is not None:
        plan.notes.insert(0, _("{festival} falls on {date}.").format(festival=label, date=festival_date.isoformat()))
    if approvals:
        plan.notes.append(
            _("{count} proposals are over the team's limits and need an approver to be confirmed.").format(
                count=approvals
            )
        )
    empty = [p for p in plan.proposals if not p.item]
    if empty:
        plan.notes.append(_("{count} people have no suitable item (see their warnings).").format(count=len(empty)))
    plan.notes.append(budget_summary(plan.proposals, plan.budget_cents))


def budget_summary(proposals: Sequence[ProposalRecord], budget_cents: int | None) -> str:
    """The total against the budget, and when over: by how much and where the money goes."""
    total = sum(p.cost_cents for p in proposals)
    gifts = sum(1 for p in proposals if p.cost_cents)
    if budget_cents is None:
        return _("{count} gifts, {total} in all (no budget given).").format(count=gifts, total=_money(total))
    if total <= budget_cents:
        return _("{count} gifts, {total} of a budget of {budget}: {left} left.").format(
            count=gifts, total=_money(total), budget=_money(budget_cents), left=_money(budget_cents - total)
        )
    by_class: Counter[str] = Counter()
    for p in proposals:
        by_class[p.account_class or "?"] += p.cost_cents
    biggest = ", ".join(
        _("class {cls} {amount}").format(cls=cls, amount=_money(amount)) for cls, amount in by_class.most_common(3)
    )
    return _("{count} gifts, {total}: {over} over the budget of {budget}. The money goes to {biggest}.").format(
        count=gifts,
        total=_money(total),
        over=_money(total - budget_cents),
        budget=_money(budget_cents),
        biggest=biggest,
    )


# Everyday gifts ----------------------------------------------------------------------------------------------
#: Summer fruits and the months they are in season (a fruit reason or item off season sounds false).
FRUIT_SEASONS: tuple[tuple[tuple[str, ...], frozenset[int]], ...] = (
    (("荔枝", "lychee"), frozenset({5, 6, 7})),
    (("杨梅", "bayberry"), frozenset({6, 7})),
    (("西瓜", "watermelon"), frozenset({6, 7, 8})),
    (("樱桃", "车厘子", "cherry", "cherries"), frozenset({5, 6})),
    (("水蜜桃", "桃", "peach"), frozenset({6, 7, 8})),
    (("芒果", "mango"), frozenset({5, 6, 7, 8})),
    (("葡萄", "grape"), frozenset({7, 8, 9})),
    (("哈密瓜", "hami melon"), frozenset({7, 8, 9})),
    (("梨", "pear"), frozenset({8, 9, 10, 11})),
    (("苹果", "apple"), frozenset({9, 10, 11, 12})),
    (("猕猴桃", "kiwi"), frozenset({9, 10, 11})),
    (("柑", "橘", "橙", "orange", "mandarin"), frozenset({11, 12, 1, 2})),
    (("草莓", "strawberr"), frozenset({12, 1, 2, 3, 4})),
)


def in_season(item: ItemView, day: dt.date) -> bool:
    """False for a fruit whose season `day` is not in (generic 'seasonal fruit' is always in season)."""
    name = item.item.item.lower()
    for words, months in FRUIT_SEASONS:
        if any(w in name for w in words):
            return day.month in months
    return True


def season(day: dt.date) -> str:
    return {12: "winter", 1: "winter", 2: "winter", 6: "summer", 7: "summer", 8: "summer"}.get(day.month, "mild")


@dataclass(frozen=True)
class EverydayReason:
    text: str  # N_() marked; may use {item} and {place}
    categories: frozenset[str] = frozenset()  # empty: any item
    seasons: frozenset[str] = frozenset()  # empty: any time
    needs_origin: bool = False
    needs: frozenset[str] = frozenset()  # attributes the item must have as well (fresh fruit is perishable)


FRUIT = frozenset({"fruit"})
FRESH = frozenset({"perishable"})
DRINK = frozenset({"tea", "coffee"})
SNACK = frozenset({"snack", "sweets", "pastry", "dried_fruit", "nuts", "food", "fruit"})
EVERYDAY_REASONS = (
    EverydayReason(N_("Thanks for their help with the paperwork: {item}.")),
    EverydayReason(N_("A small thank-you after the last delivery went through: {item}.")),
    EverydayReason(N_("Something for their office to share: {item}.")),
    EverydayReason(N_("Brought along on a visit, nothing more to it: {item}.")),
    EverydayReason(N_("A speciality from {place}, brought back to share: {item}."), needs_origin=True),
    EverydayReason(N_("For the office tea break: {item}."), SNACK | DRINK),
    EverydayReason(N_("Fresh fruit of the season: {item}."), FRUIT, needs=FRESH),
    EverydayReason(N_("Something cool for the summer heat: {item}."), FRUIT, frozenset({"summer"}), needs=FRESH),
    EverydayReason(N_("Something warm for the cold days: {item}."), DRINK, frozenset({"winter"})),
    EverydayReason(N_("A tea to try in the office: {item}."), frozenset({"tea"})),
)


def reason_fits(reason: EverydayReason, item: ItemView, day: dt.date) -> bool:
    if reason.needs_origin and not item.item.origin.strip():
        return False
    if reason.categories and not (item.traits & reason.categories):
        return False
    if not reason.needs <= item.attributes:
        return False
    return not reason.seasons or season(day) in reason.seasons


def plan_everyday(
    people: Iterable[Recipient],
    book: GiftBook,
    start: dt.date,
    end: dt.date,
    band_top: int,
    per_year: int = 3,
    seed: int = 0,
) -> ProposalPlan:
    """Small gifts for ordinary staff of class A and B accounts at irregular workdays, varied in item and reason,
    each reason fitting the item and the season."""
    notes: list[str] = []
    items = [v for v in (item_view(i) for i in book.items if i.active) if "everyday" in v.occasions]
    if not items:
        if not any(i.active for i in book.items):
            raise_no_items(book, _("everyday gifts"))
        from kamdesk.domain.gifts import GiftError

        raise GiftError(_("No active catalogue item is marked as an everyday gift: mark some first."))
    months = max(1, round((end - start).days / 30.4))
    count = max(1, round(per_year * months / 12))
    used_items: Counter[str] = Counter()
    used_reasons: Counter[str] = Counter()
    records = []
    staff = [w for w in audience(people, book.policy, notes) if w.rank in ("staff", "clerk")]
    staff = _without_rational(_without_dropping(staff, notes), notes)
    for who in staff:
        person = person_view(who)
        rng = random.Random(f"{seed}:{who.contact_id}")
        previous_item, previous_reason = "", ""
        for day in everyday_dates(start, end, count, rng.randrange(1 << 30)):
            seasonal = [i for i in items if in_season(i, day)]
            avoid = {_norm(previous_item)} if previous_item else set()
            choice = choose(person, seasonal, (0, band_top), book, ("everyday",), used_items, avoid)
            if choice.item is None:
                records.append(_record("everyday_gift", person, choice, day, "", gift_kind="everyday"))
                continue
            used_items[choice.item.item.item] += 1
            fitting = [r for r in EVERYDAY_REASONS if reason_fits(r, choice.item, day) and r.text != previous_reason]
            reason = min(fitting, key=lambda r: (used_reasons[r.text], rng.random()))
            used_reasons[reason.text] += 1
            lead = _(reason.text).format(item=choice.item.item.item, place=choice.item.item.origin.strip())
            records.append(
                _record("everyday_gift", person, choice, day, lead, gift_kind="everyday", delivery="in_person")
            )
            previous_item, previous_reason = choice.item.item.item, reason.text
    records.sort(key=lambda r: (r.date or dt.date.max, r.contact))
    approvals = mark_limits(records, book)
    plan = ProposalPlan("everyday_gifts", records, None, notes)
    if not staff:
        plan.notes.append(_("Nobody at staff or clerk rank is in reach of everyday gifts."))
    _closing_notes(plan, approvals, None, "")
    return plan


# Special gifts -------------------------------------------------------------------------------------------------
def plan_special(people: Iterable[Recipient], book: GiftBook, day: dt.date) -> ProposalPlan:
    """Special gifts for senior or influential people at class A and B accounts, only where an item matches a
    recorded like (by its tags, not by words in a note) or is a speciality of their hometown or city."""
    notes: list[str] = []
    items = [v for v in (item_view(i) for i in book.items if i.active) if "special" in v.occasions]
    if not items:
        if not any(i.active for i in book.items):
            raise_no_items(book, _("special gifts"))
        from kamdesk.domain.gifts import GiftError

        raise GiftError(_("No active catalogue item is marked as a special gift: mark some first."))
    records, unmatched = [], []
    used: Counter[str] = Counter()
    top = max(i.cost for i in items)
    seniors = [
        w
        for w in audience(people, book.policy, notes)
        if w.rank in ("owner", "manager") or w.buying_role in SENIOR_ROLES
    ]
    for who in sorted(_without_rational(_without_dropping(seniors, notes), notes), key=value_order, reverse=True):
        person = person_view(who)
        fitting = [i for i in items if (i.traits & person.likes) or speciality_of(i, person)]
        choice = choose(person, fitting, (0, top), book, ("special",), used) if fitting else None
        if choice is None or choice.item is None:
            unmatched.append(who.name)
            continue
        used[choice.item.item.item] += 1
        lead = _("Special gift for {name} ({rank}, class {cls}), chosen for the person rather than the price.").format(
            name=who.name, rank=rank_label(who.rank), cls=who.account_class
        )
        record = _record("special_gift", person, choice, day, lead, gift_kind="special", delivery="in_person")
        record.reason += " " + _(SPECIAL_MANNER)
        records.append(record)
    if unmatched:
        notes.append(
            _(
                "{count} senior people have no recorded like or hometown that a special item matches, so no "
                "proposal: {names}."
            ).format(count=len(unmatched), names=_names(unmatched))
        )
    approvals = mark_limits(records, book)
    plan = ProposalPlan("special_gifts", records, None, notes)
    _closing_notes(plan, approvals, None, "")
    return plan
