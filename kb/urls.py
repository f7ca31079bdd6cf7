from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.seo import robots_txt
from articles.sitemaps import SITEMAPS
from kb.health import healthz

admin.site.site_header = "催收电话知识库 · 编辑后台"
admin.site.site_title = "催收电话知识库"
admin.site.index_title = "内容管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("articles.search.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", include("articles.urls")),
    prefix_default_language=False,
)

handler500 = "kb.faults.server_error"
