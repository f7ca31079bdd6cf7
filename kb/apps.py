from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "站点"

    def ready(self):
        from . import cache

        cache.connect_signals()
