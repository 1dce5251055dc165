"""When to order a gift and when it must be there, its card's words, and the pick list (domain/gift_logistics)."""

from __future__ import annotations

import datetime as dt

from kamdesk.domain.gift_logistics import PickSource, card_text, gift_dates, in_spring_rush, pick_lines
from kamdesk.i18n import set_language

MID_AUTUMN_2027 = dt.date(2027, 9, 15)


def test_order_and_deliver_dates_follow_the_delivery_method():
    day = dt.date(2027, 9, 10)
    assert gift_dates(day, "courier") == gift_dates(day, "courier")
    courier = gift_dates(day, "courier")
    assert (courier.order_by, courier.deliver_by, courier.rule) == (
        dt.date(2027, 8, 31),
        dt.date(2027, 9, 8),
        "courier",
    )
    card = gift_dates(day, "courier_card")
    # 2 more days for the card: Sunday 08-29, so the Friday before.
    assert (card.order_by, card.deliver_by) == (dt.date(2027, 8, 27), dt.date(2027, 9, 8))
    hand = gift_dates(day, "in_person")
    assert (hand.order_by, hand.deliver_by) == (dt.date(2027, 9, 3), day)  # handed over on the day
    assert gift_dates(day, "in_person_card").order_by == dt.date(2027, 9, 1)
    unset = gift_dates(day, "")
    assert (unset.order_by, unset.deliver_by, unset.rule) == (dt.date(2027, 8, 31), day, "")


def test_an_order_date_on_a_weekend_or_holiday_moves_back_to_a_workday():
    assert gift_dates(dt.date(2027, 10, 10), "in_person").order_by == dt.date(2027, 9, 30)  # National Day week
    assert gift_dates(dt.date(2027, 9, 12), "in_person").order_by == dt.date(2027, 9, 3)  # Sunday 09-05: Friday


def test_couriers_around_spring_festival_are_ordered_three_weeks_ahead():
    spring = dt.date(2028, 1, 26)  # 2028's Spring Festival
    assert in_spring_rush(spring - dt.timedelta(days=3)) and not in_spring_rush(spring - dt.timedelta(days=30))
    rush = gift_dates(spring - dt.timedelta(days=3), "courier")
    # 24 days before is Sunday 2 January, in the New Year holiday: ordered on the last workday of 2027.
    assert rush.rule == "spring" and rush.order_by == dt.date(2027, 12, 31)
    assert rush.deliver_by == spring - dt.timedelta(days=10)
    # In person the courier's stop does not matter.
    assert gift_dates(spring - dt.timedelta(days=3), "in_person").deliver_by == spring - dt.timedelta(days=3)


def test_card_text_comes_from_the_notes_or_the_occasion_in_the_print_language():
    assert card_text("按政策登记\n贺卡：感谢一路支持，中秋快乐！", "中秋节") == ("感谢一路支持，中秋快乐！", False)
    assert card_text("Card: Thank you, Mr Zeng!", "") == ("Thank you, Mr Zeng!", False)
    assert card_text("已报备销售经理", "中秋节") == ("Happy Mid-Autumn Festival!", True)
    # No occasion named: the festival the gift's date falls just before.
    assert card_text("", "", MID_AUTUMN_2027 - dt.timedelta(days=4)) == ("Happy Mid-Autumn Festival!", True)
    assert card_text("", "项目验收", dt.date(2027, 3, 3)) == ("With thanks for your support.", True)
    set_language("zh_CN")
    try:
        assert card_text("", "春节") == ("新春快乐，万事如意！", True)
        assert card_text("", "升职祝贺") == ("恭喜高升！", True)
    finally:
        set_language("en")


def test_card_text_of_a_planned_festival_gift_names_its_festival():
    """The festival planners store the occasion as its code; a Spring Festival gift handed over 17 days ahead
    (the planner's date) is further from the festival than the date rule reaches, so the code must name it."""
    spring = dt.date(2027, 2, 6)
    assert card_text("", "spring_festival", spring - dt.timedelta(days=17)) == (
        "Happy Spring Festival, and a good new year!",
        True,
    )
    assert card_text("", "dragon_boat", dt.date(2027, 5, 1)) == ("Good health this Dragon Boat Festival!", True)
    assert card_text("", "mid_autumn") == ("Happy Mid-Autumn Festival!", True)


def test_the_pick_list_adds_up_items_by_order_date_and_supplier():
    day1, day2 = dt.date(2027, 9, 1), dt.date(2027, 9, 3)
    lines = pick_lines(
        [
            PickSource(day2, "西湖龙井", "杭州茶业", 1, 1_280_00),
            PickSource(day1, "中秋月饼", "广州酒家", 1, 388_00),
            PickSource(day1, "中秋月饼 ", "广州酒家", 2, 776_00),
            PickSource(day1, "中秋月饼", "", 1, 300_00),
        ]
    )
    assert [(x.order_by, x.item, x.supplier, x.quantity, x.cost_cents) for x in lines] == [
        (day1, "中秋月饼", "", 1, 300_00),
        (day1, "中秋月饼", "广州酒家", 3, 1_164_00),
        (day2, "西湖龙井", "杭州茶业", 1, 1_280_00),
    ]
