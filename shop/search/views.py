from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shop.http.clients import client_key
from shop.http.throttle import throttle_hit
from shop.http.too_many import too_many_requests

from .selectors import product_completions

WINDOW_SECONDS = 60


@require_GET
def autocomplete(request):
    """`?q=tea` → {"results": [{"title": "Ceramic Teapot", "url": "/shop/catalogue/…"}]}

    A request per keystroke is a query on the index: counted per client apart from the search page, at the same
    rate (SHOP_SEARCH_RATE a minute); past it the 429 page, which the search box treats as no suggestions."""
    if not throttle_hit(
        f"autocomplete:{client_key(request)}", limit=settings.SHOP_SEARCH_RATE, window_seconds=WINDOW_SECONDS
    ):
        return too_many_requests(
            request,
            message=_("Too many searches from your connection. Please wait a minute, then search again."),
            retry_after_seconds=WINDOW_SECONDS,
        )
    response = JsonResponse({"results": product_completions(text=request.GET.get("q", ""))})
    patch_cache_control(response, public=True, max_age=60)  # the same for every visitor
    return response
