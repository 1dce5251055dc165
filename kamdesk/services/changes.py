"""Seeing what others saved: a change watcher to poll every ~2 s, and the audit trail (no Qt here)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from kamdesk.domain import clock
from kamdesk.domain.changes import AuditFilter, ChangeEntry
from kamdesk.storage import changes as store
from kamdesk.storage.database import Database
from kamdesk.storage.errors import StorageError

#: How often the window asks whether the file changed (seconds).
POLL_INTERVAL_S = 2.0
#: On a server, change-log ids are handed out when a save starts but become visible when it commits,
#: so a slow save can appear below ids already seen: each poll looks this many ids back.
SERVER_LOOKBACK_IDS = 500


class ChangeWatcher:
    """Polls a dedicated connection's data version; when it moves, hands back the new change-log entries."""

    def __init__(self, db: Database) -> None:
        self.db = db
        #: The window polls from a worker thread and may reset from the GUI thread: one at a time.
        self._lock = threading.Lock()
        self._probe = store.DataVersionProbe(db)
        self._version: int | None = None
        self._last_id = 0
        #: On a server: the ids already reported within the look-back (so a late commit is news once).
        self._seen: set[int] = set()
        self.reset()

    def reset(self) -> None:
        """Start watching from now: what is already in the log is not news."""
        with self._lock:
            self._reset()

    def _reset(self) -> None:
        self._version = self._probe.version(force=True)
        try:
            with self.db.read() as session:
                self._last_id = store.latest_change_id(session)
                if not self.db.is_sqlite:
                    self._seen = {
                        e.id for e in store.changes_after(session, max(0, self._last_id - SERVER_LOOKBACK_IDS))
                    }
        except StorageError:
            pass

    def poll(self, include_own: bool = False) -> list[ChangeEntry]:
        """The entries logged since the last poll (by others unless `include_own`); cheap when nothing moved."""
        with self._lock:
            return self._poll(include_own)

    def _poll(self, include_own: bool) -> list[ChangeEntry]:
        if not self.db.is_sqlite:
            return self._poll_server(include_own)
        version = self._probe.version()
        if version is None or version == self._version:
            return []
        try:
            with self.db.read() as session:
                entries = store.changes_after(session, self._last_id)
        except StorageError:
            return []  # busy: the data version is not taken, so the next poll looks again
        self._version = version
        if entries:
            self._last_id = entries[-1].id
        if include_own:
            return entries
        return [e for e in entries if (e.by, e.host) != (self.db.user_name, self.db.host)]

    def _poll_server(self, include_own: bool) -> list[ChangeEntry]:
        try:
            with self.db.read() as session:
                recent = store.changes_after(session, max(0, self._last_id - SERVER_LOOKBACK_IDS))
        except StorageError:
            return []  # busy or unreachable: the next poll looks again
        entries = [e for e in recent if e.id not in self._seen]
        if entries:
            self._last_id = max(self._last_id, max(e.id for e in entries))
            self._seen.update(e.id for e in entries)
            floor = self._last_id - SERVER_LOOKBACK_IDS
            self._seen = {i for i in self._seen if i > floor}
        if include_own:
            return entries
        return [e for e in entries if (e.by, e.host) != (self.db.user_name, self.db.host)]

    def interrupt(self) -> None:
        """Stop a poll in progress at once (no lock: the poll holds it)."""
        self._probe.interrupt()

    def close(self) -> None:
        with self._lock:
            self._probe.close()


@dataclass
class AuditService:
    """Who changed what, when: the change log, filtered."""

    db: Database
    today = staticmethod(clock.today)

    def entries(self, wanted: AuditFilter | None = None) -> list[ChangeEntry]:
        wanted = wanted or AuditFilter()
        with self.db.read() as session:
            return store.audit_entries(session, wanted)

    def people(self) -> list[str]:
        with self.db.read() as session:
            return store.audit_people(session)

    def tables(self) -> list[str]:
        with self.db.read() as session:
            return store.audit_tables(session)
