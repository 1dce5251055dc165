"""The house style is checked with the tests: ruff (lint and format) and mypy on every layer, the UI included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "kamdesk", "tests", "packaging")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_formatted_by_ruff():
    result = _run("ruff", "format", "--check", "kamdesk", "tests", "packaging")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_on_every_layer():
    result = _run("mypy", "--no-error-summary")
    assert result.returncode == 0, result.stdout + result.stderr
