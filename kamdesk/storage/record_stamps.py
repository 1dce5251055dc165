"""Who last changed a record and at which version, who deleted it, and keeping a parent's version honest."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from kamdesk.domain.merge import RecordStamp
from kamdesk.storage.tables import AccountRow, ChangeLogRow, ContactRow, Versioned, utcnow

#: The records whose editors watch for changes underneath them.
_TABLES: dict[str, Any] = {"accounts": AccountRow, "contacts": ContactRow}


def touch(parent: Versioned | None) -> None:
    """Mark `parent` changed, so the flush moves its version on (and stamps who and when).

    Flagged as modified, not merely re-stamped: two saves within one tick of the clock (Windows'
    clock moves in steps of about 15 ms; a fixed clock not at all) would otherwise leave the stamp
    equal, the row clean and the version where it was.
    """
    if parent is not None:
        parent.updated_at = utcnow()
        flag_modified(parent, "updated_at")


@contextmanager
def versioning_children(session: Session, parent: Versioned, *, new: bool = False) -> Iterator[None]:
    """Move `parent`'s version on when the rows it owns (values, team, family, links…) change inside the block.

    An editor holds the parent's version only; without this, someone's change to a child list
    would not make another person's stale save a conflict, and would be overwritten silently.
    Autoflush may write the children at any query, so every flush in the block is watched. A `new`
    parent keeps its first version.
    """
    if new:
        yield
        return
    changed: list[bool] = []

    def note(flushing: Session, *_args: Any) -> None:
        others = [o for o in (*flushing.new, *flushing.deleted, *flushing.dirty) if o is not parent]
        if any(o in flushing.new or o in flushing.deleted or flushing.is_modified(o) for o in others):
            changed.append(True)

    event.listen(session, "before_flush", note)
    try:
        yield
    finally:
        event.remove(session, "before_flush", note)
    note(session)
    if changed:
        touch(parent)


def record_stamp(session: Session, table: str, row_id: int) -> RecordStamp | None:
    """The record's version and who changed it last, or who deleted it (None: never seen or not logged)."""
    cls = _TABLES[table]
    row = session.execute(select(cls.version, cls.updated_by, cls.updated_at).where(cls.id == row_id)).first()
    if row is not None:
        return RecordStamp(int(row[0]), str(row[1] or ""), row[2])
    deleted = session.execute(
        select(ChangeLogRow.by, ChangeLogRow.at)
        .where(ChangeLogRow.table_name == table, ChangeLogRow.row_id == str(row_id), ChangeLogRow.action == "delete")
        .order_by(ChangeLogRow.id.desc())
        .limit(1)
    ).first()
    if deleted is None:
        return RecordStamp(0, "", None, deleted=True)
    return RecordStamp(0, str(deleted[0] or ""), deleted[1], deleted=True)
