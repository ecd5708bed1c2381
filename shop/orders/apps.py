from django.apps import AppConfig


class OrdersConfig(AppConfig):
    """Order placement without oversell, and the order's moves that payments drive."""

    name = "shop.orders"
    label = "shop_orders"
