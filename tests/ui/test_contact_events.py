"""The contact card's sensitive events, driven like a person: the notes suggest one, it is recorded, ended, deleted."""

from __future__ import annotations

import datetime as dt

import pytest

from kamdesk.domain.contacts import ContactDetail, StageUpdate
from kamdesk.domain.models import AccountDetail, AccountValue
from kamdesk.services.workspace import Workspace
from kamdesk.ui.dialogs.contact_dialog import ContactDialog
from kamdesk.ui.dialogs.contact_events import EventDialog, SensitiveEventsPage

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


def _contact(ws: Workspace, notes: str) -> int:
    account, _ = ws.accounts.save(AccountDetail(name="兰州石化", values=[AccountValue("2026", 1000, None)]))
    return ws.contacts.save(
        ContactDetail(
            name="曾国华",
            account_id=account,
            rank_tier="owner",
            notes=notes,
            stage_update=StageUpdate("good_friend", TODAY),
        )
    )


def _page(dialog: ContactDialog) -> SensitiveEventsPage:
    pages = dialog.findChildren(SensitiveEventsPage)
    assert len(pages) == 1
    return pages[0]


def test_the_notes_suggest_an_event_which_is_recorded_ended_and_deleted(qtbot, ws: Workspace, scripted):
    contact = _contact(ws, "对质量要求严格。父亲住院，近期少打扰")
    dialog = ContactDialog(ws.contacts, ws.team.members(), contact)
    qtbot.addWidget(dialog)
    page = _page(dialog)
    assert not page.suggestion.isHidden() and "父亲住院，近期少打扰" in page.suggestion.text()
    page.record_suggestion()
    (editor,) = [d for d in scripted.dialogs if isinstance(d, EventDialog)]
    assert editor.kind.currentData() == "illness" and editor.note.toPlainText() == "父亲住院，近期少打扰"
    editor.has_end.setChecked(True)
    editor.ends.setDate(editor.starts.date().addDays(30))
    editor.accept()
    (event,) = ws.followups.events(contact)
    assert (event.kind, event.starts_on, event.ends_on) == ("illness", TODAY, TODAY + dt.timedelta(days=30))
    assert ws.followups.active_sensitive_contacts() == {contact}
    page.refresh()  # read off the GUI thread: the table fills when the events land
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 3).text() == "active"
    assert page.suggestion.isHidden()  # recorded: no second suggestion
    page.table.setCurrentCell(0, 0)
    page.end_today()
    assert ws.followups.events(contact)[0].ends_on == TODAY
    scripted.yes_no.append(True)
    page.table.setCurrentCell(0, 0)
    page.delete()
    assert ws.followups.events(contact) == [] and page.table.rowCount() == 0


def test_a_bad_end_date_stays_in_the_editor_with_a_message(qtbot, ws: Workspace, scripted):
    contact = _contact(ws, "")
    dialog = ContactDialog(ws.contacts, ws.team.members(), contact)
    qtbot.addWidget(dialog)
    page = _page(dialog)
    assert page.suggestion.isHidden()
    page.add("bereavement")
    editor = scripted.dialogs[-1]
    editor.has_end.setChecked(True)
    editor.ends.setDate(editor.starts.date().addDays(-3))
    editor.accept()
    assert "before it starts" in editor.error.text() and ws.followups.events(contact) == []


def test_a_new_contact_has_the_page_but_nothing_to_add_yet(qtbot, ws: Workspace):
    dialog = ContactDialog(ws.contacts, ws.team.members(), None)
    qtbot.addWidget(dialog)
    page = _page(dialog)
    assert not any(button.isEnabled() for button in page.buttons)
