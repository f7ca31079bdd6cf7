"""Counting queries that found nothing, so editors know which article to write next.

Only the folded query is kept (simplified, lower case, one space between words): no
address, no browser, no time of day beyond the first and last time it was seen.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles.models import SearchMiss

log = logging.getLogger(__name__)

MAX_LENGTH = SearchMiss._meta.get_field("query").max_length


def record(folded_query: str) -> None:
    query = folded_query.strip()[:MAX_LENGTH].strip()
    if not query:
        return
    try:
        if _increment(query):
            return
        try:
            with transaction.atomic():
                SearchMiss.objects.create(query=query, count=1)
        except IntegrityError:  # another request created it a moment ago
            _increment(query)
    except DatabaseError:
        log.exception("could not count a search miss")


def _increment(query: str) -> int:
    return SearchMiss.objects.filter(query=query).update(
        count=F("count") + 1, last_seen=timezone.now()
    )
