"""Schema migrations run from code: version numbers, upgrade to head, and the pre-migration backup."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a file needs migrating: opening an up-to-date file (every start)
# reads the version table directly and saves the ~130 ms alembic costs to import.
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")

#: Marks a SQLite file as kamdesk's ("KAMD").
APPLICATION_ID = 0x4B414D44
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@lru_cache(maxsize=1)
def schema_versions() -> dict[str, int]:
    """Every known revision id → its schema version number (the revision ids are numbers, and each
    migration's file is named after its id, e.g. 0004_account_plans.py)."""
    names = (path.name for path in (MIGRATIONS_DIR / "versions").iterdir())
    return {m.group(1): int(m.group(1)) for m in map(_REVISION_FILE.match, names) if m}


def head_version() -> int:
    return max(schema_versions().values())


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:
        raise ValueError(f"more than one schema revision recorded: {rows}")
    return rows[0] if rows else None


def upgrade_to_head(engine: Engine) -> None:
    """Upgrade the schema to head inside one transaction, then stamp SQLite's user_version (a server
    keeps the schema number in alembic_version only)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # BEGIN IMMEDIATE's part on a server: a second client opening the old database at the same
            # moment waits here for this upgrade, then finds it done.
            connection.execute(text(f"SELECT pg_advisory_xact_lock({APPLICATION_ID})"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        if connection.dialect.name == "sqlite":
            connection.execute(text(f"PRAGMA user_version = {head_version()}"))
            connection.execute(text(f"PRAGMA application_id = {APPLICATION_ID}"))
