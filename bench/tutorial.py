"""The common tutorial set-up, as the benchmark's baseline.

haystack's stock `WhooshEngine`, a `SearchIndex` whose text fields use jieba's
`jieba.analyse.ChineseAnalyzer` (no folding: traditional and simplified are different
words), built with `rebuild_index`, kept current by haystack's `RealtimeSignalProcessor`,
and queried with `SearchQuerySet().auto_query(q)` from a plain view that renders the same
JSON as ours, with haystack's `Highlighter` for the snippet. It lives on its own haystack
connection (`tutorial`) in its own directory, so it never touches the project's index.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.http import JsonResponse
from haystack import connections, indexes
from haystack.query import SearchQuerySet
from haystack.signals import RealtimeSignalProcessor
from haystack.utils.highlighting import Highlighter
from jieba.analyse import ChineseAnalyzer

from articles.models import Article

ALIAS = "tutorial"
PAGE_SIZE = 10


class TutorialArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, analyzer=ChineseAnalyzer())
    title = indexes.CharField(model_attr="title", analyzer=ChineseAnalyzer())
    lender = indexes.CharField(null=True, analyzer=ChineseAnalyzer())

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return Article.objects.filter(status=Article.Status.PUBLISHED)

    def prepare_lender(self, obj):
        return obj.lender.name if obj.lender_id else None

    def prepare_text(self, obj):
        # What the tutorials' `search/indexes/<app>/<model>_text.txt` template renders.
        parts = [obj.title, obj.summary, obj.lender.name if obj.lender_id else ""]
        for section in obj.sections.all():
            parts += [section.heading, section.body]
        return "\n".join(parts)


def install(path: Path) -> None:
    """Add the `tutorial` connection (stock Whoosh at `path`) with the tutorial's index only."""
    options = {"ENGINE": "haystack.backends.whoosh_backend.WhooshEngine", "PATH": str(path)}
    connections.connections_info[ALIAS] = options
    settings.HAYSTACK_CONNECTIONS[ALIAS] = options
    connections.reload(ALIAS).get_unified_index().build(indexes=[TutorialArticleIndex()])


def path() -> Path:
    return Path(connections.connections_info[ALIAS]["PATH"])


def build() -> None:
    call_command("rebuild_index", using=[ALIAS], interactive=False, verbosity=0)


class _Router:
    def for_write(self, **hints):
        return [ALIAS]

    def for_read(self, **hints):
        return ALIAS


def follow_edits() -> RealtimeSignalProcessor:
    """haystack's stock realtime signal processor, writing to the tutorial connection."""
    return RealtimeSignalProcessor(connections, _Router())


def api_search(request):
    query = request.GET.get("q", "")
    results = SearchQuerySet(using=ALIAS).auto_query(query).load_all()
    page = list(results[:PAGE_SIZE])
    highlighter = Highlighter(query, html_tag="mark", max_length=200)
    body = {
        "query": query,
        "total": results.count(),
        "results": [
            {
                "title": result.object.title,
                "url": result.object.get_absolute_url(),
                "lender": result.object.lender.name if result.object.lender_id else "",
                "snippet": highlighter.highlight(result.text or ""),
            }
            for result in page
            if result.object is not None
        ],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
