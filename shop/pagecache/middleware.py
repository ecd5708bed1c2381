"""Whole-page cache for anonymous visitors, in Django's cache (Redis).

Only pages whose view calls `page_cache_declare` are cached: Oscar's product page and the Wagtail category pages
(with their `products/` listing). Those pages render as a *shell* for anonymous visitors: no CSRF token, basket,
messages or recently viewed products in the HTML; visitor.js fills them from /shop/visitor/. So one rendering
serves every anonymous visitor of the URL until something it shows changes (versions.py) or
SHOP_PAGE_CACHE_SECONDS pass.

Before storing, the response is checked for per-visitor state the render touched anyway (a CSRF token asked for,
the basket loaded, messages read, the session changed, a cookie set): such a page is served but never stored.

A browser known to run no JavaScript (posts.py) gets every page rendered for it, as a signed-in visitor does.

X-Page-Cache says what happened on cacheable pages: `hit`, `miss` (rendered and stored) or `skip` (rendered,
not stored: a signed-in visitor, a browser without JavaScript, a POST, a non-200 answer or per-visitor state)."""

import logging

from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty

from .entries import entry_is_fresh, entry_key, entry_lookup, entry_response, entry_store
from .posts import NO_SCRIPT_COOKIE
from .services import PageCacheState
from .versions import STOREFRONT, versions_ensure

logger = logging.getLogger(__name__)


class PageCacheMiddleware:
    """Listed after the basket middleware: it needs request.user, and sees what the basket did to a response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = request.page_cache = PageCacheState(key=self._key(request))
        if state.key is not None:
            hit = self._lookup(request, state)
            if hit is not None:
                return hit
        response = self.get_response(request)
        if state.declared:
            response["X-Page-Cache"] = "miss" if self._store(request, response, state) else "skip"
        return response

    def _key(self, request) -> str | None:
        if settings.SHOP_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        # A browser without JavaScript (posts.py): the shared copy would not show it its basket or messages.
        if request.COOKIES.get(NO_SCRIPT_COOKIE):
            return None
        # Only a session cookie can make a visitor signed in; without one, request.user costs no query.
        if request.user.is_authenticated:
            return None
        return entry_key(request)

    def _lookup(self, request, state):
        try:
            entry, state.versions = entry_lookup(state.key)
            if entry is not None and entry_is_fresh(entry, state.versions):
                response = entry_response(entry, nonce=_csp_nonce(request))
                response["X-Page-Cache"] = "hit"
                patch_vary_headers(response, ("Cookie",))  # as on a rendered page: signed-in visitors differ
                return response
            if state.versions[STOREFRONT] is None:
                state.versions.update(versions_ensure([STOREFRONT]))
        except Exception:  # the cache is down: render as if there were none
            logger.exception("page cache unavailable; %s served uncached", request.path)
            state.key = None
        return None

    def _store(self, request, response, state) -> bool:
        if not state.shell or request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        reason = _per_visitor_state(request, response)
        if reason:
            logger.warning("page cache: %s not stored, the page %s", request.path, reason)
            return False
        try:
            entry_store(state.key, response, versions=state.versions, nonce=_csp_nonce(request, only_if_used=True))
        except Exception:
            logger.exception("page cache unavailable; %s not stored", request.path)
            return False
        return True


def _per_visitor_state(request, response) -> str | None:
    """Why this response must not be served to anyone else, or None."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return "asked for a CSRF token"
    basket = getattr(request, "basket", None)
    if isinstance(basket, SimpleLazyObject) and basket._wrapped is not empty:
        return "loaded the basket"
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.used or messages.added_new):
        return "read or added messages"
    if getattr(request, "session", None) is not None and request.session.modified:
        return "changed the session"
    if response.cookies:
        return "set a cookie"
    if any(word in response.get("Cache-Control", "") for word in ("private", "no-store", "no-cache")):
        return "is marked private"
    return None


def _csp_nonce(request, *, only_if_used: bool = False) -> str:
    """The nonce of this answer's Content-Security-Policy (shop.accounts.content_policy, an outer middleware).
    django-csp makes it on first use, and only a nonce used while rendering goes into the policy: `only_if_used`
    asks without making one."""
    nonce = getattr(request, "csp_nonce", None)
    if nonce is None or (only_if_used and not nonce):  # bool(): has it been made?
        return ""
    return str(nonce)
