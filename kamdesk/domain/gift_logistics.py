"""What it takes to get a gift to its person (domain.md §12): when to order it and when it must be there,
the words on its card, the postcode on its parcel, and the pick list of what to buy from whom.

Order-by and deliver-by come from the gift's date (the day it is given) and how it travels:

============================  ==========================  ==========================
delivery                      order by                    deliver by
============================  ==========================  ==========================
courier                       10 days before              2 days before (it arrives)
courier, handwritten card     12 days before (the card)   2 days before
in person                     7 days before               on the day
in person, handwritten card   9 days before (the card)    on the day
not chosen yet                10 days before (as courier) on the day
============================  ==========================  ==========================

An order-by date that falls on a weekend or a public holiday moves back to the workday before (someone has to
place the order). Around Spring Festival couriers stop taking parcels: a couriered gift dated from two weeks before the
festival to the Lantern Festival is ordered 21 days and delivered 7 days before its date (the festival
planner's own lead times, domain/gifts.festival_dates).

Card text: a line of the gift's notes that starts with "Card:" (or 贺卡： / 卡片： / 賀卡：) is the card's
text; without one, the card carries a greeting for the occasion (a festival named in the occasion, or the
festival the gift's date falls just before), in the person's language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kamdesk.domain.chinese_calendar import festivals, is_workday
from kamdesk.domain.gifts import NOT_ACCEPTED, GiftScheduleRow, MailingLabel
from kamdesk.i18n import N_, _

#: delivery code → (days to order before the gift's date, days to deliver before it).
LEADS: dict[str, tuple[int, int]] = {
    "courier": (10, 2),
    "courier_card": (12, 2),
    "in_person": (7, 0),
    "in_person_card": (9, 0),
    "": (10, 0),
}
#: Couriered gifts around Spring Festival: (order, deliver) days before the gift's date.
SPRING_COURIER = (21, 7)

RULES: dict[str, str] = {
    "courier": N_("courier: order 10 days before, delivered 2 days before"),
    "courier_card": N_("courier with a card: order 12 days before, delivered 2 days before"),
    "in_person": N_("in person: order 7 days before, handed over on the day"),
    "in_person_card": N_("in person with a card: order 9 days before, handed over on the day"),
    "": N_("no delivery chosen: order 10 days before, due on the day"),
    "spring": N_("couriers stop around Spring Festival: order 21 days before, delivered 7 days before"),
}


@dataclass(frozen=True)
class GiftDates:
    order_by: dt.date
    deliver_by: dt.date
    rule: str  # a RULES key: why these dates


def _lead_key(delivery: str) -> str:
    return delivery if delivery in LEADS else ("courier" if delivery.startswith("courier") else "")


@lru_cache(maxsize=64)
def _spring_window(year: int) -> tuple[dt.date, dt.date]:
    found = {f.key: f.date for f in festivals(year)}
    return found["spring_festival"] - dt.timedelta(days=14), found["lantern"]


def in_spring_rush(day: dt.date) -> bool:
    """Whether couriers are stopping for Spring Festival on `day` (two weeks before it to the Lantern Festival)."""
    for year in (day.year, day.year + 1):
        start, end = _spring_window(year)
        if start <= day <= end:
            return True
    return False


def gift_dates(day: dt.date, delivery: str) -> GiftDates:
    """When to order a gift given on `day`, and when it must have reached the person (see the module)."""
    key = _lead_key(delivery)
    order, deliver = LEADS[key]
    if key.startswith("courier") and in_spring_rush(day):
        order, deliver, key = SPRING_COURIER[0] + (order - 10), SPRING_COURIER[1], "spring"
    order_by = day - dt.timedelta(days=order)
    for _step in range(14):  # back to a workday (the longest holiday, with its weekends, is under two weeks)
        if is_workday(order_by):
            break
        order_by -= dt.timedelta(days=1)
    return GiftDates(order_by, day - dt.timedelta(days=deliver), key)


def rule_text(key: str) -> str:
    return _(RULES.get(key, RULES[""]))


# Card text ---------------------------------------------------------------------------------------
_CARD_LINE = re.compile(r"^\s*(?:card|贺卡|卡片|賀卡|卡)\s*[:：]\s*(.+)$", re.I | re.M)

#: Occasion → the words that name it (any language) and the default greeting.
GREETINGS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "mid_autumn",
        ("中秋", "mid-autumn", "mid autumn", "moon"),
        N_("Happy Mid-Autumn Festival!"),
    ),
    (
        "spring_festival",
        ("春节", "春節", "新春", "过年", "過年", "spring festival", "chinese new year", "lunar new year"),
        N_("Happy Spring Festival, and a good new year!"),
    ),
    ("dragon_boat", ("端午", "粽", "dragon boat"), N_("Good health this Dragon Boat Festival!")),
    ("national_day", ("国庆", "國慶", "national day"), N_("Happy National Day!")),
    ("new_year", ("元旦", "new year"), N_("Happy New Year!")),
    ("birthday", ("生日", "寿", "壽", "birthday"), N_("Happy birthday!")),
    (
        "promotion",
        ("升职", "升職", "晋升", "晉升", "promotion"),
        N_("Congratulations on your new role!"),
    ),
)
DEFAULT_GREETING = N_("With thanks for your support.")


def _occasion_key(occasion: str, day: dt.date | None) -> str:
    text = occasion.lower().replace("_", " ")  # the planners store codes: spring_festival, mid_autumn, dragon_boat
    for key, words, _greeting in GREETINGS:
        if any(word in text for word in words):
            return key
    if day is not None:  # the festival the gift's date falls just before (or on)
        for festival in (*festivals(day.year), *festivals(day.year + 1)):
            if festival.key in dict((k, g) for k, _w, g in GREETINGS) and 0 <= (festival.date - day).days <= 14:
                return festival.key
    return ""


def card_text(notes: str, occasion: str, day: dt.date | None = None) -> tuple[str, bool]:
    """(the card's words, whether they are the default greeting rather than words someone wrote)."""
    found = _CARD_LINE.search(notes or "")
    if found and found.group(1).strip():
        return found.group(1).strip(), False
    key = _occasion_key(occasion or "", day)
    greeting = next((g for k, _w, g in GREETINGS if k == key), DEFAULT_GREETING)
    return _(greeting), True


# Postcodes -------------------------------------------------------------------------------------
_POSTCODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def postcode(address: str) -> str:
    """A Chinese postcode (six digits standing alone) in the address, else "". A phone number or a longer run of
    digits is no postcode; 邮编 / 郵遞區號 / postcode before the digits is preferred when several stand alone."""
    text = address or ""
    marked = re.search(r"(?:邮编|郵編|邮政编码|郵政編碼|postcode|post code|zip)\s*[:：]?\s*(\d{6})(?!\d)", text, re.I)
    if marked:
        return marked.group(1)
    found = _POSTCODE.findall(text)
    return found[-1] if found else ""


# Pick list -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PickLine:
    order_by: dt.date
    item: str
    supplier: str
    quantity: int
    cost_cents: int


@dataclass(frozen=True)
class PickSource:
    """What the pick list needs of one gift."""

    order_by: dt.date
    item: str
    supplier: str
    quantity: int
    cost_cents: int


def pick_lines(gifts: Iterable[PickSource]) -> list[PickLine]:
    """Gifts added up by order-by date, item and supplier, in date order, then item."""
    totals: dict[tuple[dt.date, str, str], list[int]] = {}
    for gift in gifts:
        key = (gift.order_by, gift.item.strip(), gift.supplier.strip())
        entry = totals.setdefault(key, [0, 0])
        entry[0] += gift.quantity
        entry[1] += gift.cost_cents
    return [PickLine(day, item, supplier, q, c) for (day, item, supplier), (q, c) in sorted(totals.items())]


# Labels ------------------------------------------------------------------------------------------
def shipping_labels(rows: Iterable[GiftScheduleRow]) -> list[MailingLabel]:
    """One label per couriered gift (planned or done, not declined or returned), by company then person."""
    chosen = [r for r in rows if r.delivery.startswith("courier") and r.status not in NOT_ACCEPTED]
    chosen.sort(key=lambda r: (r.account, r.contact, r.date))
    return [
        MailingLabel(r.contact, r.title, r.account, r.address, r.phone, postcode(r.address), r.reference, r.item)
        for r in chosen
    ]
