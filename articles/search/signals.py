"""The index follows every edit, once per article per transaction.

Saving or deleting an article or one of its sections reindexes that article (an unpublished
or deleted one is removed). A change to a lender, alias or official number reloads the
lexicon (jieba's dictionary, suggestions) in every process and reindexes the lender's
articles; a synonym change reloads the lexicon.

The admin saves an article and each inline section separately, so changes are collected
and applied once the transaction commits (`transaction.on_commit`; the first callback does
the work, the others find nothing left): an edit that rolls back never reaches the index. Indexing errors are logged and the articles kept for the next
writer; they never turn an editor's save into an error page.
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
        self.lenders: set[int] = set()
        self.lexicon = False

    def flush(self):
        from articles.models import Article

        from . import indexing, lexicon, state

        pks = set(self.articles)
        try:
            if self.lexicon:
                lexicon.changed()
            if self.lenders:
                lender_articles = Article.objects.filter(lender_id__in=self.lenders)
                pks |= set(lender_articles.values_list("pk", flat=True))
            if pks:
                indexing.reindex(pks)
        except Exception:
            log.exception("搜索索引没能更新（文章 %s），下次写入时补做", sorted(pks))
            try:
                state.add_pending(pks)
            except OSError:
                log.exception("could not remember articles to reindex")


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
    if batch is not None and (batch.articles or batch.lenders or batch.lexicon):
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
        self._changed(sender, instance)

    def handle_delete(self, sender, instance, **kwargs):
        self._changed(sender, instance)

    def _changed(self, sender, instance):
        from articles.models import Article, Lender, Section, Synonym

        batch = _batch()
        if sender is Article:
            batch.articles.add(instance.pk)
        elif sender is Section:
            batch.articles.add(instance.article_id)
        elif sender is Lender:
            batch.lexicon = True
            batch.lenders.add(instance.pk)
        elif sender is Synonym:
            batch.lexicon = True
        else:  # an alias or an official number
            batch.lexicon = True
            batch.lenders.add(instance.lender_id)
        # Runs at once outside a transaction, else after the commit (never after a rollback).
        transaction.on_commit(_flush)
