from django.apps import AppConfig
from django.conf import settings


class ObservabilityConfig(AppConfig):
    name = "shop.observability"
    label = "observability"

    def ready(self):
        # Django: instruments name the carriers from settings, read once the apps are loaded.
        from . import instruments

        instruments.initialise(carriers=settings.SHOP_CARRIERS)
