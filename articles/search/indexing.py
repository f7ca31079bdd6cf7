"""Keeping the index in step with the database, and building it from scratch.

`reindex(pks)` is what the signal processor calls after a transaction commits;
`build(articles, procs=…, limitmb=…, multisegment=…)` replaces the whole index and is the API
for scripts and the benchmark::

    from articles.search.indexing import build, reindex
    build()                                  # every published article, settings' options
    build(my_articles, procs=2, limitmb=1024)  # any iterable of Article (sections prefetched)
    reindex([article.pk])                    # one article, as it is now in the database
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from django.conf import settings
from haystack import connections
from whoosh.filedb.filestore import FileStorage

from articles.models import Article

from . import state
from .backend import build_options, codec, merge_small_segments

log = logging.getLogger(__name__)


def backend(using: str = "default"):
    return connections[using].get_backend()


def article_index(using: str = "default"):
    return connections[using].get_unified_index().get_index(Article)


def identifier(pk) -> str:
    return f"articles.article.{int(pk)}"


def reindex(pks, using: str = "default") -> None:
    """Index these articles as they are now: published ones (re)indexed, others removed.

    Never raises because another process holds the index for too long: the ids are kept
    and indexed by the next writer (nothing is lost), and the delay is logged.
    """
    pks = {int(pk) for pk in pks}
    try:
        with state.write_lock(using=using):
            pks |= state.take_pending(using)
            if not pks:
                return
            index = article_index(using)
            objects = list(index.index_queryset(using=using).filter(pk__in=pks))
            gone = pks - {obj.pk for obj in objects}
            backend(using).apply(index, objects, remove_ids=[identifier(pk) for pk in gone])
    except state.WriteLockTimeout:
        state.add_pending(pks, using)
        log.error("搜索索引忙，文章 %s 稍后由下一次写入补做索引", sorted(pks))
    state.touch(state.TITLES, using)


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
    if articles is None:
        articles = index.index_queryset(using=using).order_by("pk").iterator(chunk_size=500)
    path = Path(search_backend.path)
    building = path.with_name(f"{path.name}.building")
    count = 0
    with state.write_lock(timeout=settings.KB_SEARCH_BUILD_LOCK_TIMEOUT, using=using):
        pending = state.take_pending(using)
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        new_index = FileStorage(str(building)).create_index(search_backend.schema)
        writer = new_index.writer(codec=codec(), **build_options(procs, limitmb, multisegment))
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
        if pending:
            reindex(pending, using)
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
