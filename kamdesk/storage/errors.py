"""Errors the storage layer raises, each with a message a person can act on."""

from __future__ import annotations

import datetime as dt

from kamdesk.i18n import _


class StorageError(Exception):
    """Base of every storage error; `str()` is the message to show."""


class DatabaseOpenError(StorageError):
    """The database could not be opened; it has not been modified."""


class MissingFileError(DatabaseOpenError):
    def __init__(self, path: str) -> None:
        super().__init__(_("The file {path} does not exist.").format(path=path))


class NotAFileError(DatabaseOpenError):
    """The path names a folder (or a device), not a file."""

    def __init__(self, path: str) -> None:
        super().__init__(
            _("{path} is a folder or device, not a kamdesk team file. Nothing was changed.").format(path=path)
        )


class NotSQLiteError(DatabaseOpenError):
    def __init__(self, path: str) -> None:
        super().__init__(_("{path} is not a database file (it is not SQLite). It was not changed.").format(path=path))


class NotKamdeskError(DatabaseOpenError):
    def __init__(self, path: str) -> None:
        super().__init__(
            _("{path} is an SQLite database of another program, not a kamdesk file. It was not changed.").format(
                path=path
            )
        )


class NewerSchemaError(DatabaseOpenError):
    def __init__(self, path: str, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            _(
                "{path} was written by a newer kamdesk (schema {found}; this version understands up to {supported}). "
                "Update kamdesk to open it. The file was not changed."
            ).format(path=path, found=found, supported=supported)
        )


class DamagedFileError(DatabaseOpenError):
    def __init__(self, path: str, detail: str, backup_hint: str = "") -> None:
        self.path = path
        self.detail = detail
        #: The latest good backup to offer for restoring ("" when none is known).
        self.latest_backup = ""
        message = _(
            "{path} is damaged and cannot be opened safely ({detail}). It was not changed; restore a backup."
        ).format(path=path, detail=detail)
        super().__init__(f"{message} {backup_hint}" if backup_hint else message)


class FileClosingError(StorageError):
    """The window is closing and has interrupted its file: work that still asks for it stops here.

    `closing` lets the UI drop such failures quietly (nobody is there to read them)."""

    closing = True


class ReadOnlyError(StorageError):
    def __init__(self, reason: str) -> None:
        super().__init__(_("This file is open read-only: {reason}").format(reason=reason))


class DatabaseBusyError(StorageError):
    def __init__(self, holder: str = "") -> None:
        if holder:
            message = _(
                "The team file is busy: someone else is saving (it is open now by {holder}). Try again in a moment."
            ).format(holder=holder)
        else:
            message = _("The team file is busy: someone else is saving. Try again in a moment.")
        super().__init__(message)


class FileConvertingError(DatabaseBusyError):
    """The file is held by its one-time conversion to larger pages (storage/page_size.py), which needs it whole."""

    def __init__(self, holder: str = "", since: str = "") -> None:
        if holder:
            message = _(
                "The team file is busy: {holder} is making it faster to share (a one-time conversion, started at "
                "{since}; it takes a few minutes on a large file). Try again once it is done."
            ).format(holder=holder, since=since or "?")
        else:
            message = _(
                "The team file is busy: kamdesk is making it faster to share (once; it takes a few minutes on a "
                "large file). Try again once it is done."
            )
        StorageError.__init__(self, message)


class ConflictError(StorageError):
    """A save based on an old version of a record: someone else changed (or deleted) it first."""

    def __init__(
        self,
        table: str,
        row_id: object,
        changed_by: str = "",
        changed_at: dt.datetime | None = None,
        deleted: bool = False,
    ) -> None:
        self.table = table
        self.row_id = row_id
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.deleted = deleted
        if deleted:
            message = _("This record was deleted by someone else while you were editing it.")
        else:
            when = changed_at.strftime("%Y-%m-%d %H:%M") + " UTC" if changed_at else "?"
            message = _("This record was changed by {who} at {when} while you were editing it.").format(
                who=changed_by or _("someone else"), when=when
            )
        super().__init__(message)


class MissingMemberError(StorageError):
    """A link names one of our people who has been removed from the team file meanwhile."""

    def __init__(self, member_ids: list[int]) -> None:
        self.member_ids = member_ids
        super().__init__(
            _(
                "A colleague you linked this person to has been removed from the team file by someone "
                "else. Reopen the card and choose another colleague."
            )
        )
