"""The catalogue page as a person uses it: tags suggested from a typed name, marked, changed, saved."""

from __future__ import annotations

import datetime as dt

import pytest

from kamdesk.domain.gifts import CatalogueItem
from kamdesk.i18n import set_language
from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.gifts.catalogue_page import ATTRIBUTES, CATEGORY, NAME, OCCASIONS, ORIGIN, CataloguePage

TODAY = dt.date(2027, 8, 20)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    workspace.gifts.save_item(
        CatalogueItem(
            "金华火腿",
            "holiday",
            368_00,
            "金华火腿厂",
            "三年陈腿",
            occasions=frozenset({"spring_festival"}),
            category="food",
            attributes=frozenset({"pork", "meat"}),
            origin="浙江金华",
        )
    )
    workspace.gifts.save_item(CatalogueItem("广式月饼礼盒", "holiday", 188_00))  # an older, untagged item
    return workspace


def _type(line, text: str) -> None:
    """Type into a line edit one character at a time (QtTest cannot send Chinese key presses)."""
    for ch in text:
        line.setText(line.text() + ch)
        line.textEdited.emit(line.text())


def _row(page: CataloguePage, name: str) -> int:
    return next(r for r in range(page.table.rowCount()) if page.table.item(r, NAME).text() == name)


def test_stored_tags_are_shown_and_an_untagged_item_shows_marked_suggestions(qtbot, ws: Workspace):
    page = CataloguePage(ws)
    qtbot.addWidget(page)
    page.refresh()
    ham, mooncake = _row(page, "金华火腿"), _row(page, "广式月饼礼盒")
    assert page.table.item(ham, OCCASIONS).text() == "Spring Festival"
    assert page.table.item(ham, ATTRIBUTES).text() == "Pork, Meat"
    assert page.table.item(ham, ORIGIN).text() == "浙江金华"
    assert not page.table.item(ham, CATEGORY).font().italic()
    assert page.table.item(mooncake, OCCASIONS).text() == "Mid-Autumn Festival"
    assert page.table.item(mooncake, OCCASIONS).font().italic()  # a suggestion, not yet confirmed
    assert page.suggested_rows() == [mooncake]
    page.table.selectRow(mooncake)
    assert page.editor.isEnabled()
    assert page.editor.occasion_box.title() == "Occasions (suggested)"
    assert page.editor.occasion_checks["mid_autumn"].isChecked()
    assert not page.editor.occasion_checks["spring_festival"].isChecked()


def test_typing_a_name_fills_suggestions_that_stay_editable_and_are_saved(qtbot, ws: Workspace):
    page = CataloguePage(ws)
    qtbot.addWidget(page)
    page.refresh()
    page._add_new()
    row = page.table.rowCount() - 1
    editor = page.editor
    editor.name.clear()
    _type(editor.name, "飞天茅台")
    assert page.table.item(row, NAME).text() == "飞天茅台"
    assert editor.category.currentData() == "liquor"
    assert editor.attribute_checks["alcohol"].isChecked()
    assert editor.attribute_box.title() == "Attributes (suggested)"
    assert page.table.item(row, CATEGORY).text() == "Liquor"
    # the person decides it is a Spring Festival gift only
    for code, box in editor.occasion_checks.items():
        if box.isChecked() != (code == "spring_festival"):
            box.click()
    assert editor.occasion_box.title() == "Occasions"  # the person's own now
    assert page.table.item(row, OCCASIONS).text() == "Spring Festival"
    assert not page.table.item(row, OCCASIONS).font().italic()
    # typing more of the name keeps the person's occasions, but still suggests the rest
    _type(editor.name, " 53°")
    assert page.table.item(row, OCCASIONS).text() == "Spring Festival"
    _type(editor.origin, "贵州仁怀")
    assert page.save(), page.error.text()
    saved = {c.item: c for c in ws.gifts.catalogue()}["飞天茅台 53°"]
    assert (saved.occasions, saved.category, saved.attributes, saved.origin) == (
        {"spring_festival"},
        "liquor",
        {"alcohol"},
        "贵州仁怀",
    )
    # once saved, nothing is a suggestion any more: what was shown is what was kept
    page.refresh()
    assert _row(page, "飞天茅台 53°") not in page.suggested_rows()


def test_the_page_speaks_chinese(qtbot, ws: Workspace):
    set_language("zh_CN")
    try:
        page = CataloguePage(ws)
        qtbot.addWidget(page)
        page.refresh()
        ham = _row(page, "金华火腿")
        assert page.table.item(ham, OCCASIONS).text() == "春节"
        assert page.table.item(ham, ATTRIBUTES).text() == "猪肉、肉类"
        headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
        assert "场合" in headers and "属性" in headers and "产地" in headers
    finally:
        set_language("en")


def test_the_catalogue_is_filled_in_one_insertion_and_a_refill_replaces_every_row(qtbot, ws: Workspace):
    """Rows inserted one by one relaid the shown table out each time (the large demo's 26 items: 46 ms on the
    GUI thread, issue 24); all at once it is one insertion. Refilling after an item is added shows each once."""
    page = CataloguePage(ws)
    qtbot.addWidget(page)
    page.show()
    insertions: list[tuple[int, int]] = []
    page.table.model().rowsInserted.connect(lambda _parent, first, last: insertions.append((first, last)))
    page.refresh()
    assert insertions == [(0, 1)]
    ws.gifts.save_item(CatalogueItem("西湖龙井 <b>&</b> 🍵", "holiday", 480_00))
    page.refresh()
    assert insertions[1:] == [(0, 2)]
    names = sorted(page.table.item(r, NAME).text() for r in range(page.table.rowCount()))
    assert names == sorted(["金华火腿", "广式月饼礼盒", "西湖龙井 <b>&</b> 🍵"])
    assert len(page._tags) == 3 and page.table.item(_row(page, "金华火腿"), ORIGIN).text() == "浙江金华"
    page._add_new()  # a new row is still appended, with its tags
    assert page.table.rowCount() == 4 and len(page._tags) == 4 and page.table.currentRow() == 3
