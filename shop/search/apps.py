from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The shop's search plumbing. Label `shop_search`: Oscar's search app owns `search`."""

    name = "shop.search"
    label = "shop_search"
