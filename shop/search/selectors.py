from haystack.query import SearchQuerySet
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

MIN_LENGTH = 2  # one letter completes to half the catalogue
MAX_LENGTH = 100

# Indexed, but shown by no listing: a change to these alone leaves every cached listing as it was.
UNLISTED_FIELDS = frozenset({"num_in_stock", "date_updated"})


def product_completions(*, text: str, limit: int = 8) -> list[dict]:
    """Products whose title has words starting with each word typed so far, for the search box."""
    text = " ".join(text.split())[:MAX_LENGTH]
    if len(text) < MIN_LENGTH:
        return []
    results = SearchQuerySet().models(Product).autocomplete(title=text).load_all()[:limit]
    return [
        {"title": result.title, "url": result.object.get_absolute_url()}
        for result in results
        if result.object is not None  # deleted, not yet out of the index
    ]


def product_listing_face(*, product_id: int) -> dict | None:
    """What listings show of a product: its index entry as stored (listings read the index), but for the fields
    no listing shows; None when it is not in the index. The one answer to "did this listing change"."""
    found = SearchQuerySet().models(Product).filter(django_id=product_id)[:1]
    if not found:
        return None
    stored = found[0].get_stored_fields()
    return {name: value for name, value in stored.items() if name.removesuffix("_exact") not in UNLISTED_FIELDS}
