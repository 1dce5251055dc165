"""Personal-data rights on a real team file: export everything about a person; erase them down to the file's bytes."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from planted_person import MARK, file_bytes, occurs, plant
from storage_helpers import plant_session

from kamdesk.domain.personal_data import ERASED_MARK, scrub_json
from kamdesk.services.personal_data import PersonalDataError, PersonalDataService
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database


def pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext (poppler-utils)")
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def rows(path: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, args).fetchall()


def test_the_export_holds_everything_about_the_person(db: Database, tmp_path: Path):
    planted = plant(db)
    service = PersonalDataService(db)
    data = service.export_person(planted.contact_id, tmp_path / "p.json", tmp_path / "p.pdf")
    document = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert document["format"] == "kamdesk-person-export" and document["name"] == f"王{MARK}"
    assert document["card"]["mobile"] == "13800138000" and MARK in document["card"]["notes"]
    assert document["card"]["birthday"] == "1980-08-15 (lunar)" and document["account"] == "华南电子"
    assert [f["name"] for f in document["family"]] == [f"儿子{MARK}"]
    assert [d["label"] for d in document["personal_dates"]] == [f"结婚纪念日 {MARK}"]
    assert [(e["kind"], e["note"]) for e in document["sensitive_events"]] == [("illness", f"父亲住院 {MARK}")]
    assert [h["stage"] for h in document["stage_history"]] == ["good_friend"]
    assert [link["member"] for link in document["links"]] == ["周销售"]
    assert [a["id"] for a in document["activities"]] == [planted.activity_id]  # not the visit to 李娜
    assert [g["id"] for g in document["gifts"]] == [planted.gift_id]
    # Linked to the bystander, but at their company and naming them: it is about them too.
    assert [v["id"] for v in document["visits"]] == [planted.visit_id]
    logged = {(e["table"], e["action"]) for e in document["change_log"]}
    assert {
        ("contacts", "insert"),
        ("family_members", "insert"),
        ("family_members", "delete"),
        ("personal_dates", "insert"),
        ("contact_events", "insert"),
        ("activities", "insert"),
    } <= logged
    # The family member replaced on the card is still in the log, and so in the export.
    assert any(f"女儿{MARK}" in json.dumps(e["changes"], ensure_ascii=False) for e in document["change_log"])
    assert data.card["name"] == f"王{MARK}"
    text = "".join(pdf_text(tmp_path / "p.pdf").split())  # table cells wrap anywhere
    for expected in (
        f"王{MARK}",
        "华南电子",
        f"儿子{MARK}",
        f"结婚纪念日 {MARK}",
        f"父亲住院 {MARK}",
        "周销售",
        "月饼",
        "年度回顾",
        "Change-log entries about them",
    ):
        assert "".join(expected.split()) in text, expected


def test_the_pdf_escapes_markup_in_user_text(db: Database, tmp_path: Path):
    from kamdesk.domain.contacts import ContactDetail
    from kamdesk.services.contacts import ContactService

    contact_id = ContactService(db).save(ContactDetail(name="<b>Eve & Co</b>", notes="a < b <br/> c"))
    PersonalDataService(db).export_person(contact_id, None, tmp_path / "e.pdf")
    text = pdf_text(tmp_path / "e.pdf")
    assert "<b>Eve & Co</b>" in text and "a < b <br/> c" in text


def test_the_preview_counts_exactly_what_an_erase_removes(db: Database):
    planted = plant(db)
    plan = PersonalDataService(db).erase_preview(planted.contact_id)
    counts = {k: v for k, v in plan.counts.items() if v}
    assert counts == {
        "contacts": 1,
        "family_members": 1,
        "personal_dates": 1,
        "contact_events": 1,
        "contact_stage_history": 1,
        "links": 1,
        "activities": 1,
        "gifts": 1,
        "visits": 1,
        "change_log_deleted": counts["change_log_deleted"],
        "change_log_scrubbed": counts["change_log_scrubbed"],
    }
    # Contact insert + update, two family inserts, one delete, date, link, history.
    assert counts["change_log_deleted"] >= 7 and counts["change_log_scrubbed"] >= 3
    text = plan.confirmation()
    assert f"王{MARK} (华南电子)" in text and "1 × family members" in text and "cannot be undone" in text
    assert not plan.others_open


def test_erase_leaves_no_byte_of_the_person_in_the_file(db: Database, db_path: Path):
    planted = plant(db)
    assert occurs(MARK, file_bytes(db_path))
    before = rows(db_path, "SELECT count(*) FROM change_log")[0][0]
    service = PersonalDataService(db)
    expected = service.erase_preview(planted.contact_id).counts
    done = service.erase_person(planted.contact_id)
    assert done.counts == expected
    db.dispose()
    data = file_bytes(db_path)
    assert not occurs(MARK, data), "the planted string survived the erase"
    for value in (b"13800138000", b"wang@example.com", b"wang-7731"):
        assert value not in data
    assert not db_path.with_name(db_path.name + "-journal").exists()
    # The person and their own rows are gone; the business records stay, unlinked and scrubbed.
    assert rows(db_path, "SELECT count(*) FROM contacts WHERE id = ?", planted.contact_id) == [(0,)]
    for table in (
        "family_members",
        "personal_dates",
        "links",
        "contact_stage_history",
        "contact_events",
        "contact_search",
    ):
        assert rows(
            db_path,
            f"SELECT count(*) FROM {table} WHERE contact_id = ?",  # noqa: S608 - fixed names
            planted.contact_id,
        ) == [(0,)]
    (activity,) = rows(
        db_path, "SELECT contact_id, account_id, kind, subject, notes FROM activities WHERE id = ?", planted.activity_id
    )
    assert activity == (None, planted.account_id, "call", f"给{ERASED_MARK}打电话", f"约在 {ERASED_MARK} 回电")
    (gift,) = rows(
        db_path, "SELECT contact_id, item, value_cents, people_theirs FROM gifts WHERE id = ?", planted.gift_id
    )
    assert gift == (None, "月饼", 30000, f"{ERASED_MARK}, 李娜")
    (visit,) = rows(db_path, "SELECT contact_id, people_theirs FROM visits WHERE id = ?", planted.visit_id)
    assert visit == (planted.bystander_id, f"李娜, {ERASED_MARK}")  # the bystander keeps their link
    assert rows(db_path, "SELECT subject FROM activities WHERE id = ?", planted.other_activity_id) == [("拜访李娜",)]
    assert rows(db_path, "SELECT count(*) FROM contacts WHERE id = ?", planted.bystander_id) == [(1,)]
    # The log keeps an entry saying a card was erased (no values), and the business records' history.
    after = rows(db_path, "SELECT count(*) FROM change_log")[0][0]
    assert after == before - expected["change_log_deleted"] + 1  # the erase's own entry
    assert rows(
        db_path,
        "SELECT changes_json FROM change_log WHERE table_name = 'contacts' AND row_id = ?",
        str(planted.contact_id),
    ) == [('{"erased": true}',)]
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db_path, "PRAGMA freelist_count") == [(0,)]


def test_erase_is_refused_while_others_have_the_file_open(open_as: Callable[..., Database], db_path: Path):
    alice = open_as("alice")
    planted = plant(alice)
    bob = open_as("bob")
    with bob.write() as session:
        repo.register_presence(session, bob.session_id, "bob", "bobs-pc", 4242)
    service = PersonalDataService(alice)
    assert "bob on bobs-pc" in service.erase_preview(planted.contact_id).others_open
    before = file_bytes(db_path)
    with pytest.raises(PersonalDataError, match="others have this file open .*bob on bobs-pc.*Nothing was changed"):
        service.erase_person(planted.contact_id)
    assert file_bytes(db_path) == before
    with bob.write() as session:
        repo.unregister_presence(session, bob.session_id)
    bob.dispose()
    service.erase_person(planted.contact_id)
    assert not occurs(MARK, file_bytes(db_path))


def test_a_busy_file_stops_the_compaction_with_a_clear_message(db: Database, db_path: Path, monkeypatch):
    planted = plant(db)
    from kamdesk.storage import personal_data as store
    from kamdesk.storage.errors import DatabaseBusyError

    def busy(_db: Database) -> None:
        raise DatabaseBusyError()

    monkeypatch.setattr(store, "compact", busy)
    with pytest.raises(PersonalDataError, match="could not be compacted yet"):
        PersonalDataService(db).erase_person(planted.contact_id)
    # secure_delete already zeroed what the erase freed.
    db.dispose()
    assert not occurs(MARK, file_bytes(db_path))


def test_unknown_contacts_are_named_in_the_error(db: Database):
    with pytest.raises(PersonalDataError, match="no contact with id 999"):
        PersonalDataService(db).erase_preview(999)


def test_scrubbing_a_change_log_document():
    doc = json.dumps(
        {"subject": "给王伟打电话", "contact_id": 7, "people": ["王伟华", "王伟"], "n": [7, 8]}, ensure_ascii=False
    )
    out = json.loads(scrub_json(doc, [], "[x]", ("contact_id", 7), whole=["王伟"]))
    assert out == {"subject": "给王伟打电话", "contact_id": None, "people": ["王伟华", "[x]"], "n": [7, 8]}
    out = json.loads(scrub_json(doc, ["王伟"], "[x]"))
    assert out["subject"] == "给[x]打电话" and out["contact_id"] == 7
    assert scrub_json('{"a": 1}', ["zzz"], "[x]") == '{"a": 1}'


def test_an_erase_is_refused_while_a_colleague_whose_clock_is_behind_has_the_file_open(db: Database):
    # Issue 23, defect 2: her heartbeat looked 40 minutes old by this clock, so the erase went ahead under her.
    import datetime as dt

    from kamdesk.domain import clock

    contact_id = plant(db).contact_id
    behind = clock.utc_now() - dt.timedelta(minutes=40)
    plant_session(db, "erin", "erin", behind, count=12)
    service = PersonalDataService(db)
    with pytest.raises(PersonalDataError, match="erin"):
        service.erase_person(contact_id)
    with pytest.raises(PersonalDataError, match="erin"):
        service.compact()
    assert service.gather(contact_id).name.endswith(MARK)
