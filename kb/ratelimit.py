"""Rate limits that hold across every worker process and survive restarts.

    if not ratelimit.allow("feedback", request, limit=5, seconds=3600):
        ...answer 429...

``allow`` counts the hit and says whether the client is still within ``limit`` hits of a
window that starts at its first hit and lasts ``seconds`` (so "one vote per article in ten
minutes" means ten minutes after the vote, whatever the clock says). Refused hits count too;
they do not lengthen the window.

Where the counts live:

- In Redis when the default cache is Redis (``REDIS_URL``): shared by every server.
- Otherwise in ``KB_DATA_DIR/ratelimit.sqlite3`` (mode 0600), shared by the workers of this
  host. One UPSERT counts a hit, so two workers can never both slip under the limit. Django's
  FileBasedCache does not hold a limit: its ``incr`` is a get and a set (concurrent workers
  lose counts) that also resets the entry's timeout, and it culls random live entries once
  full. DatabaseCache needs ``createcachetable`` and would share the site database's locks.
- While Redis is unreachable, in the file: the limit holds per host for the outage instead of
  refusing everyone or letting everyone through.
- When nothing can count (disk full, unwritable data dir), ``fail_open`` decides for the caller.

A client is a salted hash of REMOTE_ADDR (of its /64 for IPv6, since one host gets a whole
/64); the address itself is stored nowhere.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from ipaddress import ip_address, ip_network
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac

from .redis_cache import ResilientRedisCache

logger = logging.getLogger("kb.ratelimit")

FILE_NAME = "ratelimit.sqlite3"
_local = threading.local()

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hits"
    " (key TEXT PRIMARY KEY, count INTEGER NOT NULL, ends REAL NOT NULL) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS hits_ends ON hits (ends)",
)
# Columns on the right-hand side are the row's values before this update.
_HIT = """
INSERT INTO hits (key, count, ends) VALUES (:key, 1, :now + :seconds)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN ends > :now THEN count + 1 ELSE 1 END,
    ends = CASE WHEN ends > :now THEN ends ELSE :now + :seconds END
RETURNING count
"""


def allow(scope: str, request, limit: int, seconds: int, *, fail_open: bool = False) -> bool:
    """Count this hit of ``scope`` by the request's client; False once it is over ``limit``."""
    key = f"{scope}:{client_key(request)}"
    count = _count_in_redis(key, seconds)
    if count is None:
        count = _count_in_file(key, seconds)
    if count is None:
        return fail_open
    return count <= limit


def client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    with contextlib.suppress(ValueError):
        ip = ip_address(address)
        if ip.version == 6:
            ip = ip.ipv4_mapped or ip_network((ip, 64), strict=False).network_address
        address = str(ip)
    return salted_hmac("kb.ratelimit.client", address).hexdigest()[:32]


def clear() -> None:
    """Forget every count kept in this host's file (Redis counts go with ``cache.clear()``)."""
    if _path().exists():
        _connection().execute("DELETE FROM hits")


def _count_in_redis(key: str, seconds: int) -> int | None:
    cache = caches["default"]
    if not isinstance(cache, ResilientRedisCache):
        return None
    key = f"ratelimit:{key}"
    for _ in range(3):
        cache.add(key, 0, seconds)  # opens the window unless it is open already
        try:
            count = cache.incr(key)
        except ValueError:  # the window closed between the two calls, or Redis is unreachable
            if cache.is_down():
                return None
            continue
        if count == 1:
            # An INCR that lands just after the key expired creates it without a timeout.
            cache.touch(key, seconds)
        return count
    return None


def _count_in_file(key: str, seconds: int) -> int | None:
    now = time.time()
    try:
        connection = _connection()
        (count,) = connection.execute(_HIT, {"key": key, "now": now, "seconds": seconds}).fetchone()
        if count == 1:  # a new window: a good moment to drop the windows that have closed
            connection.execute("DELETE FROM hits WHERE ends <= ?", (now,))
    except (sqlite3.Error, OSError):
        logger.exception("无法记录访问次数（%s）", _path())
        return None
    return count


def _path() -> Path:
    return Path(settings.DATA_DIR) / FILE_NAME


def _connection() -> sqlite3.Connection:
    connections = _local.__dict__.setdefault("connections", {})
    where = (os.getpid(), _path())  # never reuse a connection across a fork
    connection = connections.get(where)
    if connection is None:
        connection = _open(where[1])
        connections[where] = connection
    return connection


def _open(path: Path) -> sqlite3.Connection:
    # SQLite gives its -wal and -shm files the database file's mode.
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    connection = sqlite3.connect(path, timeout=5, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        for statement in _SCHEMA:
            connection.execute(statement)
    except sqlite3.Error:
        connection.close()
        raise
    return connection
