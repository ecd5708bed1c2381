"""The per-visitor endpoint that fills cached pages, and the CSRF failure pages: one that lets a shopper post a
form after all (the one step more that a browser which does not say where a form comes from needs), one that says
why a form was refused."""

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from oscar.apps.catalogue.signals import product_viewed

from .posts import browser_says_cross_site, no_script_remember, posted_from_unfilled_form
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
    """CSRF_FAILURE_VIEW. A post that lacks only its token (no CSRF cookie, or an empty token field) and whose
    headers name no other site gets a page, with a 200, that says why and posts the same fields again with a token
    at the press of a button: a cached page's form from a browser that sends neither Origin nor Sec-Fetch-Site
    (posts.py), or any form after its visitor's cookies were cleared. Under HTTPS Django has then checked the
    Referer already. Every other refusal, a form from another site first of all, gets a 403 page saying so."""
    if reason in _TOKEN_NOT_FILLED and request.method == "POST" and not request.FILES:
        if not browser_says_cross_site(request):
            return _confirm(request)
    context = {"cross_site": browser_says_cross_site(request), "reason": reason if settings.DEBUG else ""}
    response = render(request, "shop/csrf_refused.html", context, status=403)
    add_never_cache_headers(response)
    return response


def _confirm(request):
    fields = [
        (name, value) for name, values in request.POST.lists() if name != "csrfmiddlewaretoken" for value in values
    ]
    response = render(request, "shop/csrf_confirm.html", {"action": request.get_full_path(), "fields": fields})
    add_never_cache_headers(response)  # it carries this visitor's token
    if posted_from_unfilled_form(request):
        no_script_remember(response)
    return response
