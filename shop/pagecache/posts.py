"""Forms on cached pages, posted by a browser that runs no JavaScript.

A page cached whole is the same for every anonymous visitor, so its forms carry an empty CSRF token that
visitor.js fills in from /shop/visitor/. Without JavaScript the form posts with the token still empty. The views
behind the forms a cached page shows (adding to the basket, a back-in-stock alert, the language) are marked
`same_origin_post`: they take such a post in one step when the browser itself says that it comes from one of the
shop's own pages (Sec-Fetch-Site: same-origin, Origin: the shop's). A browser sets both headers and no page can
forge them, so a form on another site is still refused; Django's full check (token, Origin, Referer) applies to
every other post to these views, and to every other view unchanged.

A browser that posted such a form has shown that it runs no script: it gets a cookie that makes PageCacheMiddleware
render every page for it (with its basket, messages and tokens) instead of the shared copy, whose per-visitor
parts only visitor.js could fill in. So the answer to its post says what happened."""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.views.decorators.csrf import csrf_exempt, csrf_protect

NO_SCRIPT_COOKIE = "shop_noscript"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})  # as Django's CSRF check counts them


def same_origin_post(view):
    """Mark a view whose form a cached page shows (see the module docstring). Use on as few views as possible:
    each one accepts a post without a token from any page of the shop's own origin."""
    checked = csrf_protect(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in SAFE_METHODS or not browser_says_same_origin(request):
            return checked(request, *args, **kwargs)
        response = view(request, *args, **kwargs)
        if posted_from_unfilled_form(request):
            no_script_remember(response)
        return response

    wrapped.same_origin_post = True  # tests/security/test_csrf.py lists the views that carry it
    return csrf_exempt(wrapped)  # Django's middleware leaves the check to `wrapped`


def browser_says_same_origin(request) -> bool:
    """Whether the browser's own headers say this request comes from a page of the shop's origin: Sec-Fetch-Site
    `same-origin` and an Origin of this very scheme, host and port, whichever of the two is sent (browsers send
    both with every form post; neither can be set by a page). A request with neither proves nothing."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if fetch_site is None and origin is None:
        return False
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    return origin is None or origin in own_origins(request)


def browser_says_cross_site(request) -> bool:
    """Whether any of the browser's headers says this request comes from a page of another origin."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return True
    own = own_origins(request)
    origin = request.headers.get("Origin")
    if origin is not None and origin not in own:
        return True
    referer = request.headers.get("Referer")
    return referer is not None and _origin_of(referer) not in own


def own_origins(request) -> set[str]:
    """The shop's origin as this request reached it, and as SHOP_BASE_URL says (the same one behind a proxy)."""
    origins = {_origin_of(settings.SHOP_BASE_URL)}
    try:
        origins.add(f"{request.scheme}://{request.get_host()}")
    except DisallowedHost:
        pass
    return origins


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def posted_from_unfilled_form(request) -> bool:
    """A post from a cached page's form that its script did not fill in: the token field is there, empty."""
    return request.method == "POST" and request.POST.get("csrfmiddlewaretoken") == ""


def no_script_remember(response) -> None:
    """From now on this browser gets pages rendered for it (PageCacheMiddleware), until it closes."""
    response.set_cookie(NO_SCRIPT_COOKIE, "1", secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
