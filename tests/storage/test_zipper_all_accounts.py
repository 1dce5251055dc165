"""The zipper maps of every account (the dashboard's worst-accounts list) read in table order and sorted in
memory (issue 24: on a file server the rank-index walk cost 9,000 requests): the same maps as account by
account, people in the same order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kamdesk.services.demo import load_demo
from kamdesk.services.demo_data import DemoSize
from kamdesk.storage.opening import open_database
from kamdesk.storage.tables import AccountRow
from kamdesk.storage.zipper import zipper_maps


def test_every_account_at_once_gives_the_maps_one_by_one_gives(tmp_path: Path):
    path = tmp_path / "demo.kamdb"
    load_demo(path, DemoSize.SMALL, user_name="测试", today=dt.date(2026, 11, 23))
    db = open_database(path, "测试")
    try:
        with db.read() as session:
            ids = [a.id for a in session.query(AccountRow.id)]
            every = zipper_maps(session)
            named = zipper_maps(session, ids)
    finally:
        db.dispose()
    assert len(every) == len(ids) >= 50
    assert every == named
    assert sum(len(m.theirs) for m in every) > 300 and sum(len(m.links) for m in every) > 100
