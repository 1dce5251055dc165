"""Contact search from memory: the narrow search lines read once, so a keystroke costs no file requests.

On a file server every page SQLite reads is a request: the `contact_search.text LIKE '%x%'` scan read
all of the search table's pages at every keystroke (issue 24: 1,100-1,250 requests, 2.7 s on an
office share, 16-20 s over a VPN). Here the lines (and the companies' names) are read once, in the
background, and matched in memory with the same rules as the SQL search. When contacts or accounts
change (this window's saves, or a colleague's seen by the change poll), the index is marked stale and
the next search reads only the change-log entries since, and the rows they name.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from kamdesk.domain.contacts import ContactListItem
from kamdesk.domain.names import fold, has_han
from kamdesk.domain.settings import TeamSettings
from kamdesk.gui_turns import pause_point
from kamdesk.storage import contacts as store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database

#: More changed rows than this since the last look: read every line again (one pass is then cheaper).
RELOAD_ALL_AFTER = 2_000

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lower(text: str) -> str:
    """Lower-case as SQLite's LIKE compares: ASCII letters only."""
    return text.translate(_ASCII_LOWER)


class ContactSearchIndex:
    """Every contact's search line and name order, and every company's names, held in memory."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        #: contact id -> (account id, search line lower-cased as LIKE compares, name pinyin)
        self._lines: dict[int, tuple[int | None, str, str | None]] = {}
        #: account id -> (name, pinyin, initials), all lower-cased as LIKE compares them
        self._companies: dict[int, tuple[str, str, str]] = {}
        self._change_id: int | None = None  # None: not read yet
        self._stale = False

    # Keeping it fresh ----------------------------------------------------------------------------
    def mark_stale(self) -> None:
        """Contacts or accounts may have changed: the next search first reads what changed."""
        self._stale = True

    def loaded(self) -> bool:
        return self._change_id is not None

    def contact_ids(self) -> list[int]:
        """Every contact the index holds."""
        with self._lock:
            return list(self._lines)

    def prepare(self) -> None:
        """Read the lines now if not yet (call it off the GUI thread, ahead of the first keystroke)."""
        with self._lock:
            self._ensure()

    def _ensure(self) -> None:
        if self._change_id is None:
            self._load()
        elif self._stale:
            self._catch_up()

    def _load(self) -> None:
        self._stale = False
        lines: dict[int, tuple[int | None, str, str | None]] = {}
        with self.db.read() as session:
            change_id = store.latest_change(session)
            for batch in store.search_line_batches(session):
                lines.update((cid, (account_id, _lower(text), pinyin)) for cid, account_id, text, pinyin in batch)
                time.sleep(PAUSE_S)  # the GUI thread's turn (see PAUSE_S)
                pause_point()  # and more while it is busy
            companies = store.company_lines(session)
        self._lines = lines
        self._companies = {aid: (_lower(name), _lower(py), _lower(ini)) for aid, name, py, ini in companies}
        self._change_id = change_id

    def _catch_up(self) -> None:
        assert self._change_id is not None
        self._stale = False
        with self.db.read() as session:
            latest, contact_ids, account_ids = store.changed_since(session, self._change_id)
            if len(contact_ids) + len(account_ids) > RELOAD_ALL_AFTER:
                self._change_id = None
            else:
                lines = store.search_lines(session, sorted(contact_ids)) if contact_ids else []
                companies = store.company_lines(session, sorted(account_ids)) if account_ids else []
        if self._change_id is None:
            self._load()
            return
        for cid in contact_ids:
            self._lines.pop(cid, None)  # a deleted contact stays gone
        self._lines.update({cid: (account_id, _lower(text), pinyin) for cid, account_id, text, pinyin in lines})
        for aid in account_ids:
            self._companies.pop(aid, None)
        self._companies.update({aid: (_lower(n), _lower(py), _lower(ini)) for aid, n, py, ini in companies})
        self._change_id = latest

    # Searching -----------------------------------------------------------------------------------
    def matches(self, text: str, descending: bool = False) -> list[int]:
        """Ids of the contacts `text` finds, in the list's name order (pinyin, then id).

        The same rules as the SQL search (storage/contacts.py `_search_condition`): the search line
        contains the folded text, or the company's name contains it, its pinyin contains the folded
        text, or its initials start with it."""
        text = text.strip()
        with self._lock:
            self._ensure()
            lines, companies = self._lines, self._companies
        pattern = _lower(text if has_han(text) else (fold(text) or text.lower()))
        raw, initials = _lower(text), _lower(fold(text) or text)
        found_companies = {
            aid
            for aid, (name, pinyin, ini) in companies.items()
            if raw in name or pattern in pinyin or ini.startswith(initials)
        }
        found = [
            (pinyin is not None, pinyin or "", cid)
            for cid, (account_id, line, pinyin) in lines.items()
            if pattern in line or account_id in found_companies
        ]
        found.sort(key=lambda key: key[2])  # ties in the name keep the id order, as the SQL's ", id"
        found.sort(key=lambda key: (key[0], key[1]), reverse=descending)
        return [cid for _has, _pinyin, cid in found]


#: Rows read in one short read while every row is read ahead (a read holds the file's shared lock: many short
#: ones, with the file free between them, rather than one long one a colleague's save would wait behind).
ROWS_PER_READ = 3_000
#: Every row is read ahead only from a file with pages at least this large (a file still in 4 KB pages would
#: take some 3,300 requests, 38 s over a VPN, for 30,000 contacts: rows are then read as the keystrokes show them).
READ_AHEAD_MIN_PAGE = 16_384
#: A pause between batches of rows read ahead, so that the GUI thread (waiting for Python's lock to paint the
#: list a keystroke found, say) is not kept waiting behind thousands of rows being turned into items.
PAUSE_S = 0.002


class ContactRowCache:
    """The list's rows (ContactListItem) of contacts already read, kept while the file does not change.

    A search's page is rows scattered all over the contacts table: on a file server each is a request of
    its own (issue 24: 15 to 50 a keystroke). Here a row read once is kept, every row is read ahead in the
    background (in short reads by key), and each keystroke costs one request: the file's change counter,
    read to learn whether anything was committed since (by anyone). When it moved, everything kept goes.
    Only on a team file (a server has no change counter to ask: None, and nothing is kept)."""

    def __init__(self, db: Database, on_change: Callable[[], None] | None = None) -> None:
        self.db = db
        self._on_change = on_change
        self._lock = threading.Lock()
        self._items: dict[int, ContactListItem] = {}
        self._settings: TeamSettings | None = None
        self._counter: int | None = None  # the change counter the rows are as of (None: nothing kept)

    def check(self) -> int | None:
        """Read the change counter (one request); drop what was kept when it moved. The counter, or None."""
        counter = self.db.change_counter()
        with self._lock:
            before = self._counter
            if counter != before:
                self._items, self._settings, self._counter = {}, None, counter
        if counter != before and before is not None and self._on_change is not None:
            self._on_change()  # a commit since the last look (this window's, or a colleague's)
        return counter

    def rows(self, ids: list[int], counter: int | None) -> list[ContactListItem]:
        """The list rows of `ids` in that order (deleted ones left out); only the ones not kept are read.

        `counter` is what `check` returned just before (the rows kept are as of it)."""
        with self._lock:
            items = self._items
        missing = [cid for cid in ids if cid not in items]
        if missing:
            with self.db.read() as session:
                settings = repo.load_team_settings(session)
                read = store.list_items_of(session, settings, missing)
            self._keep(counter, settings, read)
            items = {**items, **{item.id: item for item in read}}
        return [items[cid] for cid in ids if cid in items]

    def read_all(self, ids: list[int]) -> None:
        """Read the rows of every contact in `ids` ahead of the keystrokes (off the GUI thread), in short
        reads of neighbouring ids, as of the counter `check` read last; stops when the file changed since."""
        counter = self._counter
        if counter is None:
            return
        ordered = sorted(ids)
        settings: TeamSettings | None = None
        for start in range(0, len(ordered), ROWS_PER_READ):
            chunk = ordered[start : start + ROWS_PER_READ]
            if all(cid in self._items for cid in chunk):
                continue
            read: list[ContactListItem] = []
            with self.db.read() as session:
                if settings is None:
                    if store.page_bytes(session) < READ_AHEAD_MIN_PAGE:
                        return  # small pages: the rows are read as keystrokes show them, and kept
                    settings = repo.load_team_settings(session)
                for batch in store.list_items_between(session, settings, chunk[0], chunk[-1]):
                    read.extend(batch)
                    time.sleep(PAUSE_S)  # the GUI thread's turn: this is Python work, it holds the GIL
                    pause_point()  # and more while it is busy
            if not self._keep(counter, settings, read):
                return

    def _keep(self, counter: int | None, settings: TeamSettings, read: list[ContactListItem]) -> bool:
        """Keep rows read as of `counter` (read before they were): only while nothing newer was seen."""
        with self._lock:
            if counter is None or counter != self._counter:
                return False
            self._items.update((item.id, item) for item in read)
            self._settings = settings
            return True
