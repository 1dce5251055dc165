"""Contacts (domain.md §6, §7): the card, personal dates in the solar or lunar calendar, and checks."""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from lunar_python import LunarYear

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.gift_vocabulary import format_tags
from kamdesk.i18n import _


class ContactValidationError(ValueError):
    """Every problem found in a contact before saving, keyed by field ("name", "birthday", "family"…)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class PersonalDate:
    """A date that recurs every year: a birthday or anniversary, solar or lunar, year optional."""

    calendar: str = "solar"  # CalendarKind value
    year: int | None = None
    month: int = 1
    day: int = 1
    leap_month: bool = False  # lunar only: the intercalary month after `month`


def check_date(date: PersonalDate) -> str:
    """The problem with a personal date, in words a person understands; "" when it is fine."""
    if date.calendar not in ("solar", "lunar"):
        return _("Choose the solar or the lunar calendar.")
    if date.year is not None and not 1900 <= date.year <= 2100:
        return _("The year {year} is out of range (1900–2100).").format(year=date.year)
    if not 1 <= date.month <= 12:
        return _("There is no month {month}; months run from 1 to 12.").format(month=date.month)
    if date.calendar == "solar":
        return _check_solar(date)
    return _check_lunar(date)


def _check_solar(date: PersonalDate) -> str:
    if date.leap_month:
        return _("Only lunar dates can fall in a leap month.")
    # Without a year, 29 February is allowed: it exists in leap years.
    year = date.year if date.year is not None else 2000
    days = calendar.monthrange(year, date.month)[1]
    if not 1 <= date.day <= days:
        if date.month == 2 and date.day == 29:
            return _("{year} is not a leap year, so it has no 29 February.").format(year=year)
        return _("Month {month} has only {days} days.").format(month=date.month, days=days)
    return ""


def _check_lunar(date: PersonalDate) -> str:
    if not 1 <= date.day <= 30:
        return _("A lunar month has 29 or 30 days; there is no day {day}.").format(day=date.day)
    if date.year is None:
        return ""  # a lunar 30th without a year is real; reminders explain the years it is missing
    year = LunarYear.fromYear(date.year)
    if date.leap_month and year.getLeapMonth() != date.month:
        leap = year.getLeapMonth()
        if leap:
            return _("Lunar year {year} has a leap month after month {leap}, not after month {month}.").format(
                year=date.year, leap=leap, month=date.month
            )
        return _("Lunar year {year} has no leap month.").format(year=date.year)
    wanted = -date.month if date.leap_month else date.month
    days = next(m.getDayCount() for m in year.getMonths() if m.getYear() == date.year and m.getMonth() == wanted)
    if date.day > days:
        return _(
            "In lunar year {year}, month {month} has only {days} days, so day {day} does not exist. "
            "Check the date with the person; kamdesk will not move it for you."
        ).format(year=date.year, month=date.month, days=days, day=date.day)
    return ""


@dataclass(frozen=True)
class FamilyMember:
    name: str
    relation: str
    birthday: PersonalDate | None = None
    notes: str = ""


@dataclass(frozen=True)
class Anniversary:
    label: str
    date: PersonalDate


@dataclass(frozen=True)
class StageChange:
    stage: str
    changed_on: dt.date
    by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class StageUpdate:
    """A new stage for the contact, with the day it changed and why (kept as history)."""

    stage: str
    changed_on: dt.date
    reason: str = ""


@dataclass(frozen=True)
class ContactLink:
    """One of our people tied to this contact, with the stage between them."""

    member_id: int
    stage: str = "acquainted"
    last_contact_on: dt.date | None = None
    member_name: str = ""
    member_active: bool = True


@dataclass
class ContactDetail:
    """Everything the contact card shows and saves. `id` None: a new contact; `version` guards saves."""

    id: int | None = None
    version: int = 0
    name: str = ""
    account_id: int | None = None
    account_name: str = ""
    account_class: AccountClass | None = None
    title: str = ""
    rank_tier: str | None = None
    buying_role: str | None = None
    reports_to_id: int | None = None
    relationship_stage: str = "stranger"
    mobile: str = ""
    phone: str = ""
    email: str = ""
    wechat: str = ""
    address: str = ""
    birthday: PersonalDate | None = None
    city: str = ""
    hometown: str = ""
    interests: str = ""
    preferences: str = ""
    taboos: str = ""
    personality_type: str | None = None
    notes: str = ""
    last_contact_on: dt.date | None = None
    family: list[FamilyMember] = field(default_factory=list)
    anniversaries: list[Anniversary] = field(default_factory=list)
    links: list[ContactLink] = field(default_factory=list)
    history: list[StageChange] = field(default_factory=list)
    stage_update: StageUpdate | None = None  # set by the card when the person changes the stage
    updated_by: str = ""
    updated_at: dt.datetime | None = None
    #: Tastes and taboos as gift-vocabulary codes, suggested from interests/preferences/taboos and
    #: kept beside that text (a person may edit them); planners read these, not the text.
    like_tags: frozenset[str] = frozenset()
    taboo_tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ContactListItem:
    id: int
    name: str
    account_name: str
    account_class: AccountClass | None
    title: str
    rank_tier: str | None
    buying_role: str | None
    stage: str
    target: str | None
    gap: int | None
    city: str
    hometown: str
    last_contact_on: dt.date | None


@dataclass(frozen=True)
class ContactQuery:
    """The contact list's search, filters and sort; all applied in SQL."""

    search: str = ""
    account_class: AccountClass | None = None
    rank_tier: str | None = None
    buying_role: str | None = None
    stage: str | None = None
    gap: str | None = None  # "below", "met" (at or above), "none" (no target)
    account_id: int | None = None
    sort_key: str = "name"
    descending: bool = False


NAME_MAX = 200


def validate_contact(detail: ContactDetail, reports_chain: Mapping[int, int | None], today: dt.date) -> None:
    """Check a contact before it is saved; `reports_chain` maps colleague id → whom they report to."""
    errors: dict[str, str] = {}
    name = detail.name.strip()
    if not name:
        errors["name"] = _("A contact needs a name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("The name is longer than {limit} characters.").format(limit=NAME_MAX)
    elif any(unicodedata.category(ch) == "Cc" for ch in name):
        errors["name"] = _("The name contains control characters; retype it.")
    if detail.email and ("@" not in detail.email or " " in detail.email.strip()):
        errors["email"] = _("“{email}” does not look like an e-mail address.").format(email=detail.email[:60])
    if detail.birthday is not None:
        problem = check_date(detail.birthday)
        if problem:
            errors["birthday"] = problem
    for number, member in enumerate(detail.family, start=1):
        problem = check_date(member.birthday) if member.birthday else ""
        if not member.name.strip() and not member.relation.strip():
            problem = problem or _("give a name or a relation")
        if problem:
            errors["family"] = _("Family row {number}: {problem}").format(number=number, problem=problem)
            break
    for number, anniversary in enumerate(detail.anniversaries, start=1):
        problem = check_date(anniversary.date) or ("" if anniversary.label.strip() else _("say what it marks"))
        if problem:
            errors["anniversaries"] = _("Date row {number}: {problem}").format(number=number, problem=problem)
            break
    if detail.stage_update is not None and detail.stage_update.changed_on > today:
        errors["stage"] = _("A stage change cannot be dated in the future.")
    cycle = reports_to_cycle(detail.id, detail.reports_to_id, reports_chain)
    if cycle:
        errors["reports_to"] = cycle
    errors.update(_tag_problems(detail))
    if errors:
        raise ContactValidationError(errors)


#: Room for a contact's tags in the file (codes, comma-separated).
TAGS_MAX = 300


def _tag_problems(detail: ContactDetail) -> dict[str, str]:
    problems = {}
    for key, tags in (("like_tags", detail.like_tags), ("taboo_tags", detail.taboo_tags)):
        if len(format_tags(tags)) > TAGS_MAX:
            problems[key] = _("Too many tags ({count}): keep the ones that matter for gifts and meals.").format(
                count=len(tags)
            )
    return problems


def reports_to_cycle(contact_id: int | None, boss_id: int | None, chain: Mapping[int, int | None]) -> str:
    """A message when making `contact_id` report to `boss_id` would close a loop; "" otherwise."""
    if boss_id is None:
        return ""
    if contact_id is not None and boss_id == contact_id:
        return _("A person cannot report to themselves.")
    seen = set()
    current: int | None = boss_id
    while current is not None and current not in seen:
        if current == contact_id:
            return _(
                "This would make a circle: the chosen manager already reports, directly or through others, "
                "to this person."
            )
        seen.add(current)
        current = chain.get(current)
    return ""
