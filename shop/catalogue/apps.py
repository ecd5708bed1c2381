from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The shop's reads of Oscar's catalogue, and product thumbnails made ahead of time."""

    name = "shop.catalogue"
    label = "shop_catalogue"

    def ready(self):
        from . import receivers  # noqa: F401  (Django: receivers name models, loaded after the AppConfig)
