"""A database connection that really cannot connect, swapped in for "default" during a test."""

from contextlib import contextmanager
from pathlib import Path

import dj_database_url
from django.db import connections
from django.db.utils import load_backend

# PostgreSQL: a socket directory with no server in it (connection refused at once).
# SQLite: a database file inside a directory that does not exist ("unable to open").
KINDS = ("postgresql", "sqlite")


@contextmanager
def unreachable_database(kind: str, where: Path):
    if kind == "postgresql":
        url = f"postgres://kb@/kb?host={where}"
    else:
        url = f"sqlite:///{where / 'no-such-dir' / 'kb.sqlite3'}"
    configured = connections.configure_settings({"default": dj_database_url.parse(url)})
    wrapper = load_backend(configured["default"]["ENGINE"]).DatabaseWrapper(
        configured["default"], "default"
    )
    original = connections["default"]
    connections["default"] = wrapper
    try:
        yield
    finally:
        connections["default"] = original
