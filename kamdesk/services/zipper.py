"""Zipper checks as use cases: the findings of one account, and the accounts whose zipper is worst."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.org_map import MapMember, OrgMapData
from kamdesk.domain.zipper_checks import (
    WARNING,
    ZipperFinding,
    ZipperThresholds,
    check_zipper,
    zipper_points,
)
from kamdesk.gui_turns import pause_point
from kamdesk.i18n import _
from kamdesk.storage import repositories as repo
from kamdesk.storage import zipper as store
from kamdesk.storage.database import Database

_CLASS_ORDER = {c.value: i for i, c in enumerate(AccountClass)}


class AccountZipper(NamedTuple):
    """One account and what is weak in its zipper (for the dashboard's list)."""

    account_id: int
    name: str
    account_class: str | None
    findings: list[ZipperFinding]

    @property
    def points(self) -> int:
        return zipper_points(self.findings, self.account_class)


def usable_thresholds(
    warn_share: object, bow_tie_share: object, account_id: int = 0
) -> tuple[ZipperThresholds, list[ZipperFinding]]:
    """The team's marks, or the defaults with a finding that says why the team's could not be used."""
    marks = ZipperThresholds(warn_share, bow_tie_share)  # type: ignore[arg-type]
    if not marks.problem:
        return marks, []
    default = ZipperThresholds()
    note = ZipperFinding(
        "thresholds",
        WARNING,
        account_id,
        marks.problem,
        _("Correct the marks in Team settings; until then the defaults are used ({warn} and {bow_tie}).").format(
            warn=f"{default.warn_share:.0%}", bow_tie=f"{default.bow_tie_share:.0%}"
        ),
    )
    return default, [note]


@dataclass
class ZipperService:
    db: Database

    def findings(self, account_id: int, reduced: bool = False) -> list[ZipperFinding]:
        """What is weak in one account's zipper, problems first (empty for an account that does not exist);
        `reduced`: its strategy is to reduce it, so no new ties are asked for (zipper_checks.for_reduced_account)."""
        with self.db.read() as session:
            maps = store.zipper_maps(session, [account_id])
            bench = store.all_members(session)
            settings = repo.load_team_settings(session)
        if not maps:
            return []
        return self._check(maps[0], bench, settings.zipper_warn_share, settings.zipper_bow_tie_share, reduced)

    def findings_of(self, data: OrgMapData) -> list[ZipperFinding]:
        """The findings for a map already read (the org map page has one in hand)."""
        with self.db.read() as session:
            bench = store.all_members(session)
            settings = repo.load_team_settings(session)
        return self._check(data, bench, settings.zipper_warn_share, settings.zipper_bow_tie_share)

    def all_accounts(self) -> list[AccountZipper]:
        """Every account with its findings, read in one set of queries."""
        with self.db.read() as session:
            maps = store.zipper_maps(session)
            bench = store.all_members(session)
            settings = repo.load_team_settings(session)
        warn, bow_tie = settings.zipper_warn_share, settings.zipper_bow_tie_share
        found = []
        for m in maps:
            pause_point()  # 3,100 accounts' checks: the GUI thread goes first while it is busy
            found.append(
                AccountZipper(
                    m.account_id,
                    m.account_name,
                    m.account_class.value if m.account_class else None,
                    self._check(m, bench, warn, bow_tie),
                )
            )
        return found

    def worst_accounts(self, limit: int = 10) -> list[AccountZipper]:
        """The accounts whose zipper is weakest: most points first (3 per problem, 1 per warning, counted
        three times in class A and twice in class B), then the higher class, then by name. Accounts with no contacts recorded are left out: they have no zipper
        yet, and the list is for mending the ones that exist."""
        ranked = [
            a for a in self.all_accounts() if a.points > 0 and not any(f.kind == "no_contacts" for f in a.findings)
        ]
        ranked.sort(key=lambda a: (-a.points, _CLASS_ORDER.get(a.account_class or "", 9), a.name))
        return ranked[: max(0, limit)]

    @staticmethod
    def _check(
        data: OrgMapData, bench: list[MapMember], warn: object, bow_tie: object, reduced: bool = False
    ) -> list[ZipperFinding]:
        marks, notes = usable_thresholds(warn, bow_tie, data.account_id)
        return notes + check_zipper(data, marks, bench, reduced)
