"""What editors keep beside the articles: script fixes, synonyms, and what readers tell us."""

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from kb.conversion import Rules, convert

from ..forms import SynonymForm
from ..models import ConversionOverride, Feedback, SearchMiss, Synonym
from .search import LimitedSearchMixin


@admin.register(ConversionOverride)
class ConversionOverrideAdmin(LimitedSearchMixin, admin.ModelAdmin):
    list_display = ["hans", "hant", "hk", "opencc_default", "note", "updated_at"]
    search_fields = ["hans", "hant", "hk", "note"]
    fields = ["hans", "hant", "hk", "note"]

    @admin.display(description="不修正时的转换结果")
    def opencc_default(self, obj):
        return convert(obj.hans, "zh-hant", "hans", Rules())  # vocabulary, no overrides


@admin.register(Synonym)
class SynonymAdmin(LimitedSearchMixin, admin.ModelAdmin):
    form = SynonymForm
    list_display = ["terms", "updated_at"]
    search_fields = ["terms"]


class _ReadOnlyAdmin(LimitedSearchMixin, admin.ModelAdmin):
    """Rows written by the site, never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SearchMiss)
class SearchMissAdmin(_ReadOnlyAdmin):
    list_display = ["query", "count", "last_seen", "first_seen", "write_article"]
    search_fields = ["query"]
    ordering = ["-count", "-last_seen"]
    date_hierarchy = "last_seen"

    @admin.display(description="下一步")
    def write_article(self, obj):
        add_url = reverse("admin:articles_article_add") + "?" + urlencode({"title": obj.query})
        search_url = reverse("articles:search") + "?" + urlencode({"q": obj.query})
        return format_html(
            '<a href="{}">写一篇</a> · <a href="{}">站内再搜</a>', add_url, search_url
        )


@admin.register(Feedback)
class FeedbackAdmin(_ReadOnlyAdmin):
    list_display = ["article", "helpful", "comment_excerpt", "created_at"]
    list_filter = ["helpful", ("article", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article"]
    search_fields = ["comment", "article__title"]
    date_hierarchy = "created_at"

    @admin.display(description="留言")
    def comment_excerpt(self, obj):
        return Truncator(obj.comment).chars(80) or None
