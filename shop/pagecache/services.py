"""Which pages are cached whole, and purging them when what they show changes.

A view opts its page in with `page_cache_declare` before it reads the database; PageCacheMiddleware then serves
and stores it for anonymous GETs. Catalogue and content changes call `page_cache_purge`, which takes effect
after the transaction commits: a page re-rendered in between would otherwise be cached with the old rows."""

import logging
from dataclasses import dataclass, field

from django.db import transaction

from .versions import STOREFRONT, product_tag, versions_bump, versions_ensure

logger = logging.getLogger(__name__)


@dataclass
class PageCacheState:
    """What PageCacheMiddleware knows about one request (request.page_cache)."""

    key: str | None  # the page's cache entry; None: this request is neither served from nor stored in the cache
    versions: dict[str, str] = field(default_factory=dict)  # read before the view touched the database
    declared: bool = False  # the view said its page may be cached whole

    @property
    def shell(self) -> bool:
        """Render the page without per-visitor state: it may be stored and served to every anonymous visitor."""
        return self.declared and self.key is not None


def page_is_shell(request) -> bool:
    """Whether the page being rendered must leave out every visitor's state (it may be cached whole)."""
    state = getattr(request, "page_cache", None)
    return state is not None and state.shell


def page_cache_declare(request, *, product_ids=()) -> None:
    """Mark the page being served as cacheable whole; it shows `product_ids`' own pages besides the storefront.

    Call before reading the database: the versions read here must be the ones the page is rendered at."""
    state = getattr(request, "page_cache", None)
    if state is None:  # PageCacheMiddleware is not installed
        return
    state.declared = True
    if state.key is None or not product_ids:
        return
    try:
        state.versions.update(versions_ensure([product_tag(pk) for pk in product_ids]))
    except Exception:  # the cache is down: serve the page uncached
        logger.exception("page cache unavailable; %s served uncached", request.path)
        state.key = None


def page_cache_purge(*, product_ids=(), storefront: bool = True) -> None:
    """After commit, stop serving cached pages showing these products (and, with `storefront`, every page)."""
    tags = {product_tag(pk) for pk in product_ids if pk is not None}
    if storefront:
        tags.add(STOREFRONT)
    if tags:
        # robust: an unreachable cache must not fail a request whose data is already committed (the TTL still
        # bounds how long a page may be stale).
        transaction.on_commit(lambda: versions_bump(sorted(tags)), robust=True)
