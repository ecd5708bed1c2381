from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "shop.observability"
    label = "observability"

    def ready(self):
        from prometheus_client import REGISTRY

        from .metrics import ShopHealthCollector

        REGISTRY.register(ShopHealthCollector())
