"""Counting queries that found nothing, so editors know which article to write next.

Only the folded query is kept (simplified, lower case, one space between words): no
address, no browser, no time of day beyond the first and last time it was seen.

Nobody can flood the log: a client's misses are counted at most KB_SEARCH_MISSES_PER_HOUR
times an hour (kb/ratelimit.py; beyond that the search answers as usual, unlogged), and once
the log holds KB_SEARCH_MISSES_MAX_ROWS queries only those already in it are counted.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles.models import SearchMiss
from kb import ratelimit

log = logging.getLogger(__name__)

MAX_LENGTH = SearchMiss._meta.get_field("query").max_length


def record(folded_query: str, request) -> None:
    query = folded_query.strip()[:MAX_LENGTH].strip()
    if not query:
        return
    # When the limit cannot be counted, nothing is logged: a lost miss costs nothing.
    if not ratelimit.allow("search-miss", request, settings.KB_SEARCH_MISSES_PER_HOUR, 3600):
        return
    try:
        if _increment(query):
            return
        if SearchMiss.objects.count() >= settings.KB_SEARCH_MISSES_MAX_ROWS:
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
