"""The search page and the JSON API (search and autocomplete).

Both read their parameters through one form (forms.py) and run one search per request.
Their answers are public pages (kb/cache.py): the same for every anonymous reader of a URL,
revalidated against the content version and the index's generation.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_safe

from articles.display import convert
from articles.numbers import number_answer, number_json
from kb.cache import public_page

from . import misses
from .forms import ApiSearchForm, SearchForm
from .query import clean
from .searching import popular_lenders, suggested_lenders, suggestions
from .searching import search as run_search
from .suggest import suggest

RECOVERING = gettext_noop("搜索正在恢复，请稍后再试。")
PAST_THE_END = gettext_noop("没有第 %(page)d 页：这次搜索只有 %(pages)d 页结果。")
PAST_THE_END_CODE = "page_out_of_range"


def _index_generation(request) -> str:
    """Changes whenever the Whoosh index does (a commit writes a new table of contents, a
    rebuild swaps the directory): results can change after the content version did, when the
    index catches up. Elasticsearch has no directory here: the content version alone."""
    path = settings.HAYSTACK_CONNECTIONS["default"].get("PATH")
    try:
        st = os.stat(path) if path else None
    except OSError:
        st = None
    return f"{st.st_ino}:{st.st_mtime_ns}" if st else "-"


def _past_the_end(results) -> str:
    return gettext(PAST_THE_END) % {"page": results.page, "pages": max(results.pages, 1)}


# The page


@public_page(depends_on=_index_generation)
@require_safe
def search(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _refused(request, form.first_error()[1])
    params = form.cleaned_data
    page_number = params["page"]
    lender, kind = params["lender"], params["section"]
    results = run_search(
        params["q"],
        lender=lender,
        kind=kind,
        page=page_number,
        facets=True,
        variant=translation.get_language(),
    )
    if results.past_the_end and not results.unavailable:
        return _refused(request, _past_the_end(results), results)
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


def _refused(request, message: str, results=None):
    """The page for parameters that cannot be searched: the API's message, as a notice."""
    context = {
        "seo_noindex": True,
        "query": clean(request.GET.get("q", "")),
        "error": message,
        "search": results,
    }
    return render(request, "search/search.html", context, status=400)


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


# The API


def _variant(request) -> str:
    requested = str(request.GET.get("lang", "")).strip().lower()
    if requested in dict(settings.LANGUAGES):
        return requested
    return translation.get_language()


def _json(body: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _api_error(code: str, message: str, variant: str) -> JsonResponse:
    return _json({"error": code, "message": convert(message, variant)}, status=400)


@public_page(depends_on=_index_generation, variant_parameter="lang")
@require_safe
def api_search(request):
    form = ApiSearchForm(request.GET)
    valid = form.is_valid()
    variant = form.cleaned_data.get("lang") or translation.get_language()
    with translation.override(variant):
        if not valid:
            return _api_error(*form.first_error(), variant)
        params = form.cleaned_data
        results = run_search(
            params["q"],
            lender=params["lender"],
            kind=params["section"],
            page=params["page"],
            facets=True,
            variant=variant,
        )
        if results.unavailable:
            # Whose number it is comes from the database: answered while the index is down.
            body = {"query": results.query.text, "total": 0, "results": []}
            body.update(_number(results.query, variant))
            body["error"] = gettext(RECOVERING)
            return _recovering(_json(body, status=503))
        if results.past_the_end:
            return _api_error(PAST_THE_END_CODE, _past_the_end(results), variant)
        return _json(_api_body(results, variant))


def _api_body(results, variant: str) -> dict:
    query = results.query
    body = {
        "query": query.text,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "results": [
            {
                "title": result.title,
                "url": result.url,
                "lender": result.lender,
                "snippet": str(result.snippet),
                "section": result.section_heading,
                "article_url": result.article_url,
            }
            for result in results.results
        ],
        "facets": {
            "lender": [_facet(facet, facet.label) for facet in results.lenders],
            "section": [_facet(facet, convert(facet.label, variant)) for facet in results.kinds],
        },
    }
    if results.total == 0 and query.has_terms:
        lenders, articles = suggestions(query)
        body["suggestions"] = {
            "lenders": [
                {"name": convert(lender.name, variant), "url": lender.get_absolute_url()}
                for lender in lenders
            ],
            "articles": [
                {"title": convert(a.title, variant, a.script), "url": a.get_absolute_url()}
                for a in articles
            ],
        }
    body.update(_number(query, variant))
    if results.relaxed:
        body["relaxed"] = True  # nothing matched the whole query; these match part of it
    return body


def _number(query, variant: str) -> dict:
    """{"number": …} when the query is or holds a phone number (articles/numbers.py)."""
    number = number_answer(query.phone)
    return {} if number is None else {"number": number_json(number, variant)}


def _facet(facet, label: str) -> dict:
    return {"value": facet.value, "label": label, "count": facet.count, "selected": facet.selected}


@public_page(variant_parameter="lang")
@require_safe
def api_suggest(request):
    variant = _variant(request)
    raw = request.GET.get("q", "")
    with translation.override(variant):
        body = {"query": clean(raw), "suggestions": suggest(raw, variant)}
    return _json(body)
