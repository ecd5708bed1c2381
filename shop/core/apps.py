from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting bits: public links, the in-process task worker (dev's runserver starts it), rich text cleaned
    on save."""

    name = "shop.core"
    label = "shop_core"

    def ready(self):
        from .rich_text import rich_text_cleaning_connect

        rich_text_cleaning_connect()
