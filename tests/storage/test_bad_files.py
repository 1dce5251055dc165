"""The bad-file matrix: every kind of wrong file, opened through every entry point a person uses.

Each case goes through `kamdesk check`, `kamdesk --smoke-test` (the real window, offscreen) and
`open_workspace`. Each states its outcome; none may end in a traceback, and a file that is refused must
come out byte-identical, with nothing new beside it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from figures import report

from kamdesk.domain.models import AccountDetail, AccountValue
from kamdesk.services.workspace import StorageError, open_workspace
from kamdesk.storage.migrate import head_version


def _page_size(data: bytes | bytearray) -> int:
    """The file's page size from its header (1 there means 65,536: a team file's since issue 24)."""
    size = int.from_bytes(data[16:18], "big")
    return 65_536 if size == 1 else size


def _good(path: Path) -> Path:
    ws = open_workspace(path, "王芳", create=True)
    try:
        for n in range(40):
            ws.accounts.save(AccountDetail(name=f"客户{n:02d} <b>&amp;", values=[AccountValue("2026", 1000 + n, None)]))
    finally:
        ws.close()
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _text(path: Path) -> Path:
    path.write_text("客户名单\n王芳, 13800138000\n", encoding="utf-8")
    return path


def _truncated(path: Path) -> Path:
    _good(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _overwritten(path: Path) -> Path:
    _good(path)
    data = bytearray(path.read_bytes())
    page = _page_size(data)
    noise = bytes((n * 131 + 17) % 256 for n in range(2 * page))  # fixed, not random: the same every run
    data[2 * page : 4 * page] = noise  # pages 3 and 4
    path.write_bytes(bytes(data))
    return path


def _wal(path: Path) -> Path:
    _good(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    return path


def _newer(path: Path) -> Path:
    _good(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {head_version() + 1}")
    conn.commit()
    conn.close()
    return path


def _foreign(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.execute("INSERT INTO songs VALUES ('月亮代表我的心')")
    conn.commit()
    conn.close()
    return path


def _directory(path: Path) -> Path:
    path.mkdir()
    return path


def _chinese_path(path: Path) -> Path:
    folder = path.parent / "销售 团队 文件"
    folder.mkdir()
    return _good(folder / "客户 数据 2027.kamdb")


#: name → (how to make it, what must happen: "opens", "refused" or "read-only").
CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "empty": (_empty, "refused"),
    "text": (_text, "refused"),
    "truncated": (_truncated, "refused"),
    "overwritten": (_overwritten, "refused"),
    "wal": (_wal, "opens"),
    "newer": (_newer, "refused"),
    "foreign": (_foreign, "refused"),
    "directory": (_directory, "refused"),
    "chinese_path_with_spaces": (_chinese_path, "opens"),
}


def _state(path: Path) -> tuple[str, tuple[str, ...]]:
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "<folder>"
    return digest, tuple(sorted(p.name for p in path.parent.iterdir()))


def _kamdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "kamdesk", *args], capture_output=True, text=True, timeout=300, env=env
    )


def _outcome(result: subprocess.CompletedProcess[str]) -> str:
    return "opens" if result.returncode == 0 else "refused"


@pytest.mark.parametrize("case", list(CASES))
def test_every_bad_file_is_refused_or_opened_without_a_traceback_and_a_refused_one_is_unchanged(
    tmp_path: Path, case: str, request: pytest.FixtureRequest
):
    make, expected = CASES[case]
    outcomes: Counter[str] = Counter()
    for entry in ("check", "smoke", "workspace"):
        folder = tmp_path / entry
        folder.mkdir()
        path = make(folder / "team.kamdb")
        before = _state(path)
        if entry == "workspace":
            try:
                ws = open_workspace(path, "李强")
            except StorageError as exc:
                outcome, said = "refused", str(exc)
            else:
                outcome, said = ("read-only" if ws.read_only else "opens"), ws.read_only_reason
                ws.close()
        else:
            result = _kamdesk("check", str(path)) if entry == "check" else _kamdesk("--smoke-test", str(path))
            said = result.stdout + result.stderr
            assert "Traceback" not in said, f"{case} via {entry}:\n{said}"
            outcome = _outcome(result)
        outcomes[outcome] += 1
        assert outcome == expected or (expected == "opens" and outcome == "read-only"), f"{case} via {entry}: {said}"
        if outcome == "refused":
            assert said.strip(), f"{case} via {entry} was refused without a word"
            assert _state(path) == before, f"{case} via {entry} changed the file or left something beside it"
        if case == "wal" and entry != "check":  # `check` only reads; opening to work converts the file
            conn = sqlite3.connect(path)
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            conn.close()
            assert mode == "delete", f"{case} via {entry}: still {mode}"  # nobody else had it open
    report(request, f"bad file: {case}", expected=expected, **dict(outcomes))


def test_a_read_only_team_file_opens_read_only_and_stays_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Root writes through permission bits, so the file is made unwritable the way the opener asks: os.access."""
    path = _good(tmp_path / "team.kamdb")
    before = _state(path)
    real_access = os.access

    def no_writes(target: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(os.fspath(target)).absolute() in (path.absolute(), path.parent.absolute()):  # type: ignore[arg-type]
            return False
        return real_access(target, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", no_writes)
    ws = open_workspace(path, "李强")
    try:
        assert ws.read_only and ws.read_only_reason
        assert ws.summary().accounts == 40
    finally:
        ws.close()
    assert _state(path) == before


def test_the_matrix_is_complete():
    """Every kind the issue names has a case (a new kind gets a row above, not a separate test)."""
    assert set(CASES) == {
        "empty",
        "text",
        "truncated",
        "overwritten",
        "wal",
        "newer",
        "foreign",
        "directory",
        "chinese_path_with_spaces",
    }
    assert shutil.which(sys.executable)
