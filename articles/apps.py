from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "知识库"
    default = True  # the app's config; the admin's below is named in INSTALLED_APPS

    def ready(self):
        from .search import checks, health  # import models: only once the registry is ready

        health.register()  # /healthz reports the search index and its backlog
        checks.register()  # Whoosh's private parts, section-kind bits


class EditorsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site that asks administrators for a second factor."""

    default = False
    default_site = "articles.admin_site.EditorsAdminSite"
