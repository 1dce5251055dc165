"""The contact card's fields as text: personal dates in table cells and back, labels, and values for the
conflict table (kept apart from the dialog's widgets)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QSpinBox

from kamdesk.domain.contacts import PersonalDate
from kamdesk.domain.enums import BuyingRole, CalendarKind, PersonalityType, RankTier
from kamdesk.domain.gift_vocabulary import tag_labels
from kamdesk.i18n import N_, _
from kamdesk.ui.models.contacts_model import stage_text

NO_YEAR = 1899  # the year spin box's "not known" value
DATE_COLUMNS = [N_("Calendar"), N_("Year"), N_("Month"), N_("Day"), N_("Leap month")]


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else None


def date_from_cells(cells: list[str]) -> PersonalDate | None:
    """A personal date from table cells (calendar, year, month, day, leap); None when all are empty."""
    calendar, year, month, day, leap = (cells + [""] * 5)[:5]
    if not any(c.strip() for c in (year, month, day)):
        return None
    kind = "lunar" if calendar.strip().lower() in ("lunar", _("Lunar").lower(), "农历", "農曆") else "solar"
    return PersonalDate(
        kind,
        _int(year),
        _int(month) or 0,
        _int(day) or 0,
        leap.strip().lower() in ("1", "yes", "y", "x", "✓", _("yes").lower()),
    )


def date_cells(date: PersonalDate | None) -> list[str]:
    if date is None:
        return ["", "", "", "", ""]
    return [
        CalendarKind(date.calendar).label,
        str(date.year or ""),
        str(date.month),
        str(date.day),
        _("yes") if date.leap_month else "",
    ]


def personal_date_text(date: PersonalDate) -> str:
    text = f"{CalendarKind(date.calendar).label} {date.year or '?'}-{date.month}-{date.day}"
    return text + " " + _("leap month") if date.leap_month else text


def affixes(spin: QSpinBox, template: str) -> None:
    """Words around a number the way the language puts them ("month 3", "3 月")."""
    prefix, _sep, suffix = template.partition("{number}")
    spin.setPrefix(prefix)
    spin.setSuffix(suffix)


def contact_field_labels() -> dict[str, str]:
    """The card's fields by name, as a stale save's conflict table lists them."""
    return {
        "name": _("Full name"),
        "account_id": _("Company"),
        "title": _("Title"),
        "rank_tier": _("Rank"),
        "buying_role": _("Buying role"),
        "reports_to_id": _("Reports to"),
        "mobile": _("Mobile"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "wechat": _("WeChat ID"),
        "address": _("Address"),
        "notes": _("Notes"),
        "birthday": _("Birthday"),
        "city": _("Lives in"),
        "hometown": _("Hometown"),
        "interests": _("Interests"),
        "preferences": _("Likes (food, drink, gifts)"),
        "taboos": _("Avoid (taboos)"),
        "personality_type": _("Personality type"),
        "like_tags": _("Tastes and interests (tags)"),
        "taboo_tags": _("Taboos (tags)"),
        "relationship_stage": _("Stage"),
        "family": _("Family"),
        "anniversaries": _("Anniversaries and other dates"),
        "links": _("Our people who know this person"),
    }


def describe_contact_field(name: str, value: Any, members: dict[int, str]) -> str:
    """A field's value as the card shows it (labels, stages, dates, our people's names)."""
    if value is None or value == "" or value == ():
        return _("(empty)")
    kinds: dict[str, Any] = {"rank_tier": RankTier, "buying_role": BuyingRole, "personality_type": PersonalityType}
    if name in kinds:
        try:
            return str(kinds[name](value).label)
        except ValueError:
            return str(value)
    if name == "relationship_stage":
        return stage_text(value)
    if name == "birthday":
        return personal_date_text(value)
    if name == "family":
        return "\n".join(f"{n} ({r})" + (f" {personal_date_text(b)}" if b else "") for n, r, b in value)
    if name == "anniversaries":
        return "\n".join(f"{label}: {personal_date_text(date)}" for label, date in value)
    if name == "links":
        return "\n".join(f"{members.get(m, '?')}: {stage_text(stage)}" for m, stage, _last in value)
    if name in ("like_tags", "taboo_tags"):
        return tag_labels(value) or _("(empty)")
    return str(value)
