"""Search keys for Chinese and Latin names: full pinyin and initials, with surname readings."""

from __future__ import annotations

import re
import unicodedata

# Characters whose reading as a surname differs from their everyday reading. Compound surnames
# keep a space between syllables so that each character still gives its own initial.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "尉": "wei",
    "万俟": "mo qi",
    "尉迟": "yu chi",
    "覃": "qin",
    "翟": "zhai",
    "缪": "miao",
    "繁": "po",
    "召": "shao",
    "隗": "wei",
    "种": "chong",
    "员": "yun",
    "长孙": "zhang sun",
    "秘": "bi",
    "宓": "fu",
    "过": "guo",
    "黑": "he",
    "沈": "shen",
    "重": "chong",
    "句": "gou",
    "纪": "ji",
    "任": "ren",
}
_COMPOUND_SURNAMES = sorted((s for s in SURNAME_READINGS if len(s) > 1), key=len, reverse=True)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def fold(text: str) -> str:
    """Lower-case, accent-free, space-free form used for matching Latin text."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch)).lower()


def _syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="default", v_to_u=False) if s.strip()]


def preload() -> None:
    """Load the pinyin dictionaries now. The first name read loads them, 140-210 ms spent unpacking them in one
    piece while holding the interpreter: in a worker saving a card, the window stood still meanwhile (issue 24).
    The app calls this while it opens its file, when the window is not answering anyway."""
    _syllables("王")


def search_keys(name: str, *, person: bool = False) -> tuple[str, str]:
    """(full pinyin, initials) for a name; a person's surname is read as a surname."""
    name = name.strip()
    if not has_han(name):
        # Words are found before folding: decomposed accents would split "Müller" into two words.
        words = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", name))
        return fold(name), "".join(fold(w)[:1] for w in words)
    syllables: list[str] = []
    rest = name
    if person:
        for surname in _COMPOUND_SURNAMES:
            if rest.startswith(surname):
                syllables.extend(SURNAME_READINGS[surname].split())
                rest = rest[len(surname) :]
                break
        else:
            if rest[:1] in SURNAME_READINGS:
                syllables.append(SURNAME_READINGS[rest[0]])
                rest = rest[1:]
    syllables += _syllables(rest)
    folded = [fold(s) for s in syllables]
    folded = [s for s in folded if s]
    return "".join(folded), "".join(s[0] for s in folded)
