from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Mollie: client, simulator, services, webhook, tasks."""

    name = "shop.payments"
    label = "shop_payments"
