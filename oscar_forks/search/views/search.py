"""Oscar's keyword search, throttled per client: each search is a full-text query and a facet count on the
database, so one client's flood would slow every shopper's search."""

from django.conf import settings
from django.utils.translation import gettext as _
from oscar.apps.search.views import search

from shop.http.clients import client_key
from shop.http.throttle import throttle_hit
from shop.http.too_many import too_many_requests

WINDOW_SECONDS = 60


class FacetedSearchView(search.FacetedSearchView):
    def dispatch(self, request, *args, **kwargs):
        # Before Oscar's dispatch, which records the search (analytics) first. Browsing without keywords is
        # served from the page cache and is not counted.
        if request.GET.get("q") and not throttle_hit(
            f"search:{client_key(request)}", limit=settings.SHOP_SEARCH_RATE, window_seconds=WINDOW_SECONDS
        ):
            return too_many_requests(
                request,
                message=_("Too many searches from your connection. Please wait a minute, then search again."),
                retry_after_seconds=WINDOW_SECONDS,
            )
        return super().dispatch(request, *args, **kwargs)
