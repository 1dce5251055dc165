"""Personal-data rights of one contact (domain.md §14): what kamdesk holds about them, and what an erase removes."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kamdesk.domain import clock
from kamdesk.i18n import N_, _

#: Text put where an erase removed words copied from the person (in records the team keeps).
ERASED_MARK = N_("[erased]")

#: The kinds of record an erase counts, in the order the confirmation lists them, with their labels.
ERASE_KINDS: tuple[tuple[str, str], ...] = (
    ("contacts", N_("contact card (with their search entry)")),
    ("family_members", N_("family members")),
    ("personal_dates", N_("personal dates and anniversaries")),
    ("contact_stage_history", N_("relationship stage history entries")),
    ("links", N_("links with our people")),
    ("activities", N_("activities that name them (kept, without the link and their details)")),
    ("gifts", N_("gift and hospitality entries that name them (kept, without the link and their details)")),
    ("visits", N_("visits that name them (kept, without the link and their details)")),
    ("change_log_deleted", N_("change-log entries about their own records (deleted)")),
    ("change_log_scrubbed", N_("other change-log entries holding their details (their values removed)")),
)


@dataclass(frozen=True)
class Section:
    """One part of a person's data: a title, the columns to show, and the records (as plain values)."""

    key: str
    title: str
    columns: tuple[tuple[str, str], ...]
    rows: list[dict[str, Any]]


@dataclass
class PersonData:
    """Everything kamdesk holds about one contact, gathered for an export."""

    contact_id: int
    name: str
    account: str
    card: dict[str, Any]
    sections: list[Section]
    file_name: str = ""
    exported_by: str = ""
    exported_at: dt.datetime = field(default_factory=clock.utc_now)

    def to_json(self) -> str:
        """A machine-readable copy (UTF-8 JSON, ISO dates, sections by key)."""
        document = {
            "format": "kamdesk-person-export",
            "version": 1,
            "exported_at": self.exported_at.isoformat(timespec="seconds") + "Z",
            "exported_by": self.exported_by,
            "file": self.file_name,
            "contact_id": self.contact_id,
            "name": self.name,
            "account": self.account,
            "card": self.card,
        }
        for section in self.sections:
            document[section.key] = section.rows
        return json.dumps(document, ensure_ascii=False, indent=2, default=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


#: The kinds of copy kamdesk makes of a team file, in the order the confirmation lists them, with their labels.
COPY_KINDS: tuple[tuple[str, str], ...] = (
    ("backup", N_("backups")),
    ("pre_upgrade", N_("copies kept before a schema upgrade")),
    ("damaged", N_("copies of a damaged file (or its journal) kept at a restore")),
    ("leftover", N_("unfinished copies left by an interrupted backup or restore")),
)


class CopyChoice(enum.StrEnum):
    """What an erase does to the copies kamdesk made of the file that still hold the person."""

    ERASE = "erase"  # erase the person inside each copy that allows it; delete unfinished copies
    DELETE = "delete"  # delete the copies (a fresh backup of the erased file is made)
    KEEP = "keep"  # leave them as they are


@dataclass(frozen=True)
class FileCopy:
    """One copy kamdesk made of a team file, and what an erase can do with it."""

    path: Path
    kind: str
    #: Whether it holds the person: True, False, or None when that cannot be told (so it may).
    holds: bool | None = None
    #: Why the person cannot be erased inside it ("" when they can): such a copy can only be deleted.
    reason: str = ""

    def judged(self, holds: bool | None, reason: str) -> FileCopy:
        return replace(self, holds=holds, reason=reason)

    @property
    def may_hold(self) -> bool:
        return self.holds is not False


@dataclass(frozen=True)
class CopiesOutcome:
    """What an erase did to the file's copies: erased inside, deleted, left as they were, or not reached."""

    choice: CopyChoice
    erased: tuple[Path, ...] = ()
    deleted: tuple[Path, ...] = ()
    kept: tuple[Path, ...] = ()
    #: (copy, why) of each copy that still holds the person although the choice was to reach it.
    unreached: tuple[tuple[Path, str], ...] = ()
    #: The backup of the erased file made after its old backups were deleted.
    new_backup: Path | None = None
    #: Anything else worth knowing (a new backup that could not be made).
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        lines = []
        if self.erased:
            lines.append(_("Erased inside the file's copies as well: {count}.").format(count=len(self.erased)))
        if self.deleted:
            lines.append(_("Copies deleted: {count}.").format(count=len(self.deleted)))
        if self.new_backup is not None:
            lines.append(_("A new backup of the erased file was made: {path}").format(path=self.new_backup))
        if self.kept:
            lines.append(_("Copies that still hold this person, as chosen: {count}").format(count=len(self.kept)))
            lines += [f"  • {path}" for path in self.kept]
        if self.unreached:
            lines.append(_("Not reached; these copies still hold this person, delete them by hand:"))
            lines += [_("  • {path}: {reason}").format(path=path, reason=why) for path, why in self.unreached]
        return "\n".join(lines + list(self.notes))


@dataclass(frozen=True)
class ErasePlan:
    """What erasing one person removes, counted per kind, and what stays behind."""

    contact_id: int
    name: str
    account: str
    counts: dict[str, int]
    others_open: str = ""
    #: The copies kamdesk made of the file that hold (or may hold) the person.
    copies: tuple[FileCopy, ...] = ()
    #: After the erase: what was done to the copies.
    outcome: CopiesOutcome | None = None

    @property
    def backups(self) -> int:
        return sum(c.kind == "backup" for c in self.copies)

    def confirmation(self) -> str:
        """The text a person reads before saying yes: exactly what goes, what stays, what cannot be undone."""
        who = _("{name} ({account})").format(name=self.name, account=self.account) if self.account else self.name
        lines = [_("Erase {who} from this team file?").format(who=who), "", _("This removes:")]
        for key, label in ERASE_KINDS:
            count = self.counts.get(key, 0)
            if count:
                lines.append(_("  • {count} × {what}").format(count=count, what=_(label)))
        lines += [
            "",
            _(
                "Activities, gifts and visits stay as business records: their date, kind, account, our "
                "person and amounts are kept; the link to this person is removed and their name, phone, "
                "e-mail and family names in those records are replaced by “{mark}”."
            ).format(mark=_(ERASED_MARK)),
            _("The file is then compacted so the removed bytes are gone from it. This cannot be undone."),
        ]
        lines += self._copies_text()
        return "\n".join(lines)

    def _copies_text(self) -> list[str]:
        lines = [""]
        if self.copies:
            lines.append(
                _("Copies kamdesk made of this file that still hold this person: {count}").format(
                    count=len(self.copies)
                )
            )
            for kind, label in COPY_KINDS:
                count = sum(c.kind == kind for c in self.copies)
                if count:
                    lines.append(_("  • {count} × {what}").format(count=count, what=_(label)))
            only_deleted = [c for c in self.copies if c.reason]
            if only_deleted:
                lines.append(_("The person cannot be erased inside these; they can only be deleted:"))
                lines += [_("  • {path}: {reason}").format(path=c.path.name, reason=c.reason) for c in only_deleted]
            lines.append(
                _(
                    "Choose whether to erase the person from these copies too (unfinished copies are deleted), "
                    "to delete the copies (a new backup of the erased file is then made), or to leave them as "
                    "they are."
                )
            )
        lines.append(
            _(
                "Copies made elsewhere cannot be found from here and are not counted: backups written to "
                "another folder, files copied by hand or by a sync service, and exports."
            )
        )
        return lines


def sensitive_values(card: dict[str, Any], family_names: Iterable[str]) -> list[str]:
    """The person's own words that must not outlive an erase: name, phones, e-mail, WeChat, address, family names.

    Longest first, so a longer value is replaced before a shorter one inside it.
    """
    values = [card.get(k) or "" for k in ("name", "mobile", "phone", "email", "wechat", "address")]
    values += list(family_names)
    found = {v.strip() for v in values if isinstance(v, str) and len(v.strip()) >= 2}
    return sorted(found, key=lambda v: (-len(v), v))


def scrub_text(text: str, values: Iterable[str], mark: str) -> str:
    """`text` with every occurrence of each value replaced by `mark`."""
    for value in values:
        if value and value in text:
            text = text.replace(value, mark)
    return text


def scrub_json(
    text: str, values: list[str], mark: str, unlink: tuple[str, Any] | None = None, whole: Iterable[str] = ()
) -> str:
    """A change-log JSON document with the values replaced in every string it holds.

    `unlink` (key, value) nulls that key where it holds that value (also in an update's [old, new]);
    a string equal to one of `whole` is replaced as a whole.
    """
    try:
        document = json.loads(text or "{}")
    except ValueError:
        return scrub_text(text, values + [json.dumps(v)[1:-1] for v in values], mark)
    entire = set(whole)

    def unlinked(value: Any) -> Any:
        if isinstance(value, list):
            return [None if v == unlink[1] else v for v in value]  # type: ignore[index]
        return None if value == unlink[1] else value  # type: ignore[index]

    def walk(node: Any) -> Any:
        if isinstance(node, str):
            return mark if node.strip() in entire else scrub_text(node, values, mark)
        if isinstance(node, list):
            return [walk(n) for n in node]
        if isinstance(node, dict):
            return {k: (unlinked(v) if unlink and k == unlink[0] else walk(v)) for k, v in node.items()}
        return node

    scrubbed = walk(document)
    return text if scrubbed == document else json.dumps(scrubbed, ensure_ascii=False, sort_keys=True)
