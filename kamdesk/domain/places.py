"""China's provinces, prefecture-level cities and counties: find a place by its Chinese name or pinyin,
and tell which places a contact's city or hometown text names (with the province and city above them)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kamdesk.i18n import _

LEVELS = ("province", "prefecture", "county")

#: The 55 minority peoples' names as they appear in autonomous prefectures and counties.
_PEOPLES = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|"
    "景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|"
    "保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各"
)
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{_PEOPLES})族?)+自治(?:州|县|旗|区)$")
_SUFFIXES = ("特别行政区", "自治区", "林区", "地区", "省", "市", "盟", "区", "县", "旗")
_LATIN_SUFFIXES = ("province", "sheng", "city", "shi", "district", "qu", "county", "xian", "prefecture")
_HAN = re.compile(r"[\u3400-\u9fff]")


def short_name(name: str) -> str:
    """The name people use: 甘肃省 → 甘肃, 兰州市 → 兰州, 临夏回族自治州 → 临夏, 城关区 → 城关 (赵县 stays)."""
    name = name.strip()
    autonomous = _AUTONOMOUS.match(name)
    if autonomous:
        return autonomous.group(1)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch)).lower()


def _fold_latin(token: str) -> str:
    folded = _fold(token)
    for suffix in _LATIN_SUFFIXES:
        if folded.endswith(suffix) and len(folded) > len(suffix) + 2:
            return folded[: -len(suffix)]
    return folded


@dataclass(frozen=True)
class Place:
    code: str  # GB/T 2260, six digits
    name: str  # 兰州市
    short: str  # 兰州
    pinyin: str  # lanzhou; other readings after "|" (朝阳: zhaoyang|chaoyang)
    level: str  # province | prefecture | county
    parent: str | None  # the code of the place above it

    @property
    def label(self) -> str:
        return self.name


class PlaceIndex:
    """All places, looked up by full name, short name and pinyin."""

    def __init__(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        rows = list(rows)
        codes = {r[0] for r in rows}
        self.places: dict[str, Place] = {}
        for code, name, short, pinyin in rows:
            if code.endswith("0000"):
                level, parent = "province", None
            elif code.endswith("00"):
                level, parent = "prefecture", code[:2] + "0000"
            else:
                prefecture = code[:4] + "00"
                level, parent = "county", prefecture if prefecture in codes else code[:2] + "0000"
            self.places[code] = Place(code, name, short, pinyin, level, parent)
        self.by_han: dict[str, list[Place]] = {}
        self.by_pinyin: dict[str, list[Place]] = {}
        for place in self.places.values():
            for key in {place.name, place.short}:
                self.by_han.setdefault(key, []).append(place)
            for reading in place.pinyin.split("|"):
                self.by_pinyin.setdefault(reading, []).append(place)
        self.longest = max((len(k) for k in self.by_han), default=0)
        self._resolved: dict[str, frozenset[str]] = {}

    def ancestors(self, code: str) -> list[str]:
        """The code and every code above it."""
        out = []
        current: str | None = code
        while current is not None and current in self.places:
            out.append(current)
            current = self.places[current].parent
        return out

    def lookup(self, query: str) -> list[Place]:
        """The places a search names: 甘肃, 甘肃省, 兰州, 兰州市, Lanzhou, lanzhou, "Gansu Province"…

        A name several places share (朝阳 is a city and several districts) gives all of them. Text that
        is not one name (甘肃兰州) gives the most specific places it names.
        """
        text = query.strip()
        if not text:
            return []
        if _HAN.search(text):
            exact = self.by_han.get(text) or self.by_han.get(short_name(text))
            if exact:
                return sorted(exact, key=_order)
            found = self._in_han(text)
            deepest = {c for c in found if not any(c != o and c in self.ancestors(o) for o in found)}
            return sorted((self.places[c] for c in deepest), key=_order)
        exact = self.by_pinyin.get(_fold_latin(text)) or self.by_pinyin.get(_fold(text))
        if exact:
            return sorted(exact, key=_order)
        found = self._in_latin(text)
        deepest = {c for c in found if not any(c != o and c in self.ancestors(o) for o in found)}
        return sorted((self.places[c] for c in deepest), key=_order)

    def codes_in(self, text: str) -> set[str]:
        """Every place a free-text city or hometown names, with the places above them (兰州 → 兰州市, 甘肃省)."""
        text = (text or "").strip()
        if not text:
            return set()
        cached = self._resolved.get(text)
        if cached is not None:  # a team's cities and hometowns repeat: each text is worked out once
            return set(cached)
        found = self._in_han(text) if _HAN.search(text) else self._in_latin(text)
        out: set[str] = set()
        for code in found:
            out.update(self.ancestors(code))
        if len(self._resolved) < 50_000:
            self._resolved[text] = frozenset(out)
        return out

    def _in_han(self, text: str) -> set[str]:
        hits: dict[str, list[Place]] = {}
        for size in range(min(self.longest, len(text)), 1, -1):
            for start in range(len(text) - size + 1):
                key = text[start : start + size]
                if key in self.by_han:
                    hits[key] = self.by_han[key]
        return self._settle(hits.values())

    def _in_latin(self, text: str) -> set[str]:
        tokens = [t for t in re.split(r"[\s,，、;/|]+", text) if t]
        hits = [self.by_pinyin[k] for k in {_fold_latin(t) for t in tokens} | {_fold(text)} if k in self.by_pinyin]
        return self._settle(hits)

    def _settle(self, hits: Iterable[list[Place]]) -> set[str]:
        """One set of codes from the names found: a name several places share keeps those whose province or
        city is named too, else the highest-level ones (朝阳 alone is the city in 辽宁, not a district)."""
        groups = [list(g) for g in hits]
        named = {p.code for g in groups for p in g if len(g) == 1}
        out: set[str] = set(named)
        for group in groups:
            if len(group) == 1:
                continue
            placed = [p for p in group if p.parent is not None and set(self.ancestors(p.parent)) & named]
            if placed:
                out.update(p.code for p in placed)
                continue
            top = min(LEVELS.index(p.level) for p in group)
            out.update(p.code for p in group if LEVELS.index(p.level) == top)
        return out


def _order(place: Place) -> tuple[int, str]:
    return LEVELS.index(place.level), place.code


@functools.cache
def index() -> PlaceIndex:
    """The shipped list (kamdesk/domain/places_data.py), read once."""
    from kamdesk.domain.places_data import DATA

    rows = []
    for line in DATA.splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            rows.append((parts[0], parts[1], parts[2], parts[3]))
    return PlaceIndex(rows)


class UnknownPlaceError(ValueError):
    """A place kamdesk's list of China's divisions does not know."""


def find(query: str) -> list[Place]:
    """The places a search names; UnknownPlaceError with a clear message when none."""
    if not query.strip():
        raise UnknownPlaceError(_("Enter a province, city or district, e.g. 甘肃, 兰州 or Lanzhou."))
    places = index().lookup(query)
    if not places:
        raise UnknownPlaceError(
            _(
                "“{place}” is not a province, city or district kamdesk knows. Try its Chinese name or pinyin, e.g. 兰州 or Lanzhou."
            ).format(place=query.strip())
        )
    return places


def in_any(codes: set[str], texts: Iterable[str]) -> bool:
    """Whether any of the texts (a contact's city, hometown) names a place inside one of `codes`."""
    found: set[str] = set()
    for text in texts:
        found |= index().codes_in(text)
    return bool(found & codes)


def province_code(text: str) -> str | None:
    """The province a region text lies in (广州 → 440000), or None."""
    codes = index().codes_in(text)
    provinces = sorted(c for c in codes if c.endswith("0000"))
    return provinces[0] if len(provinces) == 1 else None
