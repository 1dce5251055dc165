"""`kamdesk export FILE KIND --format …`: calendar, spreadsheet and vCard files from the command line, and refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kamdesk.domain.ics import parse_uids


def _kamdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C")
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kamdesk.services.demo import load_demo

    path = tmp_path_factory.mktemp("export") / "demo.kamdb"
    load_demo(path, "small")
    return path


def test_the_agenda_exports_to_ics_with_stable_uids(demo: Path, tmp_path: Path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    for out in (first, second):
        result = _kamdesk("export", str(demo), "agenda", "--format", "ics", "-o", str(out))
        assert result.returncode == 0, result.stderr
    text = first.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and "BEGIN:VTIMEZONE" in text
    uids = parse_uids(text)
    assert uids and uids == parse_uids(second.read_text(encoding="utf-8"))
    assert str(len(uids)) in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["accounts", "--format", "vcf"], "can be exported as: csv, xlsx"),
        (["agenda", "--format", "xlsx"], "can be exported as: ics"),
    ],
)
def test_export_refuses_what_it_cannot_do(demo: Path, tmp_path: Path, args: list[str], words: str):
    result = _kamdesk("export", str(demo), *args, "-o", str(tmp_path / "x"))
    assert result.returncode == 2 and words in result.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("kind", "fmt", "starts"),
    [
        ("accounts", "csv", b"\xef\xbb\xbfname,class,"),
        ("contacts", "vcf", b"BEGIN:VCARD"),
        ("visits", "xlsx", b"PK"),
        ("gifts", "csv", b"\xef\xbb\xbfdirection,kind,item"),
    ],
)
def test_records_export_as_spreadsheets_and_vcards(demo: Path, tmp_path: Path, kind: str, fmt: str, starts: bytes):
    out = tmp_path / f"{kind}.{fmt}"
    result = _kamdesk("export", str(demo), kind, "-o", str(out))  # the format follows the file's suffix
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(starts)
    assert "written to" in result.stdout and int(result.stdout.split()[0]) > 0
