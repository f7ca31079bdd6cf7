from django.contrib import admin
from django.db import models
from django.db.models import Count, Q

from ..forms import LenderAdminForm, OfficialNumberInlineForm
from ..models import Article, Lender, LenderAlias, OfficialNumber
from .history import BaselineVersionAdmin
from .search import BothScriptsSearchMixin

URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class LenderAliasInline(admin.TabularInline):
    model = LenderAlias
    fields = ["name", "kind"]
    extra = 1


class OfficialNumberInline(admin.TabularInline):
    model = OfficialNumber
    form = OfficialNumberInlineForm
    formfield_overrides = URL_FIELDS
    fields = ["number", "purpose", "source_name", "source_url", "verified_on"]
    extra = 1
    verbose_name_plural = "官方号码（每个号码都要注明来源；未亲自核对的请把核实日期留空）"


@admin.register(Lender)
class LenderAdmin(BothScriptsSearchMixin, BaselineVersionAdmin):
    form = LenderAdminForm
    inlines = [LenderAliasInline, OfficialNumberInline]
    formfield_overrides = URL_FIELDS
    fields = ["name", "slug", "operator", "description", "website", "needs_review"]
    list_display = ["name", "operator", "alias_names", "needs_review", "published_count"]
    list_filter = ["needs_review"]
    search_fields = ["name", "operator", "aliases__name"]

    def get_queryset(self, request):
        published = Q(articles__status=Article.Status.PUBLISHED)
        return (
            super()
            .get_queryset(request)
            .annotate(published_articles=Count("articles", filter=published, distinct=True))
            .prefetch_related("aliases")
        )

    def get_readonly_fields(self, request, obj=None):
        # Reader links to a lender page with published articles must keep working.
        if obj is not None and obj.articles.filter(status=Article.Status.PUBLISHED).exists():
            return ["slug"]
        return []

    @admin.display(description="别名")
    def alias_names(self, obj):
        return "、".join(alias.name for alias in obj.aliases.all()) or None

    @admin.display(description="已发布文章", ordering="published_articles")
    def published_count(self, obj):
        return obj.published_articles
