"""Real SQLite database files in the states an operator meets, swapped in for "default".

- "locked": a migrated copy on which another connection holds an EXCLUSIVE lock;
- "garbage": a file of bytes that are not a database;
- "deleted": a migrated copy deleted under the running site.

The template is migrated once per test run by `manage.py migrate` in a subprocess, so these
work the same on the SQLite and the PostgreSQL leg of the suite.
"""

from __future__ import annotations

import functools
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend

from loadtest.server import manage, server_env

KINDS = ("locked", "garbage", "deleted")
GARBAGE = b"\x00not a database, just bytes\n" * 4096


@functools.cache
def _template() -> Path:
    root = Path(settings.DATA_DIR) / "sqlite-template"
    shutil.rmtree(root, ignore_errors=True)
    env = server_env(root)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    path = Path(env["KB_DATA_DIR"]) / "kb.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=DELETE")  # under WAL a writer's lock lets readers read
    return path


def migrated_copy(where: Path) -> Path:
    """A migrated database file of this test's own (no content)."""
    where.mkdir(parents=True, exist_ok=True)
    path = where / "kb.sqlite3"
    shutil.copyfile(_template(), path)
    return path


@contextmanager
def sqlite_at(path: Path, timeout: float = 0.2):
    """Connection "default" on this file, waiting at most `timeout` seconds for a lock."""
    config = {**dj_database_url.parse(f"sqlite:///{path}"), "OPTIONS": {"timeout": timeout}}
    configured = connections.configure_settings({"default": config})["default"]
    wrapper = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, "default")
    original = connections["default"]
    connections["default"] = wrapper
    try:
        yield path
    finally:
        wrapper.close()
        connections["default"] = original


@contextmanager
def broken_sqlite(kind: str, where: Path):
    where = where / f"sqlite-{kind}"
    path = migrated_copy(where)
    if kind == "garbage":
        path.write_bytes(GARBAGE)
    elif kind == "deleted":
        path.unlink()
    with sqlite_at(path):
        if kind != "locked":
            yield path
            return
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # another process, mid-write
        try:
            yield path
        finally:
            holder.execute("ROLLBACK")
            holder.close()
