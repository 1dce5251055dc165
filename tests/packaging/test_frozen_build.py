"""Frozen build: PyInstaller builds packaging/kamdesk.spec once, then the bundle runs like a user would.

Slow (one PyInstaller build, about a minute); CI runs it. Skip it locally with `-m "not frozen"`
or KAMDESK_SKIP_FROZEN=1. Set KAMDESK_KEEP_FROZEN=1 to keep the bundle and print where it is.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "kamdesk.spec"
MIGRATION_SCRIPTS = sorted(p.name for p in (ROOT / "kamdesk" / "storage" / "migrations" / "versions").glob("*.py"))

_skip_requested = os.environ.get("KAMDESK_SKIP_FROZEN") and os.environ.get("CI", "").lower() != "true"
pytestmark = [
    pytest.mark.frozen,
    pytest.mark.skipif(bool(_skip_requested), reason="KAMDESK_SKIP_FROZEN is set (CI never skips this)"),
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None,
        reason='PyInstaller is not installed; `pip install -e ".[test]"` brings it',
    ),
]


@dataclass
class FrozenApp:
    bundle: Path  # the onedir folder (or the .app on macOS)
    internal: Path  # where PyInstaller put the data files (sys._MEIPASS)
    exe: Path  # the console program that runs the commands
    build_seconds: float
    home: Path  # settings and data folders for the runs

    def env(self, language: str = "en_US") -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_"))}
        env.update(
            QT_QPA_PLATFORM="offscreen",
            KAMDESK_CONFIG_DIR=str(self.home / "config"),
            KAMDESK_DATA_DIR=str(self.home / "data"),
            LANGUAGE=language,
        )
        return env

    def run(
        self, *args: str, language: str = "en_US", timeout: float = 180, extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.exe), *args],
            env={**self.env(language), **(extra_env or {})},
            cwd=self.home,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )


def _explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout ---\n{result.stdout[-4000:]}\n--- stderr ---\n{result.stderr[-4000:]}"


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1_000_000


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("frozen")
    dist, work = base / "dist", base / "build"
    started = time.perf_counter()
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=1800,
        check=False,
    )
    build_seconds = time.perf_counter() - started
    if build.returncode != 0:
        pytest.fail(f"PyInstaller could not build {SPEC.name}:\n{_explain(build)}")
    if sys.platform == "darwin":
        bundle = dist / "kamdesk.app"
        exe, internal = (
            bundle / "Contents" / "MacOS" / "kamdesk",
            bundle / "Contents" / "Frameworks",
        )
    else:
        bundle = dist / "kamdesk"
        exe = bundle / ("kamdesk-cli.exe" if sys.platform == "win32" else "kamdesk")
        internal = bundle / "_internal"
    assert exe.is_file(), f"no frozen program at {exe}"
    home = base / "home"
    home.mkdir()
    yield FrozenApp(bundle, internal, exe, build_seconds, home)
    if os.environ.get("KAMDESK_KEEP_FROZEN"):
        print(f"frozen bundle kept at {bundle}")
    else:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def demo_file(frozen: FrozenApp) -> Path:
    """A fresh demo team file written by the frozen program itself (migrations, pinyin, lunar dates)."""
    path = frozen.home / "demo.kamdb"
    result = frozen.run("demo", str(path))
    assert result.returncode == 0, _explain(result)
    assert path.is_file()
    return path


def test_bundle_carries_resources_fonts_translations_and_migrations(frozen: FrozenApp):
    resources = frozen.internal / "resources"
    assert (resources / "fonts" / "wqy-microhei.ttc").is_file()
    for language in ("zh_CN", "zh_TW"):
        assert (resources / "translations" / f"{language}.po").is_file()
    versions = frozen.internal / "kamdesk" / "storage" / "migrations" / "versions"
    assert sorted(p.name for p in versions.glob("*.py")) == MIGRATION_SCRIPTS
    assert (versions.parent / "env.py").is_file()
    assert (frozen.internal / "pypinyin" / "pinyin_dict.json").is_file()
    assert (frozen.internal / "pypinyin" / "phrases_dict.json").is_file()
    qt_catalogues = {p.name for p in frozen.internal.rglob("qtbase_zh_*.qm")}
    assert qt_catalogues == {"qtbase_zh_CN.qm", "qtbase_zh_TW.qm"}
    trimmed = [
        p.name
        for p in frozen.internal.rglob("*")
        if "WebEngine" in p.name or "Qt6Quick" in p.name or "Qt3D" in p.name or "Multimedia" in p.name
    ]
    assert trimmed == [], "Qt modules kamdesk does not use were bundled"


def test_frozen_version(frozen: FrozenApp):
    from kamdesk import __version__

    result = frozen.run("--version")
    assert result.returncode == 0, _explain(result)
    assert f"kamdesk {__version__}" in result.stdout


def test_frozen_demo_then_check_round_trip(frozen: FrozenApp, demo_file: Path):
    result = frozen.run("check", str(demo_file))
    assert result.returncode == 0, _explain(result)
    assert "Healthy" in result.stdout
    assert "Journal mode: delete" in result.stdout
    with sqlite3.connect(demo_file) as db:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        (accounts,) = db.execute("SELECT count(*) FROM accounts").fetchone()
        (pinyin,) = db.execute("SELECT count(*) FROM accounts WHERE name_pinyin <> ''").fetchone()
    assert version == len(MIGRATION_SCRIPTS)
    assert accounts > 0 and pinyin == accounts  # pypinyin's dictionaries were found


def test_frozen_backup_reads_the_file_in_its_own_child_process(frozen: FrozenApp, demo_file: Path):
    """The backup's copy runs in a child started from the frozen program itself (storage/snapshot.py)."""
    folder = frozen.home / "backups"
    result = frozen.run("backup", str(demo_file), "--to", str(folder))
    assert result.returncode == 0, _explain(result)
    (copy,) = folder.glob("demo.*.kamdb")
    with sqlite3.connect(copy) as db, sqlite3.connect(demo_file) as live:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = "SELECT count(*) FROM accounts"
        assert db.execute(count).fetchone() == live.execute(count).fetchone()


def test_frozen_smoke_test_on_the_demo_file(frozen: FrozenApp, demo_file: Path):
    result = frozen.run("--smoke-test", str(demo_file))
    assert result.returncode == 0, _explain(result)
    assert "smoke test passed" in result.stdout
    assert "PostgreSQL driver: psycopg 3." in result.stdout, "the bundle lacks the driver for team servers"


def test_frozen_smoke_test_in_traditional_chinese(frozen: FrozenApp, demo_file: Path):
    from kamdesk.i18n import load_catalog

    expected = load_catalog("zh_TW").get("smoke test passed")
    assert expected, "zh_TW.po lacks a translation of 'smoke test passed'"
    result = frozen.run("--smoke-test", str(demo_file), language="zh_TW")
    assert result.returncode == 0, _explain(result)
    assert expected in result.stdout  # the bundled catalogue was read


def test_frozen_prints_an_org_map_with_the_embedded_cjk_font(frozen: FrozenApp, demo_file: Path):
    with sqlite3.connect(demo_file) as db:
        (name,) = db.execute("SELECT name FROM accounts ORDER BY id LIMIT 1").fetchone()
    out = frozen.home / "org-map.pdf"
    result = frozen.run("print", str(demo_file), "org-map", "--account", name, "-o", str(out))
    assert result.returncode == 0, _explain(result)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"WenQuanYi" in data  # the bundled TrueType CJK font was found and embedded


def test_report_bundle_size_and_frozen_start_up_time(frozen: FrozenApp, demo_file: Path, capsys):
    version_runs = []
    for _ in range(3):
        started = time.perf_counter()
        assert frozen.run("--version").returncode == 0
        version_runs.append(time.perf_counter() - started)
    started = time.perf_counter()
    result = frozen.run("--smoke-test", str(demo_file))
    smoke_seconds = time.perf_counter() - started
    assert result.returncode == 0, _explain(result)
    from PySide6.QtCore import QSettings

    person = QSettings(str(frozen.home / "config" / "kamdesk.ini"), QSettings.Format.IniFormat)
    person.setValue("user/display_name", "Frozen Test")  # named already: the window does not ask at start
    person.sync()
    shown, filled = [], []
    for _ in range(3):  # `kamdesk FILE` as a person starts it: it reports when its window appeared and filled
        started_at = time.time()
        window = frozen.run(str(demo_file), extra_env={"KAMDESK_STARTUP_PROBE": str(started_at)})
        assert window.returncode == 0, _explain(window)
        stages: dict[str, float] = {}
        for line in window.stdout.splitlines():
            stage, _space, ms = line.partition(" ")
            if stage in ("shown", "filled"):
                stages[stage] = float(ms) / 1000
        assert {"shown", "filled"} <= stages.keys(), _explain(window)
        shown.append(stages["shown"])
        filled.append(stages["filled"])
    with capsys.disabled():
        print(
            f"\nfrozen build: bundle {_folder_mb(frozen.bundle):.0f} MB at {frozen.bundle.name}/ "
            f"(built in {frozen.build_seconds:.0f} s); start-up to --version "
            f"{statistics.median(version_runs):.2f} s (median of 3); first window on the demo file shown in "
            f"{statistics.median(shown):.2f} s, its first tab filled in {statistics.median(filled):.2f} s "
            f"(medians of 3); start, open the demo file, show every tab and quit (--smoke-test) {smoke_seconds:.2f} s"
        )
