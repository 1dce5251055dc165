"""`kamdesk person FILE export|erase NAME`: the person's data to PDF and JSON; erase only with --yes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from planted_person import MARK, file_bytes, occurs, plant

from kamdesk.storage.opening import open_database


def _kamdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args], capture_output=True, text=True, timeout=300, env=env, encoding="utf-8"
    )


def _team(tmp_path: Path) -> Path:
    path = tmp_path / "team.kamdb"
    db = open_database(path, "alice", create=True)
    plant(db)
    db.dispose()
    return path


def test_export_writes_pdf_and_json(tmp_path: Path):
    team = _team(tmp_path)
    result = _kamdesk("person", str(team), "export", MARK, "-o", str(tmp_path / "out.pdf"))
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert document["name"] == f"王{MARK}" and (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")


def test_erase_says_what_would_go_and_needs_yes(tmp_path: Path):
    team = _team(tmp_path)
    result = _kamdesk("person", str(team), "erase", f"王{MARK}")
    assert result.returncode == 1 and "--yes" in result.stderr
    assert "1 × family members" in result.stdout and occurs(MARK, file_bytes(team))
    result = _kamdesk("person", str(team), "erase", f"王{MARK}", "--yes")
    assert result.returncode == 0, result.stderr
    assert "erased and the file compacted" in result.stdout and not occurs(MARK, file_bytes(team))


def test_an_unknown_or_ambiguous_name_is_refused(tmp_path: Path):
    team = _team(tmp_path)
    assert _kamdesk("person", str(team), "erase", "nobody", "--yes").returncode == 2
    result = _kamdesk("person", str(team), "export", "王", "-o", str(tmp_path / "x"))
    assert result.returncode == 0  # a unique part of a name is enough
    result = _kamdesk("person", str(team), "export", "-o", str(tmp_path / "x"))
    assert result.returncode == 2 and "name the person" in result.stderr


def test_a_reader_that_stops_early_gets_no_broken_pipe_message(tmp_path: Path):
    """`kamdesk person FILE list NAME | head -1`: the rest of the list has nowhere to go; say nothing."""
    path = tmp_path / "team.kamdb"
    db = open_database(path, "alice", create=True)
    db.dispose()
    from kamdesk.domain.contacts import ContactDetail
    from kamdesk.services.workspace import open_workspace

    workspace = open_workspace(path, "alice")
    for number in range(3000):
        workspace.contacts.save(ContactDetail(name=f"王{number}"))
    workspace.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C", PYTHONIOENCODING="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "kamdesk", "person", str(path), "list", "王"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()
    child.stdout.close()  # as `head -1` does
    err = child.stderr.read().decode("utf-8")
    child.stderr.close()
    assert child.wait(timeout=120) == 0
    assert "王" in first.decode("utf-8") and "Broken pipe" not in err and "Traceback" not in err
