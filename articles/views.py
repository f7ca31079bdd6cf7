"""Reader pages. Each is the same for every anonymous reader of its URL: public pages, cached
in front of the site and revalidated against the content version (kb/cache.py)."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kb.cache import public_page

from .display import article_display
from .limits import first_sections, shown_sections
from .models import Article, Lender

_PUBLISHED = Q(articles__status=Article.Status.PUBLISHED)


@public_page
def home(request):
    lenders = (
        Lender.objects.with_published_articles()
        .annotate(published_count=Count("articles", filter=_PUBLISHED, distinct=True))
        .order_by("-published_count", "slug")
    )
    latest = Article.objects.published().select_related("lender").latest_first()[:8]
    return render(request, "articles/home.html", {"lenders": lenders, "latest": latest})


@public_page
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().select_related("lender"), slug=slug)
    display = article_display(article, shown_sections(first_sections(article)), get_language())
    more = []
    if article.lender_id:
        more = (
            Article.objects.published()
            .for_lender(article.lender)
            .exclude(pk=article.pk)
            .latest_first()[:5]
        )
    # Querysets stay lazy: a cached fragment (kbcache) never runs them.
    numbers = article.lender.numbers.order_by("purpose", "number") if article.lender_id else []
    context = {
        "article": article,
        "lender": article.lender,
        "numbers": numbers,
        "display": display,
        "more": more,
    }
    return render(request, "articles/article.html", context)


@public_page
def lender_detail(request, slug):
    lender = get_object_or_404(Lender, slug=slug)
    # Querysets stay lazy: a cached fragment (kbcache) never runs them.
    context = {
        "lender": lender,
        "numbers": lender.numbers.order_by("purpose", "number"),
        "articles": Article.objects.published().for_lender(lender).latest_first(),
    }
    return render(request, "articles/lender.html", context)


@public_page
def lender_index(request):
    lenders = (
        Lender.objects.annotate(published_count=Count("articles", filter=_PUBLISHED, distinct=True))
        .prefetch_related("aliases")
        .order_by("slug")
    )
    context = {
        "lenders": lenders,
        "seo_title": _("全部借贷产品"),
        "seo_description": _("按产品查看官方公布的号码和催收相关文章。"),
    }
    return render(request, "articles/lender_index.html", context)
