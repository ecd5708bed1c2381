from django.apps import AppConfig
from prometheus_client import REGISTRY


class MonitoringConfig(AppConfig):
    name = "shop.monitoring"
    label = "monitoring"

    def ready(self):
        # Django: receivers connect in ready() (request_logging's, on import); the collectors import models.
        from . import metrics, request_logging  # noqa: F401

        for collector in metrics.COLLECTORS:
            REGISTRY.register(collector)
