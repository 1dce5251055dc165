"""The "zipper" between our people and theirs (domain.md §7, §10): targets, gaps, coverage, bow-ties."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kamdesk.domain.enums import AccountClass, BuyingRole, RankTier, RelationshipStage
from kamdesk.domain.settings import TeamSettings
from kamdesk.i18n import _

#: Buying roles whose holders must each have a counterpart on our side.
KEY_ROLES = frozenset(
    {BuyingRole.DECISION_MAKER, BuyingRole.USER, BuyingRole.ADVISOR, BuyingRole.GATEKEEPER, BuyingRole.SUPPORTER}
)


def _member(kind: type, value: object) -> object:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def band_of(person: MapContact | MapMember) -> str:
    """The rank band a person sits in: their RankTier value, or "" when the rank is unset or unknown."""
    rank = person.rank
    return rank.value if rank is not None else ""


def target_stage(
    settings: TeamSettings, account_class: AccountClass | None, rank: RankTier | None
) -> RelationshipStage | None:
    """The stage the team should reach with a person: from the account's class and their rank.

    None when either is unknown: an unclassed account or a contact with no rank has no target.
    """
    if account_class is None or rank is None:
        return None
    return settings.target_stage(account_class, rank)


def stage_gap(current: RelationshipStage | None, target: RelationshipStage | None) -> int | None:
    """How many stages short of target (positive), at target (0) or beyond it (negative); None: no target."""
    if target is None:
        return None
    return target.order - (current or RelationshipStage.STRANGER).order


def link_status(stage: RelationshipStage, target: RelationshipStage | None) -> str:
    """ "above", "at", "below" the target, or "none" when the person has no target."""
    gap = stage_gap(stage, target)
    if gap is None:
        return "none"
    return "below" if gap > 0 else ("at" if gap == 0 else "above")


@dataclass(frozen=True)
class MapContact:
    """One of their people on the map."""

    id: int
    name: str
    title: str = ""
    rank_tier: str | None = None
    buying_role: str | None = None
    reports_to_id: int | None = None
    stage: str = "stranger"  # the company-level stage kept on the contact

    @property
    def rank(self) -> RankTier | None:
        return _member(RankTier, self.rank_tier)  # type: ignore[return-value]

    @property
    def role(self) -> BuyingRole | None:
        return _member(BuyingRole, self.buying_role)  # type: ignore[return-value]

    @property
    def is_key(self) -> bool:
        """Key people: decision makers, influencers and supporters (domain.md §6)."""
        return self.role in KEY_ROLES


@dataclass(frozen=True)
class MapMember:
    """One of our people on the map."""

    id: int
    name: str
    title: str = ""
    rank_tier: str | None = None
    role: str | None = None  # TeamRole on this account, when they are on its team
    roles: tuple[str, ...] = ()  # every TeamRole they hold on this account (when known; else just `role`)
    active: bool = True  # False once they have left the company: their ties no longer hold

    @property
    def rank(self) -> RankTier | None:
        return _member(RankTier, self.rank_tier)  # type: ignore[return-value]

    def holds(self, role: str) -> bool:
        """Whether they hold `role` (a TeamRole value) on this account."""
        return role == self.role or role in self.roles

    @property
    def on_team(self) -> bool:
        return bool(self.role or self.roles)


@dataclass(frozen=True)
class MapLink:
    """A person-to-person tie: one of ours, one of theirs, and the stage between them."""

    member_id: int
    contact_id: int
    stage: str = "acquainted"
    id: int | None = None

    @property
    def relationship_stage(self) -> RelationshipStage:
        return _member(RelationshipStage, self.stage) or RelationshipStage.STRANGER  # type: ignore[return-value]


@dataclass(frozen=True)
class OrgMapData:
    account_id: int
    account_name: str
    account_class: AccountClass | None
    theirs: tuple[MapContact, ...]
    ours: tuple[MapMember, ...]
    links: tuple[MapLink, ...]


@dataclass(frozen=True)
class BowTie:
    """Every tie to the account passes one person: one of ours, one of theirs, or one pair ("both")."""

    side: str  # "ours", "theirs" or "both"
    our_name: str = ""
    their_name: str = ""

    @property
    def explanation(self) -> str:
        if self.side == "both":
            return _(
                "The only tie to this customer is between {ours} and {theirs}. If either moves on, the "
                "relationship goes with them: bring in more people on both sides."
            ).format(ours=self.our_name, theirs=self.their_name)
        if self.side == "ours":
            return _(
                "Every tie to this customer runs through {name}. If {name} leaves or falls ill, nobody else "
                "here knows their people: introduce colleagues to them."
            ).format(name=self.our_name)
        return _(
            "Every tie to this customer runs through {name} on their side. If {name} moves on, we lose our "
            "way in: build relationships with other people there."
        ).format(name=self.their_name)


@dataclass(frozen=True)
class TierCoverage:
    rank_tier: str  # RankTier value, or "" for key people without a rank
    key_people: int
    covered: int

    @property
    def share(self) -> float | None:
        return 100.0 * self.covered / self.key_people if self.key_people else None


@dataclass(frozen=True)
class MapAnalysis:
    """What the map shows beyond the people: link colours, gaps, weak points and coverage."""

    targets: Mapping[int, RelationshipStage | None]  # contact id → target stage
    link_status: Mapping[tuple[int, int], str]  # (member id, contact id) → above / at / below / none
    uncovered_key_people: tuple[int, ...]  # key contacts with no counterpart at all
    links_below_target: tuple[tuple[int, int], ...]
    single_points: tuple[tuple[str, int], ...]  # ("ours"|"theirs", id): a person all ties of the account pass
    bow_tie: BowTie | None
    coverage: tuple[TierCoverage, ...] = field(default=())

    @property
    def coverage_share(self) -> float | None:
        """Share of their key people paired with someone of ours at or above target, in percent."""
        people = sum(c.key_people for c in self.coverage)
        return 100.0 * sum(c.covered for c in self.coverage) / people if people else None


def analyse_map(data: OrgMapData, settings: TeamSettings) -> MapAnalysis:
    """Work out targets, link colours, uncovered key people, single points of failure and coverage."""
    targets = {c.id: target_stage(settings, data.account_class, c.rank) for c in data.theirs}
    contacts = {c.id: c for c in data.theirs}
    members = {m.id: m for m in data.ours}
    links = [link for link in data.links if link.contact_id in contacts and link.member_id in members]
    status = {
        (link.member_id, link.contact_id): link_status(link.relationship_stage, targets[link.contact_id])
        for link in links
    }
    linked_contacts = {link.contact_id for link in links}
    uncovered = tuple(c.id for c in data.theirs if c.is_key and c.id not in linked_contacts)
    below = tuple(key for key, value in status.items() if value == "below")
    bow_tie, single_points = _weak_points(links, contacts, members)
    coverage = _coverage(data.theirs, links, targets)
    return MapAnalysis(targets, status, uncovered, below, single_points, bow_tie, coverage)


def _weak_points(
    links: list[MapLink], contacts: Mapping[int, MapContact], members: Mapping[int, MapMember]
) -> tuple[BowTie | None, tuple[tuple[str, int], ...]]:
    """Single points of failure: one person on a side that every tie of the account passes."""
    our_side = {link.member_id for link in links}
    their_side = {link.contact_id for link in links}
    points: list[tuple[str, int]] = []
    if len(our_side) == 1:
        points.append(("ours", next(iter(our_side))))
    if len(their_side) == 1:
        points.append(("theirs", next(iter(their_side))))
    if not points:
        return None, ()
    sides = {side for side, _id in points}
    side = "both" if len(sides) == 2 else next(iter(sides))
    ours = members[next(iter(our_side))].name if len(our_side) == 1 else ""
    theirs = contacts[next(iter(their_side))].name if len(their_side) == 1 else ""
    return BowTie(side, ours, theirs), tuple(points)


def _coverage(
    theirs: tuple[MapContact, ...], links: list[MapLink], targets: Mapping[int, RelationshipStage | None]
) -> tuple[TierCoverage, ...]:
    best: dict[int, RelationshipStage] = {}
    for link in links:
        stage = link.relationship_stage
        if link.contact_id not in best or stage.order > best[link.contact_id].order:
            best[link.contact_id] = stage
    tiers = [r.value for r in RankTier] + [""]
    rows = []
    for tier in tiers:
        people = [c for c in theirs if c.is_key and band_of(c) == tier]
        if not people:
            continue
        covered = sum(
            1 for c in people if c.id in best and link_status(best[c.id], targets.get(c.id)) in ("at", "above", "none")
        )
        rows.append(TierCoverage(tier, len(people), covered))
    return tuple(rows)


# Layout ------------------------------------------------------------------------------------------
#: Rank bands from the top of the map down; people with no rank go in the last band.
BAND_ORDER: tuple[str, ...] = tuple(r.value for r in RankTier) + ("",)


@dataclass(frozen=True)
class Band:
    rank_tier: str  # RankTier value, "" for people with no rank
    top: int  # first row of the band
    rows: int


@dataclass(frozen=True)
class OrgLayout:
    """Grid cells for every person: (side, id) → (column, row). Columns grow outward from the zipper
    in the middle: their columns are negative (-1, -2, …), ours positive (1, 2, …)."""

    cells: Mapping[tuple[str, int], tuple[int, int]]
    bands: tuple[Band, ...]
    columns_theirs: int
    columns_ours: int
    rows: int


def _ordered_theirs(people: list[MapContact]) -> list[MapContact]:
    """Within a band, colleagues who share a boss sit together, in the order of their bosses."""
    ids = {p.id for p in people}
    return sorted(people, key=lambda p: (p.reports_to_id if p.reports_to_id in ids else -1, p.reports_to_id or 0, p.id))


def layout_org_map(data: OrgMapData, max_rows: int = 6) -> OrgLayout:
    """Place their people left and ours right of the zipper, by rank band, at most `max_rows` per column."""
    cells: dict[tuple[str, int], tuple[int, int]] = {}
    bands: list[Band] = []
    top = 0
    widest = {"theirs": 0, "ours": 0}
    their_bands: dict[str, list[MapContact]] = {}
    our_bands: dict[str, list[MapMember]] = {}
    for contact in data.theirs:
        their_bands.setdefault(band_of(contact), []).append(contact)
    for member in data.ours:
        our_bands.setdefault(band_of(member), []).append(member)
    for tier in BAND_ORDER:
        theirs = _ordered_theirs(their_bands.get(tier, []))
        ours = our_bands.get(tier, [])
        if not theirs and not ours:
            continue
        rows = min(max_rows, max(len(theirs), len(ours), 1))
        for side, ids, sign in (("theirs", [c.id for c in theirs], -1), ("ours", [m.id for m in ours], 1)):
            for index, person_id in enumerate(ids):
                column = index // rows + 1
                cells[(side, person_id)] = (sign * column, top + index % rows)
                widest[side] = max(widest[side], column)
        bands.append(Band(tier, top, rows))
        top += rows
    return OrgLayout(cells, tuple(bands), widest["theirs"], widest["ours"], top)
