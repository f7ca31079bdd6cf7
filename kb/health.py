"""GET /healthz: can this worker read the database, and what do the other components say?

The database check reads a real table (an open file is not a working database: SQLite
answers `SELECT 1` from a locked file, a file of garbage, or the empty file it makes in
place of a deleted one). Apps add their own components with `register` (search: the index
answers a tiny search, and index updates are not falling behind).

Status 200 with "ok" (all fine) or "degraded" (articles still served, some component not);
503 with "down" when the database cannot be read. Each failing component says why in
`reason`, in Chinese for the operator; raw error messages go only to the log (this page is
public). Read-only: nothing is created or locked.
"""

import logging
import os
from collections.abc import Callable
from time import perf_counter

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("kb.health")

MISSING = "数据库文件不见了（被删除？），从备份恢复"
EMPTY = "数据库是空的：没有数据表（文件被删除后 SQLite 新建了空库？），从备份恢复"
LOCKED = "数据库被锁住：另一个连接占用太久"
CORRUPT = "数据库文件损坏：不是数据库文件，或内容已坏，从备份恢复"
UNREACHABLE = "连不上数据库"

# name -> check(database_ok) returning {"ok": bool, ...}; see articles.search.health.
_components: dict[str, Callable[[bool], dict]] = {}


def register(name: str, check: Callable[[bool], dict]) -> None:
    """Report `check(database_ok)` under `name`; a failing component makes the site degraded."""
    _components[name] = check


@never_cache
@require_safe
def healthz(request):
    database = _check_database()
    body = {"status": "ok", "database": database}
    for name, check in _components.items():
        body[name] = _run(name, check, database["ok"])
    if not database["ok"]:
        body["status"], code = "down", 503
    else:
        code = 200
        if not all(body[name]["ok"] for name in _components):
            body["status"] = "degraded"
    return JsonResponse(body, status=code, json_dumps_params={"ensure_ascii": False})


def _check_database() -> dict:
    connection = connections["default"]
    started = perf_counter()
    vendor = connection.vendor
    if _sqlite_file_missing(connection):
        return _result(False, started, vendor=vendor, error="missing", reason=MISSING)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM django_migrations")
            (migrations,) = cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("healthz: database check failed: %s", exc)
        return _result(False, started, vendor=vendor, error=type(exc).__name__, reason=_reason(exc))
    if not migrations:
        return _result(False, started, vendor=vendor, error="empty", reason=EMPTY)
    return _result(True, started, vendor=vendor)


def _sqlite_file_missing(connection) -> bool:
    """A SQLite file deleted under the running site (its directory still there): the next
    connection would silently create an empty database in its place."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return False
    name = str(connection.settings_dict["NAME"])
    return not os.path.exists(name) and os.path.isdir(os.path.dirname(name) or ".")


def _reason(exc: DatabaseError) -> str:
    text = str(exc).lower()
    if "locked" in text:
        return LOCKED
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return EMPTY
    if type(exc) is DatabaseError or "malformed" in text:
        return CORRUPT
    return UNREACHABLE


def _run(name: str, check: Callable[[bool], dict], database_ok: bool) -> dict:
    started = perf_counter()
    try:
        found = check(database_ok)
    except Exception as exc:  # a broken component must not break the health page itself
        logger.warning("healthz: %s check failed: %r", name, exc)
        found = {"ok": False, "error": type(exc).__name__, "reason": "检查失败"}
    return _result(started=started, **found)


def _result(ok: bool, started: float, **fields) -> dict:
    return {"ok": ok, "ms": round((perf_counter() - started) * 1000, 2), **fields}
