from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Mollie: client, services, webhook, tasks (its local simulator is shop/devtools/mollie)."""

    name = "shop.payments"
    label = "shop_payments"
