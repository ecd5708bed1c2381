"""The products section of /sitemap.xml (cms/views.py serves it)."""

from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property
from oscar.core.loading import get_model

from shop.http.sitemaps import ShopSitemap

Product = get_model("catalogue", "Product")


class ProductSitemap(ShopSitemap):
    """Every product the storefront shows: Oscar's browsable ones (public; a parent stands for its variants, which
    have no listing of their own), each at its page, last modified when the product was last saved. Two queries a
    sitemap page (the count, the rows), whatever the size of the catalogue."""

    def items(self):
        # Rows, not products: making 50,000 Product instances costs seconds (Oscar's attribute container each).
        return Product.objects.browsable().values("id", "slug", "date_updated").order_by("pk")

    def location(self, row):
        return f"{self._prefix}{row['slug']}_{row['id']}/"

    @cached_property
    def _prefix(self) -> str:
        """Oscar's product URL (`<slug>_<pk>/` below the catalogue) up to the slug, reversed once: a reverse() a
        product costs a second for 10,000 products. tests/cms/test_sitemap.py compares with get_absolute_url()."""
        sample = reverse("catalogue:detail", kwargs={"product_slug": "slug", "pk": 1})
        return sample.removesuffix("slug_1/")

    def lastmod(self, row):
        return row["date_updated"]

    def get_latest_lastmod(self):
        # Django's default reads every item for its lastmod (the whole catalogue): the index asks the database.
        return Product.objects.browsable().aggregate(latest=Max("date_updated"))["latest"]
