"""One person's data gathered for an export, and erased with their values scrubbed from kept records and the log."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from kamdesk.domain.followups import detail_text
from kamdesk.domain.personal_data import (
    PersonData,
    Section,
    scrub_json,
    scrub_text,
    sensitive_values,
)
from kamdesk.i18n import N_, _
from kamdesk.storage.database import PAGE_CACHE_KIB, TEAM_PAGE_SIZE, Database, is_busy_error
from kamdesk.storage.errors import DatabaseBusyError, FileClosingError, StorageError
from kamdesk.storage.tables import (
    AccountRow,
    ActivityRow,
    ChangeLogRow,
    ContactEventRow,
    ContactRow,
    ContactSearchRow,
    ContactStageHistoryRow,
    FamilyMemberRow,
    GiftRow,
    LinkRow,
    PersonalDateRow,
    TeamMemberRow,
    VisitRow,
    utcnow,
)

#: The tables of a person's own records (deleted with them) and the one that names its contact.
OWN_TABLES: tuple[Any, ...] = (FamilyMemberRow, PersonalDateRow, ContactStageHistoryRow, LinkRow, ContactEventRow)
#: Records the team keeps after an erase, with the free-text columns that may hold the person's words.
KEPT_TEXT: dict[Any, tuple[str, ...]] = {
    ActivityRow: ("subject", "notes", "outcome", "reason_detail", "location", "prep_json", "review_json"),
    GiftRow: ("item", "occasion", "notes", "people_theirs"),
    VisitRow: ("people_theirs", "purpose", "place", "plan_gift", "plan_activity", "outcome"),
}
_INTERNAL = {"version", "name_pinyin", "name_initials"}
_SECTIONS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "family": (
        N_("Family"),
        (("name", N_("Name")), ("relation", N_("Relation")), ("birthday", N_("Birthday")), ("notes", N_("Notes"))),
    ),
    "personal_dates": (N_("Personal dates"), (("label", N_("Label")), ("date", N_("Date")))),
    "sensitive_events": (
        N_("Sensitive events (illness, bereavement)"),
        (("kind", N_("Kind")), ("starts_on", N_("From")), ("ends_on", N_("Until")), ("note", N_("Note"))),
    ),
    "stage_history": (
        N_("Relationship stage history"),
        (("changed_on", N_("Date")), ("stage", N_("Stage")), ("changed_by", N_("By")), ("reason", N_("Reason"))),
    ),
    "links": (
        N_("Our people who know them"),
        (
            ("member", N_("Our person")),
            ("relationship_stage", N_("Stage")),
            ("last_contact_on", N_("Last contact")),
            ("notes", N_("Notes")),
        ),
    ),
    "activities": (
        N_("Activities that name them"),
        (
            ("due_on", N_("Due")),
            ("occurred_at", N_("Happened")),
            ("kind", N_("Kind")),
            ("status", N_("Status")),
            ("member", N_("Our person")),
            ("subject", N_("Subject")),
            ("notes", N_("Notes")),
            ("outcome", N_("Outcome")),
        ),
    ),
    "gifts": (
        N_("Gifts and hospitality that name them"),
        (
            ("given_on", N_("Date")),
            ("direction", N_("Direction")),
            ("kind", N_("Kind")),
            ("item", N_("Item")),
            ("value", N_("Value")),
            ("occasion", N_("Occasion")),
            ("people_theirs", N_("Their people")),
            ("notes", N_("Notes")),
        ),
    ),
    "visits": (
        N_("Visits that name them"),
        (
            ("starts_at", N_("When")),
            ("kind", N_("Kind")),
            ("status", N_("Status")),
            ("place", N_("Place")),
            ("purpose", N_("Purpose")),
            ("people_theirs", N_("Their people")),
            ("outcome", N_("Outcome")),
        ),
    ),
    "change_log": (
        N_("Change-log entries about them"),
        (
            ("at", N_("When (UTC)")),
            ("by", N_("By")),
            ("action", N_("Action")),
            ("table", N_("Record")),
            ("changes", N_("Values recorded")),
        ),
    ),
}


def _t(cls: Any) -> Table:
    table: Table = cls.__table__
    return table


def _as_dict(row: Any, skip: Iterable[str] = ()) -> dict[str, Any]:
    leave = _INTERNAL | set(skip)
    return {c.key: getattr(row, c.key) for c in _t(type(row)).columns if c.key not in leave}


def _date_text(calendar: str | None, year: int | None, month: int | None, day: int | None, leap: bool) -> str:
    if not calendar or not month or not day:
        return ""
    text = f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"
    if calendar == "lunar":
        text += " (lunar, leap month)" if leap else " (lunar)"
    return text


def find_contacts(session: Session, name: str) -> list[tuple[int, str, str]]:
    """(id, name, account) of contacts called `name`, else of those whose name contains it."""
    stmt = (
        select(ContactRow.id, ContactRow.name, AccountRow.name)
        .outerjoin(AccountRow, AccountRow.id == ContactRow.account_id)
        .order_by(ContactRow.id)
    )
    exact = [(i, n, a or "") for i, n, a in session.execute(stmt.where(ContactRow.name == name.strip()))]
    if exact:
        return exact
    return [(i, n, a or "") for i, n, a in session.execute(stmt.where(ContactRow.name.contains(name.strip())))]


def find_contact(session: Session, contact_id: int) -> tuple[int, str, str] | None:
    """(id, name, account) of one contact, or None."""
    found = session.execute(
        select(ContactRow.id, ContactRow.name, AccountRow.name)
        .outerjoin(AccountRow, AccountRow.id == ContactRow.account_id)
        .where(ContactRow.id == contact_id)
    ).first()
    return None if found is None else (found[0], found[1], found[2] or "")


# Who and what ----------------------------------------------------------------------------------
class _Person:
    """A contact's own rows and the kept records that name them, found inside one transaction."""

    def __init__(self, session: Session, contact_id: int) -> None:
        self.session = session
        row = session.get(ContactRow, contact_id)
        if row is None:
            raise LookupError(contact_id)
        self.row = row
        self.id = contact_id
        self.account = (
            session.scalar(select(AccountRow.name).where(AccountRow.id == row.account_id)) if row.account_id else ""
        ) or ""
        self.own: dict[Any, list[Any]] = {
            cls: list(session.scalars(select(cls).where(cls.contact_id == contact_id).order_by(cls.id)))
            for cls in OWN_TABLES
        }
        family_names = [f.name for f in self.own[FamilyMemberRow]]
        self.values = sensitive_values(_as_dict(row), family_names)
        self.kept: dict[Any, list[Any]] = {cls: self._naming(cls) for cls in KEPT_TEXT}

    def _naming(self, cls: Any) -> list[Any]:
        """Kept records linked to the person, or at their company with their name in the text."""
        condition = cls.contact_id == self.id
        name = self.row.name.strip()
        if self.row.account_id is not None and len(name) >= 2:
            mentions = or_(*(getattr(cls, column).contains(name) for column in KEPT_TEXT[cls]))
            condition = or_(condition, (cls.account_id == self.row.account_id) & mentions)
        return list(self.session.scalars(select(cls).where(condition).order_by(cls.id)))

    def own_log_keys(self) -> set[tuple[str, str]]:
        """(table, row id) of every change-log entry about their own rows, those deleted earlier included."""
        keys = {("contacts", str(self.id))}
        for cls, rows in self.own.items():
            keys.update((cls.__tablename__, str(r.id)) for r in rows)
        # Rows replaced on the card long ago live on only in the log: their insert names the contact.
        tables = [cls.__tablename__ for cls in OWN_TABLES]
        for table_name, row_id, changes in self.session.execute(
            select(ChangeLogRow.table_name, ChangeLogRow.row_id, ChangeLogRow.changes_json).where(
                ChangeLogRow.table_name.in_(tables), ChangeLogRow.changes_json.contains('"contact_id"')
            )
        ):
            try:
                if json.loads(changes or "{}").get("contact_id") == self.id:
                    keys.add((table_name, row_id))
            except (ValueError, AttributeError):
                continue
        return keys

    def kept_log_keys(self) -> set[tuple[str, str]]:
        return {(cls.__tablename__, str(r.id)) for cls, rows in self.kept.items() for r in rows}

    def log_entries(self) -> list[ChangeLogRow]:
        """Every change-log entry about their rows, about kept records naming them, or holding their values."""
        keys = self.own_log_keys() | self.kept_log_keys()
        found: dict[int, ChangeLogRow] = {}
        for table_name in {k[0] for k in keys}:
            ids = [k[1] for k in keys if k[0] == table_name]
            for start in range(0, len(ids), 500):
                for entry in self.session.scalars(
                    select(ChangeLogRow).where(
                        ChangeLogRow.table_name == table_name, ChangeLogRow.row_id.in_(ids[start : start + 500])
                    )
                ):
                    found[entry.id] = entry
        if self.values:
            for entry in self.session.scalars(
                select(ChangeLogRow).where(
                    or_(*(ChangeLogRow.changes_json.contains(v) for v in _json_forms(self.values)))
                )
            ):
                found[entry.id] = entry
        return sorted(found.values(), key=lambda e: e.id)


def _json_forms(values: Sequence[str]) -> list[str]:
    """Each value as it may be written inside a JSON string (quotes and backslashes escaped)."""
    forms = set(values)
    forms.update(json.dumps(v, ensure_ascii=False)[1:-1] for v in values)
    return sorted(forms)


# Export ----------------------------------------------------------------------------------------
def gather(session: Session, contact_id: int) -> PersonData | None:
    """Everything held about one contact, as plain values; None when there is no such contact."""
    try:
        person = _Person(session, contact_id)
    except LookupError:
        return None
    row = person.row
    card = _as_dict(row)
    card["account"] = person.account
    card["birthday"] = _date_text(
        row.birthday_calendar, row.birthday_year, row.birthday_month, row.birthday_day, row.birthday_leap_month
    )
    for key in ("birthday_calendar", "birthday_year", "birthday_month", "birthday_day", "birthday_leap_month"):
        card.pop(key, None)
    if row.reports_to_id:
        card["reports_to"] = session.scalar(select(ContactRow.name).where(ContactRow.id == row.reports_to_id)) or ""
    card.pop("reports_to_id", None)
    card.pop("account_id", None)  # the company is named above
    members = dict(session.execute(select(TeamMemberRow.id, TeamMemberRow.name)).all())
    rows: dict[str, list[dict[str, Any]]] = {
        "family": [
            {
                **_as_dict(f, ("contact_id",)),
                "birthday": _date_text(
                    f.birthday_calendar, f.birthday_year, f.birthday_month, f.birthday_day, f.birthday_leap_month
                ),
            }
            for f in person.own[FamilyMemberRow]
        ],
        "personal_dates": [
            {**_as_dict(d, ("contact_id",)), "date": _date_text(d.calendar, d.year, d.month, d.day, d.leap_month)}
            for d in person.own[PersonalDateRow]
        ],
        "sensitive_events": [_as_dict(e, ("contact_id",)) for e in person.own[ContactEventRow]],
        "stage_history": [_as_dict(h, ("contact_id",)) for h in person.own[ContactStageHistoryRow]],
        "links": [
            {**_as_dict(link, ("contact_id",)), "member": members.get(link.member_id, "")}
            for link in person.own[LinkRow]
        ],
        "activities": [
            {**_as_dict(a), "reason_detail": detail_text(a.reason_detail), "member": members.get(a.member_id or 0, "")}
            for a in person.kept[ActivityRow]
        ],
        "gifts": [
            {**_as_dict(g), "value": f"{g.value_cents / 100:.2f}", "member": members.get(g.member_id or 0, "")}
            for g in person.kept[GiftRow]
        ],
        "visits": [{**_as_dict(v), "member": members.get(v.member_id or 0, "")} for v in person.kept[VisitRow]],
        "change_log": [
            {
                "id": e.id,
                "at": e.at,
                "by": e.by,
                "host": e.host,
                "table": e.table_name,
                "row_id": e.row_id,
                "action": e.action,
                "changes": _changes(e.changes_json),
            }
            for e in person.log_entries()
        ],
    }
    sections = [Section(key, title, columns, rows[key]) for key, (title, columns) in _SECTIONS.items()]
    return PersonData(contact_id, row.name, person.account, card, sections)


def _changes(text: str) -> Any:
    try:
        return json.loads(text or "{}")
    except ValueError:
        return text


# Erase -----------------------------------------------------------------------------------------
def _log_plan(person: _Person, mark: str) -> list[tuple[int, str | None]]:
    """(entry id, new changes JSON or None to delete it) for every change-log entry an erase touches.

    Entries about their own rows go; entries about kept records naming them lose the link and their
    values; any other entry loses their values, a value shorter than three characters (a two-character
    name) only where it is a whole recorded value, so that a longer name containing it stays intact.
    """
    own, kept = person.own_log_keys(), person.kept_log_keys()
    long_values = [v for v in person.values if len(v) >= 3]
    plan: list[tuple[int, str | None]] = []
    for entry in person.log_entries():
        key = (entry.table_name, entry.row_id)
        if key in own:
            plan.append((entry.id, None))
            continue
        if key in kept:
            scrubbed = scrub_json(entry.changes_json, person.values, mark, ("contact_id", person.id))
        else:
            scrubbed = scrub_json(entry.changes_json, long_values, mark, whole=person.values)
        if scrubbed != entry.changes_json:
            plan.append((entry.id, scrubbed))
    return plan


def erase_counts(session: Session, contact_id: int, mark: str) -> dict[str, int] | None:
    """How many records of each kind erasing the contact would delete or change; None when there is none."""
    try:
        person = _Person(session, contact_id)
    except LookupError:
        return None
    plan = _log_plan(person, mark)
    deleted = sum(new is None for _id, new in plan)
    return {
        "contacts": 1,
        **{cls.__tablename__: len(rows) for cls, rows in person.own.items()},
        **{cls.__tablename__: len(rows) for cls, rows in person.kept.items()},
        "change_log_deleted": deleted,
        "change_log_scrubbed": len(plan) - deleted,
    }


def erase(session: Session, contact_id: int, mark: str, by: str, host: str) -> dict[str, int]:
    """Delete the contact and their own rows; unlink and scrub the kept records and change log that name them.

    Runs inside the caller's write transaction with SQLite's secure_delete on, so the freed space is
    zeroed even before the file is compacted. Returns the counts (as `erase_counts`).
    """
    person = _Person(session, contact_id)
    counts = erase_counts(session, contact_id, mark) or {}
    values = person.values
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    was_secure = connection.exec_driver_sql("PRAGMA secure_delete").scalar() if sqlite else None
    if sqlite:
        connection.exec_driver_sql("PRAGMA secure_delete = ON")
    try:
        now = utcnow()
        for cls, rows in person.kept.items():
            for row in rows:
                changes: dict[str, Any] = {"contact_id": None} if row.contact_id == contact_id else {}
                for column in KEPT_TEXT[cls]:
                    text = getattr(row, column) or ""
                    scrubbed = _scrub_field(text, values, mark)
                    if scrubbed != text:
                        changes[column] = scrubbed
                if changes:
                    session.execute(
                        update(_t(cls))
                        .where(_t(cls).c.id == row.id)
                        .values(**changes, version=_t(cls).c.version + 1, updated_at=now, updated_by=by)
                    )
        log = _t(ChangeLogRow)
        for entry_id, new_json in _log_plan(person, mark):
            if new_json is None:
                session.execute(delete(log).where(log.c.id == entry_id))
            else:
                session.execute(update(log).where(log.c.id == entry_id).values(changes_json=new_json))
        contacts = _t(ContactRow)
        session.execute(
            update(contacts)
            .where(contacts.c.reports_to_id == contact_id)
            .values(reports_to_id=None, version=contacts.c.version + 1, updated_at=now, updated_by=by)
        )
        for cls in OWN_TABLES:
            session.execute(delete(_t(cls)).where(_t(cls).c.contact_id == contact_id))
        session.execute(delete(_t(ContactSearchRow)).where(_t(ContactSearchRow).c.contact_id == contact_id))
        session.execute(delete(contacts).where(contacts.c.id == contact_id))
        # Others' windows learn that the card went; the entry holds no value of the person.
        session.execute(
            insert(log).values(
                at=now,
                by=by,
                host=host,
                table_name="contacts",
                row_id=str(contact_id),
                action="delete",
                changes_json=json.dumps({"erased": True}),
            )
        )
        session.expunge_all()
    finally:
        if sqlite:  # the pooled connection goes back as it came
            connection.exec_driver_sql(f"PRAGMA secure_delete = {int(was_secure or 0)}")
    return counts


def _scrub_field(text: str, values: list[str], mark: str) -> str:
    if text.startswith(("{", "[")):
        return scrub_json(text, values, mark)
    return scrub_text(text, values, mark)


#: The most page cache a VACUUM may use (KiB): a file up to this size is read once, a larger one partly twice.
VACUUM_CACHE_MAX_KIB = 256 * 1024


def _vacuum_cache_kib(db: Database) -> int:
    try:
        size_kib = db.path.stat().st_size // 1024 + 1024 if db.path is not None else 0
    except OSError:
        size_kib = 0
    return max(PAGE_CACHE_KIB, min(size_kib, VACUUM_CACHE_MAX_KIB))


def compact(db: Database) -> None:
    """VACUUM the file outside any transaction, so that deleted bytes leave it (and its journal), and its
    pages become TEAM_PAGE_SIZE bytes (storage/page_size.py: a file made with 4 KB pages is converted).

    VACUUM rewrites the whole file under an exclusive lock; a reader or writer elsewhere makes it
    fail (after the busy timeout) with a StorageError, and the file stays as it was. So does closing
    the window meanwhile (Database.interrupt): the VACUUM rolls back and FileClosingError is raised.
    """
    if not db.is_sqlite:
        return  # a database server reclaims space itself
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        driver.execute(f"PRAGMA page_size = {TEAM_PAGE_SIZE}")  # applied by the VACUUM (never in WAL mode)
        # A cache that holds the whole file (up to a limit): VACUUM reads every page to copy it, then again to
        # journal it before writing over it; on a file server each read is a request.
        driver.execute(f"PRAGMA cache_size = -{_vacuum_cache_kib(db)}")
        try:
            driver.execute("VACUUM")
        finally:
            driver.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")  # the pooled connection goes back as it came
    except sqlite3.Error as exc:
        if db.closing:
            raise FileClosingError(_("The team file is being closed.")) from exc
        if is_busy_error(exc):
            raise DatabaseBusyError(db.current_writer()) from exc  # another's lock stopped the VACUUM
        raise StorageError(_("The file could not be compacted: {reason}").format(reason=exc)) from exc
    finally:
        raw.close()
