"""Versions of what cached pages show. A cached page is served only while every version it was rendered at is
still current; a change sets a new version (a random token, so a version lost to eviction never comes back
equal to an old one) and every page rendered before it stops being served at once.

- `storefront`: what listings and the shared layout show: products, prices, availability, categories, Wagtail
  pages, site settings. Rarely changes.
- `product:<pk>`: one product's own page. Its stock level changes on every order; that alone purges this page,
  not every listing.
"""

from uuid import uuid4

from django.core.cache import cache

STOREFRONT = "storefront"


def product_tag(product_id: int) -> str:
    return f"product:{product_id}"


def version_key(tag: str) -> str:
    return f"pagecache:version:{tag}"


def versions_read(tags) -> dict[str, str | None]:
    found = cache.get_many([version_key(tag) for tag in tags])
    return {tag: found.get(version_key(tag)) for tag in tags}


def versions_ensure(tags) -> dict[str, str]:
    """The current versions of `tags`; a tag without one gets one (first use, or evicted)."""
    current = versions_read(tags)
    missing = [tag for tag, version in current.items() if version is None]
    for tag in missing:
        cache.add(version_key(tag), uuid4().hex, timeout=None)  # add: a concurrent request's token wins
    if missing:
        current.update(versions_read(missing))
    return current


def versions_bump(tags) -> None:
    cache.set_many({version_key(tag): uuid4().hex for tag in tags}, timeout=None)
