"""What the import dialog calls each field and each text encoding, in the person's language.

The file formats use short English keys (name, account, mobile); a person matching a spreadsheet's
columns reads the field's name as the rest of kamdesk shows it, and the encoding by its common name.
"""

from __future__ import annotations

from kamdesk.i18n import N_, _

#: A field's name wherever it means the same in every kind of import.
FIELD_LABELS: dict[str, str] = {
    "account": N_("Company"),
    "active": N_("Still with us"),
    "address": N_("Address"),
    "approved_by": N_("Approved by"),
    "attractiveness": N_("Attractiveness"),
    "birthday": N_("Birthday"),
    "birthday_calendar": N_("Birthday calendar (solar or lunar)"),
    "birthday_leap_month": N_("Birthday in a leap month"),
    "buying_role": N_("Buying role"),
    "city": N_("City"),
    "contact": N_("Contact"),
    "cycle_stage": N_("Relationship cycle"),
    "department": N_("Department"),
    "direction": N_("Given or received"),
    "due_on": N_("Due date"),
    "duration_minutes": N_("Duration (minutes)"),
    "email": N_("Email"),
    "given_on": N_("Date given"),
    "hometown": N_("Hometown"),
    "important": N_("Important"),
    "industry": N_("Industry"),
    "interests": N_("Interests"),
    "item": N_("Gift or hospitality"),
    "location": N_("Place"),
    "member": N_("Our person"),
    "mobile": N_("Mobile"),
    "notes": N_("Notes"),
    "occasion": N_("Occasion"),
    "occurred_at": N_("Done at"),
    "outcome": N_("Outcome"),
    "owner": N_("Account manager"),
    "personality_type": N_("Personality type"),
    "phone": N_("Phone"),
    "potential": N_("Potential value"),
    "preferences": N_("Likes"),
    "profit": N_("Profit"),
    "province": N_("Province"),
    "rank_tier": N_("Rank"),
    "relationship_stage": N_("Relationship stage"),
    "relationship_state": N_("Relationship state"),
    "relationship_type": N_("Relationship type"),
    "role": N_("Team role"),
    "sales_stage": N_("Customer development stage"),
    "start_time": N_("Start time"),
    "status": N_("Status"),
    "subject": N_("Subject"),
    "taboos": N_("Taboos"),
    "title": N_("Title"),
    "value": N_("Value"),
    "value_period": N_("Value period"),
    "wechat": N_("WeChat"),
}

#: Where one key means different things in different imports.
KIND_FIELD_LABELS: dict[tuple[str, str], str] = {
    ("accounts", "name"): N_("Account name"),
    ("contacts", "name"): N_("Full name"),
    ("team", "name"): N_("Full name"),
    ("activities", "kind"): N_("Kind of activity"),
    ("gifts", "kind"): N_("Kind of gift"),
    ("gifts", "value"): N_("Value (yuan)"),
    ("accounts", "value"): N_("Value (yuan)"),
    ("catalogue", "name"): N_("Item"),
    ("catalogue", "kind"): N_("Kind of gift"),
    ("catalogue", "occasions"): N_("Occasions"),
    ("catalogue", "category"): N_("Category"),
    ("catalogue", "attributes"): N_("Attributes"),
    ("catalogue", "cost"): N_("Unit cost (yuan)"),
    ("catalogue", "supplier"): N_("Supplier"),
    ("catalogue", "origin"): N_("Origin"),
    ("catalogue", "story"): N_("Story"),
    ("catalogue", "active"): N_("In use"),
    ("contacts", "like_tags"): N_("Tastes and interests (tags)"),
    ("contacts", "taboo_tags"): N_("Taboos (tags)"),
}

#: Codec names as tabular reading reports them → what a person calls them.
ENCODING_NAMES: dict[str, str] = {
    "utf-8": N_("UTF-8"),
    "utf-8-sig": N_("UTF-8 (with BOM)"),
    "utf-16": N_("UTF-16 (Unicode)"),
    "gb18030": N_("Simplified Chinese (GBK)"),
    "gbk": N_("Simplified Chinese (GBK)"),
    "big5": N_("Traditional Chinese (Big5)"),
}


def field_label(kind: str, field: str) -> str:
    """The field `field` of an import of `kind`, as the person reads it (the key itself if unnamed)."""
    label = KIND_FIELD_LABELS.get((kind, field)) or FIELD_LABELS.get(field)
    return _(label) if label else field


def encoding_name(codec: str | None) -> str:
    """A text encoding by its everyday name ("utf-8-sig" → "UTF-8 (with BOM)")."""
    if not codec:
        return "—"
    label = ENCODING_NAMES.get(codec.lower().replace("_", "-"))
    return _(label) if label else codec
