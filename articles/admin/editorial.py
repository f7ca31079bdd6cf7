"""What editors keep beside the articles: script fixes, synonyms, and what readers tell us."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from kb.conversion import Rules, convert

from ..forms import SynonymForm
from ..models import ConversionOverride, Feedback, SearchMiss, Synonym
from .search import LimitedSearchMixin

MAX_QUERY_SHOWN = 24  # characters of a search miss shown in the list (the rest on hover)


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
    """What readers searched for in vain. Editors write an article for it, or dismiss a junk
    entry (deleted; a reader who searches it again records it afresh)."""

    list_display = ["query_excerpt", "write_article", "count", "last_seen", "first_seen"]
    list_display_links = None
    search_fields = ["query"]
    ordering = ["-count", "-last_seen"]
    date_hierarchy = "last_seen"
    actions = ["dismiss"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # `dismiss` says what deleting means here
        return actions

    @admin.display(description="搜索词", ordering="query")
    def query_excerpt(self, obj):
        # A 100-character query would push the links beside it off the screen.
        return format_html(
            '<span title="{}">{}</span>', obj.query, Truncator(obj.query).chars(MAX_QUERY_SHOWN)
        )

    @admin.display(description="下一步")
    def write_article(self, obj):
        add_url = reverse("admin:articles_article_add") + "?" + urlencode({"title": obj.query})
        search_url = reverse("articles:search") + "?" + urlencode({"q": obj.query})
        return format_html(
            '<a href="{}">写一篇</a> · <a href="{}">站内再搜</a>', add_url, search_url
        )

    @admin.action(
        description="忽略所选的搜索词（从列表删除；有人再搜时会重新记录）", permissions=["delete"]
    )
    def dismiss(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(request, f"已忽略 {count} 个搜索词。", messages.SUCCESS)


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
