"""Issue 23, defect 4: an erase counts every copy kamdesk made of the file that holds the person, and reaches them.

The copies: backups in NAME.backups, the pre-upgrade copy NAME.before-schema-N-….kamdb beside the file, the
copy of a damaged file kept at a restore, and the hidden .NAME….partial left by an interrupted backup.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from planted_person import MARK, file_bytes, occurs, plant

from kamdesk.domain.personal_data import CopyChoice
from kamdesk.services.backups import backup_file
from kamdesk.services.personal_data import PersonalDataService
from kamdesk.storage.backups import backup_folder
from kamdesk.storage.database import Database
from kamdesk.storage.migrate import head_version


def _copies(db: Database, db_path: Path) -> dict[str, Path]:
    """A team file holding the planted person, with one copy of each kind kamdesk makes."""
    planted = plant(db)
    backup = backup_file(db_path).path
    folder = backup_folder(db_path)
    partial = folder / f".{db_path.stem}.2026-01-05_120000.kamdb.0badc0de.partial"
    shutil.copyfile(backup, partial)
    pre_upgrade = db_path.with_name(f"{db_path.stem}.before-schema-{head_version() - 1}-20260105-120000.kamdb")
    shutil.copyfile(backup, pre_upgrade)
    with sqlite3.connect(pre_upgrade) as conn:  # it was made before the upgrade: an older schema
        conn.execute(f"PRAGMA user_version = {head_version() - 1}")
    damaged = folder / f"{db_path.stem}.damaged-2026-01-04_090000-abc123.kamdb"
    shutil.copyfile(backup, damaged)
    unrelated = db_path.with_name("other.before-schema-1-20260105-120000.kamdb")
    shutil.copyfile(backup, unrelated)
    return {
        "id": Path(str(planted.contact_id)),
        "backup": backup,
        "partial": partial,
        "pre_upgrade": pre_upgrade,
        "damaged": damaged,
        "unrelated": unrelated,
    }


def test_the_confirmation_counts_every_copy_that_holds_the_person(db: Database, db_path: Path):
    made = _copies(db, db_path)
    plan = PersonalDataService(db).erase_preview(int(str(made["id"])))
    found = {c.path for c in plan.copies}
    assert found == {made["backup"], made["partial"], made["pre_upgrade"], made["damaged"]}
    text = plan.confirmation()
    for line in (
        "Copies kamdesk made of this file that still hold this person: 4",
        "1 × backups",
        "1 × copies kept before a schema upgrade",
        "1 × copies of a damaged file",
        "1 × unfinished copies left by an interrupted backup or restore",
        made["pre_upgrade"].name,
        "Copies made elsewhere cannot be found from here",
    ):
        assert line in text, line


def test_erasing_from_the_copies_too_reaches_every_copy_it_can_and_names_the_rest(db: Database, db_path: Path):
    made = _copies(db, db_path)
    done = PersonalDataService(db).erase_person(int(str(made["id"])), CopyChoice.ERASE)
    assert done.outcome is not None
    assert done.outcome.erased == (made["backup"],)
    assert not occurs(MARK, file_bytes(made["backup"])), "the person survived in the backup"
    with sqlite3.connect(made["backup"]) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert not made["partial"].exists()
    # An older schema and a damaged copy cannot be changed safely: kept, and named with the reason.
    unreached = dict(done.outcome.unreached)
    assert set(unreached) == {made["pre_upgrade"], made["damaged"]}
    assert "schema" in unreached[made["pre_upgrade"]]
    assert made["pre_upgrade"].exists() and made["damaged"].exists() and made["unrelated"].exists()
    assert str(made["pre_upgrade"]) in done.outcome.summary()
    assert not occurs(MARK, file_bytes(db_path))


def test_deleting_the_copies_leaves_a_fresh_backup_without_the_person(db: Database, db_path: Path):
    made = _copies(db, db_path)
    done = PersonalDataService(db).erase_person(int(str(made["id"])), CopyChoice.DELETE)
    assert done.outcome is not None and not done.outcome.unreached
    for kind in ("partial", "pre_upgrade", "damaged"):
        assert not made[kind].exists(), kind
    assert set(done.outcome.deleted) == {made[k] for k in ("backup", "partial", "pre_upgrade", "damaged")}
    assert made["unrelated"].exists()  # another team file's copy is not this file's
    assert done.outcome.new_backup is not None and done.outcome.new_backup.exists()
    assert not occurs(MARK, file_bytes(done.outcome.new_backup))
    leftovers = [p for p in db_path.parent.rglob("*") if p.is_file() and p != made["unrelated"]]
    assert not any(occurs(MARK, p.read_bytes()) for p in leftovers)


def test_keeping_the_copies_says_which_still_hold_the_person(db: Database, db_path: Path):
    made = _copies(db, db_path)
    done = PersonalDataService(db).erase_person(int(str(made["id"])), CopyChoice.KEEP)
    assert done.outcome is not None and len(done.outcome.kept) == 4
    assert occurs(MARK, file_bytes(made["backup"])) and not occurs(MARK, file_bytes(db_path))
    assert "Copies that still hold this person, as chosen: 4" in done.outcome.summary()


def test_a_backup_running_elsewhere_stops_the_erase_before_anything_changes(db: Database, db_path: Path):
    from kamdesk.storage.backups import BackupBusyError, backup_lock

    made = _copies(db, db_path)
    before = file_bytes(db_path)
    with backup_lock(backup_folder(db_path), "bob", "bobs-session"), pytest.raises(BackupBusyError, match="bob"):
        PersonalDataService(db).erase_person(int(str(made["id"])), CopyChoice.ERASE)
    assert file_bytes(db_path) == before and occurs(MARK, file_bytes(made["backup"]))
