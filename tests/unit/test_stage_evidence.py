"""Stages with meaning: checklists and contradictions for relationship stages, sales criteria, type evidence."""

from __future__ import annotations

import datetime as dt

from kamdesk.domain.call_coaching import EarlierReview, current_member, last_lessons
from kamdesk.domain.contacts import Anniversary, ContactDetail, FamilyMember, PersonalDate
from kamdesk.domain.enums import CycleStage, RelationshipStage, RelationshipType, SalesStage
from kamdesk.domain.models import TeamMember
from kamdesk.domain.stage_evidence import (
    ContactFacts,
    StageHistoryEntry,
    TypeFacts,
    contradictions,
    cycle_advice,
    facts_from_card,
    judge_stage,
    price_premium,
    reached_on,
    sales_stage_criteria,
    stage_definition,
    type_evidence,
)

TODAY = dt.date(2026, 11, 23)
S = RelationshipStage


def _facts(stage: RelationshipStage, **kw) -> ContactFacts:
    return ContactFacts(stage=stage, today=TODAY, **kw)


def _flagged(facts: ContactFacts) -> list[str]:
    return [f.text for f in contradictions(facts)]


def test_a_good_brother_with_no_family_recorded_is_flagged_and_one_with_family_is_not():
    rich = dict(
        logged_contacts=12,
        last_contact_on=TODAY - dt.timedelta(days=10),
        title_or_rank=True,
        interests=True,
        likes_or_taboos=True,
        birthday=True,
        hometown_or_city=True,
        private_meetings=3,
    )
    bare = _facts(S.GOOD_BROTHER, **rich)
    assert any("No family member is recorded" in t for t in _flagged(bare))
    with_family = _facts(S.GOOD_BROTHER, family=2, family_dates=1, **rich)
    assert _flagged(with_family) == []
    verdict = judge_stage(with_family)
    assert [i.met for i in verdict.checklist] == [True, True]
    assert verdict.next_stage == S.BEST_FRIEND


def test_a_good_friend_with_no_personal_detail_is_flagged_with_the_rules_below_it():
    facts = _facts(S.GOOD_FRIEND, logged_contacts=3, last_contact_on=TODAY - dt.timedelta(days=20), title_or_rank=True)
    flags = contradictions(facts)
    texts = [f.text for f in flags]
    assert any("No personal detail is recorded" in t for t in texts)
    assert any("like or avoid" in t for t in texts)  # the 普通朋友 rule applies too
    assert {f.rule_of for f in flags} == {S.ORDINARY_FRIEND, S.GOOD_FRIEND}
    # Interests alone are personal detail enough for the good-friend rule (likes are still missing).
    assert not any(
        "No personal detail" in t for t in _flagged(_facts(S.GOOD_FRIEND, logged_contacts=3, interests=True))
    )


def test_ordinary_friend_without_preferences_and_acquainted_without_contact():
    assert any("like or avoid" in t for t in _flagged(_facts(S.ORDINARY_FRIEND, logged_contacts=2)))
    assert _flagged(_facts(S.ACQUAINTED)) == ["No contact with them is logged."]
    assert _flagged(_facts(S.ACQUAINTED, logged_contacts=1)) == []
    # An imported last-contact date counts as contact even with nothing logged here.
    assert _flagged(_facts(S.ACQUAINTED, last_contact_on=TODAY - dt.timedelta(days=40))) == []


def test_a_stranger_with_logged_calls_is_flagged_as_understated():
    assert _flagged(_facts(S.STRANGER)) == []
    assert _flagged(_facts(S.STRANGER, logged_contacts=4)) == [
        "4 contacts with them are logged: they are at least acquainted."
    ]


def test_silence_cools_friendships_and_best_friends_need_recent_contact():
    friendly = dict(logged_contacts=5, likes_or_taboos=True, interests=True, birthday=True, family=1, family_dates=1)
    quiet = _facts(S.GOOD_FRIEND, last_contact_on=TODAY - dt.timedelta(days=200), **friendly)
    assert any("200 days ago" in t for t in _flagged(quiet))
    assert not _flagged(_facts(S.GOOD_FRIEND, last_contact_on=TODAY - dt.timedelta(days=100), **friendly))
    best = _facts(S.BEST_FRIEND, last_contact_on=TODAY - dt.timedelta(days=100), **friendly)
    assert any("last 90 days" in t for t in _flagged(best))


def test_facts_come_from_the_card_as_the_form_shows_it():
    card = ContactDetail(
        name="曾国华",
        relationship_stage="good_brother",
        title="采购总监",
        preferences="喜欢普洱",
        birthday=PersonalDate("lunar", None, 11, 1),
        family=[FamilyMember("李梅", "妻子", PersonalDate("solar", None, 12, 1))],
        anniversaries=[Anniversary("结婚纪念日", PersonalDate("solar", None, 5, 20))],
        last_contact_on=TODAY - dt.timedelta(days=400),
    )
    facts = facts_from_card(card, TODAY, logged_contacts=2, last_logged_on=TODAY - dt.timedelta(days=3))
    assert facts.stage == S.GOOD_BROTHER and facts.family == 1 and facts.family_dates == 2
    assert facts.likes_or_taboos and facts.birthday and facts.title_or_rank and not facts.interests
    assert facts.last_contact_on == TODAY - dt.timedelta(days=3)  # the later of the card's and the log's
    bare = facts_from_card(ContactDetail(name="方德华", relationship_stage="best_friend"), TODAY)
    assert not bare.likes_or_taboos and not bare.interests and bare.family == 0  # empty tags are no tastes
    assert any("like or avoid" in f.text for f in contradictions(bare))


def test_every_stage_has_a_definition_and_a_checklist():
    facts = _facts(S.STRANGER)
    for stage in RelationshipStage:
        assert stage_definition(stage)
        assert judge_stage(ContactFacts(stage=stage, today=TODAY)).checklist
    assert judge_stage(facts).next_stage == S.ACQUAINTED


def test_sales_stage_criteria_follow_the_practice():
    entry, _onward = sales_stage_criteria(SalesStage.INTENT)
    assert "Scope and price are agreed in principle" in entry
    entry, _onward = sales_stage_criteria(SalesStage.QUASI)
    assert "contract" in entry and "first payment" in entry
    assert "pay" in sales_stage_criteria(SalesStage.FORMAL)[0]


def test_cycle_advice_gives_a_contact_rhythm_for_quiet_stages():
    for stage in (CycleStage.HIBERNATION, CycleStage.PAUSE):
        advice, rhythm = cycle_advice(stage)
        assert advice and rhythm.startswith("Contact:") and "festival" in rhythm
    assert all(cycle_advice(s)[1] for s in CycleStage)


def test_a_partner_with_three_competitors_and_only_public_information_is_contradicted():
    facts = TypeFacts(
        plan_period="FY2026",
        grades=frozenset({1, 2}),
        competitors=3,
        margin_pct=12.0,
        team_margins=(15.0, 18.0, 20.0),
        close_key_people=1,
    )
    evidence = type_evidence(RelationshipType.PARTNER, facts)
    assert [e.fits for e in evidence] == [False, False, False, False]
    assert "Highest information grade reached: 2" in evidence[0].text
    assert "Competitors named in the plan: 3" in evidence[1].text
    assert price_premium(facts) == -6.0
    # The same facts fit a vendor.
    assert [e.fits for e in type_evidence(RelationshipType.VENDOR, facts)] == [True, True, True, None]


def test_a_preferred_supplier_shows_what_is_missing():
    evidence = type_evidence(RelationshipType.PREFERRED_SUPPLIER, TypeFacts(close_key_people=2))
    assert [e.fits for e in evidence] == [None, None, None, True]
    assert "no intelligence notes" in evidence[0].text and "no account plan" in evidence[1].text
    few = TypeFacts(plan_period="FY2026", grades=frozenset({3}), competitors=1, margin_pct=22.0, team_margins=(15.0,))
    premium = type_evidence(RelationshipType.PREFERRED_SUPPLIER, few)[2]
    assert premium.fits is None and "too few other accounts" in premium.text
    alliance = type_evidence(RelationshipType.STRATEGIC_ALLIANCE, few)
    assert alliance[-1].fits is None and "only you can confirm" in alliance[-1].text


def test_the_day_each_stage_was_reached_comes_from_the_history():
    at = dt.datetime(2026, 3, 1, 2)
    history = [
        StageHistoryEntry("sales_stage", None, "trial", at, "alice"),
        StageHistoryEntry("sales_stage", "trial", "intent", at + dt.timedelta(days=40), "alice"),
        StageHistoryEntry("cycle_stage", None, "growth", at, "alice"),
    ]
    assert reached_on(history, "sales_stage") == {"trial": at, "intent": at + dt.timedelta(days=40)}


def test_last_lessons_are_newest_first_and_skip_reviews_without_one():
    reviews = [
        EarlierReview(1, dt.date(2026, 9, 1), "报价", "王芳", {"lessons": "先问预算", "their_attitude": "冷淡"}),
        EarlierReview(2, dt.date(2026, 10, 1), "交货", "王芳", {"their_satisfaction": "满意"}),
        EarlierReview(3, dt.date(2026, 11, 1), "回访", "李强", {"missed": "没有提新产品"}),
    ]
    lessons = last_lessons(reviews)
    assert [(lesson.subject, lesson.lessons, lesson.missed) for lesson in lessons] == [
        ("回访", "", "没有提新产品"),
        ("报价", "先问预算", ""),
    ]


def test_our_person_is_the_member_with_the_users_name():
    members = [
        TeamMember(1, "Zhang Wei", "", "", None, None, True),
        TeamMember(2, "王芳", "", "", None, None, True),
        TeamMember(3, "王芳 ", "", "", None, None, False),
        TeamMember(4, "王芳", "", "", None, None, True),  # entered twice: the first one listed
    ]
    assert current_member(members, "王芳") == 2
    assert current_member(members, "zhang wei") == 1
    assert current_member(members, "ZhangWei") == 1
    assert current_member(members, "李强") is None
    assert current_member(members, "") is None
