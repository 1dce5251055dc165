"""Three-way merge of an edited record: what the editor loaded (base), the form (mine) and the row now (theirs).

A field changed on one side only takes that side; changed on both to the same value is that value;
changed on both differently is a conflict the person settles field by field. Child lists (an account's
values and team; a contact's family, dates and links) merge item by item, keyed (a period, a colleague…):
items added, removed or changed by one side only merge; when the same item was changed differently on
both sides the whole list becomes one conflicting field, settled as "mine" or "theirs".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kamdesk.domain.contacts import (
    Anniversary,
    ContactDetail,
    ContactLink,
    FamilyMember,
    StageUpdate,
)
from kamdesk.domain.enums import AccountClass
from kamdesk.domain.models import AccountDetail, AccountValue, TeamAssignment

Side = Literal["mine", "theirs"]
MINE: Side = "mine"
THEIRS: Side = "theirs"


@dataclass(frozen=True)
class RecordStamp:
    """Where a record stands now: its version and who changed it last, or who deleted it and when."""

    version: int
    by: str
    at: dt.datetime | None
    deleted: bool = False


@dataclass(frozen=True)
class FieldConflict:
    """A field both sides changed, to different values."""

    field: str
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class MergeResult:
    """The merge of every field: merged values, which side each change came from, and the conflicts."""

    merged: dict[str, Any]
    mine_only: tuple[str, ...] = ()
    theirs_only: tuple[str, ...] = ()
    both_same: tuple[str, ...] = ()
    conflicts: tuple[FieldConflict, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.conflicts

    def resolve(self, choices: Mapping[str, Side]) -> dict[str, Any]:
        """The merged values with every conflict settled by `choices` (field → "mine" or "theirs")."""
        values = dict(self.merged)
        for conflict in self.conflicts:
            choice = choices.get(conflict.field)
            if choice not in (MINE, THEIRS):
                raise ValueError(f"no choice for the conflicting field {conflict.field!r}")
            values[conflict.field] = conflict.mine if choice == MINE else conflict.theirs
        return values


class _Conflict(Exception):
    """An item of a list changed differently on both sides."""


def merge_items(
    base: Sequence[Any], mine: Sequence[Any], theirs: Sequence[Any], key: Callable[[Any], Hashable]
) -> tuple[Any, ...]:
    """Merge three versions of a list item by item (items matched by `key`); raises _Conflict on a clash.

    The result keeps their order, with items only I added after theirs, in my order.
    """
    b = {key(item): item for item in base}
    m = {key(item): item for item in mine}
    t = {key(item): item for item in theirs}
    order = list(dict.fromkeys([*t, *m]))
    merged: list[Any] = []
    for k in order:
        base_item, my_item, their_item = b.get(k), m.get(k), t.get(k)
        if my_item == base_item:
            chosen = their_item
        elif their_item == base_item or my_item == their_item:
            chosen = my_item
        else:
            raise _Conflict(k)
        if chosen is not None:
            merged.append(chosen)
    return tuple(merged)


def three_way_merge(
    base: Mapping[str, Any],
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    lists: Mapping[str, Callable[[Any], Hashable]] | None = None,
) -> MergeResult:
    """Merge field by field; fields named in `lists` are sequences merged item by item with that key."""
    lists = lists or {}
    merged: dict[str, Any] = {}
    mine_only: list[str] = []
    theirs_only: list[str] = []
    both_same: list[str] = []
    conflicts: list[FieldConflict] = []
    for name in dict.fromkeys([*base, *mine, *theirs]):
        b, m, t = base.get(name), mine.get(name), theirs.get(name)
        if m == t:
            merged[name] = t
            if m != b:
                both_same.append(name)
        elif m == b:
            merged[name] = t
            theirs_only.append(name)
        elif t == b:
            merged[name] = m
            mine_only.append(name)
        elif name in lists:
            try:
                merged[name] = merge_items(b or (), m or (), t or (), lists[name])
                mine_only.append(name)
                theirs_only.append(name)
            except _Conflict:
                merged[name] = t
                conflicts.append(FieldConflict(name, b, m, t))
        else:
            merged[name] = t
            conflicts.append(FieldConflict(name, b, m, t))
    return MergeResult(merged, tuple(mine_only), tuple(theirs_only), tuple(both_same), tuple(conflicts))


# Accounts -------------------------------------------------------------------------------------------
#: The account editor's fields in the order a person meets them; "pin" is the pinned class with its
#: reason, "values" the value per period, "team" the account team (each merged item by item).
ACCOUNT_FIELDS = (
    "name",
    "industry",
    "city",
    "province",
    "owner_id",
    "sales_stage",
    "relationship_type",
    "cycle_stage",
    "attractiveness",
    "relationship_state",
    "potential_cents",
    "potential_margin_pct",
    "personality_type",
    "notes",
    "pin",
    "values",
    "team",
)
ACCOUNT_LISTS: dict[str, Callable[[Any], Hashable]] = {
    "values": lambda v: v.period,
    "team": lambda t: t,
}


def account_fields(detail: AccountDetail) -> dict[str, Any]:
    """The editable fields of an account as comparable values (team without display names)."""
    values: dict[str, Any] = {name: getattr(detail, name) for name in ACCOUNT_FIELDS[:14]}
    values["pin"] = (detail.pinned_class.value, detail.pin_reason.strip()) if detail.pinned_class else None
    values["values"] = tuple(detail.values)
    values["team"] = tuple(dict.fromkeys((t.member_id, t.role) for t in detail.team))
    return values


def apply_account_fields(current: AccountDetail, values: Mapping[str, Any]) -> AccountDetail:
    """`current` (the row as it is now, whose version the save is based on) with the merged fields."""
    plain = {name: values[name] for name in ACCOUNT_FIELDS[:14] if name in values}
    result = dataclasses.replace(current, **plain)
    if "pin" in values:
        pin = values["pin"]
        result.pinned_class = AccountClass(pin[0]) if pin else None
        result.pin_reason = pin[1] if pin else ""
    if "values" in values:
        result.values = [AccountValue(v.period, v.revenue_cents, v.profit_cents) for v in values["values"]]
    if "team" in values:
        names = {t.member_id: t.member_name for t in current.team}
        result.team = [TeamAssignment(m, r, names.get(m, "")) for m, r in values["team"]]
    return result


def merge_accounts(base: AccountDetail, mine: AccountDetail, theirs: AccountDetail) -> MergeResult:
    return three_way_merge(account_fields(base), account_fields(mine), account_fields(theirs), ACCOUNT_LISTS)


# Contacts -------------------------------------------------------------------------------------------
#: The contact card's fields; "relationship_stage" is our stage with the person, "family",
#: "anniversaries" and "links" (our people who know them) merge item by item.
CONTACT_FIELDS = (
    "name",
    "account_id",
    "title",
    "rank_tier",
    "buying_role",
    "reports_to_id",
    "mobile",
    "phone",
    "email",
    "wechat",
    "address",
    "notes",
    "birthday",
    "city",
    "hometown",
    "interests",
    "preferences",
    "taboos",
    "personality_type",
    "like_tags",
    "taboo_tags",
    "relationship_stage",
    "family",
    "anniversaries",
    "links",
)
_CONTACT_PLAIN = CONTACT_FIELDS[: CONTACT_FIELDS.index("relationship_stage")]
#: Text the store saves trimmed; compared trimmed so a stray space is not "a change".
_TRIMMED = frozenset({"name", "title", "mobile", "phone", "email", "wechat", "city", "hometown"})
CONTACT_LISTS: dict[str, Callable[[Any], Hashable]] = {
    "family": lambda f: (f[0], f[1]),
    "anniversaries": lambda a: a,
    "links": lambda link: link[0],
}


def contact_fields(detail: ContactDetail) -> dict[str, Any]:
    """The editable fields of a contact as comparable values (links and family without display extras)."""
    values: dict[str, Any] = {}
    for name in _CONTACT_PLAIN:
        value = getattr(detail, name)
        values[name] = value.strip() if name in _TRIMMED and isinstance(value, str) else value
    values["relationship_stage"] = (
        detail.stage_update.stage if detail.stage_update is not None else detail.relationship_stage
    )
    values["family"] = tuple((f.name.strip(), f.relation.strip(), f.birthday) for f in detail.family)
    values["anniversaries"] = tuple(dict.fromkeys((a.label.strip(), a.date) for a in detail.anniversaries))
    values["links"] = tuple((link.member_id, link.stage, link.last_contact_on) for link in detail.links)
    return values


def apply_contact_fields(
    current: ContactDetail, values: Mapping[str, Any], stage_update: StageUpdate | None = None
) -> ContactDetail:
    """`current` with the merged fields; `stage_update` is mine, kept when my stage won."""
    plain = {name: values[name] for name in _CONTACT_PLAIN if name in values}
    result = dataclasses.replace(current, **plain)
    stage = values.get("relationship_stage", current.relationship_stage)
    result.stage_update = None
    if stage != current.relationship_stage and stage_update is not None and stage_update.stage == stage:
        result.stage_update = stage_update
    if "family" in values:
        notes = {(f.name, f.relation): f.notes for f in current.family}
        result.family = [FamilyMember(n, r, b, notes.get((n, r), "")) for n, r, b in values["family"]]
    if "anniversaries" in values:
        result.anniversaries = [Anniversary(label, date) for label, date in values["anniversaries"]]
    if "links" in values:
        names = {link.member_id: link for link in current.links}
        result.links = [
            ContactLink(
                m, s, last, names[m].member_name if m in names else "", names[m].member_active if m in names else True
            )
            for m, s, last in values["links"]
        ]
    return result


def merge_contacts(base: ContactDetail, mine: ContactDetail, theirs: ContactDetail) -> MergeResult:
    return three_way_merge(contact_fields(base), contact_fields(mine), contact_fields(theirs), CONTACT_LISTS)


def fields_in_order(names: Iterable[str], order: Sequence[str]) -> list[str]:
    """`names` sorted as the editor shows its fields."""
    rank = {name: i for i, name in enumerate(order)}
    return sorted(set(names), key=lambda n: rank.get(n, len(rank)))
