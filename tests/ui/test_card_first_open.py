"""The contact card's first opening does its one-time work off the GUI thread (issue 24): the card's read also
loads the card's module and compiles the tag vocabulary, which on the GUI thread stood the window still for
about 60 ms the first time a card opened."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest
import test_conflicts_ui
from PySide6.QtWidgets import QWidget

from kamdesk.domain import gift_vocabulary
from kamdesk.domain.contacts import ContactDetail
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.contact_dialog import ContactDialog
from kamdesk.ui.dialogs.editor_data import contact_card, read_contact_card

ws = test_conflicts_ui.ws


def _forget_compiled_patterns() -> None:
    for cached in (
        gift_vocabulary._item_matcher,
        gift_vocabulary._concept_matcher,
        gift_vocabulary._phrase_matcher,
        gift_vocabulary.suggest_contact_tags,
        gift_vocabulary._field_tags,
    ):
        cached.cache_clear()


def _compiles_while(build: Callable[[], ContactDialog]) -> tuple[ContactDialog, int]:
    """The card `build()` made, and how many of the vocabulary's patterns were compiled meanwhile."""
    compiled: list[str] = []

    def watch(frame: FrameType, event: str, _arg: Any) -> None:
        if event == "call" and frame.f_code.co_name == "_matcher" and "gift_vocabulary" in frame.f_code.co_filename:
            compiled.append(frame.f_code.co_name)

    sys.setprofile(watch)
    try:
        dialog = build()
    finally:
        sys.setprofile(None)
    return dialog, len(compiled)


@pytest.mark.parametrize("prepared", [True, False], ids=["as-the-app-does", "without-the-preparation"])
def test_the_card_compiles_no_pattern_on_the_gui_thread(qtbot, ws: Workspace, monkeypatch, prepared: bool):
    contact_id = ws.contacts.save(ContactDetail(name="陈静", interests="爱喝茶，喜欢书法", taboos="不喝酒"))
    if not prepared:  # shows that the measure can fail
        monkeypatch.setattr(gift_vocabulary, "prepare", lambda: None)
    _forget_compiled_patterns()
    data = read_contact_card(ws.contacts, contact_id)  # what the pool runs before the card opens
    window = QWidget()
    qtbot.addWidget(window)
    dialog, compiled = _compiles_while(lambda: contact_card(ws, window, contact_id, data=data))
    dialog.opener = window  # qtbot holds widgets weakly: the page lives as long as its card
    assert (compiled == 0) is prepared
    # The suggestion is still made from what the card says: tea is a taste, liquor a taboo.
    assert "tea" in dialog.tags.likes.suggestion and "alcohol" in dialog.tags.taboos.suggestion
