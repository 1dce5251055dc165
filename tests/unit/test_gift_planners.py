"""The gift planners without a database, on cases a salesperson would recognise: festival items only, taboos by
meaning, fit before price, hometown specialities, last time and declined gifts, the 80/20 settings, the budget,
the limits, everyday variety and season, special gifts by like tags."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from kamdesk.domain.chinese_calendar import is_workday
from kamdesk.domain.gift_plans import (
    GiftBook,
    change_item,
    plan_everyday,
    plan_festival,
    plan_special,
)
from kamdesk.domain.gift_vocabulary import breaks_taboo
from kamdesk.domain.gifts import (
    DEFAULT_TIER_BUDGETS,
    DEFAULT_TIERS,
    CatalogueItem,
    GiftError,
    GiftPolicy,
    PastGift,
    Recipient,
)

SPRING = dt.date(2027, 2, 6)
AUTUMN = dt.date(2027, 9, 15)
DRAGON = dt.date(2027, 6, 9)


def _item(
    iid: int,
    name: str,
    cost: int,
    occasions: str,
    category: str,
    attributes: str = "",
    origin: str = "",
    story: str = "",
) -> CatalogueItem:
    return CatalogueItem(
        name,
        "holiday",
        cost * 100,
        notes=story,
        id=iid,
        occasions=frozenset(occasions.split()),
        category=category,
        attributes=frozenset(attributes.split()),
        origin=origin,
    )


ITEMS = [
    _item(1, "杏花楼月饼礼盒", 188, "mid_autumn", "sweets", "sugar", "上海", "上海老字号的广式月饼"),
    _item(2, "西湖龙井（明前）", 480, "any_festival special", "tea", "caffeine", "杭州", "明前头采，龙井村茶农手炒"),
    _item(3, "茅台飞天 53°", 980, "any_festival special", "liquor", "alcohol", "贵州仁怀"),
    _item(4, "五常大米礼箱", 298, "spring_festival", "food", "", "黑龙江五常"),
    _item(5, "稻香村糕点礼盒", 168, "spring_festival", "sweets", "sugar", "北京"),
    _item(6, "嘉兴鲜肉粽礼盒", 128, "dragon_boat", "food", "pork meat", "嘉兴"),
    _item(7, "五芳斋豆沙粽", 98, "dragon_boat", "food", "sugar", "嘉兴"),
    _item(8, "新疆干果礼盒", 98, "everyday any_festival", "food", "nuts", "新疆", "核桃、红枣、葡萄干"),
    _item(9, "云南普洱茶饼", 128, "everyday", "tea", "caffeine", "云南勐海"),
    _item(10, "本地时令水果", 80, "everyday", "fruit", "perishable"),
    _item(11, "岭南荔枝", 120, "everyday", "fruit", "perishable", "广东"),
    _item(12, "宜兴紫砂壶", 1600, "special", "craft", "", "宜兴", "丁蜀镇名家手作，附作者证书"),
    _item(13, "景德镇青花茶具", 1200, "special", "craft", "", "景德镇"),
    _item(14, "围棋云子套装", 900, "special", "craft", "", "云南"),
    _item(15, "高尔夫球礼盒", 600, "special", "sports", ""),
]


def _who(
    cid: int,
    cls: str | None = "A",
    rank: str | None = "owner",
    *,
    likes: str = "",
    taboos: str = "",
    hometown: str = "",
    city: str = "上海",
    stage: str = "good_friend",
    interests: str = "",
    role: str | None = None,
    member: int = 7,
    personality: str | None = None,
) -> Recipient:
    return Recipient(
        cid,
        f"人{cid}",
        100 + cid,
        f"公司{cid}",
        cls,
        rank,
        member,
        "王芳",
        city=city,
        preferences=likes,
        taboos=taboos,
        buying_role=role,
        hometown=hometown,
        relationship_stage=stage,
        interests=interests,
        personality=personality,
    )


def _festival(festival: str, people: list[Recipient], book: GiftBook, budget: int | None = None):  # noqa: ANN202
    day = {"spring_festival": SPRING, "mid_autumn": AUTUMN, "dragon_boat": DRAGON}[festival]
    return plan_festival(
        festival, day, day - dt.timedelta(days=7), people, book, DEFAULT_TIERS[festival], DEFAULT_TIER_BUDGETS, budget
    )


def _by_contact(plan) -> dict[int, object]:  # noqa: ANN001
    return {p.contact_id: p for p in plan.proposals}


def test_holiday_gifts_come_only_from_items_for_that_festival():
    people = [_who(i, cls, rank) for i, (cls, rank) in enumerate([("A", "owner"), ("A", "manager"), ("B", "owner")])]
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    spring = _festival("spring_festival", people, book)
    assert spring.proposals and not any("月饼" in p.item for p in spring.proposals)  # no mooncakes at Spring Festival
    assert not any("粽" in p.item for p in spring.proposals)
    autumn = _festival("mid_autumn", [_who(1, "A", "staff"), _who(2, "B", "staff")], book)
    assert {p.item for p in autumn.proposals} == {"杏花楼月饼礼盒"}  # modest band: the mooncake
    dragon = _festival("dragon_boat", [_who(1, "A", "staff")], book)
    assert dragon.proposals[0].item in {"嘉兴鲜肉粽礼盒", "五芳斋豆沙粽", "新疆干果礼盒"}
    assert "Dragon Boat Festival" in dragon.notes[0]


def test_a_proposal_never_breaks_a_taboo_read_by_meaning():
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    teetotal = _who(1, taboos="不喝酒", likes="白酒只喝酱香型")  # a like their own taboo forbids
    muslim = _who(2, "A", "staff", taboos="清真")
    vegetarian = _who(3, "A", "staff", taboos="吃素")
    diabetic = _who(4, "A", "staff", taboos="糖尿病，不吃甜")
    plan = _festival("spring_festival", [teetotal], book)
    (boss,) = plan.proposals
    assert boss.item and boss.item != "茅台飞天 53°" and "茅台飞天 53°" in boss.reason  # left out, and said so
    given = {}
    for festival in ("dragon_boat", "mid_autumn", "spring_festival"):
        for p in _festival(festival, [muslim, vegetarian, diabetic], book).proposals:
            given[(festival, p.contact_id)] = p.item
    assert "嘉兴鲜肉粽礼盒" not in {given[("dragon_boat", 2)], given[("dragon_boat", 3)]}  # pork: no
    assert given[("dragon_boat", 4)] == "嘉兴鲜肉粽礼盒"  # not the sweet one
    autumn = _by_contact(_festival("mid_autumn", [diabetic], GiftBook(ITEMS[:3])))
    # the only modest Mid-Autumn item is a sweet mooncake: no proposal, with the reason
    assert autumn[4].item == "" and "taboos" in autumn[4].warnings[0] and "Sugar" in autumn[4].warnings[0]


def test_fit_comes_before_price_and_the_band_is_kept():
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    tea_lover = _who(1, likes="爱喝龙井")
    plain = _who(2)
    plan = _by_contact(_festival("spring_festival", [tea_lover, plain], book))
    assert plan[1].item == "西湖龙井（明前）" and "Tea" in plan[1].reason  # ¥480 liked beats ¥980 liquor
    assert plan[2].cost_cents <= DEFAULT_TIER_BUDGETS[3]
    staff = _by_contact(_festival("mid_autumn", [_who(3, "A", "staff", likes="喜欢红酒")], book))
    assert staff[3].cost_cents <= DEFAULT_TIER_BUDGETS[1]  # a liked wine above the tier is never chosen


def test_a_hometown_speciality_comes_with_its_story():
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    from_hangzhou = _who(1, "B", "owner", hometown="浙江杭州", city="苏州")
    plan = _by_contact(_festival("spring_festival", [from_hangzhou], book))
    assert plan[1].item == "西湖龙井（明前）"
    assert "浙江杭州" in plan[1].reason and "龙井村茶农手炒" in plan[1].reason
    from_ningbo = _who(2, "B", "owner", hometown="宁波")  # Zhejiang, but not Hangzhou: no speciality claimed
    assert "speciality" not in _by_contact(_festival("spring_festival", [from_ningbo], book))[2].reason


def test_last_time_is_avoided_and_a_declined_gift_never_comes_back():
    history = {
        1: [PastGift("西湖龙井（明前）", dt.date(2026, 1, 20), "holiday", "done", 480_00)],
        2: [PastGift("西湖龙井（明前）", dt.date(2026, 1, 20), "holiday", "declined", 480_00)],
    }
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00), history)
    again = _who(1, "B", "owner", likes="爱喝龙井")
    declined = _who(2, "B", "owner", likes="爱喝龙井")
    plan = _by_contact(_festival("spring_festival", [again, declined], book))
    assert plan[2].item != "西湖龙井（明前）"  # declined: never again, even though they like tea
    # liked still wins over "not last time", but the proposal says it repeats
    assert plan[1].item == "西湖龙井（明前）" and any("last time" in w for w in plan[1].warnings)
    plain = _who(3, "C", "owner")
    book.history[3] = [PastGift("五常大米礼箱", dt.date(2026, 1, 20), "holiday", "done", 298_00)]
    assert _by_contact(_festival("spring_festival", [plain], book))[3].item != "五常大米礼箱"
    assert "五常大米礼箱" in _by_contact(_festival("spring_festival", [plain], book))[3].reason


def test_class_d_and_strangers_are_left_out_by_default_and_thin_cards_are_marked():
    people = [_who(1, "D", "owner"), _who(2, "A", "owner", stage="stranger"), _who(3, "A", "owner", stage=None)]
    people.append(_who(4, "A", "owner", likes="喝茶"))
    plan = _festival("mid_autumn", people, GiftBook(ITEMS))
    assert [p.contact_id for p in plan.proposals] == [4]
    assert any("class D" in n for n in plan.notes) and any("stranger" in n for n in plan.notes)
    policy = GiftPolicy(gifts_to_class_d=True, gifts_to_strangers=True)
    wider = _festival("mid_autumn", people, GiftBook(ITEMS, policy))
    assert {p.contact_id for p in wider.proposals} == {1, 2, 3, 4}
    thin = _by_contact(wider)
    assert any("Little is known" in w for w in thin[2].warnings)
    assert not any("Little is known" in w for w in thin[4].warnings)


def test_the_budget_is_met_lowest_value_first_and_keeps_the_grading_by_class_and_rank():
    """Seed 000 grades Spring Festival gifts by the account's class and the person's rank, and puts class C among
    the accounts to drop: when the money is short the class-C owner goes before the class-A people are cut down,
    and nobody ends up on the tier of someone less valuable who was planned below them."""
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    people = [
        _who(1, "A", "owner", likes="爱喝白酒"),
        _who(2, "A", "manager"),
        _who(3, "B", "owner"),
        _who(4, "C", "owner"),
    ]
    full = _festival("spring_festival", people, book)
    planned = {p.contact_id: p.extra["tier"] for p in full.proposals}
    assert planned == {1: 3, 2: 2, 3: 2, 4: 1} and full.total_cents > 1200_00
    fitted = _festival("spring_festival", people, book, budget=1200_00)
    assert fitted.total_cents <= 1200_00 and fitted.budget_cents == 1200_00
    tiers = {p.contact_id: p.extra["tier"] for p in fitted.proposals}
    assert 4 not in tiers and any("人4 (C)" in n and "left out" in n for n in fitted.notes)  # class C goes first
    assert set(tiers) == {1, 2, 3}
    assert tiers[1] > tiers[2] and tiers[1] > tiers[3]  # the A owner still above the others
    assert any("lower tier" in n for n in fitted.notes)
    assert "of a budget of ¥1,200" in fitted.notes[-1]
    tight = _festival("spring_festival", people, book, budget=300_00)
    assert tight.total_cents <= 300_00 and any("人4 (C)" in n for n in tight.notes)
    assert [p.contact_id for p in tight.proposals] == [1]  # whoever stays is the most valuable


def test_at_mid_autumn_a_short_budget_lowers_tiers_before_leaving_anyone_out():
    """Mid-Autumn goes to a broad list (mooncakes for many): the budget is met by lowering, lowest value first."""
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    people = [_who(1, "A", "owner", likes="喜欢白酒"), _who(2, "A", "manager", likes="爱喝茶")]
    people += [_who(3, "B", "owner"), _who(4, "C", "owner")]
    assert _festival("mid_autumn", people, book).total_cents > 1000_00
    fitted = _festival("mid_autumn", people, book, budget=1000_00)
    assert fitted.total_cents <= 1000_00 and {p.contact_id for p in fitted.proposals} == {1, 2, 3, 4}
    assert any("lower tier" in n for n in fitted.notes) and not any("left out" in n for n in fitted.notes)


def test_a_short_budget_never_gives_a_class_a_owner_what_a_class_c_owner_gets():
    """Three class-A owners and twelve class-C owners, ¥2,600 for Spring Festival: cutting every A owner down to the
    C owners' modest box would fit, but flattens the grading; a C owner is left out before that happens."""
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    owners_a = [_who(i, "A", "owner") for i in range(1, 4)]
    owners_c = [_who(i, "C", "owner") for i in range(10, 22)]
    fitted = _festival("spring_festival", owners_a + owners_c, book, budget=2600_00)
    assert fitted.total_cents <= 2600_00
    tiers = {p.contact_id: p.extra["tier"] for p in fitted.proposals}
    c_tiers = [t for cid, t in tiers.items() if cid >= 10]
    assert c_tiers and all(tiers[i] > max(c_tiers) for i in range(1, 4))
    assert len(c_tiers) < 12 and any("left out" in n and "(C)" in n for n in fitted.notes)


def test_limits_mark_the_proposal_and_the_year_counts_past_gifts():
    history = {2: [PastGift("茶叶", dt.date(2027, 1, 3), "everyday", "done", 1800_00)]}
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=500_00, per_person_year_cents=2000_00), history)
    plan = _by_contact(_festival("spring_festival", [_who(1, likes="喜欢白酒"), _who(2, "A", "manager")], book))
    assert plan[1].item == "茅台飞天 53°" and plan[1].extra["needs_approval"]
    assert any("limit per item" in w for w in plan[1].warnings)
    assert plan[2].extra["needs_approval"] and any("total for 2027" in w for w in plan[2].warnings)
    returned = {2: [PastGift("茶叶", dt.date(2027, 1, 3), "everyday", "returned", 1700_00)]}
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=500_00, per_person_year_cents=2000_00), returned)
    assert not _by_contact(_festival("spring_festival", [_who(2, "A", "manager")], book))[2].extra["needs_approval"]


def test_a_card_that_takes_no_valuable_gifts_gets_a_modest_one():
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    plan = _by_contact(_festival("spring_festival", [_who(1, taboos="不收贵重礼品")], book))
    assert 0 < plan[1].cost_cents <= DEFAULT_TIER_BUDGETS[1] and "modest" in plan[1].reason


def test_everyday_gifts_vary_and_their_reasons_fit_the_item_and_the_season():
    people = [_who(i, "B", rank) for i, rank in enumerate(["staff", "clerk"] * 10, start=1)]
    people += [_who(90, "B", "owner"), _who(91, "D", "staff"), _who(92, "A", "staff", stage="stranger")]
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=500_00, per_person_year_cents=2000_00))
    plan = plan_everyday(people, book, dt.date(2026, 12, 1), dt.date(2027, 11, 30), DEFAULT_TIER_BUDGETS[1], 3, seed=5)
    assert {p.contact_id for p in plan.proposals} == set(range(1, 21))  # staff only; no D, no stranger
    items = Counter(p.item for p in plan.proposals)
    reasons = Counter(p.reason.split(":")[0] for p in plan.proposals)
    assert len(items) >= 4 and max(items.values()) < len(plan.proposals) / 2, items
    assert len(reasons) >= 5 and max(reasons.values()) < len(plan.proposals) / 3, reasons
    for p in plan.proposals:
        assert p.date is not None and p.item
        if p.item == "岭南荔枝":
            assert p.date.month in (5, 6, 7), p  # a summer fruit in its season only
        if "Fresh fruit" in p.reason or "summer heat" in p.reason:
            assert p.item in {"本地时令水果", "岭南荔枝"}, p  # a fruit reason on a fruit only
        if "cold days" in p.reason:
            assert p.date.month in (12, 1, 2) and p.item == "云南普洱茶饼", p
    for cid in range(1, 21):
        mine = [p.item for p in plan.proposals if p.contact_id == cid]
        assert all(a != b for a, b in zip(mine, mine[1:], strict=False)), mine  # not the same twice running


def test_special_gifts_follow_like_tags_not_words_in_a_note():
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    hotpot = _who(1, likes="喜欢吃火锅")  # the tea set's note says 适合喜欢喝茶的客户: not a match
    tea = _who(2, likes="喜欢喝普洱茶")
    go_player = _who(3, "B", "manager", interests="下围棋")
    from_yixing = _who(4, "A", "manager", hometown="江苏宜兴")
    junior = _who(5, "A", "staff", likes="喜欢喝茶")
    plan = plan_special([hotpot, tea, go_player, from_yixing, junior], book, dt.date(2027, 3, 1))
    chosen = {p.contact_id: p.item for p in plan.proposals}
    assert 1 not in chosen and 5 not in chosen
    assert chosen[2] in {"宜兴紫砂壶", "景德镇青花茶具", "西湖龙井（明前）"}
    assert chosen[3] == "围棋云子套装" and chosen[4] == "宜兴紫砂壶"
    assert "丁蜀镇名家手作" in _by_contact(plan)[4].reason
    assert any("人1" in n for n in plan.notes)


def test_bad_input_gets_a_clear_message():
    with pytest.raises(GiftError, match="catalogue is empty"):
        _festival("spring_festival", [_who(1)], GiftBook([]))
    only_autumn = [i for i in ITEMS if i.occasions == frozenset({"mid_autumn"})]
    with pytest.raises(GiftError, match="Spring Festival"):
        _festival("spring_festival", [_who(1)], GiftBook(only_autumn))
    with pytest.raises(GiftError, match="everyday"):
        plan_everyday([_who(1, "A", "staff")], GiftBook(only_autumn), SPRING, AUTUMN, 200_00)
    nobody = _festival("spring_festival", [_who(1, None, None)], GiftBook(ITEMS))
    assert nobody.proposals == [] and any("no rank" in n for n in nobody.notes)


def test_an_item_changed_by_hand_against_a_taboo_is_warned():
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    teetotal = _who(1, taboos="戒酒了")
    (p,) = _festival("spring_festival", [teetotal], book).proposals
    change_item(p, ITEMS[2], teetotal)
    assert p.item == "茅台飞天 53°" and p.cost_cents == 980_00 and any("taboos" in w for w in p.warnings)
    change_item(p, ITEMS[3], teetotal)
    assert not any("taboos" in w for w in p.warnings)
    assert breaks_taboo({"alcohol"}, {"alcohol"})


def test_in_person_deliveries_are_spread_over_workdays_at_most_a_few_a_day():
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    owners = [_who(i, "A", "owner") for i in range(1, 13)]
    deliver_by = SPRING - dt.timedelta(days=7)
    plan = plan_festival(
        "spring_festival",
        SPRING,
        deliver_by,
        owners,
        book,
        DEFAULT_TIERS["spring_festival"],
        DEFAULT_TIER_BUDGETS,
        None,
        per_day=3,
        today=deliver_by - dt.timedelta(days=3),
    )
    days = Counter(p.date for p in plan.proposals)
    assert len(plan.proposals) == 12 and max(days.values()) <= 3 and len(days) >= 4
    assert all(deliver_by - dt.timedelta(days=3) <= d < SPRING and is_workday(d) for d in days)


def test_everyday_gifts_leave_out_seniors_and_a_festival_plan_says_when_nobody_has_a_rank():
    book = GiftBook(ITEMS)
    plan = plan_everyday([_who(1, "A", "owner")], book, SPRING, AUTUMN, 200_00)
    assert plan.proposals == [] and any("staff or clerk" in n for n in plan.notes)


def test_a_rational_customer_is_not_courted_with_gifts():
    """Seed 004: a rational customer (理智型) is won by candour and promises kept, never by gifts or flattery. Two
    class-A owners who both like baijiu: the one typed rational gets the festival's customary modest gift, not the
    Moutai, and neither an everyday nor a special gift; the notes say who was left out and why."""
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    owners = [_who(1, likes="喜欢白酒"), _who(2, likes="喜欢白酒", personality="rational")]
    spring = _by_contact(_festival("spring_festival", owners, book))
    assert spring[1].item == "茅台飞天 53°" and spring[1].extra["tier"] == 3
    assert spring[2].extra["tier"] == 1 and 0 < spring[2].cost_cents <= DEFAULT_TIER_BUDGETS[1]
    assert "rational" in spring[2].reason
    seniors = [_who(3, likes="爱喝茶"), _who(4, likes="爱喝茶", personality="rational")]
    special = plan_special(seniors, book, SPRING)
    assert [p.contact_id for p in special.proposals] == [3]
    assert any("rational" in n and "人4" in n for n in special.notes)
    staff = [_who(5, "A", "staff"), _who(6, "A", "clerk", personality="rational")]
    everyday = plan_everyday(staff, book, dt.date(2027, 3, 1), dt.date(2027, 8, 31), DEFAULT_TIER_BUDGETS[1])
    assert {p.contact_id for p in everyday.proposals} == {5}
    assert any("rational" in n and "人6" in n for n in everyday.notes)


def test_no_special_gifts_at_accounts_being_dropped():
    """Seed 000 puts class C among the accounts prepared for dropping and D among those dropped: a ¥900 Go set for
    the owner of a class-C account who loves Go is spend the business does not pay for."""
    book = GiftBook(ITEMS, GiftPolicy(gifts_to_class_d=True))
    people = [_who(1, "A", "owner", interests="下围棋"), _who(2, "B", "manager", interests="下围棋")]
    people += [_who(3, "C", "owner", interests="下围棋"), _who(4, "D", "owner", interests="下围棋")]
    plan = plan_special(people, book, SPRING)
    assert {p.contact_id for p in plan.proposals} == {1, 2}
    assert any("人3" in n and "人4" in n and "class C or D" in n for n in plan.notes)
    # seed 000: a natural reason prepared beforehand, and never pressed on them
    assert all("natural reason" in p.reason and "do not press" in p.reason for p in plan.proposals)


def test_everyday_gifts_go_to_staff_where_the_business_is():
    """80/20 (seed 000): the engineers and assistants of a class-A or B account get the small everyday gifts; those
    of a class-C account, prepared for dropping, do not get the same attention."""
    book = GiftBook(ITEMS)
    staff = [_who(1, "A", "staff"), _who(2, "B", "clerk"), _who(3, "C", "staff"), _who(4, "C", "clerk")]
    plan = plan_everyday(staff, book, dt.date(2027, 3, 1), dt.date(2027, 8, 31), DEFAULT_TIER_BUDGETS[1])
    assert {p.contact_id for p in plan.proposals} == {1, 2}
    assert any("人3" in n and "人4" in n for n in plan.notes)


def test_a_purchaser_who_decides_or_advises_is_weighed_by_role_as_well_as_title():
    """Seed 000 weighs a contact by position and by role (职位、作用), and the key contacts are often the people in
    charge of technology or purchasing: at Spring Festival, a class-A account's purchasing engineer who advises on
    the purchase gets the tier of a manager, while an engineer without that role gets none."""
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    people = [_who(1, "A", "staff", role="advisor"), _who(2, "A", "staff", role="user"), _who(3, "A", "staff")]
    plan = _by_contact(_festival("spring_festival", people, book))
    assert set(plan) == {1}
    assert plan[1].extra["tier"] == DEFAULT_TIERS["spring_festival"]["A"]["manager"]
    assert "advise on the purchase" in plan[1].reason


def test_mid_autumn_gives_mooncakes_unless_the_person_has_a_taste_for_something_else():
    """Seed 000: the Mid-Autumn gift is mainly mooncakes; for senior people at valuable accounts something special
    may go instead, chosen for their taste. A class-A owner we know nothing about gets the mooncakes, not a bottle
    picked for its price; the owner who likes baijiu and the director who likes tea get what they like."""
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    people = [_who(1, "A", "owner"), _who(2, "A", "owner", likes="喜欢白酒"), _who(3, "A", "manager", likes="爱喝茶")]
    people.append(_who(4, "A", "manager"))
    plan = _by_contact(_festival("mid_autumn", people, book))
    assert plan[1].item == "杏花楼月饼礼盒" and plan[4].item == "杏花楼月饼礼盒"
    assert plan[2].item == "茅台飞天 53°" and plan[3].item == "西湖龙井（明前）"
    assert all("Matches what they like" in plan[i].reason for i in (2, 3))
    diabetic = _by_contact(_festival("mid_autumn", [_who(5, "A", "manager", taboos="糖尿病")], book))
    assert diabetic[5].item and "月饼" not in diabetic[5].item  # no mooncakes, but still a gift


def test_liquor_or_cigarettes_only_for_someone_known_to_like_them():
    """Nothing on the card says they drink: the planner does not presume it, even when liquor is the only item in
    the tier's band; it says why it chose something else. Someone who likes baijiu gets it."""
    book = GiftBook(ITEMS, GiftPolicy(per_item_cents=2000_00, per_person_year_cents=5000_00))
    unknown, drinker = _who(1, "A", "owner"), _who(2, "A", "owner", likes="爱喝白酒")
    plan = _by_contact(_festival("spring_festival", [unknown, drinker], book))
    assert "茅台" not in plan[1].item and "drink or smoke" in plan[1].reason
    assert "茅台" in plan[2].item
