from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "shop.observability"
    label = "observability"

    def ready(self):
        from prometheus_client import REGISTRY

        from . import request_logging  # noqa: F401  (connects django-structlog's signals)
        from .metrics import ShopHealthCollector

        REGISTRY.register(ShopHealthCollector())
