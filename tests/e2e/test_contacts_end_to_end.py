"""End to end: in the real window on a demo file, mend a bow-tie account on its org map, then print it."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from kamdesk.domain.models import AccountQuery
from kamdesk.services.demo import load_demo
from kamdesk.services.workspace import open_workspace
from kamdesk.ui.app_settings import AppSettings
from kamdesk.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("contacts") / "demo.kamdb"
    load_demo(path, "small")
    return path


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_linking_a_colleague_mends_a_bow_tie_and_the_pdf_agrees(qtbot, scripted, demo_master: Path, tmp_path: Path):
    path = tmp_path / "team.kamdb"
    shutil.copyfile(demo_master, path)
    ws = open_workspace(path, "王经理")
    window = MainWindow(ws, AppSettings(tmp_path / "k.ini"), lambda p, c: open_workspace(p, "王经理", create=c))
    qtbot.addWidget(window)
    window.show()
    # Find an account whose only tie is one pair of people.
    account = next(
        a
        for a in ws.accounts.page(AccountQuery(), 0, 100)
        if (m := ws.contacts.org_map(a.id)) and m[1].bow_tie and m[1].bow_tie.side == "both"
    )
    data, analysis = ws.contacts.org_map(account.id)
    window.tabs.setCurrentWidget(window.contacts_tab)
    window.contacts_tab.show_org_map(account.id)
    page = window.contacts_tab.map_page
    qtbot.waitUntil(lambda: analysis.bow_tie.our_name in page.summary.text())  # read off the GUI thread
    # A second colleague is dragged onto a second person of theirs: the tie no longer hangs on one pair.
    linked = {link.contact_id for link in data.links}
    other_contact = next(c.id for c in data.theirs if c.id not in linked)
    other_member = next(m.id for m in ws.team.members() if m.active and m.id not in {x.id for x in data.ours})
    page.view.link_requested.emit(other_member, other_contact)
    qtbot.waitUntil(lambda: page.view.banner_text() == "")  # the map is read again off the GUI thread
    out = tmp_path / "map.pdf"
    scripted.files = [str(out)]
    page.print_pdf()
    window.close()

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert account.name in text.replace("\n", "")
    assert "The only tie" not in text
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        assert (
            conn.execute(
                "SELECT count(*) FROM links WHERE member_id = ? AND contact_id = ?", (other_member, other_contact)
            ).fetchone()[0]
            == 1
        )
        assert (
            conn.execute("SELECT by FROM change_log WHERE table_name = 'links' ORDER BY id DESC").fetchone()[0]
            == "王经理"
        )
