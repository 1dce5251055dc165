"""Reason details kept as messages and values, read in the reader's language; odd stored text shown as it is."""

from __future__ import annotations

import pytest

from kamdesk.domain.followups import deferred, deferred_detail, detail_text, joined, stored_detail
from kamdesk.i18n import current_language, set_language


@pytest.fixture
def chinese():
    before = current_language()
    set_language("zh_CN")
    yield
    set_language(before)


def test_nested_messages_and_joined_parts_read_in_the_readers_language(chinese):
    whose = deferred("Birthday of {who}", who="母亲 王秀英 🎂 <i>")
    detail = joined(
        " — ", deferred("{what} ({lunar})", what=whose, lunar=deferred("lunar {month}/{day}", month=8, day=15))
    )
    text = detail_text(stored_detail(detail))
    assert "母亲 王秀英 🎂 <i>" in text and "Birthday" not in text and "lunar" not in text
    assert joined(" — ", None, "", "plain") == "plain" and joined(" ") is None
    assert stored_detail(None) == "" and stored_detail("自己写的说明") == "自己写的说明"


def test_a_detail_too_long_to_store_as_messages_is_stored_translated_and_cut():
    long_name = "欧阳" * 200
    stored = deferred_detail("Birthday of {who}", who=long_name)
    assert not stored.startswith("tr:") and len(stored) == 300 and stored.startswith("Birthday of 欧阳")


@pytest.mark.parametrize(
    "odd",
    ["tr:", "tr:{", "tr:[1, 2]", 'tr:{"m": "{x}", "v": {}}', 'tr:{"j": " ", "p": 5}', 'tr:{"m": 3}', "tr:null"],
)
def test_odd_stored_details_are_shown_as_they_are(odd):
    assert detail_text(odd) == odd
