"""vCard 2.1/3.0/4.0 contacts in (as phones and Outlook write them) and vCard 3.0 out, through vobject.

vobject parses each content line (groups, parameters, vCard 2.1's bare types, quoted-printable in its CHARSET),
splits structured values (N, ADR, ORG) and writes the cards. Kept here, each for a reason given where it stands:
unfolding (`_logical_lines`, linear and bounded), telling cards apart (`parse_cards`), a pre-check of each line
(`_CONTENT_LINE`), unescaping single TEXT values (`_unescape`) and folding by octets (`fold_line`).
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import vobject
from vobject.base import ContentLine, VObjectError, parseLine, textLineToContentLine
from vobject.vcard import Address, Name, splitFields

from kamdesk.domain.contacts import ContactDetail, PersonalDate
from kamdesk.domain.names import SURNAME_READINGS, has_han
from kamdesk.domain.tabular import Table, TableError, decode_text, encoding_note
from kamdesk.domain.transfer import format_birthday
from kamdesk.i18n import _

#: The contact columns a vCard fills, in the order of an import table.
VCARD_HEADERS = [
    "account",
    "name",
    "title",
    "mobile",
    "phone",
    "email",
    "wechat",
    "address",
    "city",
    "birthday",
    "birthday_calendar",
    "birthday_leap_month",
    "notes",
]
#: Two-character surnames, so that N of 欧阳娜娜 is 欧阳;娜娜 and not 欧;阳娜娜.
_COMPOUND_SURNAMES = sorted(
    {s for s in SURNAME_READINGS if len(s) > 1}
    | {
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "夏侯",
        "令狐",
        "慕容",
        "公孙",
        "司徒",
        "宇文",
        "独孤",
        "南宫",
        "西门",
        "轩辕",
        "端木",
        "澹台",
        "申屠",
        "太史",
        "呼延",
        "闻人",
        "赫连",
        "歐陽",
        "諸葛",
    },
    key=len,
    reverse=True,
)


@dataclass
class Card:
    """One vCard: its content lines (vobject's, parsed but not decoded) in order and the line it starts on."""

    line: int
    properties: list[ContentLine] = field(default_factory=list)

    def all(self, name: str) -> list[ContentLine]:
        return [p for p in self.properties if p.name == name]

    def first(self, name: str) -> str:
        found = self.all(name)
        return str(found[0].value) if found else ""


# Reading ------------------------------------------------------------------------------------
#: Binary properties kamdesk does not keep (a phone's PHOTO alone can be megabytes); their lines are dropped unread.
SKIPPED_PROPERTIES = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "X-ABCROP-RECTANGLE"})
#: A property value longer than this (after unfolding) is cut here; the row check then refuses the field as too long.
MAX_PROPERTY_CHARS = 100_000
#: vobject's content-line grammar, written with atomic groups: vobject's own pattern backtracks exponentially
#: on a line that does not match (80 s for "N;X=a,=a,…" 14 times over without a colon), so a line is checked here
#: first and only one that matches goes to vobject. Greedy atomic parameters end at the same colon vobject finds.
_PARAM_VALUE = r'(?>"[^"]*"|[^";:,]*)'
_CONTENT_LINE = re.compile(
    rf"(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-]+(?>(?:;[A-Za-z0-9_-]+(?:(?:={_PARAM_VALUE})?(?:,{_PARAM_VALUE})*)*)*):"
)


def _property_name(line: str) -> str:
    """The name of the property a content line holds (without its group), upper-cased."""
    head = re.split(r"[;:]", line[:200], maxsplit=1)[0]
    return head.rpartition(".")[2].strip().upper()


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfolded lines with the physical line each starts on (RFC 6350 folding and QP soft breaks).

    Kept instead of vobject's reader, which copies the whole growing line for every physical line it adds
    (quadratic: an 8.7 MB folded PHOTO takes minutes) and decodes every PHOTO. This pass is linear: the pieces of a
    folded line are joined once, binary properties (PHOTO…) are dropped without being joined at all, and no value
    grows past MAX_PROPERTY_CHARS. Quoted-printable soft breaks are joined too, so vobject sees one line per property.
    """
    lines: list[tuple[int, str]] = []
    start = 0
    parts: list[str] = []
    size = 0
    skipping = quoted_printable = False

    def finish() -> None:
        if parts and not skipping:
            line = "".join(parts)
            if line.strip():
                lines.append((start, line))

    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if line[:1] in (" ", "\t") and (parts or skipping):
            piece = line[1:]
        elif quoted_printable and parts and parts[-1].endswith("="):
            parts[-1] = parts[-1][:-1]  # a soft line break: the "=" and the line end are no part of the value
            piece = line
        else:
            finish()
            start, parts, size = number, [], 0
            skipping = _property_name(line) in SKIPPED_PROPERTIES
            quoted_printable = "QUOTED-PRINTABLE" in line.split(":", 1)[0].upper()
            piece = line
        if skipping or size > MAX_PROPERTY_CHARS:
            continue
        piece = piece[: MAX_PROPERTY_CHARS + 1 - size]
        parts.append(piece)
        size += len(piece)
    finish()
    return lines


def _content_line(line: str, number: int) -> ContentLine | None:
    """One logical line parsed by vobject (name, group, parameters, vCard 2.1 bare types, quoted-printable in its
    CHARSET), or None for a line that is no property."""
    if not _CONTENT_LINE.match(line):
        return None
    try:
        return textLineToContentLine(line, number)
    except VObjectError:
        return None
    except (LookupError, UnicodeError, TypeError):
        # vobject decodes quoted-printable in the line's CHARSET and fails on an unknown one, on bytes not in it and
        # on a second ENCODING value (it hands the list to the codec). Then: UTF-8 if the bytes are, else GB18030.
        name, params, value, group = parseLine(line, number)
        params = [p for p in params if p[0].upper() not in ("CHARSET", "ENCODING", "QUOTED-PRINTABLE")]
        raw = quopri.decodestring(value.encode("utf-8"))
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:
            decoded = raw.decode("gb18030", "replace")
        return ContentLine(name, params, decoded, group, encoded=True, lineNumber=number)


def _types(prop: ContentLine) -> set[str]:
    """TYPE parameters (TYPE=CELL,VOICE; TYPE="cell,voice"; vCard 2.1's bare TEL;CELL), upper-cased."""
    found: set[str] = {t.strip().upper() for t in prop.singletonparams}
    for value in prop.params.get("TYPE", []):
        found.update(v.strip().strip('"').upper() for v in value.split(","))
    return found


def _param(prop: ContentLine, name: str) -> str:
    values = prop.params.get(name, [])
    return str(values[0]) if values else ""


def _unescape(text: str) -> str:
    """A TEXT value unescaped. Not vobject's text decoding: that cuts a value at its first bare comma, and
    vCard 2.1 and Outlook leave commas in notes and names unescaped."""
    return re.sub(r"\\([\\,;nN:])", lambda m: "\n" if m[1] in "nN" else m[1], text)


def _components(text: str) -> list[str]:
    """A structured value (N, ADR, ORG) split by vobject on unescaped semicolons, each unescaped.

    A component vobject splits further on a bare comma is joined again: for kamdesk it is one text."""
    return [",".join(part) if isinstance(part, list) else str(part) for part in splitFields(text)]


def parse_cards(text: str) -> list[Card]:
    """The cards of a .vcf text. Cards are told apart here, not by vobject's reader, which gives up on the whole
    file at one unclosed card or stray END; a card without its END is left out, lines outside cards are ignored."""
    cards: list[Card] = []
    current: Card | None = None
    for number, line in _logical_lines(text):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            current = Card(number)
            continue
        if upper == "END:VCARD":
            if current is not None:
                cards.append(current)
            current = None
            continue
        if current is not None:
            prop = _content_line(line, number)
            if prop is not None:
                current.properties.append(prop)
    return cards


def _person_name(card: Card) -> str:
    full = _unescape(card.first("FN")).strip()
    if full:
        return full
    parts = _components(card.first("N")) + [""] * 5
    family, given = parts[0].strip(), parts[1].strip()
    if has_han(family + given):
        return family + given
    return " ".join(p for p in (given, family) if p)


def _birthday(card: Card) -> tuple[str, str]:
    """(birthday text, calendar) from BDAY, or kamdesk's own X-KAMDESK-BIRTHDAY for lunar dates."""
    own = card.first("X-KAMDESK-BIRTHDAY")
    if own:
        calendar, _sep, date = own.partition(";")
        return date.strip(), calendar.strip()
    text = card.first("BDAY").strip()
    if not text:
        return "", ""
    text = re.sub(r"T.*$", "", text)
    omitted = _param(card.all("BDAY")[0], "X-APPLE-OMIT-YEAR")
    if omitted and text.startswith(omitted):
        text = "--" + text[len(omitted) :].lstrip("-")  # Apple's placeholder year for "year unknown"
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    elif re.fullmatch(r"--\d{4}", text):
        text = f"{text[2:4]}-{text[4:]}"
    elif text.startswith("--"):
        text = text[2:]
    lunar = any("CHINESE" in v.upper() for v in card.all("BDAY")[0].params.get("CALSCALE", []))
    return text, "lunar" if lunar else ""


def card_row(card: Card) -> list[str]:
    """The card as a row under VCARD_HEADERS; numbers and addresses beyond the card's fields go to notes."""
    notes: list[str] = []
    mobile = phone = ""
    for tel in card.all("TEL"):
        number = _unescape(tel.value).strip().removeprefix("tel:")
        if not number:
            continue
        types = _types(tel)
        if ("CELL" in types or "MOBILE" in types) and not mobile:
            mobile = number
        elif "CELL" not in types and "FAX" not in types and not phone:
            phone = number
        elif not mobile and "FAX" not in types:
            mobile = number
        else:
            label = ",".join(sorted(t.lower() for t in types)) or "tel"
            notes.append(f"TEL ({label}): {number}")
    emails = [_unescape(e.value).strip() for e in card.all("EMAIL") if e.value.strip()]
    for extra in emails[1:]:
        notes.append(f"EMAIL: {extra}")
    wechat = ""
    for prop in card.all("IMPP") + card.all("X-WECHAT") + card.all("X-WEIXIN"):
        value = _unescape(prop.value).strip()
        scheme, colon, handle = value.partition(":")
        if prop.name != "IMPP":
            wechat = wechat or value
        elif colon and scheme.lower() in ("wechat", "weixin", "x-apple"):
            wechat = wechat or handle
        else:
            notes.append(f"IMPP: {value}")
    org = _components(card.first("ORG")) if card.first("ORG") else [""]
    if len(org) > 1 and any(p.strip() for p in org[1:]):
        notes.append(_("Department: {department}").format(department=" / ".join(p for p in org[1:] if p.strip())))
    address = city = ""
    adr = card.all("ADR")
    if adr:
        parts = _components(adr[0].value) + [""] * 7
        city = parts[3].strip()
        address = (
            " ".join(
                p.strip() for p in (parts[6], parts[4], parts[5], parts[3], parts[2], parts[1], parts[0]) if p.strip()
            )
            if has_han(adr[0].value)
            else ", ".join(p.strip() for p in parts[:7] if p.strip())
        )
    note = _unescape(card.first("NOTE")).strip()
    if note:
        notes.insert(0, note)
    birthday, calendar = _birthday(card)
    leap = "yes" if card.first("X-KAMDESK-LEAP-MONTH").strip().lower() in ("1", "yes", "true") else ""
    return [
        org[0].strip(),
        _person_name(card),
        _unescape(card.first("TITLE")).strip(),
        mobile,
        phone,
        emails[0] if emails else "",
        wechat,
        address,
        city,
        birthday,
        calendar,
        leap,
        "\n".join(notes),
    ]


def read_vcard_bytes(data: bytes, encoding: str | None = None) -> Table:
    """The cards of a .vcf file as a contacts table; rows are numbered by card (1 = the first card)."""
    if not data.strip():
        raise TableError(_("The file is empty."))
    text, used = decode_text(data, encoding)
    cards = parse_cards(text)
    if not cards:
        raise TableError(_("The file holds no vCard (no BEGIN:VCARD … END:VCARD)."))
    table = Table(list(VCARD_HEADERS), [(number, card_row(card)) for number, card in enumerate(cards, start=1)], used)
    note = encoding_note(data, text, used)
    if note:
        table.notes.append(note)
    return table


# Writing ------------------------------------------------------------------------------------
#: vobject folds by characters when a line has fewer than 75 (a Chinese line of 30 characters is 90 octets),
#: so it writes unfolded lines and `fold_line` folds them by octets.
_UNFOLDED = 1 << 62


def fold_line(line: str, limit: int = 75) -> str:
    """Fold a content line at `limit` octets of UTF-8, never inside a character (RFC 6350 §3.2).

    Kept here: vobject's folding counts characters, not octets, in lines under 75 characters."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def split_name(name: str) -> tuple[str, str]:
    """(family, given) for N: a Chinese name by its (compound) surname, a Latin one by its last word."""
    name = name.strip()
    if has_han(name) and " " not in name:
        for surname in _COMPOUND_SURNAMES:
            if name.startswith(surname) and len(name) > len(surname):
                return surname, name[len(surname) :]
        return (name[:1], name[1:]) if len(name) > 1 else (name, "")
    words = name.split()
    if len(words) < 2:
        return name, ""
    return words[-1], " ".join(words[:-1])


def _bday(date: PersonalDate) -> str:
    if date.year is None:
        return f"--{date.month:02d}{date.day:02d}"
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"


def _add(card: vobject.base.Component, name: str, value: object, types: list[str] | None = None) -> None:
    line = card.add(name)
    line.value = value
    if types:
        line.type_paramlist = types


def contact_card(contact: ContactDetail, uid: str = "") -> str:
    """One contact as a vCard 3.0 text (CRLF line ends, folded lines), written by vobject."""
    card = vobject.vCard()
    family, given = split_name(contact.name)
    _add(card, "n", Name(family=family, given=given))
    _add(card, "fn", contact.name)
    for name, value, types in (
        ("org", [contact.account_name] if contact.account_name else None, None),
        ("title", contact.title, None),
        ("tel", contact.mobile, ["CELL"]),
        ("tel", contact.phone, ["WORK", "VOICE"]),
        ("email", contact.email, ["INTERNET"]),
        ("x-wechat", contact.wechat, None),
        (
            "adr",
            Address(street=contact.address, city=contact.city) if contact.address or contact.city else None,
            ["WORK"],
        ),
    ):
        if value:
            _add(card, name, value, types)
    birthday = contact.birthday
    if birthday is not None:
        if birthday.calendar == "solar":
            _add(card, "bday", _bday(birthday))
        else:
            # Phones know only solar birthdays; the lunar one rides along for kamdesk and people. Its ";" is a
            # separator kamdesk has always written bare, so the value is marked as already encoded (not escaped).
            line = card.add("x-kamdesk-birthday")
            line.value, line.encoded = f"lunar;{format_birthday(birthday)}", True
            if birthday.leap_month:
                _add(card, "x-kamdesk-leap-month", "yes")
    if contact.notes:
        _add(card, "note", contact.notes)
    if uid:
        _add(card, "uid", uid)
    text = card.serialize(lineLength=_UNFOLDED, validate=False)
    return "".join(fold_line(line) + "\r\n" for line in text.split("\r\n") if line)


def contacts_to_vcf(contacts: Iterable[tuple[ContactDetail, str]]) -> bytes:
    """A .vcf file of many contacts, each with its UID, in UTF-8."""
    return "".join(contact_card(c, uid) for c, uid in contacts).encode("utf-8")
