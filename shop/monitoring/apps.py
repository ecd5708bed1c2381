from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "shop.monitoring"
    label = "monitoring"

    def ready(self):
        # Django: the collectors read models, importable only once the apps are loaded; request_logging connects
        # django-structlog's signals on import.
        from prometheus_client import REGISTRY

        from . import request_logging  # noqa: F401
        from .metrics import COLLECTORS

        for collector in COLLECTORS:
            REGISTRY.register(collector)
