"""Cached pages: one entry per language and full URL (query string included: sorting, facets, paging)."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

from .versions import STOREFRONT, version_key, versions_read

# Set per response by the outer middleware or never to be replayed to another visitor.
_UNSTORED_HEADERS = {"set-cookie", "vary", "x-page-cache", "content-length"}


@dataclass(frozen=True)
class PageEntry:
    versions: dict[str, str]  # the versions the page was rendered at
    status: int
    headers: list[tuple[str, str]]
    content: bytes
    nonce: str = ""  # the CSP nonce the page was rendered with, replaced by each visitor's own when served


def entry_key(request) -> str:
    url = request.build_absolute_uri()  # scheme, host (one of ALLOWED_HOSTS), path and query string
    digest = hashlib.sha256(f"{translation.get_language()} {url}".encode()).hexdigest()
    return f"pagecache:page:{digest}"


def entry_lookup(key: str) -> tuple[PageEntry | None, dict[str, str | None]]:
    """The entry at `key` and the storefront's current version, in one round trip."""
    found = cache.get_many([key, version_key(STOREFRONT)])
    return found.get(key), {STOREFRONT: found.get(version_key(STOREFRONT))}


def entry_is_fresh(entry: PageEntry, known_versions: dict[str, str | None]) -> bool:
    unknown = [tag for tag in entry.versions if tag not in known_versions]
    current = {**known_versions, **(versions_read(unknown) if unknown else {})}
    return all(current.get(tag) == version for tag, version in entry.versions.items())


def entry_store(key: str, response, *, versions: dict[str, str], nonce: str = "") -> None:
    headers = [(name, value) for name, value in response.items() if name.lower() not in _UNSTORED_HEADERS]
    entry = PageEntry(
        versions=dict(versions), status=response.status_code, headers=headers, content=response.content, nonce=nonce
    )
    cache.set(key, entry, timeout=settings.SHOP_PAGE_CACHE_SECONDS)


def entry_response(entry: PageEntry, *, nonce: str = "") -> HttpResponse:
    """The stored page, its inline scripts carrying `nonce` (the one in this answer's Content-Security-Policy):
    a nonce is good for one answer, so the one the page was rendered with must not be served again."""
    content = entry.content
    if entry.nonce:
        content = content.replace(f'nonce="{entry.nonce}"'.encode(), f'nonce="{nonce}"'.encode())
    response = HttpResponse(content, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    return response
