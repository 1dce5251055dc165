"""Issue 23, defects 4 and 9 on the command line: picking one of several people of one name, the copies of the
file an erase must reach, and `check` on a file that lists a crash test's worth of dead sessions."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from planted_person import MARK, file_bytes, occurs, plant

from kamdesk.domain import clock
from kamdesk.domain.contacts import ContactDetail
from kamdesk.services.contacts import ContactService
from kamdesk.storage.opening import open_database
from kamdesk.storage.tables import AccountRow, PresenceRow


def _kamdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args], capture_output=True, text=True, timeout=300, env=env, encoding="utf-8"
    )


def _three_wang_weis(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """Three contacts called 王伟: at 华南电子, at 华北机械, and a second one at 华北机械."""
    path = tmp_path / "team.kamdb"
    db = open_database(path, "alice", create=True)
    ids: dict[str, int] = {}
    with db.write() as session:
        south, north = AccountRow(name="华南电子"), AccountRow(name="华北机械")
        session.add_all([south, north])
        session.flush()
        accounts = {"south": south.id, "north": north.id}
    contacts = ContactService(db)
    for key, account in (("south", "south"), ("north", "north"), ("north2", "north")):
        ids[key] = contacts.save(ContactDetail(name="王伟", account_id=accounts[account], notes=key))
    db.dispose()
    return path, ids


def test_list_shows_the_ids_and_erase_picks_one_by_company_or_id(tmp_path: Path):
    team, ids = _three_wang_weis(tmp_path)
    listed = _kamdesk("person", str(team), "list", "王伟")
    assert listed.returncode == 0, listed.stderr
    assert f"{ids['south']}\t王伟\t华南电子" in listed.stdout and f"{ids['north2']}\t王伟\t华北机械" in listed.stdout
    ambiguous = _kamdesk("person", str(team), "erase", "王伟", "--yes")
    assert ambiguous.returncode == 2 and "--account" in ambiguous.stderr and "--id" in ambiguous.stderr
    assert f"{ids['north']}\t王伟\t华北机械" in ambiguous.stderr
    by_company = _kamdesk("person", str(team), "erase", "王伟", "--account", "华南电子", "--yes", "--watch", "0")
    assert by_company.returncode == 0, by_company.stderr
    still_two = _kamdesk("person", str(team), "erase", "王伟", "--account", "华北机械", "--yes", "--watch", "0")
    assert still_two.returncode == 2 and "2 people match" in still_two.stderr
    by_id = _kamdesk("person", str(team), "erase", "王伟", "--id", str(ids["north2"]), "--yes", "--watch", "0")
    assert by_id.returncode == 0, by_id.stderr
    left = _kamdesk("person", str(team), "list", "王伟")
    assert left.stdout.strip() == f"{ids['north']}\t王伟\t华北机械"
    wrong = _kamdesk("person", str(team), "erase", "王伟", "--id", "999", "--yes", "--watch", "0")
    assert wrong.returncode == 2 and "nobody called" in wrong.stderr


def test_an_erase_must_say_what_happens_to_the_copies_that_hold_the_person(tmp_path: Path):
    team = tmp_path / "team.kamdb"
    db = open_database(team, "alice", create=True)
    plant(db)
    db.dispose()
    backup = _kamdesk("backup", str(team))
    assert backup.returncode == 0, backup.stderr
    (copy,) = (tmp_path / "team.backups").glob("team.*.kamdb")
    asked = _kamdesk("person", str(team), "erase", MARK, "--yes", "--watch", "0")
    assert asked.returncode == 1 and "--copies" in asked.stderr and "1 × backups" in asked.stdout
    assert occurs(MARK, file_bytes(team))  # nothing was erased
    done = _kamdesk("person", str(team), "erase", MARK, "--yes", "--copies", "erase", "--watch", "0")
    assert done.returncode == 0, done.stderr
    assert not occurs(MARK, file_bytes(team)) and not occurs(MARK, file_bytes(copy))


def test_check_counts_dead_sessions_names_the_latest_and_clears_those_a_week_old(tmp_path: Path):
    team = tmp_path / "team.kamdb"
    db = open_database(team, "alice", create=True)
    now = clock.utc_now()
    with db.write() as session:
        for n in range(97):
            beat = now - (dt.timedelta(days=8, minutes=n) if n < 90 else dt.timedelta(hours=n - 89))
            session.add(
                PresenceRow(
                    session_id=f"crash-{n:02d}",
                    user_name=f"tester{n:02d}",
                    host="lab",
                    pid=n,
                    opened_at=beat,
                    heartbeat_at=beat,
                    heartbeat_count=n,
                )
            )
    db.dispose()
    result = _kamdesk("check", str(team))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Cleared 90 sessions with no heartbeat for over 7 days" in result.stdout
    assert "Open sessions: 7" in result.stdout and "7 gave no heartbeat" in result.stdout
    assert "tester90" in result.stdout and "tester96" not in result.stdout  # the latest five are named
    assert "… and 2 older ones" in result.stdout
    assert sum("tester" in line for line in result.stdout.splitlines()) == 5
    with sqlite3.connect(team) as conn:
        assert conn.execute("SELECT count(*) FROM presence").fetchone() == (7,)
        logged = conn.execute("SELECT count(*) FROM change_log WHERE table_name = 'presence' AND action = 'clear'")
        assert logged.fetchone() == (90,)
