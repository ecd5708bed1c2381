"""The shop's name, as editors set it in Wagtail's settings (cms.ShopSettings.shop_name).

Emails, Mollie's payment descriptions, page titles, Open Graph tags and the authenticator app's issuer all read
it here, so a rename reaches all of them. `settings.SHOP_NAME` is only the setting's default, for a new shop.

cms owns the setting but sits above the domains that print the name (.importlinter): it tells this module how
to read it when it loads (`shop_name_source_set`), so no domain imports cms."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

ShopNameSource = Callable[[HttpRequest | None], str]

_source: ShopNameSource | None = None


def shop_name_default() -> str:
    """The name a new shop starts with: the default of the editors' setting (SHOP_NAME in the environment)."""
    return settings.SHOP_NAME


def shop_name_source_set(source: ShopNameSource) -> None:
    """Called once by the app that owns the editable name (cms)."""
    global _source
    _source = source


def shop_name(request: HttpRequest | None = None) -> str:
    """The shop's name: the request's site's, read once per request; without a request (a worker, a command),
    the default site's. Before the owner of the setting has loaded, the default."""
    return _source(request) if _source is not None else shop_name_default()
