"""The org-map PDF: Chinese text embedded and extractable, odd names safe, big maps fit, the command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.org_map import MapContact, MapLink, MapMember, OrgMapData, analyse_map
from kamdesk.domain.settings import TeamSettings
from kamdesk.reports.org_map import build

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _data(theirs: int = 3) -> OrgMapData:
    people = [
        MapContact(1, "曾国华", "采购总监 <b>&</b>", "owner", "decision_maker", None, "good_friend"),
        MapContact(2, "单芳 🌸", "工程师", "staff", "user", 1, "acquainted"),
        MapContact(3, "Hans Müller", "Plant manager", "manager", "gatekeeper", 1, "stranger"),
    ]
    people += [MapContact(100 + i, f"员工{i:03d}", "文员", "clerk", None, 1, "stranger") for i in range(theirs - 3)]
    ours = (MapMember(10, "王芳", "销售经理", "manager", "account_manager"),)
    links = (MapLink(10, 1, "good_friend"), MapLink(10, 2, "good_brother"))
    return OrgMapData(7, "中国移动通信集团江苏有限公司", AccountClass.A, tuple(people), ours, links)


def test_the_pdf_holds_names_coverage_bow_tie_and_page_numbers(tmp_path: Path):
    data = _data()
    out = tmp_path / "map.pdf"
    build(data, analyse_map(data, TeamSettings()), out, title_date="2026-11-23")
    text = _text(out)
    for expected in (
        "中国移动通信集团江苏有限公司",
        "曾国华",
        "Hans Müller",
        "采购总监 <b>&</b>",
        "王芳",
        "Coverage of key people",
        "Every tie to this customer runs through 王芳",
        "page 1 of 2",
    ):
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "WenQuanYi" in fonts and " yes " in fonts  # the CJK font is embedded


def test_a_map_of_150_people_fits_and_lists_every_gap(tmp_path: Path):
    data = _data(theirs=150)
    out = tmp_path / "big.pdf"
    analysis = analyse_map(data, TeamSettings())
    build(data, analysis, out)
    text = _text(out)
    assert "员工146" in text.replace(" ", "")
    assert "Hans Müller" in text and "Key people with no counterpart" in text


def test_an_account_without_people_says_so(tmp_path: Path):
    data = OrgMapData(1, "空公司", None, (), (), ())
    out = tmp_path / "empty.pdf"
    build(data, analyse_map(data, TeamSettings()), out)
    assert "No contacts at this account yet" in _text(out)


def _kamdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C")
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kamdesk.services.demo import load_demo

    path = tmp_path_factory.mktemp("print") / "demo.kamdb"
    load_demo(path, "small")
    return path


def test_print_org_map_from_the_command_line(demo: Path, tmp_path: Path):
    from kamdesk.domain.models import AccountQuery
    from kamdesk.services.workspace import open_workspace

    ws = open_workspace(demo, "x", read_only=True)
    top = ws.accounts.page(AccountQuery(), 0, 1)[0].name
    ws.close()
    out = tmp_path / "m.pdf"
    result = _kamdesk("print", str(demo), "org-map", "--account", top, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert top in _text(out)


@pytest.mark.parametrize(
    ("kind", "words"),
    [("gift-schedule", "Gift schedule"), ("visit-schedule", "Visit schedule"), ("gift-labels", "couriered")],
)
def test_print_schedules_from_the_command_line(demo: Path, tmp_path: Path, kind: str, words: str):
    out = tmp_path / f"{kind}.pdf"
    result = _kamdesk("print", str(demo), kind, "--from", "2020-01-01", "--to", "2030-12-31", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert words in _text(out) or kind == "gift-labels"
    missing_folder = _kamdesk(
        "print",
        str(demo),
        kind,
        "--from",
        "2020-01-01",
        "--to",
        "2030-12-31",
        "-o",
        str(tmp_path / "nowhere" / "x.pdf"),
    )
    assert missing_folder.returncode == 1 and "does not exist" in missing_folder.stderr


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["org-map", "--account", "没有这家公司"], 1, "no account is called"),
        (["org-map", "--account", "有限公司"], 1, "several accounts match"),
        (["gift-schedule", "--from", "2027-13-01", "--to", "2027-09-30"], 2, "is not a date"),
        (["visit-schedule", "--to", "2027-09-30"], 2, "give --from as a date"),
        (["account-plan", "--account", "没有这家公司"], 1, "no account is called"),
        (["org-map"], 2, "needs --account"),
    ],
)
def test_print_refuses_clearly(demo: Path, tmp_path: Path, args: list[str], code: int, words: str):
    result = _kamdesk("print", str(demo), *args, "-o", str(tmp_path / "x.pdf")) if "-o" not in args else None
    assert result is not None
    assert result.returncode == code and words in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_print_reports_a_missing_file_and_folder(demo: Path, tmp_path: Path):
    missing = _kamdesk(
        "print", str(tmp_path / "nope.kamdb"), "org-map", "--account", "x", "-o", str(tmp_path / "x.pdf")
    )
    assert missing.returncode == 1 and "nope.kamdb" in missing.stderr
    folder = _kamdesk("print", str(demo), "org-map", "--account", "x", "-o", str(tmp_path / "no" / "x.pdf"))
    assert folder.returncode == 1 and "does not exist" in folder.stderr
