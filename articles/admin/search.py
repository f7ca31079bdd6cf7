from django.contrib import admin, messages

from kb.text import opencc_only

MAX_SEARCH_CHARS = 100


class LimitedSearchMixin:
    """Admin list search on at most MAX_SEARCH_CHARS characters of what was typed.

    Django turns every word of ``q`` into OR-ed ``icontains`` lookups over every search field,
    so an unbounded query is an unbounded SQL statement.
    """

    def get_search_results(self, request, queryset, search_term):
        term = search_term or ""
        if len(term) > MAX_SEARCH_CHARS:
            term = term[:MAX_SEARCH_CHARS]
            _tell_once(request)
        return super().get_search_results(request, queryset, term)


def _tell_once(request) -> None:
    if getattr(request, "_kb_search_cut", False) or request.path.endswith("/autocomplete/"):
        return
    request._kb_search_cut = True
    messages.warning(request, f"搜索词太长，只按前 {MAX_SEARCH_CHARS} 个字搜索。")


class BothScriptsSearchMixin(LimitedSearchMixin):
    """Admin list search that finds 微粒貸 when an editor types 微粒贷, and the reverse."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = (search_term or "")[:MAX_SEARCH_CHARS]
        for variant in ("zh-hans", "zh-hant"):
            other = opencc_only(term, variant)
            if other != term:
                more, more_duplicates = super().get_search_results(request, queryset, other)
                results = results | more
                may_have_duplicates = may_have_duplicates or more_duplicates
        return results, may_have_duplicates


def limit_search(*models, site=admin.site) -> None:
    """Re-register other apps' admins (users, groups, login attempts) with the search limit."""
    for model in models:
        model_admin = site._registry.get(model)
        if model_admin is None or isinstance(model_admin, LimitedSearchMixin):
            continue
        cls = type(model_admin)
        site.unregister(model)
        site.register(model, type(f"Limited{cls.__name__}", (LimitedSearchMixin, cls), {}))
