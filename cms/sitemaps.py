"""The pages section of /sitemap.xml (views.py serves it): Wagtail's page sitemap (wagtail.contrib.sitemaps), on
SHOP_BASE_URL, in a fixed number of queries."""

from django.db.models import Max
from django.db.models.functions import Coalesce
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from shop.catalogue.sitemaps import ProductSitemap
from shop.http.sitemaps import ShopSitemap


class PageSitemap(ShopSitemap, WagtailSitemap):
    """Every live page of the site that needs no password or login (home, information and legal pages, the
    category pages), last modified when last published.

    Wagtail's own reads each page as its specific class, a query per page type per 2,000 pages; none of the
    shop's page types has URLs of its own (tests/cms/test_sitemap.py checks), so the base Page rows do, with
    only the fields their URL and date need: a fixed number of queries whatever the number of pages."""

    def items(self):
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .only("url_path", "last_published_at", "latest_revision_created_at")
        )

    def get_latest_lastmod(self):
        # Django's default reads every page for its lastmod: the index asks the database.
        latest = Max(Coalesce("last_published_at", "latest_revision_created_at"))
        return self.items().order_by().aggregate(latest=latest)["latest"]


def sitemaps_for(request) -> dict:
    """The sections of /sitemap.xml by name (the name is in their URL: /sitemap-<name>.xml)."""
    return {"pages": PageSitemap(request), "products": ProductSitemap()}


def sitemaps_fit_one_file(sitemaps) -> bool:
    """Whether every URL fits in one sitemap file (the protocol allows 50,000, each section's `limit`)."""
    return sum(sitemap.paginator.count for sitemap in sitemaps) <= min(sitemap.limit for sitemap in sitemaps)
