from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "知识库"

    def ready(self):
        from .search import health  # imports models: only once the app registry is ready

        health.register()  # /healthz reports the search index and its backlog
