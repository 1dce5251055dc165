"""The strategy engine against the practice (seeds 000, 003, 004): realistic accounts a salesperson would know,
each with the group it must get and the facts that must decide it."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from kamdesk.domain.enums import (
    AccountClass,
    Attractiveness,
    PersonalityType,
    RelationshipState,
    SalesStage,
)
from kamdesk.domain.models import AccountDetail
from kamdesk.domain.strategy import (
    AccountFacts,
    Guardrail,
    PyramidRule,
    StrategyContext,
    StrategyGroup,
    advise,
    in_top_share,
    pyramid_tier,
    strategy,
)
from kamdesk.i18n import set_language

A, B, C, D = AccountClass
FLOOR = 80_0000_00  # the last class-B account ranks at 80万 today
W = 10_000_00  # 1万 in cents


@dataclass(frozen=True)
class Case:
    story: str
    facts: AccountFacts
    group: StrategyGroup
    decisive: frozenset[str]
    tier: str


def _facts(cls: AccountClass | None, rank: int | None, **kw: object) -> AccountFacts:
    base = AccountFacts(
        computed_class=cls,
        value_cents=None if rank is None else (60 - rank) * 5 * W,
        rank=rank,
        ranked=50,
        attractiveness=Attractiveness.HIGH,
        potential_cents=None,
        class_b_floor_cents=FLOOR,
        relationship_state=RelationshipState.GOOD,
        personality=PersonalityType.RATIONAL,
        sales_stage=SalesStage.FORMAL,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


CASES = [
    Case(
        "The biggest customer, a state-owned appliance maker buying every quarter, attractive and solid",
        _facts(A, 1, relationship_state=RelationshipState.VERY_SOLID),
        StrategyGroup.KEY,
        frozenset({"pyramid", "class"}),
        "key",
    ),
    Case(
        "Issue 20: a class-D workshop, low attractiveness, the relationship declining — never 'grow into key'",
        _facts(D, 48, attractiveness=Attractiveness.LOW, relationship_state=RelationshipState.DECLINING),
        StrategyGroup.REDUCE,
        frozenset({"class", "relationship"}),
        "ordinary",
    ),
    Case(
        "Issue 20: class A by volume (rank 8 of 50), but thin margins and a chaotic buyer — low attractiveness",
        _facts(A, 8, attractiveness=Attractiveness.LOW),
        StrategyGroup.MAINTAIN,
        frozenset({"class", "attractiveness"}),
        "ordinary",
    ),
    Case(
        "Issue 20: a stingy (吝啬型) trading house the manager pinned to A — still not key",
        _facts(C, 30, pinned_class=A, pin_reason="集团采购入口", personality=PersonalityType.STINGY),
        StrategyGroup.MAINTAIN,
        frozenset({"pyramid", "customer_type"}),
        "ordinary",
    ),
    Case(
        "A group buyer the manager pinned to A (集团总部指定), rank 30 by this year's value: the pin stands, key",
        _facts(C, 30, pinned_class=A, pin_reason="集团总部指定的战略伙伴"),
        StrategyGroup.KEY,
        frozenset({"pyramid", "class"}),
        "key",
    ),
    Case(
        "The second largest by value, pinned down to B because the contract ends this year: maintain, not key",
        _facts(A, 2, pinned_class=B, pin_reason="合同年底到期，不再续签"),
        StrategyGroup.MAINTAIN,
        frozenset({"class"}),
        "ordinary",
    ),
    Case(
        "A stingy customer that is the second largest by value: in the key range, but kept out of it",
        _facts(A, 2, personality=PersonalityType.STINGY),
        StrategyGroup.MAINTAIN,
        frozenset({"pyramid", "customer_type"}),
        "ordinary",
    ),
    Case(
        "A class-B distributor ordering steadily (seed 000: 重点维护)",
        _facts(B, 14),
        StrategyGroup.MAINTAIN,
        frozenset({"class"}),
        "ordinary",
    ),
    Case(
        "Class A at rank 9 of 50, attractive: just below the key tier, grow it into a key account",
        _facts(A, 9),
        StrategyGroup.ORDINARY,
        frozenset({"class", "pyramid"}),
        "ordinary",
    ),
    Case(
        "A small class-C buyer whose new plant could take 120万 a year, attractive: grow it",
        _facts(C, 33, potential_cents=120 * W, attractiveness=Attractiveness.MEDIUM),
        StrategyGroup.ORDINARY,
        frozenset({"potential", "class"}),
        "ordinary",
    ),
    Case(
        "A class-D customer, unattractive today, but its new line could buy 200万 a year: worth pursuing",
        _facts(D, 45, potential_cents=200 * W, attractiveness=Attractiveness.LOW),
        StrategyGroup.PURSUE,
        frozenset({"attractiveness", "potential"}),
        "ordinary",
    ),
    Case(
        "A class-C account with a small potential (30万): prepared for dropping, cut time and spend",
        _facts(C, 25, potential_cents=30 * W, attractiveness=Attractiveness.MEDIUM),
        StrategyGroup.REDUCE,
        frozenset({"class", "potential"}),
        "ordinary",
    ),
    Case(
        "A stingy class-C account with a big potential: the type overrules the potential",
        _facts(C, 28, potential_cents=300 * W, personality=PersonalityType.STINGY),
        StrategyGroup.REDUCE,
        frozenset({"class", "customer_type"}),
        "ordinary",
    ),
    Case(
        "A new lead on trial, no value yet: win a first order",
        _facts(None, None, sales_stage=SalesStage.TRIAL, potential_cents=50 * W),
        StrategyGroup.PROSPECT,
        frozenset({"sales_stage", "class"}),
        "prospect",
    ),
    Case(
        "A lead with intent, unattractive but a potential of 150万: worth pursuing, turn it into a real prospect",
        _facts(None, None, sales_stage=SalesStage.INTENT, attractiveness=Attractiveness.LOW, potential_cents=150 * W),
        StrategyGroup.PURSUE,
        frozenset({"attractiveness", "potential", "sales_stage", "class"}),
        "prospect",
    ),
    Case(
        "The largest value but still at the quasi stage? No: a class-A account on trial is a prospect",
        _facts(A, 3, sales_stage=SalesStage.TRIAL),
        StrategyGroup.PROSPECT,
        frozenset({"sales_stage", "class"}),
        "prospect",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.story[:60] for c in CASES])
def test_groups_follow_the_practice(case: Case) -> None:
    advice = strategy(case.facts)
    assert advice.group is case.group, case.story
    assert advice.tier == case.tier
    decisive = {r.fact for r in advice.reasons if r.decisive}
    assert decisive == case.decisive, case.story
    # Every fact a manager may disagree with is listed, decisive or not.
    assert {"class", "attractiveness", "potential", "relationship", "customer_type", "sales_stage", "pyramid"} <= {
        r.fact for r in advice.reasons
    }


def test_a_class_c_or_d_account_without_a_high_potential_is_always_reduced() -> None:
    for cls in (C, D):
        for state in (*RelationshipState, None):
            for attract in (*Attractiveness, None):
                advice = strategy(_facts(cls, 47, attractiveness=attract, relationship_state=state))
                assert advice.group is StrategyGroup.REDUCE, (cls, state, attract)
                assert "key account" not in advice.advice


def test_stingy_is_never_key_whatever_the_class_or_pyramid_rule() -> None:
    for rule in (PyramidRule(), PyramidRule("class_a"), PyramidRule(key_share=50)):
        for cls, rank in ((A, 1), (A, 5), (B, 12)):
            facts = _facts(cls, rank, personality=PersonalityType.STINGY)
            advice = strategy(facts, rule)
            assert advice.group is not StrategyGroup.KEY and pyramid_tier(facts, rule) != "key"
            assert advice.guardrails == (Guardrail.NOT_KEY, Guardrail.EFFORT_CAP)


def test_the_stingy_effort_cap_counts_the_last_quarter() -> None:
    within = strategy(_facts(B, 12, personality=PersonalityType.STINGY, logged_minutes_quarter=5 * 60))
    over = strategy(_facts(B, 12, personality=PersonalityType.STINGY, logged_minutes_quarter=9 * 60 + 30))
    assert not within.over_effort_cap and over.over_effort_cap
    effort = next(r for r in over.reasons if r.fact == "effort")
    assert effort.decisive and "9.5" in effort.text and "6" in effort.text
    assert "9.5" in over.advice


@pytest.mark.parametrize(
    ("personality", "guardrail", "words"),
    [
        (PersonalityType.DIFFICULT, Guardrail.WRITTEN_CONFIRMATION, "written"),
        (PersonalityType.DEMANDING, Guardrail.ON_RECORD, "kickbacks"),
    ],
)
def test_guardrails_of_difficult_and_demanding_customers(personality, guardrail, words) -> None:
    advice = strategy(_facts(A, 1, personality=personality))
    assert advice.group is StrategyGroup.KEY  # the type does not change the group, it adds a guardrail
    assert advice.guardrails == (guardrail,)
    assert words in " ".join(advice.guardrail_texts()).lower()


def test_key_tier_is_the_top_ten_percent_unless_the_team_chooses_class_a() -> None:
    assert [r for r in range(1, 51) if in_top_share(r, 50, 10)] == [1, 2, 3, 4, 5]
    assert in_top_share(1, 3, 10)  # the largest account is always in the top
    class_a_rank_8 = _facts(A, 8)
    assert pyramid_tier(class_a_rank_8, PyramidRule()) == "ordinary"
    assert pyramid_tier(class_a_rank_8, PyramidRule("class_a")) == "key"
    assert strategy(class_a_rank_8, PyramidRule("class_a")).group is StrategyGroup.KEY


def test_a_declining_key_account_stays_key_and_is_told_to_repair_first() -> None:
    calm = strategy(_facts(A, 1))
    pressed = strategy(_facts(A, 1, relationship_state=RelationshipState.DECLINING))
    assert pressed.group is calm.group is StrategyGroup.KEY
    assert pressed.advice.startswith(calm.advice) and "pressure" in pressed.advice


def test_reasons_name_rank_floor_and_pin() -> None:
    advice = strategy(_facts(C, 30, pinned_class=A, pin_reason="集团采购入口", potential_cents=120 * W))
    texts = {r.fact: r.text for r in advice.reasons}
    assert "rank 30 of 50" in texts["class"] and "集团采购入口" in texts["class"] and "computed: C" in texts["class"]
    assert "1,200,000" in texts["potential"] and "800,000" in texts["potential"]


def test_the_editor_form_gives_the_same_advice_as_the_stored_account() -> None:
    detail = AccountDetail(
        id=7,
        name="佛山顺德美佳电器",
        computed_class=D,
        value_cents=12 * W,
        attractiveness="low",
        relationship_state="declining",
        personality_type="rational",
        sales_stage="formal",
    )
    context = StrategyContext(rank=48, ranked=50, class_b_floor_cents=FLOOR)
    assert advise(detail, context).group is StrategyGroup.REDUCE


def test_reasons_read_in_chinese() -> None:
    try:
        set_language("zh_CN")
        advice = strategy(_facts(D, 48, attractiveness=Attractiveness.LOW))
        texts = [advice.title, advice.advice, *(r.text for r in advice.reasons)]
    finally:
        set_language("en")
    for text in texts:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
