"""Numbers as salespeople write them: 1,200万, 5亿元, 三个项目, ≥ 90 分, 35%, RMB 5m (for the SMART checks)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

#: Chinese digits and the small multipliers inside a number written in characters.
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+")

#: Scale words after a number (万 = 10⁴, 亿 = 10⁸; k, m, million, bn in English).
SCALES: dict[str, int] = {
    "千万": 10_000_000,
    "百万": 1_000_000,
    "亿": 100_000_000,
    "万": 10_000,
    "千": 1_000,
    "billion": 1_000_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "k": 1_000,
    "m": 1_000_000,
}

#: Currency words: an amount next to one of these is money.
CURRENCY = ("元", "人民币", "rmb", "cny", "yuan", "¥", "￥", "usd", "us$", "$", "hkd", "eur")

#: Units that make a number a count or a level one can check.
COUNT_UNITS = (
    "%",
    "％",
    "个",
    "家",
    "项",
    "次",
    "人",
    "名",
    "位",
    "台",
    "套",
    "件",
    "份",
    "条",
    "款",
    "单",
    "笔",
    "场",
    "分",
    "天",
    "周",
    "月",
    "年",
    "小时",
    "吨",
    "公斤",
    "米",
    "点",
    "倍",
    "成",
    "percent",
    "point",
    "pts",
    "project",
    "order",
    "customer",
    "visit",
    "unit",
    "day",
    "week",
    "month",
    "hour",
    "time",
    "people",
    "person",
    "line",
    "contract",
    "site",
    "plant",
    "score",
)

_ARABIC = re.compile(
    r"(?P<cur>[¥￥$]|rmb|cny|usd|us\$|hkd|eur)?\s*"
    r"(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<scale>千万|百万|亿|万|千|billion|million|bn|k\b|m\b)?\s*"
    r"(?P<unit>[^\s\d,，.;；、)）]{0,4})",
    re.IGNORECASE,
)


#: Words with a numeral in them that are no number (十分 = very, 进一步 = further, 一定 = certainly …).
_IDIOMS = (
    "十分",
    "一些",
    "一定",
    "一直",
    "一起",
    "一流",
    "一般",
    "一致",
    "进一步",
    "统一",
    "唯一",
    "万一",
    "第一",
    "一线",
)

#: Units that make a number a share or a count, never an amount of money.
_NOT_MONEY = ("%", "％", "个", "家", "项", "次", "人", "名", "位", "台", "套", "件", "分", "天", "周", "月", "年", "倍")


@dataclass(frozen=True)
class Quantity:
    """One number found in a text: its value (scale applied), and the words right after it."""

    value: Decimal
    unit: str  # the text following the number (lower case), e.g. "万元", "个项目", "%"
    currency: bool  # written with a currency sign or word
    scaled: bool = False  # a scale word (万, 亿, k, million) came with it

    @property
    def has_unit(self) -> bool:
        return self.currency or self.scaled or any(self.unit.startswith(u) for u in COUNT_UNITS)

    @property
    def counts_things(self) -> bool:
        """A share or a count (35%, 3 个, 90 分), never money."""
        bare = self.unit[1:] if self.scaled and self.unit[:1] in "万亿千百" else self.unit
        return bare.startswith(_NOT_MONEY)


def chinese_number(text: str) -> int | None:
    """三 → 3, 十二 → 12, 两百 → 200, 三千五百 → 3500 (None when `text` is not a number in characters)."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_SMALL for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
    return total + (digit or 0)


def _scale(word: str | None) -> int:
    return SCALES.get((word or "").lower(), 1)


def _idiom_spans(text: str) -> set[int]:
    covered: set[int] = set()
    for idiom in _IDIOMS:
        start = text.find(idiom)
        while start >= 0:
            covered.update(range(start, start + len(idiom)))
            start = text.find(idiom, start + 1)
    return covered


def quantities(text: str) -> list[Quantity]:
    """Every number in `text`, in Arabic digits or in characters, with the scale and unit that follow it."""
    found: list[Quantity] = []
    lowered = text.lower()
    for match in _ARABIC.finditer(lowered):
        number = Decimal(match.group("num").replace(",", "").replace("，", ""))
        scale = match.group("scale") or ""
        unit = (match.group("unit") or "").strip()
        currency = bool(match.group("cur")) or unit.startswith(CURRENCY)
        found.append(Quantity(number * _scale(scale), scale + unit, currency, bool(scale)))
    idioms = _idiom_spans(text)
    for match in _CN_NUMBER.finditer(text):
        value = chinese_number(match.group())
        if value is None or idioms.intersection(range(match.start(), match.end())):
            continue
        rest = lowered[match.end() : match.end() + 4]
        scale = next((s for s in ("千万", "百万", "亿", "万") if rest.startswith(s)), "")
        unit = rest[len(scale) :]
        found.append(Quantity(Decimal(value) * _scale(scale), scale + unit, unit.startswith(CURRENCY), bool(scale)))
    return found


def scale_in(text: str) -> int:
    """The scale a column heading states, such as 签约金额（万元） → 10,000 (1 when none)."""
    lowered = text.lower()
    for word in ("千万", "百万", "亿", "万"):
        if word + "元" in lowered or f"({word})" in lowered or f"（{word}）" in lowered:
            return SCALES[word]
    return 1


def names_money(text: str) -> bool:
    """The text speaks of money: a currency, or an amount such as sales, revenue or contract value."""
    lowered = text.lower()
    words = ("金额", "销售额", "收入", "营收", "营业额", "采购额", "合同额", "revenue", "sales", "turnover", "amount")
    return any(c in lowered for c in CURRENCY) or any(w in lowered for w in words)


def money_cents(target: str, context: str = "") -> int | None:
    """The amount of money a target names, in cents: "1,200万" → 1,200,000,000; "1200" with the measure
    "签约金额（万元）" as context → the same. None when the target names no amount of money (35%, 3 个项目)."""
    for quantity in quantities(target):
        if quantity.counts_things or not (quantity.currency or names_money(context) or names_money(target)):
            continue
        scale = 1 if quantity.scaled else scale_in(context + " " + target)
        return int(quantity.value * scale * 100)
    return None


def wan(cents: int) -> str:
    """An amount as a salesperson says it: 1,200万, 1.2亿, 8,000 (yuan)."""
    yuan = Decimal(cents) / 100
    if yuan >= 100_000_000:
        return f"{yuan / 100_000_000:,.2f}".rstrip("0").rstrip(".") + "亿"
    if yuan >= 10_000:
        return f"{yuan / 10_000:,.0f}万"
    return f"{yuan:,.0f}"
