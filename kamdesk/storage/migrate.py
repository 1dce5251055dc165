"""Schema migrations run from code: version numbers, upgrade to head, and the pre-migration backup."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

#: Marks a SQLite file as kamdesk's ("KAMD").
APPLICATION_ID = 0x4B414D44
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@lru_cache(maxsize=1)
def schema_versions() -> dict[str, int]:
    """Every known revision id → its schema version number (the revision ids are numbers)."""
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision: int(rev.revision) for rev in script.walk_revisions()}


def head_version() -> int:
    return max(schema_versions().values())


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Upgrade the schema to head inside one transaction, then stamp SQLite's user_version."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        if connection.dialect.name == "sqlite":
            connection.execute(text(f"PRAGMA user_version = {head_version()}"))
            connection.execute(text(f"PRAGMA application_id = {APPLICATION_ID}"))
