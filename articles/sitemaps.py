"""sitemap.xml: every variant URL of home, guides, published articles and lenders that have them.

i18n=True lists each page once per language in settings.LANGUAGES; alternates=True adds the
hreflang links between them and x_default points at the unprefixed (default variant) URL.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from .models import Article, Lender


class _VariantSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(_VariantSitemap):
    changefreq = "weekly"

    def items(self):
        return ["articles:home", "articles:scam_guide"]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(_VariantSitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class LenderSitemap(_VariantSitemap):
    changefreq = "weekly"

    def items(self):
        published = Q(articles__status=Article.Status.PUBLISHED)
        return (
            Lender.objects.filter(published)
            .annotate(latest_article=Max("articles__updated_at", filter=published))
            .order_by("pk")
        )

    def lastmod(self, lender):
        return max(lender.updated_at, lender.latest_article)


SITEMAPS = {"pages": StaticSitemap, "articles": ArticleSitemap, "lenders": LenderSitemap}
