"""The search page and the JSON API (search and autocomplete)."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_safe

from articles.numbers import number_answer, number_json

from . import misses
from .query import clean
from .searching import popular_lenders, suggested_lenders, suggestions
from .searching import search as run_search
from .suggest import suggest

RECOVERING = gettext_noop("搜索正在恢复，请稍后再试。")


def _page_number(value) -> int:
    try:
        number = int(str(value or "1").strip()[:6])
    except ValueError:
        return 1
    return min(max(number, 1), settings.KB_SEARCH_MAX_PAGES)


def _choice(value) -> str | None:
    value = str(value or "").strip()
    return value[:80] or None


@require_safe
def search(request):
    variant = translation.get_language()
    page_number = _page_number(request.GET.get("page"))
    lender = _choice(request.GET.get("lender"))
    kind = _choice(request.GET.get("section"))
    results = run_search(
        request.GET.get("q", ""),
        lender=lender,
        kind=kind,
        page=page_number,
        facets=True,
        variant=variant,
    )
    if results.pages and page_number > results.pages:
        # A page past the end: show the last page rather than nothing.
        results = run_search(
            request.GET.get("q", ""),
            lender=lender,
            kind=kind,
            page=min(results.pages, settings.KB_SEARCH_MAX_PAGES),
            facets=True,
            variant=variant,
        )
    query = results.query
    status = 200
    context = {
        "seo_noindex": True,
        "query": query.text,
        "search": results,
        "lender_filter": lender,
        "section_filter": kind,
        "page_links": _page_links(results),
        # Whose number it is comes from the database: answered even while the index is down.
        "number": number_answer(query.phone),
    }
    if results.unavailable:
        # Articles are still served: point readers at them, and tell caches and monitors.
        context["popular_lenders"] = popular_lenders()
        status = 503
    elif query.is_empty or not query.has_terms:
        context["popular_lenders"] = popular_lenders()
    elif results.total == 0:
        if page_number == 1 and not lender and not kind:
            misses.record(query.folded, request)
        context["suggested_lenders"], context["suggested_articles"] = suggestions(query)
    elif results.relaxed:
        # Only part of the query matched: still a gap for editors to know about.
        if page_number == 1 and not lender and not kind:
            misses.record(query.folded, request)
        context["suggested_lenders"] = suggested_lenders(query)
    response = render(request, "search/search.html", context, status=status)
    return _recovering(response) if results.unavailable else response


def _recovering(response):
    response["Retry-After"] = str(settings.KB_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _page_links(results) -> list[int]:
    last = min(results.pages, settings.KB_SEARCH_MAX_PAGES)
    if last <= 1:
        return []
    window = range(max(1, results.page - 3), min(last, results.page + 3) + 1)
    return sorted({1, last, *window})


def _variant(request) -> str:
    requested = str(request.GET.get("lang", "")).lower()
    if requested in dict(settings.LANGUAGES):
        return requested
    return translation.get_language()


@require_safe
def api_search(request):
    variant = _variant(request)
    with translation.override(variant):
        results = run_search(request.GET.get("q", ""), variant=variant)
        body = {
            "query": results.query.text,
            "total": results.total,
            "results": [
                {
                    "title": result.title,
                    "url": result.url,
                    "lender": result.lender,
                    "snippet": str(result.snippet),
                    "section": result.section_heading,
                    "article_url": result.article.get_absolute_url(),
                }
                for result in results.results
            ],
        }
        number = number_answer(results.query.phone)
        if number is not None:
            body["number"] = number_json(number, variant)
    if results.relaxed:
        body["relaxed"] = True  # nothing matched the whole query; these match part of it
    if results.unavailable:
        with translation.override(variant):
            body["error"] = gettext(RECOVERING)
        response = JsonResponse(body, status=503, json_dumps_params={"ensure_ascii": False})
        return _recovering(response)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_safe
def api_suggest(request):
    variant = _variant(request)
    raw = request.GET.get("q", "")
    with translation.override(variant):
        body = {"query": clean(raw), "suggestions": suggest(raw, variant)}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
