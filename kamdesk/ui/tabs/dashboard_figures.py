"""The dashboard's figures in four parts read one after another, which tables each part shows, and the last
figures kept on this computer so a start shows them at once while the file (far away, perhaps) is read again.

The kept figures live in the person's own settings folder, never beside the team file: one small JSON file per
team file, named by the file's location, readable by that person only (it names accounts, their values and, in the
zipper findings, people). Each full read replaces it. Anything odd about one (unreadable, damaged, written by a
newer kamdesk, naming another file, naming a kind of figure this kamdesk does not know) makes it be ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import importlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from kamdesk.domain.changes import EVERY_TABLE
from kamdesk.paths import user_config_dir
from kamdesk.services.workspace import StorageError, Workspace

#: The parts, in the order they are read and shown (the counts first: they are the quickest).
PARTS: tuple[str, ...] = ("summary", "accounts", "targets", "zippers")

#: The parts read side by side in the background, each lane one part after another. On a file server a part
#: spends most of its time waiting for answers, and the waits of the lanes overlap (the VPN setting, large demo,
#: 64 KB pages: 9.5 s in one lane, 4.4-4.9 s in two, 4.2-4.3 s in these three). The zippers take longest, then the
#: account figures; the counts and the targets are quick.
READ_LANES: tuple[tuple[str, ...], ...] = (("zippers",), ("accounts",), ("summary", "targets"))

#: Change-log table names whose changes put each part out of date.
PART_TABLES: dict[str, frozenset[str]] = {
    "summary": frozenset({"accounts", "contacts", "team_members", "activities", "gifts"}),
    "accounts": frozenset(
        {
            "accounts",
            "account_values",
            "account_class_history",
            "team_members",
            "activities",
            "gifts",
            "visits",
            "settings",
        }
    ),
    "targets": frozenset({"accounts", "contacts", "contact_stage_history", "settings"}),
    "zippers": frozenset({"accounts", "contacts", "links", "team_members", "account_team", "settings"}),
}
#: Every table the dashboard shows something of.
SHOWN_TABLES: frozenset[str] = frozenset().union(*PART_TABLES.values())


def parts_for(tables: Iterable[str]) -> tuple[str, ...]:
    """The parts a change to `tables` puts out of date, in reading order (every part for "anything changed")."""
    changed = frozenset(tables)
    if EVERY_TABLE in changed:
        return PARTS
    return tuple(part for part in PARTS if PART_TABLES[part] & changed)


def read_part(workspace: Workspace, part: str) -> Any:
    """One part's figures, read in one unit of work (off the GUI thread). The relationship targets and the
    weakest zippers are None when the file could not be read for them; the counts and the account figures
    raise StorageError instead (the tab says so)."""
    if part == "summary":
        return workspace.summary()
    if part == "accounts":
        return workspace.accounts.dashboard()
    try:
        if part == "targets":
            with workspace.one_read():  # three small reads, one transaction (each costs lock requests)
                return (
                    workspace.contacts.target_heat(),
                    workspace.contacts.largest_gaps(),
                    workspace.settings.load(),
                )
        return workspace.zipper.worst_accounts(10)
    except StorageError:
        return None


# The kept figures ---------------------------------------------------------------------------------------------
#: The layout of a kept-figures file; a file with a larger number comes from a newer kamdesk and is ignored.
CACHE_FORMAT = 1
#: A kept-figures file larger than this is not read (the large demo's is about 0.3 MB).
CACHE_MAX_BYTES = 8 * 1024 * 1024
#: The modules whose dataclasses, named tuples and enums a kept-figures file may name (nothing else is built).
_KNOWN_MODULES = frozenset(
    {
        "kamdesk.domain.models",
        "kamdesk.domain.dashboard",
        "kamdesk.domain.cost_to_serve",
        "kamdesk.domain.enums",
        "kamdesk.domain.settings",
        "kamdesk.domain.zipper_checks",
        "kamdesk.services.zipper",
    }
)


class CachedFigures(NamedTuple):
    """Figures kept from an earlier read: when they were read (UTC, naive) and for which day."""

    saved_at: dt.datetime
    today: dt.date
    figures: dict[str, Any]


class UnknownFigures(ValueError):
    """A kept-figures file names something this kamdesk does not build."""


def cache_identity(workspace: Workspace) -> str:
    """Which team file the figures are of: its full path (or the server's address, without a password).

    Made absolute without asking the file system (not `resolve()`): this runs on the GUI thread, and on a file
    server each path component looked up is a request (about a quarter of a second over a VPN)."""
    return os.path.abspath(workspace.path) if workspace.path is not None else workspace.display_name


def cache_path(identity: str, folder: Path | None = None) -> Path:
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]
    return (folder or user_config_dir() / "dashboard-figures") / f"{digest}.json"


def save_cache(identity: str, cached: CachedFigures, folder: Path | None = None) -> Path:
    """Keep `cached` for the file `identity` (written whole to a temporary file, then moved in place)."""
    path = cache_path(identity, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": CACHE_FORMAT,
        "file": identity,
        "saved_at": cached.saved_at.isoformat(),
        "today": cached.today.isoformat(),
        "figures": _encode({part: cached.figures[part] for part in PARTS if part in cached.figures}),
    }
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".figures-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load_cache(identity: str, folder: Path | None = None) -> CachedFigures | None:
    """The figures kept for the file `identity`, or None when there are none that can be trusted."""
    path = cache_path(identity, folder)
    try:
        if path.stat().st_size > CACHE_MAX_BYTES:
            return None
        payload = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(payload, dict) or payload.get("format") != CACHE_FORMAT or payload.get("file") != identity:
            return None
        figures = _decode(payload["figures"])
        if not isinstance(figures, dict) or not set(figures) <= set(PARTS):
            return None
        return CachedFigures(
            dt.datetime.fromisoformat(payload["saved_at"]), dt.date.fromisoformat(payload["today"]), figures
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _encode(value: Any) -> Any:  # noqa: C901 - one branch per kind of value, flat
    if value is None or isinstance(value, bool | int | float | str) and not isinstance(value, enum.Enum):
        return value
    if isinstance(value, enum.Enum):
        return {"$enum": _name_of(type(value)), "v": value.value}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return {"$data": _name_of(type(value)), "v": fields}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {"$named": _name_of(type(value)), "v": [_encode(v) for v in value]}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict) or hasattr(value, "items"):
        return {"$map": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot keep a {type(value).__name__} among the dashboard's figures")


def _name_of(kind: type) -> str:
    name = f"{kind.__module__}:{kind.__qualname__}"
    if kind.__module__ not in _KNOWN_MODULES:
        raise TypeError(f"{name} is not among the dashboard's figures")
    return name


def _kind(name: Any, test: Callable[[type], bool]) -> type:
    """The class a kept-figures file names, only from kamdesk's own domain modules and of the expected sort."""
    module_name, _sep, qualname = str(name).partition(":")
    if module_name not in _KNOWN_MODULES or not qualname.isidentifier():
        raise UnknownFigures(str(name))
    kind = getattr(importlib.import_module(module_name), qualname, None)
    if not isinstance(kind, type) or not test(kind):
        raise UnknownFigures(str(name))
    return kind


def _decode(value: Any) -> Any:  # noqa: C901 - one branch per kind of value, flat
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$enum" in value:
        return _kind(value["$enum"], lambda k: issubclass(k, enum.Enum))(value["v"])
    if "$datetime" in value:
        return dt.datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    if "$data" in value:
        kind = _kind(value["$data"], dataclasses.is_dataclass)
        return kind(**{str(k): _decode(v) for k, v in value["v"].items()})
    if "$named" in value:
        kind = _kind(value["$named"], lambda k: issubclass(k, tuple) and hasattr(k, "_fields"))
        return kind(*[_decode(v) for v in value["v"]])
    if "$tuple" in value:
        return tuple(_decode(v) for v in value["$tuple"])
    if "$map" in value:
        return {_decode(k): _decode(v) for k, v in value["$map"]}
    raise UnknownFigures(", ".join(sorted(value)))
