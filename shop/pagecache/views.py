"""The per-visitor endpoint that fills cached pages, and the CSRF failure page that lets a shopper without
JavaScript post a cached page's form after all."""

from django.db import transaction
from django.http import JsonResponse
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from oscar.apps.catalogue.signals import product_viewed

from .visitors import viewed_product, visitor_state


@require_GET
@never_cache
@transaction.non_atomic_requests  # Oscar's analytics catch the race to create a product's first record and
# count again, which a request transaction (ATOMIC_REQUESTS) would have aborted: a 500 for a product view.
def visitor(request):
    """GET /shop/visitor/[?product=<pk>][&recently_viewed=1]: JSON for visitor.js, never cached.

    With `product`, the view of that product is recorded here rather than by the cached page: Oscar's own
    receivers of product_viewed set the recently-viewed cookie on this response and count the view (analytics),
    so browsers running the page count and crawlers fetching HTML only do not."""
    product = viewed_product(request.GET.get("product"))
    state = visitor_state(request, current_product=product, recently_viewed=request.GET.get("recently_viewed") == "1")
    response = JsonResponse(state)
    if product is not None:
        product_viewed.send(sender=visitor, product=product, user=request.user, request=request, response=response)
    return response


# Forms on a cached page carry no CSRF token until visitor.js fills it in.
_TOKEN_NOT_FILLED = {REASON_NO_CSRF_COOKIE, REASON_CSRF_TOKEN_MISSING}


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW. A same-site form posted without its token (no JavaScript, or sent before visitor.js
    filled it) gets a page that asks to confirm and posts the same fields again, this time with a token.
    A post from another site never gets here: Django refuses a foreign Origin or Referer first."""
    if reason not in _TOKEN_NOT_FILLED or request.method != "POST" or request.FILES:
        return csrf.csrf_failure(request, reason=reason)
    fields = [
        (name, value) for name, values in request.POST.lists() if name != "csrfmiddlewaretoken" for value in values
    ]
    return render(request, "shop/csrf_confirm.html", {"action": request.get_full_path(), "fields": fields}, status=403)
