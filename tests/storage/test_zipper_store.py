"""The zipper checks read from a real team file: the demo's class A accounts, and the dashboard's worst list."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from kamdesk.domain.zipper_checks import KINDS
from kamdesk.services.demo import load_demo
from kamdesk.services.zipper import ZipperService
from kamdesk.storage.opening import open_database

TODAY = dt.date(2026, 11, 16)
RANK = {"owner": 0, "manager": 1, "staff": 2, "clerk": 3}


class _Files:
    """The file and its zipper service, as the workspace hands it out (workspace.zipper)."""

    def __init__(self, path: Path) -> None:
        self.db = open_database(path, "测试")
        self.zipper = ZipperService(self.db)


@pytest.fixture
def demo(tmp_path: Path, fixed_clock) -> Iterator[tuple[Path, _Files]]:  # noqa: ANN001 - fixture
    fixed_clock.fix(TODAY)
    path = tmp_path / "demo.kamdesk"
    load_demo(path, "small", today=TODAY)
    ws = _Files(path)
    yield path, ws
    ws.db.dispose()


def owners_paired_only_below(path: Path) -> tuple[int, int, set[int]]:
    """Straight from the tables: owner-level people in class A accounts tied to any active colleague, and
    those of them whose every tie is to a colleague below owner rank."""
    with sqlite3.connect(path) as con:
        rows = con.execute(
            """
            select c.id, m.rank_tier from contacts c
            join accounts a on a.id = c.account_id
            join links l on l.contact_id = c.id
            join team_members m on m.id = l.member_id and m.active
            where coalesce(a.pinned_class, a.computed_class) = 'A' and c.rank_tier = 'owner'
            """
        ).fetchall()
    ranks: dict[int, list[int]] = {}
    for contact_id, rank in rows:
        ranks.setdefault(contact_id, []).append(RANK.get(rank or "", 9))
    below = {c for c, seen in ranks.items() if min(seen) > 0}
    return len(ranks), len(below), below


def test_the_demo_class_a_zipper_findings_come_from_the_data(demo) -> None:  # noqa: ANN001 - fixture
    path, ws = demo
    accounts = [a for a in ws.zipper.all_accounts() if a.account_class == "A"]
    assert len(accounts) == 12
    per_kind = Counter(kind for a in accounts for kind in {f.kind for f in a.findings})
    print("\nclass A accounts with each finding:", {k: per_kind[k] for k in KINDS if per_kind[k]})
    # Owner tier: the people the checks call unpaired (and who have some tie) are exactly those the tables
    # show tied only below owner rank.
    tied, only_below, expected = owners_paired_only_below(path)
    flagged = {
        contact_id
        for a in accounts
        for f in a.findings
        if f.kind == "unpaired_tier" and f.tier == "owner"
        for contact_id in f.contact_ids
    }
    with sqlite3.connect(path) as con:
        tied_ids = {row[0] for row in con.execute("select distinct contact_id from links")}
    assert flagged & tied_ids == expected
    print(f"owner-level people in A accounts with a tie: {tied}; tied only to our lower ranks: {only_below}")
    assert only_below >= 1
    # The demo's A accounts all have a sponsor on the team; where the sponsor knows nobody, it is flagged.
    with sqlite3.connect(path) as con:
        silent_sponsors = con.execute(
            """
            select count(*) from account_team t join accounts a on a.id = t.account_id
            where t.role = 'executive_sponsor' and coalesce(a.pinned_class, a.computed_class) = 'A'
            and not exists (select 1 from links l join contacts c on c.id = l.contact_id
                            where l.member_id = t.member_id and c.account_id = a.id)
            """
        ).fetchone()[0]
    assert per_kind["sponsor_no_tie"] == silent_sponsors
    for a in accounts:
        top = next((f for f in a.findings if f.kind in ("concentration", "bow_tie")), None)
        with sqlite3.connect(path) as con:
            counts = [
                n
                for (n,) in con.execute(
                    "select count(*) from links l join contacts c on c.id = l.contact_id "
                    "where c.account_id = ? group by l.member_id",
                    (a.account_id,),
                )
            ]
        share = max(counts) / sum(counts)
        assert (top is not None) == (share > 0.5), (a.name, share)
        if top is not None:
            assert top.share == pytest.approx(share)


def test_the_worst_zippers_are_read_in_a_fixed_number_of_queries(demo) -> None:  # noqa: ANN001 - fixture
    _path, ws = demo
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001 - SQLAlchemy event signature
        statements.append(statement)

    event.listen(ws.db.engine, "before_cursor_execute", count)
    try:
        worst = ws.zipper.worst_accounts(limit=5)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 8, selects  # accounts, contacts, links, team, members (twice at most), settings
    assert len(worst) == 5
    points = [a.points for a in worst]
    assert points == sorted(points, reverse=True)
    assert all(a.findings for a in worst)
    # The key accounts whose sponsor knows nobody there lead the list.
    assert worst[0].account_class == "A" and any(f.kind == "sponsor_no_tie" for f in worst[0].findings)


def test_one_accounts_findings_match_the_all_accounts_read(demo) -> None:  # noqa: ANN001 - fixture
    _path, ws = demo
    every = {a.account_id: a.findings for a in ws.zipper.all_accounts()}
    some = list(every)[:10]
    for account_id in some:
        assert ws.zipper.findings(account_id) == every[account_id]
    assert ws.zipper.findings(999_999) == []


def test_thresholds_stored_out_of_order_give_a_message_and_the_defaults(demo) -> None:  # noqa: ANN001 - fixture
    path, ws = demo
    worst = ws.zipper.worst_accounts(1)[0]
    with sqlite3.connect(path) as con:
        con.execute("delete from settings where key = 'team'")
        con.execute(
            "insert into settings (key, value_json, version, created_at, updated_at, updated_by) "
            "values ('team', ?, 1, '2026-11-16 09:00:00', '2026-11-16 09:00:00', '另一个版本')",
            ('{"zipper_warn_share": 0.9, "zipper_bow_tie_share": 0.6}',),
        )
    findings = ws.zipper.findings(worst.account_id)
    assert findings[0].kind == "thresholds"
    assert "90%" in findings[0].message and "60%" in findings[0].message
    assert findings[1:] == worst.findings  # the rest is still checked, with the default marks
