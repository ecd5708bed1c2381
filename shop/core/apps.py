from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting bits: public links, the dev server's in-process worker."""

    name = "shop.core"
    label = "shop_core"
