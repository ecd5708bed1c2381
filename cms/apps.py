from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django imports an app's models after its AppConfig: receivers and rich text name models.
        from shop.branding.name import shop_name_source_set

        from . import receivers
        from .rich_text import rich_text_cleaning_connect
        from .selectors import shop_name_of_site

        receivers.connect()
        rich_text_cleaning_connect()
        shop_name_source_set(shop_name_of_site)  # the shop's name is the editors' setting
