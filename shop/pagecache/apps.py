from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Anonymous product and category pages cached whole; per-visitor state filled by /shop/visitor/."""

    name = "shop.pagecache"
    label = "pagecache"

    def ready(self):
        # Django: receivers connect in ready(); their module imports models, loaded after this one.
        from . import receivers

        receivers.connect()
