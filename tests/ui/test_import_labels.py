"""The import mapping names fields and encodings as a person says them, in their language."""

from __future__ import annotations

import pytest

from kamdesk import i18n
from kamdesk.domain.transfer import COLUMNS, importable_fields
from kamdesk.ui.dialogs.import_fields import encoding_name, field_label


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_catalog", i18n.load_catalog("zh_CN"))


def test_every_importable_field_has_a_name_not_its_key():
    for kind in COLUMNS:
        for field in importable_fields(kind):
            label = field_label(kind, field)
            assert label != field, (kind, field)


def test_fields_and_encodings_read_in_chinese(chinese: None):
    assert field_label("contacts", "name") == "姓名"
    assert field_label("contacts", "account") == "公司"
    assert field_label("contacts", "mobile") == "手机"
    assert field_label("accounts", "name") == "客户名称"
    assert field_label("accounts", "sales_stage") == "客户发展阶段"
    assert field_label("accounts", "cycle_stage") == "客户关系周期"
    assert encoding_name("utf-8-sig") == "UTF-8（带 BOM）"
    assert encoding_name("gb18030") == "简体中文 GBK"
    assert encoding_name("big5") == "繁体中文 Big5"
    for kind in COLUMNS:
        for field in importable_fields(kind):
            label = field_label(kind, field)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in label), (kind, field, label)


def test_an_unknown_codec_keeps_its_own_name():
    assert encoding_name("koi8-r") == "koi8-r"
    assert encoding_name(None) == "—"
