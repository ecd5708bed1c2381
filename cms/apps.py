from django.apps import AppConfig

from shop.branding.name import shop_name_source_set


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django imports an app's models after its AppConfig: receivers, rich text and the name's reader use them.
        from . import receivers, rich_text, selectors

        receivers.connect()
        rich_text.rich_text_cleaning_connect()
        shop_name_source_set(selectors.shop_name_of_site)  # the shop's name is the editors' setting
