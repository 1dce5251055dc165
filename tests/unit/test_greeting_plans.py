"""Greetings by class × rank merged with gifts, visits spread before the festival, care exclusions, sensitive
events, places found by Chinese or pinyin, and the meal guide (domain.md §11, §13; seeds 000 and 001)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from kamdesk.domain import places
from kamdesk.domain.chinese_calendar import is_workday
from kamdesk.domain.followups import (
    CadenceRule,
    CareSettings,
    ContactEvent,
    PlanPerson,
    greeting_tier,
    suggest_event,
    validate_event,
)
from kamdesk.domain.greeting_plans import FestivalDay, plan_care, plan_greetings, visit_days
from kamdesk.domain.meals import meal_guide
from kamdesk.domain.proposals import ProposalRecord

SPRING_2027 = FestivalDay("spring_festival", "Spring Festival", dt.date(2027, 2, 6))
TODAY = dt.date(2026, 12, 1)
RULES = [CadenceRule("A", None, 14, 20, 45), CadenceRule("B", None, 30, 30, 60), CadenceRule("C", None, 60, 60, 120)]
RULES.append(CadenceRule("D", None, 90, 60, 120))  # a team that did give D a care window: the setting still rules


def person(
    cid: int, cls: str | None, rank: str, stage: str = "good_friend", member: int = 1, **kw: object
) -> PlanPerson:
    return PlanPerson(cid, f"客户{cid}", 10 + cid, "华南电子", cls, rank, stage, member, f"销售{member}", **kw)  # type: ignore[arg-type]


def gift(cid: int, item: str = "五常大米礼盒", cents: int = 300_00) -> ProposalRecord:
    return ProposalRecord("festival_gift", cid, f"客户{cid}", "华南电子", "A", "owner", TODAY, item, cents)


def test_greeting_tiers_depend_on_class_and_rank_not_class_alone():
    # The same class A account: its boss gets the premium greeting, its clerk an individual one.
    assert greeting_tier("A", "owner") == "premium" and greeting_tier("A", "clerk") == "personal"
    # Class B: the owner still gets a card; a clerk a personal message, never a mass text.
    assert greeting_tier("B", "owner") == "premium" and greeting_tier("B", "clerk") == "message"
    assert greeting_tier("C", "owner") == "personal" and greeting_tier("D", "owner") == "message"
    plan = plan_greetings(
        SPRING_2027,
        [person(1, "A", "owner"), person(2, "A", "manager"), person(3, "A", "clerk"), person(4, "C", "staff")],
        {},
        {},
        CareSettings(),
        TODAY,
    )
    channels = {p.contact_id: p.extra["channel"] for p in plan.proposals}
    assert channels == {1: "visit", 2: "card", 3: "personal", 4: "message"}
    by_id = {p.contact_id: p for p in plan.proposals}
    assert "mass" in by_id[4].item and by_id[2].date is not None and by_id[2].date <= dt.date(2027, 1, 27)


def test_a_person_with_a_festival_gift_gets_one_item_card_and_gift_together():
    people = [person(1, "A", "manager"), person(2, "A", "owner"), person(3, "B", "staff")]
    gifts = {1: gift(1), 2: gift(2, "西湖龙井", 680_00)}
    plan = plan_greetings(SPRING_2027, people, gifts, {}, CareSettings(), TODAY)
    assert Counter(p.contact_id for p in plan.proposals) == {1: 1, 2: 1, 3: 1}  # one item each, never two
    by_id = {p.contact_id: p for p in plan.proposals}
    assert by_id[1].extra["channel"] == "card_with_gift" and "五常大米礼盒" in by_id[1].item
    assert "handwritten card" in by_id[1].item and by_id[1].cost_cents == 300_00
    assert by_id[2].extra["channel"] == "visit_with_gift" and by_id[2].cost_cents == 680_00
    assert by_id[3].extra["channel"] == "personal" and by_id[3].cost_cents == 0
    assert plan.total_cents == 980_00


def test_visits_are_spread_over_the_working_days_before_the_festival_within_the_daily_cap():
    # Thirty class A bosses looked after by one salesperson, and five by another.
    people = [person(i, "A", "owner", member=1) for i in range(1, 31)]
    people += [person(i, "A", "owner", member=2) for i in range(31, 36)]
    plan = plan_greetings(SPRING_2027, people, {}, {}, CareSettings(visits_per_day=3), TODAY)
    visits = [p for p in plan.proposals if p.extra["channel"] == "visit"]
    assert len(visits) == 35 and not plan.notes  # 14 working days × 3 hold the first salesperson's 30
    per_day = Counter((p.extra["member_id"], p.date) for p in visits)
    assert max(per_day.values()) <= 3
    days = {p.date for p in visits}
    assert all(d is not None and d < SPRING_2027.date and is_workday(d) for d in days)
    assert len(days) >= 10, "not all on the eve"
    second = sorted(p.date for p in visits if p.extra["member_id"] == 2 and p.date is not None)
    assert (second[-1] - second[0]).days >= 7, "a small load is spread too, not bunched at the start"


def test_visits_that_do_not_fit_are_mailed_and_the_plan_says_so():
    window = visit_days(SPRING_2027.date, dt.date(2027, 2, 1))  # late: only the last few working days remain
    people = [person(i, "A", "owner") for i in range(1, 21)]
    plan = plan_greetings(SPRING_2027, people, {5: gift(5)}, {}, CareSettings(visits_per_day=3), dt.date(2027, 2, 1))
    visits = [p for p in plan.proposals if p.extra["channel"].startswith("visit")]
    assert len(visits) == 3 * len(window) < 20
    mailed = [p for p in plan.proposals if p.extra["channel"].startswith("card")]
    assert len(mailed) == 20 - len(visits) and all(p.warnings for p in mailed)
    assert any("do not fit" in n and str(len(mailed)) in n for n in plan.notes)


def test_strangers_and_people_in_a_sensitive_event_get_no_festival_greeting():
    event = ContactEvent(7, 2, "bereavement", dt.date(2026, 11, 20), None, "母亲去世")
    plan = plan_greetings(
        SPRING_2027,
        [person(1, "A", "owner", stage="stranger"), person(2, "A", "owner"), person(3, "B", "manager")],
        {2: gift(2)},
        {2: event},
        CareSettings(),
        TODAY,
    )
    assert [p.contact_id for p in plan.proposals] == [3]
    assert any("客户2" in n for n in plan.notes) and any("stranger" in n for n in plan.notes)


def test_care_greetings_skip_class_d_strangers_and_people_below_the_minimum_stage():
    people = [
        person(1, "A", "staff", "good_friend"),
        person(2, "D", "owner", "good_brother"),
        person(3, "B", "manager", "stranger"),
        person(4, "B", "manager", "acquainted"),
        person(5, "C", "staff", "ordinary_friend"),
    ]
    end = TODAY + dt.timedelta(days=180)
    default = plan_care(people, RULES, TODAY, end, CareSettings(), [], {}, seed=1)
    assert {p.contact_id for p in default.proposals} == {1, 4, 5}
    stricter = plan_care(people, RULES, TODAY, end, CareSettings(min_stage="ordinary_friend"), [], {}, seed=1)
    assert {p.contact_id for p in stricter.proposals} == {1, 5}
    assert any("below the minimum stage" in n for n in stricter.notes)
    generous = CareSettings(care_for_class_d=True, care_for_strangers=True, min_stage="stranger")
    assert {p.contact_id for p in plan_care(people, RULES, TODAY, end, generous, [], {}, 1).proposals} == {
        1,
        2,
        3,
        4,
        5,
    }


def test_care_greetings_are_irregular_and_carry_talking_points():
    points = {1: ["Likes: tea", "Last year's Spring Festival greeting: a handwritten card"]}
    plan = plan_care(
        [person(1, "A", "staff")], RULES, TODAY, TODAY + dt.timedelta(days=365), CareSettings(), [], points, 3
    )
    days = [p.date for p in plan.proposals if p.date is not None]
    gaps = {(b - a).days for a, b in zip(days, days[1:], strict=False)}
    assert len(days) >= 6 and len(gaps) >= 3, "no fixed rhythm"
    assert len({d.weekday() for d in days}) >= 3
    assert plan.proposals[0].extra["talking_points"] == points[1]


def test_a_sensitive_event_replaces_care_with_one_caring_contact():
    event = ContactEvent(3, 1, "illness", dt.date(2026, 12, 10), dt.date(2027, 1, 31), "父亲住院，近期少打扰")
    plan = plan_care(
        [person(1, "A", "staff")], RULES, TODAY, TODAY + dt.timedelta(days=120), CareSettings(), [event], {}, 3
    )
    assert len(plan.proposals) == 1
    caring = plan.proposals[0]
    assert caring.date == dt.date(2026, 12, 10) and "no business" in caring.item
    assert caring.extra["sensitive_event_id"] == 3 and caring.warnings


def test_sensitive_events_are_suggested_from_notes_and_validated():
    assert suggest_event("父亲住院，近期少打扰").kind == "illness"  # type: ignore[union-attr]
    assert suggest_event("上周母亲病故。请勿谈业务").kind == "bereavement"  # type: ignore[union-attr]
    assert suggest_event("刚做完手术，在家休养").kind == "illness"  # type: ignore[union-attr]
    assert suggest_event("His father passed away last week").kind == "bereavement"  # type: ignore[union-attr]
    assert suggest_event("对质量要求非常严格") is None and suggest_event("客户有点沮丧") is None
    assert suggest_event("做过手术，饭局注意饮酒") is None  # history, not an event now
    event = ContactEvent(None, 1, "illness", dt.date(2026, 12, 10), dt.date(2026, 12, 1))
    assert "ends_on" in validate_event(event)
    assert "kind" in validate_event(ContactEvent(None, 1, "holiday", dt.date(2026, 12, 10)))
    ongoing = ContactEvent(None, 1, "illness", dt.date(2026, 12, 10), dt.date(2027, 1, 31))
    assert ongoing.active_on(dt.date(2027, 1, 31)) and not ongoing.active_on(dt.date(2027, 2, 1))


def test_care_settings_are_validated_and_read_safely():
    assert CareSettings().problems() == {}
    assert "visits_per_day" in CareSettings(visits_per_day=0).problems()
    assert "visits_per_day" in CareSettings(visits_per_day=40).problems()
    assert "min_stage" in CareSettings(min_stage="colleague").problems()
    stored = CareSettings.from_values({"visits_per_day": "lots", "min_stage": "good_friend", "unknown": 1})
    assert stored == CareSettings(min_stage="good_friend")


@pytest.mark.parametrize("query", ["甘肃", "甘肃省", "gansu", "Gansu Province"])
def test_a_province_is_found_in_chinese_or_pinyin(query: str):
    assert [p.code for p in places.find(query)] == ["620000"]


@pytest.mark.parametrize("query", ["兰州", "兰州市", "Lanzhou", "lanzhou", "LANZHOU CITY"])
def test_a_city_is_found_in_chinese_or_pinyin(query: str):
    assert [p.name for p in places.find(query)] == ["兰州市"]


def test_contact_texts_resolve_to_the_places_above_them():
    index = places.index()
    for text in ("兰州", "甘肃兰州", "兰州市七里河区", "Lanzhou"):
        assert {"620100", "620000"} <= index.codes_in(text), text
    assert places.in_any({"620000"}, ["天水"]) and not places.in_any({"620000"}, ["西安", ""])
    assert "110105" in index.codes_in("北京朝阳区") and "211300" not in index.codes_in("北京朝阳区")
    assert places.province_code("广州") == "440000" and places.province_code("深圳南山") == "440000"


def test_an_unknown_place_gets_a_clear_message():
    with pytest.raises(places.UnknownPlaceError, match="火星"):
        places.find("火星")
    with pytest.raises(places.UnknownPlaceError, match="province, city or district"):
        places.find("  ")


def test_the_meal_guide_for_two():
    two = meal_guide(2)
    assert two.dishes == 3 and "buffet" in two.advice and not two.spread and not two.soup
    assert meal_guide(2, fine_restaurant=True).dishes == 4
    assert "cold dish, a meat and a vegetable" in two.advice


def test_the_meal_guide_adds_a_small_soup_in_guangdong():
    assert meal_guide(2, province_code=places.province_code("广州")).soup
    assert "soup" in meal_guide(4, province_code="440000").advice
    assert not meal_guide(2, province_code=places.province_code("兰州")).soup


def test_three_or_more_order_n_plus_one_and_over_five_spread_over_categories():
    four = meal_guide(4)
    assert four.dishes == 5 and four.cold_starters == 2 and not four.spread
    assert "at least two" in four.advice
    eight = meal_guide(8)
    assert eight.dishes == 9 and eight.spread and len(eight.categories) == 9
    assert {"poultry", "meat", "seafood", "vegetables", "tofu", "bamboo", "mushrooms", "seaweed"} == set(
        eight.categories
    )
    assert Counter(eight.categories).most_common(1)[0][1] <= 2, "spread, not piled on one kind"
    veg = meal_guide(8, taboo_tags={"vegetarian"})
    assert veg.categories and not {"poultry", "meat", "seafood"} & set(veg.categories)
    assert "Mix meat" not in veg.advice and "no meat" in veg.advice  # the guide does not contradict itself
    assert "Mix meat" in eight.advice


def test_the_meal_guide_minds_colours_pieces_rice_length_and_taboos():
    rice = meal_guide(6, staple="rice")
    for words in ("colours", "by the piece", "go well with rice", "purpose"):
        assert words in rice.advice, words
    assert "go well with rice" not in meal_guide(6, staple="noodles").advice
    sober = meal_guide(6, taboo_tags={"alcohol"})
    assert "No alcohol" in sober.drinks and "alcohol light" not in sober.advice
    no_baijiu = meal_guide(4, taboo_tags={"liquor"})
    assert "No baijiu" in no_baijiu.drinks and "No alcohol" not in no_baijiu.drinks
    no_meat = meal_guide(8, taboo_tags={"meat"})
    assert not {"poultry", "meat"} & set(no_meat.categories) and "seafood" in no_meat.categories
    halal = meal_guide(3, taboo_tags={"halal"})
    assert "pork" in halal.avoid and "alcohol" in halal.avoid and "No alcohol" in halal.drinks
    assert meal_guide(0).dishes == 0


def test_a_care_greeting_says_how_it_should_sound():
    """Seed 001: a care call asks after the person with warmth, but never gushes (切忌肉麻), and carries no business."""
    zhang = person(1, "A", "manager", last_touch=dt.date(2027, 1, 4))
    plan = plan_care([zhang], RULES, dt.date(2027, 3, 1), dt.date(2027, 6, 30), CareSettings(), [], {}, seed=1)
    assert plan.proposals
    for record in plan.proposals:
        assert "never gushing" in record.reason and "no business" in record.reason
