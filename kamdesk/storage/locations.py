"""What kind of place a database file lives in: local disk, network share, or a cloud-sync folder."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path

SYNC_FOLDER_MARKERS = (
    "dropbox",
    "onedrive",
    "icloud",
    "mobile documents",
    "google drive",
    "googledrive",
    "my drive",
    "坚果云",
    "baidunetdisk",
    "百度网盘",
)
NETWORK_FILESYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smbfs",
    "smb3",
    "afpfs",
    "webdav",
    "davfs",
    "fuse.sshfs",
    "9p",
    "ncpfs",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
}


class LocationKind(StrEnum):
    LOCAL = "local"
    NETWORK = "network"
    SYNC_FOLDER = "sync_folder"


def _linux_filesystem(path: Path) -> str:
    best, fstype = "", ""
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                parts = line.split()
                if len(parts) >= 3:
                    mount_point = parts[1].replace("\\040", " ")
                    if str(path).startswith(mount_point) and len(mount_point) > len(best):
                        best, fstype = mount_point, parts[2]
    except OSError:
        return ""
    return fstype


def _windows_is_network(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\"):
        return True
    try:
        import ctypes

        drive = os.path.splitdrive(text)[0] + "\\"
        return ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # type: ignore[attr-defined]  # DRIVE_REMOTE
    except (AttributeError, OSError):
        return False


def location_kind(path: str | Path) -> LocationKind:
    path = Path(path).absolute()
    lowered = str(path).lower()
    if any(marker in lowered for marker in SYNC_FOLDER_MARKERS):
        return LocationKind.SYNC_FOLDER
    if sys.platform == "win32":
        return LocationKind.NETWORK if _windows_is_network(path) else LocationKind.LOCAL
    if sys.platform == "darwin":
        return LocationKind.NETWORK if lowered.startswith("/volumes/") and _mac_is_network(path) else LocationKind.LOCAL
    return LocationKind.NETWORK if _linux_filesystem(path) in NETWORK_FILESYSTEMS else LocationKind.LOCAL


def _mac_is_network(path: Path) -> bool:
    try:
        import subprocess

        out = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=2).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    for line in out.splitlines():
        if " on " in line and "(" in line:
            mount_point = line.split(" on ", 1)[1].split(" (", 1)[0]
            fs = line.rsplit("(", 1)[1].split(",", 1)[0]
            if str(path).startswith(mount_point) and fs in NETWORK_FILESYSTEMS:
                return True
    return False
