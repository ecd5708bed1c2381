"""The base of the shop's sitemaps (django.contrib.sitemaps): locations on SHOP_BASE_URL, never on the Host
header or on whatever Django's or Wagtail's Site rows say, like every link that leaves the site (links.py)."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.utils import timezone
from django.utils.functional import cached_property

from .links import absolute_url


class ShopSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SHOP_BASE_URL).scheme

    def get_domain(self, site=None):
        # What follows the scheme: Django's Sitemap puts the location's path right after it.
        return settings.SHOP_BASE_URL.split("://", 1)[1]

    @cached_property
    def paginator(self):
        """Django's makes a new paginator (and counts again) on every use; one count per sitemap is enough."""
        return super().paginator

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        base = settings.SHOP_BASE_URL + "/"
        for url in urls:
            if not url["location"].startswith(base):  # Wagtail's pages: full URLs on Wagtail's Site, rebased
                url["location"] = absolute_url(url["location"])
            # The day, formatted here: the template's date filter took most of a 50,000-URL file's rendering.
            lastmod = url["lastmod"]
            url["lastmod_day"] = _day(lastmod).isoformat() if lastmod else ""
        return urls


def _day(moment: datetime.datetime | datetime.date) -> datetime.date:
    """As Django's template shows a lastmod: the date, in the shop's time zone."""
    return timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment
