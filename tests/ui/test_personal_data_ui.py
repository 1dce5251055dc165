"""Export this person's data… and Erase this person… on the Contacts page, driven like a person."""

from __future__ import annotations

import json
from pathlib import Path

from planted_person import MARK, file_bytes, occurs, plant

from kamdesk.services.workspace import open_workspace
from kamdesk.ui.models.paged_model import ID_ROLE
from kamdesk.ui.tabs.contacts_tab import ContactsPage


def _page(workspace, qtbot) -> ContactsPage:
    page = ContactsPage(workspace)
    qtbot.addWidget(page)
    page.show()
    return page


def _select(page: ContactsPage, contact_id: int) -> None:
    model = page.model
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0), ID_ROLE) == contact_id:
            page.table.selectRow(row)
            return
    raise AssertionError(f"contact {contact_id} is not in the list")


def test_nothing_selected_is_said_plainly(qtbot, workspace, scripted):
    page = _page(workspace, qtbot)
    assert not page.erase_person_button.isEnabled()  # nobody in the list: nothing to erase
    page.export_person_button.click()
    assert [text for _kind, _title, text in scripted.shown] == ["Select a contact in the list first."]
    plant(workspace.db)
    page.refresh()
    assert page.erase_person_button.isEnabled()
    page.erase_person_button.click()
    assert [text for _kind, _title, text in scripted.shown] == ["Select a contact in the list first."] * 2


def test_export_this_persons_data_writes_pdf_and_json(qtbot, workspace, scripted, tmp_path: Path):
    planted = plant(workspace.db)
    page = _page(workspace, qtbot)
    _select(page, planted.contact_id)
    scripted.files.append(str(tmp_path / "wang.pdf"))
    page.export_person_button.click()
    assert (tmp_path / "wang.pdf").read_bytes().startswith(b"%PDF")
    assert json.loads((tmp_path / "wang.json").read_text(encoding="utf-8"))["name"] == f"王{MARK}"
    assert scripted.shown[-1][0] == "inform" and "wang.json" in scripted.shown[-1][2]


def test_erase_lists_what_goes_and_cancel_keeps_everything(qtbot, workspace, scripted):
    planted = plant(workspace.db)
    page = _page(workspace, qtbot)
    _select(page, planted.contact_id)
    scripted.yes_no.append(False)
    page.erase_person_button.click()
    kind, title, text = scripted.shown[-1]
    assert (kind, title) == ("confirm_destructive", "Erase this person")
    for line in (
        "1 × contact card",
        "1 × family members",
        "1 × personal dates",
        "1 × links with our people",
        "1 × activities that name them",
        "change-log entries about their own records",
        "cannot be undone",
    ):
        assert line in text, line
    assert workspace.contacts.get(planted.contact_id) is not None


def test_erase_removes_the_person_down_to_the_bytes(qtbot, workspace, scripted):
    planted = plant(workspace.db)
    page = _page(workspace, qtbot)
    assert page.model.total() == 2
    _select(page, planted.contact_id)
    scripted.yes_no.append(True)
    with qtbot.waitSignal(page.contacts_changed):
        page.erase_person_button.click()
    assert scripted.shown[-1] == ("inform", "Erase this person", f"王{MARK} was erased and the file compacted.")
    assert page.model.total() == 1
    assert workspace.contacts.get(planted.contact_id) is None
    assert not occurs(MARK, file_bytes(workspace.path))


def test_erase_is_refused_while_a_colleague_has_the_file_open(qtbot, workspace, scripted):
    planted = plant(workspace.db)
    colleague = open_workspace(workspace.path, "Bob")
    try:
        page = _page(workspace, qtbot)
        _select(page, planted.contact_id)
        page.erase_person_button.click()
    finally:
        colleague.close()
    kind, _title, text = scripted.shown[-1]
    assert kind == "warn" and "others have this file open (Bob on" in text
    assert not any(k == "confirm_destructive" for k, _t, _x in scripted.shown)
    assert workspace.contacts.get(planted.contact_id) is not None


def test_erase_offers_to_reach_the_copies_of_the_file_that_hold_the_person(qtbot, workspace, scripted):
    # Issue 23, defect 4: a backup and a hidden .partial of an interrupted backup still held the person.
    import shutil

    from kamdesk.services.backups import backup_file
    from kamdesk.storage.backups import backup_folder

    planted = plant(workspace.db)
    backup = backup_file(workspace.path).path
    partial = backup_folder(workspace.path) / f".{backup.name}.0badc0de.partial"
    shutil.copyfile(backup, partial)
    page = _page(workspace, qtbot)
    _select(page, planted.contact_id)
    scripted.choices.append(0)  # Erase from the file and its copies
    with qtbot.waitSignal(page.contacts_changed):
        page.erase_person_button.click()
    kind, _title, text = next(shown for shown in scripted.shown if shown[0] == "choose")
    assert "Copies kamdesk made of this file that still hold this person: 2" in text and "1 × backups" in text
    assert scripted.shown[-1][0] == "inform" and "Erased inside the file's copies as well: 1." in scripted.shown[-1][2]
    assert not occurs(MARK, file_bytes(backup)) and not partial.exists()
