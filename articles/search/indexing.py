"""Keeping the index in step with the database, and building it from scratch.

Every save queues its article in the database (queue.py); `reindex()` drains that queue into
the index and is what the signal processor calls after a transaction commits, what a process
whose save met a busy index calls again after a pause, and what `manage.py index_queue
--drain` runs at start-up. `build(articles, procs=…, limitmb=…, multisegment=…)` replaces the
whole index and is the API for scripts and the benchmark::

    from articles.search.indexing import build, reindex
    build()                                  # every published article, settings' options
    build(my_articles, procs=2, limitmb=1024)  # any iterable of Article (sections prefetched)
    reindex([article.pk])                    # one article (and the queue), as in the database
    reindex()                                # the queue
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from pathlib import Path

from django import db
from django.conf import settings
from django.db import DatabaseError
from haystack import connections
from whoosh.filedb.filestore import FileStorage

from articles.models import Article

from . import layout, lexicon, queue, state
from .backend import build_options, merge_small_segments
from .whoosh_writing import bulk_writer

log = logging.getLogger(__name__)


def backend(using: str = "default"):
    return connections[using].get_backend()


def article_index(using: str = "default"):
    return connections[using].get_unified_index().get_index(Article)


def identifier(pk) -> str:
    return f"articles.article.{int(pk)}"


def reindex(pks=(), using: str = "default") -> int:
    """Bring these articles and every queued one up to date (published ones (re)indexed,
    others removed); returns how many were updated. `reindex()` drains the queue.

    Never raises because another process holds the index for too long: the articles stay
    queued, this process tries again after a pause (`retry_later`), and the delay is logged.
    Any other failure (a damaged index) keeps them queued with the error, and is raised.
    """
    pks = {int(pk) for pk in pks}
    try:
        with state.write_lock(using=using):
            count = _drain(pks, using)
    except state.WriteLockTimeout as exc:
        queue.failed(pks, exc)
        waiting = sorted(pks) or "（队列中的）"
        log.error("搜索索引忙，文章 %s 留在待索引队列，稍后由下一次写入补做索引", waiting)
        retry_later(using)
        return 0
    cancel_retry()
    return count


def _drain(pks: set[int], using: str) -> int:
    """Index `pks` and the queue, oldest first, a batch per commit (caller holds the lock)."""
    count = 0
    while True:
        tasks = queue.take()
        todo = pks | {task.article_id for task in tasks}
        if not todo:
            return count
        _refresh_lexicon(tasks)
        try:
            _apply(todo, using)
        except Exception as exc:
            _keep(todo, exc)
            raise
        removed = queue.done(tasks)
        count += len(todo)
        pks = set()
        if len(tasks) < queue.BATCH or not removed:  # the queue is empty, or others keep it busy
            return count


def _apply(pks: set[int], using: str) -> None:
    index = article_index(using)
    objects = list(index.index_queryset(using=using).filter(pk__in=pks))
    gone = pks - {obj.pk for obj in objects}
    backend(using).apply(index, objects, remove_ids=[identifier(pk) for pk in gone])
    state.touch(state.TITLES, using)


def _refresh_lexicon(tasks) -> None:
    """Indexed lender names come from the cached lexicon: reload it after a lender change
    (the saving process does too, unless it died before it could)."""
    if any(task.reason == queue.Reason.LENDER for task in tasks):
        lexicon.changed()


def _keep(pks: set[int], exc: Exception) -> None:
    try:
        queue.failed(pks, exc)
    except DatabaseError:
        log.exception("could not note the failed index update of articles %s", sorted(pks))


# Retrying in this process: one timer at a time, the pause doubling, a bounded number of times.

RETRY_TIMES = 10
RETRY_MAX_SECONDS = 300
_retry_lock = threading.Lock()
_retry: dict = {"timer": None, "tries": 0}


def retry_later(using: str = "default") -> None:
    """Drain the queue again after KB_SEARCH_RETRY_SECONDS, doubling after each failure."""
    base = settings.KB_SEARCH_RETRY_SECONDS
    with _retry_lock:
        if base <= 0 or _retry["timer"] is not None or _retry["tries"] >= RETRY_TIMES:
            return
        delay = min(base * 2 ** _retry["tries"], RETRY_MAX_SECONDS)
        timer = _retry["timer"] = threading.Timer(delay, _retry_now, args=(using,))
        timer.daemon = True  # a worker that exits leaves the rows for the next drain
        _retry["tries"] += 1
        if _retry["tries"] == RETRY_TIMES:
            log.warning("搜索索引最后一次自动重试（%s 秒后）；之后由下一次写入或启动时补做", delay)
    timer.start()


def cancel_retry() -> None:
    with _retry_lock:
        timer = _retry["timer"]
        _retry.update(timer=None, tries=0)
    if timer is not None:
        timer.cancel()


def _retry_now(using: str) -> None:
    with _retry_lock:
        _retry["timer"] = None
    try:
        reindex(using=using)
    except Exception:  # the database busy too, or the index damaged: still bounded
        log.exception("搜索索引重试失败，文章留在待索引队列")
        retry_later(using)
    finally:
        db.connections.close_all()  # this thread's own connections


def build(
    articles=None,
    *,
    procs: int | None = None,
    limitmb: int | None = None,
    multisegment: bool | None = None,
    using: str = "default",
) -> int:
    """Replace the whole index with `articles` (default: every published article).

    The new index is written beside the old one and swapped in, so searches keep working
    during the build. Returns the number of articles indexed.
    """
    search_backend = backend(using)
    _prepare(search_backend, using)
    index = article_index(using)
    from_database = articles is None
    if from_database:
        articles = index.index_queryset(using=using).order_by("pk").iterator(chunk_size=500)
    path = Path(search_backend.path)
    building = path.with_name(f"{path.name}.building")
    count = 0
    with state.write_lock(timeout=settings.KB_SEARCH_BUILD_LOCK_TIMEOUT, using=using):
        # A build from the database covers what is queued now; what is queued during the
        # build (or everything, for a build of given articles) is drained after the swap.
        covered = queue.take(limit=None) if from_database else []
        _refresh_lexicon(covered)
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        new_index = FileStorage(str(building)).create_index(search_backend.schema)
        layout.write(building)
        writer = bulk_writer(new_index, **build_options(procs, limitmb, multisegment))
        try:
            for doc in search_backend.documents(index, articles):
                writer.add_document(**doc)
                count += 1
        except BaseException:
            writer.cancel()
            shutil.rmtree(building, ignore_errors=True)
            raise
        writer.commit()
        _swap(building, path)
        search_backend.setup()
        queue.done(covered)
        reindex(using=using)
    state.touch(state.TITLES, using)
    return count


def _prepare(search_backend, using: str) -> None:
    """The backend's schema, even when the current index cannot be opened (the build is
    what replaces a damaged index)."""
    try:
        search_backend.setup()
    except Exception as exc:
        log.warning("搜索索引无法打开（%r），重建会替换它", exc)
        fields = connections[using].get_unified_index().all_searchfields()
        search_backend.content_field_name, search_backend.schema = search_backend.build_schema(
            fields
        )


def merge(using: str = "default") -> None:
    """Merge the small segments that edits have left (run it at a quiet time, e.g. nightly)."""
    with backend(using).writer(mergetype=merge_small_segments):
        pass


def _swap(new: Path, path: Path) -> None:
    old = path.with_name(f"{path.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if path.exists():
        os.rename(path, old)
    os.rename(new, path)
    shutil.rmtree(old, ignore_errors=True)
