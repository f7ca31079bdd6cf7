"""GET /healthz: can this worker reach the database and read the search index?

Status 200 with "ok" (both fine) or "degraded" (articles still served, search recovering);
503 with "down" when the database is unreachable. Read-only: the index is opened, never
created or locked.
"""

import logging
import os
from time import perf_counter

import haystack
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("kb.health")


@never_cache
@require_safe
def healthz(request):
    database = _check_database()
    index = _check_index()
    if not database["ok"]:
        status, code = "down", 503
    elif not index["ok"]:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "database": database, "index": index}, status=code)


def _check_database() -> dict:
    connection = connections["default"]
    started = perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("healthz: database check failed: %s", exc)
        return _result(False, started, vendor=connection.vendor, error=type(exc).__name__)
    return _result(True, started, vendor=connection.vendor)


def _check_index() -> dict:
    started = perf_counter()
    try:
        backend = haystack.connections["default"].get_backend()
        if hasattr(backend, "conn") and hasattr(backend, "index_name"):
            return _check_elasticsearch(backend, started)
        return _check_whoosh(backend.path, started)
    except Exception as exc:  # a corrupt index fails in many ways; all of them mean "not ok"
        logger.warning("healthz: index check failed: %r", exc)
        return _result(False, started, error=type(exc).__name__)


def _check_whoosh(path: str, started: float) -> dict:
    from whoosh.filedb.filestore import FileStorage

    if not os.path.isdir(path):
        return _result(False, started, engine="whoosh", error="missing")
    storage = FileStorage(path, readonly=True)
    if not storage.index_exists():
        return _result(False, started, engine="whoosh", error="missing")
    index = storage.open_index()
    try:
        documents = index.doc_count()
    finally:
        index.close()
    return _result(True, started, engine="whoosh", documents=documents)


def _check_elasticsearch(backend, started: float) -> dict:
    if not backend.conn.indices.exists(index=backend.index_name, request_timeout=2):
        return _result(False, started, engine="elasticsearch", error="missing")
    documents = backend.conn.count(index=backend.index_name, request_timeout=2)["count"]
    return _result(True, started, engine="elasticsearch", documents=documents)


def _result(ok: bool, started: float, **fields) -> dict:
    return {"ok": ok, "ms": round((perf_counter() - started) * 1000, 2), **fields}
