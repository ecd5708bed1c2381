from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The dev server's in-process worker and the `runserver` that starts it with the simulators."""

    name = "shop.core"
    label = "shop_core"
