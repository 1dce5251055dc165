"""The errors a window needs to catch, importable without loading the database layer (a fast start
shows the window before SQLAlchemy is imported)."""

from __future__ import annotations

from kamdesk.storage.errors import ConflictError, DatabaseOpenError, StorageError

__all__ = ["ConflictError", "DatabaseOpenError", "StorageError"]
