"""Personal-data rights of one contact (domain.md §14): what kamdesk holds about them, and what an erase removes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class ErasePlan:
    """What erasing one person removes, counted per kind, and what stays behind."""

    contact_id: int
    name: str
    account: str
    counts: dict[str, int]
    others_open: str = ""
    backups: int = 0

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
        if self.backups:
            lines.append(
                _(
                    "{count} backups made before now still hold this person's data; delete them from the "
                    "backup folder if the erase must reach them too."
                ).format(count=self.backups)
            )
        return "\n".join(lines)


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
