from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import set_language

from articles.seo import robots_txt
from articles.sitemaps import SITEMAPS
from kb.health import healthz
from kb.origin import same_origin_post

admin.site.site_header = "催收电话知识库 · 编辑后台"
admin.site.site_title = "催收电话知识库"
admin.site.index_title = "内容管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("articles.search.api_urls")),
    # The variant toggle on every (cached) page posts here without a CSRF token: kb/origin.py.
    path("i18n/setlang/", same_origin_post(set_language), name="set_language"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", include("articles.urls")),
    prefix_default_language=False,
)

handler500 = "kb.faults.server_error"
