"""Where kamdesk keeps things: the user data folder and the shipped resources (source or frozen)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "kamdesk"
FILE_SUFFIX = ".kamdb"


def user_data_dir() -> Path:
    """Where a person's own team file lives by default (KAMDESK_DATA_DIR overrides, for tests)."""
    override = os.environ.get("KAMDESK_DATA_DIR")
    return Path(override) if override else user_data_path(APP_NAME, appauthor=False, ensure_exists=False)


def user_config_dir() -> Path:
    """Where this computer's per-person settings live (KAMDESK_CONFIG_DIR overrides, for tests)."""
    override = os.environ.get("KAMDESK_CONFIG_DIR")
    return Path(override) if override else user_config_path(APP_NAME, appauthor=False, ensure_exists=False)


def default_database_path() -> Path:
    return user_data_dir() / f"team{FILE_SUFFIX}"


def resources_dir() -> Path:
    """The resources folder: bundled by PyInstaller, inside the wheel, or beside the source tree."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    package_dir = Path(__file__).resolve().parent
    candidates += [package_dir / "resources", package_dir.parent / "resources"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("kamdesk resources folder not found; the installation is incomplete")


def translations_dir() -> Path:
    return resources_dir() / "translations"
