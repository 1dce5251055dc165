"""A kamdesk database on a database server: the health check `kamdesk check URL` prints (no Qt here)."""

from __future__ import annotations

from kamdesk.storage.server import (
    ServerConnectionError,
    ServerReport,
    check_server,
    driver_version,
    safe_url,
)

__all__ = ["ServerConnectionError", "ServerReport", "check_server", "driver_version", "safe_url"]
