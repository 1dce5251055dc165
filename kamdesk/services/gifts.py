"""Gifts, hospitality and visits: the catalogue, festival and everyday planning, the register with its
policy limits and approvals, visits with the meal guide, and the printed schedules."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from kamdesk.domain import clock
from kamdesk.domain.gift_logistics import shipping_labels
from kamdesk.domain.gift_plans import GiftBook, item_view, person_view, plan_everyday, plan_festival, plan_special
from kamdesk.domain.gift_vocabulary import breaks_taboo, tag_label
from kamdesk.domain.gifts import (
    DEFAULT_TIER_BUDGETS,
    DEFAULT_TIERS,
    GIFT_FESTIVALS,
    REGISTER_STATUSES,
    CatalogueItem,
    FestivalPlanDates,
    GiftError,
    GiftPolicy,
    GiftSchedule,
    MailingLabel,
    MealGuide,
    PolicyCheck,
    Recipient,
    RegisterEntry,
    Visit,
    VisitSchedule,
    check_policy,
    festival_dates,
    high_spend_warning,
    meal_guide,
    validate_entry,
    validate_visit,
)
from kamdesk.domain.printing import Progress
from kamdesk.domain.proposals import ProposalPlan, ProposalRecord
from kamdesk.i18n import _
from kamdesk.services import printing
from kamdesk.storage import contact_events as event_store
from kamdesk.storage import followups as followup_store
from kamdesk.storage import gifts as store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database

__all__ = ["GiftError", "GiftService"]

POLICY_KEY = "gift_policy"
TIERS_KEY = "gift_tiers"
CUSTOMER_POLICY_KEY = "gift_policy:account:{id}"


class GiftService:
    def __init__(self, db: Database) -> None:
        self.db = db

    #: The person's date, from kamdesk's one clock (fix it there, not here).
    today = staticmethod(clock.today)

    # Catalogue ---------------------------------------------------------------------------------
    def catalogue(self, include_inactive: bool = False) -> list[CatalogueItem]:
        with self.db.read() as session:
            return store.catalogue(session, include_inactive)

    def save_item(self, item: CatalogueItem) -> int:
        return self.save_items([item])[0]

    def save_items(self, items: list[CatalogueItem]) -> list[int]:
        """Save catalogue items in one unit of work: all of them, or none when one is refused."""
        for item in items:
            if not item.item.strip():
                raise GiftError(_("Give the catalogue item a name."))
            if item.unit_cost_cents < 0 or item.unit_cost_cents > 100_000_000:
                raise GiftError(_("The unit cost must be zero or a believable amount."))
            if item.kind not in ("everyday", "holiday", "special"):
                raise GiftError(_("A catalogue item is an everyday, holiday or special gift."))
        with self.db.write() as session:
            return [store.save_catalogue_item(session, item) for item in items]

    # Policy and tiers --------------------------------------------------------------------------
    def policy(self) -> GiftPolicy:
        with self.db.read() as session:
            value = store.get_json(session, POLICY_KEY) or {}
        base = GiftPolicy()
        return GiftPolicy(
            int(value.get("per_item_cents", base.per_item_cents)),
            int(value.get("per_person_year_cents", base.per_person_year_cents)),
            bool(value.get("gifts_to_class_d", base.gifts_to_class_d)),
            bool(value.get("gifts_to_strangers", base.gifts_to_strangers)),
        )

    def save_policy(self, policy: GiftPolicy) -> None:
        problems = policy.problems()
        if problems:
            raise GiftError("\n".join(problems))
        with self.db.write() as session:
            store.set_json(
                session,
                POLICY_KEY,
                {
                    "per_item_cents": policy.per_item_cents,
                    "per_person_year_cents": policy.per_person_year_cents,
                    "gifts_to_class_d": policy.gifts_to_class_d,
                    "gifts_to_strangers": policy.gifts_to_strangers,
                },
            )

    def tiers(self) -> tuple[dict[str, dict[str, dict[str, int]]], dict[int, int]]:
        """(festival → class → rank → tier, tier → budget per person in cents), defaults filled in."""
        with self.db.read() as session:
            value = store.get_json(session, TIERS_KEY) or {}
        matrix = {f: {c: dict(r) for c, r in classes.items()} for f, classes in DEFAULT_TIERS.items()}
        for festival, classes in (value.get("matrix") or {}).items():
            for cls, ranks in classes.items():
                matrix.setdefault(festival, {}).setdefault(cls, {}).update({k: int(v) for k, v in ranks.items()})
        budgets = dict(DEFAULT_TIER_BUDGETS)
        budgets.update({int(k): int(v) for k, v in (value.get("budgets") or {}).items()})
        return matrix, budgets

    def save_tiers(self, matrix: dict[str, dict[str, dict[str, int]]], budgets: dict[int, int]) -> None:
        if any(not 0 <= t <= 3 for classes in matrix.values() for ranks in classes.values() for t in ranks.values()):
            raise GiftError(_("A tier is 0 (no gift) to 3 (premium)."))
        if any(v <= 0 for v in budgets.values()):
            raise GiftError(_("Each tier needs a budget per person above zero."))
        with self.db.write() as session:
            store.set_json(session, TIERS_KEY, {"matrix": matrix, "budgets": {str(k): v for k, v in budgets.items()}})

    def customer_policy(self, account_id: int) -> str:
        with self.db.read() as session:
            return str(store.get_json(session, CUSTOMER_POLICY_KEY.format(id=account_id)) or "")

    def save_customer_policy(self, account_id: int, text: str) -> None:
        with self.db.write() as session:
            store.set_json(session, CUSTOMER_POLICY_KEY.format(id=account_id), text.strip()[:2000])

    # Register ----------------------------------------------------------------------------------
    def register(self, year: int, **filters: Any) -> list[RegisterEntry]:
        with self.db.read() as session:
            return store.register(session, dt.date(year, 1, 1), dt.date(year, 12, 31), **filters)

    def year_summary(self, year: int) -> tuple[int, int]:
        """(entries, value given in cents) of the year."""
        with self.db.read() as session:
            return store.year_summary(session, dt.date(year, 1, 1), dt.date(year, 12, 31))

    def totals(self, year: int, by: str) -> list[tuple[str, int, int]]:
        with self.db.read() as session:
            return store.totals(session, dt.date(year, 1, 1), dt.date(year, 12, 31), by)

    def check(self, entry: RegisterEntry) -> PolicyCheck:
        policy = self.policy()
        before = 0
        if entry.contact_id is not None:
            with self.db.read() as session:
                before = store.person_year_total(
                    session, entry.contact_id, entry.given_on.year, entry.direction, entry.id
                )
        return check_policy(policy, entry.value_cents, before)

    def taboo_warning(self, entry: RegisterEntry) -> str:
        """A warning when the item goes against the person's taboos, judged by meaning through the gift
        vocabulary (the entry may still be recorded: it is a hand entry)."""
        if entry.contact_id is None or not entry.item.strip():
            return ""
        with self.db.read() as session:
            who = next(iter(store.recipients(session, contact_id=entry.contact_id)), None)
            items = store.catalogue(session, include_inactive=True)
        if who is None:
            return ""
        known = next((i for i in items if i.item.strip() == entry.item.strip()), CatalogueItem(entry.item.strip()))
        broken = breaks_taboo(item_view(known).attributes, person_view(who).taboos)
        if not broken:
            return ""
        return _("This goes against {name}'s taboos: {tags} (their card says: {taboos})").format(
            name=who.name, tags="、".join(tag_label(t) for t in sorted(broken)), taboos=who.taboos.strip() or "—"
        )

    def record(self, entry: RegisterEntry) -> int:
        """Record a gift, meal, entertainment or trip; over the policy it needs `approved_by`."""
        check = self.check(entry)
        problems = validate_entry(entry, check, self.today())
        if problems:
            raise GiftError("\n".join(problems))
        if check.needs_approval and entry.approved_on is None:
            entry = replace(entry, approved_on=self.today())
        if entry.contact_id is not None and entry.account_id is None:
            entry = replace(entry, account_id=self._account_of(entry.contact_id))
        with self.db.write() as session:
            return store.save_entry(session, entry)

    def get(self, entry_id: int) -> RegisterEntry | None:
        with self.db.read() as session:
            return store.get_entry(session, entry_id)

    def delete(self, entry_id: int, version: int) -> None:
        with self.db.write() as session:
            store.delete_entry(session, entry_id, version)

    def _account_of(self, contact_id: int) -> int | None:
        with self.db.read() as session:
            return next((r.account_id for r in store.recipients(session, contact_id=contact_id)), None)

    def recipients(self) -> list[Recipient]:
        with self.db.read() as session:
            return store.recipients(session)

    # Planning ----------------------------------------------------------------------------------
    def festival_date(self, festival: str, year: int) -> FestivalPlanDates:
        from kamdesk.domain.chinese_calendar import festivals

        if festival not in dict(GIFT_FESTIVALS):
            raise GiftError(
                _("Gift plans are made for Mid-Autumn, Spring Festival or Dragon Boat, not {festival!r}.").format(
                    festival=festival
                )
            )
        found = next((f for f in festivals(year) if f.key == festival), None)
        if found is None:
            raise GiftError(_("Unknown festival."))
        return festival_dates(festival, found.date)

    def gift_book(self) -> tuple[list[Recipient], GiftBook]:
        """Everyone at classed accounts, and the catalogue, limits and past gifts, read in one go."""
        policy = self.policy()
        _matrix, budgets = self.tiers()
        with self.db.read() as session:
            people = store.recipients(session)
            book = GiftBook(store.catalogue(session), policy, store.gift_history(session), budgets.get(1, 0))
        return people, book

    def plan_festival_gifts(self, festival: str, year: int, budget_cents: int | None = None) -> ProposalPlan:
        """Gifts for a festival by class × rank, chosen for fit; within the budget when one is given."""
        if budget_cents is not None and budget_cents <= 0:
            raise GiftError(_("Set a budget above zero for this festival's gifts."))
        dates = self.festival_date(festival, year)
        if dates.festival_date < self.today():
            raise GiftError(
                _("{festival} {year} was on {date} and is past: plan for {next_year}.").format(
                    festival=_(dict(GIFT_FESTIVALS)[festival]),
                    year=year,
                    date=dates.festival_date.isoformat(),
                    next_year=year + 1,
                )
            )
        matrix, budgets = self.tiers()
        people, book = self.gift_book()
        people, paused = self._paused(people, self.today(), dates.festival_date)
        with self.db.read() as session:
            per_day = event_store.load_care_settings(session).visits_per_day  # the greetings' setting
        plan = plan_festival(
            festival,
            dates.festival_date,
            max(dates.deliver_by, self.today()),
            people,
            book,
            matrix.get(festival, {}),
            budgets,
            budget_cents,
            per_day,
            self.today(),
        )
        if dates.deliver_by < self.today():
            plan.notes.insert(
                1,
                _("The usual delivery date ({date}) has passed: the gifts are dated today.").format(
                    date=dates.deliver_by.isoformat()
                ),
            )
        return self._say_paused(plan, paused)

    def plan_everyday_gifts(self, start: dt.date, end: dt.date, per_year: int = 3) -> ProposalPlan:
        """Small gifts for ordinary staff on irregular workdays between start and end."""
        if end <= start:
            raise GiftError(_("The period for everyday gifts must end after it starts."))
        _matrix, budgets = self.tiers()
        people, book = self.gift_book()
        with self.db.read() as session:
            seed = int(hashlib.sha1((repo.file_id(session) or "").encode()).hexdigest()[:6], 16)
        return self._without_paused(
            plan_everyday(people, book, max(start, self.today()), end, budgets.get(1, 0), per_year, seed)
        )

    def plan_special_gifts(self) -> ProposalPlan:
        """Special gifts for senior or influential people where an item fits their tastes or hometown."""
        people, book = self.gift_book()
        people, paused = self._paused(people, self.today(), self.today() + dt.timedelta(days=14))
        return self._say_paused(plan_special(people, book, self.today() + dt.timedelta(days=14)), paused)

    def _paused(self, people: list[Recipient], start: dt.date, end: dt.date) -> tuple[list[Recipient], list[str]]:
        """The people without a sensitive event (illness, bereavement) open between start and end, and the
        names of those with one: business pauses for them (domain.md §11)."""
        with self.db.read() as session:
            events = {e.contact_id for e in event_store.events_between(session, start, end)}
        return [p for p in people if p.contact_id not in events], sorted(
            p.name for p in people if p.contact_id in events
        )

    def _say_paused(self, plan: ProposalPlan, names: list[str]) -> ProposalPlan:
        if names:
            plan.notes.append(
                _(
                    "Left out while a sensitive event is open for them (illness, bereavement): {names}. "
                    "The care plan proposes one caring contact instead."
                ).format(names="、".join(names))
            )
        return plan

    def _without_paused(self, plan: ProposalPlan) -> ProposalPlan:
        """Everyday gifts: leave out those dated while a sensitive event is open for the person (the plan has
        no totals to restate)."""
        dated = [p for p in plan.proposals if p.contact_id is not None]
        if not dated:
            return plan
        days = [p.date or self.today() for p in dated]
        with self.db.read() as session:
            events = event_store.events_between(session, min(days), max(days))
        if not events:
            return plan

        def paused(p: ProposalRecord) -> bool:
            when = p.date or self.today()
            return any(
                e.contact_id == p.contact_id and e.starts_on <= when and (e.ends_on is None or when <= e.ends_on)
                for e in events
            )

        left = sorted({p.contact for p in plan.proposals if paused(p)})
        plan.proposals = [p for p in plan.proposals if not paused(p)]
        return self._say_paused(plan, left)

    def confirm(self, proposals: list[ProposalRecord], occasion: str, key_prefix: str, approved_by: str = "") -> int:
        """Put the confirmed proposals in the register (planned) and on the owner's agenda; once only.

        The limits are checked here again, against the register as it is now: if any proposal is over the
        limit per item or takes a person over the limit for the year, nothing is written unless
        `approved_by` names who approved it (recorded on those entries)."""
        today = self.today()
        policy = self.policy()
        chosen = [p for p in proposals if p.item.strip() and p.contact_id is not None]
        running: dict[tuple[int, int], int] = {}
        over: list[str] = []
        entries, agenda = [], []
        with self.db.read() as session:
            for p in sorted(chosen, key=lambda r: (r.date or today, r.contact)):
                assert p.contact_id is not None
                when = max(p.date or today, today)
                key = (p.contact_id, when.year)
                if key not in running:
                    running[key] = store.person_year_total(session, p.contact_id, when.year, "given", None)
                check = check_policy(policy, p.cost_cents, running[key])
                running[key] += p.cost_cents
                if check.needs_approval:
                    over.append(f"{p.contact} ({p.item}, {p.cost_cents / 100:,.0f})")
                (key_text, entry), task = self._planned_entry(p, when, occasion, key_prefix)
                if check.needs_approval:
                    entry = replace(entry, approved_by=approved_by.strip()[:100], approved_on=today)
                entries.append((key_text, entry))
                agenda.append(task)
        if over and not approved_by.strip():
            raise GiftError(
                _("{count} of these gifts are over the team's limits ({people}). Name who approved them.").format(
                    count=len(over), people="; ".join(over[:5]) + ("…" if len(over) > 5 else "")
                )
            )
        with self.db.write() as session:
            added = store.insert_planned(session, entries)
            followup_store.insert_generated(session, agenda, self.db.user_name, self.db.host)
        return added

    @staticmethod
    def _planned_entry(
        p: ProposalRecord, when: dt.date, occasion: str, key_prefix: str
    ) -> tuple[tuple[str, RegisterEntry], dict[str, Any]]:
        kind = str(p.extra.get("gift_kind") or "holiday")
        delivery = str(p.extra.get("delivery") or "in_person")
        key = f"{key_prefix}:{p.contact_id}:{when.isoformat() if kind == 'everyday' else ''}"[:120]
        entry = RegisterEntry(
            kind=kind,
            item=p.item,
            value_cents=p.cost_cents,
            given_on=when,
            account_id=_int(p.extra.get("account_id")),
            contact_id=p.contact_id,
            member_id=_int(p.extra.get("member_id")),
            occasion=occasion,
            delivery=delivery,
            status="planned",
            notes=p.reason[:2000],
        )
        task = {
            "contact_id": p.contact_id,
            "account_id": entry.account_id,
            "member_id": entry.member_id,
            "kind": "visit" if delivery.startswith("in_person") else "greeting",
            "due_on": when,
            "reason": "gift",
            "reason_detail": occasion[:300],
            "subject": f"{occasion}: {p.item}"[:300],
            # A festival gift's delivery is the same agenda item as that person's merged festival greeting
            # ("a card with the gift"): one key, so confirming the greetings as well adds no second item.
            "generated_key": (f"festival:{key_prefix}:{p.contact_id}" if kind == "holiday" else f"gift:{key}")[:120],
        }
        return (key, entry), task

    def set_status(self, entry_id: int, version: int, status: str) -> None:
        """Mark a register entry planned, done, declined or returned (a declined or returned gift is never
        proposed to that person again, and does not count towards their year)."""
        if status not in dict(REGISTER_STATUSES):
            raise GiftError(_("Unknown status."))
        entry = self.get(entry_id)
        if entry is None:
            raise GiftError(_("This entry is no longer in the register."))
        with self.db.write() as session:
            store.save_entry(session, replace(entry, status=status, version=version))

    # Visits ------------------------------------------------------------------------------------
    def visits(self, start: dt.date, end: dt.date, member_id: int | None = None) -> list[Visit]:
        with self.db.read() as session:
            return store.visits(
                session,
                dt.datetime.combine(start, dt.time()),
                dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
                member_id,
            )

    def get_visit(self, visit_id: int) -> Visit | None:
        with self.db.read() as session:
            return store.get_visit(session, visit_id)

    def visit_warnings(self, visit: Visit) -> list[str]:
        """What the planner should know: the key person's tastes and taboos, high-spend caution."""
        notes = []
        stage = rank = role = None
        if visit.contact_id is not None:
            with self.db.read() as session:
                bits = store.contact_card_bits(session, visit.contact_id)
            if bits is not None:
                name, likes, taboos, stage, rank, role = bits
                if likes.strip():
                    notes.append(_("{name} likes: {likes}").format(name=name, likes=likes.strip()))
                if taboos.strip():
                    notes.append(_("{name} avoids: {taboos}").format(name=name, taboos=taboos.strip()))
        warning = high_spend_warning(visit, stage, rank, role)
        if warning:
            notes.append(warning)
        return notes

    def meal_guide(self, headcount: int, fine: bool = False) -> MealGuide:
        return meal_guide(headcount, fine)

    def save_visit(self, visit: Visit) -> int:
        now = clock.now()
        problems = validate_visit(visit, now if visit.id is None else dt.datetime.combine(self.today(), dt.time()))
        if problems:
            raise GiftError("\n".join(problems))
        with self.db.write() as session:
            visit_id = store.save_visit(session, visit)
            if visit.status == "planned":
                followup_store.insert_generated(
                    session,
                    [
                        {
                            "contact_id": visit.contact_id,
                            "account_id": visit.account_id,
                            "member_id": visit.member_id,
                            "kind": "meeting" if visit.kind == "meal" else "visit",
                            "due_on": visit.starts_at.date(),
                            "start_time": visit.starts_at.strftime("%H:%M"),
                            "reason": "visit",
                            "reason_detail": visit.purpose[:300],
                            "subject": (visit.purpose or visit.kind)[:300],
                            "location": visit.place[:300],
                            "generated_key": f"visit:{visit_id}",
                        }
                    ],
                    self.db.user_name,
                    self.db.host,
                )
        return visit_id

    def delete_visit(self, visit_id: int, version: int) -> None:
        with self.db.write() as session:
            store.delete_visit(session, visit_id, version)

    # Schedules ---------------------------------------------------------------------------------
    def gift_schedule(
        self, start: dt.date, end: dt.date, group_by: str = "account", occasion: str = ""
    ) -> GiftSchedule:
        if end < start:
            raise GiftError(_("The schedule ends before it starts."))
        with self.db.read() as session:
            rows = store.gift_schedule_rows(session, start, end, occasion)
            currency = repo.load_team_settings(session).currency
        title = _("Gift schedule") + (f" — {occasion}" if occasion else "")
        period = f"{start.isoformat()} – {end.isoformat()}"
        limit = self.policy().per_item_cents
        return GiftSchedule(title, period, group_by, rows, currency, self.today(), limit)

    def visit_schedule(self, start: dt.date, end: dt.date) -> VisitSchedule:
        if end < start:
            raise GiftError(_("The schedule ends before it starts."))
        with self.db.read() as session:
            rows = store.visit_schedule_rows(
                session,
                dt.datetime.combine(start, dt.time()),
                dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
            )
            currency = repo.load_team_settings(session).currency
        return VisitSchedule(
            _("Visit schedule"), f"{start.isoformat()} – {end.isoformat()}", rows, currency, self.today()
        )

    def labels(self, start: dt.date, end: dt.date) -> list[MailingLabel]:
        """One label per couriered gift in the range, for the person it goes to; a label with no address
        cannot be sent (print_labels lists those on a cover sheet)."""
        return shipping_labels(self.gift_schedule(start, end).rows)

    def sender_address(self) -> str:
        """The team's return address, printed as the sender on every label ("" when not set yet)."""
        with self.db.read() as session:
            return repo.load_team_settings(session).sender_address

    def print_gift_schedule(
        self,
        start: dt.date,
        end: dt.date,
        out: str | Path,
        group_by: str = "account",
        occasion: str = "",
        progress: Progress | None = None,
    ) -> None:
        from kamdesk.reports.gift_schedule import build

        schedule = self.gift_schedule(start, end, group_by, occasion)
        printing.write_safely(out, lambda path: build(schedule, path, progress))

    def print_pick_list(self, start: dt.date, end: dt.date, out: str | Path, progress: Progress | None = None) -> None:
        """What to buy for the planned gifts in the range: item × quantity × supplier, by order-by date."""
        from kamdesk.reports.pick_list import build

        schedule = self.gift_schedule(start, end)
        printing.write_safely(out, lambda path: build(schedule, path, progress))

    def print_visit_schedule(self, start: dt.date, end: dt.date, out: str | Path) -> None:
        from kamdesk.reports.visit_schedule import build

        build(self.visit_schedule(start, end), out)

    def print_labels(self, start: dt.date, end: dt.date, out: str | Path, progress: Progress | None = None) -> None:
        """Labels for the couriered gifts that have an address, after a cover sheet listing those without."""
        from kamdesk.reports.labels import build

        labels, sender = self.labels(start, end), self.sender_address()
        printing.write_safely(out, lambda path: build(labels, path, sender=sender, progress=progress))

    def export_gift_schedule_xlsx(
        self, start: dt.date, end: dt.date, out: str | Path, group_by: str = "account", occasion: str = ""
    ) -> None:
        from kamdesk.reports.schedules_xlsx import gift_schedule_xlsx

        gift_schedule_xlsx(self.gift_schedule(start, end, group_by, occasion), out)

    def export_visit_schedule_xlsx(self, start: dt.date, end: dt.date, out: str | Path) -> None:
        from kamdesk.reports.schedules_xlsx import visit_schedule_xlsx

        visit_schedule_xlsx(self.visit_schedule(start, end), out)


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int) else None
