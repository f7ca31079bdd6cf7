"""The index follows every edit, once per article per transaction, and catches up after a crash.

Saving or deleting an article or one of its sections reindexes that article (an unpublished
or deleted one is removed). A change to a lender, alias or official number reloads the
lexicon (jieba's dictionary, suggestions) in every process and reindexes the lender's
articles; a synonym change reloads the lexicon.

Each change queues its articles in the database, in the transaction that makes it
(queue.py): an edit that rolls back leaves nothing queued, one that commits cannot be lost
by a process that dies before the index is written. The admin saves an article and each
inline section separately, so the index is updated once the transaction commits
(`transaction.on_commit`; the first callback drains the queue, the others find nothing
left). Indexing errors are logged and the articles stay queued; they never turn an editor's
save into an error page.
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models import signals
from haystack.signals import BaseSignalProcessor

log = logging.getLogger(__name__)


class _Batch:
    """What one transaction changed."""

    def __init__(self):
        self.articles: set[int] = set()
        self.lexicon = False

    def flush(self):
        from . import indexing, lexicon

        try:
            if self.lexicon:
                lexicon.changed()
            indexing.reindex(self.articles)
        except Exception:
            log.exception(
                "搜索索引没能更新（文章 %s），已留在待索引队列，下次写入或重建时补做",
                sorted(self.articles),
            )


_pending = threading.local()


def _batch() -> _Batch:
    batch = getattr(_pending, "batch", None)
    if batch is None:
        batch = _pending.batch = _Batch()
    return batch


def _flush() -> None:
    """Apply everything changed so far; the first callback of a transaction does the work."""
    batch = getattr(_pending, "batch", None)
    _pending.batch = None
    if batch is not None and (batch.articles or batch.lexicon):
        batch.flush()


class ArticleSignalProcessor(BaseSignalProcessor):
    def _models(self):
        from articles.models import Article, Lender, LenderAlias, OfficialNumber, Section, Synonym

        return (Article, Section, Lender, LenderAlias, OfficialNumber, Synonym)

    def setup(self):
        for model in self._models():
            signals.post_save.connect(self.handle_save, sender=model)
            signals.post_delete.connect(self.handle_delete, sender=model)

    def teardown(self):
        for model in self._models():
            signals.post_save.disconnect(self.handle_save, sender=model)
            signals.post_delete.disconnect(self.handle_delete, sender=model)

    def handle_save(self, sender, instance, **kwargs):
        self._changed(sender, instance, deleted=False)

    def handle_delete(self, sender, instance, **kwargs):
        self._changed(sender, instance, deleted=True)

    def _changed(self, sender, instance, deleted):
        from articles.models import Article, Lender, Section, Synonym

        from . import queue

        batch = _batch()
        reason = queue.Reason.DELETED if deleted else queue.Reason.SAVED
        if sender is Article:
            pks = {instance.pk}
        elif sender is Section:
            pks = {instance.article_id}
        else:  # the lexicon: a lender, alias, official number or synonym
            batch.lexicon = True
            pks, reason = set(), queue.Reason.LENDER
            if sender is not Synonym:
                lender_id = instance.pk if sender is Lender else instance.lender_id
                pks = set(Article.objects.filter(lender_id=lender_id).values_list("pk", flat=True))
        queue.add(pks, reason)  # in the save's transaction: committed or rolled back with it
        batch.articles |= pks
        # Runs at once outside a transaction, else after the commit (never after a rollback).
        transaction.on_commit(_flush)
