from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    """Shipments, carriers and their tracking: adapters, poll and push."""

    name = "shop.fulfilment"
    label = "shop_fulfilment"
