from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shop.accounts"
    label = "accounts"

    def ready(self):
        # Django: receivers connect in ready(), on import; their modules import models, loaded after this one.
        from . import audit, signals  # noqa: F401
