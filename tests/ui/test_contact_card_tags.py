"""Tastes and taboos on the contact card: tags suggested from the text, edited, kept, saved."""

from __future__ import annotations

import datetime as dt

import pytest

from kamdesk.domain.contacts import ContactDetail
from kamdesk.i18n import set_language
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.contact_dialog import ContactDialog

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


def _dialog(qtbot, ws: Workspace, contact_id: int | None = None) -> ContactDialog:
    dialog = ContactDialog(ws.contacts, ws.team.members(), contact_id)
    qtbot.addWidget(dialog)
    return dialog


def _menu_action(menu, label: str):
    """The action called `label` in a menu or one of its submenus (filled as the menu opens)."""
    menu.aboutToShow.emit()
    for action in menu.actions():
        if action.menu() is not None:
            found = _menu_action(action.menu(), label)
            if found is not None:
                return found
        elif action.text() == label:
            return action
    return None


def test_typing_the_text_suggests_tags_and_the_persons_own_changes_stay(qtbot, ws: Workspace, scripted):
    dialog = _dialog(qtbot, ws)
    dialog.name_edit.setText("马建国")
    dialog.interests_edit.setText("周末钓鱼，练书法")
    dialog.preferences_edit.setText("爱喝普洱")
    dialog.taboos_edit.setText("回族，不喝酒")
    tags = dialog.tags
    assert tags.likes.tags == {"fishing", "calligraphy", "tea"}
    assert tags.taboos.tags == {"pork", "alcohol"}
    assert "suggested" in tags.taboo_label.text() and "Pork" in tags.taboo_label.text()
    # the person knows more than the text says: no nuts either, and the tea is not a taste to use
    _menu_action(tags.taboo_button.menu(), "Nuts").trigger()
    _menu_action(tags.like_button.menu(), "Tea").trigger()
    assert tags.taboos.tags == {"pork", "alcohol", "nuts"} and "tea" not in tags.likes.tags
    # more text later: new suggestions come in, the person's own choices stay
    dialog.interests_edit.setText("周末钓鱼，练书法，打高尔夫")
    assert tags.likes.tags == {"fishing", "calligraphy", "golf"}
    assert tags.taboos.tags == {"pork", "alcohol", "nuts"}
    with qtbot.waitSignal(dialog.contact_saved) as saved:
        assert dialog.save()
    card = ws.contacts.get(saved.args[0])
    assert card.like_tags == {"fishing", "calligraphy", "golf"}
    assert card.taboo_tags == {"pork", "alcohol", "nuts"}
    assert card.taboos == "回族，不喝酒"  # the text is kept as written, beside the tags

    again = _dialog(qtbot, ws, saved.args[0])
    assert again.tags.likes.tags == {"fishing", "calligraphy", "golf"}
    assert "suggested" not in again.tags.taboo_label.text()  # saved tags are no longer suggestions
    assert not again.is_modified()
    _menu_action(again.tags.taboo_button.menu(), "Nuts").trigger()
    assert again.is_modified()


def test_an_older_card_shows_the_texts_tags_as_suggestions_and_a_clash_is_warned(qtbot, ws: Workspace, scripted):
    contact_id = ws.contacts.save(ContactDetail(name="陈静", preferences="爱吃川菜", taboos="最近不吃辣"))
    dialog = _dialog(qtbot, ws, contact_id)
    tags = dialog.tags
    assert tags.taboos.tags == {"spicy"} and "suggested" in tags.taboo_label.text()
    assert "sichuan_food" not in tags.likes.tags  # the taboo wins over the taste
    _menu_action(tags.like_button.menu(), "Sichuan food").trigger()
    assert not tags.warning.isHidden() and "Sichuan food" in tags.warning.text()


def test_the_tags_speak_chinese(qtbot, ws: Workspace, scripted):
    set_language("zh_CN")
    try:
        dialog = _dialog(qtbot, ws)
        dialog.taboos_edit.setText("清真")
        assert "猪肉" in dialog.tags.taboo_label.text() and "酒精" in dialog.tags.taboo_label.text()
    finally:
        set_language("en")
