"""`kamdesk check` runs SQLite's integrity check on a snapshot in the temporary folder (storage/file_check.py).

On a file server the page-by-page check of the file itself is one request per page; the snapshot reads the file
in 1 MiB requests under a short read lock. These tests make every file take the snapshot path (on a local disk a
small file is checked in place) and hold it to what the check promised before: damage found and described the
same way, a good file healthy, the file byte-identical, nothing left in the temporary folder.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from storage_helpers import add_accounts, file_state, plant_session

from kamdesk import cli
from kamdesk.storage import file_check
from kamdesk.storage import snapshot as snapshots
from kamdesk.storage.database import Database
from kamdesk.storage.opening import check_file


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the snapshot goes to, watched by the test."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def snapshots_taken(monkeypatch: pytest.MonkeyPatch, recorded_snapshots: list[Path]) -> list[Path]:
    """Every file takes the snapshot path (a small local one too), and each snapshot's source is recorded."""
    monkeypatch.setattr(file_check, "IN_PLACE_MAX_BYTES", -1)
    return recorded_snapshots


@pytest.fixture
def recorded_snapshots(monkeypatch: pytest.MonkeyPatch, temp_folder: Path) -> list[Path]:
    """Each snapshot's source, recorded."""
    taken: list[Path] = []
    real = snapshots.snapshot

    def recording(source: Path, destination: Path, *args: Any, **kwargs: Any) -> None:
        taken.append(source)
        assert destination.parent.parent == temp_folder
        real(source, destination, *args, **kwargs)

    monkeypatch.setattr(snapshots, "snapshot", recording)
    return taken


def _team_file(db: Database, db_path: Path) -> Path:
    add_accounts(db, *(f"客户{n:03d} 华为 <b>&amp;</b>" for n in range(300)))
    db.dispose()
    return db_path


def _page_size(data: bytes | bytearray) -> int:
    size = int.from_bytes(data[16:18], "big")
    return 65536 if size == 1 else size


def _truncated(path: Path) -> None:
    """The last quarter cut off (a copy that stopped part-way)."""
    data = path.read_bytes()
    page = _page_size(data)
    path.write_bytes(data[: len(data) * 3 // 4 // page * page])


def _overwritten(path: Path) -> None:
    """Pages 3 and 4 overwritten with noise (the same every run): the table list still reads, the tables do not."""
    data = bytearray(path.read_bytes())
    page = _page_size(data)
    data[2 * page : 4 * page] = bytes((n * 131 + 17) % 256 for n in range(2 * page))
    path.write_bytes(bytes(data))


#: A colleague's kamdesk in its own process (in this one, any open and close of the file would drop its locks):
#: runs the statements, says "ready", holds on until told, then ends its transaction.
_COLLEAGUE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
for statement in sys.argv[2:]:
    conn.execute(statement).fetchall()
print("ready", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
print("done", flush=True)
"""


@contextmanager
def _colleague(path: Path, *statements: str) -> Iterator[subprocess.Popen[str]]:
    child = subprocess.Popen(
        [sys.executable, "-c", _COLLEAGUE, str(path), *statements],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline().strip() == "ready"
        yield child
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "done"  # its transaction was still its own to end
    finally:
        child.stdin.close()
        child.wait(timeout=30)
        child.stdout.close()


def _in_place_integrity(path: Path) -> str:
    """What SQLite says of the file read where it is: its findings, or the error that stops it."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("damage", "copied"),
    [
        (_overwritten, True),  # the table list reads: the copy is made, and its check finds the damage
        (_truncated, False),  # the table list itself cannot be read: refused before any copy
    ],
    ids=["overwritten", "truncated"],
)
def test_a_damaged_file_is_found_damaged_as_the_check_in_place_found_it(
    db: Database,
    db_path: Path,
    damage: Callable[[Path], None],
    copied: bool,
    snapshots_taken: list[Path],
    temp_folder: Path,
):
    damage(_team_file(db, db_path))
    before = file_state(db_path)
    expected = _in_place_integrity(db_path)
    assert expected != "ok"

    report = check_file(db_path)

    assert snapshots_taken == ([db_path.absolute()] if copied else [])
    assert not report.healthy and report.checked
    if copied:
        assert report.integrity == expected  # SQLite describes the damage in the same words
    assert any("damaged" in problem for problem in report.problems), report.problems
    assert report.sessions == ()
    assert file_state(db_path) == before
    assert list(temp_folder.iterdir()) == []


def test_a_good_file_is_healthy_with_its_sessions_read_from_the_snapshot(
    db: Database, db_path: Path, snapshots_taken: list[Path], temp_folder: Path
):
    heartbeat = dt.datetime(2026, 11, 30, 9, 15)
    plant_session(db, "s-1", "王芳", heartbeat, host="pc-sales-2")
    _team_file(db, db_path)
    before = file_state(db_path)

    report = check_file(db_path)

    assert snapshots_taken == [db_path.absolute()]
    assert report.healthy and report.checked, report.problems
    assert (report.integrity, report.problems, report.notes) == ("ok", (), ())
    assert [(s.user_name, s.host, s.heartbeat_at) for s in report.sessions] == [("王芳", "pc-sales-2", heartbeat)]
    assert file_state(db_path) == before
    assert list(temp_folder.iterdir()) == []


def test_the_check_runs_while_a_colleague_holds_a_read_transaction(
    db: Database, db_path: Path, snapshots_taken: list[Path], temp_folder: Path
):
    _team_file(db, db_path)
    before = file_state(db_path)
    with _colleague(db_path, "BEGIN", "SELECT count(*) FROM accounts"):  # holds the read (SHARED) lock
        report = check_file(db_path, lock_timeout_s=2)
    assert report.healthy, report.problems
    assert file_state(db_path) == before
    assert snapshots_taken == [db_path.absolute()]
    assert list(temp_folder.iterdir()) == []


def test_a_writer_holding_the_file_gives_a_message_not_a_verdict(
    db: Database, db_path: Path, snapshots_taken: list[Path], temp_folder: Path
):
    _team_file(db, db_path)
    # A colleague's save caught mid-commit for longer than the copy waits.
    with _colleague(db_path, "BEGIN EXCLUSIVE", "UPDATE accounts SET name = name || '!'"):
        report = check_file(db_path, lock_timeout_s=0.5)
    assert not report.checked and not report.healthy
    assert report.integrity == ""
    assert len(report.problems) == 1 and "could not be checked" in report.problems[0]
    assert "locked for over 0.5 s" in report.problems[0]
    assert not any("damaged" in problem for problem in report.problems)
    assert list(temp_folder.iterdir()) == []
    assert check_file(db_path).healthy  # and once the save is done, it checks


def test_the_command_says_the_file_was_not_checked_without_a_traceback(
    db: Database,
    db_path: Path,
    snapshots_taken: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    _team_file(db, db_path)
    monkeypatch.setattr(snapshots, "LOCK_TIMEOUT_S", 0.5)
    with _colleague(db_path, "BEGIN EXCLUSIVE"):
        code = cli.run(["check", str(db_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "could not be checked" in out + err and "Not checked" in out
    assert "NOT healthy" not in out and "Traceback" not in out + err


def test_too_little_room_for_the_copy_checks_in_place_and_says_so(
    db: Database, db_path: Path, snapshots_taken: list[Path], monkeypatch: pytest.MonkeyPatch, temp_folder: Path
):
    _team_file(db, db_path)
    _overwritten(db_path)
    real = shutil.disk_usage

    def nearly_full(path: Any) -> Any:
        usage = real(path)
        return usage._replace(free=10_000_000) if Path(path) == temp_folder else usage

    monkeypatch.setattr(shutil, "disk_usage", nearly_full)
    report = check_file(db_path)
    assert snapshots_taken == []
    assert report.integrity == _in_place_integrity(db_path) and not report.healthy  # damage still found
    assert len(report.notes) == 1 and "10 MB free" in report.notes[0] and "checked where it is" in report.notes[0]


def test_a_snapshot_that_fails_otherwise_falls_back_to_the_check_in_place(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch, temp_folder: Path
):
    _team_file(db, db_path)
    monkeypatch.setattr(file_check, "IN_PLACE_MAX_BYTES", -1)

    def failing(*_args: Any, **_kwargs: Any) -> None:
        raise snapshots.SnapshotError("disk I/O error")

    monkeypatch.setattr(snapshots, "snapshot", failing)
    report = check_file(db_path)
    assert report.healthy and report.integrity == "ok"
    assert list(temp_folder.iterdir()) == []


def test_progress_follows_the_copy_then_the_check(db: Database, db_path: Path, snapshots_taken: list[Path]):
    _team_file(db, db_path)
    size = db_path.stat().st_size
    heard: list[tuple[str, int, int]] = []
    assert check_file(db_path, progress=lambda *step: heard.append(step)).healthy
    assert heard[-1] == ("checking", size, size)
    copying = [done for phase, done, total in heard if phase == "copying" and total == size]
    assert copying == sorted(copying) and all(0 <= done <= size for done in copying)
    assert copying[-1] == size  # the copy is whole before its check starts
    assert [phase for phase, *_ in heard].count("checking") == 1


def test_the_command_shows_progress_for_a_large_file_on_stderr(
    db: Database,
    db_path: Path,
    snapshots_taken: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    _team_file(db, db_path)
    monkeypatch.setattr(cli, "CHECK_PROGRESS_MIN_BYTES", 1)
    assert cli.run(["check", str(db_path)]) == 0
    out, err = capsys.readouterr()
    assert f"Checking the copy of {round(db_path.stat().st_size / 1_000_000)} MB…" in err
    assert "Checking" not in out and "Healthy" in out
    monkeypatch.setattr(cli, "CHECK_PROGRESS_MIN_BYTES", 1 << 40)
    assert cli.run(["check", str(db_path)]) == 0
    assert "Checking" not in capsys.readouterr().err  # a small file is checked without a word on progress


def test_a_small_file_is_checked_in_place_on_local_disk_and_on_its_snapshot_on_a_share(
    db: Database, db_path: Path, recorded_snapshots: list[Path], temp_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    from kamdesk.storage.locations import LocationKind

    _team_file(db, db_path)
    taken = recorded_snapshots
    assert check_file(db_path).healthy
    assert taken == []  # milliseconds where it is, against a tenth of a second to start the copy's process
    monkeypatch.setattr(file_check, "location_kind", lambda _path: LocationKind.NETWORK)
    assert check_file(db_path).healthy
    assert taken == [db_path.absolute()]  # on a share even a small file is read in large requests
    assert list(temp_folder.iterdir()) == []


def test_a_copy_started_early_is_the_one_checked(
    db: Database, db_path: Path, snapshots_taken: list[Path], temp_folder: Path
):
    """`kamdesk check` starts the copy before it loads the rest of kamdesk; the check waits for that copy."""
    _overwritten(_team_file(db, db_path))
    started = file_check.start_copy(db_path)
    assert started is not None and started.folder.parent == temp_folder
    report = check_file(db_path, started=started)
    assert snapshots_taken == [db_path]  # waited for the started child, no second copy
    assert report.integrity == _in_place_integrity(db_path) and not report.healthy
    assert started.child.returncode == 0
    assert list(temp_folder.iterdir()) == []


def test_a_copy_started_for_a_file_not_fit_to_check_is_ended_and_removed(
    db: Database, db_path: Path, snapshots_taken: list[Path], temp_folder: Path
):
    _team_file(db, db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA application_id = 7")  # another program's database: refused before any check
    conn.commit()
    conn.close()
    before = file_state(db_path)
    started = file_check.start_copy(db_path)
    assert started is not None
    report = check_file(db_path, started=started)
    assert not report.healthy and report.integrity == ""
    assert started.child.returncode is not None  # ended (or done), never left running
    assert list(temp_folder.iterdir()) == []
    assert file_state(db_path) == before
    assert snapshots_taken == []


def test_no_copy_is_started_for_a_small_local_file_or_a_missing_one(db: Database, db_path: Path, temp_folder: Path):
    _team_file(db, db_path)
    assert file_check.start_copy(db_path) is None  # checked in place
    assert file_check.start_copy(db_path.with_name("nowhere.kamdb")) is None
    assert file_check.start_copy(db_path.parent) is None  # a folder
    assert list(temp_folder.iterdir()) == []
