"""Per-person settings kept on this computer: display name, language, last and recent files, window state."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from kamdesk.domain.server_address import is_server_url, without_password
from kamdesk.paths import user_config_dir

MAX_RECENT = 8


def os_user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USERNAME", "") or "user"


class AppSettings:
    """A small typed wrapper over an INI file (QSettings), one per computer user."""

    _latest: AppSettings | None = None

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or (user_config_dir() / "kamdesk.ini")
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)
        AppSettings._latest = self

    @classmethod
    def current(cls) -> AppSettings:
        """The settings the app opened (the last made), for widgets that keep their own state."""
        return cls._latest or cls()

    def sync(self) -> None:
        self._qs.sync()

    @property
    def display_name(self) -> str:
        return str(self._qs.value("user/display_name", "") or "")

    @display_name.setter
    def display_name(self, value: str) -> None:
        self._qs.setValue("user/display_name", value.strip())

    @property
    def language(self) -> str:
        return str(self._qs.value("user/language", "") or "")

    @language.setter
    def language(self, value: str) -> None:
        self._qs.setValue("user/language", value)

    @property
    def last_file(self) -> str:
        return str(self._qs.value("files/last", "") or "")

    @last_file.setter
    def last_file(self, value: str) -> None:
        self._qs.setValue("files/last", value)

    @property
    def recent_files(self) -> list[str]:
        value = self._qs.value("files/recent", [])
        if isinstance(value, str):  # QSettings gives a lone entry back as a plain string
            return [value] if value else []
        return [str(v) for v in value] if isinstance(value, list) else []

    def add_recent_file(self, path: str) -> None:
        if is_server_url(path):  # a server's address is remembered, its password never
            path = without_password(path)
        files = [p for p in self.recent_files if p != path]
        self._qs.setValue("files/recent", [path, *files][:MAX_RECENT])
        self.last_file = path

    def remove_recent_file(self, path: str) -> None:
        self._qs.setValue("files/recent", [p for p in self.recent_files if p != path])

    def window_geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._qs.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray, tab: int) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/state", state)
        self._qs.setValue("window/tab", tab)

    @property
    def last_tab(self) -> int:
        try:
            return int(str(self._qs.value("window/tab", 0) or 0))
        except (TypeError, ValueError):
            return 0

    def column_widths(self, table: str) -> dict[str, int]:
        """Widths a person gave the columns of `table` (by column key), in pixels."""
        value = str(self._qs.value(f"tables/{table}", "") or "")
        widths: dict[str, int] = {}
        for part in value.split(";"):
            key, _sep, width = part.partition("=")
            if key and width.isdigit():
                widths[key] = int(width)
        return widths

    def save_column_widths(self, table: str, widths: dict[str, int]) -> None:
        self._qs.setValue(f"tables/{table}", ";".join(f"{key}={width}" for key, width in widths.items()))
