"""Reference data production needs, created idempotently (`manage.py bootstrap_shop`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site

from shop.accounts.roles import groups_ensure
from shop.branding.name import shop_name
from shop.catalogue.thumbnails import missing_image_ensure
from shop.fulfilment.reference_data import countries_ensure, shipping_methods_ensure


def django_site_ensure() -> Site:
    """Django's Site (used by allauth outside requests) names the public host; its name is only a label."""
    host = urlsplit(settings.SHOP_BASE_URL).netloc
    site, _ = Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": host, "name": shop_name()})
    return site


def reference_data_ensure() -> dict:
    """Everything `bootstrap_shop` creates outside the CMS, in one call for both commands."""
    return {
        "shipping_countries": countries_ensure(),
        "groups": groups_ensure(),
        "new_shipping_methods": shipping_methods_ensure(),
        "site": django_site_ensure(),
        "missing_image_stored": missing_image_ensure(),
    }
