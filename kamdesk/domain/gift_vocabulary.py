"""The gift vocabulary: what a catalogue item is, and what a person likes or must not be given.

One bilingual vocabulary (Simplified and Traditional Chinese, English) of tag codes, read from the
tables in gift_vocabulary_tables. Items are tagged from their names (茅台 → liquor, alcohol; 月饼 →
Mid-Autumn, sweets, sugar); a person's free text becomes like and taboo tags by meaning: keywords
are found whole (longest first) and each is read with the words around it, so 不喝酒 and "doesn't
drink" are taboos while 喜欢喝酒 and "loves wine" are likes. Nothing here matches shared characters.

Tags are stored as comma-separated codes (format_tags / parse_tags); labels are translated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache

from kamdesk.domain import gift_vocabulary_tables as tables
from kamdesk.i18n import _, load_catalog

OCCASIONS: tuple[str, ...] = tuple(tables.OCCASION_LABELS)
CATEGORIES: tuple[str, ...] = tuple(tables.CATEGORY_LABELS)
ATTRIBUTES: tuple[str, ...] = tuple(tables.ATTRIBUTE_LABELS)
#: Tags that describe a person only: cuisines, interests, and "vegetarian".
PERSON_TAGS: tuple[str, ...] = tuple(tables.PERSON_TAG_LABELS)
#: Every tag a person's likes may hold, and every tag their taboos may hold.
LIKE_TAGS: tuple[str, ...] = tuple(dict.fromkeys(CATEGORIES + ATTRIBUTES + PERSON_TAGS))
TABOO_TAGS: tuple[str, ...] = ATTRIBUTES + ("vegetarian", "liquor", "wine", "beer")

_LABELS: dict[str, str] = {
    **tables.OCCASION_LABELS,
    **tables.CATEGORY_LABELS,
    **tables.ATTRIBUTE_LABELS,
    **tables.PERSON_TAG_LABELS,
}
ALL_TAGS: tuple[str, ...] = tuple(_LABELS)
_ORDER = {code: i for i, code in enumerate(ALL_TAGS)}


@dataclass(frozen=True)
class ItemTags:
    """What an item is: the occasions it suits, its category and its attributes. `suits` holds the
    interests and tastes it speaks to (golf balls → golf, a tea set → tea); it is not stored."""

    occasions: frozenset[str] = frozenset()
    category: str = ""
    attributes: frozenset[str] = frozenset()
    suits: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def empty(self) -> bool:
        return not (self.occasions or self.category or self.attributes)

    def all_tags(self) -> frozenset[str]:
        """Category and attributes together: what breaks_taboo and like matching read."""
        return self.attributes | ({self.category} if self.category else frozenset())


# ---------------------------------------------------------------- normalising and keyword matching


def normalise(text: str) -> str:
    """Lower-case, half-width, Simplified Chinese: the form every keyword table is written in."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return text.replace("\u2019", "'").replace("\u2018", "'").translate(tables.TRADITIONAL_TO_SIMPLIFIED)


def _pattern(keyword: str) -> str:
    body = re.escape(keyword).replace(r"\ ", r"[\s\-]*")
    if re.match(r"[a-z0-9]", keyword):
        body = r"(?<![a-z0-9])" + body
    if re.search(r"[a-z]$", keyword):
        body += r"(?:e?s)?(?![a-z])"
    elif re.search(r"[0-9]$", keyword):
        body += r"(?![0-9])"
    return body


@dataclass(frozen=True)
class _Matcher:
    regex: re.Pattern[str]
    payloads: dict[str, int]

    def find(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, row index) of each keyword found whole, longest first, left to right."""
        for match in self.regex.finditer(text):
            found = match.group(0)
            key = re.sub(r"[\s\-]+", " ", found)
            for candidate in (key, key[:-1], key[:-2], found):
                if candidate in self.payloads:
                    yield match.start(), match.end(), self.payloads[candidate]
                    break


def _matcher(rows: Iterable[str]) -> _Matcher:
    payloads: dict[str, int] = {}
    for index, keywords in enumerate(rows):
        for keyword in keywords.split("|"):
            payloads.setdefault(normalise(keyword.strip()), index)
    ordered = sorted(payloads, key=len, reverse=True)
    return _Matcher(re.compile("|".join(_pattern(k) for k in ordered)), payloads)


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


@cache
def _item_matcher() -> _Matcher:
    return _matcher(row[0] for row in tables.ITEM_KEYWORDS)


@cache
def _concept_matcher() -> _Matcher:
    return _matcher(row[0] for row in tables.PERSON_CONCEPTS)


@cache
def _phrase_matcher() -> _Matcher:
    return _matcher(row[0] for row in tables.PERSON_PHRASES)


def prepare() -> None:
    """Compile the vocabulary's patterns now (once a process; about 50 ms of the processor), so that the first
    suggestion made while a person types does not pay for it. Safe on any thread."""
    _item_matcher()
    _concept_matcher()
    _phrase_matcher()


# ---------------------------------------------------------------- items


def suggest_item_tags(name: str, story: str = "", *, cost_cents: int | None = None) -> ItemTags:
    """The vocabulary's reading of an item name (and its story): occasions, category, attributes.

    The last keyword with a category decides it (普洱茶具 is a tea set, not tea); a tea set or a
    wine rack carries none of the attributes of what it serves. The story adds only ingredients
    it names without negating them (鲜肉 → pork; 不含酒精 adds nothing). An item whose name says
    no occasion gets its category's usual ones; a cheap one (≤ ¥100) also suits everyday giving.
    """
    category, attributes, occasions, suits = _read_item(normalise(name))
    if story.strip():
        story_category, story_attributes, _occ, story_suits = _read_item(normalise(story), skip_negated=True)
        attributes |= story_attributes & tables.CONSUMABLE_ATTRIBUTES - {"caffeine", "sugar"}
        category = category or story_category
        suits |= story_suits if not category else frozenset()
    if category in tables.NOT_CONSUMED:
        attributes -= tables.CONSUMABLE_ATTRIBUTES
    attributes |= tables.CATEGORY_ATTRIBUTES.get(category, frozenset())
    if not occasions:
        occasions = tables.CATEGORY_OCCASIONS.get(category, frozenset())
    if cost_cents is not None and occasions and category:
        if cost_cents <= 100_00:
            occasions |= {"everyday"}
        elif cost_cents >= 1_000_00:
            occasions -= {"everyday"}
    if category:
        suits |= {category}
    return ItemTags(frozenset(occasions), category, frozenset(attributes), frozenset(suits))


_NEGATED_BEFORE = re.compile(r"(?:(?:不|无|没|非|免|去|零)(?:含|加|添加|有|放)?|no|non|free of|without)[\s\-]*$")


def _read_item(text: str, skip_negated: bool = False) -> tuple[str, frozenset[str], frozenset[str], frozenset[str]]:
    category = ""
    attributes: set[str] = set()
    occasions: set[str] = set()
    head_occasions: frozenset[str] = frozenset()
    suits: set[str] = set()
    for start, end, index in _item_matcher().find(text):
        if skip_negated and (_NEGATED_BEFORE.search(text[max(0, start - 8) : start]) or text[end : end + 2] == "免"):
            continue
        _kw, row_category, row_attributes, row_occasions, row_suits = tables.ITEM_KEYWORDS[index]
        if row_category:  # the head so far: its occasions replace a modifier's (湖笔 … 文房四宝 is no pen)
            category, head_occasions = row_category, _codes(row_occasions)
        else:
            occasions |= _codes(row_occasions)
        attributes |= _codes(row_attributes)
        suits |= _codes(row_suits)
    return category, frozenset(attributes), frozenset(occasions | head_occasions), frozenset(suits)


# ---------------------------------------------------------------- a person's text

#: Words that turn what follows into a refusal (不错/不但/不少 … are not refusals).
_NEG_BEFORE = re.compile(
    r"不(?!错|仅|但|过|少|久|同|论|管|断|如|然|止|一定|光|只)|没|别|忌|戒|禁|拒|免|讨厌|怕|受不了|远离|避免|避开|勿|甭"
    r"|少(?!年|女|许|量|爷)|无(?!论)|过敏"
    r"|\bno\b|\bnot\b|n't|\bnever\b|\bnon\b|\bavoid|\ballergic|\ballergy|\bquit|\bgave up|\bgive up|\bstopped"
    r"|\bhates?\b|\bdislikes?\b|\bwithout\b|\bcannot\b|\bintoleran|\boff\b|\bforbid|\bskips?\b|\bnothing\b"
)
#: Words after a keyword that refuse it (海鲜过敏, 辣的不吃, "nut allergy").
_NEG_AFTER = re.compile(
    r"^[\s的类]*(?:都|也|一概|一律|从来|完全|一点|一口|一滴|根本|是)*"
    r"(?:(过敏|不沾|不碰|不行|戒了|免了|忌口|忌|不耐受|受不了|不宜|吃不了|喝不了|吃不消|不能吃|不能喝|不能碰)"
    r"|(不吃|不喝|不抽|不要|不用|不送|不收))"
    r"|^\s*(?:-\s*)?(allerg(?:y|ies|ic)|intoleran(?:t|ce)|free\b|is a no)"
)
_LIKE_BEFORE = re.compile(
    r"喜欢|爱|热爱|偏好|偏爱|钟爱|钟情|爱好|常|经常|迷|痴迷|擅长|懂|精通|收藏|热衷|好这口"
    r"|\blove|\blike|\benjoy|\bfond\b|\bfan\b|\binto\b|\bkeen\b|\bprefer|\bfavou?rite|\bpassion|\bcollect"
)
_LIST_GAP = re.compile(r"^(?:[\s、,/&+和与跟及或还有以及]|and|or|nor|plus)*$")
_CLAUSE_SPLIT = re.compile(
    r"[。.;!?\n\r|()\[\]【】{}]+|,|但是|但|不过|可是|然而|\bbut\b|\bhowever\b|\bthough\b|\balthough\b"
)
_STOPPED = re.compile(
    r"^\s*(?:现在|已经|已|早就|早已|最近|后来|正|now|has|have|is)*\s*"
    r"(?:在戒|戒了|戒掉了|不喝了|不抽了|不吃了|quit|stopped|gave up|giving up|quitting)"
)
#: A refusal at the end of a clause that covers the list before it (对海鲜、芒果过敏).
_ALLERGY_AT_END = re.compile(r"过敏|不耐受|allerg|intoleran")
_CJK = re.compile(r"[\u3400-\u9fff]")
_DRINK_WORDS = ("drink", "drinks", "drinking")
_SEPARATOR = re.compile(r"[、,/&+]|\band\b|\bor\b")


@dataclass
class _Group:
    start: int
    end: int
    likes: set[str]
    taboos: set[str]
    polarity: str = "bare"  # bare, like or no


@dataclass
class _Reading:
    likes: set[str] = field(default_factory=set)
    taboos: set[str] = field(default_factory=set)
    bare: set[str] = field(default_factory=set)  # taboo tags of keywords named without a like or a refusal
    explicit: set[str] = field(default_factory=set)  # likes said as likes (喜欢…, loves …, 无辣不欢)


def _read_phrases(text: str, reading: _Reading) -> str:
    """Whole phrases first (清真, 糖尿病, 滴酒不沾, 无辣不欢 …); they are cut out of the text."""
    pieces, last = [], 0
    for start, end, index in _phrase_matcher().find(text):
        _kw, liked, refused = tables.PERSON_PHRASES[index]
        negated = bool(re.search(r"(不|没|非|not|no|isn't)[\s是很太]*$", text[max(0, start - 6) : start]))
        if not negated:
            reading.likes |= _codes(liked)
            reading.explicit |= _codes(liked)
            reading.taboos |= _codes(refused)
        else:
            reading.taboos |= _codes(liked)  # 不能吃辣, 不是很能喝: a like denied is a refusal
        pieces.append(text[last:start] + ";")
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _mentions(clause: str) -> list[_Group]:
    found = []
    for start, end, index in _concept_matcher().find(clause):
        _kw, liked, refused = tables.PERSON_CONCEPTS[index]
        if liked or refused:
            found.append(_Group(start, end, set(_codes(liked)), set(_codes(refused))))
    # "drinks tea": the verb belongs to the tea, it is not alcohol
    kept = []
    for i, group in enumerate(found):
        following = found[i + 1] if i + 1 < len(found) else None
        if (
            clause[group.start : group.end] in _DRINK_WORDS
            and following
            and following.start - group.end < 15
            and not _SEPARATOR.search(clause[group.end : following.start])
            and (following.likes & {"tea", "coffee", "sweets", "fruit"} or following.taboos & {"caffeine", "dairy"})
        ):
            continue
        kept.append(group)
    return kept


def _groups(clause: str) -> list[_Group]:
    """Keywords joined only by 、/和/and/or form one group that shares its polarity."""
    groups: list[_Group] = []
    for mention in _mentions(clause):
        if groups and _LIST_GAP.match(clause[groups[-1].end : mention.start]):
            groups[-1].end = mention.end
            groups[-1].likes |= mention.likes
            groups[-1].taboos |= mention.taboos
        else:
            groups.append(mention)
    return groups


def _read_clause(clause: str) -> list[_Group]:
    groups = _groups(clause)
    boundary = 0
    for i, group in enumerate(groups):
        prefix = clause[boundary : group.start]
        is_last = i == len(groups) - 1
        gap_end = len(clause) if is_last else groups[i + 1].start
        gap = clause[group.end : gap_end]
        after = _NEG_AFTER.match(gap)
        boundary = group.end
        refused_after = False
        if after:
            verb_only = after.group(2) and not is_last and not gap[after.end() :].strip()
            if not verb_only:  # 茶不喝酒: the 不喝 belongs to the 酒 that follows
                refused_after = True
                boundary = group.end + after.end()
        if is_last and not refused_after and _ALLERGY_AT_END.search(gap):
            refused_after = True
        if _NEG_BEFORE.search(prefix) or refused_after:
            group.polarity = "no"
        elif _LIKE_BEFORE.search(prefix):
            group.polarity = "like"
    return groups


def _read(text: str) -> _Reading:
    reading = _Reading()
    remaining = _read_phrases(normalise(text), reading)
    previous: list[_Group] = []
    every: list[_Group] = []
    position = 0
    for match in [*_CLAUSE_SPLIT.finditer(remaining), None]:
        end = match.start() if match else len(remaining)
        clause = remaining[position:end]
        position = match.end() if match else len(remaining)
        groups = _read_clause(clause)
        if not groups and previous and _STOPPED.match(clause):
            previous[-1].polarity = "no"  # 以前抽烟，现在戒了
        elif groups and previous and previous[-1].polarity == "no" and not _CJK.search(clause):
            if all(g.polarity == "bare" for g in groups) and _LIST_GAP.match(_strip_groups(clause, groups)):
                for group in groups:  # "doesn't drink wine, beer or spirits"
                    group.polarity = "no"
        every.extend(groups)
        if groups:
            previous = groups
    for group in every:
        _collect(group, reading)
    return reading


def _strip_groups(clause: str, groups: list[_Group]) -> str:
    kept, last = [], 0
    for group in groups:
        kept.append(clause[last : group.start])
        last = group.end
    kept.append(clause[last:])
    return "".join(kept)


def _collect(group: _Group, reading: _Reading) -> None:
    if group.polarity == "no":
        reading.taboos |= group.taboos
    else:
        reading.likes |= group.likes
        if group.polarity == "bare":
            reading.bare |= group.taboos
        else:
            reading.explicit |= group.likes


def _expand(tags: Iterable[str]) -> frozenset[str]:
    result = set(tags)
    for tag in list(result):
        result |= tables.IMPLIES.get(tag, frozenset())
    return frozenset(result)


def _without_conflicts(likes: Iterable[str], taboos: frozenset[str]) -> frozenset[str]:
    return frozenset(tag for tag in likes if not breaks_taboo(_expand({tag}), taboos))


def suggest_like_tags(text: str) -> frozenset[str]:
    """What a person likes, from free text of interests or preferences (Chinese or English).

    A keyword counts as a like unless the words around it refuse it (不喝酒 is not a like of
    alcohol); a like the same text forbids is dropped (喜欢川菜但不能吃辣 keeps Sichuan food out)."""
    reading = _read(text)
    taboos = frozenset(reading.taboos)
    return _without_conflicts(reading.likes, taboos)


def suggest_taboo_tags(text: str, *, bare_means_taboo: bool = False) -> frozenset[str]:
    """What a person must not be given, read by meaning: 不喝酒/戒酒/"doesn't drink" → alcohol,
    糖尿病 → sugar, 清真 → pork and alcohol, 素食 → vegetarian, 海鲜过敏 → seafood …

    With bare_means_taboo (text from a field of taboos), a keyword named without a like or a
    refusal ("海鲜、花生") is a taboo too; 喜欢喝酒 never is."""
    reading = _read(text)
    taboos = set(reading.taboos)
    if bare_means_taboo:
        taboos |= reading.bare
    return frozenset(tag for tag in taboos if tag in TABOO_TAGS)


@lru_cache(maxsize=4096)
def suggest_contact_tags(
    interests: str = "", preferences: str = "", taboos: str = ""
) -> tuple[frozenset[str], frozenset[str]]:
    """(like tags, taboo tags) for a contact from their three free-text fields; taboos win over likes.

    In the taboos field a keyword named bare is a taboo, and only a like said as one (喜欢…) a like."""
    fields = (_field_tags(interests, False), _field_tags(preferences, False), _field_tags(taboos, True))
    likes = frozenset().union(*(f[0] for f in fields))
    taboo_tags = frozenset().union(*(f[1] for f in fields))
    return _without_conflicts(likes, taboo_tags), taboo_tags


@lru_cache(maxsize=8192)  # the same few phrases recur across a team's contacts and an import's rows
def _field_tags(text: str, taboo_field: bool) -> tuple[frozenset[str], frozenset[str]]:
    if not text.strip():
        return frozenset(), frozenset()
    reading = _read(text)
    taboos = reading.taboos | (reading.bare if taboo_field else set())
    return frozenset(reading.explicit if taboo_field else reading.likes), frozenset(
        t for t in taboos if t in TABOO_TAGS
    )


def breaks_taboo(item_attributes: Iterable[str], taboo_tags: Iterable[str]) -> frozenset[str]:
    """The taboo tags an item breaks. Pass the item's attributes and, best, its category too
    (ItemTags.all_tags()): a "wine" taboo is broken by a wine; "vegetarian" by any meat or seafood."""
    item = _expand(item_attributes)
    kind_unknown = "alcohol" in item and not item & _DRINK_KINDS  # attributes alone: which drink is unknown
    broken = set()
    for taboo in set(taboo_tags) | CUSTOMARY_TABOOS:
        if taboo in item or item & tables.FORBIDS.get(taboo, frozenset()):
            broken.add(taboo)
        elif taboo in _DRINK_KINDS and kind_unknown:
            broken.add(taboo)
    return frozenset(broken)


_DRINK_KINDS = frozenset({"liquor", "wine", "beer"})
#: Taboo for everyone, whatever their own taboos say: gifts of ill omen in Chinese custom (a clock, a pear…).
CUSTOMARY_TABOOS = frozenset({"ill_omen"})


def like_conflicts(like_tags: Iterable[str], taboo_tags: Iterable[str]) -> frozenset[str]:
    """Like tags that a person's own taboos forbid (loves Sichuan food, eats nothing spicy)."""
    taboos = frozenset(taboo_tags)
    return frozenset(tag for tag in like_tags if breaks_taboo(_expand({tag}), taboos))


# ---------------------------------------------------------------- storage and labels


def parse_tags(text: str | None) -> frozenset[str]:
    """Stored comma-separated codes → tags; unknown codes are dropped."""
    return frozenset(part.strip() for part in (text or "").split(",") if part.strip() in _ORDER)


def format_tags(tags: Iterable[str]) -> str:
    """Tags → comma-separated codes in the vocabulary's order; unknown codes are dropped."""
    return ",".join(sorted({t for t in tags if t in _ORDER}, key=_ORDER.__getitem__))


def tag_label(code: str) -> str:
    """The label of a tag in the current language (the code itself when unknown)."""
    label = _LABELS.get(code)
    return _(label) if label else code


def tag_labels(tags: Iterable[str]) -> str:
    """Labels of tags in the vocabulary's order, for display: "Tea, Caffeine"."""
    return _(", ").join(tag_label(t) for t in sorted(set(tags), key=lambda t: _ORDER.get(t, len(_ORDER))))


_CELL_SPLIT = re.compile(r"[,，、;；/|\n]+")


@cache
def _label_lookup() -> dict[str, str]:
    """Every name a tag is known by (code, English label, zh_CN and zh_TW labels, aliases) → code."""
    lookup: dict[str, str] = {}
    catalogs = [load_catalog(language) for language in ("zh_CN", "zh_TW")]
    for code, label in _LABELS.items():
        names = [code, code.replace("_", " "), code.replace("_", "-"), label]
        names += [catalog[label] for catalog in catalogs if label in catalog]
        names += tables.TAG_ALIASES.get(code, "").split("|")
        for name in names:
            if name:
                lookup.setdefault(_cell_key(name), code)
    return lookup


def _cell_key(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).strip().lower())


def tags_from_cell(text: str, allowed: Iterable[str]) -> tuple[frozenset[str], list[str]]:
    """A spreadsheet cell of tags ("中秋节、春节", "tea; alcohol", "mid_autumn") → (tags, unknown
    names). Codes, English or Chinese labels (either script) are accepted; tags not in `allowed`
    count as unknown."""
    allowed_set = set(allowed)
    lookup = _label_lookup()
    tags, unknown = set(), []
    for part in _CELL_SPLIT.split(text or ""):
        name = part.strip()
        if not name:
            continue
        code = lookup.get(_cell_key(name)) or lookup.get(_cell_key(name.translate(tables.TRADITIONAL_TO_SIMPLIFIED)))
        if code in allowed_set:
            tags.add(code)
        else:
            unknown.append(name)
    return frozenset(tags), unknown
