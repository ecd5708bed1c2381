"""Reads of the editors' pages for the rest of the shop."""

from wagtail.models import Page


def content_pages_matching(text: str, *, limit: int = 5) -> list[Page]:
    """Live, public pages (information, categories) whose text matches: shown beside product search results."""
    text = " ".join(text.split())[:100]
    if not text:
        return []
    pages = Page.objects.live().public().filter(depth__gt=2)  # not the site root or the home page itself
    return list(pages.search(text, fields=None)[:limit])
