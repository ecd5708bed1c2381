"""Links that leave the site (emails, payment redirects, webhooks).

They are built from SHOP_BASE_URL, never from the Host header of whatever
request happens to be around, so a forged Host cannot poison them and tasks
without a request build the same links.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def absolute_url(path_or_url: str) -> str:
    """Rebase a path (or an absolute URL's path) onto SHOP_BASE_URL."""
    bits = urlsplit(path_or_url)
    path = urlunsplit(("", "", bits.path or "/", bits.query, bits.fragment))
    return settings.SHOP_BASE_URL + path
