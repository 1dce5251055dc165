"""The fixed vocabularies of key-account practice (domain.md §2–§13), with their display labels."""

from __future__ import annotations

from enum import StrEnum

from kamdesk.i18n import N_, _


class LabelledEnum(StrEnum):
    """A string enum whose members have an English label marked for translation."""

    @property
    def label(self) -> str:
        return _(self._labels().get(self.value, self.value))

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {}


class AccountClass(LabelledEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"A": N_("A — develop"), "B": N_("B — maintain"), "C": N_("C — candidate to drop"), "D": N_("D — drop")}


class PersonalityType(LabelledEnum):
    RATIONAL = "rational"
    TASK_DRIVEN = "task_driven"
    DEMANDING = "demanding"
    OWNER_MINDED = "owner_minded"
    CREDIT_SEEKING = "credit_seeking"
    STINGY = "stingy"
    DIFFICULT = "difficult"
    RELATIONSHIP = "relationship"
    COMPOSITE = "composite"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "rational": N_("Rational"),
            "task_driven": N_("Task-driven"),
            "demanding": N_("Demanding"),
            "owner_minded": N_("Owner-minded"),
            "credit_seeking": N_("Credit-seeking"),
            "stingy": N_("Stingy"),
            "difficult": N_("Difficult"),
            "relationship": N_("Relationship (friend)"),
            "composite": N_("Composite"),
        }


class SalesStage(LabelledEnum):
    POTENTIAL = "potential"
    TRIAL = "trial"
    INTENT = "intent"
    QUASI = "quasi"
    FORMAL = "formal"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "potential": N_("Potential"),
            "trial": N_("Trial"),
            "intent": N_("Intent"),
            "quasi": N_("Quasi-customer"),
            "formal": N_("Formal customer"),
        }


class RelationshipType(LabelledEnum):
    VENDOR = "vendor"
    PREFERRED_SUPPLIER = "preferred_supplier"
    PARTNER = "partner"
    STRATEGIC_ALLIANCE = "strategic_alliance"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "vendor": N_("Vendor"),
            "preferred_supplier": N_("Preferred supplier"),
            "partner": N_("Partner"),
            "strategic_alliance": N_("Strategic alliance"),
        }


class CycleStage(LabelledEnum):
    BREAKTHROUGH = "breakthrough"
    CONSOLIDATION = "consolidation"
    GROWTH = "growth"
    HARVEST = "harvest"
    DEFENSE = "defense"
    HIBERNATION = "hibernation"
    PAUSE = "pause"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "breakthrough": N_("Breakthrough"),
            "consolidation": N_("Consolidation"),
            "growth": N_("Growth"),
            "harvest": N_("Harvest"),
            "defense": N_("Defense"),
            "hibernation": N_("Hibernation"),
            "pause": N_("Pause"),
        }


class Attractiveness(LabelledEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}


class RelationshipState(LabelledEnum):
    ROOM_TO_GROW = "room_to_grow"
    GROWING = "growing"
    GOOD = "good"
    VERY_SOLID = "very_solid"
    LIMITED = "limited"
    DEFENDING = "defending"
    DECLINING = "declining"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "room_to_grow": N_("Room to grow"),
            "growing": N_("Growing"),
            "good": N_("Good"),
            "very_solid": N_("Very solid"),
            "limited": N_("Limited"),
            "defending": N_("Defending"),
            "declining": N_("Declining"),
        }


class RankTier(LabelledEnum):
    OWNER = "owner"
    MANAGER = "manager"
    STAFF = "staff"
    CLERK = "clerk"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "owner": N_("Owner / GM / VP"),
            "manager": N_("Manager / director"),
            "staff": N_("Engineer / supervisor / purchaser"),
            "clerk": N_("Clerk / assistant / staff"),
        }


class BuyingRole(LabelledEnum):
    DECISION_MAKER = "decision_maker"
    USER = "user"
    ADVISOR = "advisor"
    GATEKEEPER = "gatekeeper"
    OUTSIDER = "outsider"
    SUPPORTER = "supporter"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "decision_maker": N_("Decision maker"),
            "user": N_("User"),
            "advisor": N_("Advisor"),
            "gatekeeper": N_("Gatekeeper"),
            "outsider": N_("Outsider"),
            "supporter": N_("Supporter (coach)"),
        }


class RelationshipStage(LabelledEnum):
    STRANGER = "stranger"
    ACQUAINTED = "acquainted"
    ORDINARY_FRIEND = "ordinary_friend"
    GOOD_FRIEND = "good_friend"
    ORDINARY_BROTHER = "ordinary_brother"
    GOOD_BROTHER = "good_brother"
    BEST_FRIEND = "best_friend"

    @property
    def order(self) -> int:
        """Position 0–6 along the seven stages."""
        return _STAGE_ORDER[self.value]

    @property
    def level(self) -> int:
        """The 0–3 relationship level the stage belongs to (domain.md §7)."""
        return (0, 0, 1, 1, 2, 2, 3)[self.order]

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "stranger": N_("Stranger"),
            "acquainted": N_("Acquainted"),
            "ordinary_friend": N_("Ordinary friend"),
            "good_friend": N_("Good friend"),
            "ordinary_brother": N_("Ordinary brother"),
            "good_brother": N_("Good brother"),
            "best_friend": N_("Best friend"),
        }


_STAGE_ORDER = {stage.value: position for position, stage in enumerate(RelationshipStage)}


class CalendarKind(LabelledEnum):
    SOLAR = "solar"
    LUNAR = "lunar"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"solar": N_("Solar"), "lunar": N_("Lunar")}


class TeamRole(LabelledEnum):
    ACCOUNT_MANAGER = "account_manager"
    EXECUTIVE_SPONSOR = "executive_sponsor"
    SALES_MANAGER = "sales_manager"
    SALES = "sales"
    LOGISTICS = "logistics"
    MANUFACTURING = "manufacturing"
    RESEARCH = "research"
    MARKETING = "marketing"
    FINANCE = "finance"
    CUSTOMER_SERVICE = "customer_service"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "account_manager": N_("Account manager"),
            "executive_sponsor": N_("Executive sponsor"),
            "sales_manager": N_("Sales manager"),
            "sales": N_("Sales"),
            "logistics": N_("Logistics"),
            "manufacturing": N_("Manufacturing"),
            "research": N_("R&D"),
            "marketing": N_("Marketing"),
            "finance": N_("Finance"),
            "customer_service": N_("Customer service"),
        }


class ActivityKind(LabelledEnum):
    CALL = "call"
    EMAIL = "email"
    VISIT = "visit"
    MEETING = "meeting"
    GREETING = "greeting"
    NOTE = "note"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "call": N_("Call"),
            "email": N_("Email"),
            "visit": N_("Visit"),
            "meeting": N_("Meeting"),
            "greeting": N_("Greeting"),
            "note": N_("Note"),
        }


class ActivityStatus(LabelledEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"planned": N_("Planned"), "done": N_("Done"), "cancelled": N_("Cancelled")}


class GiftKind(LabelledEnum):
    EVERYDAY = "everyday"
    HOLIDAY = "holiday"
    SPECIAL = "special"
    MEAL = "meal"
    ENTERTAINMENT = "entertainment"
    TRIP = "trip"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "everyday": N_("Everyday gift"),
            "holiday": N_("Holiday gift"),
            "special": N_("Special gift"),
            "meal": N_("Meal"),
            "entertainment": N_("Entertainment"),
            "trip": N_("Trip"),
        }


class GiftDirection(LabelledEnum):
    GIVEN = "given"
    RECEIVED = "received"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"given": N_("Given"), "received": N_("Received")}
