from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Mollie: client, services, webhook, tasks (its local simulator is shop/devtools/mollie)."""

    name = "shop.payments"
    label = "shop_payments"

    def ready(self):
        # Django requires this import here: receivers use the services, which load models, and models
        # can be loaded only once the app registry is ready. Importing the module connects its receivers.
        from . import receivers  # noqa: F401
