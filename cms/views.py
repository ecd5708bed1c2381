"""Oscar's category URL leading to the category's page; what search engines read: /sitemap.xml and /robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from oscar.core.loading import get_class

from shop.http.areas import ACCOUNTS, STAFF_AREAS
from shop.http.links import absolute_url
from shop.pagecache.services import page_cache_declare

from .models import CategoryPage
from .sitemaps import sitemaps_fit_one_file, sitemaps_for

ProductCategoryView = get_class("catalogue.views", "ProductCategoryView")
oscar_category_view = ProductCategoryView.as_view()

# Django's own template, less what the shop never sets (changefreq, priority, alternates): half the time to render.
URLSET_TEMPLATE = "shop/sitemap.xml"
ROBOTS_MAX_AGE = 24 * 60 * 60  # it changes with a deployment only; crawlers keep it about a day anyway


def category_redirect(request, category_slug, pk):
    """Oscar's category URL: the category's live Wagtail page is its canonical address, so go there, keeping
    the query (a page number, a sort order, facets); without a live page, Oscar's own listing answers as before.

    302, not 301: the answer changes whenever an editor unpublishes the page or the category is renamed or
    moved, and a browser would keep a permanent redirect for good."""
    page = CategoryPage.objects.live().filter(category_id=pk).first()
    url = page.get_url(request) if page is not None else None
    if url is None:
        return oscar_category_view(request, category_slug=category_slug, pk=pk)
    return HttpResponseRedirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


@require_safe
def sitemap(request):
    """Every live public page (category pages included) and every product the storefront shows, with its last
    change. One file while all of them fit in one (50,000 URLs); past that, a sitemap index of the sections'
    files (/sitemap-pages.xml, /sitemap-products.xml, then ?p=2 and on). Cached whole like the storefront's pages,
    and purged with them: any product or page change (shop/pagecache)."""
    page_cache_declare(request)
    sitemaps = sitemaps_for(request)
    if sitemaps_fit_one_file(sitemaps.values()):
        return sitemap_views.sitemap(request, sitemaps, template_name=URLSET_TEMPLATE)
    response = sitemap_views.index(request, sitemaps, sitemap_url_name="sitemap-section")
    for item in response.context_data["sitemaps"]:  # Django's index puts them on its Site's domain
        item.location = absolute_url(item.location)
    return response


@require_safe
def sitemap_section(request, section):
    """One file of a section listed in the sitemap index (?p=<n>: its n-th 50,000 URLs)."""
    page_cache_declare(request)
    return sitemap_views.sitemap(request, sitemaps_for(request), section=section, template_name=URLSET_TEMPLATE)


@require_safe
@transaction.non_atomic_requests  # it reads nothing: not even a savepoint
def robots_txt(request):
    """What crawlers should leave alone: the basket, checkout and accounts (allauth's and Oscar's), the staff
    areas, search results and the per-visitor endpoint; and where the sitemap is.

    Not in the page cache: it reads no database, so a rendering costs less than a cache round trip. Browsers and
    proxies may keep it for a day."""
    disallowed = [
        reverse("basket:summary"),
        reverse("checkout:index"),
        f"/{ACCOUNTS}",
        reverse("customer:summary"),
        *STAFF_AREAS,
        reverse("search:search"),  # a space without end (every phrasing, every page); listings stay open
        reverse("order-lookup"),
        reverse("shop-visitor"),  # a renderer running visitor.js would count a product view
    ]
    context = {"disallowed": disallowed, "sitemap_url": absolute_url(reverse("sitemap"))}
    response = render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=ROBOTS_MAX_AGE)
    return response
