from django.apps import AppConfig
from django.conf import settings


class ObservabilityConfig(AppConfig):
    name = "shop.observability"
    label = "observability"

    def ready(self):
        from prometheus_client import REGISTRY

        from . import instruments, request_logging  # noqa: F401  (request_logging connects django-structlog's signals)
        from .metrics import COLLECTORS  # reads models: only once the apps are loaded

        for collector in COLLECTORS:
            REGISTRY.register(collector)
        instruments.initialise(carriers=settings.SHOP_CARRIERS)
