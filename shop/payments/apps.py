from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Mollie: client, services, webhook, tasks (its local simulator is shop/devtools/mollie)."""

    name = "shop.payments"
    label = "shop_payments"

    def ready(self):
        # Importing the module connects its receivers; they use the services, which import models.
        # Django: models can be imported only once the app registry is ready, so the import waits for ready().
        from . import receivers  # noqa: F401
