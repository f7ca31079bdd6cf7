"""What /healthz (kb/health.py) says about search.

- `index`: the index opens read-only (never created or locked), was built with the current
  section-kind layout (layout.py), and answers a tiny search through the same path as
  readers' searches, so a segment damaged past its header shows.
- `queue`: how many articles wait for their index update, and for how long; degraded once
  the oldest has waited KB_SEARCH_BACKLOG_SECONDS (nothing caught up: a damaged index, or
  every retry gave up).
"""

from __future__ import annotations

import os

import haystack
from django.conf import settings
from whoosh.filedb.filestore import FileStorage

from kb import health

from . import layout, queue, searching

PROBE = "催收电话"  # in nearly every article: reads term lists, postings and stored fields
REBUILD = "运行 manage.py rebuild_index --noinput 重建"


def register() -> None:
    health.register("index", index)
    health.register("queue", backlog)


def index(database_ok: bool) -> dict:
    backend = haystack.connections["default"].get_backend()
    if hasattr(backend, "conn") and hasattr(backend, "index_name"):
        found = _elasticsearch(backend)
    else:
        found = _whoosh(backend.path)
    if found["ok"] and database_ok and searching.search(PROBE, per_page=1).unavailable:
        found.update(
            ok=False, error="search", reason=f"搜索索引能打开但搜不了（已损坏？），{REBUILD}"
        )
    return found


def _whoosh(path: str) -> dict:
    storage = FileStorage(path, readonly=True)
    if not os.path.isdir(path) or not storage.index_exists():
        return {
            "ok": False,
            "engine": "whoosh",
            "error": "missing",
            "reason": f"搜索索引不存在，{REBUILD}",
        }
    try:
        opened = storage.open_index()
        try:
            documents = opened.doc_count()
        finally:
            opened.close()
    except Exception as exc:  # a damaged index fails in many ways; all of them mean "not ok"
        return {
            "ok": False,
            "engine": "whoosh",
            "error": type(exc).__name__,
            "reason": f"搜索索引打不开（已损坏），{REBUILD}",
        }
    try:
        layout.check(path)
    except layout.StaleLayout:
        return {
            "ok": False,
            "engine": "whoosh",
            "error": "layout",
            "documents": documents,
            "reason": f"搜索索引是按旧的段落类型布局建的，搜索暂停，{REBUILD}",
        }
    return {"ok": True, "engine": "whoosh", "documents": documents}


def _elasticsearch(backend) -> dict:
    if not backend.conn.indices.exists(index=backend.index_name, request_timeout=2):
        return {
            "ok": False,
            "engine": "elasticsearch",
            "error": "missing",
            "reason": f"搜索索引不存在，{REBUILD}",
        }
    documents = backend.conn.count(index=backend.index_name, request_timeout=2)["count"]
    return {"ok": True, "engine": "elasticsearch", "documents": documents}


def backlog(database_ok: bool) -> dict:
    if not database_ok:
        return {"ok": False, "reason": "数据库读不了，不知道积压多少"}
    found = queue.backlog()
    age = found.oldest_seconds()
    result = {
        "ok": True,
        "pending": found.pending,
        "oldest_seconds": None if age is None else round(age),
        "failing": found.failing,
    }
    if age is not None and age > settings.KB_SEARCH_BACKLOG_SECONDS:
        result.update(ok=False, reason=f"{found.describe()}；运行 manage.py index_queue --drain")
    return result
