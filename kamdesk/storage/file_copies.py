"""The copies kamdesk made of a team file, found for a personal-data erase: checked for the person, erased or deleted.

kamdesk leaves copies of a team file in three places: its backups (and the copies of a damaged file kept at a
restore, with the journal set aside then) in NAME.backups; the copy kept before a schema upgrade beside the
file (NAME.before-schema-N-STAMP.kamdb); and, after an interrupted backup or restore, its unfinished copy
(.NAME….partial in the backup folder, .NAME….restoring beside the file), which is a full, readable copy.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from kamdesk.domain.personal_data import FileCopy
from kamdesk.i18n import _
from kamdesk.storage import personal_data as person_store
from kamdesk.storage.backups import backup_folder, integrity, is_leftover, list_backups
from kamdesk.storage.database import Database, inspect_file, sqlite_url
from kamdesk.storage.errors import StorageError
from kamdesk.storage.migrate import APPLICATION_ID, head_version

#: Who the person is, as the live file knows them: (contact id, name, account name).
Person = tuple[int, str, str]


def find_copies(db_path: Path) -> list[FileCopy]:
    """Every copy kamdesk made of the team file at `db_path` that is still on disk, each with its kind."""
    db_path = Path(db_path)
    folder = backup_folder(db_path)
    found = [FileCopy(b.path, "backup") for b in list_backups(folder, db_path.stem)]
    stem, suffix = re.escape(db_path.stem), re.escape(db_path.suffix)
    pre_upgrade = re.compile(rf"^{stem}\.before-schema-\d+-\d{{8}}-\d{{6}}(?:-\d+)?{suffix}$")
    damaged = re.compile(rf"^{stem}\.damaged-[\d_-]+-[0-9a-f]{{6}}{suffix}$")
    set_aside = re.compile(rf"^{re.escape(db_path.name)}-(?:journal|wal)\.[0-9a-f]{{8}}\.set-aside$")
    for entry in _files(db_path.parent):
        if pre_upgrade.match(entry.name):
            found.append(FileCopy(entry, "pre_upgrade"))
        elif entry.name.startswith(f".{db_path.name}.") and is_leftover(entry.name):
            found.append(FileCopy(entry, "leftover"))
    for entry in _files(folder):
        if damaged.match(entry.name) or set_aside.match(entry.name):
            found.append(FileCopy(entry, "damaged"))
        elif entry.name.startswith(f".{db_path.stem}.") and is_leftover(entry.name):
            found.append(FileCopy(entry, "leftover"))
    return found


def _files(folder: Path) -> list[Path]:
    try:
        return sorted(entry for entry in folder.iterdir() if entry.is_file())
    except OSError:
        return []


def assess(copy: FileCopy, person: Person) -> FileCopy:
    """The copy, with whether it holds the person (None: cannot be told, so it may) and whether they can be
    erased inside it (only a readable kamdesk file of this schema version; others can only be deleted)."""
    if copy.kind == "leftover" or copy.path.name.endswith(".set-aside"):
        return copy.judged(None, _("an unfinished copy or set-aside journal: it can only be deleted"))
    info = inspect_file(copy.path)
    try:
        found = _matching_ids(copy.path, person)
    except sqlite3.Error as exc:
        return copy.judged(None, _("it cannot be read ({reason}): it can only be deleted").format(reason=exc))
    holds = bool(found)
    if copy.kind == "damaged":
        # Kept as found at a restore; changing it could make what it still holds unreadable.
        return copy.judged(holds, _("a copy of a damaged file is kept as found: it can only be deleted"))
    if info.application_id != APPLICATION_ID or info.needs_recovery:
        return copy.judged(holds, _("it is not a readable kamdesk file: it can only be deleted"))
    if info.user_version != head_version():
        return copy.judged(
            holds,
            _("it was made by another version of kamdesk (schema {version}): it can only be deleted").format(
                version=info.user_version
            ),
        )
    if not info.writable:
        return copy.judged(holds, _("it cannot be changed here ({reason})").format(reason=info.read_only_reason))
    if len(found) > 1:
        return copy.judged(True, _("it holds several contacts of this name and company: it can only be deleted"))
    return copy.judged(holds, "")


def _matching_ids(path: Path, person: Person) -> list[int]:
    """The ids of the person in a copy: the same id under the same name, else the one of that name and company."""
    contact_id, name, account = person
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
    try:
        same = conn.execute("SELECT id FROM contacts WHERE id = ? AND name = ?", (contact_id, name)).fetchall()
        if same:
            return [contact_id]
        rows = conn.execute(
            "SELECT c.id FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id "
            "WHERE c.name = ? AND coalesce(a.name, '') = ? ORDER BY c.id",
            (name, account),
        ).fetchall()
        return [int(r[0]) for r in rows]
    finally:
        conn.close()


def erase_in_copy(copy: FileCopy, person: Person, mark: str, by: str, host: str) -> None:
    """Erase the person inside a copy the way the live file was erased (scrubbed, then compacted), and check it.

    Raises StorageError saying why when it cannot be done; the copy is then as it was, or checked and whole.
    """
    try:
        found = _matching_ids(copy.path, person)
        if len(found) != 1:
            raise StorageError(_("the person cannot be told apart in it"))
        db = Database(sqlite_url(copy.path), by, path=copy.path)
        try:
            with db.write() as session:
                person_store.erase(session, found[0], mark, by, host)
            person_store.compact(db)
        finally:
            db.dispose()
    except (sqlite3.Error, SQLAlchemyError) as exc:
        raise StorageError(_("it could not be changed ({reason})").format(reason=exc)) from exc
    result = integrity(copy.path)
    if result != "ok":
        raise StorageError(_("it fails its integrity check after the erase ({detail})").format(detail=result))


def delete_copy(copy: FileCopy) -> None:
    """Delete a copy (and the journal beside it, which holds pages of it). OSError when it cannot be deleted."""
    copy.path.unlink(missing_ok=True)
    copy.path.with_name(copy.path.name + "-journal").unlink(missing_ok=True)
