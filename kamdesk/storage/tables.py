"""Typed SQLAlchemy 2 tables of a kamdesk database (money in integer cents, dates ISO, times UTC)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from kamdesk.domain import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return clock.utc_now()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """Columns every editable row carries: an optimistic-lock version and who touched it last."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), nullable=False, default="")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy's declared_attr form
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class TeamMemberRow(Versioned, Base):
    __tablename__ = "team_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_pinyin: Mapped[str] = mapped_column(String(400), default="")
    name_initials: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(200), default="")
    rank_tier: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    left_on: Mapped[dt.date | None] = mapped_column(Date)


class AccountRow(Versioned, Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_pinyin: Mapped[str] = mapped_column(String(600), default="", index=True)
    name_initials: Mapped[str] = mapped_column(String(150), default="", index=True)
    industry: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="", index=True)
    province: Mapped[str] = mapped_column(String(100), default="")
    personality_type: Mapped[str | None] = mapped_column(String(30))
    sales_stage: Mapped[str | None] = mapped_column(String(30), index=True)
    relationship_type: Mapped[str | None] = mapped_column(String(30))
    cycle_stage: Mapped[str | None] = mapped_column(String(30))
    attractiveness: Mapped[str | None] = mapped_column(String(10))
    relationship_state: Mapped[str | None] = mapped_column(String(30))
    potential_cents: Mapped[int | None] = mapped_column(BigInteger)
    potential_margin_pct: Mapped[int | None] = mapped_column(Integer)
    #: The measured value used for ranking, kept with the computed class for fast lists.
    value_cents: Mapped[int | None] = mapped_column(BigInteger, index=True)
    computed_class: Mapped[str | None] = mapped_column(String(1), index=True)
    pinned_class: Mapped[str | None] = mapped_column(String(1))
    pin_reason: Mapped[str] = mapped_column(Text, default="")
    pinned_by: Mapped[str] = mapped_column(String(100), default="")
    pinned_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id", ondelete="SET NULL"), index=True)
    last_contact_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class AccountValueRow(Versioned, Base):
    """Revenue and profit of one account in one period (a year "2026" or a quarter "2026-Q3")."""

    __tablename__ = "account_values"
    __table_args__ = (UniqueConstraint("account_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    revenue_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    profit_cents: Mapped[int | None] = mapped_column(BigInteger)


class AccountClassHistoryRow(Base):
    __tablename__ = "account_class_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    old_class: Mapped[str | None] = mapped_column(String(1))
    new_class: Mapped[str | None] = mapped_column(String(1))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")


class AccountStageHistoryRow(Base):
    """When an account reached a sales stage, relationship type or cycle stage (schema 6)."""

    __tablename__ = "account_stage_history"
    __table_args__ = (Index("ix_account_stage_history_account_field", "account_id", "field", "changed_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(30))  # sales_stage, relationship_type or cycle_stage
    old_value: Mapped[str | None] = mapped_column(String(30))
    new_value: Mapped[str | None] = mapped_column(String(30))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class AccountTeamRow(Versioned, Base):
    """One of our people on an account's team, in a role (account manager, sponsor, support…)."""

    __tablename__ = "account_team"
    __table_args__ = (UniqueConstraint("account_id", "member_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("team_members.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))


class ContactRow(Versioned, Base):
    __tablename__ = "contacts"
    #: Schema 6: the dashboard's targets by class and rank read this small index, not every contact's row.
    __table_args__ = (Index("ix_contacts_account_rank_stage", "account_id", "rank_tier", "relationship_stage"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_pinyin: Mapped[str] = mapped_column(String(400), default="", index=True)
    name_initials: Mapped[str] = mapped_column(String(100), default="", index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    rank_tier: Mapped[str | None] = mapped_column(String(20), index=True)
    buying_role: Mapped[str | None] = mapped_column(String(20))
    reports_to_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    relationship_stage: Mapped[str] = mapped_column(String(20), default="stranger")
    # Contact details and the personal file (personal data, domain.md §14).
    mobile: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(320), default="", index=True)
    wechat: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    birthday_calendar: Mapped[str | None] = mapped_column(String(10))
    birthday_year: Mapped[int | None] = mapped_column(Integer)
    birthday_month: Mapped[int | None] = mapped_column(Integer)
    birthday_day: Mapped[int | None] = mapped_column(Integer)
    birthday_leap_month: Mapped[bool] = mapped_column(Boolean, default=False)
    city: Mapped[str] = mapped_column(String(100), default="", index=True)
    hometown: Mapped[str] = mapped_column(String(100), default="", index=True)
    interests: Mapped[str] = mapped_column(Text, default="")
    preferences: Mapped[str] = mapped_column(Text, default="")
    taboos: Mapped[str] = mapped_column(Text, default="")
    # Schema 6: tastes and taboos as tags of the gift vocabulary (comma-separated codes), kept
    # beside the free text they were suggested from and editable on their own.
    like_tags: Mapped[str] = mapped_column(String(300), default="", server_default="")
    taboo_tags: Mapped[str] = mapped_column(String(300), default="", server_default="")
    personality_type: Mapped[str | None] = mapped_column(String(30))
    notes: Mapped[str] = mapped_column(Text, default="")
    last_contact_on: Mapped[dt.date | None] = mapped_column(Date)


class ContactSearchRow(Base):
    """Everything a contact can be found by, in one lower-case line, kept by triggers (schema 2).

    A narrow table scans many times faster than the contacts themselves, which keeps a search
    keystroke fast over tens of thousands of people.
    """

    __tablename__ = "contact_search"
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")


#: SQL the triggers use to build a contact's search line from its row ("new" in a trigger).
CONTACT_SEARCH_TEXT = (
    "lower(coalesce(new.name, '') || ' ' || coalesce(new.name_pinyin, '') || ' ' || "
    "coalesce(new.name_initials, '') || ' ' || coalesce(new.title, '') || ' ' || "
    "coalesce(new.city, '') || ' ' || coalesce(new.hometown, ''))"
)
CONTACT_SEARCH_TRIGGERS = (
    "CREATE TRIGGER trg_contact_search_insert AFTER INSERT ON contacts BEGIN "
    "INSERT OR REPLACE INTO contact_search (contact_id, account_id, text) "
    f"VALUES (new.id, new.account_id, {CONTACT_SEARCH_TEXT}); END",
    "CREATE TRIGGER trg_contact_search_update AFTER UPDATE OF name, name_pinyin, name_initials, title, city, "
    "hometown, account_id ON contacts BEGIN "
    "INSERT OR REPLACE INTO contact_search (contact_id, account_id, text) "
    f"VALUES (new.id, new.account_id, {CONTACT_SEARCH_TEXT}); END",
    "CREATE TRIGGER trg_contact_search_delete AFTER DELETE ON contacts BEGIN "
    "DELETE FROM contact_search WHERE contact_id = old.id; END",
)
#: The same triggers on PostgreSQL: one PL/pgSQL function (an upsert) run after inserts and after
#: updates of the searched columns; deleting a contact removes its line by the foreign key's cascade.
CONTACT_SEARCH_TRIGGERS_POSTGRESQL = (
    "CREATE FUNCTION contact_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO contact_search (contact_id, account_id, text) "
    f"VALUES (new.id, new.account_id, {CONTACT_SEARCH_TEXT}) "
    "ON CONFLICT (contact_id) DO UPDATE SET account_id = excluded.account_id, text = excluded.text; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER trg_contact_search_insert AFTER INSERT ON contacts "
    "FOR EACH ROW EXECUTE FUNCTION contact_search_refresh()",
    "CREATE TRIGGER trg_contact_search_update AFTER UPDATE OF name, name_pinyin, name_initials, title, city, "
    "hometown, account_id ON contacts FOR EACH ROW EXECUTE FUNCTION contact_search_refresh()",
)


def contact_search_triggers(dialect: str) -> tuple[str, ...]:
    """The statements that create the triggers keeping contact_search, for this database dialect."""
    if dialect == "postgresql":
        return CONTACT_SEARCH_TRIGGERS_POSTGRESQL
    if dialect == "sqlite":
        return CONTACT_SEARCH_TRIGGERS
    raise NotImplementedError(f"no contact search triggers for {dialect}")


class ContactStageHistoryRow(Base):
    __tablename__ = "contact_stage_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    changed_on: Mapped[dt.date] = mapped_column(Date)
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")


class ContactEventRow(Versioned, Base):
    """A sensitive event in a contact's life (illness, bereavement…): business pauses until it ends.

    Schema 6. Personal data (domain.md §14): exported and erased with the person.
    """

    __tablename__ = "contact_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="illness")
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class FamilyMemberRow(Versioned, Base):
    __tablename__ = "family_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    relation: Mapped[str] = mapped_column(String(50), default="")
    birthday_calendar: Mapped[str | None] = mapped_column(String(10))
    birthday_year: Mapped[int | None] = mapped_column(Integer)
    birthday_month: Mapped[int | None] = mapped_column(Integer)
    birthday_day: Mapped[int | None] = mapped_column(Integer)
    birthday_leap_month: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class PersonalDateRow(Versioned, Base):
    """An anniversary or other personal date of a contact (wedding, company founding…)."""

    __tablename__ = "personal_dates"
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    calendar: Mapped[str] = mapped_column(String(10), default="solar")
    year: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    leap_month: Mapped[bool] = mapped_column(Boolean, default=False)


class LinkRow(Versioned, Base):
    """A person-to-person tie between one of our team and one of theirs (the zipper)."""

    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("member_id", "contact_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("team_members.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    relationship_stage: Mapped[str] = mapped_column(String(20), default="acquainted")
    last_contact_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class ActivityRow(Versioned, Base):
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_member_status_due", "member_id", "status", "due_on"),
        Index("ix_activities_contact_occurred", "contact_id", "occurred_at"),
        Index("ix_activities_account_occurred", "account_id", "occurred_at"),
        # Schema 6: time logged and planned per account and person (the pyramid, cost to serve) read
        # these narrow indexes instead of every activity's row (64 MB on the large demo).
        Index("ix_activities_status_occurred", "status", "occurred_at", "account_id", "member_id", "duration_minutes"),
        Index("ix_activities_status_due", "status", "due_on", "account_id", "member_id", "kind", "duration_minutes"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id", ondelete="SET NULL"))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    occurred_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=0)
    subject: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    important: Mapped[bool] = mapped_column(Boolean, default=False)
    # Schema 3: why the item is on the agenda, when in the day, and the call and email details.
    reason: Mapped[str] = mapped_column(String(30), default="manual", server_default="manual")
    reason_detail: Mapped[str] = mapped_column(String(300), default="", server_default="")
    start_time: Mapped[str] = mapped_column(String(5), default="", server_default="")  # "HH:MM", local
    location: Mapped[str] = mapped_column(String(300), default="", server_default="")
    reply_due_on: Mapped[dt.date | None] = mapped_column(Date)  # an e-mail whose "To" owes a reply
    reply_received_on: Mapped[dt.date | None] = mapped_column(Date)
    prep_json: Mapped[str] = mapped_column(Text, default="", server_default="")  # call preparation
    review_json: Mapped[str] = mapped_column(Text, default="", server_default="")  # call review
    #: Set on items a rule generated, so running the rule again finds them instead of adding twins.
    generated_key: Mapped[str | None] = mapped_column(String(120), unique=True)


class CadenceRuleRow(Versioned, Base):
    """How often the team touches people at accounts of one class (and optionally one rank)."""

    __tablename__ = "cadence_rules"
    __table_args__ = (UniqueConstraint("account_class", "rank_tier"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_class: Mapped[str] = mapped_column(String(1))
    rank_tier: Mapped[str | None] = mapped_column(String(20))
    business_days: Mapped[int | None] = mapped_column(Integer)
    care_min_days: Mapped[int | None] = mapped_column(Integer)
    care_max_days: Mapped[int | None] = mapped_column(Integer)


class GiftRow(Versioned, Base):
    """One entry of the gift and hospitality register: everything given or received is on record."""

    __tablename__ = "gifts"
    __table_args__ = (
        Index("ix_gifts_contact_date", "contact_id", "given_on"),
        # Schema 6: what was spent on gifts per account in a period (cost to serve), from the index alone.
        Index("ix_gifts_status_given", "status", "given_on", "direction", "account_id", "kind", "value_cents"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(10), default="given")
    kind: Mapped[str] = mapped_column(String(20))
    item: Mapped[str] = mapped_column(String(300))
    value_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    given_on: Mapped[dt.date] = mapped_column(Date, index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id", ondelete="SET NULL"))
    occasion: Mapped[str] = mapped_column(String(200), default="")
    approved_by: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Schema 5: planned gifts, how they travel, who was there, and the approval's date.
    status: Mapped[str] = mapped_column(String(10), default="done", server_default="done")
    delivery: Mapped[str] = mapped_column(String(20), default="", server_default="")
    people_ours: Mapped[str] = mapped_column(String(300), default="", server_default="")
    people_theirs: Mapped[str] = mapped_column(String(300), default="", server_default="")
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Set on gifts a festival plan confirmed, so confirming again finds them instead of adding twins.
    planned_key: Mapped[str | None] = mapped_column(String(120), unique=True)


class GiftCatalogueRow(Versioned, Base):
    """What the team gives: item, kind, unit cost, supplier, and its story."""

    __tablename__ = "gift_catalogue"
    id: Mapped[int] = mapped_column(primary_key=True)
    item: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="holiday")
    unit_cost_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    supplier: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # the item's story
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Schema 6: what the item is (comma-separated codes of the gift vocabulary) and where it is from.
    occasions: Mapped[str] = mapped_column(String(200), default="", server_default="")
    category: Mapped[str] = mapped_column(String(30), default="", server_default="")
    attributes: Mapped[str] = mapped_column(String(300), default="", server_default="")
    origin: Mapped[str] = mapped_column(String(100), default="", server_default="")


class VisitRow(Versioned, Base):
    """A visit, meal, entertainment or trip (§13), planned or done."""

    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_member_starts", "member_id", "starts_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="visit")
    status: Mapped[str] = mapped_column(String(10), default="planned")
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)  # local wall-clock time
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    people_theirs: Mapped[str] = mapped_column(String(300), default="")
    member_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id", ondelete="SET NULL"))
    people_ours: Mapped[str] = mapped_column(String(300), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    plan_meal: Mapped[bool] = mapped_column(Boolean, default=False)
    plan_gift: Mapped[str] = mapped_column(String(300), default="")
    plan_activity: Mapped[str] = mapped_column(String(300), default="")
    headcount: Mapped[int] = mapped_column(Integer, default=0)
    budget_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    outcome: Mapped[str] = mapped_column(Text, default="")


class AccountPlanRow(Versioned, Base):
    """An account plan for one period (§9); the narrative sections are one JSON document."""

    __tablename__ = "account_plans"
    __table_args__ = (UniqueConstraint("account_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    #: summary, customer profile and SWOT, competitors, situation, our SWOT, vision, revenue, intelligence.
    content_json: Mapped[str] = mapped_column(Text, default="{}")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id", ondelete="SET NULL"))
    sponsor_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id", ondelete="SET NULL"))
    sales_manager_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id", ondelete="SET NULL"))
    sponsor_reviewed_by: Mapped[str] = mapped_column(String(100), default="")
    sponsor_reviewed_on: Mapped[dt.date | None] = mapped_column(Date)


class PlanObjectiveRow(Versioned, Base):
    __tablename__ = "plan_objectives"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("account_plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    statement: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(Text, default="")
    target_value: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id", ondelete="SET NULL"))


class PlanActionRow(Versioned, Base):
    __tablename__ = "plan_actions"
    __table_args__ = (Index("ix_plan_actions_owner_status_deadline", "owner_id", "status", "deadline"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("account_plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    task: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id", ondelete="SET NULL"))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("plan_objectives.id", ondelete="SET NULL"))
    done_by: Mapped[str] = mapped_column(String(100), default="")
    done_on: Mapped[dt.date | None] = mapped_column(Date)


class PlanReviewRow(Versioned, Base):
    """A periodic relationship self-check (§9), each question scored 1–5."""

    __tablename__ = "plan_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("account_plans.id", ondelete="CASCADE"), index=True)
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    scores_json: Mapped[str] = mapped_column(Text, default="{}")
    notes: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str] = mapped_column(String(100), default="")


class SettingRow(Versioned, Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)


class ChangeLogRow(Base):
    """Who changed which row and which fields, written in the same transaction as the change."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_table_row", "table_name", "row_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    by: Mapped[str] = mapped_column(String(100), index=True)
    host: Mapped[str] = mapped_column(String(200), default="")
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(10))
    changes_json: Mapped[str] = mapped_column(Text, default="{}")


class PresenceRow(Base):
    """Who has the file open, refreshed by a heartbeat; staleness is judged by the observer."""

    __tablename__ = "presence"
    session_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100))
    host: Mapped[str] = mapped_column(String(200), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    heartbeat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    heartbeat_count: Mapped[int] = mapped_column(Integer, default=0)


VERSIONED_TABLES = {mapper.class_ for mapper in Base.registry.mappers if issubclass(mapper.class_, Versioned)}
