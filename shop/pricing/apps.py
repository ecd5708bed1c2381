from django.apps import AppConfig


class PricingConfig(AppConfig):
    """VAT arithmetic and the template tags that show it."""

    name = "shop.pricing"
    label = "shop_pricing"
