"""Translation entry points usable without Qt: `_()` for text, language detection, catalogues."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "zh_CN", "zh_TW")
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文", "zh_TW": "繁體中文"}

_catalog: dict[str, str] = {}
_language = "en"


def N_(text: str) -> str:
    """Mark text for extraction without translating it now (it is translated where shown)."""
    return text


def _(text: str) -> str:
    """Translate text into the current language; untranslated text falls back to English."""
    return _catalog.get(text) or text


def current_language() -> str:
    return _language


def normalise_language(name: str | None) -> str:
    """Map a locale name such as zh_HK.UTF-8, zh-Hant-TW or en_GB to a supported language."""
    if not name:
        return "en"
    tag = name.split(".")[0].split("@")[0].replace("-", "_").lower()
    if tag.startswith("zh"):
        parts = tag.split("_")
        if any(p in ("tw", "hk", "mo", "hant") for p in parts[1:]):
            return "zh_TW"
        return "zh_CN"
    return "en"


def detect_language(candidates: Iterable[str] | None = None) -> str:
    """The language for this user: the first candidate given, else the POSIX locale variables."""
    names = list(candidates or [])
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            names.extend(value.split(":"))
            break
    for name in names:
        if name and name not in ("C", "POSIX"):
            return normalise_language(name)
    return "en"


@cache
def load_catalog(language: str) -> dict[str, str]:
    """Read the shipped .po catalogue for a language into a msgid → msgstr mapping."""
    if language == "en":
        return {}
    from babel.messages.pofile import read_po

    from kamdesk.paths import translations_dir

    path = translations_dir() / f"{language}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def set_language(language: str) -> str:
    """Switch the language used by `_()`; unknown languages fall back to English."""
    global _catalog, _language
    if language not in SUPPORTED_LANGUAGES:
        language = normalise_language(language)
    _catalog = load_catalog(language)
    _language = language
    return language
