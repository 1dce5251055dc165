"""The one strategy engine (domain.md §2, seeds 000, 003, 004): the pyramid tier and the strategy group of an
account, each with the facts that led to it, so a manager can see which fact to disagree with.

How the practice is reconciled:
- The pyramid (seed 003) is defined here once: *prospect* = not paying yet (or never valued); *key* = a paying
  account in the top share of accounts by value (10 % by default), or of class A when the team chooses so,
  unless its customer type or its attractiveness rules it out; *ordinary* = every other paying account.
- The groups: *key* (the key tier); *maintain* (class B, seed 000's 重点维护, and top accounts that cannot be key);
  *worth pursuing* (low attractiveness but a potential that would reach class B, seed 003); *prospect* (win a
  first order); *ordinary* (a class-A account just below the key tier, or a C/D account whose potential would
  reach class B: differentiate and grow); *reduce* (class C, prepared for dropping, and D, dropped, in seed
  000: keep the service, cut time and spend).
- The customer type (seeds 002/004) is a guardrail: 吝啬型 (stingy) is never key and gets an effort cap,
  刁蛮型 (difficult) needs written confirmation before we commit, 贪婪型 (demanding) keeps everything on record
  and within policy — kamdesk never supports kickbacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kamdesk.domain.enums import (
    AccountClass,
    Attractiveness,
    LabelledEnum,
    PersonalityType,
    RelationshipState,
    SalesStage,
)
from kamdesk.domain.models import AccountDetail
from kamdesk.domain.settings import TeamSettings
from kamdesk.i18n import N_, _

#: Sales stages before an account pays: prospects on the pyramid whatever their class.
PROSPECT_STAGES = frozenset({SalesStage.POTENTIAL, SalesStage.TRIAL, SalesStage.INTENT})
#: Relationship states that say the relationship is shrinking or under attack.
PRESSED_STATES = frozenset({RelationshipState.DECLINING, RelationshipState.DEFENDING})
#: How the pyramid's key tier is chosen (a team setting): the top share by value, or class A.
KEY_BASES = ("top_share", "class_a")

TIERS: tuple[str, ...] = ("key", "ordinary", "prospect")


class StrategyGroup(LabelledEnum):
    KEY = "key"
    MAINTAIN = "maintain"
    PURSUE = "pursue"
    PROSPECT = "prospect"
    ORDINARY = "ordinary"
    REDUCE = "reduce"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "key": N_("Key account"),
            "maintain": N_("Maintain"),
            "pursue": N_("Worth pursuing"),
            "prospect": N_("Prospect — win a first order"),
            "ordinary": N_("Ordinary — differentiate and grow"),
            "reduce": N_("Reduce — keep the service, cut time and spend"),
        }


_ADVICE: dict[StrategyGroup, str] = {
    StrategyGroup.KEY: N_(
        "Build ties with their whole senior team, not only the buyer, and work toward a partnership or an "
        "alliance. Put the team's strongest people on it."
    ),
    StrategyGroup.MAINTAIN: N_(
        "Keep the business you have: reliable delivery, regular contact at the agreed rhythm, problems solved "
        "fast. Invest in depth only where it protects the volume."
    ),
    StrategyGroup.PURSUE: N_(
        "Not attractive today, but the potential is large: learn what would make the business worth having "
        "and turn them into a real prospect, with a limited, deliberate effort."
    ),
    StrategyGroup.PROSPECT: N_(
        "Go for a first order: a small, safe piece of business that proves us. Then secure the position and "
        "move them on to a regular customer."
    ),
    StrategyGroup.ORDINARY: N_(
        "Do what we already do for them well, stand out from the other suppliers, reach the people who really "
        "decide and add value, so that the account can grow into a key account."
    ),
    StrategyGroup.REDUCE: N_(
        "Keep serving them correctly and politely, but cut the time, visits, gifts and hospitality to what "
        "the business pays for. Do not chase volume here."
    ),
}


class Guardrail(StrEnum):
    NOT_KEY = "not_key"  # 吝啬型: never a key-account candidate
    EFFORT_CAP = "effort_cap"  # 吝啬型: logged time capped per quarter
    WRITTEN_CONFIRMATION = "written_confirmation"  # 刁蛮型
    ON_RECORD = "on_record"  # 贪婪型


_GUARDRAIL_TEXTS: dict[Guardrail, str] = {
    Guardrail.NOT_KEY: N_("Stingy customer: never a key-account candidate, whatever the class."),
    Guardrail.EFFORT_CAP: N_(
        "Stingy customer: keep the time spent to at most {hours} hours a quarter, and compete only where we are strong."
    ),
    Guardrail.WRITTEN_CONFIRMATION: N_(
        "Difficult customer: before any action step that commits us (price, scope, deadline, work started), "
        "get their written, signed confirmation. Make no loose promises on dates."
    ),
    Guardrail.ON_RECORD: N_(
        "Demanding customer: every gift, meal and favour goes on record and stays within the team's policy. "
        "Never kickbacks; firm limits on price and terms."
    ),
}


@dataclass(frozen=True)
class Reason:
    """One fact behind a suggestion. `fact` names it (class, attractiveness, potential, relationship, customer_type,
    sales_stage, pyramid, effort); `value` is its raw value; `decisive` marks the facts that chose the group."""

    fact: str
    value: str
    text: str
    decisive: bool = False

    def as_record(self) -> dict[str, Any]:
        return {"fact": self.fact, "value": self.value, "text": self.text, "decisive": self.decisive}


@dataclass(frozen=True)
class AccountFacts:
    """What the engine looks at. `rank` counts from 1 among the `ranked` accounts that have a value;
    `class_b_floor_cents` is the value of the last class-B account today; `logged_minutes_quarter` the contact time
    logged in the last 90 days (for the stingy effort cap)."""

    computed_class: AccountClass | None = None
    pinned_class: AccountClass | None = None
    pin_reason: str = ""
    value_cents: int | None = None
    rank: int | None = None
    ranked: int = 0
    attractiveness: Attractiveness | None = None
    potential_cents: int | None = None
    class_b_floor_cents: int | None = None
    relationship_state: RelationshipState | None = None
    personality: PersonalityType | None = None
    sales_stage: SalesStage | None = None
    logged_minutes_quarter: int = 0

    @property
    def account_class(self) -> AccountClass | None:
        return self.pinned_class or self.computed_class

    @property
    def potential_high(self) -> bool:
        """Potential counts as high when it would rank at least as well as the last class-B account does today."""
        return (
            self.potential_cents is not None
            and self.class_b_floor_cents is not None
            and self.potential_cents >= self.class_b_floor_cents
        )

    @property
    def paying(self) -> bool:
        return self.account_class is not None and self.sales_stage not in PROSPECT_STAGES


@dataclass(frozen=True)
class PyramidRule:
    """The team's definition of the key tier: `basis` "top_share" (the top `key_share` percent of accounts by
    value) or "class_a"; `effort_cap_hours` is the stingy customer's cap per quarter."""

    basis: str = "top_share"
    key_share: int = 10
    effort_cap_hours: int = 6

    @classmethod
    def of(cls, settings: TeamSettings) -> PyramidRule:
        return cls(settings.pyramid_key_basis, settings.pyramid_key_share, settings.stingy_cap_hours)


@dataclass(frozen=True)
class StrategyAdvice:
    group: StrategyGroup
    tier: str  # the pyramid tier: key / ordinary / prospect
    reasons: tuple[Reason, ...]
    guardrails: tuple[Guardrail, ...] = ()
    effort_cap_hours: int = 0
    over_effort_cap: bool = False
    extra: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        return self.group.label

    @property
    def advice(self) -> str:
        return " ".join([_(_ADVICE[self.group]), *self.extra])

    def guardrail_texts(self) -> list[str]:
        return [_(_GUARDRAIL_TEXTS[g]).format(hours=self.effort_cap_hours) for g in self.guardrails]

    def as_record(self) -> dict[str, Any]:
        return {
            "group": self.group.value,
            "title": self.title,
            "pyramid_tier": self.tier,
            "advice": self.advice,
            "reasons": [r.as_record() for r in self.reasons],
            "guardrails": [
                {"code": g.value, "text": t} for g, t in zip(self.guardrails, self.guardrail_texts(), strict=True)
            ],
            "effort_cap_hours": self.effort_cap_hours if Guardrail.EFFORT_CAP in self.guardrails else None,
            "over_effort_cap": self.over_effort_cap,
        }


# The pyramid, defined once ----------------------------------------------------------------------------------------
def in_top_share(rank: int | None, ranked: int, share_pct: int) -> bool:
    """True when an account at `rank` (1-based, ties share the best rank) lies in the top `share_pct` percent of
    the `ranked` accounts. At least one account is always in the top (the largest), as in the classing."""
    if rank is None or ranked <= 0:
        return False
    return (rank - 1) * 100 < share_pct * ranked


def by_value(facts: AccountFacts, rule: PyramidRule) -> bool:
    """Whether the account's value puts it in the key tier. A class a manager pinned by hand stands for the value:
    pinned A is in the key range, pinned B–D is not, whatever the ranking says."""
    if rule.basis == "class_a" or facts.pinned_class is not None:
        return facts.account_class is AccountClass.A
    return in_top_share(facts.rank, facts.ranked, rule.key_share)


def key_blocker(facts: AccountFacts) -> str:
    """Why a paying account in the key range cannot be key ("" when nothing stops it)."""
    if facts.personality is PersonalityType.STINGY:
        return "stingy"
    if facts.attractiveness is Attractiveness.LOW:
        return "unattractive"
    return ""


def pyramid_tier(facts: AccountFacts, rule: PyramidRule) -> str:
    """key / ordinary / prospect — the one definition the dashboard and the strategy share."""
    if not facts.paying:
        return "prospect"
    if by_value(facts, rule) and not key_blocker(facts):
        return "key"
    return "ordinary"


# The strategy ----------------------------------------------------------------------------------------------------
def strategy(facts: AccountFacts, rule: PyramidRule | None = None) -> StrategyAdvice:
    """The strategy group of an account with every fact that led to it, and the customer type's guardrails."""
    rule = rule or PyramidRule()
    tier = pyramid_tier(facts, rule)
    group, decisive = _group(facts, rule, tier)
    reasons = tuple(
        _with_decisive(r, decisive)
        for r in (
            _class_reason(facts),
            _pyramid_reason(facts, rule, tier),
            _attractiveness_reason(facts),
            _potential_reason(facts),
            _relationship_reason(facts),
            _type_reason(facts),
            _stage_reason(facts),
        )
    )
    guardrails = _guardrails(facts.personality)
    cap_minutes = rule.effort_cap_hours * 60
    over_cap = Guardrail.EFFORT_CAP in guardrails and facts.logged_minutes_quarter > cap_minutes
    extra: list[str] = []
    if facts.relationship_state in PRESSED_STATES and group in (
        StrategyGroup.KEY,
        StrategyGroup.MAINTAIN,
        StrategyGroup.ORDINARY,
    ):
        extra.append(_("The relationship is under pressure: find out why and repair it before asking for more."))
    if over_cap:
        extra.append(
            _("{hours} hours were logged in the last 90 days, above the cap of {cap}: cut back.").format(
                hours=_hours(facts.logged_minutes_quarter), cap=rule.effort_cap_hours
            )
        )
    effort = (
        Reason(
            "effort",
            str(facts.logged_minutes_quarter),
            _("Time logged in the last 90 days: {hours} hours (cap {cap}).").format(
                hours=_hours(facts.logged_minutes_quarter), cap=rule.effort_cap_hours
            ),
            over_cap,
        )
        if Guardrail.EFFORT_CAP in guardrails
        else None
    )
    return StrategyAdvice(
        group,
        tier,
        tuple(r for r in (*reasons, effort) if r is not None),
        guardrails,
        rule.effort_cap_hours,
        over_cap,
        tuple(extra),
    )


def group_of(facts: AccountFacts, rule: PyramidRule | None = None) -> StrategyGroup:
    """Only the group (what the dashboard counts), without the reasons' texts."""
    rule = rule or PyramidRule()
    return _group(facts, rule, pyramid_tier(facts, rule))[0]


def _group(facts: AccountFacts, rule: PyramidRule, tier: str) -> tuple[StrategyGroup, frozenset[str]]:
    """The group and the facts that decided it."""
    cls = facts.account_class
    stingy = facts.personality is PersonalityType.STINGY
    low = facts.attractiveness is Attractiveness.LOW
    if tier == "prospect":
        if low and facts.potential_high and not stingy:
            return StrategyGroup.PURSUE, frozenset({"attractiveness", "potential", "sales_stage", "class"})
        return StrategyGroup.PROSPECT, frozenset({"sales_stage", "class"})
    if tier == "key":
        return StrategyGroup.KEY, frozenset({"pyramid", "class"})
    if by_value(facts, rule):  # top value, but its type or attractiveness keeps it out of the key tier
        return StrategyGroup.MAINTAIN, frozenset({"pyramid", "customer_type" if stingy else "attractiveness"})
    if cls is AccountClass.A:
        if low or stingy:
            return StrategyGroup.MAINTAIN, frozenset({"class", "customer_type" if stingy else "attractiveness"})
        return StrategyGroup.ORDINARY, frozenset({"class", "pyramid"})
    if cls is AccountClass.B:
        return StrategyGroup.MAINTAIN, frozenset({"class"})
    # Class C (prepared for dropping) or D (dropped): reduce, unless the potential argues for growth.
    if stingy:
        return StrategyGroup.REDUCE, frozenset({"class", "customer_type"})
    if facts.relationship_state in PRESSED_STATES:
        return StrategyGroup.REDUCE, frozenset({"class", "relationship"})
    if facts.potential_high:
        if low:
            return StrategyGroup.PURSUE, frozenset({"attractiveness", "potential"})
        return StrategyGroup.ORDINARY, frozenset({"potential", "class"})
    return StrategyGroup.REDUCE, frozenset({"class", "potential"})


def _with_decisive(reason: Reason, decisive: frozenset[str]) -> Reason:
    return Reason(reason.fact, reason.value, reason.text, reason.fact in decisive)


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".rstrip("0").rstrip(".")


def _money(cents: int | None) -> str:
    if cents is None:
        return "—"
    return f"{cents / 100:,.0f}"


_CLASS_MEANING = {
    AccountClass.A: N_("class A is developed (重点发展)"),
    AccountClass.B: N_("class B is maintained (重点维护)"),
    AccountClass.C: N_("class C is prepared for dropping (准备淘汰)"),
    AccountClass.D: N_("class D is dropped (淘汰)"),
}


def _class_reason(facts: AccountFacts) -> Reason:
    cls = facts.account_class
    if cls is None:
        return Reason("class", "", _("No class: no value recorded yet, so the account is not ranked."))
    if facts.rank is not None:
        text = _("Class {cls}, rank {rank} of {ranked} by value ({value}); {meaning}.").format(
            cls=cls.value,
            rank=facts.rank,
            ranked=facts.ranked,
            value=_money(facts.value_cents),
            meaning=_(_CLASS_MEANING[cls]),
        )
    else:
        text = _("Class {cls}; {meaning}.").format(cls=cls.value, meaning=_(_CLASS_MEANING[cls]))
    if facts.pinned_class is not None:
        computed = facts.computed_class.value if facts.computed_class else "—"
        text += " " + _("Pinned by hand (computed: {computed}): {reason}").format(
            computed=computed, reason=facts.pin_reason or "?"
        )
    return Reason("class", cls.value, text)


def _pyramid_reason(facts: AccountFacts, rule: PyramidRule, tier: str) -> Reason:
    if tier == "prospect":
        text = _("On the pyramid: a prospect (not paying yet).")
    elif tier == "key":
        text = (
            _("On the pyramid: a key account (class A).")
            if rule.basis == "class_a" or facts.pinned_class is not None
            else _("On the pyramid: a key account (in the top {share}% by value).").format(share=rule.key_share)
        )
    elif by_value(facts, rule):
        blocker = key_blocker(facts)
        text = (
            _("In the key range (class A or the top by value), but a stingy customer is never a key account.")
            if blocker == "stingy"
            else _(
                "In the key range (class A or the top by value), but its attractiveness is low, so it is not made a key account."
            )
        )
    else:
        text = (
            _("On the pyramid: an ordinary account (not class A).")
            if rule.basis == "class_a" or facts.pinned_class is not None
            else _("On the pyramid: an ordinary account (outside the top {share}% by value).").format(
                share=rule.key_share
            )
        )
    return Reason("pyramid", tier, text)


def _attractiveness_reason(facts: AccountFacts) -> Reason:
    a = facts.attractiveness
    if a is None:
        return Reason("attractiveness", "", _("Attractiveness not judged yet."))
    return Reason("attractiveness", a.value, _("Attractiveness: {level}.").format(level=a.label))


def _potential_reason(facts: AccountFacts) -> Reason:
    if facts.potential_cents is None:
        return Reason("potential", "", _("Potential not estimated yet."))
    if facts.class_b_floor_cents is None:
        return Reason(
            "potential",
            str(facts.potential_cents),
            _("Potential {potential} a year; no class-B floor to compare it with yet.").format(
                potential=_money(facts.potential_cents)
            ),
        )
    text = (
        _("Potential {potential} a year reaches the class-B floor of {floor}: high.")
        if facts.potential_high
        else _("Potential {potential} a year stays below the class-B floor of {floor}.")
    )
    return Reason(
        "potential",
        str(facts.potential_cents),
        text.format(potential=_money(facts.potential_cents), floor=_money(facts.class_b_floor_cents)),
    )


def _relationship_reason(facts: AccountFacts) -> Reason:
    s = facts.relationship_state
    if s is None:
        return Reason("relationship", "", _("Relationship state not judged yet."))
    text = _("Relationship: {state}.").format(state=s.label)
    if s in PRESSED_STATES:
        text += " " + _("It is under pressure.")
    return Reason("relationship", s.value, text)


_TYPE_NOTES: dict[PersonalityType, str] = {
    PersonalityType.TASK_DRIVEN: N_("often buys once for a task: confirm there is repeat business before investing"),
    PersonalityType.CREDIT_SEEKING: N_("a rising person: light regular contact now may make a key contact later"),
    PersonalityType.RELATIONSHIP: N_("keep favours and paid business apart; agree money terms first"),
    PersonalityType.STINGY: N_("never a key-account candidate; time is capped"),
    PersonalityType.DIFFICULT: N_("written confirmation before we commit"),
    PersonalityType.DEMANDING: N_("everything on record and within policy"),
}


def _type_reason(facts: AccountFacts) -> Reason:
    p = facts.personality
    if p is None:
        return Reason("customer_type", "", _("Customer type not known yet."))
    note = _TYPE_NOTES.get(p)
    text = _("Customer type: {type}.").format(type=p.label)
    if note:
        text = _("Customer type: {type} — {note}.").format(type=p.label, note=_(note))
    return Reason("customer_type", p.value, text)


def _stage_reason(facts: AccountFacts) -> Reason:
    s = facts.sales_stage
    if s is None:
        return Reason("sales_stage", "", _("Sales stage not set."))
    text = _("Sales stage: {stage}.").format(stage=s.label)
    if s in PROSPECT_STAGES:
        text = _("Sales stage: {stage} — not paying yet.").format(stage=s.label)
    return Reason("sales_stage", s.value, text)


def _guardrails(personality: PersonalityType | None) -> tuple[Guardrail, ...]:
    if personality is PersonalityType.STINGY:
        return (Guardrail.NOT_KEY, Guardrail.EFFORT_CAP)
    if personality is PersonalityType.DIFFICULT:
        return (Guardrail.WRITTEN_CONFIRMATION,)
    if personality is PersonalityType.DEMANDING:
        return (Guardrail.ON_RECORD,)
    return ()


def member(kind: type[Any], value: str | None) -> Any:
    """The enum member named by a stored value, or None for empty or unknown values."""
    try:
        return kind(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class StrategyContext:
    """What the engine needs beside an account's own fields: its rank, the class-B floor, its recent time, and the
    team's pyramid rule (read once when an editor opens, so the advice follows the form as it is edited)."""

    rank: int | None = None
    ranked: int = 0
    class_b_floor_cents: int | None = None
    logged_minutes_quarter: int = 0
    rule: PyramidRule = field(default_factory=PyramidRule)


def facts_from_detail(detail: AccountDetail, context: StrategyContext) -> AccountFacts:
    """The engine's facts for an account as the editor holds it (stored values are text codes)."""
    return AccountFacts(
        computed_class=detail.computed_class,
        pinned_class=detail.pinned_class,
        pin_reason=detail.pin_reason,
        value_cents=detail.value_cents,
        rank=context.rank,
        ranked=context.ranked,
        attractiveness=member(Attractiveness, detail.attractiveness),
        potential_cents=detail.potential_cents,
        class_b_floor_cents=context.class_b_floor_cents,
        relationship_state=member(RelationshipState, detail.relationship_state),
        personality=member(PersonalityType, detail.personality_type),
        sales_stage=member(SalesStage, detail.sales_stage),
        logged_minutes_quarter=context.logged_minutes_quarter,
    )


def advise(detail: AccountDetail, context: StrategyContext) -> StrategyAdvice:
    return strategy(facts_from_detail(detail, context), context.rule)
