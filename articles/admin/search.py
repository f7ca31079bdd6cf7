from kb.text import convert

MAX_SEARCH_CHARS = 100


class BothScriptsSearchMixin:
    """Admin list search that finds 微粒貸 when an editor types 微粒贷, and the reverse."""

    def get_search_results(self, request, queryset, search_term):
        term = (search_term or "")[:MAX_SEARCH_CHARS]
        results, may_have_duplicates = super().get_search_results(request, queryset, term)
        for variant in ("zh-hans", "zh-hant"):
            other = convert(term, variant)
            if other != term:
                more, more_duplicates = super().get_search_results(request, queryset, other)
                results = results | more
                may_have_duplicates = may_have_duplicates or more_duplicates
        return results, may_have_duplicates
