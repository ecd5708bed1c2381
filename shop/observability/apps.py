from django.apps import AppConfig
from django.conf import settings

from . import instruments


class ObservabilityConfig(AppConfig):
    name = "shop.observability"
    label = "observability"

    def ready(self):
        # Every series at zero from the start, the carriers' named by the settings.
        instruments.initialise(carriers=settings.SHOP_CARRIERS)
