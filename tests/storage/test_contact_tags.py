"""A contact's tastes and taboos as tags: saved beside the text, imported and exported with it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from kamdesk.domain.contacts import ContactDetail
from kamdesk.domain.tabular import read_table
from kamdesk.services.transfer import TransferService
from kamdesk.services.workspace import Workspace, open_workspace

TODAY = dt.date(2027, 1, 15)


@pytest.fixture
def ws(tmp_path: Path):
    workspace = open_workspace(tmp_path / "team.kamdb", "王芳", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def test_tags_are_saved_and_edited_beside_the_text(ws: Workspace):
    contact_id = ws.contacts.save(
        ContactDetail(
            name="马建国",
            preferences="喜欢喝茶",
            taboos="清真，不喝酒",
            like_tags=frozenset({"tea", "golf"}),
            taboo_tags=frozenset({"pork", "alcohol", "no_such_tag"}),
        )
    )
    card = ws.contacts.get(contact_id)
    assert card is not None
    assert (card.like_tags, card.taboo_tags) == ({"tea", "golf"}, {"pork", "alcohol"})
    assert card.taboos == "清真，不喝酒"  # the text stays as it was written
    ws.contacts.save(replace(card, like_tags=frozenset({"tea"}), taboo_tags=frozenset({"pork", "alcohol", "nuts"})))
    again = ws.contacts.get(contact_id)
    assert again is not None
    assert (again.like_tags, again.taboo_tags) == ({"tea"}, {"pork", "alcohol", "nuts"})


def test_an_import_reads_tags_from_the_text_or_takes_the_files_tag_columns(ws: Workspace, tmp_path: Path):
    source = tmp_path / "联系人.csv"
    source.write_text(
        "\n".join(
            [
                "姓名,兴趣爱好,喜好,禁忌,禁忌标签",
                "马建国,钓鱼、书法,爱喝普洱,回族，清真,",
                "陈静,打高尔夫,喜欢红酒,海鲜过敏,",
                "刘洋,,,,坚果、咖啡因",
            ]
        ),
        encoding="utf-8",
    )
    result = TransferService(ws.db).import_file("contacts", source)
    assert result.imported == 3, result.skipped
    cards = {c.name: c for c in (ws.contacts.get(i) for i in (1, 2, 3)) if c is not None}
    ma, chen, liu = cards["马建国"], cards["陈静"], cards["刘洋"]
    # the file has a taboo-tag column, but these rows leave it empty: tags come from what is written
    assert ma.taboo_tags == {"pork", "alcohol"} and {"fishing", "calligraphy", "tea"} <= ma.like_tags
    assert chen.taboo_tags == {"seafood"} and {"golf", "wine"} <= chen.like_tags
    assert liu.taboo_tags == {"nuts", "caffeine"} and liu.like_tags == set()

    out = tmp_path / "contacts.csv"
    TransferService(ws.db).export("contacts", "csv", out)
    table = read_table(out)
    like_col, taboo_col = table.headers.index("like_tags"), table.headers.index("taboo_tags")
    rows = {cells[table.headers.index("name")]: cells for _n, cells in table.rows}
    assert rows["马建国"][taboo_col] == "alcohol, pork"
    assert "fishing" in rows["马建国"][like_col]


def test_an_unknown_tag_in_a_tag_column_is_named(ws: Workspace, tmp_path: Path):
    source = tmp_path / "c.csv"
    source.write_text("name,like_tags,taboo_tags\n周洁,golf,鬼魂\n", encoding="utf-8")
    preview = TransferService(ws.db).preview("contacts", source)
    (row,) = preview.rows
    assert row.problems == ["taboo_tags: unknown taboo: “鬼魂”. Use: " + row.problems[0].split("Use: ", 1)[1]]


def test_a_merge_of_two_edits_keeps_my_tags_and_their_text():
    from kamdesk.domain.merge import apply_contact_fields, merge_contacts

    base = ContactDetail(id=1, name="马建国", interests="钓鱼", like_tags=frozenset({"fishing"}))
    mine = replace(base, like_tags=frozenset({"fishing", "tea"}), taboo_tags=frozenset({"alcohol"}))
    theirs = replace(base, interests="钓鱼、书法")
    result = merge_contacts(base, mine, theirs)
    assert result.clean and set(result.mine_only) == {"like_tags", "taboo_tags"}
    merged = apply_contact_fields(theirs, result.merged)
    assert (merged.interests, merged.like_tags, merged.taboo_tags) == ("钓鱼、书法", {"fishing", "tea"}, {"alcohol"})


def test_more_tags_than_the_file_has_room_for_are_refused_with_a_message(ws: Workspace, tmp_path: Path):
    from kamdesk.domain.contacts import ContactValidationError
    from kamdesk.domain.gift_vocabulary import LIKE_TAGS

    with pytest.raises(ContactValidationError) as refused:
        ws.contacts.save(ContactDetail(name="周洁", like_tags=frozenset(LIKE_TAGS)))
    assert "Too many tags" in refused.value.errors["like_tags"]
    source = tmp_path / "c.csv"
    source.write_text('name,like_tags\n周洁,"' + ", ".join(LIKE_TAGS) + '"\n', encoding="utf-8")
    (row,) = TransferService(ws.db).preview("contacts", source).rows
    assert any(p.startswith("like_tags: Too many tags") for p in row.problems), row.problems
