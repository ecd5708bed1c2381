from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shop.accounts"
    label = "accounts"

    def ready(self):
        from . import audit, signals  # noqa: F401
