"""Checking the zipper (domain.md §10, seed 003): rank-to-rank pairing, concentration, the sponsor's tie.

A sound zipper ties our general manager to theirs, our directors to their directors, our engineers to
their engineers. These checks read one account's people and ties and say where it falls short, each
finding with a concrete introduction to make.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from kamdesk.domain.enums import BuyingRole, RankTier, TeamRole
from kamdesk.domain.org_map import MapContact, MapLink, MapMember, OrgMapData
from kamdesk.domain.settings import (
    DEFAULT_ZIPPER_BOW_TIE_SHARE,
    DEFAULT_ZIPPER_WARN_SHARE,
    TeamSettings,
    zipper_threshold_problem,
)
from kamdesk.i18n import _, current_language

PROBLEM = "problem"
WARNING = "warning"

#: The kinds of finding, in the order they are listed (after severity).
KINDS = (
    "no_contacts",
    "no_ties",
    "bow_tie",
    "sponsor_no_tie",
    "unpaired_tier",
    "concentration",
    "their_single_point",
    "no_team",
    "thresholds",
)

#: Points per finding when accounts are ranked by how bad their zipper is.
SEVERITY_POINTS = {PROBLEM: 3, WARNING: 1}

#: The zipper matters most where the account matters most: an account's points count this many times.
CLASS_WEIGHTS = {"A": 3, "B": 2}

#: How many people a suggestion names before it says "and N more".
NAMED = 3

_RANKS = list(RankTier)


@dataclass(frozen=True)
class ZipperThresholds:
    """When one of ours holds too many of an account's ties: over `warn_share` a warning, at
    `bow_tie_share` a bow-tie. Shares are fractions (0.5 = 50%)."""

    warn_share: float = DEFAULT_ZIPPER_WARN_SHARE
    bow_tie_share: float = DEFAULT_ZIPPER_BOW_TIE_SHARE

    @property
    def problem(self) -> str:
        """Why these marks cannot be used ("" when they can)."""
        return zipper_threshold_problem(self.warn_share, self.bow_tie_share)

    @classmethod
    def of(cls, settings: TeamSettings) -> ZipperThresholds:
        return cls(settings.zipper_warn_share, settings.zipper_bow_tie_share)


@dataclass(frozen=True)
class ZipperFinding:
    """One weakness of an account's zipper, said plainly, with what to do about it."""

    kind: str  # one of KINDS
    severity: str  # "warning" | "problem"
    account_id: int
    message: str  # what is wrong, naming the people
    suggestion: str  # what to do: who to introduce to whom
    people: tuple[str, ...] = ()  # every name the finding mentions, theirs and ours
    contact_ids: tuple[int, ...] = ()  # their people concerned (for the map)
    member_ids: tuple[int, ...] = ()  # our people concerned
    tier: str = ""  # RankTier value, for "unpaired_tier"
    share: float | None = None  # the top holder's share of the ties, for "concentration" and "bow_tie"

    @property
    def points(self) -> int:
        return SEVERITY_POINTS.get(self.severity, 0)


#: 0 for owner/GM/VP down to 3 for clerks, keyed by the stored value (read for every person many times, so a
#: dict rather than the enum); people with no rank sort last.
_ORDER = {rank.value: index for index, rank in enumerate(_RANKS)}
_UNRANKED = len(_RANKS)


def _order(rank_tier: str | None) -> int:
    return _ORDER.get(rank_tier or "", _UNRANKED)


def _names(people: Sequence[str], total: int | None = None) -> str:
    """Up to NAMED names joined, then "and N more" (of `total` people, when only the first few were given)."""
    shown = ("、" if current_language().startswith("zh") else ", ").join(people[:NAMED])
    total = len(people) if total is None else total
    if total > NAMED:
        return _("{names} and {count} more").format(names=shown, count=total - NAMED)
    return shown


def _share(value: float) -> str:
    return f"{value:.0%}"


@dataclass
class _Account:
    """One account's people and ties, indexed for the checks."""

    data: OrgMapData
    bench: Sequence[MapMember]
    contacts: dict[int, MapContact] = field(init=False)
    members: dict[int, MapMember] = field(init=False)
    ties: list[MapLink] = field(init=False)
    ties_of_contact: dict[int, list[MapLink]] = field(init=False)
    ties_of_member: dict[int, list[MapLink]] = field(init=False)
    everyone: list[MapMember] = field(init=False)
    rank_of: dict[int, int] = field(init=False)
    by_seniority: list[MapMember] = field(init=False)

    def __post_init__(self) -> None:
        self.contacts = {c.id: c for c in self.data.theirs}
        self.members = {m.id: m for m in self.data.ours if m.active}
        # A colleague who has left takes their ties with them: they pair nobody any more.
        self.ties = [t for t in self.data.links if t.contact_id in self.contacts and t.member_id in self.members]
        self.ties_of_contact = {}
        self.ties_of_member = {}
        for tie in self.ties:
            self.ties_of_contact.setdefault(tie.contact_id, []).append(tie)
            self.ties_of_member.setdefault(tie.member_id, []).append(tie)
        # Everyone of ours who could be introduced: the account's people first, then other colleagues.
        seen = dict(self.members)
        for member in self.bench:
            if member.active and member.id not in seen:
                seen[member.id] = member
        self.everyone = list(seen.values())
        # Each of ours with their rank's order (lower is more senior); and everyone ordered from the most junior
        # rank up, then as `counterpart` prefers among equals. The dashboard checks every account (3,000 on the
        # large demo): a list and a keyed minimum for each question was most of its time.
        self.rank_of = {m.id: _order(m.rank_tier) for m in self.everyone}
        self.by_seniority = sorted(
            self.everyone,
            key=lambda m: (-self.rank_of[m.id], not m.on_team, len(self.ties_of_member.get(m.id, [])), m.name),
        )

    @property
    def id(self) -> int:
        return self.data.account_id

    def holders(self, contact: MapContact) -> list[MapMember]:
        """Our people tied to `contact`, the strongest tie first."""
        ties = sorted(self.ties_of_contact.get(contact.id, []), key=lambda t: -t.relationship_stage.order)
        return [self.members[t.member_id] for t in ties]

    def paired(self, contact: MapContact) -> bool:
        """Someone of ours at the contact's rank or above holds a tie to them."""
        mark = _order(contact.rank_tier)
        return any(self.rank_of[t.member_id] <= mark for t in self.ties_of_contact.get(contact.id, []))

    def counterpart(self, contact: MapContact, exclude: Iterable[int] = ()) -> MapMember | None:
        """Who of ours should meet `contact`: their rank, else the nearest rank above; on the account's
        team first, then whoever holds fewest of its ties (spreading the load), then by name."""
        skip = set(exclude)
        limit = min(_order(contact.rank_tier), _UNRANKED - 1)
        # Walking up from the most junior, the first one at or above their rank holds the nearest such rank, and
        # within a rank `by_seniority` is already in this choice's order: the first one allowed is the one.
        for member in self.by_seniority:
            if self.rank_of[member.id] <= limit and member.id not in skip:
                return member
        return None

    def most_senior(self, people: Iterable[MapContact]) -> list[MapContact]:
        """Their people, most senior first: rank, then decision makers, then those we can be introduced to."""
        return sorted(
            people,
            key=lambda c: (
                _order(c.rank_tier),
                c.buying_role != BuyingRole.DECISION_MAKER.value,
                not self.ties_of_contact.get(c.id),
                c.name,
                c.id,
            ),
        )


def _introduction(ours: MapMember, theirs: MapContact, bridge: MapMember | None) -> str:
    if bridge is not None and bridge.id != ours.id:
        return _("Introduce {ours} to {theirs}; {bridge} knows them and can make the introduction.").format(
            ours=ours.name, theirs=theirs.name, bridge=bridge.name
        )
    return _("Introduce {ours} to {theirs}.").format(ours=ours.name, theirs=theirs.name)


def _introductions(
    account: _Account, people: Sequence[MapContact], exclude: Iterable[int] = ()
) -> tuple[list[str], list[MapMember]]:
    """One introduction per person (the first few), and the colleagues named in them."""
    sentences: list[str] = []
    named: list[MapMember] = []
    skip = tuple(exclude)
    for contact in people[:NAMED]:
        ours = account.counterpart(contact, skip)
        if ours is None:
            continue
        holders = [m for m in account.holders(contact) if m.id != ours.id]
        bridge = holders[0] if holders else None
        sentences.append(_introduction(ours, contact, bridge))
        named += [ours] + ([bridge] if bridge is not None else [])
    return sentences, named


# The checks ------------------------------------------------------------------------------------


def _empty_findings(account: _Account) -> list[ZipperFinding]:
    """No contacts, or nobody of ours tied to any of them: nothing else can be checked."""
    if not account.contacts:
        return [
            ZipperFinding(
                "no_contacts",
                PROBLEM,
                account.id,
                _("No contacts are recorded at {account}, so there is no zipper to check.").format(
                    account=account.data.account_name
                ),
                _("Record the people you deal with there: their boss, directors, engineers and buyers."),
            )
        ]
    if account.ties:
        return []
    first = account.most_senior(account.contacts.values())[0]
    ours = account.counterpart(first)
    suggestion = (
        _introduction(ours, first, None)
        if ours is not None
        else _("Link their people to whoever of ours deals with them, on the org map.")
    )
    names = [first.name] + ([ours.name] if ours else [])
    return [
        ZipperFinding(
            "no_ties",
            PROBLEM,
            account.id,
            _("Nobody of ours is tied to any of the {count} people recorded at {account}.").format(
                count=len(account.contacts), account=account.data.account_name
            ),
            suggestion,
            tuple(names),
            (first.id,),
            (ours.id,) if ours else (),
        )
    ]


def _tier_finding(account: _Account, tier: RankTier, people: list[MapContact]) -> ZipperFinding | None:
    unpaired = account.most_senior(c for c in people if not account.paired(c))
    if not unpaired:
        return None
    described = []
    for contact in unpaired[:NAMED]:  # only the first few are named
        holders = account.holders(contact)
        if holders:
            described.append(
                _("{name} (only {holders})").format(name=contact.name, holders=_names([m.name for m in holders]))
            )
        else:
            described.append(_("{name} (no tie)").format(name=contact.name))
    if len(unpaired) == len(people):
        message = _("None of their {tier} people is tied to someone of ours at that rank or above: {people}.")
    else:
        message = _("Their {tier} people without a tie at their rank or above ({count} of {total}): {people}.")
    message = message.format(
        tier=tier.label, people=_names(described, len(unpaired)), count=len(unpaired), total=len(people)
    )
    sentences, named = _introductions(account, unpaired)
    if not sentences:
        sentences = [
            _("Nobody on our side is at {tier} rank or above: ask our management to meet {people}.").format(
                tier=tier.label, people=_names([c.name for c in unpaired])
            )
        ]
    # The top of their organisation left unpaired is a problem; lower ranks, or a tier half paired, a warning.
    top = tier in (RankTier.OWNER, RankTier.MANAGER)
    severity = PROBLEM if top and len(unpaired) == len(people) else WARNING
    return ZipperFinding(
        "unpaired_tier",
        severity,
        account.id,
        message,
        " ".join(sentences),
        tuple(dict.fromkeys([c.name for c in unpaired] + [m.name for m in named])),
        tuple(c.id for c in unpaired),
        tuple(dict.fromkeys(m.id for m in named)),
        tier=tier.value,
    )


def _pairing_findings(account: _Account) -> list[ZipperFinding]:
    findings = []
    by_tier: dict[str | None, list[MapContact]] = {}
    for contact in account.contacts.values():
        by_tier.setdefault(contact.rank_tier, []).append(contact)
    for tier in RankTier:
        people = by_tier.get(tier.value, [])
        finding = _tier_finding(account, tier, people) if people else None
        if finding is not None:
            findings.append(finding)
    return findings


def _concentration_findings(account: _Account, thresholds: ZipperThresholds) -> list[ZipperFinding]:
    total = len(account.ties)
    if not total:
        return []
    top = min(
        account.ties_of_member,
        key=lambda i: (-len(account.ties_of_member[i]), _order(account.members[i].rank_tier), account.members[i].name),
    )
    holder = account.members[top]
    held = len(account.ties_of_member[top])
    share = held / total
    if share >= thresholds.bow_tie_share:
        kind, severity = "bow_tie", PROBLEM
    elif share > thresholds.warn_share:
        kind, severity = "concentration", WARNING
    else:
        return []
    message = _concentration_message(account, kind, holder, held, share, thresholds)
    # The people only the holder knows are the ones we lose with them: introduce others to those first.
    sole = account.most_senior(
        account.contacts[c] for c, ties in account.ties_of_contact.items() if {t.member_id for t in ties} == {top}
    )
    pairs = [(account.counterpart(c, (top,)), c) for c in sole[:NAMED]]
    named = [ours for ours, _contact in pairs if ours is not None]
    introductions = [
        _("{ours} to {theirs}").format(ours=ours.name, theirs=contact.name) for ours, contact in pairs if ours
    ]
    if introductions:
        suggestion = _("Ask {name} to introduce colleagues to the people only {name} knows: {pairs}.").format(
            name=holder.name, pairs=_names(introductions)
        )
    else:
        suggestion = _(
            "Let colleagues on the account team deepen their own ties, so {name} is not the only way in."
        ).format(name=holder.name)
    return [
        ZipperFinding(
            kind,
            severity,
            account.id,
            message,
            suggestion,
            tuple(dict.fromkeys([holder.name] + [c.name for c in sole[:NAMED]] + [m.name for m in named])),
            tuple(c.id for c in sole),
            tuple(dict.fromkeys([top] + [m.id for m in named])),
            share=share,
        )
    ]


def _concentration_message(
    account: _Account, kind: str, holder: MapMember, held: int, share: float, thresholds: ZipperThresholds
) -> str:
    total = len(account.ties)
    if kind == "bow_tie" and total == 1:
        contact = account.contacts[account.ties[0].contact_id]
        return _(
            "Our only tie to this customer is {ours} with {theirs}: a bow-tie. If either moves on, the "
            "relationship goes with them."
        ).format(ours=holder.name, theirs=contact.name)
    if kind == "bow_tie" and held == total:
        return _(
            "All {count} ties to this customer run through {name}: a bow-tie. If {name} leaves or falls ill, "
            "nobody else here knows their people."
        ).format(count=total, name=holder.name)
    if kind == "bow_tie":
        return _(
            "{name} holds {share} of the ties to this customer ({held} of {count}), at or above the bow-tie "
            "mark of {mark}."
        ).format(name=holder.name, share=_share(share), held=held, count=total, mark=_share(thresholds.bow_tie_share))
    return _(
        "{name} holds {share} of the ties to this customer ({held} of {count}), over the warning mark of {mark}."
    ).format(name=holder.name, share=_share(share), held=held, count=total, mark=_share(thresholds.warn_share))


def _sponsor_findings(account: _Account) -> list[ZipperFinding]:
    findings = []
    sponsors = [m for m in account.members.values() if m.holds(TeamRole.EXECUTIVE_SPONSOR.value)]
    for sponsor in sorted(sponsors, key=lambda m: m.name):
        if account.ties_of_member.get(sponsor.id):
            continue
        target = account.most_senior(account.contacts.values())[0]
        holders = account.holders(target)
        bridge = holders[0] if holders else None
        rank = target.rank.label if target.rank else _("rank not recorded")
        if bridge is not None:
            suggestion = _(
                "Arrange for {sponsor} to meet {theirs} ({rank}); {bridge} knows them and can make the introduction."
            ).format(sponsor=sponsor.name, theirs=target.name, rank=rank, bridge=bridge.name)
        else:
            suggestion = _("Arrange for {sponsor} to meet {theirs} ({rank}).").format(
                sponsor=sponsor.name, theirs=target.name, rank=rank
            )
        findings.append(
            ZipperFinding(
                "sponsor_no_tie",
                PROBLEM,
                account.id,
                _("{name} is this account's executive sponsor but has no tie to anyone at the customer.").format(
                    name=sponsor.name
                ),
                suggestion,
                tuple(dict.fromkeys([sponsor.name, target.name] + ([bridge.name] if bridge else []))),
                (target.id,),
                (sponsor.id,) + ((bridge.id,) if bridge else ()),
            )
        )
    return findings


def _their_single_point(account: _Account) -> list[ZipperFinding]:
    """Every tie ends at one of their people (while we know of others there)."""
    tied = list(account.ties_of_contact)
    if len(tied) != 1 or len(account.ties) < 2 or len(account.contacts) < 2:
        return []
    only = account.contacts[tied[0]]
    others = account.most_senior(c for c in account.contacts.values() if c.id != only.id)
    target = others[0]
    ours = account.counterpart(target)
    if ours is not None:
        suggestion = _("Ask {only} to introduce {ours} to their colleague {theirs}.").format(
            only=only.name, ours=ours.name, theirs=target.name
        )
    else:
        suggestion = _("Ask {only} to introduce us to their colleague {theirs}.").format(
            only=only.name, theirs=target.name
        )
    return [
        ZipperFinding(
            "their_single_point",
            WARNING,
            account.id,
            _(
                "Every tie to this customer runs to {name} on their side; if {name} moves on, we lose our way in."
            ).format(name=only.name),
            suggestion,
            tuple(dict.fromkeys([only.name, target.name] + ([ours.name] if ours else []))),
            (only.id, target.id),
            (ours.id,) if ours else (),
        )
    ]


def _team_findings(account: _Account) -> list[ZipperFinding]:
    if any(m.on_team for m in account.data.ours if m.active):
        return []
    return [
        ZipperFinding(
            "no_team",
            WARNING,
            account.id,
            _("Nobody of ours is on the account team of {account}.").format(account=account.data.account_name),
            _("Name an account manager for it in Accounts, and for a key account an executive sponsor."),
        )
    ]


def check_zipper(
    data: OrgMapData,
    thresholds: ZipperThresholds | None = None,
    bench: Sequence[MapMember] = (),
    reduced: bool = False,
) -> list[ZipperFinding]:
    """Everything weak in one account's zipper, problems first.

    `data` holds their people (rank, buying role), ours on the account (rank, team roles, whether still
    with us) and the ties between; `bench` is every other colleague who could be introduced. `reduced`: the
    account's strategy is to reduce it (see `for_reduced_account`). Raises ValueError with a readable message
    when `thresholds` are out of order.
    """
    marks = thresholds or ZipperThresholds()
    if marks.problem:
        raise ValueError(marks.problem)
    account = _Account(data, bench)
    findings = _team_findings(account) + _empty_findings(account)
    if account.ties:
        findings += (
            _concentration_findings(account, marks)
            + _sponsor_findings(account)
            + _pairing_findings(account)
            + _their_single_point(account)
        )
    return sort_findings(for_reduced_account(findings) if reduced else findings)


#: Findings that ask for more ties: introductions at their rank, the sponsor's meeting, more of their people.
INVESTING_KINDS = ("sponsor_no_tie", "unpaired_tier", "their_single_point")


def for_reduced_account(findings: Iterable[ZipperFinding]) -> list[ZipperFinding]:
    """The zipper is how key accounts are held (seed 003); an account whose strategy is to reduce it (seed 000: C
    prepared for dropping, D dropped; cut time) is not worth new ties. No introductions are asked for there; what
    stays is the risk that one person holds everything, as a warning with a handover in place of introductions."""
    kept = []
    for finding in findings:
        if finding.kind in INVESTING_KINDS:
            continue
        if finding.kind in ("bow_tie", "concentration"):
            holder = finding.people[0] if finding.people else ""
            finding = replace(
                finding,
                severity=WARNING,
                suggestion=_(
                    "The strategy is to reduce this account, so it needs no new ties; just keep {name}'s contacts "
                    "and open orders on file, so a colleague can take over."
                ).format(name=holder),
            )
        kept.append(finding)
    return kept


def sort_findings(findings: Iterable[ZipperFinding]) -> list[ZipperFinding]:
    """Problems before warnings, then by kind in the order of KINDS (their order is kept otherwise)."""
    order = {kind: index for index, kind in enumerate(KINDS)}
    return sorted(findings, key=lambda f: (-f.points, order.get(f.kind, len(KINDS))))


def zipper_points(findings: Iterable[ZipperFinding], account_class: str | None = None) -> int:
    """How bad a zipper is, for ranking accounts: 3 per problem, 1 per warning; counted three times in a
    class A account and twice in a class B one (a bow-tie at an account we are cutting back is no news)."""
    return sum(f.points for f in findings) * CLASS_WEIGHTS.get(account_class or "", 1)
