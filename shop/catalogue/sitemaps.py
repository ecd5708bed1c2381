"""The products section of /sitemap.xml (cms/views.py serves it)."""

from django.db.models import Max
from oscar.core.loading import get_model

from shop.http.sitemaps import ShopSitemap

Product = get_model("catalogue", "Product")


class ProductSitemap(ShopSitemap):
    """Every product the storefront shows: Oscar's browsable ones (public; a parent stands for its variants, which
    have no listing of their own), each at its page, last modified when the product was last saved. Two queries a
    sitemap page (the count, the rows), whatever the size of the catalogue."""

    def items(self):
        # Only what the location and lastmod read: a product's URL is its slug and id.
        return Product.objects.browsable().only("id", "slug", "date_updated").order_by("pk")

    def location(self, product):
        return product.get_absolute_url()

    def lastmod(self, product):
        return product.date_updated

    def get_latest_lastmod(self):
        # Django's default reads every item for its lastmod (the whole catalogue): the index asks the database.
        return Product.objects.browsable().aggregate(latest=Max("date_updated"))["latest"]
