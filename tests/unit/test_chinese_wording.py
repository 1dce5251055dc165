"""The Chinese catalogues as a Chinese sales manager reads them: rules that can be checked mechanically.

- no table shows two columns with the same title (the headers are read from the source);
- zh_TW calls a column 欄 and a row 列 (列 alone for a column is the mainland usage, and misleads);
- a person's name is 姓名, an account's 客户名称, never the other way round;
- the practice's own terms (seeds) where the UI once invented its own.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from kamdesk.i18n import load_catalog

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "kamdesk"
HEADER_CALLS = {"setHorizontalHeaderLabels", "setHeaderLabels", "EditTable", "table", "_heads"}
LANGUAGES = ("zh_CN", "zh_TW")


def _message(node: ast.AST) -> str | None:
    """The literal inside _("…") or N_("…")."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("_", "N_")
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None


def _header_lists() -> list[tuple[str, list[str]]]:
    """Every list of column titles written out in the UI and report code: (where, msgids)."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "ui" not in path.parts and "reports" not in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in HEADER_CALLS and node.args and isinstance(node.args[0], ast.List):
                    titles = [t for t in (_message(e) for e in node.args[0].elts) if t]
                    if len(titles) > 1:
                        found.append((where, titles))
            # Model column lists: [("key", N_("Title")), …]
            if (
                isinstance(node, ast.List)
                and len(node.elts) > 1
                and all(isinstance(e, ast.Tuple) and len(e.elts) == 2 and _message(e.elts[1]) for e in node.elts)
            ):
                found.append((where, [_message(e.elts[1]) or "" for e in node.elts]))  # type: ignore[union-attr]
    return found


def test_the_header_lists_are_found():
    lists = _header_lists()
    assert len(lists) >= 10
    assert any("Objective" in titles for _where, titles in lists)
    assert any("contacts_model" in where for where, _titles in lists)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_table_has_two_columns_with_the_same_title(language: str):
    catalog = load_catalog(language)
    problems = []
    for where, titles in _header_lists():
        shown = [catalog.get(t) or t for t in titles]
        twice = [title for title, count in Counter(shown).items() if count > 1]
        if twice:
            problems.append(f"{where}: {twice} from {titles}")
    assert not problems, "\n".join(problems)


def test_zh_tw_says_lan_for_columns_and_lie_for_rows():
    catalog = load_catalog("zh_TW")
    wrong = []
    for msgid, text in catalog.items():
        words = msgid.lower()
        if "column" in words and "row" not in words and "列" in text:
            wrong.append(f"{msgid!r} → {text!r}")
        if "row" in words and "column" not in words and "欄" in text and "列" not in text:
            wrong.append(f"{msgid!r} → {text!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_people_have_a_full_name_and_accounts_a_name(language: str):
    catalog = load_catalog(language)
    person = {"Name", "Full name", "Contact name", "Name of the contact"}
    for msgid in person & set(catalog):
        assert catalog[msgid] == "姓名", (msgid, catalog[msgid])
    for msgid in ("Account name", "Type an account name"):
        assert "名" in catalog[msgid] and "姓名" not in catalog[msgid], msgid


#: English term → the practice's word (zh_CN, zh_TW), from ../shared/seeds.
PRACTICE_TERMS = {
    "Key accounts": ("重点客户", "重點客戶"),
    "Decision maker": ("决策者", "決策者"),
    "Influencer": ("影响者", "影響者"),
    "User": ("使用者", "使用者"),
    "Gatekeeper": ("把关者", "把關者"),
    "Sales stage": ("客户发展阶段", "客戶發展階段"),
    "Cycle stage": ("客户关系周期", "客戶關係週期"),
    "Breakthrough": ("突破期", "突破期"),
    "Pause": ("暂停期", "暫停期"),
    "Executive sponsor": ("行政支持者", "行政支持者"),
    "Regional outreach": ("客情维护", "客情維護"),
    "Their person": ("关系人", "關係人"),
    "Care greeting (irregular rhythm)": ("日常周期性问候", "日常週期性問候"),
    "Key person": ("关键人物", "關鍵人物"),
    "B — maintain": ("重点维护", "重點維護"),
    "Stranger": ("陌生", "陌生"),
    "Acquainted": ("认识", "認識"),
    "Ordinary friend": ("普通朋友", "普通朋友"),
    "Good friend": ("好朋友", "好朋友"),
    "Ordinary brother": ("普通兄弟", "普通兄弟"),
    "Good brother": ("好兄弟", "好兄弟"),
    "Best friend": ("死党", "死黨"),
    "Potential value": ("潜在价值", "潛在價值"),
}


@pytest.mark.parametrize("index,language", list(enumerate(LANGUAGES)))
def test_the_practices_terms_are_used(index: int, language: str):
    catalog = load_catalog(language)
    missing = []
    for msgid, words in PRACTICE_TERMS.items():
        if msgid in catalog and words[index] not in catalog[msgid]:
            missing.append(f"{msgid!r} → {catalog[msgid]!r} (practice: {words[index]})")
    assert not missing, "\n".join(missing)


#: Words the UI once invented where the practice has its own: (zh_CN, zh_TW) → the practice's word.
INVENTED = {
    ("对方人员", "對方人員"): "客户关系人",
    ("高层支持者", "高層支持者"): "行政支持者",
    ("关怀问候", "關懷問候"): "日常周期性问候",
}


@pytest.mark.parametrize("index,language", list(enumerate(LANGUAGES)))
def test_words_the_ui_invented_are_gone(index: int, language: str):
    catalog = load_catalog(language)
    found = [
        f"{msgid!r} → {text!r} (say {practice})"
        for msgid, text in catalog.items()
        for words, practice in INVENTED.items()
        if words[index] in text
    ]
    assert not found, "\n".join(found)
