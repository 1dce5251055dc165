"""Personal-data rights of one contact: export everything held about them, or erase them and compact the file."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from kamdesk.domain import clock
from kamdesk.domain.models import PresenceEntry
from kamdesk.domain.personal_data import ERASED_MARK, CopiesOutcome, CopyChoice, ErasePlan, FileCopy, PersonData
from kamdesk.i18n import _
from kamdesk.storage import backups as backup_store
from kamdesk.storage import file_copies as copy_store
from kamdesk.storage import page_size as page_store
from kamdesk.storage import personal_data as store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database
from kamdesk.storage.errors import StorageError
from kamdesk.storage.locations import LocationKind, location_kind

__all__ = ["Conversion", "CopyChoice", "ErasePlan", "PersonData", "PersonalDataError", "PersonalDataService"]

Conversion = page_store.Conversion
#: The page size of team files (storage/database.py says why, and what older versions of kamdesk make of it).
TEAM_PAGE_SIZE = page_store.TEAM_PAGE_SIZE
log = logging.getLogger("kamdesk")
#: The largest file the window converts by itself on a file server by a VACUUM (a file the fast path cannot
#: convert: 1 GB or more, or in WAL mode). There the VACUUM (in one transaction) costs five to eight requests for
#: each old 4 KB page, and holds the file the whole time: through slowshare (issue 24) a 2 MB file took 4,039
#: requests, 5 s on the LAN setting and 44 s on the VPN one; 16 MB took 20,809, 29 s and 225 s; the 176 MB large
#: demo 218,390, 305 s on the LAN (about 40 minutes on the VPN by the same count). Up to this size that is about
#: 15 s on an office LAN and about 2 minutes over a VPN. Any other file on a file server takes the fast path
#: (storage/page_size.py), which has no size limit here: the large demo took 3,102 requests, 16 s on the LAN setting
#: (the file held exclusively for 4.7 s of it) and 70 s on the VPN one (held 25 s).
AUTO_CONVERT_MAX_NETWORK_BYTES = 8 * 1024 * 1024

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

    def find_by_id(self, contact_id: int) -> list[tuple[int, str, str]]:
        """[(id, name, account)] of the contact with this id, or [] when there is none."""
        with self.db.read() as session:
            found = store.find_contact(session, contact_id)
        return [] if found is None else [found]

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
        """What erasing the person would remove (counts per kind), who else has the file open, and the copies
        kamdesk made of the file (backups, pre-upgrade, damaged-file and unfinished copies) that hold them."""
        with self.db.read() as session:
            person = store.find_contact(session, contact_id)
            counts = store.erase_counts(session, contact_id, _(ERASED_MARK))
        if counts is None or person is None:
            raise PersonalDataError(_("There is no contact with id {id} in this file.").format(id=contact_id))
        copies: tuple[FileCopy, ...] = ()
        if self.db.path is not None:
            judged = (copy_store.assess(c, person) for c in copy_store.find_copies(self.db.path))
            copies = tuple(c for c in judged if c.may_hold)
        return ErasePlan(contact_id, person[1], person[2], counts, self.others_open(), copies)

    def erase_person(self, contact_id: int, copies: CopyChoice = CopyChoice.KEEP) -> ErasePlan:
        """Erase the person (one transaction), then VACUUM the file so the bytes are gone; then, as chosen,
        erase them inside the file's copies too, delete those copies, or leave them (see ErasePlan.outcome).

        Refused, with nothing changed, while anyone else has the file open: VACUUM needs the file to
        itself, and an erase left uncompacted would leave the old bytes in free pages. The copies are
        handled under the backup lock, taken before anything changes, so no backup is made meanwhile.
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
        path = self.db.path
        if path is None or not plan.copies or copies is CopyChoice.KEEP:
            counts, problem = self._erase_here(plan)
            outcome = CopiesOutcome(CopyChoice.KEEP, kept=tuple(c.path for c in plan.copies))
        else:
            folder = backup_store.backup_folder(path)
            with backup_store.backup_lock(folder, self.db.user_name, self.db.session_id, action="erase"):
                counts, problem = self._erase_here(plan)
                outcome = self._reach_copies(plan, copies, path)
        if problem:
            raise PersonalDataError("\n".join(t for t in (problem, outcome.summary()) if t))
        return replace(plan, counts=counts, others_open="", outcome=outcome)

    def _erase_here(self, plan: ErasePlan) -> tuple[dict[str, int], str]:
        """Erase the person from the open file and compact it; (counts, "" or why the compaction must wait)."""
        with self.db.write() as session:
            counts = store.erase(session, plan.contact_id, _(ERASED_MARK), self.db.user_name, self.db.host)
        try:
            store.compact(self.db)
        except StorageError as exc:
            return counts, _(
                "{name} was erased and the space their data used was overwritten, but the file "
                "could not be compacted yet ({reason}). Run 'kamdesk person FILE compact' when "
                "nobody else has the file open."
            ).format(name=plan.name, reason=exc)
        return counts, ""

    def _reach_copies(self, plan: ErasePlan, choice: CopyChoice, path: Path) -> CopiesOutcome:
        """Erase the person inside the copies (deleting unfinished ones), or delete the copies, as chosen."""
        person = (plan.contact_id, plan.name, plan.account)
        erased: list[Path] = []
        deleted: list[Path] = []
        unreached: list[tuple[Path, str]] = []
        for copy in plan.copies:
            try:
                if choice is CopyChoice.ERASE and not copy.reason:
                    copy_store.erase_in_copy(copy, person, _(ERASED_MARK), self.db.user_name, self.db.host)
                    erased.append(copy.path)
                elif choice is CopyChoice.DELETE or copy.kind == "leftover":
                    copy_store.delete_copy(copy)
                    deleted.append(copy.path)
                else:
                    unreached.append((copy.path, copy.reason))
            except OSError as exc:
                unreached.append((copy.path, _("it cannot be deleted ({reason})").format(reason=exc.strerror or exc)))
            except StorageError as exc:
                unreached.append((copy.path, str(exc)))
        new_backup, notes = None, []
        if choice is CopyChoice.DELETE and any(p.kind == "backup" for p in plan.copies if p.path in deleted):
            try:  # the file is not left without a backup: a fresh one, made from the erased file
                new_backup = backup_store.make_backup(path, backup_store.backup_folder(path), stem=path.stem).path
            except StorageError as exc:
                notes.append(_("No new backup of the erased file could be made: {reason}").format(reason=exc))
        return CopiesOutcome(choice, tuple(erased), tuple(deleted), (), tuple(unreached), new_backup, tuple(notes))

    def compact(self) -> Conversion | None:
        """Compact the file (VACUUM), which also gives a file with small pages TEAM_PAGE_SIZE ones (returned, as
        done; None when its pages already were); refused while others have it open."""
        who = self.others_open()
        if who:
            raise PersonalDataError(_("The file was not compacted: others have it open ({who}).").format(who=who))
        if self.needs_larger_pages():
            done = self.make_pages_larger()
            if done is not None:
                return done
            who = self.others_open()  # they opened it between the two looks
            raise PersonalDataError(_("The file was not compacted: others have it open ({who}).").format(who=who))
        store.compact(self.db)
        return None

    # Page size (storage/page_size.py) ----------------------------------------------------------------
    def page_size(self) -> int:
        return page_store.page_size(self.db)

    def needs_larger_pages(self) -> bool:
        """True for a writable team file whose pages are smaller than TEAM_PAGE_SIZE (made by kamdesk before it)."""
        return (
            self.db.is_sqlite
            and self.db.path is not None
            and not self.db.read_only
            and self.page_size() < TEAM_PAGE_SIZE
        )

    def wants_automatic_conversion(self) -> bool:
        """Whether the window should convert the file to larger pages by itself now: its pages are small, it is
        writable, nobody else has it open, and it is on this computer's disks, or on a file server where the fast
        path can convert it or it is small enough for the VACUUM (AUTO_CONVERT_MAX_NETWORK_BYTES: the VACUUM holds
        the file the whole time)."""
        path = self.db.path
        if path is None or not self.needs_larger_pages() or self.others_open():
            return False
        if location_kind(path) is LocationKind.NETWORK:
            if page_store.fast_possible(self.db):
                return True  # the fast path: a backup's read, a local VACUUM, the file held only while written
            try:
                return path.stat().st_size <= AUTO_CONVERT_MAX_NETWORK_BYTES
            except OSError:
                return False
        return True

    def uses_fast_conversion(self) -> bool:
        """Whether the conversion takes the fast path (storage/page_size.py): for a file on a file server, where the
        VACUUM's requests cost minutes, when the path can convert it (SQLite, rollback journal, under 1 GB)."""
        path = self.db.path
        return path is not None and location_kind(path) is LocationKind.NETWORK and page_store.fast_possible(self.db)

    def make_pages_larger(self, fast: bool | None = None) -> Conversion | None:
        """Convert the file to TEAM_PAGE_SIZE pages once (a VACUUM: all or nothing), when nobody else has it open.

        Returns what was done, or None with nothing changed: the pages are large already, or others have the file
        open (a later open converts it). BackupBusyError when a backup (or restore) holds the file's backup lock
        now: try again later. The conversion holds that lock itself, naming it, so that a colleague who opens the
        file meanwhile is told who is converting it. It is logged (the app's log and the change log).

        `fast`: the fast path (a verified backup first, converted locally, written over the file in place) or the
        VACUUM (rolls back whole when anything stops it, so no backup is made first); None: the fast path on a file
        server (uses_fast_conversion), the VACUUM elsewhere.
        """
        path = self.db.path
        if path is None or not self.needs_larger_pages():
            return None
        folder = backup_store.backup_folder(path)
        with backup_store.backup_lock(folder, self.db.user_name, self.db.session_id, action=page_store.LOCK_ACTION):
            if self.others_open():
                return None
            if fast is None:
                fast = self.uses_fast_conversion()
            if fast and page_store.fast_possible(self.db):
                done = page_store.convert_fast(self.db)
            else:
                done = page_store.convert(self.db)
        log.info(
            "%s: page size %d -> %d bytes (%.1f MB -> %.1f MB) in %.1f s%s",
            path,
            done.before,
            done.after,
            done.size_before / 1e6,
            done.size_after / 1e6,
            done.seconds,
            (
                f" (held {done.held_seconds:.1f} s); the file as it was is the backup {done.backup}"
                if done.backup is not None
                else ""
            ),
        )
        with self.db.write() as session:
            changes: dict[str, object] = {"page_size": [done.before, done.after], "seconds": round(done.seconds, 1)}
            if done.backup is not None:
                changes["backup"] = done.backup.name
            repo.log_event(session, self.db.user_name, self.db.host, "file", path.name, "page_size", changes)
        return done
