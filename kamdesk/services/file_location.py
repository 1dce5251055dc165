"""Where a team file is about to live, judged before it is made (the welcome screen's warning)."""

from __future__ import annotations

from pathlib import Path

from kamdesk.storage.locations import LocationKind, location_kind


def in_sync_folder(path: str | Path) -> bool:
    """True when `path` lies in a cloud-sync folder (Dropbox, OneDrive, iCloud…): not for a shared file."""
    return location_kind(path) is LocationKind.SYNC_FOLDER
