"""Alembic migrations of the kamdesk schema; revision ids are the schema version numbers."""
