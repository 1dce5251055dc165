"""Personal-data rights of one contact: export everything held about them, or erase them and compact the file."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kamdesk.domain import clock
from kamdesk.domain.models import PresenceEntry
from kamdesk.domain.personal_data import ERASED_MARK, ErasePlan, PersonData
from kamdesk.i18n import _
from kamdesk.storage import backups as backup_store
from kamdesk.storage import personal_data as store
from kamdesk.storage.database import Database
from kamdesk.storage.errors import StorageError

__all__ = ["ErasePlan", "PersonData", "PersonalDataError", "PersonalDataService"]

#: A session whose heartbeat counter stood still this long (this machine's steady clock) is gone.
DEFAULT_STALE_AFTER = dt.timedelta(minutes=3)


class PersonalDataError(StorageError):
    """A request about a person's data that cannot be carried out; the message says why."""


@dataclass
class PersonalDataService:
    db: Database
    stale_after: dt.timedelta = DEFAULT_STALE_AFTER
    #: Who else has the file open now. By default the open file's own watcher judges them by their heartbeat
    #: counters (the one the window's status bar uses); the command line passes what its watch showed.
    live_others: Callable[[], list[PresenceEntry]] | None = None

    def find(self, name: str) -> list[tuple[int, str, str]]:
        """(id, name, account) of the contacts called `name` (else those whose name contains it)."""
        with self.db.read() as session:
            return store.find_contacts(session, name)

    def gather(self, contact_id: int) -> PersonData:
        with self.db.read() as session:
            data = store.gather(session, contact_id)
        if data is None:
            raise PersonalDataError(_("There is no contact with id {id} in this file.").format(id=contact_id))
        data.file_name = self.db.display_name
        data.exported_by = self.db.user_name
        return data

    def export_person(self, contact_id: int, out_json: str | Path | None, out_pdf: str | Path | None) -> PersonData:
        """Write everything held about one person as JSON and/or a readable PDF; returns what was written."""
        from kamdesk.reports import person_export

        data = self.gather(contact_id)
        if out_json is not None:
            Path(out_json).write_text(data.to_json(), encoding="utf-8")
        if out_pdf is not None:
            person_export.build(data, out_pdf)
        return data

    # Erasing ---------------------------------------------------------------------------------
    def others_open(self) -> str:
        """Who else has the file open now ("" when nobody): an erase must wait for them to close it."""
        if self.db.path is None:
            return ""
        if self.live_others is not None:
            others = [e for e in self.live_others() if e.session_id != self.db.session_id]
        else:
            entries = backup_store.read_presence(self.db.path)
            others = [
                e
                for e in self.db.presence_tracker.live(entries, time.monotonic(), clock.utc_now())
                if e.session_id != self.db.session_id
            ]
        return "; ".join(
            _("{name} on {host} since {since} UTC").format(
                name=e.user_name, host=e.host, since=e.opened_at.strftime("%Y-%m-%d %H:%M")
            )
            for e in others
        )

    def erase_preview(self, contact_id: int) -> ErasePlan:
        """What erasing the person would remove (counts per kind), who else has the file open, old backups."""
        with self.db.read() as session:
            person = store.find_contact(session, contact_id)
            counts = store.erase_counts(session, contact_id, _(ERASED_MARK))
        if counts is None or person is None:
            raise PersonalDataError(_("There is no contact with id {id} in this file.").format(id=contact_id))
        backups = 0
        if self.db.path is not None:
            backups = len(backup_store.list_backups(backup_store.backup_folder(self.db.path), self.db.path.stem))
        return ErasePlan(contact_id, person[1], person[2], counts, self.others_open(), backups)

    def erase_person(self, contact_id: int) -> ErasePlan:
        """Erase the person (one transaction), then VACUUM the file so the bytes are gone.

        Refused, with nothing changed, while anyone else has the file open: VACUUM needs the file to
        itself, and an erase left uncompacted would leave the old bytes in free pages.
        """
        plan = self.erase_preview(contact_id)
        if plan.others_open:
            raise PersonalDataError(
                _(
                    "{name} was not erased: others have this file open ({who}). Erasing compacts "
                    "the whole file, which needs it to yourself; ask them to close kamdesk and try "
                    "again. Nothing was changed."
                ).format(name=plan.name, who=plan.others_open)
            )
        with self.db.write() as session:
            counts = store.erase(session, contact_id, _(ERASED_MARK), self.db.user_name, self.db.host)
        try:
            store.compact(self.db)
        except StorageError as exc:
            raise PersonalDataError(
                _(
                    "{name} was erased and the space their data used was overwritten, but the file "
                    "could not be compacted yet ({reason}). Run 'kamdesk person FILE compact' when "
                    "nobody else has the file open."
                ).format(name=plan.name, reason=exc)
            ) from exc
        return ErasePlan(contact_id, plan.name, plan.account, counts, "", plan.backups)

    def compact(self) -> None:
        """Compact the file (VACUUM); refused while others have it open."""
        who = self.others_open()
        if who:
            raise PersonalDataError(_("The file was not compacted: others have it open ({who}).").format(who=who))
        store.compact(self.db)
