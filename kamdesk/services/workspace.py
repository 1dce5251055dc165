"""The open team file as the UI sees it: one object that hands out the feature services."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path

from kamdesk.domain import clock
from kamdesk.domain.backups import RestoreResult
from kamdesk.domain.models import (
    DatabaseSummary,
    PresenceEntry,
    RecomputeResult,
    TeamMember,
)
from kamdesk.domain.presence import PRESENCE_STALE_AFTER, PresenceTracker
from kamdesk.domain.settings import TeamSettings, target_changes
from kamdesk.i18n import _
from kamdesk.services.account_view import AccountViewService
from kamdesk.services.accounts import AccountService
from kamdesk.services.backups import BackupService
from kamdesk.services.changes import AuditService, ChangeWatcher
from kamdesk.services.contacts import ContactService
from kamdesk.services.followups import FollowUpService
from kamdesk.services.gifts import GiftService
from kamdesk.services.personal_data import PersonalDataService
from kamdesk.services.plans import PlanService
from kamdesk.services.smart import SmartService
from kamdesk.services.transfer import TransferService
from kamdesk.services.zipper import ZipperService
from kamdesk.storage import repositories as repo
from kamdesk.storage.accounts import recompute as recompute_classes
from kamdesk.storage.database import Database, inspect_file
from kamdesk.storage.errors import (
    ConflictError,
    DatabaseBusyError,
    DatabaseOpenError,
    NewerSchemaError,
    ReadOnlyError,
    StorageError,
)
from kamdesk.storage.opening import check_file, open_database

log = logging.getLogger(__name__)

#: How long closing waits for the farewell write (seconds). A colleague's long save may hold the file meanwhile;
#: the entry then left behind goes stale by its heartbeats, as a crashed window's does.
FAREWELL_WAIT_S = 2.0

__all__ = [
    "ConflictError",
    "DatabaseBusyError",
    "DatabaseOpenError",
    "NewerSchemaError",
    "ReadOnlyError",
    "StorageError",
    "Workspace",
    "open_workspace",
    "check_file",
    "is_new_file",
    "AccountService",
]


def is_new_file(path: str | Path) -> bool:
    """True when opening `path` as a new file would create a team database: only when nothing is there yet
    (an existing empty file is refused like a damaged one, never filled)."""
    return not inspect_file(path).exists


@dataclass
class TeamService:
    db: Database

    def members(self) -> list[TeamMember]:
        with self.db.read() as session:
            return repo.team_members(session)

    def save(self, member: TeamMember) -> int:
        """Add or change one of our people; a name is required."""
        if not member.name.strip():
            raise ValueError(_("A colleague needs a name."))
        with self.db.write() as session:
            return repo.save_team_member(session, replace(member, name=member.name.strip()))

    def join(self, name: str, role: str = "account_manager") -> int | None:
        """Put the person using the file on our team (the one who creates a file, so owner lists are never
        empty); someone already there by that name keeps their entry and gets `role` if they had none."""
        if not name.strip() or self.db.read_only:
            return None
        for member in self.members():
            if member.name == name.strip():
                return member.id if member.role else self.save(replace(member, role=role))
        return self.save(TeamMember(0, name.strip(), "", "", None, role, True))


@dataclass
class SettingsService:
    db: Database
    accounts: AccountService

    def load(self) -> TeamSettings:
        with self.db.read() as session:
            return repo.load_team_settings(session)

    def save(self, settings: TeamSettings) -> RecomputeResult:
        """Save the team's settings and recompute every class under them, in one transaction."""
        settings.validate()
        with self.db.write() as session:
            before = repo.load_team_settings(session)
            repo.save_team_settings(session, settings)
            # Which targets moved, cell by cell, beside the settings row's own entry (the audit view reads it).
            changes = target_changes(before.target_matrix, settings.target_matrix)
            if changes:
                repo.log_event(session, self.db.user_name, self.db.host, "settings", "target_matrix", "update", changes)
            return recompute_classes(session, settings, self.accounts.today(), self.db.user_name, self.db.host)


def _utc_now() -> dt.datetime:
    return clock.utc_now()


@dataclass
class PresenceService:
    """Who has the file open: this client's own entry and everyone else's live ones.

    Others are judged by whether their heartbeat counter moves (see domain/presence.py), measured
    on this machine's steady clock, so a colleague whose PC clock is off is never shown as gone.
    `wall_clock` is what this client writes into its own entry (a test can set it off by hours).
    """

    db: Database
    stale_after: dt.timedelta = PRESENCE_STALE_AFTER
    wall_clock: Callable[[], dt.datetime] = _utc_now
    steady_clock: Callable[[], float] = time.monotonic
    tracker: PresenceTracker = field(init=False)

    def __post_init__(self) -> None:
        # One watcher per open file: the status bar, busy messages, restore and erase judge alike.
        shared = self.db.presence_tracker
        self.tracker = shared if shared.stale_after == self.stale_after else PresenceTracker(self.stale_after)

    def register(self) -> None:
        if self.db.read_only:
            return
        with self.db.write() as session:
            repo.register_presence(
                session, self.db.session_id, self.db.user_name, self.db.host, os.getpid(), now=self.wall_clock()
            )

    def heartbeat(self) -> None:
        if self.db.read_only or self.db.held_for is not None:
            # This process holds the file for a long job (the page-size conversion): a beat would wait on it, or,
            # committed between the fast conversion's backup and its write, refuse it. A beat or two is skipped.
            return
        with self.db.write() as session:
            repo.heartbeat(session, self.db.session_id, now=self.wall_clock())

    def unregister(self) -> None:
        if self.db.read_only:
            return
        with self.db.farewell() as session:  # allowed after the window interrupted the file
            repo.unregister_presence(session, self.db.session_id)

    def others(self) -> list[PresenceEntry]:
        with self.db.read() as session:
            entries = repo.presence_entries(session)
        live = self.tracker.live(entries, self.steady_clock(), _utc_now())
        return [e for e in live if e.session_id != self.db.session_id]


class Workspace:
    """An open database and the services that work on it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        #: Today and now for everything this file's window shows (kamdesk's one clock; a test fixes it).
        self.clock = clock.clock()
        self.accounts = AccountService(db)
        self.team = TeamService(db)
        self.settings = SettingsService(db, self.accounts)
        self.contacts = ContactService(db)
        self.zipper = ZipperService(db)
        self.smart = SmartService(db)
        self.followups = FollowUpService(db)
        self.plans = PlanService(db)
        self.account_view = AccountViewService(db)
        self.gifts = GiftService(db)
        self.transfer = TransferService(db)
        self.personal_data = PersonalDataService(db, PRESENCE_STALE_AFTER)
        self.presence = PresenceService(db)
        self.backups = BackupService(db, PRESENCE_STALE_AFTER)
        self.changes = ChangeWatcher(db)
        self.audit = AuditService(db)

    @property
    def path(self) -> Path | None:
        return self.db.path

    @property
    def display_name(self) -> str:
        return self.db.display_name

    @property
    def user_name(self) -> str:
        return self.db.user_name

    def set_user_name(self, name: str) -> None:
        """Record later changes under a new display name (earlier entries keep the old one)."""
        self.db.user_name = name

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    @property
    def read_only_reason(self) -> str:
        return self.db.read_only_reason

    def summary(self) -> DatabaseSummary:
        with self.db.read() as session:
            return repo.summary(session)

    def restore_backup(self, backup: str | Path) -> RestoreResult:
        """Restore a backup over this file (nobody else may have it open); this client stays present."""
        watched: list[PresenceEntry] | None
        try:
            watched = self.presence.others()  # live by their heartbeats, whatever their clocks say
        except StorageError:
            watched = None  # unreadable now: the restore watches the counters itself
        result = self.backups.restore(backup, live_others=watched)
        try:
            self.presence.register()
        except StorageError:
            pass
        self.changes.reset()
        return result

    def one_read(self) -> AbstractContextManager[None]:
        """What one screen reads, from every service, as one unit of work (a `with` block on one thread;
        no save inside it). On a file server each unit of work costs several lock requests."""
        return self.db.read_together()

    def interrupt(self) -> None:
        """Stop all work running on the file now and refuse new work: the window is closing."""
        self.db.interrupt()
        self.changes.interrupt()
        self.backups.stop_running()

    def close(self, wait_for_work: Callable[[], object] | None = None) -> None:
        """Let the file go. The farewell (this window's presence entry taken away) is written on its own thread
        while `wait_for_work` waits for the background work `interrupt()` stopped: through slowshare's VPN setting
        each took 200-500 ms, and one after the other they made closing take over a second (issue 24)."""
        self.changes.close()
        farewell = threading.Thread(target=self._farewell, name="kamdesk-farewell", daemon=True)
        farewell.start()
        if wait_for_work is not None:
            wait_for_work()
        farewell.join(FAREWELL_WAIT_S)
        self.db.dispose()

    def _farewell(self) -> None:
        try:
            self.presence.unregister()
        except StorageError:
            pass  # the entry goes stale by its heartbeats, as a crashed window's does
        except Exception:  # noqa: BLE001 - a thread's error would otherwise only reach stderr
            log.exception("the farewell write failed")


def open_workspace(target: str | Path, user_name: str, *, create: bool = False, read_only: bool = False) -> Workspace:
    db = open_database(target, user_name, create=create, read_only=read_only)
    workspace = Workspace(db)
    try:
        workspace.presence.register()
    except StorageError:
        pass  # presence is a courtesy; a busy file must not stop a person from opening it
    return workspace
