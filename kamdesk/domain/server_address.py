"""Database server addresses (postgresql://user:password@host:port/database) as plain text: which
targets are servers, and the address with its password taken out or put in (no database code here)."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit, urlunsplit


def is_server_url(target: str) -> bool:
    """True for a database server's address (anything with a scheme but SQLite's)."""
    return "://" in target and not target.lower().startswith("sqlite")


def _split_netloc(netloc: str) -> tuple[str, str | None, str]:
    """(user, password or None, host[:port]) of an address's network location."""
    credentials, at, host = netloc.rpartition("@")
    if not at:
        return "", None, netloc
    user, colon, password = credentials.partition(":")
    return user, (password if colon else None), host


def password_of(url: str) -> str:
    """The password written in the address ("" when there is none)."""
    _user, password, _host = _split_netloc(urlsplit(url).netloc)
    return unquote(password or "")


def without_password(url: str) -> str:
    """The address with no password in it: what a recent-files list or a settings file may keep."""
    parts = urlsplit(url)
    user, password, host = _split_netloc(parts.netloc)
    if password is None:
        return url
    netloc = f"{user}@{host}" if user else host
    return urlunsplit(parts._replace(netloc=netloc))


def with_password(url: str, password: str) -> str:
    """The address with this password in it (replacing any it had); an empty password changes nothing."""
    if not password:
        return url
    parts = urlsplit(url)
    user, _old, host = _split_netloc(parts.netloc)
    netloc = f"{user}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))
