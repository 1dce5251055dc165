"""The person export PDF reads as a document: coded values translated, no word or date broken across lines,
times in local time with the zone named, and sections with nothing held on one line instead of a page of 'None.'."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kamdesk.domain.personal_data import PersonData, Section
from kamdesk.i18n import set_language
from kamdesk.reports.person_export import build
from kamdesk.storage.personal_data import _SECTIONS

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _person(activities: int = 30) -> PersonData:
    rows = {key: [] for key in _SECTIONS}
    rows["activities"] = [
        {
            "due_on": dt.date(2026, 7, 1 + i % 28),
            "occurred_at": dt.datetime(2026, 7, 1 + i % 28, 1, 30),  # UTC: 09:30 in Shanghai
            "kind": "visit" if i % 2 else "call",
            "status": "done",
            "member": "李娜",
            "subject": "Happened to discuss the 2026-07-09 delivery window with procurement",
            "notes": "",
            "outcome": "约定下周再沟通",
        }
        for i in range(activities)
    ]
    rows["gifts"] = [
        {
            "given_on": dt.date(2026, 9, 10),
            "direction": "given",
            "kind": "holiday",
            "item": "中秋月饼",
            "value": "388.00",
        }
    ]
    rows["links"] = [
        {"member": "李娜", "relationship_stage": "ordinary_brother", "last_contact_on": dt.date(2026, 7, 9)}
    ]
    rows["change_log"] = [
        {
            "at": dt.datetime(2026, 11, 30, 6, 5),
            "by": "王芳",
            "action": "update",
            "table": "contacts",
            "changes": {"relationship_stage": ["acquainted", "good_friend"], "buying_role": [None, "decision_maker"]},
        }
    ]
    sections = [Section(key, title, columns, rows[key]) for key, (title, columns) in _SECTIONS.items()]
    card = {
        "name": "曾国华",
        "account": "苏宁易购集团",
        "buying_role": "decision_maker",
        "relationship_stage": "ordinary_brother",
        "rank_tier": "owner",
        "created_at": dt.datetime(2026, 1, 5, 16, 45),
    }
    return PersonData(7, "曾国华", "苏宁易购集团", card, sections, "team.kamdb", "王芳", dt.datetime(2026, 12, 5, 2, 0))


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def test_codes_are_translated_into_the_print_language(tmp_path: Path):
    set_language("zh_CN")
    try:
        out = tmp_path / "person.pdf"
        build(_person(), out, SHANGHAI)
    finally:
        set_language("en")
    text = "\n".join(_pages(out))
    for code in ("decision_maker", "ordinary_brother", "given", "holiday", "owner", "visit", "done"):
        assert not re.search(rf"\b{code}\b", text), code
    assert "决策者" in text and "普通兄弟" in text and "送出" in text
    # The change log reads as fields and values, not stored codes.
    assert "认识 → 好朋友" in text and "— → 决策者" in text and "修改" in text and "联系人名片" in text
    for code in ("good_friend", "acquainted", "relationship_stage", "contacts", "update"):
        assert code not in text, code


def test_no_word_or_date_is_broken_and_times_are_local_with_the_zone(tmp_path: Path):
    out = tmp_path / "person.pdf"
    build(_person(), out, SHANGHAI)
    pages = _pages(out)
    text = "\n".join(pages)
    assert "Happ\n" not in text and not re.search(r"\bHapp\s*$", text, re.M)
    words = re.findall(r"[A-Za-z]+", text)
    assert "Happened" in words and "Happ" not in words and "ened" not in words
    # Every date whole on its line: no "2026-07-0" left hanging.
    assert not re.search(r"\b\d{4}-\d{2}-\d?\s*$", text, re.M)
    assert text.count("2026-07-09") >= 2
    assert "09:30" in text and "01:30" not in text  # 01:30 UTC is 09:30 in Shanghai
    assert "UTC+08:00" in text and "2026-01-06 00:45" in text  # the card's creation, local
    assert "Decision maker" in text and "Ordinary brother" in text


def test_sections_with_nothing_held_take_one_line_and_no_page_is_near_empty(tmp_path: Path):
    out = tmp_path / "person.pdf"
    build(_person(activities=3), out, SHANGHAI)
    pages = _pages(out)
    assert len(pages) == 1
    assert "Nothing held" in pages[0] and "Family" in pages[0] and "None." not in pages[0]
    assert "Relationship stage: Acquainted → Good friend" in pages[0]
    out = tmp_path / "long.pdf"
    build(_person(activities=120), out, SHANGHAI)
    pages = _pages(out)
    for page in pages[:-1]:  # every page but the last is well filled
        assert len([line for line in page.splitlines() if line.strip()]) > 25
