from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "知识库"
    default = True  # the app's config; the admin's below is named in INSTALLED_APPS


class EditorsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site that asks administrators for a second factor."""

    default = False
    default_site = "articles.admin_site.EditorsAdminSite"
