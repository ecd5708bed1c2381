from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django imports an app's models after its AppConfig: receivers and rich text name models.
        from . import receivers, rich_text

        receivers.connect()
        rich_text.rich_text_cleaning_connect()
