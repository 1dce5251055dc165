"""A kamdesk database on a PostgreSQL server: address handling, opening and migrating, and errors
that say which part of the address failed (the server, the user or password, the database)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from kamdesk.domain.server_address import is_server_url
from kamdesk.i18n import _
from kamdesk.storage.database import BUSY_TIMEOUT_MS, CONNECT_TIMEOUT_S, Database
from kamdesk.storage.errors import DatabaseOpenError, NewerSchemaError
from kamdesk.storage.migrate import current_revision, head_version, schema_versions, upgrade_to_head

DEFAULT_PORT = 5432
__all__ = [
    "ServerConnectionError",
    "check_server",
    "connection_error",
    "driver_version",
    "is_server_url",
    "normalise_url",
    "open_server",
    "safe_url",
]


def driver_version() -> str:
    """The PostgreSQL driver kamdesk ships, loaded as a connection would load it (the smoke test of a
    frozen build checks it is bundled): "psycopg 3.x.y (binary)" or "(python)"."""
    import psycopg

    make_url("postgresql+psycopg://kamdesk@localhost/kamdesk").get_dialect()
    return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__})"


class ServerConnectionError(DatabaseOpenError):
    """The server could not be reached or refused the connection; `failed` names which part failed:
    "address", "driver", "host", "port", "timeout", "login", "database" or "server"."""

    def __init__(self, message: str, failed: str) -> None:
        self.failed = failed
        super().__init__(message)


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean the bundled driver, psycopg 3 (SQLAlchemy would pick psycopg2)."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def safe_url(url: str) -> str:
    """The address without its password, fit for a title bar, a message or a recent-files list."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        scheme, _sep, rest = url.partition("://")
        return f"{scheme}://{rest.split('@')[-1]}" if "@" in rest else url


def connection_error(url: str, exc: BaseException) -> ServerConnectionError:
    """The error to show for a failed connection, naming what failed in words a person can act on."""
    shown = safe_url(url)
    if isinstance(exc, NoSuchModuleError | ModuleNotFoundError):
        scheme = shown.split("://")[0]
        return ServerConnectionError(
            _(
                "kamdesk cannot use {scheme} databases: no driver for it is installed. Use an address that starts "
                "with postgresql://."
            ).format(scheme=scheme),
            "driver",
        )
    if isinstance(exc, ArgumentError | ValueError) and not hasattr(exc, "orig"):
        return ServerConnectionError(
            _(
                "{url} is not a database address kamdesk understands (expected postgresql://user@server:port/database)."
            ).format(url=shown),
            "address",
        )
    parsed = _parsed(url)
    host = parsed.host if parsed is not None and parsed.host else "localhost"
    port = parsed.port if parsed is not None and parsed.port else DEFAULT_PORT
    user = parsed.username if parsed is not None and parsed.username else ""
    database = parsed.database if parsed is not None and parsed.database else ""
    original = getattr(exc, "orig", None) or exc
    detail = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    text = str(original).lower()
    if (
        "password authentication failed" in text
        or "no password supplied" in text
        or ("role" in text and "does not exist" in text)
    ):
        return ServerConnectionError(
            _(
                "The database server {host}:{port} refused user {user}: the user name or password is wrong. ({detail})"
            ).format(host=host, port=port, user=user or "?", detail=detail),
            "login",
        )
    if "database" in text and "does not exist" in text:
        return ServerConnectionError(
            _("The database server {host}:{port} has no database named {database}. ({detail})").format(
                host=host, port=port, database=database or "?", detail=detail
            ),
            "database",
        )
    if (
        "resolve host" in text
        or "translate host name" in text
        or "name or service not known" in text
        or "nodename nor servname" in text
        or "temporary failure in name resolution" in text
    ):
        return ServerConnectionError(
            _("The database server's name {host} cannot be found: check the address. ({detail})").format(
                host=host, detail=detail
            ),
            "host",
        )
    if "connection refused" in text:
        return ServerConnectionError(
            _(
                "Nothing is listening at {host}:{port}: the database server is not running there, or the port "
                "is wrong. ({detail})"
            ).format(host=host, port=port, detail=detail),
            "port",
        )
    if "timeout" in text or "timed out" in text:
        seconds = (parsed.query.get("connect_timeout") if parsed is not None else None) or CONNECT_TIMEOUT_S
        return ServerConnectionError(
            _(
                "The database server {host}:{port} did not answer (it was given {seconds} seconds per attempt). "
                "({detail})"
            ).format(host=host, port=port, seconds=seconds, detail=detail),
            "timeout",
        )
    return ServerConnectionError(
        _("Cannot open the database on the server {url}: {detail}").format(url=shown, detail=detail), "server"
    )


def _parsed(url: str) -> URL | None:
    try:
        return make_url(url)
    except (ArgumentError, ValueError):
        return None


def open_server(url: str, user_name: str, *, read_only: bool = False, busy_timeout_ms: int | None = None) -> Database:
    """Open (creating or upgrading its tables when needed) the kamdesk database at a server address."""
    url = normalise_url(url)
    try:
        db = Database(
            url,
            user_name,
            read_only=read_only,
            read_only_reason=_("it was opened read-only on request") if read_only else "",
            busy_timeout_ms=BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms,
        )
    except Exception as exc:
        raise connection_error(url, exc) from exc
    try:
        with db.engine.connect() as conn:
            revision = current_revision(conn)
            foreign = revision is None and bool(inspect(conn).get_table_names())
        if foreign:
            raise DatabaseOpenError(
                _("The database {url} holds the tables of another program, not kamdesk's. It was not changed.").format(
                    url=db.display_name
                )
            )
        if revision is not None and revision not in schema_versions():
            raise NewerSchemaError(db.display_name, int(revision) if revision.isdigit() else -1, head_version())
        if revision is None or schema_versions()[revision] < head_version():
            if read_only:
                raise DatabaseOpenError(
                    _("{path} cannot be opened: it needs to be set up or upgraded, but {reason}.").format(
                        path=db.display_name, reason=db.read_only_reason
                    )
                )
            upgrade_to_head(db.write_engine)
    except DatabaseOpenError:
        db.dispose()
        raise
    except Exception as exc:
        db.dispose()
        raise connection_error(url, exc) from exc
    return db


@dataclass(frozen=True)
class ServerReport:
    """What `kamdesk check` says about a database on a server."""

    url: str
    healthy: bool
    problems: tuple[str, ...]
    server_version: str = ""
    schema_version: int = 0
    supported_version: int = 0
    tables: int = 0


def check_server(url: str) -> ServerReport:
    """Connect, read the schema version and the server's version; changes nothing."""
    url = normalise_url(url)
    shown = safe_url(url)
    try:
        db = Database(url, "kamdesk check", read_only=True)
    except Exception as exc:
        return ServerReport(shown, False, (str(connection_error(url, exc)),), supported_version=head_version())
    try:
        with db.engine.connect() as conn:
            revision = current_revision(conn)
            tables = len(inspect(conn).get_table_names())
            version = str(conn.exec_driver_sql("SHOW server_version").scalar() or "")
    except Exception as exc:
        return ServerReport(shown, False, (str(connection_error(url, exc)),), supported_version=head_version())
    finally:
        db.dispose()
    problems: list[str] = []
    found = schema_versions().get(revision or "", 0) if revision is None or revision in schema_versions() else -1
    healthy = True
    if revision is None and tables:
        problems.append(_("The database {url} holds the tables of another program, not kamdesk's.").format(url=shown))
        healthy = False
    elif revision is None:
        problems.append(_("The database is empty: kamdesk sets it up when it first opens it."))
    elif found < 0:
        problems.append(
            _("Schema {found} was written by a newer kamdesk; update kamdesk to open it.").format(found=revision)
        )
        healthy = False
    elif found < head_version():
        problems.append(
            _("Schema {found} is older than {supported}; it will be upgraded when opened.").format(
                found=found, supported=head_version()
            )
        )
    return ServerReport(shown, healthy, tuple(problems), version, max(found, 0), head_version(), tables)
