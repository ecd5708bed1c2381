from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    """What the shop tells people about an order: its emails (order, payment, parcel), their actors, the
    order's timeline, and the staff's resend. An app so that its actors (tasks.py) are declared with the
    others; it has no models."""

    name = "shop.communications"
    label = "shop_communications"
