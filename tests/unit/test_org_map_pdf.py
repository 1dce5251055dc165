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
    [
        ("gift-schedule", "Gift schedule"),
        ("visit-schedule", "Visit schedule"),
        ("gift-labels", "couriered"),
        ("pick-list", "Pick list"),
    ],
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


def _heights(pdf: Path) -> dict[int, list[tuple[float, str]]]:
    """Per page, each word's height (poppler's box: the font size, within a few hundredths) and text."""
    import re

    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found: dict[int, list[tuple[float, str]]] = {}
    for page, body in enumerate(html.split("<page ")[1:], start=1):
        for m in re.finditer(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', body):
            found.setdefault(page, []).append((float(m.group(2)) - float(m.group(1)), m.group(3)))
    return found


def _page_sizes(pdf: Path) -> set[str]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True).stdout
    return {line.split("(")[-1].rstrip(")") for line in info.splitlines() if "size:" in line and "(" in line}


@pytest.mark.parametrize(("theirs", "paper", "parts"), [(12, "A4", 1), (40, "A3", 1), (150, "A3", 4)])
def test_no_map_text_is_under_7_points_and_each_map_page_has_the_legend(
    tmp_path: Path, theirs: int, paper: str, parts: int
):
    data = _data(theirs=theirs)
    out = tmp_path / "map.pdf"
    build(data, analyse_map(data, TeamSettings()), out, title_date="2026-11-23")
    pages = _text(out).split("\f")[:-1]
    map_pages = [n for n, page in enumerate(pages, start=1) if "Dark border: key person" in page]
    assert map_pages == list(range(1, parts + 1))  # the legend on every map page, the details after
    assert _page_sizes(out) == {paper}
    heights = _heights(out)
    for page in map_pages:
        small = [(round(h, 2), w) for h, w in heights[page] if h < 6.95]
        assert not small, small
        if page > 1:
            assert "Org map — 中国移动通信集团江苏有限公司" in pages[page - 1]  # the running header
            assert f"Map, part {page} of {parts}" in pages[page - 1]
    text = "".join(pages).replace(" ", "")
    for i in range(theirs - 3):  # everybody is on some map page, none lost between parts
        assert f"员工{i:03d}" in "".join(pages[p - 1] for p in map_pages).replace(" ", ""), i
    assert "Coverageofkeypeople" in text


def test_a_44_character_account_name_keeps_the_map_on_page_1(tmp_path: Path):
    from dataclasses import replace

    name = ("中国石油化工股份有限公司华东地区销售分公司南京市江宁区第三加油站管理办公室" * 2)[:44]
    data = replace(_data(theirs=12), account_name=name)
    out = tmp_path / "long.pdf"
    build(data, analyse_map(data, TeamSettings()), out, title_date="2026-11-23")
    first = _text(out).split("\f")[0]
    assert "曾国华" in first and "员工008" in first.replace(" ", "") and "Dark border" in first


def test_the_legend_names_exactly_the_roles_that_get_a_dark_border(tmp_path: Path):
    from kamdesk.domain.enums import BuyingRole

    data = _data()
    out = tmp_path / "map.pdf"
    build(data, analyse_map(data, TeamSettings()), out)
    legend = next(line for line in _text(out).splitlines() if "Dark border: key person" in line)
    for role in BuyingRole:
        dark = MapContact(99, "x", buying_role=role.value).is_key  # the rule the drawing uses
        assert (role.label in legend) == dark, role


def test_ties_run_in_the_gaps_never_across_a_card():
    from kamdesk.reports.fonts import register_fonts
    from kamdesk.reports.org_map import CARD_H, CARD_W, MapFlowable

    data = _data(theirs=60)
    analysis = analyse_map(data, TeamSettings())
    ours = (*data.ours, MapMember(11, "李娜", "工程师", "staff", "technical"))
    links = tuple(MapLink(10 if i % 2 else 11, c.id, "acquainted") for i, c in enumerate(data.theirs))
    data = OrgMapData(7, data.account_name, data.account_class, data.theirs, ours, links)
    flowable = MapFlowable(data, analyse_map(data, TeamSettings()), 1100, 700, register_fonts())
    cards = [
        flowable._card_box(side, p.id) for side, people in (("theirs", data.theirs), ("ours", ours)) for p in people
    ]
    boxes = [(x, y, x + CARD_W, y + CARD_H) for x, y in (c for c in cards if c)]
    assert analysis and len(boxes) == len(data.theirs) + 2
    checked = 0
    for index, link in enumerate(data.links):
        theirs, mine = flowable.tie_route(
            flowable._card_box("theirs", link.contact_id), flowable._card_box("ours", link.member_id), index
        )
        for run in (theirs, mine):
            for (xa, ya), (xb, yb) in zip(run, run[1:], strict=False):
                for left, top, right, bottom in boxes:
                    # A straight run may touch a card's edge (where it leaves or reaches it), never cross inside.
                    inside_x = min(xa, xb) < right - 0.5 and max(xa, xb) > left + 0.5
                    inside_y = min(ya, yb) < bottom - 0.5 and max(ya, yb) > top + 0.5
                    assert not (inside_x and inside_y), (link, (xa, ya, xb, yb), (left, top))
                checked += 1
    assert checked > 100
